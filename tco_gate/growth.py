"""The one home of the compounding rule: V(m) = requests_per_month × (1 + monthly_growth_pct/100)^(m−1).

Exact for the ledger and the GPU counts (Fraction, and Decimal at the ledger's precision), and in floats for
the decision analysis's closed forms; every caller computes the volume of a month through here.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


def monthly_factor(growth_pct: Decimal | int) -> Fraction:
    """One month's growth as an exact ratio: 1 + growth/100."""
    return 1 + Fraction(growth_pct) / 100


def decimal_factor(growth_pct: Decimal) -> Decimal:
    """One month's growth as a Decimal ratio, at the caller's Decimal precision."""
    return Decimal(1) + growth_pct / 100


def log_factor(growth_pct: float) -> float:
    """ln of one month's growth, for the float model's geometric sums and powers."""
    return math.log1p(growth_pct / 100)
