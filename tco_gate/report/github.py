"""`--format github`: annotations GitHub pins to the proposal's lines, then the text report, inert. Pure.

Each finding becomes an annotation at its file, line and column; each verdict one more on the proposal
(an error for an enforced failure, a warning for a warned one, a notice otherwise), at most ten per level.
The text report follows between `::stop-commands::` markers, so nothing a proposal says is read as a command.
The step summary and the outputs are written by tco_gate/github/, which reads the runner's environment.
"""

from __future__ import annotations

from ..github.workflow import Annotation, AnnotationLevel, capped, command, quarantined
from ..result import Outcome
from . import text
from .model import Report, ResultOut

_VERDICT_LEVEL: dict[Outcome, AnnotationLevel] = {
    Outcome.FAIL: "error",
    Outcome.INVALID: "error",
    Outcome.WAIVED: "notice",
    Outcome.EXEMPT: "notice",
    Outcome.PASS: "notice",
}


def _repository_path(report: Report, file: str) -> str:
    """A policy read from the base commit is shown as `REF:path`; an annotation needs the path."""
    if report.base is not None and file.startswith(f"{report.base.ref}:"):
        return file.removeprefix(f"{report.base.ref}:")
    return file


def _verdict(result: ResultOut) -> Annotation:
    level = _VERDICT_LEVEL[result.verdict]
    if result.verdict is Outcome.FAIL and not result.enforced:
        level = "warning"
    title = f"tco-gate: {result.name or result.path} {result.verdict.value}"
    words = "; ".join(reason.text for reason in result.reasons) or result.verdict.value
    return Annotation(level, words, file=result.path, line=1, title=title)


def to_annotations(report: Report) -> list[Annotation]:
    """Every finding and every verdict as an annotation, capped at GitHub's ten per level."""
    found: list[Annotation] = []
    for result in report.results:
        for finding in result.findings:
            found.append(
                Annotation(
                    finding.level,
                    finding.message,
                    file=_repository_path(report, finding.file),
                    line=finding.line,
                    column=finding.column,
                    title=f"tco-gate: {result.name or result.path}",
                )
            )
        found.append(_verdict(result))
    return capped(found)


def render(report: Report) -> str:
    """The annotations' workflow commands, then the text report where no line is read as a command."""
    commands = "".join(command(annotation) + "\n" for annotation in to_annotations(report))
    return commands + quarantined(text.render(report))
