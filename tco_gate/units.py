"""Money's units: the cent, the largest amount anything may be, and how exact amounts are shown
(rounded half-up to cents and to two decimals, only at the edge)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
# A trillion: dollars, hours, tokens or requests a month in a proposal, and either option's total over the
# horizon. Past it an input is a typo, every sum stays far inside Decimal's range, and a report's figures
# still fit a JSON number to the cent.
MAX_AMOUNT = 10**12
# The contract's month, for GPU-hours and the throughput a month holds: 730 hours (8,760 / 12).
HOURS_PER_MONTH = 730
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600


def round_cents(amount: Decimal) -> Decimal:
    """Money as shown and as written to JSON: half-up to the cent."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


round_pct = round_cents  # percentages are shown to two decimals, rounded the same way


def usd(amount: Decimal) -> str:
    """`$1,234.56`, or `−$1,234.56` for a negative amount."""
    rounded = round_cents(amount)
    sign = "−" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.2f}"


def pct(value: Decimal) -> str:
    """`12.34%`, with the minus sign a reader expects."""
    rounded = round_pct(value)
    text = f"{abs(rounded):,.2f}".rstrip("0").rstrip(".")
    return f"{'−' if rounded < 0 else ''}{text}%"


def written(value: Decimal | int) -> str:
    """A number from a file as its author wrote it, for a message that quotes it: `1e13` and `2.5e-7`, not
    Decimal's `1E+13` and `2.5E-7` (the loader keeps every digit and the exponent, not the letter's case)."""
    return str(value).replace("E+", "e").replace("E", "e")
