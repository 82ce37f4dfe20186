"""The plain format for any other eval tool: JSON Lines, one `{"id": ..., "correct": true}` (or false) per example."""

from __future__ import annotations

from ..errors import Finding
from .jsontext import parse_json_lines
from .pairing import Outcomes, OutcomesBuilder, Place


def read_jsonl(data: bytes, path: str) -> Outcomes:
    """One system's per-example results; every line needs an `id` and a boolean `correct`."""
    builder = OutcomesBuilder(path)
    for line in parse_json_lines(data, path):
        if not isinstance(line.data, dict) or "id" not in line.data or "correct" not in line.data:
            raise line.error([], 'each line must be an object {"id": ..., "correct": true|false}')
        correct = line.data["correct"]
        if not isinstance(correct, bool):
            raise line.error(["correct"], f"`correct` must be true or false, not {correct!r}")
        builder.add(line.data["id"], correct, Place(line, ("id",)))
    return builder.build(Finding("error", "the file holds no examples: an empty eval is no evidence", path=path))
