"""The month fine-tuning pulls ahead of prompting for good, read from both options' monthly amounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

_ZERO = Decimal(0)


@dataclass(frozen=True)
class BreakEven:
    """When fine-tuning's cumulative cost gets to, and stays at or below, prompting's."""

    month: int | None  # the first month from which fine-tuning stays ahead through the horizon
    first_crossing: int | None  # the first month it was ahead at all
    fell_behind: int | None  # the first month after `first_crossing` it was behind again, if any

    def describe(self, horizon: int) -> str:
        """The break-even in words, as reports show it."""
        undone = (
            f"crosses in month {self.first_crossing} but falls behind again in month {self.fell_behind}"
            if self.fell_behind is not None
            else ""
        )
        if self.month is None:
            months = f"{horizon} month" + ("s" if horizon != 1 else "")
            return f"none within {months}" + (f" (fine-tuning {undone})" if undone else "")
        held = f"pulls ahead in month {self.month} and stays ahead"
        return f"{held} (it first {undone})" if undone else held


def break_even(finetune: tuple[Decimal, ...], prompting: tuple[Decimal, ...]) -> BreakEven:
    """From monthly amounts: the month fine-tuning pulls ahead for good, and any earlier crossing undone."""
    f_sum = p_sum = _ZERO
    ahead: list[bool] = []
    for f, p in zip(finetune, prompting, strict=True):
        f_sum += f
        p_sum += p
        ahead.append(f_sum <= p_sum)
    first = next((m for m, is_ahead in enumerate(ahead, start=1) if is_ahead), None)
    fell = None if first is None else next((m for m in range(first + 1, len(ahead) + 1) if not ahead[m - 1]), None)
    held = None
    for month in range(len(ahead), 0, -1):  # walk back from the horizon while fine-tuning is ahead
        if not ahead[month - 1]:
            break
        held = month
    return BreakEven(held, first, fell)
