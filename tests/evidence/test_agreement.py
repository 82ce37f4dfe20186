"""SPEC's agreement rules between written and measured figures."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from tco_gate.evidence.agreement import (
    accuracy_agrees,
    accuracy_message,
    as_decimal,
    relative_message,
    within_five_percent,
)


def test_accuracies_agree_to_three_decimals() -> None:
    measured = Fraction(461, 500)  # 0.922
    assert accuracy_agrees(Decimal("0.922"), measured)
    assert accuracy_agrees(Decimal("0.9224"), measured) and accuracy_agrees(Decimal("0.9225"), measured)
    assert not accuracy_agrees(Decimal("0.9226"), measured)
    assert not accuracy_agrees(Decimal("0.92"), measured)  # two decimals that round it are not enough
    assert accuracy_agrees(Decimal("0.667"), Fraction(2, 3)) and not accuracy_agrees(Decimal("0.668"), Fraction(2, 3))


def test_five_percent_either_way_of_the_measured_value() -> None:
    assert within_five_percent(Decimal(105), Fraction(100)) and within_five_percent(Decimal(95), Fraction(100))
    assert not within_five_percent(Decimal("105.01"), Fraction(100))
    assert not within_five_percent(Decimal("94.99"), Decimal(100))
    assert within_five_percent(Decimal(0), Fraction(0)) and not within_five_percent(Decimal(1), Fraction(0))


def test_measured_figures_become_28_digit_decimals() -> None:
    assert as_decimal(Fraction(2, 3)) == Decimal("0.6666666666666666666666666667")
    assert as_decimal(Fraction(3_043_750)) == Decimal(3_043_750)


def test_the_words_of_a_disagreement() -> None:
    assert accuracy_message("finetune_accuracy", Decimal("0.95"), Fraction(461, 500), 461, 500, "evals/f.json") == (
        "`finetune_accuracy: 0.95` disagrees with the eval evidence: 0.922 (461 of 500 examples right in "
        "evals/f.json); write 0.922 or leave the figure to the evidence"
    )
    message = relative_message(
        "requests_per_month", Decimal(4_000_000), Fraction(3_043_750), "requests a month", "usage/q4.json"
    )
    assert message == (
        "`requests_per_month: 4000000` is more than 5% from the requests a month measured in usage/q4.json: "
        "3,043,750.00 (+31.4%); write the measured value or leave the figure to the evidence"
    )
    # a measured 0 has no percentage to show
    assert relative_message("x", Decimal(1), Fraction(0), "count", "f").startswith(
        "`x: 1` is more than 5% from the count measured in f: 0.00; write"
    )
