"""Pure: (Proposal, Policy, Ledger, today) -> a Verdict with its reasons in plain words.

The order is the contract's: waived, then missing hidden costs, then exemptions, then the margin.
`invalid` is decided before any of this, where a file cannot be read or validated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from .errors import Finding
from .evidence.requests import Measurement
from .evidence.stats import PairedFigures
from .hidden_costs import FIELDS, HIDDEN_COSTS, REQUIRED, HiddenCost
from .ledger import Ledger
from .models import Policy, Proposal, Waiver
from .result import Claim, Outcome, Reason, ReasonCode
from .units import pct, usd, written
from .verdict_evidence import evidence_gap_pct, evidence_missing, out_of_bounds


def _required(field: str) -> tuple[str, str, HiddenCost]:
    section, _, name = field.partition(".")
    return section, name, FIELDS[field]


# (section, key, hidden cost) of each field the policy can require, from the one table.
REQUIRED_HIDDEN_COSTS = tuple(_required(field) for field in REQUIRED)


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reasons: tuple[Reason, ...]
    warnings: tuple[Finding, ...] = ()
    claims: tuple[Claim, ...] = ()
    waiver: Waiver | None = None
    missing: tuple[str, ...] = ()
    """Required hidden-cost fields left out, as `section.key`."""


@dataclass(frozen=True)
class Confidence:
    """How many of the Monte Carlo draws saved the margin."""

    passed: int
    draws: int


def decide(
    proposal: Proposal,
    policy: Policy,
    ledger: Ledger,
    today: date,
    confidence: Confidence | None = None,
    evidence: Measurement | None = None,
) -> Verdict:
    """The verdict for one valid proposal under one policy, on `today` (UTC), with every reason."""
    notes: list[Reason] = []
    bounded = out_of_bounds(proposal, policy, evidence)
    warnings = tuple(_zero_hidden_costs(proposal, policy)) if policy.require_hidden_costs else ()
    warnings += tuple(bound.finding for bound in bounded)
    missing = missing_hidden_costs(proposal) if policy.require_hidden_costs else []
    missing_fields = tuple(f"{section}.{name}" for section, name, _ in missing)
    claims = exemption_claims(proposal, policy, ledger, evidence)
    over = _over_capacity(ledger)
    for waiver in (w for w in policy.waivers if w.proposal == proposal.name):
        if today <= waiver.expires:
            waived = Reason(
                ReasonCode.WAIVED,
                f"waived until {waiver.expires.isoformat()} by {waiver.approved_by}: {waiver.reason}",
            )
            reasons = (waived, *notes, *over, _margin(ledger, policy))
            return Verdict(Outcome.WAIVED, reasons, warnings, tuple(claims), waiver, missing_fields)
        notes.append(
            Reason(
                ReasonCode.WAIVER_EXPIRED,
                f"a waiver approved by {waiver.approved_by} expired on {waiver.expires.isoformat()} and is ignored",
            )
        )

    stopped: list[Reason] = []
    if missing:
        listed = "; ".join(f"`{section}.{name}` (hidden cost {n}: {HIDDEN_COSTS[n]})" for section, name, n in missing)
        stopped.append(
            Reason(
                ReasonCode.HIDDEN_COSTS_MISSING, f"hidden costs not written: {listed}. Write each, 0 if it truly is 0"
            )
        )
    stopped.extend(evidence_missing(policy, evidence))
    stopped.extend(bound.reason for bound in bounded)
    if stopped:
        reasons = (*stopped, *notes, *over, _margin(ledger, policy))
        return Verdict(Outcome.FAIL, reasons, warnings, tuple(claims), missing=missing_fields)

    if over:
        # The proposal's own fleet cannot serve its own volume: no exemption or margin can make that right.
        return Verdict(Outcome.FAIL, (*over, *notes, _margin(ledger, policy)), warnings, tuple(claims))

    if claims:
        exempt, unapproved = _judge_claims(proposal, policy, claims, today)
        if exempt is not None:
            reasons = (*exempt.reasons, *unapproved, *notes, _margin(ledger, policy))
            return replace(exempt, reasons=reasons, warnings=warnings)
        notes.extend(unapproved)

    passed = ledger.savings_pct is not None and ledger.savings_pct >= policy.min_savings_pct
    if confidence is not None and policy.min_confidence_pct is not None:
        # The policy also judges the spread: the share of draws that save the margin. Only as a further
        # condition: the ranges are the proposal's own claims, and a long upper tail must not buy a pass
        # that its likely values do not earn.
        required = policy.min_confidence_pct
        sure = confidence.passed * 100 >= required * confidence.draws
        share = pct(Decimal(confidence.passed) * 100 / confidence.draws)
        reason = Reason(
            ReasonCode.CONFIDENCE,
            f"fine-tuning saves at least {pct(policy.min_savings_pct)} in {share} of {confidence.draws:,} "
            f"Monte Carlo draws ({confidence.passed:,}); the policy requires {pct(required)} confidence",
        )
        margin = _margin(ledger, policy)
        return Verdict(
            Outcome.PASS if passed and sure else Outcome.FAIL,
            ((reason, margin) if passed else (margin, reason)) + tuple(notes),
            warnings,
            tuple(claims),
        )
    return Verdict(
        Outcome.PASS if passed else Outcome.FAIL,
        (_margin(ledger, policy), *notes),
        warnings,
        tuple(claims),
    )


def missing_hidden_costs(proposal: Proposal) -> list[tuple[str, str, HiddenCost]]:
    """The hidden-cost fields the proposal left out."""
    return [
        (section, name, n)
        for section, name, n in REQUIRED_HIDDEN_COSTS
        if name not in _section(proposal, section).model_fields_set
    ]


def _section(proposal: Proposal, section: str) -> Any:
    return getattr(proposal, section)


def _zero_hidden_costs(proposal: Proposal, policy: Policy) -> list[Finding]:
    """A warning for each hidden cost written so that it counts nothing: a 0, or a base model that outlives the
    horizon (no rebuild falls inside it, so hidden cost 4 is $0 as surely as with a 0)."""
    found = []
    for section, name, n in REQUIRED_HIDDEN_COSTS:
        value = getattr(_section(proposal, section), name)
        if value == 0:
            why = "is 0"
        elif name == "base_model_lifecycle_months" and value is not None and value > policy.horizon_months:
            why = f"is {value} months, beyond the policy's {policy.horizon_months}-month horizon"
        else:
            continue
        found.append(
            Finding(
                "warning",
                f"`{section}.{name}` {why}: hidden cost {n} ({HIDDEN_COSTS[n]}) counts nothing; make sure that is true",
                f"/{section}/{name}",
            )
        )
    return found


def exemption_claims(
    proposal: Proposal, policy: Policy, ledger: Ledger, evidence: Measurement | None = None
) -> list[Claim]:
    """The exemptions the proposal claims that the policy's rules accept, each with its exact words.

    With eval evidence the accuracy gap is judged on the gain's one-sided 95% lower bound, not on the point
    estimate: a gap the data cannot support exempts nothing.
    """
    rules, found = policy.exemptions, []
    constraints = proposal.constraints
    if rules.data_residency and constraints and constraints.data_residency:
        found.append(
            Claim(
                "data-residency",
                ReasonCode.EXEMPT_DATA_RESIDENCY,
                f"constraints.data_residency: {constraints.data_residency!r}",
                "data residency",
                pointer="/constraints/data_residency",
            )
        )
    latency_limit = rules.latency_under_ms
    if (
        latency_limit is not False
        and constraints
        and constraints.max_latency_ms is not None
        and constraints.max_latency_ms < latency_limit
    ):
        found.append(
            Claim(
                "latency",
                ReasonCode.EXEMPT_LATENCY,
                f"constraints.max_latency_ms: {written(constraints.max_latency_ms)}",
                f"latency: {written(constraints.max_latency_ms)} ms required, under the policy's "
                f"{written(latency_limit)} ms",
                pointer="/constraints/max_latency_ms",
            )
        )
    gap_limit = rules.accuracy_gap_pct
    # The hosted model keeps improving while the fine-tune stays where it was trained: judge the gap
    # as it will be at the horizon's end (equal to today's when the proposal expects no gain).
    gap, gap_now = ledger.accuracy_gap_at_horizon_pct, ledger.accuracy_gap_pct
    evaluation = proposal.evaluation
    figures = evidence.eval if evidence is not None else None
    if figures is not None and evaluation is not None and gap is not None and gap_now is not None:
        gap, gap_now = evidence_gap_pct(figures, evaluation, ledger.horizon_months)
    if (
        gap_limit is not False
        and evaluation is not None
        and gap is not None
        and gap_now is not None
        and gap > gap_limit
    ):
        when = "" if gap == gap_now else f" at the end of {ledger.horizon_months} months ({pct(gap_now)} today)"
        found.append(
            Claim(
                "accuracy-gap",
                ReasonCode.EXEMPT_ACCURACY_GAP,
                _accuracy_claim(evaluation.finetune_accuracy, evaluation.prompting_accuracy, figures),
                f"accuracy: prompting falls {pct(gap)} short of the fine-tuned model{when}"
                f"{' at the 95% lower bound of the measured gain' if figures is not None else ''}, "
                f"more than the policy's {pct(gap_limit)}",
                pointer="/evaluation/prompting_accuracy",
            )
        )
    return found


def _accuracy_claim(finetune: Decimal, prompting: Decimal, figures: PairedFigures | None) -> str:
    if figures is None:
        return f"evaluation: finetune_accuracy {written(finetune)}, prompting_accuracy {written(prompting)}"
    return (
        f"eval evidence: the fine-tuned model right on {figures.finetuned_correct} of {figures.n} examples, "
        f"prompting on {figures.prompting_correct}"
    )


def _judge_claims(
    proposal: Proposal, policy: Policy, claims: list[Claim], today: date
) -> tuple[Verdict | None, list[Reason]]:
    """Exempt when a claim stands (approved, or approval not required); else the reasons it did not."""
    if not policy.exemptions.require_approval:
        reasons = tuple(
            Reason(
                claim.code,
                f"exempt for {claim.why} ({claim.claim}); claimed by the proposal and approved by "
                "nobody: the policy does not require approval",
            )
            for claim in claims
        )
        return Verdict(Outcome.EXEMPT, reasons, claims=tuple(claims)), []
    notes: list[Reason] = []
    approved: list[Reason] = []
    judged = []
    for claim in claims:
        approvals = [a for a in policy.approvals if a.proposal == proposal.name and a.exemption == claim.kind]
        valid = next((a for a in approvals if today <= a.expires), None)
        for expired in (a for a in approvals if today > a.expires):
            notes.append(
                Reason(
                    ReasonCode.APPROVAL_EXPIRED,
                    f"an approval of the {claim.kind} exemption by {expired.approved_by} expired on "
                    f"{expired.expires.isoformat()} and is ignored",
                )
            )
        if valid is None:
            judged.append(claim)
            notes.append(
                Reason(
                    ReasonCode.EXEMPTION_UNAPPROVED,
                    f"claims an exemption for {claim.why} ({claim.claim}), but the policy requires approval and "
                    f"no approval names `{proposal.name}` for `{claim.kind}`: the margin decides",
                )
            )
            continue
        approval = replace(claim, approved_by=valid.approved_by, expires=valid.expires)
        judged.append(approval)
        approved.append(
            Reason(
                claim.code,
                f"exempt for {claim.why} ({claim.claim}); approved by {valid.approved_by} until "
                f"{valid.expires.isoformat()}: {valid.reason}",
            )
        )
    if approved:
        return Verdict(Outcome.EXEMPT, tuple(approved), claims=tuple(judged)), notes
    return None, notes


def _over_capacity(ledger: Ledger) -> tuple[Reason, ...]:
    """The `over-capacity` reason, naming the first month and what the committed fleet can serve; none if it fits."""
    fleet, month = ledger.fleet, ledger.over_capacity_month
    if fleet is None or month is None or fleet.capacity is None:
        return ()
    needs = f"its peak fleet needs {fleet.peak[month - 1]:,} GPUs and the committed fleet has {fleet.committed:,}"
    if fleet.capacity == 0:
        serves = "the committed fleet cannot hold even the minimum and failover replicas of every region"
    else:
        serves = (
            f"the committed fleet serves at most {fleet.capacity:,} requests a month at the peak, and month "
            f"{month} brings {round(ledger.requests[month - 1]):,}"
        )
    text = (
        f"over capacity from month {month}: {needs}, and no on-demand price (`gpu_hourly_usd`) pays for GPUs "
        f"beyond it; {serves}"
    )
    return (Reason(ReasonCode.OVER_CAPACITY, text),)


def _margin(ledger: Ledger, policy: Policy) -> Reason:
    f_total, p_total, months = ledger.finetune.total, ledger.prompting.total, ledger.horizon_months
    over = f"over {months} month" + ("s" if months != 1 else "")
    costs = f"{over} fine-tuning costs {usd(f_total)} and prompting {usd(p_total)}"
    required = f"the policy requires a saving of at least {pct(policy.min_savings_pct)}"
    if ledger.savings_pct is None:
        return Reason(
            ReasonCode.PROMPTING_FREE, f"{costs}: prompting costs nothing, so fine-tuning cannot save; {required}"
        )
    if ledger.savings_pct >= 0:
        return Reason(ReasonCode.MARGIN, f"{costs}: fine-tuning saves {pct(ledger.savings_pct)}; {required}")
    extra = (f_total - p_total) / p_total * 100
    return Reason(ReasonCode.MARGIN, f"{costs}: fine-tuning costs {pct(extra)} more than prompting; {required}")
