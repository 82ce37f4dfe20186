"""The proposal and the policy as pydantic models: the one source of truth for both JSON Schemas.

Strict everywhere (a quoted "3000" is not a number), unknown keys forbidden. Numbers arrive from the
loader as int or Decimal and are held as Decimal, so money is exact from the file to the ledger. The
upper bounds are not policy: they keep every later sum inside Decimal's range, whatever is written.
"""

# No `from __future__ import annotations` here: with it every annotation is a string that pydantic compiles
# and evaluates as it builds each class, on every run (about 3 ms of start-up for these models).

from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import Field, field_validator, model_validator

from .evidence_model import Bound, Evidence, PolicyEvidence, PriceRule, numeric_paths
from .model_base import (
    AS_DECIMAL,
    DeclinePct,
    Fraction,
    Hours,
    Justification,
    LenientDate,
    NonEmptyText,
    Positive,
    StrictModel,
    Tokens,
    Usd,
    cross_field,
)
from .result import ExemptionKind
from .serving_model import Committed, Serving
from .units import MAX_AMOUNT

__all__ = ["Committed", "Serving"]  # the serving section's models, importable from here with the rest

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
OnFail = Literal["fail", "warn"]


class Workload(StrictModel):
    EVIDENCE_SUPPLIES = ("requests_per_month",)
    EVIDENCE_KIND = "usage"

    requests_per_month: Annotated[Decimal, Field(ge=1, le=MAX_AMOUNT), AS_DECIMAL]
    """Requests in the first month, at least 1; required unless `evidence.usage` measures it."""
    monthly_growth_pct: Annotated[Decimal, Field(gt=-100, le=1000), AS_DECIMAL] = Decimal(0)
    """Compounding growth of requests a month, in percent; may be negative."""


class TokenPriced(StrictModel):
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
            raise cross_field(
                missing, "`provider` and `model` go together: write both, or neither and give every price explicitly"
            )
        if self.model is None:
            for price in ("input_usd_per_mtok", "output_usd_per_mtok"):
                if getattr(self, price) is None:
                    raise cross_field(
                        price,
                        f"`{price}` is required when no `provider`/`model` is given "
                        "to look the price up in the catalog",
                    )
        if self.cached_input_tokens_per_request > self.input_tokens_per_request:
            raise cross_field(
                "cached_input_tokens_per_request",
                f"`cached_input_tokens_per_request` ({self.cached_input_tokens_per_request}) cannot exceed "
                f"`input_tokens_per_request` ({self.input_tokens_per_request}): the cached part is included in it",
            )
        return self


class Prompting(TokenPriced):
    """The hosted-model alternative."""

    SECTION = "prompting"
    EVIDENCE_SUPPLIES = ("input_tokens_per_request", "output_tokens_per_request")
    EVIDENCE_KIND = "usage"

    price_decline_pct_per_year: DeclinePct | None = None
    """How much cheaper the hosted price gets each year, in percent."""
    setup_eng_hours: Hours = Decimal(0)
    """One-off prompt engineering, in hours."""
    monthly_eng_hours: Hours = Decimal(0)
    """Prompt upkeep and its evals, hours a month."""
    batch_share_pct: Annotated[Decimal, Field(ge=0, le=100), AS_DECIMAL] = Decimal(0)
    """Share of requests sent through the provider's batch API, in percent."""
    batch_discount_pct: Annotated[Decimal, Field(ge=0, lt=100), AS_DECIMAL] = Decimal(50)
    """The batch API's discount on usage, in percent."""
    model_lifecycle_months: Annotated[int, Field(ge=1, le=1200)] | None = None
    """Months until the hosted model is retired and prompts migrate; absent: never. Prompting's own lock-in."""
    migration_eng_hours: Hours = Decimal(0)
    """Prompt migration and re-evaluation at each retirement of the hosted model, in hours."""


ServingKind = Literal["flat", "decode", "prefill", "measured", "hosted"]


class HostedFinetune(TokenPriced):
    """A fine-tuned model served by a provider and billed per token (no GPUs of your own)."""

    monthly_hosting_usd: Usd = Decimal(0)
    """The provider's fee for keeping the fine-tuned model deployed, USD a month."""
    price_decline_pct_per_year: DeclinePct = Decimal(0)
    """How much cheaper the provider makes fine-tuned models' per-token prices each year, in percent."""


class Finetune(StrictModel):
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
            raise cross_field(
                written[-1] if written else "monthly_serving_usd",
                "give exactly one of `monthly_serving_usd` (flat), `serving` (sized from the workload) "
                f"and `hosted` (a provider serves the fine-tune); {found}",
            )
        return self


_SERVING_KINDS = ("monthly_serving_usd", "serving", "hosted")


