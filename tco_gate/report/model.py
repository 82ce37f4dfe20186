"""The versioned report, as pydantic models: what `--format json` writes and every renderer reads.

Built once from a run's Results (report/build.py), or read back from a saved JSON report, so a saved
report renders to any format exactly as the run that wrote it. These models are the source of
schemas/report.schema.json. Keys come out in field order; money is in dollars rounded to cents and
percentages to two decimals; nothing depends on the clock.

Fields are only ever added to version 1, never renamed or removed.
"""

# No `from __future__ import annotations` here: with it every annotation is a string that pydantic compiles
# and evaluates as it builds each class, on every run (about 4 ms of start-up for these models).

from typing import Literal

from pydantic import ConfigDict, Field

from ..errors import Level
from ..hidden_costs import HiddenCost
from ..models import OnFail, ServingKind
from ..result import ExemptionKind, Outcome, PolicySource, ReasonCode
from .model_analysis import BreakEvenVolumeOut, SensitivityOut, UncertaintyOut
from .model_evidence import EvidenceOut, InputOut
from .model_out import Out as _Out


class FindingOut(_Out):
    level: Level
    message: str
    file: str = Field(description="The file the finding is in (the policy file for policy problems).")
    pointer: str = Field(description="JSON pointer into that file's data; empty for the whole file.")
    line: int | None = Field(ge=1, description="1-based line, where the problem has one.")
    column: int | None = Field(ge=1, description="1-based column, where the problem has one.")


class LineItemOut(_Out):
    id: str
    label: str
    hidden_cost: HiddenCost | None
    total_usd: float
    monthly_usd: list[float]
    note: str | None = Field(
        default=None, description="Why the line stands apart, e.g. prompting's own lock-in (not a hidden cost)."
    )


class HiddenCostOut(_Out):
    hidden_cost: HiddenCost
    name: str = Field(description="The hidden cost in words, e.g. `the eval set is yours`.")
    total_usd: float = Field(description="Its line items' exact sum, rounded once (not a sum of rounded items).")


class OptionOut(_Out):
    total_usd: float
    line_items: list[LineItemOut]
    monthly_usd: list[float]
    hidden_costs: list[HiddenCostOut] = Field(description="Each hidden cost with a line item here, in order.")


class PriceOut(_Out):
    usd_per_mtok: float
    source: str = Field(description="`proposal`, or the catalog, its version, the model and the date read.")


class PricesOut(_Out):
    input: PriceOut
    cached_input: PriceOut
    output: PriceOut


class BreakEvenOut(_Out):
    month: int | None = Field(
        description="The first month from which fine-tuning's cumulative cost stays at or below prompting's "
        "through the horizon; null when it is behind at the horizon's end. Equal to `break_even_month`."
    )
    first_crossing_month: int | None = Field(description="The first month fine-tuning was ahead at all.")
    fell_behind_month: int | None = Field(
        description="The first month after `first_crossing_month` that fine-tuning was behind again; null if never."
    )
    text: str = Field(description="In words: `pulls ahead in month N and stays ahead`, or the crossing undone.")


class ServingOut(_Out):
    kind: ServingKind = Field(
        description="`flat` (monthly_serving_usd), `hosted` (a provider serves the fine-tune), or sized GPUs: "
        "`decode`, `prefill` (decode plus prefill) or `measured` (requests_per_second_per_gpu)."
    )
    gpus_first: int | None = Field(description="GPUs in month 1, incl. failover; null unless sized.")
    gpus_peak: int | None = Field(description="The most GPUs in any month of the horizon; null unless sized.")
    gpus_last: int | None = Field(description="GPUs in the horizon's last month; null unless sized.")
    gpus_monthly: list[int] | None = Field(description="GPUs billed each month; null unless sized.")
    gpus_per_replica: int | None = Field(default=None, description="GPUs one replica spans; null unless sized.")
    regions: int | None = Field(default=None, description="Independent regional fleets; null unless sized.")
    autoscaling: bool | None = Field(
        default=None, description="Whether the billed fleet follows the average load; null unless sized."
    )
    peak_gpus_monthly: list[int] | None = Field(
        default=None,
        description="The peak fleet's GPUs each month, what capacity is judged on (the billed fleet unless it "
        "autoscales); null unless sized.",
    )
    committed_gpus: int | None = Field(default=None, description="GPUs of the committed fleet; null without one.")
    committed_kind: Literal["reserved", "owned"] | None = Field(
        default=None, description="How the committed fleet is bought; null without one."
    )
    burst_gpus_monthly: list[int] | None = Field(
        default=None, description="GPUs rented on demand beyond the committed fleet each month; null without one."
    )
    capacity_requests_per_month: int | None = Field(
        default=None,
        description="With a committed fleet and no on-demand price: the most requests a month it serves at the "
        "peak; null otherwise.",
    )
    over_capacity_month: int | None = Field(
        default=None, description="The first month the peak fleet outgrows the committed one (no burst); null if none."
    )
    hosted_price_decline_pct_per_year: float | None = Field(
        default=None, description="A provider-hosted fine-tune's yearly price decline; null unless hosted."
    )


