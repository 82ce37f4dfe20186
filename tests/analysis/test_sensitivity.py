"""Sensitivity: flip points solved by hand and held to the exact ledger; the tornado at ±20%."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tco_gate.analysis.analyze import analyze
from tco_gate.analysis.breakeven import Band, BreakEvenVolume
from tco_gate.analysis.fastmodel import Setting
from tco_gate.analysis.flip import field
from tco_gate.analysis.inputs import cost_inputs, written_inputs
from tco_gate.analysis.sensitivity import VOLUME, InputSensitivity, sensitivity
from tco_gate.catalog import resolve_proposal_prices
from tco_gate.ledger import build_ledger
from tco_gate.loader import load
from tco_gate.models import Policy, Proposal
from tco_gate.validation import validate
from tests.corpus import evidence_of
from tests.factories import GPU_700K, policy, prices, proposal
from tests.paths import ROOT


def _by_pointer(entries: list[InputSensitivity]) -> dict[str, InputSensitivity]:
    return {e.pointer: e for e in entries}


def _flat() -> Proposal:
    return proposal(finetune={"monthly_serving_usd": 3000, "retrains_per_year": 4, "training_run_usd": 500})


def test_flip_points_are_hand_computed() -> None:
    # Prompting: 1,000,000 requests × $0.0012 × 24 = $28,800. Fine-tuning: 24·S + 8 retrains × T + T.
    # A 10% saving needs F ≤ $25,920. With T = 500: 24·S ≤ 21,420, so S = 892.50, 70.25% below 3,000.
    p = _flat()
    entries = _by_pointer(sensitivity(cost_inputs(p, prices()), written_inputs(p), Setting.of(policy())))
    serving = entries["/finetune/monthly_serving_usd"]
    assert serving.flip is not None and serving.flip.to == "pass"
    assert serving.flip.value == pytest.approx(892.5, rel=1e-8)
    assert serving.flip.change_pct == pytest.approx(-70.25, rel=1e-8)
    # Prompting's usage must grow to 103,200 / 0.9 (F at its point is 72,000 + 4,500): requests × 3.98.
    volume = entries["/workload/requests_per_month"]
    assert volume.flip is not None and volume.flip.value == pytest.approx(76_500 / 0.9 / 0.0288, rel=1e-8)
    # Retrains cannot help enough: at 0 a year fine-tuning still costs $72,500.
    assert entries["/finetune/retrains_per_year"].flip is None
    assert entries["/finetune/training_run_usd"].flip is None


# 2,628 output tokens at 700 tokens/s: one GPU at 100% serves 700,000 requests a month. Four reserved GPUs at
# $500 a month ($48,000 over 24 months) and nothing beyond them: they serve at most 2,800,000 a month.
COMMITTED_ONLY = {
    "output_tokens_per_request": 2628,
    "output_tokens_per_second_per_gpu": 700,
    "target_utilization_pct": 100,
    "peak_to_average": 1,
    "failover_gpus": 0,
    "committed": {"gpus": 4, "monthly_usd_per_gpu": 500},
}


def _committed_only() -> tuple[Proposal, dict[str, InputSensitivity]]:
    # 2,000,000 requests: 3 GPUs at the peak, 4 committed. Prompting $57,600; a 10% saving needs F <= $51,840.
    p = proposal(
        workload={"requests_per_month": 2_000_000}, finetune={"monthly_serving_usd": None, "serving": COMMITTED_ONLY}
    )
    return p, _by_pointer(sensitivity(*_analysed(p)))


def _analysed(p: Proposal) -> tuple[dict[str, float], list[str], Setting, Any]:
    pol = policy()
    ledger = build_ledger(p, pol, prices())
    volume = analyze(p, pol, prices(), ledger).break_even
    return cost_inputs(p, prices()), written_inputs(p), Setting.of(pol), volume


def test_the_volume_flip_never_names_a_volume_the_fleet_cannot_serve() -> None:
    # 0.9 × 0.0288·R >= 48,000 from R = 1,851,852; the fleet serves up to 2,800,000: the flip is the nearer edge,
    # 1,851,851 (fails on the margin); the other edge, 2,800,001, fails on capacity, and no band lies beyond it.
    _, entries = _committed_only()
    volume = entries["/workload/requests_per_month"].flip
    assert volume is not None and (volume.value, volume.to) == (1_851_851.0, "fail")


def test_a_load_input_flips_where_the_peak_fleet_outgrows_the_committed_one() -> None:
    # The cost does not move with the peak (the committed fleet is paid anyway), but capacity does: 2,000,000
    # requests × 1.4 is 2,800,000, four GPUs' worth exactly; any more peak is over capacity.
    _, entries = _committed_only()
    peak = entries["/finetune/serving/peak_to_average"].flip
    assert peak is not None and peak.to == "fail"
    assert peak.value == pytest.approx(1.4, rel=2e-9) and peak.value > 1.4


def test_committed_gpus_flip_both_ways_and_the_nearer_is_reported() -> None:
    # Five GPUs cost $60,000 (> $51,840: fails the margin); two serve 1,400,000 (< 2,000,000: over capacity).
    # Both are a change of verdict; +1 (25%) is nearer than −2 (50%).
    _, entries = _committed_only()
    gpus = entries["/finetune/serving/committed/gpus"].flip
    assert gpus is not None and (gpus.value, gpus.to) == (5.0, "fail")
    three = proposal(
        workload={"requests_per_month": 2_000_000},
        finetune={
            "monthly_serving_usd": None,
            "serving": COMMITTED_ONLY | {"committed": {"gpus": 3, "monthly_usd_per_gpu": 500}},
        },
    )
    fewer = _by_pointer(sensitivity(*_analysed(three)))["/finetune/serving/committed/gpus"].flip
    assert fewer is not None and (fewer.value, fewer.to) == (2.0, "fail")  # 4 costs 48,000 (passes), 2 over


def test_an_integer_input_flips_at_a_whole_number() -> None:
    # Passing at 4 retrains a year (F = 24·500 + 8·T + T with T = 1,000 → 21,000 ≤ 25,920): each retrain a
    # year adds 2 × $1,000 over 24 months, so at 6 a year F = 25,000 and at 7 it is 27,000: it fails from 7.
    p = proposal(finetune={"monthly_serving_usd": 500, "retrains_per_year": 4, "training_run_usd": 1000})
    entries = _by_pointer(sensitivity(cost_inputs(p, prices()), written_inputs(p), Setting.of(policy())))
    flip = entries["/finetune/retrains_per_year"].flip
    assert flip is not None and (flip.value, flip.to) == (7.0, "fail")
    assert flip.change_pct == pytest.approx(75.0)


def test_tornado_moves_each_input_by_a_fifth_and_sorts_by_swing() -> None:
    p = _flat()
    entries = sensitivity(cost_inputs(p, prices()), written_inputs(p), Setting.of(policy()))
    swings = [e.swing for e in entries]
    assert swings == sorted(swings, reverse=True)
    serving = _by_pointer(entries)["/finetune/monthly_serving_usd"]
    assert (serving.low_value, serving.high_value) == (2400.0, 3600.0)
    assert serving.low.finetune == pytest.approx(24 * 2400 + 9 * 500)
    assert serving.high.finetune == pytest.approx(24 * 3600 + 9 * 500)
    assert serving.swing == pytest.approx(24 * 1200)
    assert entries[0].pointer == "/finetune/monthly_serving_usd"  # 28,800 of swing; prompting's inputs 5,760


def _with(p: Proposal, pointer: str, value: float) -> Proposal:
    data: Any = p.model_dump(exclude_unset=True)
    node = data
    *parents, last = pointer.strip("/").split("/")
    for key in parents:
        node = node[key]
    number: Decimal | int = int(value) if isinstance(node.get(last), int) else Decimal(repr(value))
    node[last] = number
    return Proposal.model_validate(data)


@pytest.mark.parametrize(
    ("example", "at_least"), [("listing-categorizer", 15), ("contract-clause-review", 15), ("shopping-assistant", 12)]
)
def test_every_flip_of_an_example_holds_in_the_exact_ledger(example: str, at_least: int) -> None:
    path = ROOT / "examples" / example / "finetune-proposal.yml"
    p, pol = validate(load(path.read_bytes()), Proposal), Policy()
    found = resolve_proposal_prices(p)
    ledger = build_ledger(p, pol, found.prompting, found.hosted)
    analysis = analyze(p, pol, found.prompting, ledger, hosted=found.hosted)

    def passes(q: Proposal) -> bool:
        exact = build_ledger(q, pol, found.prompting, found.hosted)
        saved = exact.savings_pct is not None and exact.savings_pct >= pol.min_savings_pct
        return saved and exact.over_capacity_month is None  # over capacity fails whatever it saves

    now = passes(p)
    checked = 0
    for entry in analysis.sensitivity:
        if entry.flip is None or entry.pointer.endswith("_usd_per_mtok"):  # catalog prices: not proposal keys
            continue
        flip, value = entry.flip.value, entry.value
        assert entry.flip.to == ("fail" if now else "pass")
        # Just past the flip (toward it from the proposal's value) the verdict has changed; just before, not.
        nudge = 1 if field(entry.pointer).integer or flip == round(flip) else abs(flip) * 1e-6
        toward = 1 if flip > value else -1
        assert passes(_with(p, entry.pointer, flip)) is not now, entry.pointer
        assert passes(_with(p, entry.pointer, flip - toward * nudge)) is now, entry.pointer
        checked += 1
    assert checked >= at_least


def test_no_inputs_no_entries_and_an_unbounded_input_moves_freely() -> None:
    p = _flat()
    base, setting = cost_inputs(p, prices()), Setting.of(policy())
    assert sensitivity(base, [], setting) == []
    (entry,) = sensitivity({**base, "/not/a/field": 5.0}, ["/not/a/field"], setting)
    assert entry.flip is None and entry.swing == 0  # no total reads it
    assert (entry.low_value, entry.high_value) == (4.0, 6.0)  # no bounds to clip to


@pytest.mark.parametrize(
    ("requests", "flip", "to"),
    [
        (690_000, 700_001.0, "fail"),  # passing, nearer the band's upper edge: the first volume past it
        (710_000, 700_000.0, "pass"),  # failing, just above a bounded band: its upper edge itself
        (1_210_000, 1_216_667.0, "pass"),  # failing, nearer the next band's lower edge
        (620_000, 608_333.0, "fail"),  # passing, nearer the band's lower edge: the last volume before it
    ],
)
def test_the_volume_flip_takes_the_upper_edge_of_a_bounded_band(requests: int, flip: float, to: str) -> None:
    # One GPU per 700,000 requests at $1/h ($17,520 over 24 months) against prompting's 0.0288·R, margin 0: bands
    # from 608,333.3·n up to the n-th GPU's step at 700,000·n (test_breakeven_volume's hand-computed bands).
    p = proposal(workload={"requests_per_month": requests}, finetune={"monthly_serving_usd": None, "serving": GPU_700K})
    pol = policy(min_savings_pct=0)
    ledger = build_ledger(p, pol, prices())
    volume = analyze(p, pol, prices(), ledger).break_even
    assert volume is not None and volume.bands[:2] == (Band(608_334, 700_000), Band(1_216_667, 1_400_000))
    (entry,) = sensitivity(cost_inputs(p, prices()), [VOLUME], Setting.of(pol), volume)
    assert entry.flip is not None and (entry.flip.value, entry.flip.to) == (flip, to)


@pytest.mark.parametrize(
    ("serving_usd", "band", "to"),
    [
        (3000, Band(5_000_000, None), "pass"),  # failing; the only qualifying volume starts at the last one searched
        (500, Band(1, 4_999_999), "fail"),  # passing up to one below the last volume searched: the flip is that one
    ],
)
def test_the_volume_flip_may_be_the_last_volume_searched(serving_usd: int, band: Band, to: str) -> None:
    # Bands given by hand: _volume_flip reads only them. An edge at searched_to is a volume the search reached.
    p = proposal(finetune={"monthly_serving_usd": serving_usd, "retrains_per_year": 4, "training_run_usd": 500})
    volume = BreakEvenVolume(Decimal(1_000_000), (band,), True, 5_000_000)
    (entry,) = sensitivity(cost_inputs(p, prices()), [VOLUME], Setting.of(policy()), volume)
    assert entry.flip is not None and (entry.flip.value, entry.flip.to) == (5_000_000.0, to)


def _proposals_of_every_kind(tmp_path: Any) -> list[Any]:
    """The valid corpus, the examples, and generated proposals of sized serving at many volumes."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("bench_proposals", ROOT / "bench" / "proposals.py")
    assert spec is not None and spec.loader is not None
    generated = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generated
    spec.loader.exec_module(generated)
    paths = sorted((ROOT / "tests" / "cases" / "valid").glob("*/finetune-proposal.yml"))
    paths += sorted((ROOT / "examples").glob("*/finetune-proposal.yml"))
    written: list[Any] = generated.write_proposals(tmp_path / "generated", 60)
    return paths + written


