"""Figures and words as the review documents show them, from the report model's rounded floats."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from ..catalog import PROPOSAL
from ..result import Outcome
from ..units import pct, usd
from .model import PolicyOut, PricesOut, ServingOut


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


def per_request(number: float) -> str:
    """A per-request cost to four significant digits, never in exponent form: `$0.0001218`."""
    amount = exact(number)
    if not amount:
        return "$0"
    digits = amount.quantize(Decimal(1).scaleb(amount.adjusted() - 3), rounding=ROUND_HALF_UP)
    return f"{'−' if digits < 0 else ''}${abs(digits):f}"


_FORMS = {
    "decode": "sized from decode throughput",
    "prefill": "sized from prefill and decode throughput",
    "measured": "sized from a measured request rate",
}


def gpus(serving: ServingOut, months: int) -> str:
    """`3 in month 1, peak 5, 5 in month 24 (incl. failover; sized from ...)`."""
    return (
        f"{serving.gpus_first} in month 1, peak {serving.gpus_peak}, {serving.gpus_last} in month {months} "
        f"(incl. failover; {_FORMS.get(serving.kind, serving.kind)})"
    )


def prices_line(prices: PricesOut) -> str:
    """USD per million tokens and where each came from, the common source said once."""
    named = (("input", prices.input), ("cached input", prices.cached_input), ("output", prices.output))
    sources = {price.source for _, price in named}
    if len(sources) == 1:
        listed = ", ".join(f"{name} {per_mtok(price.usd_per_mtok)}" for name, price in named)
        return f"{listed} per Mtok, from {price_source(sources.pop())}"
    return "; ".join(f"{name} {per_mtok(p.usd_per_mtok)} ({price_source(p.source)})" for name, p in named) + " per Mtok"


def per_mtok(number: float) -> str:
    # Cents where that is exact ($0.40), every digit where it is not ($0.075).
    price = exact(number)
    return f"${price:,.2f}" if price == price.quantize(Decimal("0.01")) else f"${price}"


def price_source(source: str) -> str:
    return "the proposal" if source == PROPOSAL else source
