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
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import add, mul

from ..models import Policy
from .gpu_months import gpu_months_column, steps_between

Num = float | list[float]
HOURS_PER_MONTH = 730.0
SECONDS_PER_MONTH = 730.0 * 3600.0
# A GPU count computed in floats lands a few ulps above a whole number when the exact value is that
# number (2,628,000 requests at one GPU-second each is one GPU); shaving 1e-12 off keeps the ceiling
# where the exact ledger's is.
_JUST_UNDER = 1 - 1e-12


def lift(formula: Callable[..., float], *args: Num) -> Num:
    """`formula` applied to scalars, or element-wise over the columns among `args`."""
    for column in args:
        if isinstance(column, list):
            size = len(column)
            return list(map(formula, *(a if isinstance(a, list) else repeat(a, size) for a in args)))
    return formula(*args)


def plus(*terms: Num) -> Num:
    """The sum of scalars and columns, column by column in C."""
    scalar = sum((t for t in terms if not isinstance(t, list)), 0.0)
    columns = [t for t in terms if isinstance(t, list)]
    if not columns:
        return scalar
    total = columns[0]
    for column in columns[1:]:
        total = list(map(add, total, column))
    return list(map(add, total, repeat(scalar))) if scalar else total


@dataclass(frozen=True)
class Setting:
    """The policy's numbers a costing reads; a policy has no ranges, so these are plain floats."""

    horizon: int
    hourly_rate: float
    log_discount: float  # ln of one month's discount factor, (1 + d)^(-1/12)
    min_savings_pct: float

    @classmethod
    def of(cls, policy: Policy) -> Setting:
        return cls(
            horizon=policy.horizon_months,
            hourly_rate=float(policy.hourly_rate_usd),
            log_discount=-math.log1p(float(policy.discount_rate_pct_per_year) / 100) / 12,
            min_savings_pct=float(policy.min_savings_pct),
        )


def geometric_sum(log_ratio: float, months: int) -> float:
    """Σ q^(m−1) for m = 1..months with q = e^log_ratio, stable when q is near 1."""
    if log_ratio == 0:
        return float(months)
    return math.expm1(months * log_ratio) / math.expm1(log_ratio)


def whole(value: float) -> int:
    """An integer input drawn or moved as a float: rounded half up, as a person rounds."""
    return math.floor(value + 0.5)


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


@lru_cache(maxsize=1024)  # the sensitivity moves growth through tens of values a proposal
def _powers(log_ratio: float, months: int) -> tuple[float, ...]:
    return tuple(map(math.exp, map(mul, range(months), repeat(log_ratio))))


def _get(x: Mapping[str, Num], pointer: str, default: Num = 0.0) -> Num:
    value = x.get(pointer)
    return default if value is None else value


def _usd_per_request(x: Mapping[str, Num], section: str) -> Num:
    """One request's tokens at the section's prices, the cached part (at most the input) at the cached price."""
    return lift(
        lambda tin, tc, p_in, p_c, tout, p_out: ((tin - min(tc, tin)) * p_in + min(tc, tin) * p_c + tout * p_out) / 1e6,
        _get(x, f"{section}/input_tokens_per_request"),
        _get(x, f"{section}/cached_input_tokens_per_request"),
        _get(x, f"{section}/input_usd_per_mtok"),
        _get(x, f"{section}/cached_input_usd_per_mtok"),
        _get(x, f"{section}/output_tokens_per_request"),
        _get(x, f"{section}/output_usd_per_mtok"),
    )


def _api_usage(x: Mapping[str, Num], s: Setting) -> Num:
    """Hosted API usage over the horizon: growing, batched, declining and discounted."""
    series = lift(
        lambda growth, decline: geometric_sum(
            math.log1p(growth / 100) + math.log1p(-decline / 100) / 12 + s.log_discount, s.horizon
        ),
        _get(x, "/workload/monthly_growth_pct"),
        _get(x, "/prompting/price_decline_pct_per_year"),
    )
    batched = lift(
        lambda share, off: 1 - share / 100 * off / 100,
        _get(x, "/prompting/batch_share_pct"),
        _get(x, "/prompting/batch_discount_pct", 50.0),
    )
    return lift(
        lambda volume, usd, batch, series_: volume * usd * batch * series_,
        _get(x, "/workload/requests_per_month"),
        _usd_per_request(x, "/prompting"),
        batched,
        series,
    )


