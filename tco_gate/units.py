"""How exact amounts are shown: rounded half-up to cents and to two decimals, only at the edge."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


def round_cents(amount: Decimal) -> Decimal:
    """Money as shown and as written to JSON: half-up to the cent."""
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


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