def test_pinning_only_the_nearest_flips_finds_the_same_nearest_flips_to_the_last_bit(tmp_path: Any) -> None:
    # The text report shows the three nearest flips; a text run pins no others. Every flip it does pin is the
    # one the full analysis finds, and the three nearest (as rounded for the report, with their names) agree.
    from tco_gate.analysis.sampling import Sampling
    from tco_gate.gate import evaluate
    from tco_gate.report.build import entry
    from tco_gate.report.text import NEAREST_FLIPS, part
    from tco_gate.result import PolicySettings

    compared = left_unpinned = 0
    for path in _proposals_of_every_kind(tmp_path):
        data, settings = path.read_bytes(), PolicySettings(Policy(), None, {})
        files = evidence_of(path)  # the evidence example judged as a run judges it
        full = evaluate(data, str(path), settings, date(2026, 11, 29), Sampling(), files)
        near = evaluate(data, str(path), settings, date(2026, 11, 29), Sampling(nearest_flips=NEAREST_FLIPS), files)
        if full.analysis is None:
            continue
        assert near.analysis is not None
        pinned = {e.pointer: e.flip for e in near.analysis.sensitivity if e.flip is not None}
        every = {e.pointer: e.flip for e in full.analysis.sensitivity}
        assert all(every[pointer] == flip for pointer, flip in pinned.items()), path
        assert part(entry(near), None).text() == part(entry(full), None).text(), path
        compared += 1
        left_unpinned += sum(flip is not None for flip in every.values()) - len(pinned)
    assert compared >= 60
    assert left_unpinned > 0  # the option was passed down: some flip far from the nearest was not searched


