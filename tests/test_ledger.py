from __future__ import annotations

import math
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tco_gate import ledger as ledger_module
from tco_gate.break_even_month import BreakEven
from tco_gate.catalog import Prices, resolve_prices, resolve_proposal_prices
from tco_gate.ledger import (
    PROMPTING_LOCK_IN,
    Ledger,
    build_ledger,
    rebuild_months,
    retrain_months,
    volume,
)
from tco_gate.line_items import LineItemId
from tco_gate.loader import load
from tco_gate.models import Policy, Proposal, Serving
from tco_gate.sizing import gpus
from tco_gate.units import round_cents
from tco_gate.validation import validate

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
    retrain = [m for m, amount in enumerate(items[LineItemId.RETRAINS].monthly, 1) if amount]
    assert retrain == [3, 6, 9, 12, 15, 18, 21, 24]
    assert set(items[LineItemId.RETRAINS].monthly) == {Decimal(0), Decimal(1000 + 10 * RATE)}
    assert items[LineItemId.REBUILDS].monthly[17] == Decimal(5000 + 20 * RATE)
    assert items[LineItemId.REBUILDS].total == Decimal(8000)
    assert items[LineItemId.RETRAINS].hidden_cost == 2
    assert items[LineItemId.REBUILDS].hidden_cost == 4


def test_rebuild_defaults_to_the_training_run() -> None:
    p = proposal(finetune={"training_run_usd": 700, "base_model_lifecycle_months": 6})
    items = {i.id: i for i in build_ledger(p, policy(), prices()).finetune.line_items}
    assert items[LineItemId.REBUILDS].total == Decimal(4 * 700)


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
    assert items[LineItemId.API_USAGE].monthly[12] == Decimal(1000)
    assert items[LineItemId.API_USAGE].monthly[12] + items[LineItemId.PRICE_DECLINE].monthly[12] == Decimal(750)
    assert half_year_error(ledger) < Decimal("1e-40")
    assert items[LineItemId.PRICE_DECLINE].hidden_cost == 5
    assert items[LineItemId.PRICE_DECLINE].monthly[0] == 0


def half_year_error(ledger: Ledger) -> Decimal:
    """How far month 7's prompting bill is from $1,000 × 0.75^(1/2), computed at 80 digits.

    The sum and the expected value are both taken at 80 digits, independently of the ledger's own context,
    so only the ledger's digits can make the difference: at 60 digits it is below 1e-50, at Python's
    default 28 it is about 1e-25.
    """
    items = {i.id: i for i in ledger.prompting.line_items}
    with localcontext(prec=80):
        half_year = items[LineItemId.API_USAGE].monthly[6] + items[LineItemId.PRICE_DECLINE].monthly[6]
        return abs(half_year - 1000 * Decimal("0.75").sqrt())


def test_the_precision_check_fails_for_a_ledger_kept_at_28_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    # The check above must be able to fail: the same ledger at Python's default precision misses it.
    p = proposal(
        workload={"requests_per_month": 1_000_000},
        prompting={"input_tokens_per_request": 1000, "output_tokens_per_request": 0, "price_decline_pct_per_year": 25},
    )
    monkeypatch.setattr(ledger_module, "_PRECISION", 28)
    error = half_year_error(build_ledger(p, policy(), prices("1", output="2")))
    assert Decimal("1e-40") < error < Decimal("1e-20")


@pytest.mark.parametrize(
    ("input_tokens", "prompting_total", "savings"),
    [(10_000, Decimal("0.01"), Decimal(100)), (9_999, Decimal("0.009999"), None)],
)
def test_prompting_under_a_cent_over_the_horizon_counts_as_free(
    input_tokens: int, prompting_total: Decimal, savings: Decimal | None
) -> None:
    # One request in one month at $1/Mtok: exactly a cent is a price; a hair under it is free.
    p = proposal(
        workload={"requests_per_month": 1},
        prompting={"input_tokens_per_request": input_tokens, "output_tokens_per_request": 0},
    )
    ledger = build_ledger(p, policy(horizon_months=1), prices("1"))
    assert ledger.prompting.total == prompting_total
    assert ledger.finetune.total == 0
    assert ledger.savings_pct == savings


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
    assert f[LineItemId.EVAL_SET_BUILD].monthly[0] == 16_000 and f[LineItemId.EVAL_SET_BUILD].total == 16_000
    assert f[LineItemId.EVAL_UPKEEP].total == 24 * 8 * 100
    assert f[LineItemId.OPERATIONS].total == 24 * 40 * 100
    assert f[LineItemId.MONITORING].total == 24 * 150
    assert f[LineItemId.TRAINING_RUN].total == 200 and f[LineItemId.DATA_LABELING].total == 6000
    pr = {i.id: i for i in ledger.prompting.line_items}
    assert pr[LineItemId.PROMPT_SETUP].total == 4000 and pr[LineItemId.PROMPT_UPKEEP].total == 24 * 1000
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


