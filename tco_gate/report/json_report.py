"""`--format json`: the report model as JSON, two-space indented, keys in the model's order."""

from __future__ import annotations

import json

from .model import Report


def render(report: Report) -> str:
    """The versioned JSON report (schema: schemas/report.schema.json), ending in a newline."""
    data = report.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
