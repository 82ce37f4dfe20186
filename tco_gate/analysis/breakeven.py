"""Pure: the monthly request volumes at which fine-tuning beats prompting by the margin, to the request.

With everything but the volume R fixed, prompting's total is affine in R (usage grows with it, the rest
does not), and so is fine-tuning's apart from sized serving, whose GPU count in month m is
max(min_gpus, ceil(a_m·R)) + failover: a step up at each R where a_m·R crosses an integer. So the
margin test reads G(R) = (1 − margin/100)·P(R) − F(R) = A + B·R − S(R) ≥ 0, with S a non-decreasing
step function. A and B are read off the proposal's own exact ledger: prompting's usage lines (API
usage, its batch discount, the price decline on it) are proportional to R and no other line of either
option moves with it but fine-tuning's serving; only a provider-hosted fine-tune, whose serving line
mixes per-token costs with a flat fee, takes a second exact ledger at twice the volume to split them.
S is counted exactly in fractions. Then:

- no sized serving: G is affine, one exact division;
- B ≤ 0: G only falls as R grows, so the qualifying volumes are a prefix, found by bisection;
- B > 0: between two GPU steps G rises, at each step it drops. S lies between two concave envelopes
  (each ceiling replaced by x and by x + 1: lines joined at one kink a month, swept in order), whose
  roots bound where the answer can change; only the steps inside those bounds are walked, piece by
  piece, each piece solved as a line.

The volumes searched are whole requests from 1 to the largest a proposal may write (10^12), and only
where the gate can judge at all: prompting costs at least a cent, and neither total passes $10^12.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..catalog import Prices
from ..ledger import Ledger, OptionCost, build_ledger
from ..line_items import LineItemId
from ..models import Policy, Proposal
from .serving_steps import Steps, capacity_limit, serving_steps, with_volume

MAX_REQUESTS = 10**12  # the largest `requests_per_month` a proposal may write
MAX_TOTAL = Fraction(10**12)  # past this the gate calls a proposal invalid
CENT = Fraction(1, 100)
WALK_LIMIT = 2000  # GPU steps walked between the envelopes; past it the bands found so far are reported


@dataclass(frozen=True)
class Band:
    """Whole monthly volumes from `low` to `high` (None: every volume above `low` the search reached)."""

    low: int
    high: int | None


@dataclass(frozen=True)
class BreakEvenVolume:
    """Where fine-tuning beats prompting by the margin, as a function of the monthly volume."""

    requests_per_month: Decimal  # the proposal's own
    bands: tuple[Band, ...]  # the qualifying volumes, in order; empty when none qualifies
    complete: bool  # False when the GPU steps were too many to walk: `bands` then lists those found
    searched_to: int  # the largest volume the search could reach (the gate's $10^12 cap may lower it)
    capacity: int | None = None  # the most volume the committed fleet serves through the horizon, without burst

    @property
    def volume(self) -> int | None:
        """The break-even: the lowest volume of the qualifying band nearest the proposal's own."""
        if not self.bands:
            return None
        own = self.requests_per_month

        def distance(band: Band) -> Decimal:
            if own < band.low:
                return band.low - own
            return Decimal(0) if band.high is None or own <= band.high else own - band.high

        return min(self.bands, key=distance).low


# Prompting's lines that scale with the monthly volume (usage, its batch discount, the price decline on it,
# its wrong answers); fine-tuning's wrong answers scale with it too. No other line of either option moves with
# the volume, except fine-tuning's serving.
VOLUME_LINES = frozenset(
    {LineItemId.API_USAGE, LineItemId.BATCH_DISCOUNT, LineItemId.PRICE_DECLINE, LineItemId.WRONG_ANSWERS}
)
FINETUNE_VOLUME_LINES = frozenset({LineItemId.WRONG_ANSWERS})


