"""Pure: sized serving in the float model: the GPUs rented on demand, the committed fleet, and whether the fleet
can serve the volume at all, for scalars or columns of draws.

The same semantics as sizing.py and serving_cost.py (tests hold them to the exact ledger to the cent): each of
`regions` fleets serves 1/regions of the volume in replicas of `gpus_per_replica` GPUs, replicas(m) =
max(min, ceil(V(m)/regions × load)) + failover; the billed fleet uses the average load when it autoscales, the
peak fleet (capacity) always the peak. A committed fleet is paid every month; on-demand GPUs are the billed ones
beyond it (all of them without one), or none without an on-demand price.

An input that is always among the inputs where it is read (a required one, one the proposal's model gives a
default, which `inputs.cost_inputs` fills in, or one checked for just before) is read as `x[pointer]`: one missing
is a bug to surface, not a value to guess. `get` is for inputs a proposal may leave out, which count as 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..growth import log_factor
from ..units import HOURS_PER_MONTH, SECONDS_PER_MONTH
from .columns import (
    JUST_UNDER,
    Num,
    Setting,
    geometric_sum,
    get,
    lift,
    powers,
    whole,
)
from .gpu_months import gpu_months_column, steps_between

SERVING = "/finetune/serving"
COMMITTED = f"{SERVING}/committed"
AUTOSCALING = f"{SERVING}/autoscaling"  # 1.0 when the fleet autoscales; absent otherwise
SIZED = f"{SERVING}/target_utilization_pct"  # always present (it has a default) when serving is sized

# The inputs that reach sized serving's GPU counts only through the load a month puts on one replica.
LOAD_INPUTS = frozenset(
    {
        "/workload/requests_per_month",
        *(
            f"{SERVING}/{key}"
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


def _busy(x: Mapping[str, Num], *, at_peak: bool) -> Num:
    """Replicas one request a month keeps busy at the target utilization: at the peak, or as billed (the average
    load when the fleet autoscales)."""

    def seconds(out_tokens: float, out_rate: float, in_tokens: float, in_rate: float, per_second: float) -> float:
        # Replica-seconds a request: a measured request rate, else decode plus any prefill.
        if per_second > 0:
            return 1 / per_second
        return out_tokens / out_rate + (in_tokens / in_rate if in_rate > 0 else 0.0)

    per_request = lift(
        seconds,
        get(x, f"{SERVING}/output_tokens_per_request"),
        get(x, f"{SERVING}/output_tokens_per_second_per_gpu", 1.0),
        get(x, f"{SERVING}/input_tokens_per_request"),
        get(x, f"{SERVING}/input_tokens_per_second_per_gpu"),
        get(x, f"{SERVING}/requests_per_second_per_gpu"),
    )
    peak = x[f"{SERVING}/peak_to_average"] if at_peak or AUTOSCALING not in x else 1.0
    return lift(
        lambda gpu_seconds, utilization, peak_: gpu_seconds / SECONDS_PER_MONTH * peak_ / (utilization / 100),
        per_request,
        x[f"{SERVING}/target_utilization_pct"],
        peak,
    )


def _load(x: Mapping[str, Num], *, at_peak: bool) -> Num:
    """Month 1's replicas busy in one region before the ceiling (month m's is this times the growth to it)."""
    return lift(
        lambda v, b, regions: v * b / whole(regions) * JUST_UNDER,
        x["/workload/requests_per_month"],
        _busy(x, at_peak=at_peak),
        x[f"{SERVING}/regions"],
    )


def gpu_load(x: Mapping[str, Num]) -> Num:
    """The billed fleet's month-1 load per region before its ceiling: where its GPU counts step."""
    return _load(x, at_peak=False)


def gpu_steps(x: Mapping[str, float], s: Setting, low: float, high: float, most: int) -> list[float] | None:
    """The loads (`gpu_load`) strictly between `low` and `high` at which some month's count steps, in order.

    None when there are more than `most`.
    """
    grown = powers(log_factor(x["/workload/monthly_growth_pct"]), s.horizon)
    return steps_between(grown, whole(x[f"{SERVING}/min_gpus"]), low, high, most)


def sized_serving(x: Mapping[str, Num], s: Setting) -> Num:
    """The GPUs rented on demand over the horizon, discounted, at the on-demand price: the billed fleet, or what
    it needs beyond a committed one; nothing without an on-demand price."""
    if f"{SERVING}/gpu_hourly_usd" not in x:
        return 0.0
    if f"{COMMITTED}/gpus" in x:
        months = _burst_months(x, s)
    else:
        months = lift(lambda rm, r, g: rm * whole(r) * whole(g), _replica_months(x, s), *_layout(x))
    return lift(lambda count, hourly: count * hourly * HOURS_PER_MONTH, months, x[f"{SERVING}/gpu_hourly_usd"])


