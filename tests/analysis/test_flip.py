"""Flip points: the root finder against a brute-force dense scan, one input at a time on the whole model."""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tco_gate.analysis import gpu_months
from tco_gate.analysis.fastmodel import Num, Setting, capacity_slack, passes, totals
from tco_gate.analysis.flip import PRECISION, STEPS, Mover, candidates, field, score
from tco_gate.analysis.inputs import cost_inputs, written_inputs
from tco_gate.analysis.partial import OneAtATime
from tco_gate.analysis.sensitivity import VOLUME, sensitivity
from tco_gate.ledger import build_ledger
from tco_gate.models import Policy, Proposal
from tests.factories import ERROR_PRICES, GPU_700K, SERVING_FORMS, policy, prices, proposal


@st.composite
def proposals(draw: st.DrawFn) -> tuple[Proposal, Policy]:
    """Proposals of every serving form, near and far from their verdict's edge, under varied policies."""
    prompting: dict[str, Any] = {
        "price_decline_pct_per_year": draw(st.sampled_from([0, 12, 25, 60])),
        "batch_share_pct": draw(st.sampled_from([0, 40])),
        "setup_eng_hours": draw(st.sampled_from([0, 40])),
        "monthly_eng_hours": draw(st.sampled_from([0, 7.5, 30])),
        "cached_input_tokens_per_request": draw(st.sampled_from([0, 400])),
    }
    if draw(st.booleans()):
        prompting |= {"model_lifecycle_months": draw(st.sampled_from([5, 12])), "migration_eng_hours": 80}
    finetune = {
        **draw(SERVING_FORMS),
        "training_run_usd": draw(st.sampled_from([0, 900, 20000])),
        "data_labeling_usd": 5000,
        "eval_set_build_hours": draw(st.sampled_from([0, 120])),
        "monthly_eval_hours": 6,
        "retrains_per_year": draw(st.integers(0, 13)),
        "retrain_eng_hours": 20,
        "monthly_eng_hours": draw(st.sampled_from([0, 30, 80])),
        "base_model_lifecycle_months": draw(st.sampled_from([7, 18, 1200])),
        "rebuild_eng_hours": 60,
    }
    workload = {
        "requests_per_month": draw(st.integers(10_000, 300_000_000)),
        "monthly_growth_pct": draw(st.sampled_from([0, 1.5, 4, -2])),
    }
    pol = policy(
        min_savings_pct=draw(st.sampled_from([0, 10, 35])),
        discount_rate_pct_per_year=draw(st.sampled_from([0, 8])),
        horizon_months=draw(st.sampled_from([12, 24, 36])),
    )
    evaluation = draw(ERROR_PRICES)
    sections = {"evaluation": evaluation} if evaluation else {}
    return proposal(workload=workload, prompting=prompting, finetune=finetune, **sections), pol


def _inputs(p: Proposal) -> dict[str, float]:
    return cost_inputs(p, prices("1", "0.25"), prices("0.8", "0.8", "3.2") if p.finetune.hosted else None)


def _verdicts(base: dict[str, float], pointer: str, values: list[float], setting: Setting) -> list[bool]:
    """The whole model (no parts held), one column for the input."""
    moved: dict[str, Num] = {**base, pointer: values}
    finetune, prompting = totals(moved, setting)
    slack = capacity_slack(moved, setting)
    f_column = finetune if isinstance(finetune, list) else [finetune] * len(values)
    p_column = prompting if isinstance(prompting, list) else [prompting] * len(values)
    s_column = slack if isinstance(slack, list) else [slack] * len(values)
    return [passes(f, p, setting.min_savings_pct, c) for f, p, c in zip(f_column, p_column, s_column, strict=True)]


def _stops(value: float, pointer: str, direction: int) -> tuple[float, ...]:
    """The scan's stops as the oracle takes them, not from `candidates`: each step from the value, clipped to
    what the field accepts, kept if it moved the value that way at all."""
    bounds, scale = field(pointer), abs(value) or 1.0
    points = (bounds.clip(value + direction * scale * step) for step in STEPS)
    return tuple(dict.fromkeys(p for p in points if (p - value) * direction > 0))


def _dense(value: float, stops: tuple[float, ...], integer: bool) -> list[float]:
    """Sixty-four points between each pair of consecutive scan stops, from `value` outwards."""
    points: list[float] = []
    for start, end in zip((value, *stops), stops, strict=False):
        if integer:
            step = 1 if end > start else -1
            points += [float(v) for v in range(int(start) + step, int(end) + step, step)]
        else:
            points += [start + (end - start) * k / 64 for k in range(1, 65)]
    return points