# --- Additions to version 1: batch, hosted-model retirement, hosted fine-tune, break-even, accuracy ---


def test_batch_discount_is_its_own_negative_line_before_the_price_decline() -> None:
    p = proposal(
        workload={"requests_per_month": 1_000_000},
        prompting={
            "input_tokens_per_request": 1000,
            "output_tokens_per_request": 0,
            "price_decline_pct_per_year": 25,
            "batch_share_pct": 40,
            "batch_discount_pct": 50,
        },
    )
    items = {i.id: i for i in build_ledger(p, policy(), prices("1")).prompting.line_items}
    # $1,000 a month at as_of prices; 40% of it at half price takes off 1,000 × 0.4 × 0.5 = $200.
    assert items[LineItemId.API_USAGE].monthly[0] == 1000
    assert items[LineItemId.BATCH_DISCOUNT].monthly == (Decimal(-200),) * 24
    assert items[LineItemId.BATCH_DISCOUNT].hidden_cost is None
    # A year on, the $800 batched bill is 25% cheaper: $600, of which the decline line holds −$200.
    month_13 = sum(
        items[i].monthly[12] for i in (LineItemId.API_USAGE, LineItemId.BATCH_DISCOUNT, LineItemId.PRICE_DECLINE)
    )
    assert month_13 == 600
    assert items[LineItemId.PRICE_DECLINE].monthly[12] == -200


def test_batch_discount_defaults_to_half_price_and_is_absent_when_unused() -> None:
    p = proposal(prompting={"input_tokens_per_request": 1000, "output_tokens_per_request": 0, "batch_share_pct": 100})
    items = {i.id: i for i in build_ledger(p, policy(), prices("1")).prompting.line_items}
    assert items[LineItemId.BATCH_DISCOUNT].total == -items[LineItemId.API_USAGE].total / 2
    unused = build_ledger(proposal(), policy(), prices()).prompting.line_items
    assert "batch_discount" not in {i.id for i in unused}


def test_hosted_model_retirements_cost_prompting_migrations() -> None:
    p = proposal(prompting={"model_lifecycle_months": 12, "migration_eng_hours": 80})
    ledger = build_ledger(p, policy(), prices())
    migrations = next(i for i in ledger.prompting.line_items if i.id == "migrations")
    # floor(24 / 12) = 2 retirements, in months 12 and 24, each 80 h × $150 = $12,000.
    assert [m for m, amount in enumerate(migrations.monthly, 1) if amount] == [12, 24]
    assert migrations.monthly[11] == 12_000 and migrations.total == 24_000
    assert migrations.hidden_cost is None
    assert migrations.note == PROMPTING_LOCK_IN
    seven = build_ledger(
        proposal(prompting={"model_lifecycle_months": 7, "migration_eng_hours": 10}), policy(), prices()
    )
    assert next(i for i in seven.prompting.line_items if i.id == "migrations").total == 3 * 1500  # months 7, 14, 21
    assert "migrations" not in {i.id for i in build_ledger(proposal(), policy(), prices()).prompting.line_items}


HOSTED = {
    "input_usd_per_mtok": 0.30,
    "output_usd_per_mtok": 1.20,
    "input_tokens_per_request": 300,
    "output_tokens_per_request": 12,
    "monthly_hosting_usd": 50,
}


def test_hosted_finetune_is_billed_per_token_plus_hosting_without_decline() -> None:
    p = proposal(
        workload={"requests_per_month": 1_000_000, "monthly_growth_pct": 0},
        prompting={"price_decline_pct_per_year": 30},
        finetune={"monthly_serving_usd": None, "hosted": HOSTED},
    )
    ledger = build_ledger(p, policy(), prices(), hosted=prices("0.30", output="1.20"))
    serving = next(i for i in ledger.finetune.line_items if i.id == "serving")
    # (300 × 0.30 + 12 × 1.20) / 10^6 = $0.0001044 a request × 1,000,000 = $104.40, + $50 hosting.
    assert serving.monthly == (Decimal("154.40"),) * 24
    assert serving.hidden_cost == 3
    assert ledger.gpus is None


