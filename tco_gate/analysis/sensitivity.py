"""Pure: which single input, moved how far, flips the margin verdict; and the tornado at ±20%.

For each number the proposal writes (and the prices it reads), everything else held at the point
estimate: the value nearest the proposal's own at which fine-tuning starts or stops beating prompting
by the margin, within what the field accepts, or none, found on the float model (`flip`: a scan
outwards from 1% to a millionfold, then regula falsi to a billionth of the value; integers: exact).
The monthly volume takes its flip from the exact break-even bands instead, to the request.

Each input runs through the model on its own (`partial`), so only the parts of a total that read it
are recomputed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .breakeven import BreakEvenVolume
from .fastmodel import Setting, passes
from .flip import Field, Mover, field
from .partial import OneAtATime

VOLUME = "/workload/requests_per_month"
TORNADO_PCT = 20


@dataclass(frozen=True)
class Totals:
    finetune: float
    prompting: float


@dataclass(frozen=True)
class Flip:
    """The value at which the verdict on the margin changes, nearest the proposal's own."""

    value: float
    change_pct: float | None  # relative to the proposal's value; None when that is 0
    to: Literal["pass", "fail"]


@dataclass(frozen=True)
class InputSensitivity:
    pointer: str
    value: float
    flip: Flip | None  # None: no value the field accepts changes the verdict, all else held
    low_value: float  # the input 20% lower (clipped to what the field accepts)
    low: Totals  # both totals there
    high_value: float  # 20% higher
    high: Totals

    @property
    def swing(self) -> float:
        """How far the difference between the totals moves across the tornado's span."""
        return abs((self.high.prompting - self.high.finetune) - (self.low.prompting - self.low.finetune))


def sensitivity(
    base: Mapping[str, float],
    pointers: Sequence[str],
    setting: Setting,
    volume: BreakEvenVolume | None = None,
    nearest: int | None = None,
) -> list[InputSensitivity]:
    """One entry per input in `pointers` that `base` holds, the largest tornado swing first.

    With `nearest`, only the flips that can be among the `nearest` smallest changes in percent (as a report
    rounds them, to a hundredth) are pinned; every other entry's flip is None. Those that are pinned are the
    values a full run finds, so the nearest flips read the same.
    """
    model = OneAtATime(base, setting)
    now = passes(model.finetune, model.prompting, setting.min_savings_pct, model.slack)
    here = Totals(model.finetune, model.prompting)
    changes: list[float] = []  # |change %| of the flips pinned so far, for the bound
    entries = []
    for pointer in (p for p in pointers if p in base):
        value, bounds = base[pointer], field(pointer)
        low_value, high_value = _tornado_value(value, bounds, -1), _tornado_value(value, bounds, 1)
        flip_value: float | None = None
        if model.reads(pointer):
            tornado = [low_value, high_value]
            if pointer == VOLUME and volume is not None:  # exact, from the bands
                flip_value = _volume_flip(volume, now)
                finetune, prompting = model.totals(pointer, tornado)
                (low, high) = (Totals(f, p) for f, p in zip(finetune, prompting, strict=True))
            else:
                within = _within(value, changes, nearest)
                mover = Mover(model, pointer, value, setting.min_savings_pct)
                flip_value, moved = mover.nearest_flip(tornado, within)
                (low, high) = (Totals(f, p) for f, p in moved)
        else:  # no total reads it: both totals stay, the verdict cannot move
            low = high = here
        flip = None
        if flip_value is not None:
            change = (flip_value - value) / abs(value) * 100 if value else None
            flip = Flip(flip_value, change, "fail" if now else "pass")
            if change is not None:
                changes.append(abs(change))
        entries.append(InputSensitivity(pointer, value, flip, low_value, low, high_value, high))
    return sorted(entries, key=lambda e: -e.swing)


# A change within this many percentage points of the last kept one can round to the same hundredth of a percent
# (and then win on its name): it is pinned too.
_ROUNDING = 0.02


def _within(value: float, changes: list[float], nearest: int | None) -> float:
    """How far from `value` a flip can be and still be among the `nearest` smallest changes (any distance
    until that many are known). A flip of an input at 0 has no change in percent: a report never ranks it."""
    if nearest is None:
        return math.inf
    if not value:
        return 0.0
    if len(changes) < nearest:
        return math.inf
    bound = sorted(changes)[nearest - 1] + _ROUNDING
    return abs(value) * bound / 100


def _tornado_value(value: float, bounds: Field, direction: int) -> float:
    return bounds.clip(value * (1 + direction * TORNADO_PCT / 100))


def _volume_flip(volume: BreakEvenVolume, now: bool) -> float | None:
    """The nearest whole volume with the other verdict, from the exact bands."""
    own = volume.requests_per_month
    edges: list[int] = []
    for band in volume.bands:
        if now:  # passing: the nearest volumes just outside the band that holds the proposal's own
            edges += [band.low - 1] + ([band.high + 1] if band.high is not None else [])
        else:
            edges += [band.low] + ([band.high] if band.high is not None else [])
    if now:
        edges = [e for e in edges if not any(b.low <= e and (b.high is None or e <= b.high) for b in volume.bands)]
    edges = [e for e in edges if 1 <= e <= volume.searched_to]  # a band from 1 has nothing below it
    if not edges:
        return None
    return float(min(edges, key=lambda e: (abs(Decimal(e) - own), e)))
