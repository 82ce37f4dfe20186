from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tco_gate.ledger import build_ledger, gpus, rebuild_months, retrain_months, volume
from tco_gate.models import Serving

from .factories import policy, prices, proposal

RATE = 150


def seed_two_year_total(t: int, s: int, h: int, retrains: int, lifecycle: int) -> Decimal:
    """The article's toy formula: T + 24·S + 24·h·rate + 2·T·retrains + (T if lifecycle ≤ 24 else 0)."""
    return Decimal(t + 24 * s + 24 * h * RATE + 2 * t * retrains + (t if lifecycle <= 24 else 0))


def seed_only(t: int, s: int, h: int, retrains: int, lifecycle: int) -> Decimal:
    p = proposal(
        finetune={
            "training_run_usd": t,
            "monthly_serving_usd": s,
            "monthly_eng_hours": h,
            "retrains_per_year": retrains,
            "base_model_lifecycle_months": lifecycle,
        }
    )
    return build_ledger(p, policy(), prices()).finetune.total


@settings(max_examples=300, deadline=None)
@given(
    t=st.integers(0, 1_000_000),
    s=st.integers(0, 1_000_000),
    h=st.integers(0, 2_000),
    retrains=st.integers(0, 52),
    lifecycle=st.integers(13, 240),
)
def test_seed_parity_for_lifecycles_over_12_months(t: int, s: int, h: int, retrains: int, lifecycle: int) -> None:
    assert seed_only(t, s, h, retrains, lifecycle) == seed_two_year_total(t, s, h, retrains, lifecycle)