def _reference_flip(base: dict[str, float], pointer: str, setting: Setting, now: bool) -> float | None:
    """The nearest flip by brute force: a dense scan each way, then sixty bisections on the whole model."""
    value, bounds = base[pointer], field(pointer)
    found = []
    for direction in (1, -1):
        points = _dense(value, _stops(value, pointer, direction), bounds.integer)
        verdicts = _verdicts(base, pointer, points, setting)
        first = next((i for i, v in enumerate(verdicts) if v != now), None)
        if first is None:
            continue
        held, flipped = (points[first - 1] if first else value), points[first]
        for _ in range(60 if not bounds.integer else 0):
            mid = (held + flipped) / 2
            if mid in (held, flipped):
                break
            held, flipped = (mid, flipped) if _verdicts(base, pointer, [mid], setting)[0] == now else (held, mid)
        found.append(flipped)
    return min(found, key=lambda v: abs(v - value), default=None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=proposals())
def test_flips_agree_with_a_brute_force_dense_scan(case: tuple[Proposal, Policy]) -> None:
    p, pol = case
    base, setting = _inputs(p), Setting.of(pol)
    model = OneAtATime(base, setting)
    assume(model.prompting < 1e9 and model.finetune < 1e9)
    now = passes(model.finetune, model.prompting, setting.min_savings_pct, model.slack)
    for entry in sensitivity(base, written_inputs(p), setting):
        pointer, value = entry.pointer, entry.value
        if not model.monotone(pointer):
            _check_a_scanned_flip(base, pointer, setting, now, entry.flip.value if entry.flip else None)
            continue
        expected = _reference_flip(base, pointer, setting, now)
        found = entry.flip.value if entry.flip else None
        assert (found is None) == (expected is None), (pointer, value, found, expected)
        if found is not None and expected is not None:
            tolerance = 1.0 if field(pointer).integer else 2 * PRECISION * max(abs(value), abs(expected), 1e-12)
            assert abs(found - expected) <= tolerance, (pointer, value, found, expected)


def _check_a_scanned_flip(
    base: dict[str, float], pointer: str, setting: Setting, now: bool, found: float | None
) -> None:
    """An input both totals read may change the verdict more than once, so the scan's steps decide which
    change is found: it must be a real one, and no step nearer the value may have the other verdict."""
    value = base[pointer]
    steps = [*_stops(value, pointer, 1), *_stops(value, pointer, -1)]
    other = [step for step, v in zip(steps, _verdicts(base, pointer, steps, setting), strict=True) if v != now]
    if found is None:
        assert not other, (pointer, other)
        return
    assert _verdicts(base, pointer, [found], setting) == [not now], (pointer, found)
    assert all(abs(step - value) >= abs(found - value) for step in other), (pointer, found, other)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=proposals())
def test_an_input_one_total_reads_changes_the_verdict_at_most_once(case: tuple[Proposal, Policy]) -> None:
    # The claim behind probing only a side's far end: dense grids from the lower to the upper bound.
    p, pol = case
    base, setting = _inputs(p), Setting.of(pol)
    model = OneAtATime(base, setting)
    for pointer in written_inputs(p):
        if pointer not in base or not model.monotone(pointer):
            continue
        value, bounds = base[pointer], field(pointer)
        downs, ups = _stops(value, pointer, -1), _stops(value, pointer, 1)
        line = [*reversed(_dense(value, downs, bounds.integer)), value, *_dense(value, ups, bounds.integer)]
        verdicts = _verdicts(base, pointer, line, setting)
        changes = sum(a != b for a, b in pairwise(verdicts))
        assert changes <= 1, pointer


@settings(max_examples=30, deadline=None)
@given(case=proposals())
def test_one_input_at_a_time_is_the_whole_model_with_one_column(case: tuple[Proposal, Policy]) -> None:
    p, pol = case
    base, setting = _inputs(p), Setting.of(pol)
    model = OneAtATime(base, setting)
    for pointer in written_inputs(p):
        if pointer not in base:
            continue
        values = [field(pointer).clip(base[pointer] * k) for k in (0.5, 0.99, 1.0, 1.7, 3.0)]
        held = model.totals(pointer, values)
        whole = totals({**base, pointer: values}, setting)
        for got, want in zip(held, whole, strict=True):
            want = want if isinstance(want, list) else [want] * len(values)
            assert got == pytest.approx(want, rel=1e-12, abs=1e-9), pointer


