"""`--format github`: annotations GitHub pins to the proposal's lines, then the text report, inert. Pure.

Each finding becomes an annotation at its file, line and column; each exemption claim nobody approved a warning
at the claim's line; each verdict one more on the proposal (an error for an enforced failure, a warning for a
warned one, a notice otherwise), at most ten per level.
The text report follows between `::stop-commands::` markers, so nothing a proposal says is read as a command.
The step summary and the outputs are written by tco_gate/github/, which reads the runner's environment.

The runner reads a line of a step's stdout or stderr as a command when, trimmed, it starts with `::`
(or the older `##[`). Text from a proposal (its name, its values echoed in messages, its path) is
untrusted: it reaches the log only as escaped command data, or between `::stop-commands::TOKEN` and
`::TOKEN::`, where the runner reads no command at all. This module is the one home of that escaping.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from ..result import Outcome
from . import text
from .model import BaseOut, Report, ResultOut
from .parts import Fragment, whole

AnnotationLevel = Literal["error", "warning", "notice"]

# GitHub keeps at most 10 annotations of each level per step and drops the rest without a word.
ANNOTATIONS_PER_LEVEL = 10


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF escaped as the runner unescapes them, so it stays one line.

    `::` inside the text also gets a zero-width space between its colons: GitHub's runner ends the
    properties at the first `::`, but other parsers (act's) at the last one, and a proposal's text must
    not be able to move that boundary in any of them.
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace("::", ":\u200b:")


def escape_property(text: str) -> str:
    """A command property's value (file, title): as data, plus `:` and `,` that would end the property."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class Annotation:
    level: AnnotationLevel
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    title: str | None = None


def command(annotation: Annotation) -> str:
    """One `::error file=...,line=...,col=...,title=...::message` line (without its newline)."""
    properties: list[str] = []
    if annotation.file:
        properties.append(f"file={escape_property(annotation.file)}")
        if annotation.line is not None:
            properties.append(f"line={annotation.line}")
            if annotation.column is not None:
                properties.append(f"col={annotation.column}")
    if annotation.title:
        properties.append(f"title={escape_property(annotation.title)}")
    head = f"{annotation.level} {','.join(properties)}" if properties else annotation.level
    return f"::{head}::{escape_data(annotation.message)}"


def capped(annotations: Sequence[Annotation]) -> list[Annotation]:
    """At most ten per level, in order; when a level has more, its tenth says how many were left out."""
    kept: list[Annotation] = []
    for level in ("error", "warning", "notice"):
        same = [a for a in annotations if a.level == level]
        if len(same) <= ANNOTATIONS_PER_LEVEL:
            kept += same
            continue
        left_out = len(same) - (ANNOTATIONS_PER_LEVEL - 1)
        kept += same[: ANNOTATIONS_PER_LEVEL - 1]
        kept.append(
            Annotation(
                level,
                f"{left_out} more {level}s are not shown as annotations (GitHub keeps 10 per step); "
                "the job summary lists them all.",
                title="tco-gate",
            )
        )
    return kept


def quarantined(text: str, token: str | None = None) -> str:
    """`text` wrapped so the runner reads none of its lines as a command.

    The token is the text's own SHA-256 (so the same report prints the same bytes), or a random one if the
    text somehow holds it: either way the text cannot contain the line that ends the pause.
    """
    return "".join(quarantined_pieces(lambda: [text], token))


def quarantined_pieces(pieces: Callable[[], Iterable[str]], token: str | None = None) -> Iterator[str]:
    """`quarantined` of the text `pieces()` gives, a piece at a time: it is read through twice before it is
    written (once for its hash, once more for each token it might hold), so it is never held whole."""
    if not token:
        digest = hashlib.sha256()
        for piece in pieces():
            digest.update(piece.encode("utf-8"))
        token = digest.hexdigest()[:32]
    while _holds(pieces(), token):
        token = secrets.token_hex(16)
    yield f"::stop-commands::{token}\n"
    last = ""
    for piece in pieces():
        if piece:
            yield piece
            last = piece[-1]
    yield f"{'' if last in ('', chr(10)) else chr(10)}::{token}::\n"


