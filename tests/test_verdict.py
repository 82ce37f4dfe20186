from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tco_gate.ledger import build_ledger
from tco_gate.models import Policy, Proposal
from tco_gate.result import Outcome, Reason, ReasonCode
from tco_gate.verdict import Verdict, decide, missing_hidden_costs

from .factories import policy, prices, proposal

TODAY = date(2026, 11, 28)

# Fine-tuning: $2,400 over 24 months; prompting: $24,000 (a 90% saving).
CHEAP_FINETUNE: dict[str, Any] = {"finetune": {"monthly_serving_usd": 100}}
# Fine-tuning: $240,000; prompting: $24,000.
COSTLY_FINETUNE: dict[str, Any] = {"finetune": {"monthly_serving_usd": 10_000}}


def judge(p: Proposal, pol: Policy | None = None, today: date = TODAY) -> Verdict:
    pol = pol or policy()
    # 1,000,000 requests × 1,000 input tokens at $1/Mtok = $1,000 a month.
    return decide(p, pol, build_ledger(p, pol, prices(output="0")), today)


def test_pass_when_saving_meets_the_margin() -> None:
    verdict = judge(proposal(**CHEAP_FINETUNE))
    assert verdict.outcome is Outcome.PASS
    assert "fine-tuning saves 90%" in verdict.reasons[0].text
    assert [r.code for r in verdict.reasons] == [ReasonCode.MARGIN]
    assert "at least 10%" in verdict.reasons[0].text


def test_fail_when_saving_is_short_of_the_margin() -> None:
    verdict = judge(proposal(**CHEAP_FINETUNE), policy(min_savings_pct=95))
    assert verdict.outcome is Outcome.FAIL
    assert "saves 90%" in verdict.reasons[0].text and "at least 95%" in verdict.reasons[0].text


def test_margin_is_inclusive() -> None:
    assert judge(proposal(**CHEAP_FINETUNE), policy(min_savings_pct=90)).outcome is Outcome.PASS


def test_fail_says_how_much_more_fine_tuning_costs() -> None:
    verdict = judge(proposal(**COSTLY_FINETUNE))
    assert verdict.outcome is Outcome.FAIL
    assert "fine-tuning costs 900% more than prompting" in verdict.reasons[0].text


def test_missing_hidden_costs_fail_and_are_named() -> None:
    p = proposal(
        **CHEAP_FINETUNE
        | {"finetune": {"monthly_serving_usd": 100, "retrains_per_year": None, "base_model_lifecycle_months": None}},
        prompting={"price_decline_pct_per_year": None},
    )
    assert [name for _, name, _ in missing_hidden_costs(p)] == [
        "retrains_per_year",
        "base_model_lifecycle_months",
        "price_decline_pct_per_year",
    ]
    verdict = judge(p)
    assert verdict.outcome is Outcome.FAIL
    assert [r.code for r in verdict.reasons] == [ReasonCode.HIDDEN_COSTS_MISSING, ReasonCode.MARGIN]
    assert "`finetune.retrains_per_year` (hidden cost 2" in verdict.reasons[0].text
    assert "`prompting.price_decline_pct_per_year` (hidden cost 5" in verdict.reasons[0].text
    # With the policy's consent, absent means zero and the margin decides.
    assert judge(p, policy(require_hidden_costs=False)).outcome is Outcome.PASS


def test_explicit_zero_hidden_costs_are_warnings_not_failures() -> None:
    verdict = judge(proposal(**CHEAP_FINETUNE))
    assert verdict.outcome is Outcome.PASS
    pointers = [w.pointer for w in verdict.warnings]
    assert pointers == [
        "/finetune/eval_set_build_hours",
        "/finetune/retrains_per_year",
        "/finetune/monthly_eng_hours",
        "/prompting/price_decline_pct_per_year",
    ]
    assert all(w.level == "warning" for w in verdict.warnings)


def test_missing_hidden_costs_beat_exemptions() -> None:
    p = proposal(finetune={"eval_set_build_hours": None}, constraints={"data_residency": "EU only"})
    assert judge(p).outcome is Outcome.FAIL


