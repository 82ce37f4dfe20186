"""Results -> the report model: the one place exact Decimals become the report's rounded numbers.

Renderers never see a Result; they read the Report this builds (or one read back from JSON).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from ..hidden_costs import HIDDEN_COSTS
from ..result import Claim, Outcome, PolicySettings, Reason, Result, tally
from ..units import round_cents, round_pct
from ..version import __version__
from .build_analysis import result_fields
from .build_change import base_out
from .build_inputs import evidence_out, inputs_out
from .model import (
    BreakEvenOut,
    ClaimOut,
    CostPerRequestOut,
    FindingOut,
    HiddenCostOut,
    LineItemOut,
    OptionOut,
    PolicyOut,
    PriceOut,
    PricesOut,
    ProposalFactsOut,
    ReasonOut,
    Report,
    ResultOut,
    ServingOut,
    SummaryOut,
    ToolOut,
    WaiverOut,
)

if TYPE_CHECKING:  # types only: the report depends on what a run found, not on how it was costed
    from ..catalog import Price, Prices
    from ..errors import Finding
    from ..ledger import Ledger, LineItem, OptionCost
    from ..models import Proposal, Waiver
    from ..result import Baseline


def build(results: Sequence[Result], baseline: Baseline | None = None) -> Report:
    """The report of a run; with a baseline (`--base`), each proposal compared with the base commit."""
    return build_from([entry(result) for result in results], baseline)


def build_from(
    entries: Sequence[ResultOut], baseline: Baseline | None = None, findings: Sequence[Finding] = ()
) -> Report:
    """The report of a run from each proposal's entry, made by `entry` as the run went, and the run's
    findings about its policy files."""
    base = base_out(baseline) if baseline is not None else None
    return Report(
        version=1,
        tool=ToolOut(version=__version__),
        results=list(entries),
        summary=_summary(entry.verdict for entry in entries),
        base=base,
        findings=[finding_out(finding, finding.path) for finding in findings],
    )


def shell_of(verdicts: Iterable[Outcome], findings: Sequence[Finding] = ()) -> Report:
    """The report of a run without its entries, from each proposal's verdict: what a document written a proposal
    at a time (report/parts.py) writes its head and tail from."""
    return Report(
        version=1,
        tool=ToolOut(version=__version__),
        results=[],
        summary=_summary(verdicts),
        findings=[finding_out(finding, finding.path) for finding in findings],
    )


def _summary(verdicts: Iterable[Outcome]) -> SummaryOut:
    counts = tally(verdicts)
    return SummaryOut(**{outcome.value: count for outcome, count in counts.items()})


_MTOK = Decimal(1_000_000)


def _money(amount: Decimal) -> float:
    return float(round_cents(amount))


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else float(round_pct(value))


def _line_item(item: LineItem) -> LineItemOut:
    return LineItemOut(
        id=item.id,
        label=item.label,
        hidden_cost=item.hidden_cost,
        total_usd=_money(item.total),
        monthly_usd=[_money(m) for m in item.monthly],
        note=item.note,
    )


def _hidden_costs(option: OptionCost) -> list[HiddenCostOut]:
    totals: dict[int, Decimal] = {}
    for item in option.line_items:
        if item.hidden_cost is not None:
            totals[item.hidden_cost] = totals.get(item.hidden_cost, Decimal(0)) + item.total
    return [
        HiddenCostOut(hidden_cost=number, name=name, total_usd=_money(totals[number]))
        for number, name in HIDDEN_COSTS.items()
        if number in totals
    ]


def _option(option: OptionCost) -> OptionOut:
    return OptionOut(
        total_usd=_money(option.total),
        line_items=[_line_item(i) for i in option.line_items],
        monthly_usd=[_money(m) for m in option.monthly],
        hidden_costs=_hidden_costs(option),
    )


def _price(price: Price) -> PriceOut:
    return PriceOut(usd_per_mtok=float(price.usd_per_mtok), source=price.source)


def _prices(prices: Prices) -> PricesOut:
    return PricesOut(input=_price(prices.input), cached_input=_price(prices.cached_input), output=_price(prices.output))


def _break_even(ledger: Ledger) -> BreakEvenOut:
    found = ledger.break_even
    return BreakEvenOut(
        month=found.month,
        first_crossing_month=found.first_crossing,
        fell_behind_month=found.fell_behind,
        text=found.describe(ledger.horizon_months),
    )


def _per_request(ledger: Ledger, proposal: Proposal | None) -> CostPerRequestOut:
    # A request costs fractions of a cent: to 10^-8 dollars, half-up like all money here.
    def micro(amount: Decimal) -> float:
        return float(amount.quantize(Decimal("1e-8"), rounding=ROUND_HALF_UP))

    finetune, prompting = ledger.finetune_usd_per_request, ledger.prompting_usd_per_request
    tokens = None
    if proposal is not None:  # the workload's tokens, as prompting reads and writes them: one unit for both
        tokens = proposal.prompting.input_tokens_per_request + proposal.prompting.output_tokens_per_request
    per_mtok = (lambda amount: _money(amount * _MTOK / tokens)) if tokens else None
    return CostPerRequestOut(
        finetune_usd=micro(finetune),
        prompting_usd=micro(prompting),
        tokens_per_request=float(tokens) if tokens is not None else None,
        finetune_usd_per_mtok=per_mtok(finetune) if per_mtok else None,
        prompting_usd_per_mtok=per_mtok(prompting) if per_mtok else None,
    )


def _serving(ledger: Ledger, proposal: Proposal | None) -> ServingOut:
    counts, fleet = ledger.gpus, ledger.fleet
    sized = proposal.finetune.serving if proposal is not None else None
    hosted = proposal.finetune.hosted if proposal is not None else None
    committed = sized.committed if sized is not None else None
    return ServingOut(
        kind=ledger.serving_kind,
        gpus_first=counts[0] if counts else None,
        gpus_peak=max(counts) if counts else None,
        gpus_last=counts[-1] if counts else None,
        gpus_monthly=list(counts) if counts else None,
        gpus_per_replica=sized.gpus_per_replica if sized else None,
        regions=sized.regions if sized else None,
        autoscaling=sized.autoscaling if sized else None,
        peak_gpus_monthly=list(fleet.peak) if fleet else None,
        committed_gpus=committed.gpus if committed else None,
        committed_kind=("owned" if committed.owned else "reserved") if committed else None,
        burst_gpus_monthly=list(fleet.burst) if fleet and committed else None,
        capacity_requests_per_month=fleet.capacity if fleet else None,
        over_capacity_month=fleet.over_capacity_month if fleet else None,
        hosted_price_decline_pct_per_year=float(hosted.price_decline_pct_per_year) if hosted else None,
    )


def _reason(reason: Reason) -> ReasonOut:
    return ReasonOut(code=reason.code, text=reason.text)


def finding_out(finding: Finding, file: str) -> FindingOut:
    """A finding as the report shows it, in `file` unless it names its own."""
    return FindingOut(
        level=finding.level,
        message=finding.message,
        file=finding.path or file,
        pointer=finding.pointer,
        line=finding.line,
        column=finding.column,
    )


def _policy(settings: PolicySettings) -> PolicyOut:
    policy = settings.policy
    return PolicyOut(
        file=settings.file,
        horizon_months=policy.horizon_months,
        min_savings_pct=float(policy.min_savings_pct),
        hourly_rate_usd=float(policy.hourly_rate_usd),
        discount_rate_pct_per_year=float(policy.discount_rate_pct_per_year),
        require_hidden_costs=policy.require_hidden_costs,
        min_confidence_pct=None if policy.min_confidence_pct is None else float(policy.min_confidence_pct),
        on_fail=policy.on_fail,
        sources=dict(sorted(settings.sources.items())),
        files=list(settings.files),
    )


def entry(result: Result) -> ResultOut:
    """One proposal's entry in the report: all a renderer needs of it, in the report's rounded numbers."""
    settings, ledger = result.settings, result.ledger
    return ResultOut(
        path=result.path,
        name=result.name,
        verdict=result.outcome,
        enforced=result.enforced,
        reasons=[_reason(reason) for reason in result.reasons],
        policy=_policy(settings) if settings else None,
        finetune=_option(ledger.finetune) if ledger else None,
        prompting=_option(ledger.prompting) if ledger else None,
        prompting_prices=_prices(result.prices) if result.prices else None,
        finetune_hosted_prices=_prices(ledger.hosted_prices) if ledger and ledger.hosted_prices else None,
        savings_pct=_percent(ledger.savings_pct) if ledger else None,
        required_savings_pct=float(settings.policy.min_savings_pct) if settings and ledger else None,
        break_even_month=ledger.break_even_month if ledger else None,
        break_even=_break_even(ledger) if ledger else None,
        usd_per_request=_per_request(ledger, result.proposal) if ledger else None,
        serving=_serving(ledger, result.proposal) if ledger else None,
        accuracy_gap_pct=_percent(ledger.accuracy_gap_pct) if ledger else None,
        accuracy_gap_at_horizon_pct=_percent(ledger.accuracy_gap_at_horizon_pct) if ledger else None,
        findings=[finding_out(f, result.path) for f in result.findings],
        proposal=_facts(result.proposal) if result.proposal else None,
        exemption_claims=[_claim(claim) for claim in result.claims],
        waiver=_waiver(result.waiver) if result.waiver else None,
        missing_hidden_costs=list(result.missing_hidden_costs),
        evidence=evidence_out(result),
        inputs=inputs_out(result),
        **(result_fields(result.analysis, settings.policy) if result.analysis and settings else {}),
    )


def _facts(proposal: Proposal) -> ProposalFactsOut:
    constraints = proposal.constraints
    return ProposalFactsOut(
        owner=proposal.owner,
        summary=proposal.summary,
        as_of=proposal.as_of.isoformat() if proposal.as_of else None,
        base_model=proposal.finetune.base_model,
        prompting_provider=proposal.prompting.provider,
        prompting_model=proposal.prompting.model,
        data_residency=constraints.data_residency if constraints else None,
        max_latency_ms=float(constraints.max_latency_ms) if constraints and constraints.max_latency_ms else None,
        retrains_per_year=proposal.finetune.retrains_per_year,
        prompting_price_decline_pct_per_year=(
            None if (decline := proposal.prompting.price_decline_pct_per_year) is None else float(decline)
        ),
    )


def _claim(claim: Claim) -> ClaimOut:
    expires = claim.expires.isoformat() if claim.expires else None
    return ClaimOut(
        kind=claim.kind,
        claim=claim.claim,
        approved_by=claim.approved_by,
        expires=expires,
        pointer=claim.pointer or None,
        line=claim.line,
        column=claim.column,
    )


def _waiver(waiver: Waiver) -> WaiverOut:
    return WaiverOut(approved_by=waiver.approved_by, expires=waiver.expires.isoformat(), reason=waiver.reason)
