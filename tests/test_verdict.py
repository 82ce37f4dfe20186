from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tco_gate.evidence.apply import Measured
from tco_gate.evidence.requests import Measurement
from tco_gate.evidence.stats import PairedFigures
from tco_gate.ledger import build_ledger
from tco_gate.models import Policy, Proposal
from tco_gate.result import Outcome, Reason, ReasonCode
from tco_gate.verdict import Confidence, Verdict, decide, missing_hidden_costs

from .factories import GPU_700K, policy, prices, proposal

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
        "/finetune/base_model_lifecycle_months",  # 1,200 months: no rebuild inside the horizon
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
        # Where a report points for the claim: the field the proposal wrote it in.
        pointer = {
            "data-residency": "/constraints/data_residency",
            "latency": "/constraints/max_latency_ms",
            "accuracy-gap": "/evaluation/prompting_accuracy",
        }[kind]
        assert [claim.pointer for claim in verdict.claims] == [pointer]
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


# --- The margin's words at its edges, and the zero-hidden-cost warnings: what each says and where it is kept ---


@pytest.mark.parametrize(
    ("monthly_serving_usd", "minimum", "outcome", "saying"),
    [
        (1000, 10, Outcome.FAIL, "fine-tuning costs $24,000.00 and prompting $24,000.00: fine-tuning saves 0%"),
        (1000, 0, Outcome.PASS, "fine-tuning costs $24,000.00 and prompting $24,000.00: fine-tuning saves 0%"),
        (995, 10, Outcome.FAIL, "fine-tuning costs $23,880.00 and prompting $24,000.00: fine-tuning saves 0.5%"),
        (
            1005,
            0,
            Outcome.FAIL,
            "fine-tuning costs $24,120.00 and prompting $24,000.00: fine-tuning costs 0.5% more than prompting",
        ),
    ],
)
def test_margin_reason_word_for_word_at_0_and_half_a_percent(
    monthly_serving_usd: int, minimum: int, outcome: Outcome, saying: str
) -> None:
    # Prompting is $1,000 a month: a saving of exactly 0% "saves", it does not "cost 0% more".
    verdict = judge(proposal(finetune={"monthly_serving_usd": monthly_serving_usd}), policy(min_savings_pct=minimum))
    assert verdict.outcome is outcome
    assert verdict.reasons == (
        Reason(
            ReasonCode.MARGIN,
            f"over 24 months {saying}; the policy requires a saving of at least {minimum}%",
        ),
    )


@pytest.mark.parametrize(
    ("input_tokens", "outcome", "reason"),
    [
        (
            10_000,
            Outcome.PASS,
            Reason(
                ReasonCode.MARGIN,
                "over 1 month fine-tuning costs $0.00 and prompting $0.01: fine-tuning saves 100%; "
                "the policy requires a saving of at least 10%",
            ),
        ),
        (
            9_999,
            Outcome.FAIL,
            Reason(
                ReasonCode.PROMPTING_FREE,
                "over 1 month fine-tuning costs $0.00 and prompting $0.01: prompting costs nothing, "
                "so fine-tuning cannot save; the policy requires a saving of at least 10%",
            ),
        ),
    ],
)
def test_prompting_at_exactly_a_cent_is_a_price_and_under_it_is_free(
    input_tokens: int, outcome: Outcome, reason: Reason
) -> None:
    # One request in one month at $1/Mtok: $0.01 exactly, or $0.009999 (shown rounded, as $0.01).
    p = proposal(
        workload={"requests_per_month": 1},
        prompting={"input_tokens_per_request": input_tokens, "output_tokens_per_request": 0},
    )
    verdict = judge(p, policy(horizon_months=1))
    assert verdict.outcome is outcome
    assert verdict.reasons == (reason,)


ZERO_WARNINGS = {
    "/finetune/eval_set_build_hours": "`finetune.eval_set_build_hours` is 0: hidden cost 1 (the eval set is yours) "
    "counts nothing; make sure that is true",
    "/finetune/retrains_per_year": "`finetune.retrains_per_year` is 0: hidden cost 2 (the retraining cadence is "
    "yours) counts nothing; make sure that is true",
    "/finetune/monthly_eng_hours": "`finetune.monthly_eng_hours` is 0: hidden cost 3 (serving and on-call are "
    "yours) counts nothing; make sure that is true",
    "/finetune/base_model_lifecycle_months": "`finetune.base_model_lifecycle_months` is 0: hidden cost 4 (lock-in: "
    "deprecation forces rebuilds) counts nothing; make sure that is true",
    "/prompting/price_decline_pct_per_year": "`prompting.price_decline_pct_per_year` is 0: hidden cost 5 (plateau: "
    "hosted prices fall, yours don't) counts nothing; make sure that is true",
}