class CostPerRequestOut(_Out):
    finetune_usd: float = Field(description="Fine-tuning's total over the horizon per request, to 1e-8 USD.")
    prompting_usd: float = Field(description="Prompting's total over the horizon per request, to 1e-8 USD.")
    tokens_per_request: float | None = Field(
        default=None,
        description="The workload's tokens a request, as prompting reads and writes them (input + output): the "
        "unit of the per-1M-token figures.",
    )
    finetune_usd_per_mtok: float | None = Field(
        default=None,
        description="Fine-tuning's total per million of the workload's tokens, to the cent; null when a request "
        "has no tokens.",
    )
    prompting_usd_per_mtok: float | None = Field(
        default=None, description="Prompting's total per million of the workload's tokens, to the cent."
    )


class PolicyOut(_Out):
    file: str | None
    horizon_months: int
    min_savings_pct: float
    hourly_rate_usd: float
    discount_rate_pct_per_year: float
    require_hidden_costs: bool
    min_confidence_pct: float | None = None
    on_fail: OnFail
    sources: dict[str, PolicySource]
    files: list[str] = Field(
        default_factory=list, description="Every policy file applied: the root policy first, the nearest last."
    )


class ClaimOut(_Out):
    kind: ExemptionKind
    claim: str = Field(description="The proposal's own words or figures behind the claim.")
    approved_by: str | None = Field(description="Who approved it; null when nobody did.")
    expires: str | None = Field(description="The last day (UTC) the approval holds, YYYY-MM-DD.")
    pointer: str | None = Field(
        default=None, description="JSON pointer of the key that makes the claim, e.g. `/constraints/max_latency_ms`."
    )
    line: int | None = Field(default=None, ge=1, description="1-based line of that key's value in the proposal.")
    column: int | None = Field(default=None, ge=1, description="1-based column of that value.")


class WaiverOut(_Out):
    approved_by: str
    expires: str = Field(description="The last day (UTC) the waiver holds, YYYY-MM-DD.")
    reason: str


class ProposalFactsOut(_Out):
    owner: str
    summary: str | None
    as_of: str | None = Field(description="The date catalog prices are read at, YYYY-MM-DD.")
    base_model: str
    prompting_provider: str | None
    prompting_model: str | None
    data_residency: str | None = Field(
        default=None, description="`constraints.data_residency`: why the data cannot go to a hosted provider."
    )
    max_latency_ms: float | None = Field(default=None, description="`constraints.max_latency_ms`, as written.")
    retrains_per_year: int | None = Field(default=None, description="`finetune.retrains_per_year`, if written.")
    prompting_price_decline_pct_per_year: float | None = Field(
        default=None, description="`prompting.price_decline_pct_per_year`, if written."
    )


class ReasonOut(_Out):
    code: ReasonCode = Field(description="Stable: tools key on it. Never renamed or reused.")
    text: str = Field(description="The reason in words for a reviewer; may be reworded between releases.")


class ResultOut(_Out):
    path: str
    name: str | None
    verdict: Outcome
    enforced: bool = Field(description="False for a failure the policy only warns about (`on_fail: warn`).")
    reasons: list[ReasonOut]
    policy: PolicyOut | None
    finetune: OptionOut | None
    prompting: OptionOut | None
    prompting_prices: PricesOut | None
    finetune_hosted_prices: PricesOut | None = Field(
        default=None, description="The provider-hosted fine-tune's prices (`finetune.hosted`), when it has one."
    )
    savings_pct: float | None
    required_savings_pct: float | None
    break_even_month: int | None
    break_even: BreakEvenOut | None = None
    usd_per_request: CostPerRequestOut | None = None
    serving: ServingOut | None = None
    accuracy_gap_pct: float | None = Field(description="Prompting's relative accuracy shortfall today, in percent.")
    accuracy_gap_at_horizon_pct: float | None = Field(
        default=None,
        description="The shortfall at the horizon's end, after `prompting_accuracy_gain_per_year`; the "
        "accuracy-gap exemption is judged on it.",
    )
    break_even_requests_per_month: int | None = Field(
        default=None,
        description="The lowest monthly volume of the qualifying band nearest the proposal's own; null if none.",
    )
    break_even_volume: BreakEvenVolumeOut | None = None
    sensitivity: list[SensitivityOut] = Field(
        default_factory=list, description="One entry per input, the largest tornado swing first."
    )
    uncertainty: UncertaintyOut | None = Field(default=None, description="Only when the proposal writes ranges.")
    findings: list[FindingOut]
    proposal: ProposalFactsOut | None = Field(
        default=None, description="Who owns the proposal and what it compares; null when it could not be read."
    )
    exemption_claims: list[ClaimOut] = Field(
        default_factory=list, description="Exemptions the proposal claims that the policy's rules accept."
    )
    waiver: WaiverOut | None = Field(default=None, description="The unexpired waiver that waived it.")
    missing_hidden_costs: list[str] = Field(
        default_factory=list, description="Required hidden-cost fields left out, as `section.key`."
    )
    evidence: EvidenceOut | None = Field(
        default=None, description="The evidence files the proposal named, and what they measured."
    )
    inputs: list[InputOut] = Field(
        default_factory=list,
        description="Each figure the verdict turned on, with its source: evidence, catalog, policy, flag, default "
        "or claimed.",
    )