def test_hosted_finetune_cached_tokens_and_growth() -> None:
    hosted = HOSTED | {"cached_input_tokens_per_request": 200, "monthly_hosting_usd": 0}
    p = proposal(
        workload={"requests_per_month": 1_000_000, "monthly_growth_pct": 10},
        finetune={"monthly_serving_usd": None, "hosted": hosted},
    )
    ledger = build_ledger(p, policy(horizon_months=2), prices(), hosted=prices("0.30", "0.15", "1.20"))
    serving = next(i for i in ledger.finetune.line_items if i.id == "serving")
    # (100 × 0.30 + 200 × 0.15 + 12 × 1.20) / 10^6 = $0.0000744; 1,000,000 then 1,100,000 requests.
    assert serving.monthly == (Decimal("74.4"), Decimal("81.84"))


def test_shrinking_volume_and_a_rebuild_undo_an_early_crossing() -> None:
    # Prompting costs $3,000 in month 1 and shrinks 20% a month; fine-tuning $1,000 a month and a $5,000
    # rebuild in month 3. Cumulative F: 1,000, 2,000, 8,000; P: 3,000, 5,400, 7,320. Crosses in month 1,
    # falls behind in month 3: the old rule said "month 1".
    p = proposal(
        workload={"requests_per_month": 1000, "monthly_growth_pct": -20},
        prompting={"input_tokens_per_request": 3_000_000, "output_tokens_per_request": 0},
        finetune={
            "monthly_serving_usd": 1000,
            "base_model_lifecycle_months": 3,
            "training_run_usd": 0,
            "rebuild_usd": 5000,
        },
    )
    ledger = build_ledger(p, policy(horizon_months=3), prices("1"))
    assert ledger.prompting.monthly == (Decimal(3000), Decimal(2400), Decimal(1920))
    assert ledger.break_even == BreakEven(month=None, first_crossing=1, fell_behind=3)
    assert ledger.break_even_month is None


def test_accuracy_gap_today_and_at_the_horizons_end() -> None:
    evaluation = {"eval_set": "e.jsonl", "finetune_accuracy": 0.92, "prompting_accuracy": 0.81}
    gained = proposal(evaluation=evaluation | {"prompting_accuracy_gain_per_year": 0.03})
    ledger = build_ledger(gained, policy(), prices())
    # Today (0.92 − 0.81) / 0.92 = 11.96%; in 24 months prompting scores 0.81 + 2 × 0.03 = 0.87: 5.43%.
    assert ledger.accuracy_gap_pct is not None and ledger.accuracy_gap_at_horizon_pct is not None
    assert ledger.accuracy_gap_pct.quantize(Decimal("0.01")) == Decimal("11.96")
    assert ledger.accuracy_gap_at_horizon_pct.quantize(Decimal("0.0001")) == Decimal("5.4348")
    # Accuracy stops at 1: 0.81 + 0.2 × 3 = 1.41 → 1, so prompting ends (1 − 0.92) / 0.92 = 8.70% ahead.
    capped = build_ledger(
        proposal(evaluation=evaluation | {"prompting_accuracy_gain_per_year": 0.2}), policy(horizon_months=36), prices()
    )
    assert capped.accuracy_gap_at_horizon_pct is not None
    assert capped.accuracy_gap_at_horizon_pct.quantize(Decimal("0.01")) == Decimal("-8.70")
    still = build_ledger(proposal(evaluation=evaluation), policy(), prices())
    assert still.accuracy_gap_at_horizon_pct == still.accuracy_gap_pct


def test_cost_per_request_of_each_option() -> None:
    p = proposal(
        workload={"requests_per_month": 1000},
        prompting={"input_tokens_per_request": 1000, "output_tokens_per_request": 0},
        finetune={"monthly_serving_usd": 5},
    )
    ledger = build_ledger(p, policy(horizon_months=2), prices("1"))
    # Prompting: 1,000 tokens × $1/Mtok = $0.001 a request. Fine-tuning: $10 over 2,000 requests = $0.005.
    assert ledger.prompting_usd_per_request == Decimal("0.001")
    assert ledger.finetune_usd_per_request == Decimal("0.005")
    assert ledger.requests == (Decimal(1000), Decimal(1000))