def _warned(verdict: Verdict) -> dict[str, str]:
    assert all(w.level == "warning" for w in verdict.warnings)
    return {w.pointer: w.message for w in verdict.warnings}


def test_zero_hidden_cost_warnings_word_for_word() -> None:
    # The factory writes 0 for hidden costs 1, 2, 3 and 5, and a 1,200-month lifecycle for hidden cost 4: a
    # lifecycle is at least 1 month, and one beyond the horizon counts nothing just as a 0 does.
    verdict = judge(proposal(**CHEAP_FINETUNE))
    expected = {
        **ZERO_WARNINGS,
        "/finetune/base_model_lifecycle_months": "`finetune.base_model_lifecycle_months` is 1200 months, beyond the "
        "policy's 24-month horizon: hidden cost 4 (lock-in: deprecation forces rebuilds) counts nothing; make sure "
        "that is true",
    }
    assert _warned(verdict) == expected
    assert list(_warned(verdict)) == list(expected)  # in the contract's order of the hidden costs


@pytest.mark.parametrize(("lifecycle", "horizon", "warned"), [(24, 24, False), (25, 24, True), (36, 48, False)])
def test_a_base_model_that_outlives_the_horizon_is_warned_about_as_a_zero_is(
    lifecycle: int, horizon: int, warned: bool
) -> None:
    # Hidden cost 4 is $0 when no rebuild falls inside the horizon: the same warning as a written 0.
    p = proposal(finetune={"monthly_serving_usd": 100, "base_model_lifecycle_months": lifecycle, "training_run_usd": 5})
    under = policy(horizon_months=horizon)
    assert ("/finetune/base_model_lifecycle_months" in _warned(judge(p, under))) is warned
    lock_in = [item.total for item in build_ledger(p, under, prices()).finetune.line_items if item.hidden_cost == 4]
    assert (sum(lock_in) == 0) is warned
    # As with a 0: no warning when the policy does not require hidden costs.
    assert not _warned(judge(p, policy(horizon_months=horizon, require_hidden_costs=False)))


@pytest.mark.parametrize(
    ("sections", "rules", "outcome"),
    [
        (COSTLY_FINETUNE, {"waivers": [_waiver("2027-03-31")]}, Outcome.WAIVED),
        (COSTLY_FINETUNE, {}, Outcome.FAIL),
        ({**COSTLY_FINETUNE, "constraints": {"data_residency": "EU PII"}}, {}, Outcome.EXEMPT),
        (CHEAP_FINETUNE, {}, Outcome.PASS),
    ],
)
def test_zero_hidden_cost_warnings_are_kept_whatever_the_verdict(
    sections: dict[str, Any], rules: dict[str, Any], outcome: Outcome
) -> None:
    verdict = judge(proposal(**sections), policy(**rules))
    assert verdict.outcome is outcome
    assert len(verdict.warnings) == 5


def test_zero_hidden_cost_warnings_are_kept_when_others_are_missing() -> None:
    # `retrains_per_year` is left out (a failure); the three written zeros are still worth a warning.
    verdict = judge(proposal(finetune={"monthly_serving_usd": 100, "retrains_per_year": None}))
    assert verdict.outcome is Outcome.FAIL
    assert verdict.reasons[0].code is ReasonCode.HIDDEN_COSTS_MISSING
    assert list(_warned(verdict)) == [
        "/finetune/eval_set_build_hours",
        "/finetune/monthly_eng_hours",
        "/finetune/base_model_lifecycle_months",
        "/prompting/price_decline_pct_per_year",
    ]


@pytest.mark.parametrize(
    "rules", [{}, {"waivers": [_waiver("2027-03-31")]}, {"exemptions": {"data_residency": True}}], ids=str
)
def test_no_zero_hidden_cost_warnings_when_the_policy_does_not_require_hidden_costs(rules: dict[str, Any]) -> None:
    # With `require_hidden_costs: false` a 0 is as good as absent: nothing to warn about.
    p = proposal(**CHEAP_FINETUNE, constraints={"data_residency": "EU PII"})
    verdict = judge(p, policy(require_hidden_costs=False, **rules))
    assert verdict.outcome in (Outcome.PASS, Outcome.WAIVED, Outcome.EXEMPT)
    assert verdict.warnings == ()


