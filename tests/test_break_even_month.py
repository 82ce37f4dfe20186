"""The month fine-tuning pulls ahead for good, from monthly amounts worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tco_gate.break_even_month import BreakEven, break_even


def _d(*amounts: int) -> tuple[Decimal, ...]:
    return tuple(Decimal(a) for a in amounts)


@pytest.mark.parametrize(
    ("finetune", "prompting", "expected", "words"),
    [
        # cumulative 100/40, 110/80, 120/120 (a tie counts as ahead), 130/160: ahead from month 3 on
        (_d(100, 10, 10, 10), _d(40, 40, 40, 40), BreakEven(3, 3, None), "pulls ahead in month 3 and stays ahead"),
        # 10/20 ahead, 60/40 behind, 70/60 behind, 80/80 ahead again: first ahead in 1, behind in 2, for good from 4
        (
            _d(10, 50, 10, 10),
            _d(20, 20, 20, 20),
            BreakEven(4, 1, 2),
            "pulls ahead in month 4 and stays ahead (it first crosses in month 1 but falls behind again in month 2)",
        ),
    ],
)
def test_break_even_from_monthly_amounts(
    finetune: tuple[Decimal, ...], prompting: tuple[Decimal, ...], expected: BreakEven, words: str
) -> None:
    found = break_even(finetune, prompting)
    assert found == expected
    assert found.describe(len(finetune)) == words


def test_break_even_that_holds() -> None:
    amounts = tuple(Decimal(x) for x in (0, 0, 100, 0))
    prompting = tuple(Decimal(x) for x in (10, 0, 0, 100))
    # Cumulative: F 0, 0, 100, 100; P 10, 10, 10, 110. Ahead in 1 and 2, behind in 3, ahead again in 4.
    found = break_even(amounts, prompting)
    assert found == BreakEven(month=4, first_crossing=1, fell_behind=3)
    assert (
        found.describe(4)
        == "pulls ahead in month 4 and stays ahead (it first crosses in month 1 but falls behind again in month 3)"
    )
    steady = break_even((Decimal(5),) * 3, (Decimal(5),) * 3)
    assert steady == BreakEven(1, 1, None) and steady.describe(3) == "pulls ahead in month 1 and stays ahead"


def test_a_crossing_that_is_undone_is_no_break_even() -> None:
    found = break_even((Decimal(0), Decimal(50)), (Decimal(10), Decimal(0)))
    assert found == BreakEven(month=None, first_crossing=1, fell_behind=2)
    assert (
        found.describe(2) == "none within 2 months (fine-tuning crosses in month 1 but falls behind again in month 2)"
    )
    never = break_even((Decimal(5),), (Decimal(1),))
    assert never == BreakEven(None, None, None) and never.describe(1) == "none within 1 month"


def test_monthly_amounts_of_different_horizons_are_refused_not_cut_to_the_shorter() -> None:
    # Cut to one month, fine-tuning's 1 against prompting's 2 would break even in month 1.
    with pytest.raises(ValueError, match="shorter than argument 1"):
        break_even((Decimal(1), Decimal(9)), (Decimal(2),))
