"""The float model the analyses run on agrees with the exact ledger to the cent."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from tco_gate.analysis.fastmodel import Setting, capacity_slack, geometric_sum, totals
from tco_gate.analysis.inputs import cost_inputs, written_inputs
from tco_gate.catalog import resolve_proposal_prices
from tco_gate.ledger import build_ledger
from tco_gate.loader import load
from tco_gate.models import Policy, Proposal
from tco_gate.sizing import exact_volume, replica_load
from tco_gate.validation import validate
from tests.corpus import measured_document
from tests.factories import ERROR_PRICES, SERVING_FORMS, policy, prices, proposal
from tests.paths import ROOT

CENT = 0.01
PROPOSALS = sorted(ROOT.glob("examples/*/finetune-proposal.yml")) + sorted(
    ROOT.glob("tests/cases/valid/*/finetune-proposal.yml")
)


def _float_totals(p: Proposal, pol: Policy, **price_sets: Any) -> tuple[float, float]:
    finetune, prompting = totals(cost_inputs(p, **price_sets), Setting.of(pol))
    assert isinstance(finetune, float) and isinstance(prompting, float)
    return finetune, prompting


@pytest.mark.parametrize("path", PROPOSALS, ids=lambda p: p.parent.name)
def test_float_model_agrees_with_the_ledger_on_every_bundled_proposal(path: Path) -> None:
    p = validate(measured_document(path), Proposal)  # ranges at their likely values, the evidence's figures in
    policy_file = path.parent / ".tco-gate.yml"
    pol = validate(load(policy_file.read_bytes()), Policy) if policy_file.exists() else Policy()
    found = resolve_proposal_prices(p)
    ledger = build_ledger(p, pol, found.prompting, found.hosted)
    finetune, prompting = _float_totals(p, pol, prices=found.prompting, hosted=found.hosted)
    assert abs(finetune - float(ledger.finetune.total)) < CENT
    assert abs(prompting - float(ledger.prompting.total)) < CENT


def test_geometric_sum_is_stable_near_a_ratio_of_one() -> None:
    assert geometric_sum(0.0, 24) == 24
    assert geometric_sum(1e-15, 24) == pytest.approx(24 + 276e-15, rel=1e-15)
    assert geometric_sum(math.log(1.04), 3) == pytest.approx(1 + 1.04 + 1.04**2, rel=1e-15)


def _near_a_gpu_step(p: Proposal, horizon: int) -> bool:
    """True when a month's exact GPU need lies within a billionth of a whole count without being one:
    floats cannot tell which side it is on (the exact ledger can)."""
    serving = p.finetune.serving
    if serving is None:
        return False
    for at_peak in (True, False):  # the billed fleet's counts, and the peak fleet's (capacity)
        per_request = replica_load(serving, at_peak=at_peak) / serving.regions
        for month in range(1, horizon + 1):
            need = exact_volume(p.workload, month) * per_request
            off = abs(need - round(need))
            if 0 < off < need * Fraction(1, 10**9):
                return True
    return False


@settings(max_examples=120, deadline=None)
@given(
    requests=st.integers(1_000, 500_000_000) | st.sampled_from([60_000_000, 130_000_000, 420_000_000]),
    growth=st.sampled_from([0, 1.5, 4, -2, 10]),
    decline=st.sampled_from([0, 12, 25, 60]),
    batch=st.sampled_from([(0, 50), (40, 50), (100, 25)]),
    lifecycle=st.sampled_from([None, 5, 12, 30]),
    retrains=st.integers(0, 13),
    discount=st.sampled_from([0, 8, 30]),
    horizon=st.sampled_from([1, 12, 24, 37, 120]),
    serving=SERVING_FORMS,
    errors=ERROR_PRICES,
)
def test_float_model_agrees_with_the_ledger_across_every_cost_form(
    requests: int,
    growth: float,
    decline: float,
    batch: tuple[int, int],
    lifecycle: int | None,
    retrains: int,
    discount: float,
    horizon: int,
    serving: dict[str, Any],
    errors: dict[str, Any] | None,
) -> None:
    prompting: dict[str, Any] = {
        "price_decline_pct_per_year": decline,
        "batch_share_pct": batch[0],
        "batch_discount_pct": batch[1],
        "setup_eng_hours": 40,
        "monthly_eng_hours": 7.5,
        "cached_input_tokens_per_request": 400,
    }
    if lifecycle is not None:
        prompting |= {"model_lifecycle_months": lifecycle, "migration_eng_hours": 80}
    finetune = {
        **serving,
        "training_run_usd": 900,
        "data_labeling_usd": 5000,
        "eval_set_build_hours": 120,
        "monthly_eval_hours": 6,
        "retrains_per_year": retrains,
        "retrain_eng_hours": 20,
        "monthly_eng_hours": 30,
        "monthly_monitoring_usd": 150,
        "base_model_lifecycle_months": 7,
        "rebuild_eng_hours": 60,
    }
    sections = {"evaluation": errors} if errors else {}
    p = proposal(
        workload={"requests_per_month": requests, "monthly_growth_pct": growth},
        prompting=prompting,
        finetune=finetune,
        **sections,
    )
    pol = policy(horizon_months=horizon, discount_rate_pct_per_year=discount)
    assume(not _near_a_gpu_step(p, horizon))
    hosted = prices("0.8", "0.2", "3.2") if p.finetune.hosted else None
    ledger = build_ledger(p, pol, prices("1", "0.25"), hosted)
    assume(ledger.prompting.total < 10**9 and ledger.finetune.total < 10**9)  # past that a cent is beyond a double
    finetune_f, prompting_f = _float_totals(p, pol, prices=prices("1", "0.25"), hosted=hosted)
    assert abs(finetune_f - float(ledger.finetune.total)) < CENT
    assert abs(prompting_f - float(ledger.prompting.total)) < CENT
    # The verdict's third condition: the float slack is >= 0 exactly where no month is over capacity.
    slack = capacity_slack(cost_inputs(p, prices("1", "0.25"), hosted), Setting.of(pol))
    assert isinstance(slack, float)
    assert (slack >= 0) == (ledger.over_capacity_month is None)


@settings(max_examples=150, deadline=None)
@given(
    requests=st.integers(1_000_000, 400_000_000),
    growth=st.sampled_from([0, 2.5, -3]),
    regions=st.integers(1, 4),
    per_replica=st.sampled_from([1, 2, 8]),
    least=st.integers(1, 3),
    spare=st.integers(0, 2),
    fleet=st.integers(1, 60),
    autoscaling=st.booleans(),
    owned=st.booleans(),
    horizon=st.sampled_from([1, 12, 36]),
)
def test_the_float_capacity_slack_is_the_exact_over_capacity_rule(
    requests: int,
    growth: float,
    regions: int,
    per_replica: int,
    least: int,
    spare: int,
    fleet: int,
    autoscaling: bool,
    owned: bool,
    horizon: int,
) -> None:
    # A committed fleet with nothing beyond it: the float model's slack is >= 0 exactly where the exact ledger
    # finds no month over capacity, and both totals agree to the cent.
    bought: dict[str, Any] = (
        {
            "purchase_usd_per_gpu": 25000,
            "depreciation_months": 30,
            "watts_per_gpu": 700,
            "pue": 1.4,
            "usd_per_kwh": 0.13,
        }
        if owned
        else {"monthly_usd_per_gpu": 1500}
    )
    serving = {
        "requests_per_second_per_gpu": 12,
        "peak_to_average": 2.5,
        "target_utilization_pct": 70,
        "regions": regions,
        "gpus_per_replica": per_replica,
        "min_gpus": least,
        "failover_gpus": spare,
        "autoscaling": autoscaling,
        "committed": {"gpus": fleet, **bought},
    }
    p = proposal(
        workload={"requests_per_month": requests, "monthly_growth_pct": growth},
        finetune={"monthly_serving_usd": None, "serving": serving},
    )
    pol = policy(horizon_months=horizon)
    assume(not _near_a_gpu_step(p, horizon))
    ledger = build_ledger(p, pol, prices())
    inputs = cost_inputs(p, prices())
    slack = capacity_slack(inputs, Setting.of(pol))
    assert isinstance(slack, float)
    assert (slack >= 0) == (ledger.over_capacity_month is None), (slack, ledger.fleet)
    event("over capacity" if ledger.over_capacity_month else "within capacity")
    finetune_f, prompting_f = _float_totals(p, pol, prices=prices())
    assert abs(finetune_f - float(ledger.finetune.total)) < CENT
    assert abs(prompting_f - float(ledger.prompting.total)) < CENT


def test_inputs_are_the_numbers_written_then_the_prices_read() -> None:
    p = proposal(
        workload={"monthly_growth_pct": 2},
        evaluation={"eval_set": "e", "finetune_accuracy": 0.9, "prompting_accuracy": 0.8},
    )
    pointers = written_inputs(p)
    assert pointers[0] == "/workload/requests_per_month"
    assert "/workload/monthly_growth_pct" in pointers
    assert not any(p.startswith("/evaluation") for p in pointers)  # no total reads an accuracy
    assert (
        pointers[-3:]
        == [
            "/prompting/input_usd_per_mtok",
            "/prompting/cached_input_usd_per_mtok",
            "/prompting/output_usd_per_mtok",
        ]
        or "/prompting/input_usd_per_mtok" in pointers
    )
    assert cost_inputs(p, prices("1", "0.5"))["/prompting/cached_input_usd_per_mtok"] == 0.5
    assert Decimal(str(cost_inputs(p, prices())["/workload/requests_per_month"])) == Decimal(1_000_000)