def break_even_volume(
    proposal: Proposal, policy: Policy, prices: Prices, ledger: Ledger, hosted: Prices | None = None
) -> BreakEvenVolume:
    """Every whole monthly volume at which fine-tuning beats prompting by the policy's margin.

    `ledger` is the proposal's own (at its volume). Its lines give both totals as functions of the
    volume; only a provider-hosted fine-tune, whose serving line mixes per-token costs with a flat fee,
    takes one more exact ledger at twice the volume to tell them apart.
    """
    own = proposal.workload.requests_per_month
    found = serving_steps(proposal, policy)
    steps = found[0] if found else None
    keep = 1 - Fraction(policy.min_savings_pct) / 100
    r0 = Fraction(own)

    def line_sum(option: OptionCost, wanted: Callable[[str], bool]) -> Fraction:
        return sum((Fraction(item.total) for item in option.line_items if wanted(item.id)), Fraction(0))

    p_slope = line_sum(ledger.prompting, VOLUME_LINES.__contains__) / r0
    p_base = Fraction(ledger.prompting.total) - p_slope * r0
    f_slope = line_sum(ledger.finetune, FINETUNE_VOLUME_LINES.__contains__) / r0
    serving = line_sum(ledger.finetune, LineItemId.SERVING.__eq__)
    if proposal.finetune.hosted is not None:
        other = build_ledger(with_volume(proposal, own * 2), policy, prices, hosted)
        f_slope += (line_sum(other.finetune, LineItemId.SERVING.__eq__) - serving) / r0
        f_base = Fraction(ledger.finetune.total) - f_slope * r0
    elif found is None:  # flat serving, or a committed fleet with nothing rented beyond it: fixed amounts
        f_base = Fraction(ledger.finetune.total) - f_slope * r0
    else:  # on-demand GPUs: the steps S(R), counted apart, less what the committed fleet covers
        f_base = Fraction(ledger.finetune.total) - serving - f_slope * r0 - found[1]

    def step_cost(requests: int) -> Fraction:
        return steps.cost(requests) if steps else Fraction(0)

    low, high = _domain(p_base, p_slope, lambda r: f_base + f_slope * r + step_cost(r))
    capacity = capacity_limit(proposal, policy.horizon_months)
    if capacity is not None:  # no volume the committed fleet cannot serve qualifies: over capacity fails
        high = min(high, capacity)
    a, b = keep * p_base - f_base, keep * p_slope - f_slope
    if low > high:
        return BreakEvenVolume(own, (), True, high, capacity)
    bands, complete = _solve(a, b, steps, low, high)
    qualifying = tuple(Band(lo, None if hi == high and hi != capacity else hi) for lo, hi in bands)
    return BreakEvenVolume(own, qualifying, complete, high, capacity)


def _domain(p_base: Fraction, p_slope: Fraction, finetune: Callable[[int], Fraction]) -> tuple[int, int]:
    """Whole volumes the gate can judge: prompting at least a cent, both totals at most $10^12."""
    low, high = 1, MAX_REQUESTS
    if p_slope > 0:
        low = max(low, math.ceil((CENT - p_base) / p_slope))
        high = min(high, math.floor((MAX_TOTAL - p_base) / p_slope))
    elif p_base < CENT or p_base > MAX_TOTAL:
        return 1, 0
    if finetune(low) > MAX_TOTAL:
        return 1, 0
    if finetune(high) > MAX_TOTAL:  # fine-tuning never falls as volume grows: bisect its cap
        lo, hi = low, high  # finetune(lo) <= cap < finetune(hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if finetune(mid) <= MAX_TOTAL else (lo, mid)
        high = lo
    return low, high