@pytest.mark.parametrize("lifecycle", [1, 5, 7, 12])
def test_seed_divergence_at_12_months_and_below_is_floor_of_24_over_lifecycle(lifecycle: int) -> None:
    # The seed counts one rebuild; the ledger counts every deprecation inside the horizon, on purpose.
    t = 200
    seed = seed_two_year_total(t, 3000, 40, 4, lifecycle)
    assert seed_only(t, 3000, 40, 4, lifecycle) == seed + (24 // lifecycle - 1) * t


def test_seed_example_figure() -> None:
    # T = 200, S = 3000, h = 40, 4 retrains a year, an 18-month lifecycle: 200 + 72,000 + 144,000 + 1,600 + 200.
    assert seed_only(200, 3000, 40, 4, 18) == Decimal(218_000)


@pytest.mark.parametrize(
    ("horizon", "per_year", "months"),
    [
        (24, 4, [3, 6, 9, 12, 15, 18, 21, 24]),
        (24, 5, [3, 5, 8, 10, 12, 15, 17, 20, 22, 24]),
        (12, 12, list(range(1, 13))),
        (24, 1, [12, 24]),
        (11, 1, []),
        (24, 0, []),
        (7, 4, [3, 6]),
    ],
)
def test_retrain_months(horizon: int, per_year: int, months: list[int]) -> None:
    assert retrain_months(horizon, per_year) == months


@pytest.mark.parametrize(
    ("horizon", "lifecycle", "months"),
    [(24, 18, [18]), (24, 12, [12, 24]), (24, 7, [7, 14, 21]), (24, 25, []), (24, None, [])],
)
def test_rebuild_months(horizon: int, lifecycle: int | None, months: list[int]) -> None:
    assert rebuild_months(horizon, lifecycle) == months


def test_retrains_and_rebuilds_land_in_their_months_with_engineering_time() -> None:
    p = proposal(
        finetune={
            "training_run_usd": 1000,
            "retrains_per_year": 4,
            "retrain_eng_hours": 10,
            "base_model_lifecycle_months": 18,
            "rebuild_usd": 5000,
            "rebuild_eng_hours": 20,
        }
    )
    items = {i.id: i for i in build_ledger(p, policy(), prices()).finetune.line_items}
    retrain = [m for m, amount in enumerate(items["retrains"].monthly, 1) if amount]
    assert retrain == [3, 6, 9, 12, 15, 18, 21, 24]
    assert set(items["retrains"].monthly) == {Decimal(0), Decimal(1000 + 10 * RATE)}
    assert items["rebuilds"].monthly[17] == Decimal(5000 + 20 * RATE)
    assert items["rebuilds"].total == Decimal(8000)
    assert items["retrains"].hidden_cost == 2
    assert items["rebuilds"].hidden_cost == 4


def test_rebuild_defaults_to_the_training_run() -> None:
    p = proposal(finetune={"training_run_usd": 700, "base_model_lifecycle_months": 6})
    items = {i.id: i for i in build_ledger(p, policy(), prices()).finetune.line_items}
    assert items["rebuilds"].total == Decimal(4 * 700)


SIZED = {
    "gpu_hourly_usd": 0.80,
    "output_tokens_per_request": 150,
    "output_tokens_per_second_per_gpu": 500,
    "target_utilization_pct": 60,
    "peak_to_average": 3,
    "failover_gpus": 1,
    "min_gpus": 1,
}


def test_sized_serving_by_hand() -> None:
    serving = Serving.model_validate(_decimal_sized())
    # 3,000,000 requests × 150 tokens / 2,628,000 s = 171.23 tokens/s; × 3 peak = 513.7;
    # one GPU gives 500 × 60% = 300 tokens/s → ceil(1.712) = 2 GPUs, + 1 failover = 3.
    assert gpus(serving, Decimal(3_000_000)) == 3
    # 3,504,000 requests is exactly 2 GPUs' worth at peak: still 2 + 1.
    assert gpus(serving, Decimal(3_504_000)) == 3
    assert gpus(serving, Decimal(3_504_001)) == 4
    # Almost no traffic: min_gpus + failover.
    assert gpus(serving, Decimal(1)) == 2


def _decimal_sized() -> dict[str, object]:
    return {k: Decimal(str(v)) if isinstance(v, float) else v for k, v in SIZED.items()}


def test_sized_serving_grows_with_volume_month_by_month() -> None:
    p = proposal(
        workload={"requests_per_month": 3_000_000, "monthly_growth_pct": 4},
        finetune={"monthly_serving_usd": None, "serving": SIZED},
    )
    serving = next(i for i in build_ledger(p, policy(), prices()).finetune.line_items if i.id == "serving")
    per_gpu_month = Decimal("0.80") * 730
    # 1.04^4 × 3,000,000 = 3,509,575 requests in month 5: just over 2 GPUs' worth at peak.
    assert serving.monthly[:4] == (3 * per_gpu_month,) * 4
    assert serving.monthly[4] == 4 * per_gpu_month
    assert serving.hidden_cost == 3


def test_volume_compounds_monthly_growth() -> None:
    p = proposal(workload={"requests_per_month": 1000, "monthly_growth_pct": 10})
    assert volume(p, 1) == 1000
    assert volume(p, 3) == Decimal("1210.00")
    shrinking = proposal(workload={"requests_per_month": 1000, "monthly_growth_pct": -50})
    assert volume(shrinking, 3) == 250


def test_prompting_usage_with_cached_tokens_by_hand() -> None:
    p = proposal(
        workload={"requests_per_month": 3_000_000},
        prompting={
            "input_tokens_per_request": 2000,
            "cached_input_tokens_per_request": 1500,
            "output_tokens_per_request": 150,
        },
    )
    ledger = build_ledger(p, policy(), prices("0.4", "0.1", "1.6"))
    usage = next(i for i in ledger.prompting.line_items if i.id == "api_usage")
    # (500 × 0.40 + 1500 × 0.10 + 150 × 1.60) / 10^6 = $0.00059 a request; × 3,000,000 = $1,770.
    assert usage.monthly[0] == Decimal(1770)
    assert ledger.prompting.total == 24 * Decimal(1770)


def test_price_decline_is_its_own_hidden_cost_line() -> None:
    p = proposal(
        workload={"requests_per_month": 1_000_000},
        prompting={"input_tokens_per_request": 1000, "output_tokens_per_request": 0, "price_decline_pct_per_year": 25},
    )
    ledger = build_ledger(p, policy(), prices("1", output="2"))
    items = {i.id: i for i in ledger.prompting.line_items}
    # $1,000 a month at as_of prices; a year later 25% cheaper.
    assert items["api_usage"].monthly[12] == Decimal(1000)
    assert items["api_usage"].monthly[12] + items["price_decline"].monthly[12] == Decimal(750)
    half_year = items["api_usage"].monthly[6] + items["price_decline"].monthly[6]
    assert abs(half_year - Decimal(1000) * Decimal("0.75").sqrt()) < Decimal("1e-40")
    assert items["price_decline"].hidden_cost == 5
    assert items["price_decline"].monthly[0] == 0


def test_discounting_by_hand() -> None:
    p = proposal(finetune={"monthly_serving_usd": 1100})
    ledger = build_ledger(p, policy(discount_rate_pct_per_year=10), prices())
    serving = next(i for i in ledger.finetune.line_items if i.id == "serving")
    assert serving.monthly[0] == 1100
    assert serving.monthly[12] == Decimal(1000)  # 1100 / 1.1, a year on
    assert serving.monthly[23] < serving.monthly[12]


def test_one_offs_land_in_month_one_and_hours_cost_the_rate() -> None:
    p = proposal(
        finetune={
            "training_run_usd": 200,
            "data_labeling_usd": 6000,
            "eval_set_build_hours": 160,
            "monthly_eval_hours": 8,
            "monthly_eng_hours": 40,
            "monthly_monitoring_usd": 150,
        },
        prompting={"setup_eng_hours": 40, "monthly_eng_hours": 10},
    )
    ledger = build_ledger(p, policy(hourly_rate_usd=100), prices())
    f = {i.id: i for i in ledger.finetune.line_items}
    assert f["eval_set_build"].monthly[0] == 16_000 and f["eval_set_build"].total == 16_000
    assert f["eval_upkeep"].total == 24 * 8 * 100
    assert f["operations"].total == 24 * 40 * 100
    assert f["monitoring"].total == 24 * 150
    assert f["training_run"].total == 200 and f["data_labeling"].total == 6000
    pr = {i.id: i for i in ledger.prompting.line_items}
    assert pr["prompt_setup"].total == 4000 and pr["prompt_upkeep"].total == 24 * 1000
    assert {i.hidden_cost for i in ledger.finetune.line_items} == {None, 1, 2, 3, 4}


def test_totals_savings_and_break_even() -> None:
    # Fine-tuning: $1,000 once, then $100 a month; prompting: $300 a month.
    p = proposal(
        workload={"requests_per_month": 1000},
        prompting={"input_tokens_per_request": 1_000_000, "output_tokens_per_request": 0},
        finetune={"training_run_usd": 1000, "monthly_serving_usd": 100},
    )
    ledger = build_ledger(p, policy(horizon_months=12), prices("0.3"))
    assert ledger.prompting.total == 3600
    assert ledger.finetune.total == 2200
    assert ledger.savings_pct is not None
    assert ledger.savings_pct.quantize(Decimal("0.0001")) == Decimal("38.8889")
    assert ledger.break_even_month == 5  # 1000 + 100·m ≤ 300·m first at m = 5
    assert sum(ledger.finetune.monthly) == ledger.finetune.total


def test_no_break_even_and_free_prompting() -> None:
    p = proposal(
        finetune={"training_run_usd": 10}, prompting={"input_tokens_per_request": 0, "output_tokens_per_request": 0}
    )
    ledger = build_ledger(p, policy(), prices())
    assert ledger.prompting.total == 0
    assert ledger.savings_pct is None
    assert ledger.break_even_month is None


def test_accuracy_gap() -> None:
    p = proposal(evaluation={"eval_set": "e.jsonl", "finetune_accuracy": 0.92, "prompting_accuracy": 0.81})
    gap = build_ledger(p, policy(), prices()).accuracy_gap_pct
    assert gap is not None and gap.quantize(Decimal("0.01")) == Decimal("11.96")
    assert build_ledger(proposal(), policy(), prices()).accuracy_gap_pct is None


def test_absent_hidden_costs_count_as_zero() -> None:
    p = proposal(
        finetune={
            "eval_set_build_hours": None,
            "retrains_per_year": None,
            "monthly_eng_hours": None,
            "base_model_lifecycle_months": None,
            "training_run_usd": 500,
        },
        prompting={"price_decline_pct_per_year": None},
    )
    ledger = build_ledger(p, policy(require_hidden_costs=False), prices())
    assert ledger.finetune.total == 500
