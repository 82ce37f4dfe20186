"""Pure: both totals in floats and closed forms, for the analyses that need thousands of evaluations.

The exact Decimal ledger takes milliseconds a proposal; flip points, the tornado and 10,000 Monte
Carlo draws cannot afford that. Most line items are geometric series (a monthly amount that grows,
declines and is discounted at fixed rates), so each sums in closed form; only sized GPU serving, a
ceiling per month, is a loop. Tests hold this model to the exact ledger to the cent.

Every input may be a float or a column (a list of floats, one per draw): `lift` applies a formula
element-wise where any argument is a column, so what no range touches is computed once. Each total
is the sum of its parts (`FINETUNE_PARTS`, `PROMPTING_PARTS`), so the sensitivity can recompute only
the parts that read the input it moves.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import lru_cache

from ..growth import log_factor
from .columns import Num, Setting, geometric_sum, get, lift, plus, powers, whole
from .fleet_model import LOAD_INPUTS, SIZED, capacity_slack, committed_fleet, gpu_load, gpu_steps, sized_serving

__all__ = [  # what the analysis reads from here, wherever it lives
    "LOAD_INPUTS",
    "Num",
    "Setting",
    "capacity_slack",
    "geometric_sum",
    "gpu_load",
    "gpu_steps",
    "lift",
    "plus",
    "whole",
]


@lru_cache(maxsize=256)
def _retrain_weight(per_year: int, horizon: int, log_discount: float) -> float:
    """Σ of discount factors over the retrain months: floor(H·r/12) events, the k-th in month ceil(12k/r)."""
    if per_year <= 0:
        return 0.0
    count = horizon * per_year // 12
    return sum(math.exp((-(-k * 12 // per_year) - 1) * log_discount) for k in range(1, count + 1))


@lru_cache(maxsize=256)
def _event_weight(lifecycle: int, horizon: int, log_discount: float) -> float:
    """Σ of discount factors over the months of a lifecycle's events: floor(H/L), the k-th in month k·L."""
    lifecycle = max(1, lifecycle)
    return sum(math.exp((k * lifecycle - 1) * log_discount) for k in range(1, horizon // lifecycle + 1))


def _usd_per_request(x: Mapping[str, Num], section: str) -> Num:
    """One request's tokens at the section's prices, the cached part (at most the input) at the cached price."""
    return lift(
        lambda tin, tc, p_in, p_c, tout, p_out: ((tin - min(tc, tin)) * p_in + min(tc, tin) * p_c + tout * p_out) / 1e6,
        get(x, f"{section}/input_tokens_per_request"),
        get(x, f"{section}/cached_input_tokens_per_request"),
        get(x, f"{section}/input_usd_per_mtok"),
        get(x, f"{section}/cached_input_usd_per_mtok"),
        get(x, f"{section}/output_tokens_per_request"),
        get(x, f"{section}/output_usd_per_mtok"),
    )


def _api_usage(x: Mapping[str, Num], s: Setting) -> Num:
    """Hosted API usage over the horizon: growing, batched, declining and discounted."""
    series = lift(
        lambda growth, decline: geometric_sum(
            log_factor(growth) + math.log1p(-decline / 100) / 12 + s.log_discount, s.horizon
        ),
        get(x, "/workload/monthly_growth_pct"),
        get(x, "/prompting/price_decline_pct_per_year"),
    )
    batched = lift(
        lambda share, off: 1 - share / 100 * off / 100,
        get(x, "/prompting/batch_share_pct"),
        x["/prompting/batch_discount_pct"],  # defaulted by the model, so always among the inputs
    )
    return lift(
        lambda volume, usd, batch, series_: volume * usd * batch * series_,
        get(x, "/workload/requests_per_month"),
        _usd_per_request(x, "/prompting"),
        batched,
        series,
    )


def _prompt_people(x: Mapping[str, Num], s: Setting) -> Num:
    """Prompt engineering, once, and its upkeep every month."""
    months = geometric_sum(s.log_discount, s.horizon)
    return lift(
        lambda setup, upkeep: (setup + upkeep * months) * s.hourly_rate,
        get(x, "/prompting/setup_eng_hours"),
        get(x, "/prompting/monthly_eng_hours"),
    )


def _migrations(x: Mapping[str, Num], s: Setting) -> Num:
    """A prompt migration each time the hosted model is retired."""
    lifecycle = x.get("/prompting/model_lifecycle_months")
    return lift(
        lambda life, hours: (
            hours * s.hourly_rate * _event_weight(whole(life), s.horizon, s.log_discount) if life > 0 else 0.0
        ),
        0.0 if lifecycle is None else lifecycle,
        get(x, "/prompting/migration_eng_hours"),
    )


def _serving(x: Mapping[str, Num], s: Setting) -> Num:
    """Hidden cost 3's serving line, whichever of the three forms the proposal uses (sized: on demand only; the
    committed fleet is its own part)."""
    if SIZED in x:
        return sized_serving(x, s)
    months = geometric_sum(s.log_discount, s.horizon)
    if "/finetune/hosted/output_tokens_per_request" in x:
        # The fine-tune does not improve, but its provider may cut its per-token price.
        series = lift(
            lambda growth, decline: geometric_sum(
                log_factor(growth) + math.log1p(-decline / 100) / 12 + s.log_discount, s.horizon
            ),
            get(x, "/workload/monthly_growth_pct"),
            get(x, "/finetune/hosted/price_decline_pct_per_year"),
        )
        return lift(
            lambda volume, usd, series_, fee: volume * usd * series_ + fee * months,
            get(x, "/workload/requests_per_month"),
            _usd_per_request(x, "/finetune/hosted"),
            series,
            get(x, "/finetune/hosted/monthly_hosting_usd"),
        )
    return lift(lambda flat: flat * months, get(x, "/finetune/monthly_serving_usd"))


def _one_offs(x: Mapping[str, Num], s: Setting) -> Num:
    """Training, labeling and the eval set's build, in month 1."""
    return lift(
        lambda train, labeling, build: train + labeling + build * s.hourly_rate,
        get(x, "/finetune/training_run_usd"),
        get(x, "/finetune/data_labeling_usd"),
        get(x, "/finetune/eval_set_build_hours"),
    )


def _monthly(x: Mapping[str, Num], s: Setting) -> Num:
    """Eval upkeep, operations and monitoring, every month."""
    months = geometric_sum(s.log_discount, s.horizon)
    return lift(
        lambda eval_hours, ops_hours, monitoring: ((eval_hours + ops_hours) * s.hourly_rate + monitoring) * months,
        get(x, "/finetune/monthly_eval_hours"),
        get(x, "/finetune/monthly_eng_hours"),
        get(x, "/finetune/monthly_monitoring_usd"),
    )


def _retrains(x: Mapping[str, Num], s: Setting) -> Num:
    """Each retrain's run and engineering, in its month."""
    return lift(
        lambda train, hours, per_year: (
            (train + hours * s.hourly_rate) * _retrain_weight(whole(per_year), s.horizon, s.log_discount)
        ),
        get(x, "/finetune/training_run_usd"),
        get(x, "/finetune/retrain_eng_hours"),
        get(x, "/finetune/retrains_per_year"),
    )


def _rebuilds(x: Mapping[str, Num], s: Setting) -> Num:
    """Each forced rebuild when the base model is deprecated, in its month."""
    lifecycle = x.get("/finetune/base_model_lifecycle_months")
    return lift(
        lambda rebuild, hours, life: (
            (rebuild + hours * s.hourly_rate) * _event_weight(whole(life), s.horizon, s.log_discount)
            if life > 0
            else 0.0
        ),
        get(x, "/finetune/rebuild_usd", get(x, "/finetune/training_run_usd")),
        get(x, "/finetune/rebuild_eng_hours"),
        0.0 if lifecycle is None else lifecycle,
    )


ERRORS = "/evaluation/cost_per_error_usd"


def _finetune_errors(x: Mapping[str, Num], s: Setting) -> Num:
    """The fine-tuned model's wrong answers: a fixed share of a growing, discounted volume."""
    if ERRORS not in x:
        return 0.0
    return lift(
        lambda volume, accuracy, per_error, growth: (
            volume * (1 - accuracy) * per_error * geometric_sum(log_factor(growth) + s.log_discount, s.horizon)
        ),
        get(x, "/workload/requests_per_month"),
        get(x, "/evaluation/finetune_accuracy"),
        get(x, ERRORS),
        get(x, "/workload/monthly_growth_pct"),
    )


@lru_cache(maxsize=1024)
def _error_weight(growth: float, accuracy: float, gain: float, log_discount: float, horizon: int) -> float:
    """Σ_m (1 + growth)^(m−1) × discount_m × (1 − min(1, accuracy + gain × (m−1)/12)): prompting's error share."""
    grown = powers(log_factor(growth) + log_discount, horizon)
    return sum(q * max(0.0, 1 - min(1.0, accuracy + gain * m / 12)) for m, q in enumerate(grown))


def _prompting_errors(x: Mapping[str, Num], s: Setting) -> Num:
    """Prompting's wrong answers: fewer each month as the hosted model gains accuracy, none once it is perfect."""
    if ERRORS not in x:
        return 0.0
    weight = lift(
        lambda growth, accuracy, gain: _error_weight(growth, accuracy, gain, s.log_discount, s.horizon),
        get(x, "/workload/monthly_growth_pct"),
        get(x, "/evaluation/prompting_accuracy"),
        get(x, "/evaluation/prompting_accuracy_gain_per_year"),
    )
    return lift(
        lambda volume, per_error, weight_: volume * per_error * weight_,
        get(x, "/workload/requests_per_month"),
        get(x, ERRORS),
        weight,
    )


Part = Callable[[Mapping[str, Num], Setting], Num]
# Each total is the sum of its parts, in this order (the order `plus` adds them in).
FINETUNE_PARTS: tuple[Part, ...] = (
    _one_offs,
    _monthly,
    _serving,
    committed_fleet,
    _retrains,
    _rebuilds,
    _finetune_errors,
)
PROMPTING_PARTS: tuple[Part, ...] = (_api_usage, _prompt_people, _migrations, _prompting_errors)
# The verdict's third condition: the committed fleet must hold the peak fleet when nothing bursts beyond it.
CAPACITY_PARTS: tuple[Part, ...] = (capacity_slack,)


def finetune_total(x: Mapping[str, Num], s: Setting) -> Num:
    """One-offs, monthly people and monitoring, serving, retrains and forced rebuilds, over the horizon."""
    return plus(*(part(x, s) for part in FINETUNE_PARTS))


def prompting_total(x: Mapping[str, Num], s: Setting) -> Num:
    """Hosted API usage (growing, batched, declining, discounted), prompt engineering and migrations."""
    return plus(*(part(x, s) for part in PROMPTING_PARTS))


def totals(x: Mapping[str, Num], s: Setting) -> tuple[Num, Num]:
    """(fine-tuning, prompting) over the horizon, for one set of inputs or a column of draws."""
    return finetune_total(x, s), prompting_total(x, s)


def passes(finetune: float, prompting: float, min_savings_pct: float, slack: float = math.inf) -> bool:
    """The margin test on floats: prompting costs a cent or more, fine-tuning saves the margin, and the committed
    fleet holds the peak (`slack` >= 0, from `capacity_slack`)."""
    return slack >= 0 and prompting >= 0.01 and (prompting - finetune) * 100 >= min_savings_pct * prompting
