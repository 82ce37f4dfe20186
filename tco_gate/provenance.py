"""The evidence block of a report: sha256 of every file judged, the catalog, and the reproducing command.

Part of the run layer: it reads the files again to hash them, at the edge, for every face that writes a report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from .report.model import InputFileOut, ProvenanceOut, Report, ResultOut
from .sources import read_regular_file

Role = Literal["proposal", "policy", "evidence"]


def sha256_of(path: str) -> str | None:
    """The file's sha256 as hex, or None when it cannot be read (or is no regular file)."""
    try:
        return hashlib.sha256(read_regular_file(Path(path))).hexdigest()
    except OSError:
        return None


def files_of(result: ResultOut) -> tuple[tuple[str, Role], ...]:
    """The files one proposal was judged from: itself, its policies, its evidence, in that order."""
    files: list[tuple[str, Role]] = [(result.path, "proposal")]
    if result.policy is not None:
        files += [(policy, "policy") for policy in result.policy.files]
    if result.evidence is not None:
        files += [(file.path, "evidence") for file in result.evidence.files]
    return tuple(files)


def inputs_of(files: Iterable[tuple[str, Role]]) -> list[InputFileOut]:
    """Each file named, once each, in order, with its sha256."""
    seen: dict[str, InputFileOut] = {}
    for path, role in files:
        if path not in seen:
            seen[path] = InputFileOut(path=path, role=role, sha256=sha256_of(path))
    return list(seen.values())


def with_provenance(
    report: Report, *, command: tuple[str, ...], catalog: str, files: Iterable[tuple[str, Role]] | None = None
) -> Report:
    """The report with its evidence block: `command` is the one that reproduces the run. The files hashed are
    those of the report's entries, or `files` for a report written without them (report/parts.py)."""
    if files is None:
        files = (file for result in report.results for file in files_of(result))
    provenance = ProvenanceOut(catalog=catalog, command=list(command), inputs=inputs_of(files))
    return report.model_copy(update={"provenance": provenance})