def _solve(a: Fraction, b: Fraction, steps: Steps | None, low: int, high: int) -> tuple[list[tuple[int, int]], bool]:
    """Bands of whole R in [low, high] with a + b·R − S(R) >= 0, and whether the walk was complete."""
    if steps is None:
        if b == 0:
            return ([(low, high)] if a >= 0 else []), True
        root = -a / b
        lo, hi = (max(low, math.ceil(root)), high) if b > 0 else (low, min(high, math.floor(root)))
        return ([(lo, hi)] if lo <= hi else []), True

    def margin(requests: int) -> Fraction:
        return a + b * requests - steps.cost(requests)

    if b <= 0:  # the margin only falls as volume grows
        if margin(low) < 0:
            return [], True
        lo, hi = low, high + 1  # margin(lo) >= 0; margin(hi) < 0 or hi is past the end
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if margin(mid) >= 0 else (lo, mid)
        return [(low, lo)], True

    maybe = _superlevel(a, b, steps, low, high, above=False)  # outside it, no volume qualifies
    if maybe is None:
        return [], True
    sure = _superlevel(a, b, steps, maybe[0], maybe[1], above=True)  # inside it, every volume does
    bands: list[tuple[int, int]] = []
    budget = [WALK_LIMIT]
    if sure is None:
        complete = _walk(a, b, steps, maybe[0], maybe[1], bands, budget)
    else:
        complete = _walk(a, b, steps, maybe[0], sure[0] - 1, bands, budget)
        _add(bands, sure[0], sure[1])
        complete = _walk(a, b, steps, sure[1] + 1, maybe[1], bands, budget) and complete
    return bands, complete


def _superlevel(a: Fraction, b: Fraction, steps: Steps, low: int, high: int, above: bool) -> tuple[int, int] | None:
    """Whole R in [low, high] where a + b·R minus an envelope of S is >= 0: an interval, since it is concave.

    Affine between the kinks, rising while the slope left after each kink is positive: the peak and the
    two ends of the interval are found by bisection over the kinks, each end solved exactly on its line.
    """
    kinks, lines = steps.envelope(above)
    # The points in order, each with the line in force up to it (the one after the last kink before it).
    points, in_force = [Fraction(low)], [sum(1 for k in kinks if k < low)]
    for index, kink in enumerate(kinks):
        if low < kink < high and kink != points[-1]:
            points.append(kink)
            in_force.append(index)
    points.append(Fraction(high))
    in_force.append(sum(1 for k in kinks if k < high))

    def value(i: int) -> Fraction:
        intercept, slope = lines[in_force[i]]
        return a - intercept + (b - slope) * points[i]

    def first(lo: int, hi: int, holds: Callable[[int], bool]) -> int:
        """The first i in [lo, hi) where `holds` (false, then true), or hi."""
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if holds(mid) else (mid + 1, hi)
        return lo

    last = len(points) - 1
    peak = first(0, last, lambda i: b <= lines[in_force[i + 1]][1])  # the stretch after it no longer rises
    if value(peak) < 0:
        return None
    up = first(0, peak, lambda i: value(i) >= 0)  # rising up to the peak
    down = first(peak, last, lambda i: value(i + 1) < 0)  # falling after it: the last point still >= 0
    start, end = points[up], points[down]
    if up > 0:  # the root on the line between the last point below and the first above
        v_left, v_right = value(up - 1), value(up)
        start = points[up - 1] + (points[up] - points[up - 1]) * v_left / (v_left - v_right)
    if down < last:
        v_left, v_right = value(down), value(down + 1)
        end = points[down] + (points[down + 1] - points[down]) * v_left / (v_left - v_right)
    lowest, highest = math.ceil(start), math.floor(end)
    return (lowest, highest) if lowest <= highest else None


def _walk(
    a: Fraction, b: Fraction, steps: Steps, low: int, high: int, bands: list[tuple[int, int]], budget: list[int]
) -> bool:
    """Add the qualifying volumes of [low, high] to `bands`, one GPU step at a time; False if out of budget."""
    requests = low
    while requests <= high:
        if budget[0] <= 0:
            return False
        budget[0] -= 1
        end = steps.piece_end(requests)
        end = high if end is None else min(high, end)
        # Within the piece S is constant and the margin rises with R: it qualifies from its root on.
        first = max(requests, math.ceil((steps.cost(requests) - a) / b))
        if first <= end:
            _add(bands, first, end)
        requests = end + 1
    return True


def _add(bands: list[tuple[int, int]], low: int, high: int) -> None:
    if bands and bands[-1][1] + 1 >= low:
        bands[-1] = (bands[-1][0], max(bands[-1][1], high))
    else:
        bands.append((low, high))
