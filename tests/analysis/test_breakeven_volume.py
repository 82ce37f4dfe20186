"""Break-even volume: hand-computed cases, and every band edge checked against the exact ledger."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tco_gate.analysis import breakeven
from tco_gate.analysis.breakeven import Band, BreakEvenVolume, break_even_volume
from tco_gate.analysis.serving_steps import Steps
from tco_gate.catalog import Prices
from tco_gate.ledger import Ledger, build_ledger
from tco_gate.models import Policy, Proposal
from tests.analysis.test_flip import proposals
from tests.factories import DECODE_SIZED, GPU_700K, policy, prices, proposal


def _solve(p: Proposal, pol: Policy, hosted: Prices | None = None) -> BreakEvenVolume:
    return break_even_volume(p, pol, prices(), build_ledger(p, pol, prices(), hosted), hosted)


def _passes(
    p: Proposal, pol: Policy, requests: int, hosted: Prices | None = None, prices_of: Prices | None = None
) -> bool:
    moved = p.model_copy(update={"workload": p.workload.model_copy(update={"requests_per_month": Decimal(requests)})})
    ledger = build_ledger(moved, pol, prices_of or prices(), hosted)
    return judged_pass(ledger, pol)


def judged_pass(ledger: Ledger, pol: Policy) -> bool:
    """The exact margin verdict: the saving clears the margin and no month is over capacity."""
    saved = ledger.savings_pct is not None and ledger.savings_pct >= pol.min_savings_pct
    return saved and ledger.over_capacity_month is None


def test_flat_serving_break_even_is_hand_computed() -> None:
    # Prompting: (1000 × $1 + 100 × $2)/10^6 = $0.0012 a request, × 24 months = 0.0288·R.
    # Fine-tuning: $3,000 × 24 = $72,000. A 10% saving needs 0.9 × 0.0288·R ≥ 72,000: R ≥ 2,777,777.8.
    p, pol = proposal(finetune={"monthly_serving_usd": 3000}), policy()
    found = _solve(p, pol)
    assert found.bands == (Band(2_777_778, None),)
    assert found.volume == 2_777_778
    assert found.complete
    assert not _passes(p, pol, 2_777_777)
    assert _passes(p, pol, 2_777_778)


def test_sized_serving_bands_are_hand_computed() -> None:
    # n GPUs serve up to n × 700,000 requests and cost 17,520·n; prompting is 0.0288·R; margin 0.
    # In the n-th step the saving holds from R = 17,520·n / 0.0288 = 608,333.3·n to n × 700,000,
    # so bands until 608,333.3·n meets (n − 1) × 700,000, past n = 7.6; from then on every volume.
    # Steps 3 and 6 start exactly on a tie (1,825,000 and 3,650,000): a saving of exactly 0 passes.
    p = proposal(
        workload={"requests_per_month": 1_000_000}, finetune={"monthly_serving_usd": None, "serving": GPU_700K}
    )
    pol = policy(min_savings_pct=0)
    found = _solve(p, pol)
    assert found.bands == (
        Band(608_334, 700_000),
        Band(1_216_667, 1_400_000),
        Band(1_825_000, 2_100_000),
        Band(2_433_334, 2_800_000),
        Band(3_041_667, 3_500_000),
        Band(3_650_000, 4_200_000),
        Band(4_258_334, None),
    )
    assert found.volume == 1_216_667  # the band nearest the proposal's own 1,000,000
    for requests, expected in [(608_333, False), (608_334, True), (700_001, False), (1_825_000, True)]:
        assert _passes(p, pol, requests) is expected, requests


def test_band_edges_hold_in_the_exact_ledger_with_growth_decline_and_discounting() -> None:
    changes: dict[str, Any] = {
        "workload": {"monthly_growth_pct": 3},
        "prompting": {"price_decline_pct_per_year": 10},
        "finetune": {"monthly_serving_usd": None, "serving": GPU_700K},
    }
    p, pol = proposal(**changes), policy(min_savings_pct=0, discount_rate_pct_per_year=5)
    found = _solve(p, pol)
    assert found.complete and len(found.bands) > 5  # growth staggers the steps month by month
    for band in found.bands[:6] + found.bands[-2:]:
        assert _passes(p, pol, band.low) and not _passes(p, pol, band.low - 1), band
        if band.high is not None:
            assert _passes(p, pol, band.high) and not _passes(p, pol, band.high + 1), band


def test_no_volume_qualifies_when_a_gpu_costs_more_per_request_than_prompting() -> None:
    # One GPU per 100,000 requests at $17,520 is $0.175 a request over the horizon; prompting $0.0288.
    serving = {**GPU_700K, "output_tokens_per_request": 18396}
    p = proposal(finetune={"monthly_serving_usd": None, "serving": serving})
    found = _solve(p, policy())
    assert found.bands == () and found.volume is None


def test_a_hosted_fine_tune_dearer_per_request_qualifies_only_below_a_volume() -> None:
    # Prompting: $36,000 of upkeep (10 h × $150 × 24) plus 0.0288·R; the hosted fine-tune 0.0576·R.
    # With a margin of 0: 36,000 + 0.0288·R ≥ 0.0576·R up to R = 1,250,000, and from volume 1.
    hosted = {
        "input_usd_per_mtok": 2,
        "output_usd_per_mtok": 4,
        "input_tokens_per_request": 1000,
        "output_tokens_per_request": 100,
    }
    p = proposal(prompting={"monthly_eng_hours": 10}, finetune={"monthly_serving_usd": None, "hosted": hosted})
    pol, hosted_prices = policy(min_savings_pct=0), prices("2", output="4")
    found = _solve(p, pol, hosted_prices)
    assert found.bands == (Band(1, 1_250_000),)
    assert _passes(p, pol, 1_250_000, hosted_prices) and not _passes(p, pol, 1_250_001, hosted_prices)


def test_volumes_where_a_total_passes_a_trillion_are_not_searched() -> None:
    # A million input tokens at $1 plus 100 at $2: $1.0002 a request, 24.0048·R over the horizon, which
    # passes the gate's $10^12 bound above R = 41,658,334,999.
    p = proposal(prompting={"input_tokens_per_request": 1_000_000}, finetune={"monthly_serving_usd": 3000})
    found = _solve(p, policy())
    assert found.searched_to == 41_658_334_999
    assert found.bands == (Band(3_333, None),)  # 0.9 × 24.0048·R ≥ 72,000 from R = 3,332.67


def test_prompting_fixed_costs_count_against_the_trillion_bound() -> None:
    # Input at $100 per 1M tokens: $0.1002 a request, 2.4048·R over 24 months, plus 40 setup hours at $150 =
    # $6,000 that do not move with R: prompting passes $10^12 above R = (10^12 − 6,000) / 2.4048.
    p = proposal(prompting={"setup_eng_hours": 40})
    dear = prices("100", "25")
    found = break_even_volume(p, policy(), dear, build_ledger(p, policy(), dear))
    assert found.searched_to == math.floor((10**12 - 6_000) / Fraction("2.4048")) == 415_834_994_178
    assert found.bands == (Band(1, None),)  # free serving wins at every volume the gate can judge


def test_when_prompting_has_no_usage_only_volumes_below_a_gpu_step_qualify() -> None:
    # Prompting: no tokens, 10 h a month of upkeep = $36,000 whatever the volume. One GPU is $17,520, so
    # with a margin of 0 fine-tuning wins while it needs at most two: up to 1,400,000 requests.
    no_usage = {"input_tokens_per_request": 0, "output_tokens_per_request": 0, "monthly_eng_hours": 10}
    p = proposal(prompting=no_usage, finetune={"monthly_serving_usd": None, "serving": GPU_700K})
    pol = policy(min_savings_pct=0)
    found = _solve(p, pol)
    assert found.bands == (Band(1, 1_400_000),)
    assert _passes(p, pol, 1_400_000) and not _passes(p, pol, 1_400_001)


def test_a_volume_where_both_cost_exactly_the_same_qualifies() -> None:
    # As above with 5 h a month of upkeep at $146: 5 × 146 × 24 = $17,520, one GPU's cost to the cent. With a
    # margin of 0 the tie passes (a saving of exactly the margin is enough), so every volume one GPU serves
    # qualifies: 1 to 700,000; the second GPU's volumes do not.
    no_usage = {"input_tokens_per_request": 0, "output_tokens_per_request": 0, "monthly_eng_hours": 5}
    p = proposal(prompting=no_usage, finetune={"monthly_serving_usd": None, "serving": GPU_700K})
    pol = policy(min_savings_pct=0, hourly_rate_usd=146)
    assert _solve(p, pol).bands == (Band(1, 700_000),)
    assert _passes(p, pol, 700_000) and not _passes(p, pol, 700_001)


def test_free_prompting_leaves_no_volume_to_judge() -> None:
    no_usage = {"input_tokens_per_request": 0, "output_tokens_per_request": 0}
    found = _solve(proposal(prompting=no_usage), policy())
    assert found.bands == () and found.volume is None


def _dearer_gpus() -> tuple[Proposal, Policy]:
    # A 15% margin keeps 0.85 × 0.0288 = $0.02448 a request of prompting, under a GPU's $0.025029; only
    # prompting's upkeep (1 h × $150 × 24 × 0.85 = $3,060) lets fine-tuning win, just below each GPU step:
    # in the n-th step from (17,520·n − 3,060)/0.02448 to 700,000·n, while that is not empty (n ≤ 7).
    p = proposal(prompting={"monthly_eng_hours": 1}, finetune={"monthly_serving_usd": None, "serving": GPU_700K})
    return p, policy(min_savings_pct=15)


def test_bands_below_each_gpu_step_when_no_volume_is_sure_to_win() -> None:
    p, pol = _dearer_gpus()
    found = _solve(p, pol)
    assert len(found.bands) == 7 and found.complete
    assert found.bands[0] == Band(590_687, 700_000)
    assert found.bands[-1] == Band(4_884_804, 4_900_000)
    assert _passes(p, pol, 590_687) and not _passes(p, pol, 590_686) and not _passes(p, pol, 700_001)


def test_a_walk_out_of_steps_says_it_is_incomplete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(breakeven, "WALK_LIMIT", 3)
    p, pol = _dearer_gpus()
    found = _solve(p, pol)
    assert not found.complete
    assert found.bands[0] == Band(590_687, 700_000) and len(found.bands) < 7


def test_a_hosted_fine_tune_priced_like_prompting_wins_at_every_volume_or_none() -> None:
    # Same tokens at the same prices, margin 0: the volume cancels out, and only upkeep decides.
    same = {
        "input_usd_per_mtok": 1,
        "output_usd_per_mtok": 2,
        "input_tokens_per_request": 1000,
        "output_tokens_per_request": 100,
    }
    pol = policy(min_savings_pct=0)
    for upkeep, expected in [(10, (Band(1, None),)), (0, (Band(1, None),))]:
        p = proposal(prompting={"monthly_eng_hours": upkeep}, finetune={"monthly_serving_usd": None, "hosted": same})
        assert _solve(p, pol, prices()).bands == expected
    dearer = proposal(finetune={"monthly_serving_usd": None, "hosted": same, "monthly_eng_hours": 1})
    assert _solve(dearer, pol, prices()).bands == ()


def test_when_prompting_has_no_usage_and_one_gpu_costs_more_no_volume_qualifies() -> None:
    no_usage = {"input_tokens_per_request": 0, "output_tokens_per_request": 0, "monthly_eng_hours": 1}
    p = proposal(prompting=no_usage, finetune={"monthly_serving_usd": None, "serving": GPU_700K})
    assert _solve(p, policy(min_savings_pct=0)).bands == ()  # $3,600 of upkeep against $17,520 a GPU


def _with_requests(p: Proposal, requests: int) -> Proposal:
    return p.model_copy(update={"workload": p.workload.model_copy(update={"requests_per_month": Decimal(requests)})})


@settings(max_examples=25, deadline=None)
@given(case=proposals(), factor=st.sampled_from([2, 3, 7]))
def test_only_the_volume_lines_and_serving_move_with_the_volume(case: tuple[Proposal, Policy], factor: int) -> None:
    # The break-even reads both totals' dependence on the volume off one ledger: prompting's VOLUME_LINES and
    # fine-tuning's FINETUNE_VOLUME_LINES scale with it, fine-tuning's serving is counted apart, and no other
    # line may move at all.
    p, pol = case
    hosted = prices("0.8", "0.8", "3.2") if p.finetune.hosted else None
    own = build_ledger(p, pol, prices("1", "0.25"), hosted)
    moved = _with_requests(p, int(p.workload.requests_per_month) * factor)
    more = build_ledger(moved, pol, prices("1", "0.25"), hosted)
    for option in ("finetune", "prompting"):
        for item, moved in zip(getattr(own, option).line_items, getattr(more, option).line_items, strict=True):
            assert item.id == moved.id
            scales = breakeven.VOLUME_LINES if option == "prompting" else breakeven.FINETUNE_VOLUME_LINES
            if item.id in scales:
                scaled = Fraction(item.total) * factor  # exact: Decimal's default context keeps 28 digits
                assert abs(Fraction(moved.total) - scaled) <= abs(scaled) * Fraction(1, 10**50), item.id
            elif item.id != "serving" or option == "prompting":
                assert moved.total == item.total, (option, item.id)


@settings(max_examples=20, deadline=None)
@given(case=proposals())
def test_band_edges_hold_in_the_exact_ledger_for_every_serving_form(case: tuple[Proposal, Policy]) -> None:
    p, pol = case
    hosted = prices("0.8", "0.8", "3.2") if p.finetune.hosted else None
    found = break_even_volume(p, pol, prices("1", "0.25"), build_ledger(p, pol, prices("1", "0.25"), hosted), hosted)

    def passes(requests: int) -> bool:
        ledger = build_ledger(_with_requests(p, requests), pol, prices("1", "0.25"), hosted)
        return judged_pass(ledger, pol)

    for band in found.bands[:3]:
        assert passes(band.low), band
        if band.high is not None:
            assert passes(band.high), band
        if not found.complete:
            continue  # the walk ran out of GPU steps: what is listed qualifies, its edges need not be edges
        if band.low > 1:
            assert not passes(band.low - 1), band
        if band.high is not None:
            assert not passes(band.high + 1), band


def test_a_walk_cut_short_lists_volumes_that_qualify_and_says_its_low_edge_is_not_sure() -> None:
    # ~37,000 GPUs at 6.5 x 10^10 requests a month: more GPU steps below the sure band than the walk may take.
    # The band it lists qualifies, but so do volumes below it that the walk never reached.
    p = proposal(
        workload={"requests_per_month": 112_728_629, "monthly_growth_pct": -2},
        prompting={"price_decline_pct_per_year": 12, "monthly_eng_hours": 7.5, "cached_input_tokens_per_request": 400},
        finetune={
            "monthly_serving_usd": None,
            "serving": dict(DECODE_SIZED),
            "training_run_usd": 900,
            "data_labeling_usd": 5000,
            "eval_set_build_hours": 120,
            "monthly_eval_hours": 6,
            "retrains_per_year": 7,
            "retrain_eng_hours": 20,
            "monthly_eng_hours": 80,
            "base_model_lifecycle_months": 18,
            "rebuild_eng_hours": 60,
        },
    )
    pol = policy(min_savings_pct=35, horizon_months=24)
    found = break_even_volume(p, pol, prices("1", "0.25"), build_ledger(p, pol, prices("1", "0.25")))
    assert not found.complete
    (band,) = found.bands
    assert _passes(p, pol, band.low, prices_of=prices("1", "0.25"))
    assert _passes(p, pol, band.low - 1, prices_of=prices("1", "0.25"))  # below the listed band, not walked


@settings(max_examples=50, deadline=None)
@given(
    rates=st.lists(st.fractions(0, 10, max_denominator=10**6), min_size=1, max_size=30),
    weights=st.lists(st.fractions(0, 5, max_denominator=10**4), min_size=30, max_size=30),
    least=st.integers(1, 4),
    spare=st.integers(0, 2),
    above=st.booleans(),
    at=st.lists(st.fractions(0, 20, max_denominator=1000), min_size=1, max_size=8),
)
def test_the_envelope_lines_are_the_envelope(
    rates: list[Fraction], weights: list[Fraction], least: int, spare: int, above: bool, at: list[Fraction]
) -> None:
    # Each ceiling replaced by its bound, month by month, against the kinks and lines the sweep uses.
    weights = [w + 1 for w in weights[: len(rates)]]
    steps = Steps.of([r + Fraction(1, 10**6) for r in rates], weights, least, spare)
    kinks, lines = steps.envelope(above)
    assert kinks == sorted(kinks) and len(lines) == len(kinks) + 1
    lift = 1 if above else 0
    for r in at:
        counts = [max(Fraction(least), Fraction(a, steps.rate_scale) * r + lift) for a in steps.rates]
        direct = sum(
            (Fraction(w, steps.weight_scale) * (n + spare) for w, n in zip(steps.weights, counts, strict=True)),
            Fraction(0),
        )
        intercept, slope = lines[sum(1 for k in kinks if k < r)]
        assert intercept + slope * r == direct


@settings(max_examples=60, deadline=None)
@given(
    rates=st.lists(st.fractions(Fraction(1, 500), Fraction(1, 20), max_denominator=10**4), min_size=1, max_size=12),
    weights=st.lists(st.fractions(1, 3, max_denominator=100), min_size=12, max_size=12),
    least=st.integers(1, 6),
    above=st.booleans(),
    a=st.fractions(-30, 30, max_denominator=100),
    b=st.fractions(0, 1, max_denominator=100),
)
def test_the_superlevel_interval_is_every_whole_volume_above_the_envelope(
    rates: list[Fraction], weights: list[Fraction], least: int, above: bool, a: Fraction, b: Fraction
) -> None:
    # By bisection over the kinks against every whole volume from 1 to 600, checked one by one.
    steps = Steps.of(rates, weights[: len(rates)], least, 0)
    lift = 1 if above else 0

    def margin(r: int) -> Fraction:
        counts = [max(Fraction(least), Fraction(q, steps.rate_scale) * r + lift) for q in steps.rates]
        s = sum((Fraction(w, steps.weight_scale) * n for w, n in zip(steps.weights, counts, strict=True)), Fraction(0))
        return a + b * r - s

    qualifying = [r for r in range(1, 601) if margin(r) >= 0]
    found = breakeven._superlevel(a, b, steps, 1, 600, above)
    if not qualifying:
        assert found is None
    else:
        assert found == (qualifying[0], qualifying[-1])
        assert len(qualifying) == qualifying[-1] - qualifying[0] + 1  # concave: one interval


# --- Part 2: replicas and regions, autoscaling, a committed fleet with burst beyond it or a capacity limit ---


def test_bands_stop_at_the_volume_the_committed_fleet_can_serve() -> None:
    # Four reserved GPUs at $500 a month ($48,000 over 24 months), nothing beyond them; one GPU serves 700,000
    # requests a month at 100%. Prompting 0.0288·R; margin 0: every volume from 1,666,667 (48,000 / 0.0288) on
    # would save, but the fleet serves at most 4 × 700,000 = 2,800,000 a month: the band stops there.
    serving = {**GPU_700K, "gpu_hourly_usd": None, "committed": {"gpus": 4, "monthly_usd_per_gpu": 500}}
    p, pol = proposal(finetune={"monthly_serving_usd": None, "serving": serving}), policy(min_savings_pct=0)
    found = _solve(p, pol)
    assert found.capacity == 2_800_000 and found.searched_to == 2_800_000
    assert found.bands == (Band(1_666_667, 2_800_000),)
    assert _passes(p, pol, 2_800_000) and not _passes(p, pol, 2_800_001)  # the next request is over capacity
    assert not _passes(p, pol, 1_666_666)


def test_growth_lowers_the_volume_the_fleet_can_serve_through_the_horizon() -> None:
    # With 2% growth the 24th month carries 1.02^23 = 1.5768993 times month 1: the fleet holds month 1 volumes up
    # to floor(2,800,000 / 1.02^23) = 1,775,636.
    serving = {**GPU_700K, "gpu_hourly_usd": None, "committed": {"gpus": 4, "monthly_usd_per_gpu": 500}}
    p = proposal(workload={"monthly_growth_pct": 2}, finetune={"monthly_serving_usd": None, "serving": serving})
    found = _solve(p, policy(min_savings_pct=0))
    assert found.capacity == 1_775_636
    assert all(band.high is not None and band.high <= 1_775_636 for band in found.bands)
    assert _passes(p, policy(min_savings_pct=0), 1_775_636) is (found.bands[-1].high == 1_775_636)
    assert build_ledger(_with_requests(p, 1_775_637), policy(), prices()).over_capacity_month == 24


def test_a_fleet_that_cannot_hold_its_minimum_serves_no_volume() -> None:
    # Two regions of one GPU each, min 1 and failover 1 each: 4 GPUs needed at the least, 3 committed.
    serving = {
        **GPU_700K,
        "gpu_hourly_usd": None,
        "regions": 2,
        "failover_gpus": 1,
        "committed": {"gpus": 3, "monthly_usd_per_gpu": 1},
    }
    found = _solve(proposal(finetune={"monthly_serving_usd": None, "serving": serving}), policy(min_savings_pct=0))
    assert found.capacity == 0 and found.bands == () and found.volume is None


def test_burst_beyond_a_reserved_fleet_steps_only_past_it() -> None:
    # Two reserved GPUs at $1,000 a month ($48,000 over 24 months), and $1 an hour beyond them ($17,520 a GPU over
    # 24 months); prompting 0.0288·R, margin 0. With k GPUs of burst (volumes from (k + 1) × 700,000 to (k + 2) ×
    # 700,000) fine-tuning costs 48,000 + 17,520·k and wins from R = 1,666,666.7 + 608,333.3·k: inside its piece
    # first for k = 3 (3,491,667 to 3,500,000); 4,100,000 is an exact tie (118,080 = 0.0288 × 4,100,000) and
    # passes; from k = 10 (7,750,000) on, each piece joins the next.
    serving = {**GPU_700K, "committed": {"gpus": 2, "monthly_usd_per_gpu": 1000}}
    p, pol = proposal(finetune={"monthly_serving_usd": None, "serving": serving}), policy(min_savings_pct=0)
    found = _solve(p, pol)
    assert found.capacity is None and found.complete
    assert found.bands == (
        Band(3_491_667, 3_500_000),
        Band(4_100_000, 4_200_000),
        Band(4_708_334, 4_900_000),
        Band(5_316_667, 5_600_000),
        Band(5_925_000, 6_300_000),
        Band(6_533_334, 7_000_000),
        Band(7_141_667, 7_700_000),
        Band(7_750_000, None),
    )
    for band in found.bands:
        assert _passes(p, pol, band.low) and not _passes(p, pol, band.low - 1), band
        if band.high is not None:
            assert _passes(p, pol, band.high) and not _passes(p, pol, band.high + 1), band
    ledger = build_ledger(_with_requests(p, 3_500_000), pol, prices())
    assert ledger.fleet is not None and ledger.fleet.burst == (3,) * 24  # 5 GPUs needed, 2 reserved


def test_regions_replicas_and_autoscaling_bands_hold_in_the_exact_ledger() -> None:
    # A replica of two GPUs serves twice one GPU's requests; billed on the average load.
    serving = {
        **GPU_700K,
        "output_tokens_per_second_per_gpu": 1400,
        "regions": 2,
        "gpus_per_replica": 2,
        "peak_to_average": 3,
        "autoscaling": True,
    }
    p = proposal(workload={"monthly_growth_pct": 3}, finetune={"monthly_serving_usd": None, "serving": serving})
    pol = policy(min_savings_pct=0, discount_rate_pct_per_year=5)
    found = _solve(p, pol)
    assert found.complete and found.bands
    for band in found.bands[:5]:
        assert _passes(p, pol, band.low) and not _passes(p, pol, band.low - 1), band
        if band.high is not None:
            assert _passes(p, pol, band.high) and not _passes(p, pol, band.high + 1), band


def test_wrong_answers_move_both_totals_with_the_volume() -> None:
    # Flat serving $3,000 a month ($72,000); prompting 0.0288·R plus its errors: 10% wrong at $0.01 each is
    # 0.001·R a month, 0.024·R over 24 months; fine-tuning 2% wrong: 0.0048·R. Margin 0:
    # 0.0528·R >= 72,000 + 0.0048·R from R = 72,000 / 0.048 = 1,500,000.
    evaluation = {"eval_set": "e", "finetune_accuracy": 0.98, "prompting_accuracy": 0.9, "cost_per_error_usd": 0.01}
    p = proposal(finetune={"monthly_serving_usd": 3000}, evaluation=evaluation)
    pol = policy(min_savings_pct=0)
    found = _solve(p, pol)
    assert found.bands == (Band(1_500_000, None),)
    assert _passes(p, pol, 1_500_000) and not _passes(p, pol, 1_499_999)


def _floor_of_five_gpus() -> tuple[Proposal, Policy]:
    # Five GPUs at the least ($87,600 over 24 months; each serves 700,000 requests a month, so the floor holds up
    # to 3,500,000), a 15% margin that keeps 0.85 × 0.0288 = $0.02448 a request of prompting (under a GPU's
    # $0.0250286 a request), and prompting's upkeep of 10 h × $150 × 24 × 0.85 = $30,600. While the floor holds,
    # the margin rises with the volume; past it, it falls by $0.0005486 a request on the average. So every volume
    # from (87,600 − 30,600) / 0.02448 = 2,328,431.4 qualifies up to where the n-th GPU's band
    # [(17,520·n − 30,600) / 0.02448, 700,000·n] stops meeting the one before (n = 35), then one band below each GPU
    # step while the band is not empty: 17,520·n − 30,600 <= 17,136·n, up to n = 79.
    serving = {**GPU_700K, "min_gpus": 5}
    p = proposal(prompting={"monthly_eng_hours": 10}, finetune={"monthly_serving_usd": None, "serving": serving})
    return p, policy(min_savings_pct=15)


def test_the_walk_above_the_sure_range_finds_the_bands_below_each_later_gpu_step() -> None:
    p, pol = _floor_of_five_gpus()
    found = _solve(p, pol)
    keep = Fraction(85, 100) * Fraction(288, 10_000)  # prompting's usage kept, a request

    def start(n: int) -> int:
        return math.ceil((17_520 * n - 30_600) / keep)

    assert start(5) == 2_328_432
    expected = (Band(2_328_432, 24_500_000), *(Band(start(n), 700_000 * n) for n in range(36, 80)))
    assert found.bands == expected and found.complete
    # The concave envelope over ceil(x) + 1 is sure only up to 23,843,750 (where 30,600 − 17,520 is used up at
    # $0.0005486 a request): the rest of the first band, and every band after it, are the walk's above it.
    for requests, expected_pass in [(2_328_431, False), (2_328_432, True), (24_500_000, True), (24_500_001, False)]:
        assert _passes(p, pol, requests) is expected_pass, requests
    last = found.bands[-1]
    assert _passes(p, pol, last.low) and not _passes(p, pol, last.low - 1)


def test_a_walk_above_the_sure_range_out_of_steps_says_it_is_incomplete(monkeypatch: pytest.MonkeyPatch) -> None:
    # The floor makes the lower envelopes meet: nothing to walk below the sure range, so the whole budget goes above.
    monkeypatch.setattr(breakeven, "WALK_LIMIT", 10)
    p, pol = _floor_of_five_gpus()
    found = _solve(p, pol)
    assert not found.complete
    assert found.bands[0].low == 2_328_432 and len(found.bands) < 45


def test_a_shrinking_volume_is_held_to_the_fleet_in_its_first_month() -> None:
    # With −2% a month, month 1 is the busiest: the fleet serves month-1 volumes up to 4 × 700,000.
    serving = {**GPU_700K, "gpu_hourly_usd": None, "committed": {"gpus": 4, "monthly_usd_per_gpu": 500}}
    p = proposal(workload={"monthly_growth_pct": -2}, finetune={"monthly_serving_usd": None, "serving": serving})
    assert _solve(p, policy(min_savings_pct=0)).capacity == 2_800_000


def test_a_committed_fleet_split_unevenly_over_regions_keeps_its_half_replicas() -> None:
    # 3 committed GPUs at $100 a month ($7,200 over 24 months) over 2 regions: 1.5 committed replicas a region,
    # $1 an hour beyond. Up to 1,400,000 requests each region needs 1 replica: 2 GPUs, none rented, F = 7,200,
    # so fine-tuning wins from 7,200 / 0.0288 = 250,000; from there every piece pays for its burst (2 regions
    # × 2 replicas is 1 GPU of burst, $17,520: F = 24,720 against 0.0288 × 1,400,001 = 40,320, and so on).
    # Counted with a whole floor instead of the 1.5, the committed GPUs would seem to pay for a third more.
    serving = {**GPU_700K, "regions": 2, "committed": {"gpus": 3, "monthly_usd_per_gpu": 100}}
    p, pol = proposal(finetune={"monthly_serving_usd": None, "serving": serving}), policy(min_savings_pct=0)
    found = _solve(p, pol)
    assert found.bands == (Band(250_000, None),)
    assert _passes(p, pol, 250_000) and not _passes(p, pol, 249_999)


def test_sized_serving_that_takes_no_gpu_time_costs_its_floor_at_every_volume() -> None:
    # No output tokens: one GPU (the minimum) whatever the volume, $17,520; 0.0288·R >= 17,520 from 608,334.
    serving = {**GPU_700K, "output_tokens_per_request": 0}
    p, pol = proposal(finetune={"monthly_serving_usd": None, "serving": serving}), policy(min_savings_pct=0)
    assert _solve(p, pol).bands == (Band(608_334, None),)