# --- Exemption claims under `require_approval`: each claim judged on its own approval ---

BOTH_CLAIMS = {"data_residency": "EU PII", "max_latency_ms": 40}  # data residency first, then latency


def _approval(kind: str, expires: str = "2027-03-31") -> dict[str, Any]:
    return {
        "proposal": "test-proposal",
        "exemption": kind,
        "reason": "ARB-7",
        "approved_by": "@acme/arch-review",
        "expires": expires,
    }


def test_an_unapproved_claim_does_not_stop_the_next_claim_being_judged() -> None:
    # The first claim (data residency) has no approval; the second (latency) has one: it stands, and the first is
    # still named as unapproved.
    pol = policy(exemptions={"require_approval": True}, approvals=[_approval("latency")])
    verdict = judge(proposal(**COSTLY_FINETUNE, constraints=BOTH_CLAIMS), pol)
    assert verdict.outcome is Outcome.EXEMPT
    assert [r.code for r in verdict.reasons] == [
        ReasonCode.EXEMPT_LATENCY,
        ReasonCode.EXEMPTION_UNAPPROVED,
        ReasonCode.MARGIN,
    ]
    assert verdict.reasons[0].text == (
        "exempt for latency: 40 ms required, under the policy's 50 ms (constraints.max_latency_ms: 40); "
        "approved by @acme/arch-review until 2027-03-31: ARB-7"
    )
    assert "no approval names `test-proposal` for `data-residency`: the margin decides" in verdict.reasons[1].text
    assert [(c.kind, c.approved_by, c.expires) for c in verdict.claims] == [
        ("data-residency", None, None),
        ("latency", "@acme/arch-review", date(2027, 3, 31)),  # the report shows until when the approval holds
    ]


def test_with_no_claim_approved_every_claim_is_named_and_the_margin_decides() -> None:
    pol = policy(exemptions={"require_approval": True}, approvals=[_approval("latency", expires="2026-11-27")])
    verdict = judge(proposal(**COSTLY_FINETUNE, constraints=BOTH_CLAIMS), pol)
    assert verdict.outcome is Outcome.FAIL
    assert [r.code for r in verdict.reasons] == [
        ReasonCode.MARGIN,
        ReasonCode.EXEMPTION_UNAPPROVED,
        ReasonCode.APPROVAL_EXPIRED,
        ReasonCode.EXEMPTION_UNAPPROVED,
    ]
    assert "an approval of the latency exemption by @acme/arch-review expired on 2026-11-27" in verdict.reasons[2].text


def test_an_approval_holds_through_its_expiry_day() -> None:
    pol = policy(exemptions={"require_approval": True}, approvals=[_approval("data-residency", "2026-11-28")])
    p = proposal(**COSTLY_FINETUNE, constraints={"data_residency": "EU PII"})
    assert judge(p, pol, today=date(2026, 11, 28)).outcome is Outcome.EXEMPT
    assert judge(p, pol, today=date(2026, 11, 29)).outcome is Outcome.FAIL


# --- `min_confidence_pct`: the share of Monte Carlo draws that save the margin ---


@pytest.mark.parametrize(
    ("required", "passed", "draws", "outcome"),
    [
        (90, 900, 1000, Outcome.PASS),  # exactly the required share passes
        (90, 899, 1000, Outcome.FAIL),
        ("90.5", 181, 200, Outcome.PASS),  # 90.5% of 200 draws is 181 exactly
        ("90.5", 180, 200, Outcome.FAIL),
        (100, 7, 7, Outcome.PASS),
    ],
)
def test_min_confidence_pct_passes_exactly_at_the_required_share(
    required: int | str, passed: int, draws: int, outcome: Outcome
) -> None:
    p = proposal(**CHEAP_FINETUNE)  # saves 90% at its likely values
    pol = policy(min_confidence_pct=Decimal(required))
    verdict = decide(p, pol, build_ledger(p, pol, prices(output="0")), TODAY, Confidence(passed, draws))
    assert verdict.outcome is outcome
    codes = [r.code for r in verdict.reasons]
    assert codes == [ReasonCode.CONFIDENCE, ReasonCode.MARGIN]  # the likely values pass: confidence first
    share = Decimal(passed * 100) / draws
    assert f"saves at least 10% in {share.normalize():f}% of {draws:,} Monte Carlo draws ({passed:,})" in (
        verdict.reasons[0].text
    )


