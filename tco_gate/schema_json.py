"""Pure: a pydantic model -> its Draft 2020-12 JSON Schema, as editors and jsonschema should see it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema


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
        # them a proposal schema. JSON's own kinds encode as themselves; a Decimal's encoding is replaced in
        # default_schema.
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
