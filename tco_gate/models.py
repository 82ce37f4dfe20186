"""The proposal and the policy as pydantic models: the one source of truth for both JSON Schemas.

Strict everywhere (a quoted "3000" is not a number), unknown keys forbidden. Numbers arrive from the
loader as int or Decimal and are held as Decimal, so money is exact from the file to the ledger. The
upper bounds are not policy: they keep every later sum inside Decimal's range, whatever is written.
"""

# No `from __future__ import annotations` here: with it every annotation is a string that pydantic compiles
# and evaluates as it builds each class, on every run (about 3 ms of start-up for these models).

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, model_validator
from pydantic_core import PydanticCustomError

from .field_docs import EXAMPLES, attribute_doc, example_prefix, title
from .hidden_costs import FIELDS, HIDDEN_COSTS
from .placeholders import emptiness, visible_text
from .units import MAX_AMOUNT

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"


def _int_as_decimal(value: Any) -> Any:
    # Strict Decimal refuses ints; an integer written in YAML is still an exact number.
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


# The converter goes last so the bounds sit on the decimal schema itself (and so in the JSON Schema).
_AS_DECIMAL = BeforeValidator(_int_as_decimal)
Usd = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT), _AS_DECIMAL]
Hours = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT), _AS_DECIMAL]
Tokens = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT), _AS_DECIMAL]
Positive = Annotated[Decimal, Field(gt=0, le=MAX_AMOUNT), _AS_DECIMAL]
Fraction = Annotated[Decimal, Field(gt=0, le=1), _AS_DECIMAL]
OnFail = Literal["fail", "warn"]
LenientDate = Annotated[date, Strict(False)]  # the loader keeps dates as text; pydantic parses YYYY-MM-DD


def _shown(text: str) -> str:
    """Written text as a message may quote it: invisible characters by their code points."""
    return "".join(c if visible_text(c) or c == " " else f"U+{ord(c):04X}" for c in text)


def _visible(text: str) -> str:
    # `\S` lets a zero-width space through: a field that draws nothing is as empty as an empty one.
    if not visible_text(text):
        raise PydanticCustomError(
            "empty_text",
            "{message}",
            {"message": f"must not be empty (it holds only invisible characters: {_shown(text)})"},
        )
    return text


def _justified(text: str) -> str:
    # The words a reviewer reads before accepting a claim: a placeholder fills the field and says nothing.
    why = emptiness(text)
    if why is not None:
        message = f"`{_shown(text.strip())}` is not a justification ({why}): say why, in words a reviewer can check"
        raise PydanticCustomError("placeholder", "{message}", {"message": message})
    return text


NonEmptyText = Annotated[str, Field(min_length=1, pattern=r"\S"), AfterValidator(_visible)]
Justification = Annotated[str, Field(min_length=1, pattern=r"\S"), AfterValidator(_justified)]