def test_a_band_from_two_requests_flips_at_one_request() -> None:
    # A $0.04 training run against prompting's $0.0288 a monthly request over 24 months, margin 0: one request a
    # month fails ($0.0288), two pass ($0.0576). From two, the flip is the single volume below the band: 1.
    p = proposal(workload={"requests_per_month": 2}, finetune={"training_run_usd": 0.04})
    pol = policy(min_savings_pct=0)
    volume = analyze(p, pol, prices(), build_ledger(p, pol, prices())).break_even
    assert volume is not None and volume.bands == (Band(2, None),)
    (entry,) = sensitivity(cost_inputs(p, prices()), [VOLUME], Setting.of(pol), volume)
    assert entry.flip is not None and (entry.flip.value, entry.flip.to) == (1.0, "fail")


def test_flips_that_tie_with_the_nearest_are_pinned_too() -> None:
    # $10,000 of training and $10,000 of labelling, each paid once, against prompting's $28,800, margin 10%: either
    # may rise by $5,920 (59.2%) before fine-tuning stops saving. Asked for the nearest one flip, both are pinned:
    # a report rounds them alike, and the tie is broken by name, not by which came first.
    p = proposal(finetune={"training_run_usd": 10_000, "data_labeling_usd": 10_000})
    pointers = ["/finetune/training_run_usd", "/finetune/data_labeling_usd"]
    entries = sensitivity(cost_inputs(p, prices()), pointers, Setting.of(policy()), nearest=1)
    for entry in entries:
        assert entry.flip is not None and entry.flip.value == pytest.approx(15_920, rel=1e-8), entry.pointer
        assert entry.flip.change_pct == pytest.approx(59.2, rel=1e-6)


def test_a_flip_surely_farther_than_the_nearest_is_not_pinned() -> None:
    # $10,000 of training and $1,000 of labelling against $25,920 allowed: training flips $14,920 up (149.2%),
    # labelling the same $14,920 up (1,492%). Asked for the nearest one, labelling's flip is not pinned at all.
    p = proposal(finetune={"training_run_usd": 10_000, "data_labeling_usd": 1_000})
    pointers = ["/finetune/training_run_usd", "/finetune/data_labeling_usd"]
    base, setting = cost_inputs(p, prices()), Setting.of(policy())
    nearest = _by_pointer(sensitivity(base, pointers, setting, nearest=1))
    every = _by_pointer(sensitivity(base, pointers, setting))
    training, labelling = (every[pointer].flip for pointer in pointers)
    assert training is not None and training.change_pct == pytest.approx(149.2, rel=1e-6)
    assert labelling is not None and labelling.change_pct == pytest.approx(1492, rel=1e-6)
    assert nearest[pointers[0]].flip == training
    assert nearest[pointers[1]].flip is None
