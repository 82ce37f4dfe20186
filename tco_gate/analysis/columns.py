"""Pure: the float model's building blocks: numbers that may be columns of draws, the policy's numbers, closed-form
sums over months, and reading an input by its pointer.

Every input may be a float or a column (a list of floats, one per draw): `lift` applies a formula element-wise
where any argument is a column, so what no range touches is computed once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import add, mul

from ..models import Policy

Num = float | list[float]
# A GPU count computed in floats lands a few ulps above a whole number when the exact value is that
# number (2,628,000 requests at one GPU-second each is one GPU); shaving 1e-12 off keeps the ceiling
# where the exact ledger's is.
JUST_UNDER = 1 - 1e-12


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


@lru_cache(maxsize=1024)  # the sensitivity moves growth through tens of values a proposal
def powers(log_ratio: float, months: int) -> tuple[float, ...]:
    """e^(log_ratio × (m − 1)) for m = 1..months: each month's growth, decline or discount factor."""
    return tuple(map(math.exp, map(mul, range(months), repeat(log_ratio))))


def get(x: Mapping[str, Num], pointer: str, default: Num = 0.0) -> Num:
    """The input at `pointer`, or `default` when the proposal has none."""
    value = x.get(pointer)
    return default if value is None else value