def _annotate(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Each property's description (the docstring under its field), title with its unit and an example, for
    editors; hidden-cost fields say which one."""
    section = getattr(model, "SECTION", None)
    prefix = example_prefix(model.__name__)
    for key, field_schema in schema.get("properties", {}).items():
        field = model.model_fields.get(key)
        doc = attribute_doc(model, key) if field is not None and field.description is None else None
        if doc is not None:
            field_schema["description"] = doc
        field_schema["title"] = title(key)
        example = None if prefix is None else EXAMPLES.get(f"{prefix}.{key}" if prefix else key)
        if example is not None:
            field_schema["examples"] = [example]
        number = FIELDS.get(f"{section}.{key}")
        if number is not None:
            described = field_schema.get("description", "")
            field_schema["description"] = f"Hidden cost {number} ({HIDDEN_COSTS[number]}). {described}".strip()


class _Strict(BaseModel):
    # Attribute docstrings become the schema's descriptions, which editors show on hover. `_annotate` reads
    # them when a schema is generated; pydantic's `use_attribute_docstrings` would read every model's source
    # as the class is built, on every run (field_docs.attribute_doc says why that matters).
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        validate_default=True,
        frozen=True,
        json_schema_extra=_annotate,
    )
    SECTION: ClassVar[str | None] = None
    """The key this section is written under in a proposal, for the hidden-cost table."""


def _cross_field(field: str, message: str) -> PydanticCustomError:
    # The field name travels in the context so validation.py can point at that key, not its parent.
    return PydanticCustomError("cross_field", message, {"field": field})


class Workload(_Strict):
    requests_per_month: Annotated[Decimal, Field(ge=1, le=MAX_AMOUNT), _AS_DECIMAL]
    """Requests in the first month; at least 1 (a fraction of a request a month is a typo, not a workload)."""
    monthly_growth_pct: Annotated[Decimal, Field(gt=-100, le=1000), _AS_DECIMAL] = Decimal(0)
    """Compounding growth of requests a month, in percent; may be negative."""


class TokenPriced(_Strict):
    """A model billed per token: prices from the catalog or written out, and what one request uses.

    Prompting and the provider-hosted fine-tune share it, so both resolve prices the same way.
    """

    provider: NonEmptyText | None = None
    """genai-prices provider id (e.g. openai); with `model`, prices come from the catalog at `as_of`."""
    model: NonEmptyText | None = None
    """Model name in the genai-prices catalog (e.g. gpt-4.1-mini, ft:gpt-4o-mini-2024-07-18)."""
    input_usd_per_mtok: Usd | None = None
    """USD per million input tokens; overrides the catalog."""
    output_usd_per_mtok: Usd | None = None
    """USD per million output tokens; overrides the catalog."""
    cached_input_usd_per_mtok: Usd | None = None
    """USD per million cached input tokens; default: the catalog's cache-read price, else the input price."""
    input_tokens_per_request: Tokens
    """Input tokens a request, the cached part included."""
    cached_input_tokens_per_request: Tokens = Decimal(0)
    """Of the input tokens, how many are served from the provider's prompt cache."""
    output_tokens_per_request: Tokens
    """Output tokens a request."""

    @property
    def from_catalog(self) -> bool:
        """True when at least one price will be read from the genai-prices catalog."""
        return self.model is not None and (
            self.input_usd_per_mtok is None
            or self.output_usd_per_mtok is None
            or self.cached_input_usd_per_mtok is None
        )

    @model_validator(mode="after")
    def _check_prices(self) -> Self:
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


class Prompting(TokenPriced):
    """The hosted-model alternative."""

    SECTION = "prompting"

    price_decline_pct_per_year: Annotated[Decimal, Field(ge=0, lt=100), _AS_DECIMAL] | None = None
    """How much cheaper the hosted price gets each year, in percent."""
    setup_eng_hours: Hours = Decimal(0)
    """One-off prompt engineering, in hours."""
    monthly_eng_hours: Hours = Decimal(0)
    """Prompt upkeep and its evals, hours a month."""
    batch_share_pct: Annotated[Decimal, Field(ge=0, le=100), _AS_DECIMAL] = Decimal(0)
    """Share of requests sent through the provider's batch API, in percent."""
    batch_discount_pct: Annotated[Decimal, Field(ge=0, lt=100), _AS_DECIMAL] = Decimal(50)
    """The batch API's discount on usage, in percent."""
    model_lifecycle_months: Annotated[int, Field(ge=1, le=1200)] | None = None
    """Months until the hosted model is retired and prompts migrate; absent: never. Prompting's own lock-in."""
    migration_eng_hours: Hours = Decimal(0)
    """Prompt migration and re-evaluation at each retirement of the hosted model, in hours."""


ServingKind = Literal["flat", "decode", "prefill", "measured", "hosted"]
# What one GPU sustains, in the contract's three forms; each key's form, for the messages.
_DECODE = ("output_tokens_per_request", "output_tokens_per_second_per_gpu")
_PREFILL = ("input_tokens_per_request", "input_tokens_per_second_per_gpu")
_MEASURED = "requests_per_second_per_gpu"


class Serving(_Strict):
    gpu_hourly_usd: Usd
    """USD an hour for one GPU."""
    output_tokens_per_request: Tokens | None = None
    """Output tokens the fine-tuned model generates a request (decode)."""
    output_tokens_per_second_per_gpu: Positive | None = None
    """Sustained output tokens a second one GPU serves (decode throughput)."""
    input_tokens_per_request: Tokens | None = None
    """The fine-tuned model's own prompt a request (prefill); with `input_tokens_per_second_per_gpu`."""
    input_tokens_per_second_per_gpu: Positive | None = None
    """Prompt tokens a second one GPU processes (prefill throughput); with `input_tokens_per_request`."""
    requests_per_second_per_gpu: Positive | None = None
    """Requests a second one GPU sustains, measured in a load test; instead of the token keys."""
    target_utilization_pct: Annotated[Decimal, Field(gt=0, le=100), _AS_DECIMAL] = Decimal(60)
    """How busy a GPU may run at peak, in percent."""
    peak_to_average: Annotated[Decimal, Field(ge=1, le=1000), _AS_DECIMAL] = Decimal(1)
    """Peak traffic over the monthly average."""
    failover_gpus: Annotated[int, Field(ge=0, le=10_000)] = 1
    """Spare GPUs kept for failover, on top of what the peak needs."""
    min_gpus: Annotated[int, Field(ge=1, le=10_000)] = 1
    """Fewest GPUs serving, however low the traffic."""

    @property
    def form(self) -> Literal["decode", "prefill", "measured"]:
        """Which of the three ways the GPU's capacity is given."""
        if self.requests_per_second_per_gpu is not None:
            return "measured"
        return "prefill" if self.input_tokens_per_request is not None else "decode"

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        written = [key for key in (*_DECODE, *_PREFILL) if getattr(self, key) is not None]
        if self.requests_per_second_per_gpu is not None:
            if written:
                raise _cross_field(
                    written[0],
                    f"`{written[0]}` cannot go with `{_MEASURED}`: a measured request rate already "
                    "includes every token; give either the request rate or the token keys",
                )
            return self
        for pair in (_DECODE, _PREFILL):
            present = [key for key in pair if key in written]
            if len(present) == 1:
                other = next(key for key in pair if key not in present)
                raise _cross_field(present[0], f"`{present[0]}` needs `{other}`: give both or neither")
        if not written:
            raise _cross_field(
                _DECODE[0],
                f"say what one GPU sustains: `{_DECODE[0]}` and `{_DECODE[1]}` (plus `{_PREFILL[0]}` and "
                f"`{_PREFILL[1]}` for the prompt), or a measured `{_MEASURED}`",
            )
        if _PREFILL[0] in written and _DECODE[0] not in written:
            raise _cross_field(
                _PREFILL[0],
                f"`{_PREFILL[0]}` adds the prompt to decoding: give `{_DECODE[0]}` and `{_DECODE[1]}` too",
            )
        return self


class HostedFinetune(TokenPriced):
    """A fine-tuned model served by a provider and billed per token (no GPUs of your own)."""

    monthly_hosting_usd: Usd = Decimal(0)
    """The provider's fee for keeping the fine-tuned model deployed, USD a month."""


class Finetune(_Strict):
    SECTION = "finetune"

    base_model: NonEmptyText
    """The model fine-tuned, e.g. meta-llama/Llama-3.1-8B-Instruct."""
    training_run_usd: Usd
    """Compute for one training run, in USD; also the cost of each retrain."""
    data_labeling_usd: Usd = Decimal(0)
    """One-off labelling, in USD."""
    eval_set_build_hours: Hours | None = None
    """Expert hours to build the eval set, once."""
    monthly_eval_hours: Hours = Decimal(0)
    """Eval set upkeep, hours a month."""
    retrains_per_year: Annotated[int, Field(ge=0, le=365)] | None = None
    """Retraining runs a year."""
    retrain_eng_hours: Hours = Decimal(0)
    """People time for each retrain, in hours."""
    monthly_serving_usd: Usd | None = None
    """GPUs, autoscaling and failover at a flat USD a month. One of this, `serving` or `hosted`."""
    serving: Serving | None = None
    """GPU serving sized from the workload. One of this, `monthly_serving_usd` or `hosted`."""
    hosted: HostedFinetune | None = None
    """A provider serves the fine-tuned model per token. One of this, `serving` or `monthly_serving_usd`."""
    monthly_eng_hours: Hours | None = None
    """On-call, debugging and operations, hours a month."""
    monthly_monitoring_usd: Usd = Decimal(0)
    """Monitoring, USD a month."""
    base_model_lifecycle_months: Annotated[int, Field(ge=1, le=1200)] | None = None
    """Months until the base model is deprecated and you rebuild."""
    rebuild_usd: Usd | None = None
    """Compute for one forced rebuild, in USD; default: `training_run_usd`."""
    rebuild_eng_hours: Hours = Decimal(0)
    """People time for each forced rebuild, in hours."""

    @property
    def serving_kind(self) -> ServingKind:
        """How serving is costed: flat, sized in one of the three forms, or hosted by a provider."""
        if self.serving is not None:
            return self.serving.form
        return "hosted" if self.hosted is not None else "flat"

    @model_validator(mode="after")
    def _one_serving_kind(self) -> Self:
        written = [key for key in _SERVING_KINDS if getattr(self, key) is not None]
        if len(written) != 1:
            named = " and ".join(f"`{key}`" for key in written)
            found = {0: "none is written", 2: f"both are written: {named}"}.get(len(written), "all three are written")
            raise _cross_field(
                written[-1] if written else "monthly_serving_usd",
                "give exactly one of `monthly_serving_usd` (flat), `serving` (sized from the workload) "
                f"and `hosted` (a provider serves the fine-tune); {found}",
            )
        return self


_SERVING_KINDS = ("monthly_serving_usd", "serving", "hosted")


class Evaluation(_Strict):
    SECTION = "evaluation"

    eval_set: NonEmptyText
    """The eval set both options were scored on."""
    finetune_accuracy: Fraction
    """The fine-tuned model's score on it, in (0, 1]."""
    prompting_accuracy: Fraction
    """The hosted model's score on it, in (0, 1]."""
    prompting_accuracy_gain_per_year: Annotated[Decimal, Field(ge=0, le=1), _AS_DECIMAL] = Decimal(0)
    """Quality: the hosted model's expected accuracy gain on this eval set a year."""


class Constraints(_Strict):
    data_residency: Justification | None = None
    """Why the data cannot go to a hosted provider: a justification a reviewer can check (not `n/a`)."""
    max_latency_ms: Positive | None = None
    """The end-to-end latency the product needs, in milliseconds."""


class Proposal(_Strict):
    """A team's `finetune-proposal.yml`, version 1."""

    version: Literal[1]
    """Format version: 1."""
    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    """The proposal's id in reports and waivers."""
    owner: NonEmptyText
    """The team that owns the fine-tuned model, e.g. @acme/support-ml."""
    summary: str | None = None
    """One line on what is fine-tuned and why."""
    as_of: LenientDate | None = None
    """The date catalog prices are read at; required when a price comes from the catalog."""
    workload: Workload
    prompting: Prompting
    finetune: Finetune
    evaluation: Evaluation | None = None
    constraints: Constraints | None = None

    @model_validator(mode="after")
    def _as_of_for_catalog(self) -> Self:
        hosted = self.finetune.hosted
        if (self.prompting.from_catalog or (hosted is not None and hosted.from_catalog)) and self.as_of is None:
            raise _cross_field(
                "as_of",
                "`as_of` is required when a price comes from the catalog: it is the "
                "date the catalog's prices are read at",
            )
        return self


class Exemptions(_Strict):
    data_residency: bool = True
    """Exempt a proposal that states a data-residency constraint."""
    latency_under_ms: Literal[False] | Positive = Decimal(50)
    """Exempt a proposal whose required latency is below this many ms; false turns it off."""
    accuracy_gap_pct: Literal[False] | Annotated[Decimal, Field(ge=0, le=100), _AS_DECIMAL] = Decimal(10)
    """Exempt when prompting's relative accuracy shortfall exceeds this percentage; false turns it off."""
    require_approval: bool = False
    """Only an approval in the policy's `approvals` turns a proposal's exemption claim into `exempt`."""


ExemptionKind = Literal["data-residency", "latency", "accuracy-gap"]


class Approval(_Strict):
    proposal: Annotated[str, Field(pattern=NAME_PATTERN)]
    """The proposal's `name`."""
    exemption: ExemptionKind
    """Which exemption claim is approved."""
    reason: Justification
    """Why, e.g. the review that approved it."""
    approved_by: NonEmptyText
    """Who approved it."""
    expires: LenientDate
    """The last day (UTC) the approval holds."""


class Waiver(_Strict):
    proposal: Annotated[str, Field(pattern=NAME_PATTERN)]
    """The waived proposal's `name`."""
    reason: Justification
    """Why, e.g. the review that approved it."""
    approved_by: NonEmptyText
    """Who approved it."""
    expires: LenientDate
    """The last day (UTC) the waiver holds."""


class Policy(_Strict):
    """The reviewers' `.tco-gate.yml`, version 1. A proposal can set none of it."""

    version: Literal[1] = 1
    """Format version: 1."""
    horizon_months: Annotated[int, Field(ge=1, le=120)] = 24
    """Months both options are costed over."""
    min_savings_pct: Annotated[Decimal, Field(ge=-1000, le=100), _AS_DECIMAL] = Decimal(10)
    """Fine-tuning must cost at least this much less than prompting, in percent."""
    hourly_rate_usd: Usd = Decimal(150)
    """Loaded cost of one engineering hour, in USD."""
    discount_rate_pct_per_year: Annotated[Decimal, Field(ge=0, le=100), _AS_DECIMAL] = Decimal(0)
    """Yearly discount rate for net present value, in percent."""
    require_hidden_costs: bool = True
    """Fail a proposal that leaves out a hidden-cost field."""
    min_confidence_pct: Annotated[Decimal, Field(gt=0, le=100), _AS_DECIMAL] | None = None
    """With ranges in a proposal, a pass also needs this share of Monte Carlo draws to save the margin, in %."""
    exemptions: Exemptions = Field(default_factory=Exemptions)
    on_fail: OnFail = "fail"
    """`fail` fails the build; `warn` reports the failure and exits 0."""
    waivers: list[Waiver] = Field(default_factory=list)
    """Proposals let through until a date, with who approved it and why."""
    approvals: list[Approval] = Field(default_factory=list)
    """Exemption claims approved by the reviewers (needed when `exemptions.require_approval` is true)."""
