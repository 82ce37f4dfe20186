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
        # ahead in month 1 only, never again
        (
            _d(10, 50, 50),
            _d(20, 20, 20),
            BreakEven(None, 1, 2),
            "none within 3 months (fine-tuning crosses in month 1 but falls behind again in month 2)",
        ),
        (_d(50), _d(20), BreakEven(None, None, None), "none within 1 month"),
    ],
)
def test_break_even_from_monthly_amounts(
    finetune: tuple[Decimal, ...], prompting: tuple[Decimal, ...], expected: BreakEven, words: str
) -> None:
    found = break_even(finetune, prompting)
    assert found == expected
    assert found.describe(len(finetune)) == words
