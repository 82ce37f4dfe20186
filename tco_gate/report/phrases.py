"""Figures and words as the review documents show them, from the report model's rounded floats."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..result import Outcome
from ..units import pct, usd
from .model import PolicyOut


def exact(number: float) -> Decimal:
    # The report's numbers are already rounded; the shortest text that reads back as the float is that figure.
    return Decimal(repr(number))


def money(amount: float) -> str:
    """`$1,234.56` from a report figure (already rounded to the cent)."""
    return usd(exact(amount))


def percent(value: float) -> str:
    """`12.34%` from a report figure (already rounded to two decimals)."""
    return pct(exact(value))


def verdict_label(verdict: Outcome, enforced: bool) -> str:
    """`PASS`, `FAIL`, or `FAIL (warn only)` for a failure the policy does not enforce."""
    return verdict.value.upper() + (" (warn only)" if verdict is Outcome.FAIL and not enforced else "")


def cumulative(monthly: Sequence[float]) -> list[float]:
    """Running totals of a report's monthly figures, to the cent: the points of a cumulative-cost chart."""
    total, out = 0.0, []
    for amount in monthly:
        total += amount
        out.append(round(total, 2))
    return out


def flags_set(policy: PolicyOut | None) -> str | None:
    """`--min-savings-pct 0, --horizon-months 12`: the values a command line set over the policy files, so
    a CI job's override never reads as the reviewers' policy; None when no flag set anything."""
    if policy is None:
        return None
    named = sorted(name for name, source in policy.sources.items() if source == "flag")
    if not named:
        return None
    return ", ".join(f"--{name.replace('_', '-')} {exact(getattr(policy, name)).normalize():f}" for name in named)
