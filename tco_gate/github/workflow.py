"""Workflow commands, step outputs and the step summary, as GitHub's runner reads them. Pure text builders.

The runner reads a line of a step's stdout or stderr as a command when, trimmed, it starts with `::`
(or the older `##[`). Text from a proposal (its name, its values echoed in messages, its path) is
untrusted: it reaches the log only as escaped command data, or between `::stop-commands::TOKEN` and
`::TOKEN::`, where the runner reads no command at all.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

AnnotationLevel = Literal["error", "warning", "notice"]

# GitHub keeps at most 10 annotations of each level per step and drops the rest without a word.
ANNOTATIONS_PER_LEVEL = 10
# The step summary is refused whole (the step errors) past 1 MiB; stay clearly under it.
SUMMARY_LIMIT_BYTES = 1024 * 1024 - 4096


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
    token = token or hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    while token in text:
        token = secrets.token_hex(16)
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"::stop-commands::{token}\n{body}::{token}::\n"


def output_block(outputs: Mapping[str, str], delimiter: str | None = None) -> str:
    """Step outputs in GITHUB_OUTPUT's heredoc form, one random delimiter that no value contains."""
    joined = "\n".join([*outputs.keys(), *outputs.values()])
    while delimiter is None or delimiter in joined:
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
    return "".join(f"{name}<<{delimiter}\n{value}\n{delimiter}\n" for name, value in outputs.items())


def fit_summary(markdown: str, limit: int = SUMMARY_LIMIT_BYTES) -> str:
    """The summary as is, or cut at a line under `limit` bytes with a note saying so."""
    data = markdown.encode("utf-8")
    if len(data) <= limit:
        return markdown
    note = "\n\n> **The report was cut here:** GitHub keeps 1 MiB of step summary. `--format json` has it all.\n"
    room = limit - len(note.encode("utf-8"))
    cut = data[:room].decode("utf-8", errors="ignore")
    cut = cut[: cut.rfind("\n") + 1] if "\n" in cut else cut
    if sum(1 for line in cut.splitlines() if line.startswith("```")) % 2:
        cut += "```\n"  # close a chart cut in half, or the note would render as code
    return cut + note
