"""Pure: how many GPUs a month's requests need, counted exactly.

The count is a ceiling, so a rounded intermediate could tip a volume that sits exactly on a boundary
into one GPU more or fewer depending on how the throughput was written. Every step here is a Fraction
(Decimal and int convert to it without loss), so each form of `serving` gives the same count for the
same GPU-seconds, in any order of operations.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from .models import Serving, Workload

SECONDS_PER_MONTH = Fraction(730 * 3600)  # the contract's 730-hour month


def exact_volume(workload: Workload, month: int) -> Fraction:
    """Requests in month `month` (1-based), compounding the monthly growth, without rounding."""
    growth = 1 + Fraction(workload.monthly_growth_pct) / 100
    return Fraction(workload.requests_per_month) * growth ** (month - 1)


def gpu_seconds_per_request(serving: Serving) -> Fraction:
    """GPU time one request takes: decode, decode plus prefill, or the inverse of a measured rate."""
    if serving.requests_per_second_per_gpu is not None:
        return 1 / Fraction(serving.requests_per_second_per_gpu)
    assert serving.output_tokens_per_request is not None and serving.output_tokens_per_second_per_gpu is not None
    seconds = Fraction(serving.output_tokens_per_request) / Fraction(serving.output_tokens_per_second_per_gpu)
    if serving.input_tokens_per_request is not None:
        assert serving.input_tokens_per_second_per_gpu is not None
        seconds += Fraction(serving.input_tokens_per_request) / Fraction(serving.input_tokens_per_second_per_gpu)
    return seconds


def gpus(serving: Serving, requests: Decimal | Fraction | int) -> int:
    """GPUs for a month's requests: enough for the peak at the target utilisation, plus failover."""
    return _count(serving, Fraction(requests) * _gpus_per_request(serving))


def monthly_gpus(serving: Serving, workload: Workload, months: int) -> tuple[int, ...]:
    """`gpus` for each month's requests, 1..months: the same exact counts, each month's volume the last one's
    times the growth and the GPUs a request needs worked out once."""
    growth = 1 + Fraction(workload.monthly_growth_pct) / 100
    per_request = _gpus_per_request(serving)
    requests = Fraction(workload.requests_per_month)
    counts = []
    for _ in range(months):
        counts.append(_count(serving, requests * per_request))
        requests *= growth
    return tuple(counts)


def _gpus_per_request(serving: Serving) -> Fraction:
    """GPUs a month's single request keeps busy at the peak and the target utilisation."""
    return (
        gpu_seconds_per_request(serving)
        / SECONDS_PER_MONTH
        * Fraction(serving.peak_to_average)
        / (Fraction(serving.target_utilization_pct) / 100)
    )


def _count(serving: Serving, busy: Fraction) -> int:
    return max(serving.min_gpus, math.ceil(busy)) + serving.failover_gpus