def _prompt_people(x: Mapping[str, Num], s: Setting) -> Num:
    """Prompt engineering, once, and its upkeep every month."""
    months = geometric_sum(s.log_discount, s.horizon)
    return lift(
        lambda setup, upkeep: (setup + upkeep * months) * s.hourly_rate,
        _get(x, "/prompting/setup_eng_hours"),
        _get(x, "/prompting/monthly_eng_hours"),
    )


def _migrations(x: Mapping[str, Num], s: Setting) -> Num:
    """A prompt migration each time the hosted model is retired."""
    lifecycle = x.get("/prompting/model_lifecycle_months")
    return lift(
        lambda life, hours: (
            hours * s.hourly_rate * _event_weight(whole(life), s.horizon, s.log_discount) if life > 0 else 0.0
        ),
        0.0 if lifecycle is None else lifecycle,
        _get(x, "/prompting/migration_eng_hours"),
    )


# The inputs that reach sized serving's GPU counts only through the load a month puts on one GPU.
LOAD_INPUTS = frozenset(
    {
        "/workload/requests_per_month",
        *(
            f"/finetune/serving/{key}"
            for key in (
                "output_tokens_per_request",
                "output_tokens_per_second_per_gpu",
                "input_tokens_per_request",
                "input_tokens_per_second_per_gpu",
                "requests_per_second_per_gpu",
                "target_utilization_pct",
                "peak_to_average",
            )
        ),
    }
)


def _busy(x: Mapping[str, Num]) -> Num:
    """GPUs one request a month keeps busy at peak and target utilization."""
    serving = "/finetune/serving"

    def seconds(out_tokens: float, out_rate: float, in_tokens: float, in_rate: float, per_second: float) -> float:
        # GPU-seconds a request: a measured request rate, else decode plus any prefill.
        if per_second > 0:
            return 1 / per_second
        return out_tokens / out_rate + (in_tokens / in_rate if in_rate > 0 else 0.0)

    per_request = lift(
        seconds,
        _get(x, f"{serving}/output_tokens_per_request"),
        _get(x, f"{serving}/output_tokens_per_second_per_gpu", 1.0),
        _get(x, f"{serving}/input_tokens_per_request"),
        _get(x, f"{serving}/input_tokens_per_second_per_gpu"),
        _get(x, f"{serving}/requests_per_second_per_gpu"),
    )
    return lift(
        lambda gpu_seconds, utilization, peak: gpu_seconds / SECONDS_PER_MONTH * peak / (utilization / 100),
        per_request,
        _get(x, f"{serving}/target_utilization_pct", 60.0),
        _get(x, f"{serving}/peak_to_average", 1.0),
    )


def gpu_load(x: Mapping[str, Num]) -> Num:
    """Month 1's GPU need before its ceiling (month m's is this times the growth to it), sized serving."""
    return lift(lambda v, b: v * b * _JUST_UNDER, _get(x, "/workload/requests_per_month"), _busy(x))


def gpu_steps(x: Mapping[str, float], s: Setting, low: float, high: float, most: int) -> list[float] | None:
    """The loads (`gpu_load`) strictly between `low` and `high` at which some month's GPU count steps, in order.

    None when there are more than `most`.
    """
    grown = _powers(math.log1p(x.get("/workload/monthly_growth_pct", 0.0) / 100), s.horizon)
    return steps_between(grown, whole(x.get("/finetune/serving/min_gpus", 1.0)), low, high, most)


def _sized_serving(x: Mapping[str, Num], s: Setting) -> Num:
    serving = "/finetune/serving"
    busy = _busy(x)
    discount = _powers(s.log_discount, s.horizon)

    spare_months = sum(discount)

    def gpu_months(volume: float, busy_: float, growth: float, least: float, spare: float) -> float:
        # Σ_m (max(least, ceil(busy·V(m))) + spare), discounted; map() keeps the month loop in C.
        scaled = volume * busy_
        grown = _powers(math.log1p(growth / 100), s.horizon)
        counts = map(max, repeat(whole(least)), map(math.ceil, map(mul, grown, repeat(scaled))))
        return float(sum(map(mul, counts, discount))) + whole(spare) * spare_months

    volume, growth = _get(x, "/workload/requests_per_month"), _get(x, "/workload/monthly_growth_pct")
    least, spare = _get(x, f"{serving}/min_gpus", 1.0), _get(x, f"{serving}/failover_gpus", 1.0)
    if isinstance(growth, float) and isinstance(least, float) and isinstance(spare, float):
        # The usual case, month by month over whole columns, so no Python runs per draw.
        scaled = lift(lambda v, b: v * b * _JUST_UNDER, volume, busy)
        if isinstance(scaled, list):
            grown = _powers(math.log1p(growth / 100), s.horizon)
            months: Num = gpu_months_column(scaled, grown, discount, whole(least), whole(spare))
        else:
            months = gpu_months(scaled, 1.0, growth, least, spare)
    else:
        months = lift(
            lambda v, b, g, lo, sp: gpu_months(v, b * _JUST_UNDER, g, lo, sp), volume, busy, growth, least, spare
        )
    return lift(lambda count, hourly: count * hourly * HOURS_PER_MONTH, months, _get(x, f"{serving}/gpu_hourly_usd"))


