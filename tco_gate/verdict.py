"""Pure: (Proposal, Policy, Ledger, today) -> a Verdict with its reasons in plain words.

The order is the contract's: waived, then missing hidden costs, then exemptions, then the margin.
`invalid` is decided before any of this, where a file cannot be read or validated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import Finding
from .hidden_costs import FIELDS, HIDDEN_COSTS, REQUIRED, HiddenCost
from .ledger import Ledger
from .models import Policy, Proposal
from .result import Outcome, Reason, ReasonCode
from .units import pct, usd


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


def decide(proposal: Proposal, policy: Policy, ledger: Ledger, today: date) -> Verdict:
    """The verdict for one valid proposal under one policy, on `today` (UTC), with every reason."""
    notes: list[Reason] = []
    warnings = _zero_hidden_costs(proposal) if policy.require_hidden_costs else []
    for waiver in (w for w in policy.waivers if w.proposal == proposal.name):
        if today <= waiver.expires:
            return Verdict(
                Outcome.WAIVED,
                (
                    Reason(
                        ReasonCode.WAIVED,
                        f"waived until {waiver.expires.isoformat()} by {waiver.approved_by}: {waiver.reason}",
                    ),
                    *notes,
                    _margin(ledger, policy),
                ),
                tuple(warnings),
            )
        notes.append(
            Reason(
                ReasonCode.WAIVER_EXPIRED,
                f"a waiver approved by {waiver.approved_by} expired on {waiver.expires.isoformat()} and is ignored",
            )
        )

    missing = missing_hidden_costs(proposal) if policy.require_hidden_costs else []
    if missing:
        listed = "; ".join(f"`{section}.{name}` (hidden cost {n}: {HIDDEN_COSTS[n]})" for section, name, n in missing)
        return Verdict(
            Outcome.FAIL,
            (
                Reason(
                    ReasonCode.HIDDEN_COSTS_MISSING,
                    f"hidden costs not written: {listed}. Write each, 0 if it truly is 0",
                ),
                *notes,
                _margin(ledger, policy),
            ),
            tuple(warnings),
        )

    exemptions = _exemptions(proposal, policy, ledger)
    if exemptions:
        return Verdict(Outcome.EXEMPT, (*exemptions, *notes, _margin(ledger, policy)), tuple(warnings))

    passed = ledger.savings_pct is not None and ledger.savings_pct >= policy.min_savings_pct
    return Verdict(Outcome.PASS if passed else Outcome.FAIL, (_margin(ledger, policy), *notes), tuple(warnings))


def missing_hidden_costs(proposal: Proposal) -> list[tuple[str, str, HiddenCost]]:
    """The hidden-cost fields the proposal left out."""
    return [
        (section, name, n)
        for section, name, n in REQUIRED_HIDDEN_COSTS
        if name not in _section(proposal, section).model_fields_set
    ]


def _section(proposal: Proposal, section: str) -> Any:
    return getattr(proposal, section)


def _zero_hidden_costs(proposal: Proposal) -> list[Finding]:
    return [
        Finding(
            "warning",
            f"`{section}.{name}` is 0: hidden cost {n} ({HIDDEN_COSTS[n]}) counts nothing; make sure that is true",
            f"/{section}/{name}",
        )
        for section, name, n in REQUIRED_HIDDEN_COSTS
        if getattr(_section(proposal, section), name) == 0
    ]


def _exemptions(proposal: Proposal, policy: Policy, ledger: Ledger) -> list[Reason]:
    rules, found = policy.exemptions, []
    constraints = proposal.constraints
    if rules.data_residency and constraints and constraints.data_residency:
        found.append(
            Reason(ReasonCode.EXEMPT_DATA_RESIDENCY, f"exempt for data residency: {constraints.data_residency}")
        )
    latency_limit = rules.latency_under_ms
    if (
        latency_limit is not False
        and constraints
        and constraints.max_latency_ms is not None
        and constraints.max_latency_ms < latency_limit
    ):
        found.append(
            Reason(
                ReasonCode.EXEMPT_LATENCY,
                f"exempt for latency: {constraints.max_latency_ms} ms required, under the policy's {latency_limit} ms",
            )
        )
    gap_limit = rules.accuracy_gap_pct
    # The hosted model keeps improving while the fine-tune stays where it was trained: judge the gap
    # as it will be at the horizon's end (equal to today's when the proposal expects no gain).
    gap, today = ledger.accuracy_gap_at_horizon_pct, ledger.accuracy_gap_pct
    if gap_limit is not False and gap is not None and today is not None and gap > gap_limit:
        when = "" if gap == today else f" at the end of {ledger.horizon_months} months ({pct(today)} today)"
        found.append(
            Reason(
                ReasonCode.EXEMPT_ACCURACY_GAP,
                f"exempt for accuracy: prompting falls {pct(gap)} short of the "
                f"fine-tuned model{when}, more than the policy's {pct(gap_limit)}",
            )
        )
    return found


def _margin(ledger: Ledger, policy: Policy) -> Reason:
    f_total, p_total, months = ledger.finetune.total, ledger.prompting.total, ledger.horizon_months
    costs = f"over {months} months fine-tuning costs {usd(f_total)} and prompting {usd(p_total)}"
    required = f"the policy requires a saving of at least {pct(policy.min_savings_pct)}"
    if ledger.savings_pct is None:
        return Reason(
            ReasonCode.PROMPTING_FREE, f"{costs}: prompting costs nothing, so fine-tuning cannot save; {required}"
        )
    if ledger.savings_pct >= 0:
        return Reason(ReasonCode.MARGIN, f"{costs}: fine-tuning saves {pct(ledger.savings_pct)}; {required}")
    extra = (f_total - p_total) / p_total * 100
    return Reason(ReasonCode.MARGIN, f"{costs}: fine-tuning costs {pct(extra)} more than prompting; {required}")