def _holds(pieces: Iterable[str], token: str) -> bool:
    """Whether the text in `pieces` holds `token`, also across the place where two pieces meet."""
    carried = ""
    for piece in pieces:
        window = carried + piece
        if token in window:
            return True
        carried = window[-(len(token) - 1) :]
    return False


_VERDICT_LEVEL: dict[Outcome, AnnotationLevel] = {
    Outcome.FAIL: "error",
    Outcome.INVALID: "error",
    Outcome.WAIVED: "notice",
    Outcome.EXEMPT: "notice",
    Outcome.PASS: "notice",
}


def _repository_path(base: BaseOut | None, file: str) -> str:
    """A policy read from the base commit is shown as `REF:path`; an annotation needs the path."""
    if base is not None and file.startswith(f"{base.ref}:"):
        return file.removeprefix(f"{base.ref}:")
    return file


def _verdict(result: ResultOut) -> Annotation:
    level = _VERDICT_LEVEL[result.verdict]
    if result.verdict is Outcome.FAIL and not result.enforced:
        level = "warning"
    title = f"tco-gate: {result.name or result.path} {result.verdict.value}"
    words = "; ".join(reason.text for reason in result.reasons) or result.verdict.value
    return Annotation(level, words, file=result.path, line=1, title=title)


def _unapproved_claims(result: ResultOut) -> list[Annotation]:
    """A warning on the line of each exemption the proposal claims and nobody approved: the reviewer should see
    where a proposal exempts itself (or tries to), not only read it in the reasons."""
    found = []
    for claim in result.exemption_claims:
        if claim.approved_by is not None:
            continue
        if result.verdict is Outcome.EXEMPT:
            effect = "exempt on its author's word: the policy does not require approval (`exemptions.require_approval`)"
        else:
            effect = "not exempt: the policy requires an approval and none names this proposal, so the margin decides"
        found.append(
            Annotation(
                "warning",
                f"claims the {claim.kind} exemption ({claim.claim}), approved by nobody; {effect}",
                file=result.path,
                line=claim.line or 1,
                column=claim.column if claim.line else None,
                title=f"tco-gate: {result.name or result.path} unapproved exemption",
            )
        )
    return found


def to_annotations(report: Report) -> list[Annotation]:
    """Every finding and every verdict as an annotation, capped at GitHub's ten per level."""
    found = [annotation for result in report.results for annotation in _annotations_of(result, report.base)]
    return capped(found + _policy_annotations(report))


def _annotations_of(result: ResultOut, base: BaseOut | None) -> list[Annotation]:
    """One proposal's findings, its unapproved claims and its verdict, in that order."""
    found = [
        Annotation(
            finding.level,
            finding.message,
            file=_repository_path(base, finding.file),
            line=finding.line,
            column=finding.column,
            title=f"tco-gate: {result.name or result.path}",
        )
        for finding in result.findings
    ]
    return [*found, *_unapproved_claims(result), _verdict(result)]


def _policy_annotations(report: Report) -> list[Annotation]:
    """The findings about a policy file itself, after every proposal's."""
    return [
        Annotation(f.level, f.message, file=_repository_path(report.base, f.file), line=f.line, column=f.column)
        for f in report.findings
    ]


def render(report: Report) -> str:
    """The annotations' workflow commands, then the text report where no line is read as a command."""
    return whole(report, part, document)


@dataclass(frozen=True)
class Part:
    """One proposal's annotations and its block of the text report."""

    annotations: tuple[Annotation, ...]
    block: Fragment


def part(result: ResultOut, base: BaseOut | None) -> Part:
    return Part(tuple(_annotations_of(result, base)), text.part(result, base))


def document(shell: Report, parts: Sequence[Part]) -> Iterator[str]:
    found = [annotation for one in parts for annotation in one.annotations] + _policy_annotations(shell)
    yield "".join(command(annotation) + "\n" for annotation in capped(found))
    yield from quarantined_pieces(lambda: text.document(shell, [one.block for one in parts]))
