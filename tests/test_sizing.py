"""GPU sizing in the contract's three forms, counted exactly (hand-computed figures in the comments)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tco_gate.ledger import build_ledger
from tco_gate.models import Serving
from tco_gate.sizing import (
    exact_volume,
    gpu_seconds_per_request,
    gpus,
    monthly_gpus,
    replica_load,
    servable_requests,
)
from tco_gate.units import MAX_AMOUNT

from .factories import policy, prices, proposal

SECONDS_PER_MONTH = 730 * 3600  # 2,628,000


def serving(**keys: Any) -> Serving:
    base: dict[str, Any] = {"gpu_hourly_usd": 2, "target_utilization_pct": 90, "failover_gpus": 0, "min_gpus": 1}
    merged = {key: value for key, value in {**base, **keys}.items() if value is not None}
    return Serving.model_validate({k: Decimal(str(v)) if isinstance(v, float) else v for k, v in merged.items()})


# Three ways of saying that a request takes 2/7 of a GPU-second.
DECODE = {"output_tokens_per_request": 2, "output_tokens_per_second_per_gpu": 7}
PREFILL = {
    "output_tokens_per_request": 1,
    "output_tokens_per_second_per_gpu": 7,
    "input_tokens_per_request": 1,
    "input_tokens_per_second_per_gpu": 7,
}
MEASURED = {"requests_per_second_per_gpu": 3.5}
BOUNDARY = 16_556_400  # / 2,628,000 s = 6.3 requests/s × 2/7 GPU-s = 1.8 GPUs busy / 90% = exactly 2 GPUs


@pytest.mark.parametrize("form", [DECODE, PREFILL, MEASURED], ids=["decode", "prefill", "measured"])
def test_every_form_says_two_sevenths_of_a_gpu_second(form: dict[str, Any]) -> None:
    assert gpu_seconds_per_request(serving(**form)) == Fraction(2, 7)


@pytest.mark.parametrize("form", [DECODE, PREFILL, MEASURED], ids=["decode", "prefill", "measured"])
def test_a_volume_exactly_on_the_boundary_needs_the_same_gpus_in_every_form(form: dict[str, Any]) -> None:
    assert gpus(serving(**form), BOUNDARY) == 2
    assert gpus(serving(**form), BOUNDARY + 1) == 3
    assert gpus(serving(**form), Decimal(BOUNDARY)) == 2


def test_rounded_decimals_would_tip_the_boundary() -> None:
    # Why sizing counts in fractions: the prefill form done in 28-digit decimals lands a hair above 2.
    with localcontext(prec=28):
        per_request = Decimal(1) / 7 + Decimal(1) / 7
        busy = Decimal(BOUNDARY) / SECONDS_PER_MONTH * per_request / Decimal("0.9")
    assert busy > 2


def test_prefill_form_by_hand() -> None:
    # The classifier: 1,300 prompt + 5 output tokens, 150M requests a month, peak 2, 60% busy.
    # GPU-seconds a request: 5/1,500 + 1,300/20,000 = 0.00333… + 0.065 = 0.0683…;
    # 150M / 2,628,000 s = 57.08 requests/s × 0.0683… × 2 / 0.6 = 13.0 → ceil 14, + 1 failover = 15.
    sized = serving(
        output_tokens_per_request=5,
        output_tokens_per_second_per_gpu=1500,
        input_tokens_per_request=1300,
        input_tokens_per_second_per_gpu=20000,
        target_utilization_pct=60,
        peak_to_average=2,
        failover_gpus=1,
    )
    assert gpus(sized, 150_000_000) == 15
    # Decode only, the same traffic "fits" on one GPU: 57.08 × 5/1,500 × 2 / 0.6 = 0.63 → 1, + 1 failover.
    decode_only = sized.model_copy(update={"input_tokens_per_request": None, "input_tokens_per_second_per_gpu": None})
    assert gpus(decode_only, 150_000_000) == 2


def test_measured_form_by_hand() -> None:
    # 45 requests/s per GPU from a load test; 30M requests a month = 11.42 requests/s; × 3 peak / 0.6 = 57.08
    # requests/s to hold → 57.08 / 45 = 1.27 → 2 GPUs, + 1 failover = 3.
    sized = serving(requests_per_second_per_gpu=45, target_utilization_pct=60, peak_to_average=3, failover_gpus=1)
    assert gpus(sized, 30_000_000) == 3
    assert gpus(sized, 1) == 2  # min_gpus + failover


def test_exact_volume_compounds_without_rounding() -> None:
    p = proposal(workload={"requests_per_month": 1000, "monthly_growth_pct": 3.7})
    assert exact_volume(p.workload, 1) == 1000
    assert exact_volume(p.workload, 120) == 1000 * Fraction(1037, 1000) ** 119


def test_ledger_reports_each_months_gpu_count() -> None:
    sized = {"gpu_hourly_usd": 1, "output_tokens_per_request": 2, "output_tokens_per_second_per_gpu": 3}
    sized |= {"target_utilization_pct": 100, "failover_gpus": 0}
    p = proposal(
        workload={"requests_per_month": 3 * SECONDS_PER_MONTH, "monthly_growth_pct": 50},
        finetune={"monthly_serving_usd": None, "serving": sized},
    )
    ledger = build_ledger(p, policy(horizon_months=3), prices())
    # 2 GPUs, then 1.5 × 2 = 3, then 2.25 × 2 = 4.5 → 5.
    assert ledger.gpus == (2, 3, 5)
    serving_line = next(i for i in ledger.finetune.line_items if i.id == "serving")
    assert serving_line.monthly == (2 * Decimal(730), 3 * Decimal(730), 5 * Decimal(730))
    flat = build_ledger(proposal(), policy(), prices())
    assert flat.gpus is None


_TOKENS = st.integers(0, 100_000)
_RATE = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100_000), places=2)


@settings(max_examples=200, deadline=None)
@given(
    requests=st.integers(1, 10**10),
    growth=st.decimals(min_value=Decimal(-20), max_value=Decimal(20), places=2),
    output_tokens=_TOKENS,
    output_rate=_RATE,
    input_rate=_RATE,
    utilization=st.integers(1, 100),
    peak=st.decimals(min_value=Decimal(1), max_value=Decimal(10), places=1),
    failover=st.integers(0, 4),
    min_gpus=st.integers(1, 4),
)
def test_prefill_form_with_no_prompt_gives_the_decode_forms_ledger(
    requests: int,
    growth: Decimal,
    output_tokens: int,
    output_rate: Decimal,
    input_rate: Decimal,
    utilization: int,
    peak: Decimal,
    failover: int,
    min_gpus: int,
) -> None:
    decode = {
        "gpu_hourly_usd": Decimal("2.49"),
        "output_tokens_per_request": output_tokens,
        "output_tokens_per_second_per_gpu": output_rate,
        "target_utilization_pct": utilization,
        "peak_to_average": peak,
        "failover_gpus": failover,
        "min_gpus": min_gpus,
    }
    prefill = decode | {"input_tokens_per_request": 0, "input_tokens_per_second_per_gpu": input_rate}
    workload = {"requests_per_month": requests, "monthly_growth_pct": growth}
    a = proposal(workload=workload, finetune={"monthly_serving_usd": None, "serving": decode})
    b = proposal(workload=workload, finetune={"monthly_serving_usd": None, "serving": prefill})
    assert b.finetune.serving is not None and b.finetune.serving.form == "prefill"
    decode_ledger, prefill_ledger = build_ledger(a, policy(), prices()), build_ledger(b, policy(), prices())
    assert (decode_ledger.serving_kind, prefill_ledger.serving_kind) == ("decode", "prefill")
    # Identical in every figure; only the name of the form differs.
    assert replace(prefill_ledger, serving_kind="decode") == decode_ledger


@settings(max_examples=60, deadline=None)
@given(
    requests=st.integers(min_value=1, max_value=10**9),
    growth=st.decimals(min_value=-30, max_value=30, places=2),
    form=st.sampled_from([DECODE, PREFILL, MEASURED]),
    utilization=st.integers(min_value=1, max_value=100),
)
def test_the_months_counted_together_are_each_month_counted_alone(
    requests: int, growth: Decimal, form: dict[str, Any], utilization: int
) -> None:
    p = proposal(workload={"requests_per_month": requests, "monthly_growth_pct": growth})
    sized = serving(**form, target_utilization_pct=utilization, failover_gpus=1)
    alone = [gpus(sized, exact_volume(p.workload, month)) for month in range(1, 37)]
    assert list(monthly_gpus(sized, p.workload, 36)) == alone


# --- Part 2: replicas of several GPUs, regions, and what a committed fleet can hold ---
# One replica at 100% serving 1 request a second: 2,628,000 requests a month keep one replica busy.
ONE_A_SECOND = {"requests_per_second_per_gpu": 1, "target_utilization_pct": 100}


def test_gpus_count_every_region_and_every_gpu_of_a_replica() -> None:
    # 3 regions of replicas of 2 GPUs; 7,884,000 requests a month is 1 busy replica a region: max(1, 1) + 0 = 1
    # replica, so 3 × 1 × 2 = 6 GPUs. One request more needs a second replica in every region: 12.
    fleet = serving(**ONE_A_SECOND, regions=3, gpus_per_replica=2)
    assert gpus(fleet, 7_884_000) == 6
    assert gpus(fleet, 7_884_001) == 12
    assert gpus(serving(**ONE_A_SECOND, regions=3), 7_884_001) == 6  # replicas of one GPU: half the GPUs


@pytest.mark.parametrize(
    ("committed", "regions", "per_replica", "failover", "least", "expected"),
    [
        # 5 GPUs over 2 regions of one-GPU replicas: 2 replicas a region (the fifth GPU is no replica), less 1
        # spare: 1 serving replica a region, 1 request a second each: 2 × 2,628,000 requests a month.
        (5, 2, 1, 1, 1, 2 * 2_628_000),
        # 8 GPUs in replicas of 2, one region: 4 replicas, less 1 spare: 3 × 2,628,000.
        (8, 1, 2, 1, 1, 3 * 2_628_000),
        # 8 GPUs in replicas of 2 over 2 regions: 2 replicas a region, less 1: the minimum of 1 is met exactly.
        (8, 2, 2, 1, 1, 2 * 2_628_000),
        # ... and a minimum of 2 is not: the fleet cannot hold its floor, so it serves nothing.
        (8, 2, 2, 1, 2, 0),
    ],
)
def test_the_committed_fleet_serves_whole_replicas_in_every_region(
    committed: int, regions: int, per_replica: int, failover: int, least: int, expected: int
) -> None:
    fleet = serving(
        **ONE_A_SECOND,
        gpu_hourly_usd=None,
        regions=regions,
        gpus_per_replica=per_replica,
        failover_gpus=failover,
        min_gpus=least,
        committed={"gpus": committed, "monthly_usd_per_gpu": 1},
    )
    assert servable_requests(fleet, committed, replica_load(fleet)) == expected


def test_a_request_that_takes_no_gpu_time_never_outgrows_the_fleet() -> None:
    free = serving(
        output_tokens_per_request=0,
        output_tokens_per_second_per_gpu=100,
        gpu_hourly_usd=None,
        committed={"gpus": 2, "monthly_usd_per_gpu": 1},
    )
    assert replica_load(free) == 0
    assert servable_requests(free, 2, replica_load(free)) == MAX_AMOUNT
