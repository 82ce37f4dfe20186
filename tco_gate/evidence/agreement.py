"""Written figures against measured ones: the agreement rules, and the words of a disagreement.

Accuracies agree to 3 decimals (within 0.0005 of the evidence's exact k/n); volume, tokens per request and
throughput within 5% of the measured value (|written − measured| ≤ 5% × measured, so a measured 0 agrees only
with a written 0). A measured figure is exact (a fraction); it becomes a 28-digit Decimal only where the costing
needs one, and is rounded only where a report shows it.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

ACCURACY_TOLERANCE = Fraction(5, 10_000)
RELATIVE_TOLERANCE = Fraction(5, 100)


def as_decimal(value: Fraction) -> Decimal:
    """A measured figure as the costing holds numbers: Decimal, to 28 significant digits."""
    with localcontext() as context:
        context.prec = 28
        return Decimal(value.numerator) / Decimal(value.denominator)


def accuracy_agrees(written: Decimal, measured: Fraction) -> bool:
    """Whether a written accuracy agrees with the evidence's to 3 decimals."""
    return abs(Fraction(written) - measured) <= ACCURACY_TOLERANCE


def within_five_percent(written: Decimal, measured: Fraction | Decimal) -> bool:
    """Whether a written figure is within 5% of the measured one."""
    exact = Fraction(measured)
    return abs(Fraction(written) - exact) <= RELATIVE_TOLERANCE * abs(exact)


def shown(value: Fraction | Decimal, places: int = 3) -> str:
    """A measured figure as a message shows it: rounded, trailing zeros kept to `places` decimals."""
    return f"{as_decimal(Fraction(value)):,.{places}f}"


def accuracy_message(key: str, written: Decimal, measured: Fraction, correct: int, n: int, path: str) -> str:
    """Why a written accuracy is refused: the evidence's figure, its counts and file."""
    return (
        f"`{key}: {written}` disagrees with the eval evidence: {shown(measured)} ({correct} of {n} examples right "
        f"in {path}); write {shown(measured)} or leave the figure to the evidence"
    )


def relative_message(key: str, written: Decimal, measured: Fraction | Decimal, what: str, path: str) -> str:
    """Why a written figure is refused: more than 5% from the measured value."""
    off = (Fraction(written) - Fraction(measured)) / Fraction(measured) * 100 if measured else None
    by = f" ({float(off):+.1f}%)" if off is not None else ""
    return (
        f"`{key}: {written}` is more than 5% from the {what} measured in {path}: {shown(measured, 2)}{by}; "
        "write the measured value or leave the figure to the evidence"
    )
