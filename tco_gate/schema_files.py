"""The JSON Schemas tco-gate publishes: which model each is generated from and its file name.

The one table the `schema` command, the validator's `$id` and the drift tests read.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .analysis.ranges import with_ranges
from .models import Policy, Proposal
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


@cache
def published_schema(name: str) -> dict[str, Any]:
    """The schema file `name` as shipped in the package: byte for byte what `schema_text` generates (a test
    fails on drift), and reading it costs a fraction of generating it."""
    schema: dict[str, Any] = json.loads((Path(__file__).parent / "schemas" / name).read_text(encoding="utf-8"))
    return schema


def schema_text(kind: str) -> str:
    """A JSON Schema as committed under schemas/: two-space indented, with a final newline."""
    model, name = SCHEMAS[kind]
    schema = json_schema(model, name)
    if model is Proposal:  # editors accept `{low, likely, high}` wherever a number goes
        schema = with_ranges(schema)
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


class SchemaGenerator(GenerateJsonSchema):
    """Draft 2020-12 schemas as editors and jsonschema should see them.

    pydantic describes Decimal as "number or numeric string"; here a number must be a number.
    """

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        json_schema: JsonSchemaValue = {"type": "number"}
        self.update_with_validations(json_schema, schema, self.ValidationsMapping.numeric)
        return json_schema

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        json_schema = super().default_schema(schema)
        default = schema.get("default")
        if isinstance(default, Decimal):  # pydantic writes a Decimal default as text; show the number it is
            json_schema["default"] = int(default) if default == default.to_integral_value() else float(default)
        return json_schema

    def encode_default(self, dft: Any) -> Any:
        # pydantic builds a TypeAdapter (a validator and a serializer) to encode each default, about 50 of
        # them a proposal schema, and the decision analysis generates that schema on every costed check.
        # JSON's own kinds encode as themselves; a Decimal's encoding is replaced in default_schema.
        if dft is None or isinstance(dft, bool | int | str | Decimal):
            return dft
        return super().encode_default(dft)


def json_schema(model: type[BaseModel], file_name: str) -> dict[str, Any]:
    """The Draft 2020-12 JSON Schema of a model.

    Its `$id` is the bare file name, a reference relative to wherever the file is read from: the installed
    package (`tco-gate schema --path`) or `schemas/` in a clone. It resolves to the file itself in every copy,
    and names no host: the project has no published home to point at.
    """
    generated = model.model_json_schema(schema_generator=SchemaGenerator)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": file_name, **generated}


def installed_schema(kind: str) -> Path:
    """The schema of `kind` as shipped inside the installed package: the file editors are pointed at."""
    return Path(__file__).parent / "schemas" / SCHEMAS[kind][1]
