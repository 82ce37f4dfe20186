"""Figures and words as the review documents show them, from the report model's rounded floats."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from ..catalog import PROPOSAL
from ..result import Outcome
from ..units import pct, usd
from .model import PolicyOut, PricesOut, ResultOut, ServingOut


def exact(number: float) -> Decimal:
    # The report's numbers are already rounded; the shortest text that reads back as the float is that figure.
    return Decimal(repr(number))


def money(amount: float) -> str:
    """`$1,234.56` from a report figure (already rounded to the cent)."""
    return usd(exact(amount))


def percent(value: float) -> str:
    """`12.34%` from a report figure (already rounded to two decimals)."""
    return pct(exact(value))


WARN_ONLY = "warn only"
"""What a failure the policy does not enforce (`on_fail: warn`) is called, in every format."""


def verdict_label(verdict: Outcome, enforced: bool) -> str:
    """`PASS`, `FAIL`, or `FAIL (warn only)` for a failure the policy does not enforce."""
    return verdict.value.upper() + (f" ({WARN_ONLY})" if verdict is Outcome.FAIL and not enforced else "")


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
    """`3 in month 1, peak 5, 5 in month 24 (incl. failover; sized from ...)`; an autoscaled fleet's as billed."""
    billed, most = ("billed ", "at most") if serving.autoscaling else ("", "peak")
    return (
        f"{billed}{serving.gpus_first} in month 1, {most} {serving.gpus_peak}, {serving.gpus_last} in month {months} "
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


def fleet(serving: ServingOut) -> str | None:
    """How a sized fleet is laid out and bought, in words, for the GPU line: `2 regions × replicas of 2 GPUs;
    autoscaled: billed on the average load, the peak fleet 32–60 GPUs; 16 committed (reserved), burst up to 8 on
    demand from month 10`. None for a fleet of plain GPUs in one region, billed at the peak, all on demand."""
    parts = []
    regions, per_replica = serving.regions or 1, serving.gpus_per_replica or 1
    layout = [f"{regions} regions"] if regions > 1 else []
    layout += [f"replicas of {per_replica} GPUs"] if per_replica > 1 else []
    if layout:
        parts.append(" × ".join(layout))
    peak = serving.peak_gpus_monthly or []
    if serving.autoscaling and peak:
        parts.append(f"autoscaled: billed on the average load, the peak fleet {_span(peak)} GPUs")
    if serving.committed_gpus is not None:
        parts.append(_committed(serving))
    return "; ".join(parts) or None


def _span(counts: Sequence[int]) -> str:
    low, high = min(counts), max(counts)
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def _committed(serving: ServingOut) -> str:
    committed = f"{serving.committed_gpus:,} committed ({serving.committed_kind})"
    if serving.capacity_requests_per_month is not None:
        serves = f"serving at most {serving.capacity_requests_per_month:,} requests a month at the peak"
        over = serving.over_capacity_month
        return f"{committed}, no burst, {serves}" + (f": over capacity from month {over}" if over else "")
    burst = serving.burst_gpus_monthly or []
    first = next((month for month, count in enumerate(burst, start=1) if count), None)
    if first is None:
        return f"{committed}; no month needs GPUs beyond them"
    return f"{committed}; burst up to {max(burst):,} on demand from month {first}"


def hosted_trend(result: ResultOut) -> str:
    """What happens to a hosted fine-tune's per-token price: `; falling 30% a year`, or `; held flat while
    prompting's fall 25% a year`; empty when neither price moves or there is no hosted fine-tune."""
    hosted = result.serving.hosted_price_decline_pct_per_year if result.serving else None
    prompting = result.proposal.prompting_price_decline_pct_per_year if result.proposal else None
    if hosted:
        return f"; falling {percent(hosted)} a year"
    if hosted is not None and prompting:
        return f"; held flat while prompting's fall {percent(prompting)} a year"
    return ""