def test_a_failing_margin_is_not_saved_by_confidence() -> None:
    p = proposal(**COSTLY_FINETUNE)
    pol = policy(min_confidence_pct=Decimal(50))
    verdict = decide(p, pol, build_ledger(p, pol, prices(output="0")), TODAY, Confidence(1000, 1000))
    assert verdict.outcome is Outcome.FAIL
    assert [r.code for r in verdict.reasons] == [ReasonCode.MARGIN, ReasonCode.CONFIDENCE]


def test_a_verdict_on_confidence_keeps_its_warnings_and_claims() -> None:
    # The spread decides, but what was found on the way still reaches the report: the hidden costs written as
    # nothing (MINIMAL writes five) and the claim that no approval backs.
    p = proposal(**CHEAP_FINETUNE, constraints={"data_residency": "EU PII"})
    pol = policy(min_confidence_pct=Decimal(90), exemptions={"require_approval": True})
    verdict = decide(p, pol, build_ledger(p, pol, prices(output="0")), TODAY, Confidence(950, 1000))
    assert verdict.outcome is Outcome.PASS
    assert [r.code for r in verdict.reasons] == [
        ReasonCode.CONFIDENCE,
        ReasonCode.MARGIN,
        ReasonCode.EXEMPTION_UNAPPROVED,
    ]
    assert [w.pointer for w in verdict.warnings] == [
        "/finetune/eval_set_build_hours",
        "/finetune/retrains_per_year",
        "/finetune/monthly_eng_hours",
        "/finetune/base_model_lifecycle_months",
        "/prompting/price_decline_pct_per_year",
    ]
    assert [(c.kind, c.approved_by) for c in verdict.claims] == [("data-residency", None)]


def test_an_accuracy_exemption_on_eval_evidence_is_judged_and_worded_on_the_measurement() -> None:
    # 900 of 1,000 right fine-tuned against 800 prompting: the gain's one-sided 95% lower bound (over 0.07)
    # is more than the policy's 5% of the fine-tune's 0.9. The claim quotes the counts, and the evidence the
    # policy requires is carried, so nothing stops the exemption.
    figures = PairedFigures(n=1000, prompting_correct=800, finetuned_correct=900, b=50, c=150)
    scores = {"eval_set": "e.jsonl", "finetune_accuracy": 0.9, "prompting_accuracy": 0.8}
    p = proposal(**COSTLY_FINETUNE, evaluation=scores)
    pol = policy(exemptions={"accuracy_gap_pct": 5}, evidence={"require": ["eval"]})
    evidence = Measurement(Measured(eval=figures), eval=figures)
    verdict = decide(p, pol, build_ledger(p, pol, prices(output="0")), TODAY, evidence=evidence)
    assert verdict.outcome is Outcome.EXEMPT, verdict.reasons
    (claim,) = verdict.claims
    assert claim.claim == "eval evidence: the fine-tuned model right on 900 of 1000 examples, prompting on 800"
    assert " short of the fine-tuned model at the 95% lower bound of the measured gain, more than " in claim.why


def test_a_committed_fleet_too_small_for_its_floor_is_over_capacity_from_month_one() -> None:
    # 8 GPUs in replicas of 2 over 2 regions hold 2 replicas a region; a minimum of 2 and 1 spare need 3.
    fleet = {**GPU_700K, "gpu_hourly_usd": None, "regions": 2, "gpus_per_replica": 2, "failover_gpus": 1}
    fleet |= {"min_gpus": 2, "committed": {"gpus": 8, "monthly_usd_per_gpu": 100}}
    verdict = judge(proposal(finetune={"monthly_serving_usd": None, "serving": fleet}))
    (reason,) = [r for r in verdict.reasons if r.code is ReasonCode.OVER_CAPACITY]
    assert reason.text.startswith("over capacity from month 1: ")
    assert reason.text.endswith(
        "; the committed fleet cannot hold even the minimum and failover replicas of every region"
    )