@pytest.mark.parametrize(
    ("constraints", "evaluation", "rules", "outcome", "needle"),
    [
        (
            {"data_residency": "EU PII"},
            None,
            {},
            Outcome.EXEMPT,
            "data residency (constraints.data_residency: 'EU PII')",
        ),
        ({"data_residency": "EU PII"}, None, {"data_residency": False}, Outcome.FAIL, "costs 900% more"),
        ({"max_latency_ms": 40}, None, {}, Outcome.EXEMPT, "40 ms required, under the policy's 50 ms"),
        ({"max_latency_ms": 50}, None, {}, Outcome.FAIL, "costs 900% more"),
        ({"max_latency_ms": 40}, None, {"latency_under_ms": False}, Outcome.FAIL, "costs 900% more"),
        ({"max_latency_ms": 40}, None, {"latency_under_ms": 30}, Outcome.FAIL, "costs 900% more"),
        (None, (0.92, 0.81), {}, Outcome.EXEMPT, "prompting falls 11.96% short"),
        (None, (0.92, 0.81), {"accuracy_gap_pct": 12}, Outcome.FAIL, "costs 900% more"),
        (None, (0.92, 0.81), {"accuracy_gap_pct": False}, Outcome.FAIL, "costs 900% more"),
        (None, (0.90, 0.81), {}, Outcome.FAIL, "costs 900% more"),  # exactly 10%: not over it
    ],
)
def test_exemptions(
    constraints: dict[str, Any] | None,
    evaluation: tuple[float, float] | None,
    rules: dict[str, Any],
    outcome: Outcome,
    needle: str,
) -> None:
    sections: dict[str, Any] = dict(COSTLY_FINETUNE)
    if constraints:
        sections["constraints"] = constraints
    if evaluation:
        sections["evaluation"] = {
            "eval_set": "e.jsonl",
            "finetune_accuracy": evaluation[0],
            "prompting_accuracy": evaluation[1],
        }
    verdict = judge(proposal(**sections), policy(exemptions=rules))
    assert verdict.outcome is outcome
    assert any(needle in reason.text for reason in verdict.reasons), verdict.reasons
    first = verdict.reasons[0].code
    if outcome is Outcome.EXEMPT:
        kind = "data-residency" if constraints and "data_residency" in constraints else None
        kind = kind or ("latency" if constraints else "accuracy-gap")
        assert first == ReasonCode(f"exempt-{kind}")
        assert verdict.reasons[-1].code is ReasonCode.MARGIN  # the figures are still given
    else:
        assert [r.code for r in verdict.reasons] == [ReasonCode.MARGIN]


@pytest.mark.parametrize(
    ("gain", "horizon", "outcome", "needle"),
    [
        # 0.81 + 2 × 0.03 = 0.87 in 24 months: (0.92 − 0.87) / 0.92 = 5.43%, within 10%: the margin decides.
        (0.03, 24, Outcome.FAIL, "costs 900% more"),
        # 0.81 + 0.25 × 0.005 = 0.81125 in 3 months: 11.82% short, still over 10%, and today's 11.96% is named.
        (
            0.005,
            3,
            Outcome.EXEMPT,
            "prompting falls 11.82% short of the fine-tuned model at the end of 3 months (11.96% today)",
        ),
    ],
)
def test_the_accuracy_exemption_uses_the_gap_at_the_horizons_end(
    gain: float, horizon: int, outcome: Outcome, needle: str
) -> None:
    evaluation = {
        "eval_set": "e.jsonl",
        "finetune_accuracy": 0.92,
        "prompting_accuracy": 0.81,
        "prompting_accuracy_gain_per_year": gain,
    }
    verdict = judge(proposal(**COSTLY_FINETUNE, evaluation=evaluation), policy(horizon_months=horizon))
    assert verdict.outcome is outcome
    assert any(needle in reason.text for reason in verdict.reasons), verdict.reasons


def _waiver(expires: str, name: str = "test-proposal") -> dict[str, Any]:
    return {
        "proposal": name,
        "reason": "Pilot approved in ARB-142",
        "approved_by": "@acme/arch-review",
        "expires": expires,
    }


def test_an_unexpired_waiver_wins_over_everything_but_invalid() -> None:
    p = proposal(**COSTLY_FINETUNE | {"finetune": {"monthly_serving_usd": 10_000, "retrains_per_year": None}})
    verdict = judge(p, policy(waivers=[_waiver("2027-03-31")]))
    assert verdict.outcome is Outcome.WAIVED
    assert verdict.reasons[0] == Reason(
        ReasonCode.WAIVED, "waived until 2027-03-31 by @acme/arch-review: Pilot approved in ARB-142"
    )


def test_a_waiver_holds_through_its_expiry_day_and_not_after() -> None:
    pol = policy(waivers=[_waiver("2026-11-28")])
    p = proposal(**COSTLY_FINETUNE)
    assert judge(p, pol, today=date(2026, 11, 28)).outcome is Outcome.WAIVED
    late = judge(p, pol, today=date(2026, 11, 29))
    assert late.outcome is Outcome.FAIL
    assert [r.code for r in late.reasons] == [ReasonCode.MARGIN, ReasonCode.WAIVER_EXPIRED]
    assert "expired on 2026-11-28 and is ignored" in late.reasons[1].text


def test_a_waiver_for_another_proposal_does_nothing() -> None:
    verdict = judge(proposal(**COSTLY_FINETUNE), policy(waivers=[_waiver("2099-01-01", name="other")]))
    assert verdict.outcome is Outcome.FAIL


def test_free_prompting_cannot_be_beaten() -> None:
    p = proposal(prompting={"input_tokens_per_request": 0, "output_tokens_per_request": 0})
    verdict = judge(p, policy(min_savings_pct=-1000))
    assert verdict.outcome is Outcome.FAIL
    assert "prompting costs nothing" in verdict.reasons[0].text
    assert [r.code for r in verdict.reasons] == [ReasonCode.PROMPTING_FREE]


def test_policy_defaults_match_the_contract() -> None:
    pol = Policy()
    assert (pol.horizon_months, pol.min_savings_pct, pol.hourly_rate_usd, pol.discount_rate_pct_per_year) == (
        24,
        Decimal(10),
        Decimal(150),
        Decimal(0),
    )
    assert pol.require_hidden_costs is True and pol.on_fail == "fail" and pol.waivers == []
    assert (pol.exemptions.data_residency, pol.exemptions.latency_under_ms, pol.exemptions.accuracy_gap_pct) == (
        True,
        Decimal(50),
        Decimal(10),
    )
