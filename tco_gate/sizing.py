"""Pure: how many GPUs a month's requests need, counted exactly, and what the committed fleet can hold.

The count is a ceiling, so a rounded intermediate could tip a volume that sits exactly on a boundary
into one GPU more or fewer depending on how the throughput was written. Every step here is a Fraction
(Decimal and int convert to it without loss), so each form of `serving` gives the same count for the
same GPU-seconds, in any order of operations.

A fleet is `regions` independent fleets, each serving 1/regions of the volume in replicas of
`gpus_per_replica` GPUs with its own minimum and failover: replicas(m) = max(min_gpus, ceil(V(m)/regions ×
load)) + failover_gpus, GPUs = regions × replicas × gpus_per_replica. The peak fleet (with peak_to_average)
sets capacity; with autoscaling the billed fleet tracks the average load (peak_to_average = 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .growth import monthly_factor
from .models import Serving, Workload
from .units import MAX_AMOUNT, SECONDS_PER_MONTH


def exact_volume(workload: Workload, month: int) -> Fraction:
    """Requests in month `month` (1-based), compounding the monthly growth, without rounding."""
    return Fraction(workload.requests_per_month) * monthly_factor(workload.monthly_growth_pct) ** (month - 1)


def gpu_seconds_per_request(serving: Serving) -> Fraction:
    """Replica time one request takes: decode, decode plus prefill, or the inverse of a measured rate."""
    if serving.requests_per_second_per_gpu is not None:
        return 1 / Fraction(serving.requests_per_second_per_gpu)
    assert serving.output_tokens_per_request is not None and serving.output_tokens_per_second_per_gpu is not None
    seconds = Fraction(serving.output_tokens_per_request) / Fraction(serving.output_tokens_per_second_per_gpu)
    if serving.input_tokens_per_request is not None:
        assert serving.input_tokens_per_second_per_gpu is not None
        seconds += Fraction(serving.input_tokens_per_request) / Fraction(serving.input_tokens_per_second_per_gpu)
    return seconds


def replica_load(serving: Serving, *, at_peak: bool = True) -> Fraction:
    """Replicas one request a month keeps busy at the target utilization, in one region serving it all: at the
    peak, or (at_peak=False) as billed, which is the average load when the fleet autoscales."""
    peak = Fraction(serving.peak_to_average) if at_peak or not serving.autoscaling else Fraction(1)
    return (
        gpu_seconds_per_request(serving) / SECONDS_PER_MONTH * peak / (Fraction(serving.target_utilization_pct) / 100)
    )


def replicas(serving: Serving, requests: Fraction, load: Fraction) -> int:
    """One region's replicas for a month of `requests` in all: enough for its share, at least the minimum,
    plus failover."""
    return max(serving.min_gpus, math.ceil(requests / serving.regions * load)) + serving.failover_gpus


def gpus(serving: Serving, requests: Decimal | Fraction | int) -> int:
    """GPUs of the whole fleet for a month's requests at the peak: every region's replicas, each of its GPUs."""
    count = replicas(serving, Fraction(requests), replica_load(serving))
    return count * serving.regions * serving.gpus_per_replica


def monthly_gpus(serving: Serving, workload: Workload, months: int) -> tuple[int, ...]:
    """The billed fleet's GPUs for each month 1..months (the peak fleet, unless it autoscales)."""
    return size_fleet(serving, workload, months).billed


@dataclass(frozen=True)
class Fleet:
    """Sized serving month by month: the fleet at the peak, the fleet billed, and how the billed GPUs are bought."""

    peak_replicas: tuple[int, ...]  # one region's replicas at the peak, min and failover included
    peak: tuple[int, ...]  # GPUs of the whole fleet at the peak: what capacity is judged on
    billed: tuple[int, ...]  # GPUs billed: the peak fleet, or the average-load fleet when it autoscales
    committed: int  # GPUs paid every month whether used or not (0 without a committed fleet)
    on_demand: tuple[int, ...]  # GPUs rented by the hour: the billed fleet beyond the committed one
    capacity: int | None  # without burst: the most requests a month the committed fleet serves at the peak
    over_capacity_month: int | None  # without burst: the first month the peak fleet outgrows the committed one

    @property
    def burst(self) -> tuple[int, ...]:
        """On-demand GPUs beyond a committed fleet each month (all zero without one)."""
        return self.on_demand if self.committed else (0,) * len(self.on_demand)


def size_fleet(serving: Serving, workload: Workload, months: int) -> Fleet:
    """Every month's fleet, 1..months: each month's volume the last one's times the growth, exact throughout."""
    step = monthly_factor(workload.monthly_growth_pct)
    peak_load, billed_load = replica_load(serving), replica_load(serving, at_peak=False)
    per_replica = serving.regions * serving.gpus_per_replica
    requests = Fraction(workload.requests_per_month)
    peak_replicas, billed = [], []
    for _ in range(months):
        peak_replicas.append(replicas(serving, requests, peak_load))
        billed.append(replicas(serving, requests, billed_load) * per_replica)
        requests *= step
    peak = tuple(count * per_replica for count in peak_replicas)
    committed = serving.committed.gpus if serving.committed is not None else 0
    on_demand = tuple(max(0, count - committed) for count in billed) if serving.burst else (0,) * months
    capacity = over = None
    if serving.committed is not None and not serving.burst:
        capacity = servable_requests(serving, committed, peak_load)
        over = next((month for month, count in enumerate(peak, start=1) if count > committed), None)
    return Fleet(tuple(peak_replicas), peak, tuple(billed), committed, on_demand, capacity, over)


def servable_requests(serving: Serving, gpus: int, load: Fraction) -> int:
    """The most requests a month a fleet of `gpus` GPUs serves at `load` (0: it cannot hold even the minimum).

    Each region gets floor(gpus / (regions × gpus_per_replica)) replicas; less failover, they must cover the
    minimum and the region's share of the volume at the load: V / regions × load <= those replicas.
    """
    spare = gpus // (serving.regions * serving.gpus_per_replica) - serving.failover_gpus
    if spare < serving.min_gpus:
        return 0
    if load == 0:  # a request that takes no GPU time: any volume a proposal may write fits
        return MAX_AMOUNT
    return math.floor(spare * serving.regions / load)