def _serving(x: Mapping[str, Num], s: Setting) -> Num:
    """Hidden cost 3's serving line, whichever of the three forms the proposal uses."""
    if "/finetune/serving/gpu_hourly_usd" in x:
        return _sized_serving(x, s)
    months = geometric_sum(s.log_discount, s.horizon)
    if "/finetune/hosted/output_tokens_per_request" in x:
        # A frozen fine-tune's per-token price does not decline: growth and discounting only.
        series = lift(
            lambda growth: geometric_sum(math.log1p(growth / 100) + s.log_discount, s.horizon),
            _get(x, "/workload/monthly_growth_pct"),
        )
        return lift(
            lambda volume, usd, series_, fee: volume * usd * series_ + fee * months,
            _get(x, "/workload/requests_per_month"),
            _usd_per_request(x, "/finetune/hosted"),
            series,
            _get(x, "/finetune/hosted/monthly_hosting_usd"),
        )
    return lift(lambda flat: flat * months, _get(x, "/finetune/monthly_serving_usd"))


def _one_offs(x: Mapping[str, Num], s: Setting) -> Num:
    """Training, labeling and the eval set's build, in month 1."""
    return lift(
        lambda train, labeling, build: train + labeling + build * s.hourly_rate,
        _get(x, "/finetune/training_run_usd"),
        _get(x, "/finetune/data_labeling_usd"),
        _get(x, "/finetune/eval_set_build_hours"),
    )


def _monthly(x: Mapping[str, Num], s: Setting) -> Num:
    """Eval upkeep, operations and monitoring, every month."""
    months = geometric_sum(s.log_discount, s.horizon)
    return lift(
        lambda eval_hours, ops_hours, monitoring: ((eval_hours + ops_hours) * s.hourly_rate + monitoring) * months,
        _get(x, "/finetune/monthly_eval_hours"),
        _get(x, "/finetune/monthly_eng_hours"),
        _get(x, "/finetune/monthly_monitoring_usd"),
    )


def _retrains(x: Mapping[str, Num], s: Setting) -> Num:
    """Each retrain's run and engineering, in its month."""
    return lift(
        lambda train, hours, per_year: (
            (train + hours * s.hourly_rate) * _retrain_weight(whole(per_year), s.horizon, s.log_discount)
        ),
        _get(x, "/finetune/training_run_usd"),
        _get(x, "/finetune/retrain_eng_hours"),
        _get(x, "/finetune/retrains_per_year"),
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
        _get(x, "/finetune/rebuild_usd", _get(x, "/finetune/training_run_usd")),
        _get(x, "/finetune/rebuild_eng_hours"),
        0.0 if lifecycle is None else lifecycle,
    )


Part = Callable[[Mapping[str, Num], Setting], Num]
# Each total is the sum of its parts, in this order (the order `plus` adds them in).
FINETUNE_PARTS: tuple[Part, ...] = (_one_offs, _monthly, _serving, _retrains, _rebuilds)
PROMPTING_PARTS: tuple[Part, ...] = (_api_usage, _prompt_people, _migrations)


def finetune_total(x: Mapping[str, Num], s: Setting) -> Num:
    """One-offs, monthly people and monitoring, serving, retrains and forced rebuilds, over the horizon."""
    return plus(*(part(x, s) for part in FINETUNE_PARTS))


def prompting_total(x: Mapping[str, Num], s: Setting) -> Num:
    """Hosted API usage (growing, batched, declining, discounted), prompt engineering and migrations."""
    return plus(*(part(x, s) for part in PROMPTING_PARTS))


def totals(x: Mapping[str, Num], s: Setting) -> tuple[Num, Num]:
    """(fine-tuning, prompting) over the horizon, for one set of inputs or a column of draws."""
    return finetune_total(x, s), prompting_total(x, s)


def passes(finetune: float, prompting: float, min_savings_pct: float) -> bool:
    """The margin test on floats: prompting costs a cent or more, and fine-tuning saves the margin."""
    return prompting >= 0.01 and (prompting - finetune) * 100 >= min_savings_pct * prompting
