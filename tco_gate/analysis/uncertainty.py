"""Pure: a seeded Monte Carlo over the inputs written as ranges, with PERT draws.

PERT turns (low a, likely m, high b) into a + (b − a)·X with X ~ Beta(α, β),
α = 1 + 4(m − a)/(b − a) and β = 1 + 4(b − m)/(b − a): a smooth bump peaking at `likely` whose mean
is (a + 4m + b)/6. X is drawn by inverting its distribution function, tabulated once per shape on
2,048 cells of [0, 1] (Simpson's rule on each cell, then linear within a cell), from uniforms of
Python's Mersenne Twister (`random.Random(seed).random()`, whose sequence Python guarantees across
versions and platforms). The library's own beta sampler is not used: its algorithm may change.

Draws are taken input by input, in pointer order, `draws` uniforms each, so the same inputs and seed
give the same draws on every machine. Percentiles are nearest-rank: P10 is the ⌈0.10·N⌉-th smallest.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat, starmap
from operator import add, mul

from .fastmodel import Num, Setting, capacity_slack, passes, totals
from .ranges import Range
from .sampling import DEFAULT_DRAWS, DEFAULT_SEED

_CELLS = 2048


@dataclass(frozen=True)
class Percentiles:
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class Uncertainty:
    """What the draws say: the spread of both totals and how often fine-tuning clears the margin."""

    draws: int
    seed: int
    finetune: Percentiles
    prompting: Percentiles
    passed: int  # draws in which fine-tuning saves at least the margin

    @property
    def probability_pass(self) -> float:
        """The share of draws in which fine-tuning saves at least the margin."""
        return self.passed / self.draws


def pert_shape(low: float, likely: float, high: float) -> tuple[float, float]:
    """(α, β) of the Beta distribution behind PERT(low, likely, high); low < high."""
    width = high - low
    return 1 + 4 * (likely - low) / width, 1 + 4 * (high - likely) / width


@lru_cache(maxsize=128)
def _quantile_table(alpha: float, beta: float) -> tuple[float, ...]:
    """The Beta(α, β) distribution function at the 2,049 cell edges of [0, 1], from 0 to exactly 1."""

    def density(x: float) -> float:
        return float(x ** (alpha - 1) * (1 - x) ** (beta - 1))

    edges = [0.0]
    step = 1 / _CELLS
    total = 0.0
    for cell in range(_CELLS):
        left = cell * step
        total += (density(left) + 4 * density(left + step / 2) + density(left + step)) * step / 6
        edges.append(total)
    return tuple(edge / total for edge in edges)


def pert_draws(estimate: Range, uniforms: Sequence[float]) -> list[float]:
    """PERT draws for one range, one per uniform in [0, 1)."""
    low, likely, high = float(estimate.low), float(estimate.likely), float(estimate.high)
    if high == low:
        return [likely] * len(uniforms)
    intercepts, slopes = _inverse(low, high, *pert_shape(low, likely, high))
    cells = list(map(bisect_right, repeat(_quantile_table(*pert_shape(low, likely, high))), uniforms))
    return list(map(add, map(intercepts.__getitem__, cells), map(mul, map(slopes.__getitem__, cells), uniforms)))


@lru_cache(maxsize=128)
def _inverse(low: float, high: float, alpha: float, beta: float) -> tuple[list[float], list[float]]:
    """The inverse distribution function as a line per cell, x = intercept + slope·u, indexed by
    bisect_right(table, u) (so entry 0 is never used): a draw is then two lookups and a multiply-add."""
    table, scale = _quantile_table(alpha, beta), (high - low) / _CELLS
    intercepts, slopes = [low], [0.0]
    for cell in range(_CELLS):
        below, above = table[cell], table[cell + 1]
        slope = scale / (above - below) if above > below else 0.0
        intercepts.append(low + scale * cell - slope * below)
        slopes.append(slope)
    return intercepts, slopes


def percentiles(values: Sequence[float]) -> Percentiles:
    """Nearest-rank P10, P50 and P90."""
    ordered = sorted(values)

    def rank(pct: int) -> float:
        return ordered[max(0, math.ceil(pct * len(ordered) / 100) - 1)]

    return Percentiles(rank(10), rank(50), rank(90))


def monte_carlo(
    inputs: Mapping[str, float],
    ranges: Mapping[str, Range],
    setting: Setting,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> Uncertainty:
    """Both totals over `draws` joint draws of the ranged inputs (independent), the rest at their values.

    `inputs` are the point estimate's (every range at `likely`); ranges on numbers that no total reads
    (an accuracy, a latency) are drawn all the same, so adding one never shifts the others' draws.
    """
    rng = random.Random(seed)
    columns: dict[str, Num] = dict(inputs)
    for pointer in sorted(ranges):
        uniforms = list(starmap(rng.random, repeat((), draws)))
        if pointer in inputs:
            columns[pointer] = pert_draws(ranges[pointer], uniforms)
    finetune, prompting = totals(columns, setting)
    f_column = finetune if isinstance(finetune, list) else [finetune] * draws
    p_column = prompting if isinstance(prompting, list) else [prompting] * draws
    slack = capacity_slack(columns, setting)  # a draw whose peak the committed fleet cannot hold fails
    s_column = slack if isinstance(slack, list) else [slack] * draws
    passed = sum(passes(f, p, setting.min_savings_pct, c) for f, p, c in zip(f_column, p_column, s_column, strict=True))
    return Uncertainty(draws, seed, percentiles(f_column), percentiles(p_column), passed)
