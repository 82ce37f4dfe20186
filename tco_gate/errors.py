"""Findings and the error types that carry them: one error type per kind, mapped to exit codes by the CLI."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem in one file, pointed at a JSON pointer and, where the YAML has one, a 1-based line/column."""

    level: Level
    message: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None
    path: str = ""  # the file, when it is not the proposal the finding is reported under (its policy)

    def at(self, line: int | None, column: int | None) -> Finding:
        """The same finding, placed at a line and column."""
        return replace(self, line=line, column=column)

    def in_file(self, path: str) -> Finding:
        """The same finding, marked as found in `path`."""
        return replace(self, path=path)


class TcoGateError(Exception):
    """Base of every error tco-gate raises on purpose; anything else is an internal error (exit 3)."""


class InputError(TcoGateError):
    """A file that cannot be read, parsed or validated (exit 2). Carries every finding, not just the first."""

    def __init__(self, findings: list[Finding] | tuple[Finding, ...]) -> None:
        self.findings = tuple(findings)
        super().__init__("; ".join(f.message for f in self.findings))


class UsageError(TcoGateError):
    """The command line asked for something that cannot be done (exit 2)."""