class SummaryOut(_Out):
    # Field order here is the order of the keys in every report.
    model_config = ConfigDict(populate_by_name=True)

    pass_: int = Field(alias="pass")
    fail: int
    exempt: int
    waived: int
    invalid: int

    def count(self, outcome: Outcome) -> int:
        """How many results have `outcome`."""
        count: int = getattr(self, "pass_" if outcome is Outcome.PASS else outcome.value)
        return count


class ToolOut(_Out):
    name: Literal["tco-gate"] = "tco-gate"
    version: str


class InputFileOut(_Out):
    path: str = Field(description="As the report names it: relative to the folder `check` ran in, when below it.")
    role: Literal["proposal", "policy", "evidence"]
    sha256: str | None = Field(description="Of the file's bytes when judged; null when it could not be read.")


class ProvenanceOut(_Out):
    """What a review board files as evidence: what was judged, by what, and how to judge it again."""

    catalog: str = Field(description="The price catalog that was installed, e.g. `genai-prices 0.2.3`.")
    command: list[str] = Field(
        description="The command that reproduces the verdicts, run from the same folder (output flags left out)."
    )
    inputs: list[InputFileOut] = Field(description="Every proposal and policy file judged, each once, in order.")


class LineItemChangeOut(_Out):
    option: Literal["finetune", "prompting"]
    id: str
    label: str
    base_usd: float | None = Field(description="Its total at the base commit; null when the item is new.")
    total_usd: float | None = Field(description="Its total now; null when the item is gone.")
    change_usd: float


class ProposalChangeOut(_Out):
    path: str
    name: str | None
    status: Literal["new", "changed", "unchanged"] = Field(
        description="`new`: not at the base commit; `changed`: its file differs; `unchanged`: re-checked because"
        " a policy governing it changed."
    )
    base_verdict: Outcome | None = Field(description="Its verdict at the base commit, under the base policy.")
    verdict_changed: bool
    base_finetune_total_usd: float | None
    base_prompting_total_usd: float | None
    finetune_change_usd: float | None
    prompting_change_usd: float | None
    line_items: list[LineItemChangeOut] = Field(description="Only the line items whose total moved.")
    policies_changed: list[str] = Field(
        description="Policy files governing it that this change edits; they do not apply until merged."
    )


class RemovedOut(_Out):
    path: str
    name: str | None
    base_verdict: Outcome


class BaseOut(_Out):
    """The base commit the run was checked against (`check --base`)."""

    ref: str
    commit: str
    policies_changed: list[str] = Field(description="Policy files this change edits; judged by the base's instead.")
    changes: list[ProposalChangeOut]
    removed: list[RemovedOut] = Field(description="Proposals the base commit has and the change deletes.")


class Report(_Out):
    """The JSON report, version 1."""

    model_config = ConfigDict(title="tco-gate report")

    version: Literal[1]
    tool: ToolOut | None = Field(default=None, description="The tco-gate that wrote the report.")
    results: list[ResultOut]
    summary: SummaryOut
    provenance: ProvenanceOut | None = Field(
        default=None, description="The files judged (sha256), the catalog, and the command that reproduces it."
    )
    base: BaseOut | None = Field(
        default=None, description="With `--base`: the base commit, and each proposal compared with it."
    )
    findings: list[FindingOut] = Field(
        default_factory=list,
        exclude_if=lambda found: not found,
        description="Findings about the policy files themselves (a waiver that matches no proposal): they "
        "belong to the policy, not to any one proposal. Left out when there are none.",
    )