class Evaluation(StrictModel):
    SECTION = "evaluation"
    EVIDENCE_SUPPLIES = ("eval_set", "finetune_accuracy", "prompting_accuracy")
    EVIDENCE_KIND = "eval"

    eval_set: NonEmptyText
    """The eval set both options were scored on; default with `evidence.eval`: its files."""
    finetune_accuracy: Fraction
    """The fine-tuned model's score on it, in (0, 1]; required unless `evidence.eval` measures it."""
    prompting_accuracy: Fraction
    """The hosted model's score on it, in (0, 1]; required unless `evidence.eval` measures it."""
    prompting_accuracy_gain_per_year: Annotated[Decimal, Field(ge=0, le=1), AS_DECIMAL] = Decimal(0)
    """Quality: the hosted model's expected accuracy gain on this eval set a year."""
    cost_per_error_usd: Usd = Decimal(0)
    """What one wrong answer costs (an escalation, a refund, rework), in USD; each option pays it on its errors."""


# Each key evidence may supply, by the kind of evidence that measures it: `evidence.<kind>` in a proposal.
EVIDENCE_KINDS = {
    key: model.EVIDENCE_KIND for model in (Workload, Prompting, Evaluation) for key in model.EVIDENCE_SUPPLIES
}


class Constraints(StrictModel):
    data_residency: Justification | None = None
    """Why the data cannot go to a hosted provider: a justification a reviewer can check (not `n/a`)."""
    max_latency_ms: Positive | None = None
    """The end-to-end latency the product needs, in milliseconds."""


class Proposal(StrictModel):
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
    evidence: Evidence | None = None

    @model_validator(mode="after")
    def _as_of_for_catalog(self) -> Self:
        hosted = self.finetune.hosted
        if (self.prompting.from_catalog or (hosted is not None and hosted.from_catalog)) and self.as_of is None:
            raise cross_field(
                "as_of",
                "`as_of` is required when a price comes from the catalog: it is the "
                "date the catalog's prices are read at",
            )
        return self


class Exemptions(StrictModel):
    data_residency: bool = True
    """Exempt a proposal that states a data-residency constraint."""
    latency_under_ms: Literal[False] | Positive = Decimal(50)
    """Exempt a proposal whose required latency is below this many ms; false turns it off."""
    accuracy_gap_pct: Literal[False] | Annotated[Decimal, Field(ge=0, le=100), AS_DECIMAL] = Decimal(10)
    """Exempt when prompting's relative accuracy shortfall exceeds this percentage; false turns it off."""
    require_approval: bool = False
    """Only an approval in the policy's `approvals` turns a proposal's exemption claim into `exempt`."""


class Approval(StrictModel):
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


class Waiver(StrictModel):
    proposal: Annotated[str, Field(pattern=NAME_PATTERN)]
    """The waived proposal's `name`."""
    reason: Justification
    """Why, e.g. the review that approved it."""
    approved_by: NonEmptyText
    """Who approved it."""
    expires: LenientDate
    """The last day (UTC) the waiver holds."""


class Policy(StrictModel):
    """The reviewers' `.tco-gate.yml`, version 1. A proposal can set none of it."""

    version: Literal[1] = 1
    """Format version: 1."""
    horizon_months: Annotated[int, Field(ge=1, le=120)] = 24
    """Months both options are costed over."""
    min_savings_pct: Annotated[Decimal, Field(ge=-1000, le=100), AS_DECIMAL] = Decimal(10)
    """Fine-tuning must cost at least this much less than prompting, in percent."""
    hourly_rate_usd: Usd = Decimal(150)
    """Loaded cost of one engineering hour, in USD."""
    discount_rate_pct_per_year: Annotated[Decimal, Field(ge=0, le=100), AS_DECIMAL] = Decimal(0)
    """Yearly discount rate for net present value, in percent."""
    require_hidden_costs: bool = True
    """Fail a proposal that leaves out a hidden-cost field."""
    min_confidence_pct: Annotated[Decimal, Field(gt=0, le=100), AS_DECIMAL] | None = None
    """With ranges in a proposal, a pass also needs this share of Monte Carlo draws to save the margin, in %."""
    exemptions: Exemptions = Field(default_factory=Exemptions)
    on_fail: OnFail = "fail"
    """`fail` fails the build; `warn` reports the failure and exits 0."""
    waivers: list[Waiver] = Field(default_factory=list)
    """Proposals let through until a date, with who approved it and why."""
    approvals: list[Approval] = Field(default_factory=list)
    """Exemption claims approved by the reviewers (needed when `exemptions.require_approval` is true)."""
    evidence: PolicyEvidence = Field(default_factory=PolicyEvidence)
    bounds: dict[str, Bound] = Field(default_factory=dict)
    """Limits on claimed figures, by the key's dotted path (e.g. `prompting.monthly_eng_hours: {max: 40}`)."""
    prices: PriceRule = "written-wins"
    """`catalog`: a written price for a model the catalog knows is an error; `written-wins` warns past 10%."""

    @field_validator("bounds")
    @classmethod
    def _known_numbers(cls, bounds: dict[str, Bound]) -> dict[str, Bound]:
        known = numeric_paths(Proposal)
        for key in bounds:
            if key not in known:
                close = [path for path in known if path.rsplit(".", 1)[-1] == key.rsplit(".", 1)[-1]]
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                raise cross_field(key, f"`{key}` is not a number a proposal can claim{hint}")
        return bounds
