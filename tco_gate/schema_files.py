"""The JSON Schemas tco-gate publishes: which model each is generated from and its file name.

The one table the `schema` command, the validator's `$id` and the drift tests read.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from .models import Policy, Proposal, json_schema
from .report.model import Report

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "proposal": (Proposal, "finetune-proposal.schema.json"),
    "policy": (Policy, "policy.schema.json"),
    "report": (Report, "report.schema.json"),
}


def file_name(model: type[BaseModel]) -> str:
    """The file a model's schema is published as."""
    (name,) = [name for published, name in SCHEMAS.values() if published is model]
    return name


def schema_text(kind: str) -> str:
    """A JSON Schema as committed under schemas/: two-space indented, with a final newline."""
    model, name = SCHEMAS[kind]
    return json.dumps(json_schema(model, name), indent=2, ensure_ascii=False) + "\n"
