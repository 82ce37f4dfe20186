"""Sensitivity: flip points solved by hand and held to the exact ledger; the tornado at ±20%."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tco_gate.analysis.analyze import analyze
from tco_gate.analysis.fastmodel import Setting
from tco_gate.analysis.inputs import cost_inputs, written_inputs
from tco_gate.analysis.sensitivity import InputSensitivity, sensitivity
from tco_gate.catalog import resolve_proposal_prices
from tco_gate.ledger import build_ledger
from tco_gate.loader import load
from tco_gate.models import Policy, Proposal
from tco_gate.validation import validate
from tests.factories import policy, prices, proposal
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


def test_every_flip_of_an_example_holds_in_the_exact_ledger() -> None:
    path = ROOT / "examples" / "listing-categorizer" / "finetune-proposal.yml"
    p, pol = validate(load(path.read_bytes()), Proposal), Policy()
    found = resolve_proposal_prices(p)
    ledger = build_ledger(p, pol, found.prompting, found.hosted)
    analysis = analyze(p, pol, found.prompting, ledger, hosted=found.hosted)

    def passes(q: Proposal) -> bool:
        exact = build_ledger(q, pol, found.prompting, found.hosted)
        return exact.savings_pct is not None and exact.savings_pct >= pol.min_savings_pct

    assert passes(p)
    checked = 0
    for entry in analysis.sensitivity:
        if entry.flip is None or entry.pointer.endswith("_usd_per_mtok"):  # catalog prices: not proposal keys
            continue
        flip, value = entry.flip.value, entry.value
        assert entry.flip.to == "fail"
        # Just past the flip (toward it from the proposal's value) the verdict has changed; just before, not.
        nudge = (
            1 if entry.pointer.endswith(("_per_year", "_gpus", "_months")) or flip == round(flip) else abs(flip) * 1e-6
        )
        toward = 1 if flip > value else -1
        assert not passes(_with(p, entry.pointer, flip + toward * nudge * 0)), entry.pointer
        assert passes(_with(p, entry.pointer, flip - toward * nudge)), entry.pointer
        checked += 1
    assert checked >= 15


def test_no_inputs_no_entries_and_an_unbounded_input_moves_freely() -> None:
    p = _flat()
    base, setting = cost_inputs(p, prices()), Setting.of(policy())
    assert sensitivity(base, [], setting) == []
    (entry,) = sensitivity({**base, "/not/a/field": 5.0}, ["/not/a/field"], setting)
    assert entry.flip is None and entry.swing == 0  # no total reads it
    assert (entry.low_value, entry.high_value) == (4.0, 6.0)  # no bounds to clip to