def _layout(x: Mapping[str, Num]) -> tuple[Num, Num]:
    return x[f"{SERVING}/regions"], x[f"{SERVING}/gpus_per_replica"]


def _replica_months(x: Mapping[str, Num], s: Setting) -> Num:
    """Σ_m d_m (max(least, ceil(y·c_m)) + spare), one region's discounted replica-months of the billed fleet."""
    discount = powers(s.log_discount, s.horizon)
    spare_months = sum(discount)

    def months(scaled: float, growth: float, least: float, spare: float) -> float:
        grown = powers(log_factor(growth), s.horizon)
        counts = (max(whole(least), math.ceil(scaled * c)) for c in grown)
        return float(sum(n * d for n, d in zip(counts, discount, strict=True))) + whole(spare) * spare_months

    scaled, growth = gpu_load(x), x["/workload/monthly_growth_pct"]
    least, spare = x[f"{SERVING}/min_gpus"], x[f"{SERVING}/failover_gpus"]
    if isinstance(scaled, list) and isinstance(growth, float) and isinstance(least, float) and isinstance(spare, float):
        # The usual column: by the steps of its counts, so no Python runs per draw and month.
        grown = powers(log_factor(growth), s.horizon)
        return gpu_months_column(scaled, grown, discount, whole(least), whole(spare))
    return lift(months, scaled, growth, least, spare)


def _burst_months(x: Mapping[str, Num], s: Setting) -> Num:
    """Σ_m d_m max(0, regions × gpus_per_replica × replicas(m) − committed): on-demand GPU-months beyond the fleet."""
    discount = powers(s.log_discount, s.horizon)

    def months(scaled: float, growth: float, least: float, spare: float, r: float, g: float, fleet: float) -> float:
        grown = powers(log_factor(growth), s.horizon)
        per_replica, committed, floor, extra = whole(r) * whole(g), whole(fleet), whole(least), whole(spare)
        return float(
            sum(
                d * max(0, per_replica * (max(floor, math.ceil(scaled * c)) + extra) - committed)
                for c, d in zip(grown, discount, strict=True)
            )
        )

    return lift(
        months,
        gpu_load(x),
        x["/workload/monthly_growth_pct"],
        x[f"{SERVING}/min_gpus"],
        x[f"{SERVING}/failover_gpus"],
        *_layout(x),
        x[f"{COMMITTED}/gpus"],
    )


def committed_fleet(x: Mapping[str, Num], s: Setting) -> Num:
    """The committed fleet over the horizon, discounted: reserved at its monthly price, or owned (straight-line
    depreciation while it lasts, power at the PUE and licences every month)."""
    if f"{COMMITTED}/gpus" not in x:
        return 0.0
    months = geometric_sum(s.log_discount, s.horizon)
    gpus = x[f"{COMMITTED}/gpus"]
    if f"{COMMITTED}/monthly_usd_per_gpu" in x:
        return lift(lambda n, price: whole(n) * price * months, gpus, x[f"{COMMITTED}/monthly_usd_per_gpu"])

    def owned(n: float, purchase: float, over: float, watts: float, pue: float, kwh: float, licence: float) -> float:
        written_off = purchase / whole(over) * geometric_sum(s.log_discount, min(whole(over), s.horizon))
        running = (watts / 1000 * HOURS_PER_MONTH * pue * kwh + licence) * months
        return whole(n) * (written_off + running)

    return lift(
        owned,
        gpus,
        *(
            get(x, f"{COMMITTED}/{key}")
            for key in (
                "purchase_usd_per_gpu",
                "depreciation_months",
                "watts_per_gpu",
                "pue",
                "usd_per_kwh",
                "monthly_licence_usd_per_gpu",
            )
        ),
    )


def capacity_slack(x: Mapping[str, Num], s: Setting) -> Num:
    """Replicas a region has to spare at the busiest month's peak: >= 0 exactly where the peak fleet fits the
    committed one in every month. Infinite without a limit (no committed fleet, or burst beyond it).

    The peak fleet fits when max(min, ceil(y)) + failover <= floor(committed / (regions × gpus_per_replica)), with
    y the busiest month's load per region: (that floor − failover) − max(min, y) >= 0, since min and the floor
    are whole.
    """
    if f"{COMMITTED}/gpus" not in x or f"{SERVING}/gpu_hourly_usd" in x:
        return math.inf

    def slack(y: float, growth: float, least: float, spare: float, r: float, g: float, fleet: float) -> float:
        busiest = max(powers(log_factor(growth), s.horizon))
        per_region = whole(fleet) // (whole(r) * whole(g))
        return float(per_region - whole(spare) - max(whole(least), y * busiest))

    return lift(
        slack,
        _load(x, at_peak=True),
        x["/workload/monthly_growth_pct"],
        x[f"{SERVING}/min_gpus"],
        x[f"{SERVING}/failover_gpus"],
        *_layout(x),
        x[f"{COMMITTED}/gpus"],
    )
