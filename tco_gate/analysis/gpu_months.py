"""Pure: sized serving's discounted GPU-months in floats, for a column of loads, by the steps of its counts.

Month m's GPU count at a load y (month 1's need before its ceiling) is max(L, ceil(y·c_m)) + spare,
with c_m the growth to month m. It steps up where y·c_m passes a whole k >= L, so the GPU-months are
a constant plus the discount factor d_m of every step k/c_m below y: sorted once with running sums,
a load's total is the running sum at its rank.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add, mul

# Up to this many values, each value's months are summed on their own (a few microseconds each); a
# longer column (Monte Carlo draws) goes month by month over the whole column, or by its steps.
_SHORT_COLUMN = 6
_TABLE_LIMIT = 4096  # steps a kept table may hold


def gpu_months_column(
    scaled: list[float], grown: tuple[float, ...], discount: tuple[float, ...], at_least: int, spare: int
) -> list[float]:
    """Discounted GPU-months for a column of draws, by thresholds: one bisection a draw.

    max(L, ceil(y)) = L + Σ_{k ≥ L} [y > k], so with y = v·c_m the GPU-months are a constant plus the
    discount factors d_m of every threshold k/c_m below v. Sorted once with running sums, a draw's
    total is the running sum at its rank; the table is kept for the next column with the same months
    (the sensitivity's rounds). Past a few thresholds a draw, months are summed directly.
    """
    base = (at_least + spare) * sum(discount)
    top = max(scaled)
    table = _step_table(grown, discount, at_least, base, 2.0 ** math.ceil(math.log2(top)) if top > 0 else 0.0)
    if table is None and len(scaled) <= _SHORT_COLUMN:
        # A few values far up (the scan's millionfold steps): each one's months summed on its own.
        spare_months = spare * sum(discount)
        return [
            float(sum(map(mul, map(max, repeat(at_least), map(math.ceil, map(mul, grown, repeat(v)))), discount)))
            + spare_months
            for v in scaled
        ]
    if table is None and sum(max(0, math.ceil(top * c) - at_least) for c in grown) > 4 * len(scaled):
        total = [spare * sum(discount)] * len(scaled)
        for growth, factor in zip(grown, discount, strict=True):
            counts = map(max, repeat(at_least), map(math.ceil, map(mul, scaled, repeat(growth))))
            total = list(map(add, total, map(mul, counts, repeat(factor))))
        return total
    thresholds, running = table or _thresholds(grown, discount, at_least, base, top)
    return list(map(running.__getitem__, map(bisect_left, repeat(thresholds), scaled)))


def _thresholds(
    grown: tuple[float, ...], discount: tuple[float, ...], at_least: int, base: float, ceiling: float
) -> tuple[list[float], list[float]]:
    """Every threshold k/c_m below `ceiling`, in order, and the GPU-months just above each (from `base`)."""
    steps = sorted(
        (k / c, factor)
        for c, factor in zip(grown, discount, strict=True)
        if c > 0
        for k in range(at_least, math.ceil(ceiling * c))
    )
    return [t for t, _ in steps], list(accumulate((factor for _, factor in steps), initial=base))


@lru_cache(maxsize=32)  # a proposal reuses one or two; each holds at most _TABLE_LIMIT steps
def _step_table(
    grown: tuple[float, ...], discount: tuple[float, ...], at_least: int, base: float, ceiling: float
) -> tuple[list[float], list[float]] | None:
    """`_thresholds` up to a power of two, kept; None when they would be more than a table should hold."""
    if sum(max(0, math.ceil(ceiling * c) - at_least) for c in grown) > _TABLE_LIMIT:
        return None
    return _thresholds(grown, discount, at_least, base, ceiling)


def steps_between(grown: tuple[float, ...], at_least: int, low: float, high: float, most: int) -> list[float] | None:
    """The loads strictly between `low` and `high` at which some month's count steps, in order; None past `most`."""
    found: list[float] = []
    for c in set(grown):  # without growth every month steps at the same loads
        first, end = max(at_least, math.floor(low * c) + 1), math.ceil(high * c)
        if len(found) + max(0, end - first) > most:
            return None
        found += [k / c for k in range(first, end)]
    return sorted(set(found))
