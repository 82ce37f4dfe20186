"""The paired statistics against a second, exact computation and hand-worked cases, and their symmetry."""

from __future__ import annotations

import math
import time
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tco_gate.evidence.stats import (
    Z_ONE_SIDED_95,
    PairedFigures,
    gain_lower_bound,
    mcnemar_exact_p,
    paired_figures,
)


def exact_p(b: int, c: int) -> Fraction:
    """min(1, 2 P[X <= min(b, c)]), X ~ Binomial(b + c, 1/2), by summing binomial coefficients as integers."""
    m = b + c
    if m == 0:
        return Fraction(1)
    tail = term = 1
    for i in range(min(b, c)):
        term = term * (m - i) // (i + 1)  # C(m, i + 1), exactly
        tail += term
    assert term == math.comb(m, min(b, c))
    return min(Fraction(1), Fraction(2 * tail, 2**m))


def test_the_issue_hand_worked_case() -> None:
    # n = 1000, b = 65, c = 35: 2 P[X <= 35] for X ~ Binomial(100, 1/2) = 0.0035 (to two significant digits).
    p = mcnemar_exact_p(65, 35)
    assert round(p, 4) == 0.0035
    assert p == pytest.approx(float(exact_p(65, 35)), rel=1e-12)


@pytest.mark.parametrize(
    ("b", "c", "expected"),
    [
        (0, 0, 1.0),  # no discordant pair: nothing to test
        (7, 7, 1.0),  # a tie: the lower tail is at least half
        (0, 1, 1.0),  # 2 x 1/2
        (0, 5, 0.0625),  # 2 x 1/32
        (1, 9, 0.021484375),  # 2 x (1 + 10)/1024
        (0, 38, 2 / 2**38),  # 7.276e-12: keeps its digits, never rounded to 0
    ],
)
def test_hand_worked_p_values(b: int, c: int, expected: float) -> None:
    assert mcnemar_exact_p(b, c) == pytest.approx(expected, rel=1e-12)


@given(st.integers(0, 400), st.integers(0, 400))
def test_p_agrees_with_the_exact_sum_to_many_digits(b: int, c: int) -> None:
    assert mcnemar_exact_p(b, c) == pytest.approx(float(exact_p(b, c)), rel=1e-10)


@pytest.mark.parametrize(("b", "c"), [(9_000, 11_000), (4_500, 5_200), (100, 19_000), (1, 2_000)])
def test_large_counts_keep_four_significant_digits(b: int, c: int) -> None:
    exact = exact_p(b, c)
    got = mcnemar_exact_p(b, c)
    if exact == 0 or float(exact) == 0.0:
        assert got == 0.0
    else:
        assert got == pytest.approx(float(exact), rel=1e-8)


def test_a_tiny_p_value_is_not_rounded_to_zero() -> None:
    # b = 2, c = 60: p = 2 (1 + 62 + 1891) / 2^62 = 3908 / 2^62, about 8.474e-16
    p = mcnemar_exact_p(2, 60)
    assert f"{p:.4g}" == f"{float(exact_p(2, 60)):.4g}" == "8.474e-16"


def test_one_hundred_thousand_examples_stay_fast() -> None:
    pairs = [(i % 3 != 0, i % 5 != 0) for i in range(100_000)]
    started = time.perf_counter()
    figures = paired_figures(pairs)
    p = figures.p_value
    bound = figures.gain_lower_bound
    assert time.perf_counter() - started < 2.0
    assert figures.n == 100_000
    assert (figures.b, figures.c) == (
        sum(1 for p_, f in pairs if p_ and not f),
        sum(1 for p_, f in pairs if f and not p_),
    )
    assert 0 <= p <= 1 and bound < figures.gain


def test_the_lower_bound_by_hand() -> None:
    # d = (35 - 65)/1000 = -0.03; sqrt(100 - 900/1000) = sqrt(99.1) = 9.954898...; d - 1.6449 x 9.954898/1000
    bound = gain_lower_bound(1000, 65, 35)
    assert round(bound, 6) == Decimal("-0.046375")
    assert gain_lower_bound(10, 0, 0) == 0  # two identical systems: the gain is 0 and so is its bound


@pytest.mark.parametrize(("n", "b", "c"), [(1000, 65, 35), (200, 7, 19), (97, 3, 11)])
def test_the_lower_bound_has_28_digits_whatever_the_callers_context(n: int, b: int, c: int) -> None:
    # The report prints the bound as computed: the same digits on every machine and under any caller's
    # decimal context, and as precise as 28 significant digits allow (against the same formula at 60).
    def at(precision: int) -> Decimal:
        with localcontext() as context:
            context.prec = precision
            return gain_lower_bound(n, b, c)

    bound = at(6)
    assert bound == at(60) and len(bound.as_tuple().digits) <= 28
    with localcontext() as context:
        context.prec = 60
        spread = (Decimal(b + c) - Decimal((c - b) ** 2) / n).sqrt()
        exact = Decimal(c - b) / n - Z_ONE_SIDED_95 * spread / n
        assert abs(bound - exact) <= abs(exact) * Decimal("1e-26")


def test_the_figures_of_a_list_of_pairs() -> None:
    pairs = [(True, True)] * 70 + [(True, False)] * 5 + [(False, True)] * 20 + [(False, False)] * 5
    figures = paired_figures(pairs)
    assert figures == PairedFigures(n=100, prompting_correct=75, finetuned_correct=90, b=5, c=20)
    assert (figures.prompting_accuracy, figures.finetuned_accuracy) == (Fraction(3, 4), Fraction(9, 10))
    assert figures.gain == Fraction(15, 100)
    assert figures.significant and figures.p_value == pytest.approx(float(exact_p(5, 20)), rel=1e-12)


def test_no_pairs_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^no paired examples$"):
        paired_figures([])
    with pytest.raises(ValueError, match=r"^counts are never negative$"):
        mcnemar_exact_p(-1, 3)


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=300))
def test_swapping_the_two_systems_flips_the_gain_and_keeps_p(pairs: list[tuple[bool, bool]]) -> None:
    figures = paired_figures(pairs)
    swapped = paired_figures([(finetuned, prompting) for prompting, finetuned in pairs])
    assert (swapped.b, swapped.c) == (figures.c, figures.b)
    assert swapped.gain == -figures.gain
    assert swapped.p_value == figures.p_value
    assert (swapped.prompting_accuracy, swapped.finetuned_accuracy) == (
        figures.finetuned_accuracy,
        figures.prompting_accuracy,
    )
    # the bound sits the same distance below each side's gain
    assert figures.gain_lower_bound - Decimal(figures.gain.numerator) / figures.gain.denominator == pytest.approx(
        swapped.gain_lower_bound - Decimal(swapped.gain.numerator) / swapped.gain.denominator
    )
    assert figures.gain_lower_bound <= Decimal(figures.gain.numerator) / figures.gain.denominator
