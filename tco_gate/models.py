"""The proposal and the policy as pydantic models: the one source of truth for both JSON Schemas.

Strict everywhere (a quoted "3000" is not a number), unknown keys forbidden. Numbers arrive from the
loader as int or Decimal and are held as Decimal, so money is exact from the file to the ledger. The
upper bounds are not policy: they keep every later sum inside Decimal's range, whatever is written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, model_validator
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

SCHEMA_BASE_URL = "https://raw.githubusercontent.com/tco-gate/tco-gate/main/schemas/"
NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
_BIG = 10**12  # a trillion dollars, hours, tokens or requests a month: far past any real proposal


def _int_as_decimal(value: Any) -> Any:
    # Strict Decimal refuses ints; an integer written in YAML is still an exact number.
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


# The converter goes last so the bounds sit on the decimal schema itself (and so in the JSON Schema).
_AS_DECIMAL = BeforeValidator(_int_as_decimal)
Usd = Annotated[Decimal, Field(ge=0, le=_BIG), _AS_DECIMAL]
Hours = Annotated[Decimal, Field(ge=0, le=_BIG), _AS_DECIMAL]
Tokens = Annotated[Decimal, Field(ge=0, le=_BIG), _AS_DECIMAL]
Positive = Annotated[Decimal, Field(gt=0, le=_BIG), _AS_DECIMAL]
Fraction = Annotated[Decimal, Field(gt=0, le=1), _AS_DECIMAL]
LenientDate = Annotated[date, Strict(False)]  # the loader keeps dates as text; pydantic parses YYYY-MM-DD
NonEmptyText = Annotated[str, Field(min_length=1, pattern=r"\S")]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", validate_default=True, frozen=True)


def _cross_field(field: str, message: str) -> PydanticCustomError:
    # The field name travels in the context so validation.py can point at that key, not its parent.
    return PydanticCustomError("cross_field", message, {"field": field})


class Workload(_Strict):
    requests_per_month: Positive
    monthly_growth_pct: Annotated[Decimal, Field(gt=-100, le=1000), _AS_DECIMAL] = Decimal(0)


class Prompting(_Strict):
    provider: NonEmptyText | None = None
    model: NonEmptyText | None = None
    input_usd_per_mtok: Usd | None = None
    output_usd_per_mtok: Usd | None = None
    cached_input_usd_per_mtok: Usd | None = None
    input_tokens_per_request: Tokens
    cached_input_tokens_per_request: Tokens = Decimal(0)
    output_tokens_per_request: Tokens
    price_decline_pct_per_year: Annotated[Decimal, Field(ge=0, lt=100), _AS_DECIMAL] | None = None
    setup_eng_hours: Hours = Decimal(0)
    monthly_eng_hours: Hours = Decimal(0)

    @property
    def from_catalog(self) -> bool:
        """True when at least one price will be read from the genai-prices catalog."""
        return self.model is not None and (
            self.input_usd_per_mtok is None
            or self.output_usd_per_mtok is None
            or self.cached_input_usd_per_mtok is None
        )

    @model_validator(mode="after")
    def _check(self) -> Prompting:
        if (self.provider is None) != (self.model is None):
            missing = "model" if self.model is None else "provider"
            raise _cross_field(
                missing, "`provider` and `model` go together: write both, or neither and give every price explicitly"
            )
        if self.model is None:
            for price in ("input_usd_per_mtok", "output_usd_per_mtok"):
                if getattr(self, price) is None:
                    raise _cross_field(
                        price,
                        f"`{price}` is required when no `provider`/`model` is given "
                        "to look the price up in the catalog",
                    )
        if self.cached_input_tokens_per_request > self.input_tokens_per_request:
            raise _cross_field(
                "cached_input_tokens_per_request",
                f"`cached_input_tokens_per_request` ({self.cached_input_tokens_per_request}) cannot exceed "
                f"`input_tokens_per_request` ({self.input_tokens_per_request}): the cached part is included in it",
            )
        return self


class Serving(_Strict):
    gpu_hourly_usd: Usd
    output_tokens_per_request: Tokens
    output_tokens_per_second_per_gpu: Positive
    target_utilization_pct: Annotated[Decimal, Field(gt=0, le=100), _AS_DECIMAL] = Decimal(60)
    peak_to_average: Annotated[Decimal, Field(ge=1, le=1000), _AS_DECIMAL] = Decimal(1)
    failover_gpus: Annotated[int, Field(ge=0, le=10_000)] = 1
    min_gpus: Annotated[int, Field(ge=1, le=10_000)] = 1


class Finetune(_Strict):
    base_model: NonEmptyText
    training_run_usd: Usd
    data_labeling_usd: Usd = Decimal(0)
    eval_set_build_hours: Hours | None = None
    monthly_eval_hours: Hours = Decimal(0)
    retrains_per_year: Annotated[int, Field(ge=0, le=365)] | None = None
    retrain_eng_hours: Hours = Decimal(0)
    monthly_serving_usd: Usd | None = None
    serving: Serving | None = None
    monthly_eng_hours: Hours | None = None
    monthly_monitoring_usd: Usd = Decimal(0)
    base_model_lifecycle_months: Annotated[int, Field(ge=1, le=1200)] | None = None
    rebuild_usd: Usd | None = None
    rebuild_eng_hours: Hours = Decimal(0)

    @model_validator(mode="after")
    def _one_serving_kind(self) -> Finetune:
        if (self.monthly_serving_usd is None) == (self.serving is None):
            both = self.serving is not None
            raise _cross_field(
                "serving" if both else "monthly_serving_usd",
                "give exactly one of `monthly_serving_usd` (flat) and `serving` (sized from the "
                "workload); " + ("both are written" if both else "neither is written"),
            )
        return self


class Evaluation(_Strict):
    eval_set: NonEmptyText
    finetune_accuracy: Fraction
    prompting_accuracy: Fraction


class Constraints(_Strict):
    data_residency: NonEmptyText | None = None
    max_latency_ms: Positive | None = None


class Proposal(_Strict):
    """A team's `finetune-proposal.yml`, version 1."""

    version: Literal[1]
    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    owner: NonEmptyText
    summary: str | None = None
    as_of: LenientDate | None = None
    workload: Workload
    prompting: Prompting
    finetune: Finetune
    evaluation: Evaluation | None = None
    constraints: Constraints | None = None

    @model_validator(mode="after")
    def _as_of_for_catalog(self) -> Proposal:
        if self.prompting.from_catalog and self.as_of is None:
            raise _cross_field(
                "as_of",
                "`as_of` is required when a price comes from the catalog: it is the "
                "date the catalog's prices are read at",
            )
        return self