# Totals of the version-1 goldens, as the version-1 ledger computed them (tests/cases/valid/*/expected.json).
VERSION_1_TOTALS = {
    "discounted-36-months": ("1127436.46", "2312117.53", 1),
    "expired-waiver": ("139200.00", "6565.54", None),
    "missing-hidden-costs": ("72200.00", "6900000.00", 1),
    "spec-example": ("308152.00", "92903.91", None),
}


@pytest.mark.parametrize("case", sorted(VERSION_1_TOTALS))
def test_version_1_goldens_cost_the_same_to_the_cent(case: str) -> None:
    folder = Path(__file__).parent / "cases" / "valid" / case
    p = validate(load((folder / "finetune-proposal.yml").read_bytes()), Proposal)
    policy_file = folder / ".tco-gate.yml"
    rules = validate(load(policy_file.read_bytes()), Policy) if policy_file.exists() else Policy()
    ledger = build_ledger(p, rules, resolve_prices(p.prompting, p.as_of))
    f_total, p_total, month = VERSION_1_TOTALS[case]
    assert round_cents(ledger.finetune.total) == Decimal(f_total)
    assert round_cents(ledger.prompting.total) == Decimal(p_total)
    assert ledger.break_even_month == month


def version_1_totals(p: Proposal, rules: Policy, unit: Prices) -> tuple[Decimal, Decimal]:
    """The contract's version-1 cost semantics, written out again from SPEC.md, independently of the ledger."""
    ft, pr, rate, horizon = p.finetune, p.prompting, rules.hourly_rate_usd, rules.horizon_months
    growth = 1 + p.workload.monthly_growth_pct / 100
    discount = 1 + rules.discount_rate_pct_per_year / 100
    per_request = (
        (pr.input_tokens_per_request - pr.cached_input_tokens_per_request) * unit.input.usd_per_mtok
        + pr.cached_input_tokens_per_request * unit.cached_input.usd_per_mtok
        + pr.output_tokens_per_request * unit.output.usd_per_mtok
    ) / 10**6
    retrains = ft.retrains_per_year or 0
    lifecycle = ft.base_model_lifecycle_months
    f_sum = p_sum = Decimal(0)
    with localcontext(prec=60):
        for m in range(1, horizon + 1):
            v = p.workload.requests_per_month * growth ** (m - 1)
            prompting = (
                v * per_request * (1 - (pr.price_decline_pct_per_year or Decimal(0)) / 100) ** (Decimal(m - 1) / 12)
            )
            prompting += pr.monthly_eng_hours * rate + (pr.setup_eng_hours * rate if m == 1 else 0)
            if ft.serving is not None:
                s = ft.serving
                assert s.output_tokens_per_request is not None and s.output_tokens_per_second_per_gpu is not None
                assert s.gpu_hourly_usd is not None
                need = math.ceil(
                    v
                    * s.output_tokens_per_request
                    / (730 * 3600)
                    * s.peak_to_average
                    / (s.output_tokens_per_second_per_gpu * s.target_utilization_pct / 100)
                )
                serving = (max(s.min_gpus, need) + s.failover_gpus) * s.gpu_hourly_usd * 730
            else:
                assert ft.monthly_serving_usd is not None
                serving = ft.monthly_serving_usd
            finetune = (
                serving + ((ft.monthly_eng_hours or 0) + ft.monthly_eval_hours) * rate + ft.monthly_monitoring_usd
            )
            if m == 1:
                finetune += ft.training_run_usd + ft.data_labeling_usd + (ft.eval_set_build_hours or 0) * rate
            events = sum(1 for k in range(1, horizon * retrains // 12 + 1) if -(-k * 12 // retrains) == m)
            finetune += events * (ft.training_run_usd + ft.retrain_eng_hours * rate)
            if lifecycle and m % lifecycle == 0:
                finetune += (
                    ft.training_run_usd if ft.rebuild_usd is None else ft.rebuild_usd
                ) + ft.rebuild_eng_hours * rate
            weight = discount ** (-Decimal(m - 1) / 12)
            f_sum += finetune * weight
            p_sum += prompting * weight
    return f_sum, p_sum


_MONEY = st.decimals(min_value=Decimal(0), max_value=Decimal(100_000), places=2)
_HOURS = st.integers(0, 400)


@settings(max_examples=150, deadline=None)
@given(
    requests=st.integers(1, 10**9),
    growth=st.decimals(min_value=Decimal(-30), max_value=Decimal(30), places=1),
    tokens=st.tuples(st.integers(0, 8000), st.integers(0, 8000), st.integers(0, 2000)),
    decline=st.integers(0, 60),
    hours=st.tuples(_HOURS, _HOURS, _HOURS, _HOURS, _HOURS, _HOURS, _HOURS),
    money=st.tuples(_MONEY, _MONEY, _MONEY, _MONEY),
    retrains=st.integers(0, 12),
    lifecycle=st.one_of(st.none(), st.integers(1, 40)),
    sized=st.booleans(),
    horizon=st.integers(1, 60),
    discount=st.integers(0, 20),
)
def test_a_proposal_without_new_keys_costs_as_version_1_did(
    requests: int,
    growth: Decimal,
    tokens: tuple[int, int, int],
    decline: int,
    hours: tuple[int, ...],
    money: tuple[Decimal, ...],
    retrains: int,
    lifecycle: int | None,
    sized: bool,
    horizon: int,
    discount: int,
) -> None:
    tin, cached, tout = max(tokens[0], tokens[1]), min(tokens[0], tokens[1]), tokens[2]
    serving: dict[str, object] = (
        {
            "monthly_serving_usd": None,
            "serving": {
                "gpu_hourly_usd": money[0] / 100,
                "output_tokens_per_request": tout,
                "output_tokens_per_second_per_gpu": 700,
                "peak_to_average": 3,
            },
        }
        if sized
        else {"monthly_serving_usd": money[0]}
    )
    p = proposal(
        workload={"requests_per_month": requests, "monthly_growth_pct": growth},
        prompting={
            "input_tokens_per_request": tin,
            "cached_input_tokens_per_request": cached,
            "output_tokens_per_request": tout,
            "price_decline_pct_per_year": decline,
            "setup_eng_hours": hours[0],
            "monthly_eng_hours": hours[1],
        },
        finetune={
            **serving,
            "training_run_usd": money[1],
            "data_labeling_usd": money[2],
            "rebuild_usd": money[3],
            "eval_set_build_hours": hours[2],
            "monthly_eval_hours": hours[3],
            "monthly_eng_hours": hours[4],
            "retrain_eng_hours": hours[5],
            "rebuild_eng_hours": hours[6],
            "retrains_per_year": retrains,
            "base_model_lifecycle_months": lifecycle,
        },
    )
    rules = policy(horizon_months=horizon, discount_rate_pct_per_year=discount)
    unit = prices("0.4", "0.1", "1.6")
    ledger = build_ledger(p, rules, unit)
    f_total, p_total = version_1_totals(p, rules, unit)
    assert round_cents(ledger.finetune.total) == round_cents(f_total)
    assert round_cents(ledger.prompting.total) == round_cents(p_total)


# Each new form's case in tests/cases/valid, costed by hand (rate $150/h, 24 months, no growth unless said):
HAND_COSTED = {
    # (b) prefill: a request takes 5/1,500 + 1,300/40,000 = 0.0358333 GPU-s; 150M / 2,628,000 s = 57.0776 req/s
    # × 0.0358333 × peak 2 / 60% = 6.818 → 7 GPUs + 1 failover = 8 × $2 × 730 h = $11,680 a month.
    # F = 1,000 training + 100 h × 150 eval set + 8 retrains × 1,000 + 24 × (11,680 + 40 h × 150)
    #   + 2 rebuilds × 1,000 = 1,000 + 15,000 + 8,000 + 424,320 + 2,000 = 450,320.
    # P = 150M × (1,300 × 0.10 + 5 × 0.40) / 10^6 = $19,800 a month × 24 = 475,200; saving 24,880 / 475,200.
    # cum F − cum P = 16,000 − 2,120 m + 1,000 ⌊m/3⌋ + 1,000 ⌊m/12⌋: +1,040 in month 8, −80 in month 9, then falls.
    "prefill-serving": ("450320", "475200", "5.24", BreakEven(9, 9, None)),
    # (c) measured: 30M / 2,628,000 s = 11.4155 req/s × peak 3 / 60% / 45 req/s = 1.268 → 2 GPUs + 1 = 3 × $1,460.
    # F = 500 + 160 × 150 + 8 × 500 + 24 × (4,380 + 6,000) + 1 rebuild × 500 = 278,120.
    # P = 30M × (2,000 × 0.40 + 150 × 1.60) / 10^6 = $31,200 a month; + 40 h setup + 10 h a month:
    #   24 × 31,200 + 6,000 + 24 × 1,500 = 790,800. Month 1: F 34,880 ≤ P 38,700, and F adds less every month.
    "measured-serving": ("278120", "790800", "64.83", BreakEven(1, 1, None)),
    # hosted: ft:gpt-4o-mini at $0.30 / $1.20 per Mtok (catalog): 3M × (300 × 0.30 + 150 × 1.20) / 10^6 = $810.
    # F = 24 + 24,000 + 8 × 24 + 24 × (810 + 4 h × 150) + 2 × 24 = 58,104.
    # P = 3M × (2,000 × 0.40 + 150 × 1.60) / 10^6 = 3,120 a month: 24 × 3,120 + 6,000 + 24 × 1,500 = 116,880.
    # cum F − cum P = 18,024 − 3,210 m + 24 ⌊m/3⌋ + 24 ⌊m/12⌋: +1,998 in month 5, −1,188 in month 6.
    "hosted-finetune": ("58104", "116880", "50.29", BreakEven(6, 6, None)),
    # batch + migrations: usage $1,000 a month, 40% of it at half price: −$200; migrations in months 12 and 24,
    # 80 h × 150 = 12,000 each. P = 24,000 − 4,800 + 24,000 = 43,200.
    # F = 1,000 + 20 × 150 + 2 retrains × 1,000 + 24 × (1,000 + 2 × 150) + 1 rebuild × 1,000 = 38,200.
    # cum F = 4,000 + 1,300 m (+1,000 from month 12, +2,000 more in 24); cum P = 800 m (+12,000 in 12 and 24):
    # month 12: 20,600 ≤ 21,600; 14: 23,200 ≤ 23,200; 15: 24,500 > 24,000; 24: 38,200 ≤ 43,200.
    "batch-and-migrations": ("38200", "43200", "11.57", BreakEven(24, 12, 15)),
    # shrinking volume: P = 3,000 × (1 − 0.9^24) / 0.1 = 27,607.01; F = 500 + 1,500 + 24 × 1,150 + 2 × 500
    # + 4 rebuilds × 500 = 32,600. Month 2: F 4,300 ≤ P 5,700; month 20: F 27,000 > P 26,352.83.
    "crossing-undone": ("32600", "27607.01", "-18.09", BreakEven(None, 2, 20)),
}


@pytest.mark.parametrize("case", sorted(HAND_COSTED))
def test_each_new_form_matches_its_hand_costing(case: str) -> None:
    p = validate(
        load((Path(__file__).parent / "cases" / "valid" / case / "finetune-proposal.yml").read_bytes()), Proposal
    )
    found = resolve_proposal_prices(p)
    ledger = build_ledger(p, Policy(), found.prompting, found.hosted)
    f_total, p_total, saving, expected_break_even = HAND_COSTED[case]
    assert round_cents(ledger.finetune.total) == Decimal(f_total)
    assert round_cents(ledger.prompting.total) == Decimal(p_total)
    assert ledger.savings_pct is not None and round_cents(ledger.savings_pct) == Decimal(saving)
    assert ledger.break_even == expected_break_even


def test_prompting_lines_in_order_with_their_labels() -> None:
    # What the reports list, in this order: the bill, what batching takes off it, the decline, then people.
    p = proposal(
        prompting={
            "batch_share_pct": 50,
            "model_lifecycle_months": 12,
            "migration_eng_hours": 8,
            "price_decline_pct_per_year": 10,
        }
    )
    items = build_ledger(p, policy(), prices()).prompting.line_items
    assert [(i.id, i.label) for i in items] == [
        ("api_usage", "hosted API usage at as_of prices"),
        ("batch_discount", "batch API discount"),
        ("price_decline", "hosted price decline over time"),
        ("prompt_setup", "prompt engineering (one-off)"),
        ("prompt_upkeep", "prompt upkeep and its evals"),
        ("migrations", "prompt migrations when the hosted model is retired"),
    ]


def test_the_ledger_keeps_the_hosted_fine_tunes_prices_only_when_there_is_one() -> None:
    hosted_prices = prices("0.30", output="1.20")
    hosted = proposal(finetune={"monthly_serving_usd": None, "hosted": HOSTED})
    assert build_ledger(hosted, policy(), prices(), hosted=hosted_prices).hosted_prices == hosted_prices
    assert build_ledger(proposal(), policy(), prices(), hosted=hosted_prices).hosted_prices is None