@given(
    finetune=st.floats(-1e12, 1e12, allow_nan=False),
    prompting=st.floats(-1e12, 1e12, allow_nan=False),
    margin=st.sampled_from([-1000.0, 0.0, 10.0, 99.5, 100.0]),
)
def test_the_score_is_non_negative_exactly_where_the_margin_test_passes(
    finetune: float, prompting: float, margin: float
) -> None:
    assert (score(finetune, prompting, margin) >= 0) == passes(finetune, prompting, margin)
    assert passes(0.0, 0.01, 0.0) and score(0.0, 0.01, 0.0) == 0  # the edges themselves pass


def test_a_sized_serving_input_flips_exactly_at_a_gpu_step() -> None:
    # 1,000,000 requests need 2 GPUs: $35,040 over 24 months against prompting's 0.0288·R = $28,800 plus
    # $10,000 of prompt upkeep; margin 0, so 2 GPUs pass ($38,800) and 3 ($52,560) fail. More tokens a
    # request raise the need continuously, but the cost only at the ceiling: the verdict flips where
    # 1,000,000 · t / (700 · 2,628,000) reaches 2, at t = 3,679.2. A secant on the margin sees a flat
    # line on both sides; the split still pins the step.
    upkeep = {"monthly_eng_hours": 10000 / 24 / 150}
    p = proposal(prompting=upkeep, finetune={"monthly_serving_usd": None, "serving": GPU_700K})
    pol = policy(min_savings_pct=0)
    ledger = build_ledger(p, pol, prices())
    assert ledger.gpus is not None and set(ledger.gpus) == {2}
    base = cost_inputs(p, prices())
    (entry,) = sensitivity(base, ["/finetune/serving/output_tokens_per_request"], Setting.of(pol))
    assert entry.flip is not None and entry.flip.to == "fail"
    assert entry.flip.value == pytest.approx(3679.2, rel=2 * PRECISION)
    assert entry.flip.value > 3679.2 * (1 - 1e-12)  # on the far side of the step, where 3 GPUs are needed
    # The throughput flips at the same step from the other side: 2,628 · 1,000,000 / (2 · 2,628,000) = 500.
    (rate,) = sensitivity(base, ["/finetune/serving/output_tokens_per_second_per_gpu"], Setting.of(pol))
    assert rate.flip is not None and rate.flip.value == pytest.approx(500, rel=2 * PRECISION)
    assert rate.flip.value < 500


def test_an_input_read_by_both_totals_is_scanned_not_probed() -> None:
    # Volume moves prompting's usage and the GPU count: the verdict comes and goes with each step.
    p = proposal(finetune={"monthly_serving_usd": None, "serving": GPU_700K})
    model = OneAtATime(cost_inputs(p, prices()), Setting.of(policy()))
    assert not model.monotone(VOLUME) and not model.monotone("/workload/monthly_growth_pct")
    assert model.monotone("/finetune/serving/output_tokens_per_request")
    assert model.monotone("/prompting/setup_eng_hours")
    assert not model.reads("/evaluation/finetune_accuracy")
    flat = OneAtATime(cost_inputs(proposal(), prices()), Setting.of(policy()))
    assert flat.monotone(VOLUME)  # flat serving: only prompting reads the volume


def test_a_margin_of_a_hundred_percent_still_moves_the_verdict_once() -> None:
    # (100 − 100)·P ≥ 100·F holds only at F = 0: the test still moves one way with each total.
    model = OneAtATime(cost_inputs(proposal(), prices()), Setting.of(policy(min_savings_pct=100)))
    assert model.monotone("/prompting/setup_eng_hours")


def test_a_load_inputs_gpu_step_is_found_at_its_value_proportional_or_inverse() -> None:
    # As in test_a_sized_serving_input_flips_exactly_at_a_gpu_step: the second GPU's step is at 3,679.2 tokens
    # a request (the load is proportional to them) and at 500 tokens a second (inversely proportional).
    p = proposal(finetune={"monthly_serving_usd": None, "serving": GPU_700K})
    model = OneAtATime(cost_inputs(p, prices()), Setting.of(policy()))
    tokens = model.gpu_steps("/finetune/serving/output_tokens_per_request", 3000, 4000, 10)
    rate = model.gpu_steps("/finetune/serving/output_tokens_per_second_per_gpu", 400, 600, 10)
    assert tokens is not None and any(v == pytest.approx(3679.2, rel=1e-9) for v in tokens), tokens
    assert rate is not None and any(v == pytest.approx(500, rel=1e-9) for v in rate), rate