class Exemptions(_Strict):
    data_residency: bool = True
    latency_under_ms: Literal[False] | Positive = Decimal(50)
    accuracy_gap_pct: Literal[False] | Annotated[Decimal, Field(ge=0, le=100), _AS_DECIMAL] = Decimal(10)


class Waiver(_Strict):
    proposal: Annotated[str, Field(pattern=NAME_PATTERN)]
    reason: NonEmptyText
    approved_by: NonEmptyText
    expires: LenientDate


class Policy(_Strict):
    """The reviewers' `.tco-gate.yml`, version 1. A proposal can set none of it."""

    version: Literal[1] = 1
    horizon_months: Annotated[int, Field(ge=1, le=120)] = 24
    min_savings_pct: Annotated[Decimal, Field(ge=-1000, le=100), _AS_DECIMAL] = Decimal(10)
    hourly_rate_usd: Usd = Decimal(150)
    discount_rate_pct_per_year: Annotated[Decimal, Field(ge=0, le=100), _AS_DECIMAL] = Decimal(0)
    require_hidden_costs: bool = True
    exemptions: Exemptions = Field(default_factory=Exemptions)
    on_fail: Literal["fail", "warn"] = "fail"
    waivers: list[Waiver] = Field(default_factory=list)


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


def json_schema(model: type[BaseModel], file_name: str) -> dict[str, Any]:
    """The Draft 2020-12 JSON Schema of a model, with the `$id` it is published under."""
    generated = model.model_json_schema(schema_generator=SchemaGenerator)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_BASE_URL + file_name, **generated}
