"""`tco-gate init [PATH]`: write a commented proposal (or, with `--policy`, a policy) that is valid as written."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from ..errors import UsageError
from ..result import EXIT_OK
from ..schema_files import installed_schema
from ..sinks import write
from ..sources import POLICY_NAME, PROPOSAL_NAMES
from ..template import policy_template, proposal_template


def init(path: Path | None, *, policy: bool, force: bool) -> int:
    """Write the template to `path` (a file, or a folder to write the usual file name in); exit 0.

    Raises UsageError when the file exists and `force` is not given, or it cannot be written.
    """
    name = POLICY_NAME if policy else PROPOSAL_NAMES[0]
    target = path or Path(name)
    if target.is_dir():
        target = target / name
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; add --force to overwrite it")
    if not target.parent.is_dir():
        raise UsageError(f"{target.parent}: no such folder")
    schema = schema_reference(installed_schema("policy" if policy else "proposal"), target)
    today = datetime.now(UTC).date()
    write(policy_template(schema) if policy else proposal_template(today, schema), target)
    then = "set the values your reviewers want" if policy else "replace the example figures with yours"
    print(f"wrote {target}: {then}, then run `tco-gate check {target}`")
    return EXIT_OK


def schema_reference(schema: Path, target: Path) -> str:
    """The `$schema=` value for a file written at `target`: relative to it when the schema sits in the same
    repository (a virtualenv inside it), so the line holds in every clone; else the absolute path."""
    folder = target.resolve().parent
    root = _repository_root(folder)
    if root is not None and schema.resolve().is_relative_to(root):
        return Path(os.path.relpath(schema.resolve(), folder)).as_posix()
    return schema.resolve().as_posix()


def _repository_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None