def _count_evaluations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records how many values each call of the one-input model evaluates, in order."""
    calls: list[int] = []
    real = OneAtATime.totals

    def counting(self: OneAtATime, pointer: str, values: list[float]) -> tuple[list[float], list[float]]:
        calls.append(len(values))
        return real(self, pointer, values)

    monkeypatch.setattr(OneAtATime, "totals", counting)
    return calls


def test_a_linear_input_is_solved_in_one_secant_round(monkeypatch: pytest.MonkeyPatch) -> None:
    # Serving at $3,000 a month: the flip is where 24·S = 25,920 − 4,500, S = 892.5 (see test_sensitivity).
    p = proposal(finetune={"monthly_serving_usd": 3000, "retrains_per_year": 4, "training_run_usd": 500})
    calls = _count_evaluations(monkeypatch)
    (entry,) = sensitivity(cost_inputs(p, prices()), ["/finetune/monthly_serving_usd"], Setting.of(policy()))
    assert entry.flip is not None and entry.flip.value == pytest.approx(892.5, abs=PRECISION * 3000)
    assert calls == [4, 2]  # the tornado's two points and both far ends, then one straddled secant root
    assert (entry.low_value, entry.high_value) == (2400.0, 3600.0)


@settings(max_examples=40, deadline=None)
@given(
    growth=st.sampled_from([0.0, 0.03, 0.25]),
    least=st.integers(1, 3),
    low=st.floats(0.01, 30),
    width=st.floats(0.0, 2.0),
)
def test_the_gpu_steps_between_two_loads_are_where_a_count_changes(
    growth: float, least: int, low: float, width: float
) -> None:
    # Against the counts themselves: just below and just above each step one month's count differs, and
    # no month's count changes between two neighbouring steps.
    grown = tuple((1 + growth) ** m for m in range(12))
    high = low + width
    steps = gpu_months.steps_between(grown, least, low, high, 10_000)
    assert steps is not None and steps == sorted(steps)

    def counts(load: float) -> list[int]:
        return [max(least, math.ceil(load * c)) for c in grown]

    for step in steps:
        assert low < step < high
        assert counts(step * (1 - 1e-12)) != counts(step * (1 + 1e-12))
    for left, right in pairwise([low, *steps, high]):
        assert counts(left + (right - left) * 1e-9) == counts(right - (right - left) * 1e-9)
    assert gpu_months.steps_between(grown, least, low, high, len(steps) - 1) is None or not steps


def test_a_load_input_is_pinned_at_its_gpu_step_in_a_few_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    # As in test_a_sized_serving_input_flips_exactly_at_a_gpu_step: once the bracket holds a few GPU
    # steps, the step's value is solved from the load (proportional to the tokens) and straddled.
    upkeep = {"monthly_eng_hours": 10000 / 24 / 150}
    p = proposal(prompting=upkeep, finetune={"monthly_serving_usd": None, "serving": GPU_700K})
    calls = _count_evaluations(monkeypatch)
    pointer = "/finetune/serving/output_tokens_per_request"
    (entry,) = sensitivity(cost_inputs(p, prices()), [pointer], Setting.of(policy(min_savings_pct=0)))
    assert entry.flip is not None and entry.flip.value == pytest.approx(3679.2, rel=2 * PRECISION)
    assert len(calls) <= 5, calls


@pytest.mark.parametrize(
    ("requests", "nearer", "farther"),
    [
        (690_000.0, 700_000.0, 608_333.33),  # 10,000 to the step up, 81,667 down to the band's start
        (620_000.0, 608_333.33, 700_000.0),  # 11,667 down, 80,000 up
    ],
)
def test_nearest_flip_chooses_the_nearer_of_two_flips(requests: float, nearer: float, farther: float) -> None:
    # Volume with one GPU per 700,000 requests ($17,520 over 24 months) against prompting's 0.0288·R, margin 0:
    # fine-tuning wins from 17,520 / 0.0288 = 608,333.3 requests up to the second GPU's step at 700,000. From
    # inside that band the verdict flips both ways; the flip reported is the nearer one.
    p = proposal(workload={"requests_per_month": requests}, finetune={"monthly_serving_usd": None, "serving": GPU_700K})
    model = OneAtATime(cost_inputs(p, prices()), Setting.of(policy(min_savings_pct=0)))
    assert not model.monotone(VOLUME)
    mover = Mover(model, VOLUME, requests, 0.0)
    assert mover.now  # inside the band: fine-tuning wins
    flip, _ = mover.nearest_flip([])
    assert flip is not None and flip == pytest.approx(nearer, rel=1e-8)
    assert abs(flip - requests) < abs(farther - requests)


@pytest.mark.parametrize(
    ("pointer", "workload", "root"),
    [
        # Flat serving at $600 a month: prompting's usage falls with the growth (and the price decline) until the
        # fine-tune no longer saves the margin; both totals are curves in these inputs, not lines.
        ("/workload/monthly_growth_pct", {}, -2.8815997),
        ("/prompting/price_decline_pct_per_year", {}, 29.5926106),
        ("/workload/monthly_growth_pct", {"monthly_growth_pct": 3}, -2.8815997),
    ],
)
def test_a_curved_input_is_pinned_by_weighted_secants_alone(
    monkeypatch: pytest.MonkeyPatch, pointer: str, workload: dict[str, float], root: float
) -> None:
    # Regula falsi on a curve keeps one end; the Illinois weighting (halving the kept end's score) moves the
    # next root past the curve's, so the bracket closes from both sides: every round after the scan is one
    # straddled pair, never the sixteenfold split kept for a flat margin or a bracket that does not halve.
    flat = {"monthly_serving_usd": 600, "retrains_per_year": 4, "training_run_usd": 500}
    p = proposal(finetune=flat, workload={"requests_per_month": 1_000_000, **workload})
    base, setting = cost_inputs(p, prices()), Setting.of(policy())
    calls = _count_evaluations(monkeypatch)
    (entry,) = sensitivity(base, [pointer], setting)
    assert entry.flip is not None and entry.flip.value == pytest.approx(root, rel=1e-7)
    assert all(n <= 2 for n in calls[1:]) and len(calls) <= 12, calls
    # The flip is the verdict's edge: passing on the value's side of it, failing just past it.
    value, edge = base[pointer], entry.flip.value
    towards = 1 if edge > value else -1
    near = edge - towards * 2 * PRECISION * abs(edge)
    assert _verdicts(base, pointer, [near, edge], setting) == [True, False]


def test_a_split_cuts_the_bracket_into_sixteen_equal_parts() -> None:
    # The fallback where a secant cannot help: fifteen points strictly inside the bracket, from `held` on,
    # evenly spaced, so a flip anywhere in it is bracketed a sixteenth as wide.
    p = proposal(finetune={"monthly_serving_usd": 3000})
    mover = Mover(OneAtATime(cost_inputs(p, prices()), Setting.of(policy())), "/finetune/monthly_serving_usd", 3000, 0)
    points = mover._split(100.0, 260.0)
    assert points == pytest.approx([100.0 + 10 * k for k in range(1, 16)])
    assert mover._split(260.0, 100.0) == pytest.approx([260.0 - 10 * k for k in range(1, 16)])


def test_a_linear_whole_number_input_is_solved_in_one_round_of_two_whole_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each retrain a year costs $500 twice over 24 months: fine-tuning is 14,900 + 1,000·n against prompting's
    # 28,800, margin 10%, so it passes while 14,900 + 1,000·n <= 25,920: n = 11 passes, 12 fails.
    p = proposal(finetune={"monthly_serving_usd": 600, "retrains_per_year": 4, "training_run_usd": 500})
    base, setting = cost_inputs(p, prices()), Setting.of(policy())
    calls = _count_evaluations(monkeypatch)
    (entry,) = sensitivity(base, ["/finetune/retrains_per_year"], setting)
    assert entry.flip is not None and entry.flip.value == 12
    assert _verdicts(base, "/finetune/retrains_per_year", [11.0, 12.0], setting) == [True, False]
    assert calls == [4, 2]  # the tornado and both far ends, then the whole numbers either side of the root


def _owned_fleet(gpus: int, failover: int, least: int) -> OneAtATime:
    """A small owned fleet (no on-demand beyond it) whose peak load is far under one GPU, so the capacity it needs
    is `least` + `failover` whole GPUs, and $100 a GPU a month against prompting's $28,800: only the fleet's size
    decides the verdict."""
    serving = {
        "requests_per_second_per_gpu": 10,
        "min_gpus": least,
        "failover_gpus": failover,
        "committed": {"gpus": gpus, "monthly_usd_per_gpu": 100},
    }
    p = proposal(finetune={"monthly_serving_usd": None, "serving": serving})
    return OneAtATime(cost_inputs(p, prices()), Setting.of(policy(min_savings_pct=0)))


def test_a_fleet_that_exactly_holds_the_peak_is_the_flip_of_its_size() -> None:
    # One GPU cannot hold a floor of one plus one spare (slack -1); two hold it with no GPU to spare, a slack of
    # exactly 0, which passes. The fleet's size moves both its cost and its capacity, so it is scanned point by
    # point (1, 2, 3, ...): the flip is the first point whose score is 0, not the first above it.
    gpus = "/finetune/serving/committed/gpus"
    model = _owned_fleet(gpus=1, failover=1, least=1)
    assert not model.monotone(gpus)
    assert model.slack == -1 and model.slacks(gpus, [2.0]) == [0.0]
    mover = Mover(model, gpus, 1.0, 0.0)
    assert not mover.now
    flip, _ = mover.nearest_flip([])
    assert flip == 2.0


def test_a_far_end_with_exactly_the_capacity_needed_is_a_flip() -> None:
    # Two GPUs, a floor of two: every spare GPU asked for is a replica short (slack -1 at one spare). Only the
    # fleet's capacity reads the spares, so the scan probes its far end alone: no spares, a slack of exactly 0,
    # passes, so the side holds the flip, and it is 0.
    failover = "/finetune/serving/failover_gpus"
    model = _owned_fleet(gpus=2, failover=1, least=2)
    assert model.monotone(failover)
    assert candidates(1.0, failover, -1) == (0.0,)
    assert model.slack == -1 and model.slacks(failover, [0.0]) == [0.0]
    flip, _ = Mover(model, failover, 1.0, 0.0).nearest_flip([])
    assert flip == 0.0


def test_a_whole_number_at_its_least_is_scanned_upwards() -> None:
    # No retrains (the field's minimum): the scan's first small steps round back to 0, the bound behind it,
    # and must not end the scan. As above, 14,900 + 1,000·n against 25,920: the 12th retrain a year fails.
    assert candidates(0.0, "/finetune/retrains_per_year", 1)[:3] == (1.0, 2.0, 3.0)
    assert candidates(0.0, "/finetune/retrains_per_year", -1) == ()
    p = proposal(finetune={"monthly_serving_usd": 600, "retrains_per_year": 0, "training_run_usd": 500})
    (entry,) = sensitivity(cost_inputs(p, prices()), ["/finetune/retrains_per_year"], Setting.of(policy()))
    assert entry.flip is not None and (entry.flip.value, entry.flip.to) == (12.0, "fail")


def test_a_straddle_keeps_only_points_strictly_inside_the_bracket() -> None:
    # A root at an end of the bracket, or a GPU step guessed just outside it, gives a pair one of whose points
    # is an end or past it: evaluating it would move an end the wrong way, so only the inner point is kept.
    retrains = Mover(
        OneAtATime(cost_inputs(proposal(), prices()), Setting.of(policy())), "/finetune/retrains_per_year", 4.0, 10
    )
    assert retrains._straddle(5.5, 5.0, 8.0) == [6.0]  # 5 is `held` itself
    assert retrains._straddle(7.5, 8.0, 5.0) == [7.0]  # towards the lower end: 8 is `held`
    assert retrains._straddle(6.5, 5.0, 8.0) == [6.0, 7.0]
    assert retrains._straddle(8.0, 5.0, 8.0) == []  # 8 and 9: the end and past it
    serving = Mover(
        OneAtATime(cost_inputs(proposal(), prices()), Setting.of(policy())), "/finetune/monthly_serving_usd", 3000, 10
    )
    near_end = serving._straddle(1000.0, 500.0, 1000.0)
    assert len(near_end) == 1 and 999.999 < near_end[0] < 1000.0


def test_a_scanned_input_finds_a_band_narrower_than_two_steps_of_the_scan() -> None:
    # As above, with $2,438.40 more for fine-tuning: it wins only from 693,000 requests (1% under the step) to the
    # second GPU's step at 700,000. From 705,000 the scan's first step down (1%, 697,950) lands in that band, so
    # the flip is its top, not the next band's start, 85% up at 1,301,333.
    p = proposal(
        workload={"requests_per_month": 705_000},
        finetune={"monthly_serving_usd": None, "serving": GPU_700K, "training_run_usd": 2438.4},
    )
    mover = Mover(OneAtATime(cost_inputs(p, prices()), Setting.of(policy(min_savings_pct=0))), VOLUME, 705_000, 0.0)
    assert not mover.now
    flip, _ = mover.nearest_flip([])
    assert flip == pytest.approx(700_000, rel=1e-8)
