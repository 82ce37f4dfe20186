"""`tco-gate init [PATH]`: write a commented proposal (or, with `--policy`, a policy) that is valid as written."""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from ..errors import UsageError
from ..result import EXIT_OK
from ..schema_files import installed_schema
from ..sinks import write
from ..sources import POLICY_NAME, PROPOSAL_NAMES, WorkTree
from ..template import policy_template, proposal_template


def init(path: Path | None, *, policy: bool, force: bool) -> int:
    """Write the template to `path` and exit 0. A path ending in `.yml` or `.yaml` names the file; any other
    path (or an existing folder) is a folder, made with its parents if missing, to write the usual name in.

    Raises UsageError when the file exists and `force` is not given, or it cannot be written.
    """
    name = POLICY_NAME if policy else PROPOSAL_NAMES[0]
    target = _target(path, name)
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; add --force to overwrite it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the folder {target.parent}: {exc.strerror}") from None
    schema = schema_reference(installed_schema("policy" if policy else "proposal"), target)
    if policy:
        text = policy_template(schema, nested=_below_the_root(target.resolve().parent))
    else:
        text = proposal_template(datetime.now(UTC).date(), schema, proposal_name(target.resolve().parent))
    write(text, target)
    then = "set the values your reviewers want" if policy else "replace the example figures with yours"
    print(f"wrote {target}: {then}, then run `tco-gate check {target}`")
    return EXIT_OK


def _target(path: Path | None, name: str) -> Path:
    if path is None:
        return Path(name)
    if path.is_dir():
        return path / name
    if path.suffix.lower() in (".yml", ".yaml"):
        return path
    if path.exists():
        raise UsageError(f"{path} is a file, not a folder: name the file to write with .yml or .yaml")
    return path / name


def proposal_name(folder: Path) -> str:
    """A proposal name made from its folder's name (`teams/Search Ranking` -> `search-ranking`): a copied
    example name would clash with the proposal it came from. `proposal` when the folder's name has no letter
    or digit to keep."""
    ascii_name = unicodedata.normalize("NFKD", folder.name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:63].rstrip("-")
    return slug or "proposal"


def _below_the_root(folder: Path) -> bool:
    """True when a policy file in `folder` is a nested one: below the repository root, or (outside a
    repository) below a folder that holds a policy already."""
    root = _repository_root(folder)
    if root is not None:
        return folder != root
    return any((above / POLICY_NAME).is_file() for above in folder.parents)


def schema_reference(schema: Path, target: Path) -> str:
    """The `$schema=` value for a file written at `target`: relative to it when the schema sits in the same
    repository (a virtualenv inside it), so the line holds in every clone; else the absolute path."""
    folder = target.resolve().parent
    root = _repository_root(folder)
    if root is not None and schema.resolve().is_relative_to(root):
        return Path(os.path.relpath(schema.resolve(), folder)).as_posix()
    return schema.resolve().as_posix()


def _repository_root(folder: Path) -> Path | None:
    """The root git reports for the current folder, as `check` finds it (a stray `.git` in a team's folder is
    not a root), when `folder` is inside it; else None."""
    root = WorkTree().root
    return root if root is not None and folder.resolve().is_relative_to(root) else None
