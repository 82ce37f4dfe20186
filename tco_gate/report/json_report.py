"""`--format json`: the report model as JSON, two-space indented, keys in the model's order."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from .model import BaseOut, Report, ResultOut
from .parts import Fragment, indented, json_items, whole


def render(report: Report) -> str:
    """The versioned JSON report (schema: schemas/report.schema.json), ending in a newline."""
    return whole(report, part, document)


def part(result: ResultOut, base: BaseOut | None) -> Fragment:
    """One entry of `results`, as deep as the document nests it."""
    return Fragment.of(indented(_dumps(result.model_dump(mode="json", by_alias=True)), 4))


def document(shell: Report, parts: Sequence[Fragment]) -> Iterator[str]:
    """The report's keys in order, with each proposal's entry where `results` is."""
    text = _dumps(shell.model_dump(mode="json", by_alias=True)) + "\n"
    # The shell's `results` is the one key at the top level whose value is `[]` (a string value cannot hold
    # a raw newline, so this line is never inside one).
    head, found, tail = text.partition('\n  "results": []')
    assert found, "the report's `results` key"
    yield head + '\n  "results": '
    yield from json_items((p.text() for p in parts), spaces=4)
    yield tail


def _dumps(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
