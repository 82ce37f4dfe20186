"""Paired eval statistics: n, both accuracies, the discordant counts, McNemar's exact p and the gain's lower bound.

The formulas, as docs/evidence.md gives them: b = examples prompting got right and fine-tuning wrong, c = the
reverse; p = min(1, 2 × P[X ≤ min(b, c)]) with X ~ Binomial(b + c, 1/2), 1 when b + c = 0; the fine-tuned model's
accuracy gain d = (c − b)/n and its one-sided 95% lower bound d − 1.6449 × sqrt(b + c − (c − b)²/n)/n.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

Z_ONE_SIDED_95 = Decimal("1.6449")
"""The standard normal's 95th percentile, to four decimals."""

SIGNIFICANCE = 0.05
"""The p-value under which the report calls the two systems' difference significant."""


@dataclass(frozen=True)
class PairedFigures:
    """What a careful reviewer derives from two systems' per-example results on the same n examples."""

    n: int
    prompting_correct: int
    finetuned_correct: int
    b: int
    """Examples prompting got right and the fine-tuned model got wrong."""
    c: int
    """Examples the fine-tuned model got right and prompting got wrong."""

    @property
    def prompting_accuracy(self) -> Fraction:
        return Fraction(self.prompting_correct, self.n)

    @property
    def finetuned_accuracy(self) -> Fraction:
        return Fraction(self.finetuned_correct, self.n)

    @property
    def gain(self) -> Fraction:
        """d = (c − b)/n: the fine-tuned model's accuracy minus prompting's, exactly."""
        return Fraction(self.c - self.b, self.n)

    @property
    def gain_lower_bound(self) -> Decimal:
        """The one-sided 95% lower bound of the gain (28 significant digits)."""
        return gain_lower_bound(self.n, self.b, self.c)

    @property
    def p_value(self) -> float:
        """McNemar's exact two-sided p-value."""
        return mcnemar_exact_p(self.b, self.c)

    @property
    def significant(self) -> bool:
        """Whether the difference between the two systems is significant at the 5% level."""
        return self.p_value < SIGNIFICANCE


def paired_figures(pairs: list[tuple[bool, bool]]) -> PairedFigures:
    """The figures of (prompting correct, fine-tuned correct) pairs, one pair per example."""
    if not pairs:
        raise ValueError("no paired examples")
    prompting = sum(1 for right, _ in pairs if right)
    finetuned = sum(1 for _, right in pairs if right)
    b = sum(1 for p, f in pairs if p and not f)
    c = sum(1 for p, f in pairs if f and not p)
    return PairedFigures(len(pairs), prompting, finetuned, b, c)


def mcnemar_exact_p(b: int, c: int) -> float:
    """min(1, 2 × P[X ≤ min(b, c)]), X ~ Binomial(b + c, 1/2); 1 when b + c = 0.

    The tail is summed outward from its largest term, each term the one before times i/(m − i + 1), so it
    costs one pass over at most min(b, c) + 1 terms and stops once they no longer change the sum; the largest
    term comes from log-gamma. A p-value of 1e-300 keeps its significant digits; one below the smallest float
    is 0.0, the only honest float for it.
    """
    if b < 0 or c < 0:
        raise ValueError("counts are never negative")
    m, k = b + c, min(b, c)
    if 2 * k >= m:  # b == c: the lower tail holds at least half the mass, so the p-value is 1
        return 1.0
    log_top = math.lgamma(m + 1) - math.lgamma(k + 1) - math.lgamma(m - k + 1) - m * math.log(2)
    total, term = 1.0, 1.0
    for i in range(k, 0, -1):
        term *= i / (m - i + 1)
        if term < total * 1e-17:
            break
        total += term
    log_tail = log_top + math.log(total) + math.log(2)
    return min(1.0, math.exp(log_tail))  # exp underflows to 0.0 below the smallest float, as it should


def gain_lower_bound(n: int, b: int, c: int) -> Decimal:
    """d − 1.6449 × sqrt(b + c − (c − b)²/n)/n, in Decimal arithmetic at 28 digits."""
    with localcontext() as context:
        context.prec = 28
        spread = (Decimal(b + c) - Decimal((c - b) ** 2) / n).sqrt()
        return Decimal(c - b) / n - Z_ONE_SIDED_95 * spread / n
