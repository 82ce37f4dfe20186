"""The evidence block of a report: sha256 of every file judged, the catalog, and the reproducing command.

I/O lives here (it reads the files again to hash them), at the edge, beside the commands that use it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from ..report.model import InputFileOut, ProvenanceOut, Report

Role = Literal["proposal", "policy"]

# Flags that choose how a report is shown or how many processes make it, not what is judged: a reproducing
# command leaves them out.
PRESENTATION_FLAGS = ("--format", "--output", "--jobs")


def judging_command(argv: Sequence[str]) -> list[str]:
    """`tco-gate` and the arguments given, less the presentation flags and their values."""
    kept: list[str] = []
    skip_next = False
    for argument in argv:
        if skip_next:
            skip_next = False
        elif argument in PRESENTATION_FLAGS:
            skip_next = True
        elif not argument.startswith(tuple(f"{flag}=" for flag in PRESENTATION_FLAGS)):
            kept.append(argument)
    return ["tco-gate", *kept]


def sha256_of(path: str) -> str | None:
    """The file's sha256 as hex, or None when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def inputs_of(report: Report) -> list[InputFileOut]:
    """Each proposal and each policy file the report names, once each, proposals and their policies in order."""
    seen: dict[str, InputFileOut] = {}
    for result in report.results:
        files: list[tuple[str, Role]] = [(result.path, "proposal")]
        if result.policy is not None:
            files += [(policy, "policy") for policy in result.policy.files]
        for path, role in files:
            if path not in seen:
                seen[path] = InputFileOut(path=path, role=role, sha256=sha256_of(path))
    return list(seen.values())


def with_provenance(report: Report, *, argv: Sequence[str], catalog: str) -> Report:
    """The report with its evidence block."""
    provenance = ProvenanceOut(catalog=catalog, command=judging_command(argv), inputs=inputs_of(report))
    return report.model_copy(update={"provenance": provenance})
