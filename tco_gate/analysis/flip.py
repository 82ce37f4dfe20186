"""Pure: the value of one input, all else held, nearest the proposal's own at which the margin verdict flips.

Where to look: a scan outwards from the value over fixed steps (1% to a millionfold, both ways, to
the field's bounds); the first step with the other verdict closes a bracket. An input that only one
total reads moves that total one way (every part of the model rises or falls with each of its inputs,
and a policy's margin is at most 100%), so its verdict changes at most once: the scan's far ends
prove a side holds no flip, and a side that has one is bracketed from the value to its far end.

How it is pinned: regula falsi (the Illinois variant) on the margin, each secant root checked by two
points straddling it at the precision, so a margin linear in the input (hours, dollars, prices,
tokens) is solved in one round. Sized serving makes the margin a staircase in the inputs that set the
GPU load (tokens, throughputs, utilization, peak, volume): a secant cannot see where a step is, so
once the bracket holds a few GPU steps each is solved from the load and straddled instead. Where the
margin is flat across a round (a step), or three rounds running do not halve the bracket, the next
round splits it: at the scan's steps inside it, else sixteenfold. It stops when the bracket is a
billionth of the value wide (a whole-number field: one apart) and reports its flipped end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from .partial import OneAtATime
from .ranges import field_schema

STEPS: tuple[float, ...] = (0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)
STEPS += (1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0, 1e3, 1e4, 1e6)
PRECISION = 1e-9
_SPLIT = 16
_GPU_STEPS = 24  # GPU steps inside a bracket tried one by one (a straddling pair each)
_MAX_ROUNDS = 40  # a round halves the bracket or the next one splits it at least sixteenfold


@dataclass(frozen=True)
class Field:
    """What a numeric field accepts: its bounds (exclusive ones nudged inside) and whether it is whole."""

    lower: float
    upper: float
    integer: bool

    def clip(self, value: float) -> float:
        value = min(max(value, self.lower), self.upper)
        return float(math.floor(value + 0.5)) if self.integer else value


@cache
def field(pointer: str) -> Field:
    """The bounds of the proposal field at `pointer`, from its schema (none for an unknown pointer)."""
    schema: dict[str, Any] = field_schema(pointer) or {}
    integer = schema.get("type") == "integer"
    tiny = 1.0 if integer else 1e-9
    lower = -math.inf
    if "minimum" in schema:
        lower = float(schema["minimum"])
    elif "exclusiveMinimum" in schema:
        lower = float(schema["exclusiveMinimum"]) + tiny * max(1.0, abs(float(schema["exclusiveMinimum"])))
    upper = math.inf
    if "maximum" in schema:
        upper = float(schema["maximum"])
    elif "exclusiveMaximum" in schema:
        upper = float(schema["exclusiveMaximum"]) - tiny * max(1.0, abs(float(schema["exclusiveMaximum"])))
    return Field(lower, upper, integer)


@lru_cache(maxsize=1024)  # proposals that share values (a monorepo's copies) share their scans
def candidates(value: float, pointer: str, direction: int) -> tuple[float, ...]:
    """The scan's points from `value` in `direction` (+1 or -1), nearest first, stopping at the field's bound."""
    bounds = field(pointer)
    scale = abs(value) if value else 1.0
    # The bound ahead ends the scan. Not the one behind: a whole number at its least (1 GPU, 0 retrains) rounds
    # its first small steps up back onto that bound, and the scan must go on past them.
    end = bounds.upper if direction > 0 else bounds.lower
    found: list[float] = []
    for step in STEPS:
        point = bounds.clip(value + direction * scale * step)
        if point != value and (not found or point != found[-1]):
            found.append(point)
        if point == end:
            break
    return tuple(found)


def score(finetune: float, prompting: float, min_savings_pct: float, slack: float = math.inf) -> float:
    """A number >= 0 exactly where `fastmodel.passes` holds: the least of its three conditions as differences
    (the saving against the margin, prompting's cent, the committed fleet's slack in replicas).

    It crosses zero where the verdict changes and is linear in an input wherever the totals are.
    """
    return min((prompting - finetune) * 100 - min_savings_pct * prompting, (prompting - 0.01) * 100, slack)


@dataclass(frozen=True)
class _Point:
    at: float
    score: float


class Mover:
    """One input of a proposal moved through the model, everything else held at the point estimate."""

    def __init__(self, model: OneAtATime, pointer: str, value: float, min_savings_pct: float) -> None:
        self.model, self.pointer, self.value, self.margin = model, pointer, value, min_savings_pct
        self.field = field(pointer)
        self.here = _Point(value, score(model.finetune, model.prompting, min_savings_pct, model.slack))
        self.now = self.here.score >= 0

    def scores(self, values: list[float]) -> list[float]:
        finetune, prompting = self.model.totals(self.pointer, values)
        slacks, margin = self.model.slacks(self.pointer, values), self.margin
        return [score(f, p, margin, c) for f, p, c in zip(finetune, prompting, slacks, strict=True)]

    def nearest_flip(
        self, also: list[float], within: float = math.inf
    ) -> tuple[float | None, list[tuple[float, float]]]:
        """The flip nearest the value on either side (None when no value the field accepts flips it), and
        both totals at each of `also`, evaluated with the first probe (the tornado's points).

        With `within`, a flip farther than that from the value is not wanted: a side whose flip is surely
        farther is not pinned (the expensive part), and gives none. A side that is pinned is pinned from the
        same bracket as without `within`, so a flip that is returned is the same value to the last bit.
        """
        ups, downs = (candidates(self.value, self.pointer, d) for d in (1, -1))
        monotone = self.model.monotone(self.pointer)
        sides = [side for side in (ups, downs) if side]
        if monotone and within < math.inf:
            return self._nearest_within(also, within, [(side, 1 if side is ups else -1) for side in sides])
        # One change at most where one total reads the input: each side's far end says whether it has it.
        probe = [side[-1] for side in sides] if monotone else [*ups, *downs]
        totals, scored = self._probe(also, probe)
        scanned = iter(scored)
        flips = []
        for side in sides:
            if monotone:
                far = next(scanned)
                if (far >= 0) != self.now:
                    flips.append(self._narrow(self.here, _Point(side[-1], far), side[:-1]))
                continue
            held, scores = self.here, [next(scanned) for _ in side]
            for point, found in zip(side, scores, strict=True):
                if (found >= 0) != self.now:  # the verdict holds at `held`, has flipped at `point`
                    if abs(held.at - self.value) < within:  # the flip is past `held`: maybe nearer than `within`
                        flips.append(self._narrow(held, _Point(point, found), ()))
                    break
                held = _Point(point, found)
        return min(flips, key=lambda v: abs(v - self.value), default=None), totals

    def _nearest_within(
        self, also: list[float], within: float, sides: list[tuple[tuple[float, ...], int]]
    ) -> tuple[float | None, list[tuple[float, float]]]:
        """`nearest_flip` of an input one total reads, wanted only `within` of the value: the point that far
        on each side says whether the side's one change is nearer; only such a side is probed at its far end
        and pinned, from the bracket a search without `within` pins it from."""
        edges = [self.field.clip(self.value + direction * within) for _, direction in sides]
        totals, at_edges = self._probe(also, edges)
        nearer = [side for (side, _), edge in zip(sides, at_edges, strict=True) if (edge >= 0) != self.now]
        _, at_far = self._probe([], [side[-1] for side in nearer])
        flips = [
            self._narrow(self.here, _Point(side[-1], far), side[:-1])
            for side, far in zip(nearer, at_far, strict=True)
            if (far >= 0) != self.now
        ]
        return min(flips, key=lambda v: abs(v - self.value), default=None), totals

    def _probe(self, also: list[float], probe: list[float]) -> tuple[list[tuple[float, float]], list[float]]:
        """Both totals at each of `also`, and the score at each of `probe`, from one pass of the model."""
        if not also and not probe:
            return [], []
        finetune, prompting = self.model.totals(self.pointer, [*also, *probe])
        slacks = self.model.slacks(self.pointer, probe)
        extra = len(also)
        totals = list(zip(finetune[:extra], prompting[:extra], strict=True))
        probed = zip(finetune[extra:], prompting[extra:], slacks, strict=True)
        return totals, [score(f, p, self.margin, c) for f, p, c in probed]

    def _tight(self, held: float, flipped: float) -> bool:
        if self.field.integer:
            return abs(flipped - held) <= 1
        return abs(flipped - held) <= PRECISION * max(abs(self.value), abs(held), 1e-12)

    def _narrow(self, held: _Point, flipped: _Point, steps: tuple[float, ...]) -> float:
        """The flipped end of the bracket once it is tight; `steps` are scan points inside it, for a first split."""
        split, kept_held, kept_flipped, slow = False, 0, 0, 0
        crowded = math.inf  # the width of the last bracket that held too many GPU steps to try each
        held_weight = flipped_weight = 1.0
        for _ in range(_MAX_ROUNDS):
            if self._tight(held.at, flipped.at):
                break
            width = abs(flipped.at - held.at)
            # Where a GPU count steps inside the bracket (a few at most), the flip is at one of them.
            points = []
            if width < crowded / 4:  # asked again only once the bracket is much narrower than when it had too many
                places = self.model.gpu_steps(self.pointer, held.at, flipped.at, _GPU_STEPS)
                points = self._around(places, held.at, flipped.at)
                crowded = width if places is None else crowded
            if not points and not split:
                root = _secant(held.at, held.score * held_weight, flipped.at, flipped.score * flipped_weight)
                points = self._straddle(root, held.at, flipped.at)
            if not points:  # split at the scan's steps inside the bracket, else sixteenfold
                inside = [p for p in steps if self._between(p, held.at, flipped.at)]
                points, steps = inside or self._split(held.at, flipped.at), ()
            before = held.score
            moved_held = moved_flipped = False
            for point, found in zip(points, self.scores(points), strict=True):  # from `held` towards `flipped`
                if (found >= 0) != self.now:
                    flipped, moved_flipped = _Point(point, found), True
                    break
                held, moved_held = _Point(point, found), True
            # Illinois: an end kept twice running has its weight halved, so the next secant falls past the root.
            kept_held = 0 if moved_held else kept_held + 1
            kept_flipped = 0 if moved_flipped else kept_flipped + 1
            held_weight = 0.5 ** max(0, kept_held - 1)
            flipped_weight = 0.5 ** max(0, kept_flipped - 1)
            # Split next when the secant does not pay: the margin did not move (a step function, flat between
            # its steps), or the bracket has not halved in three rounds.
            slow = slow + 1 if abs(flipped.at - held.at) > width / 2 else 0
            split = slow >= 3 or (moved_held and held.score == before)
        return flipped.at

    def _straddle(self, x: float, held: float, flipped: float) -> list[float]:
        """Two points either side of `x`, closer than the precision, inside the bracket; held's side first."""
        towards = 1.0 if flipped > held else -1.0
        if self.field.integer:
            near = float(math.floor(x) if towards > 0 else math.ceil(x))
            pair = [near, near + towards]
        else:
            half = 0.4 * PRECISION * max(abs(self.value), abs(x), 1e-12)
            pair = [x - towards * half, x + towards * half]
        return [p for p in pair if self._between(p, held, flipped)]

    def _around(self, places: list[float] | None, held: float, flipped: float) -> list[float]:
        """A straddling pair at each of `places`, all in order from `held`."""
        points = {p for place in places or () for p in self._straddle(place, held, flipped)}
        return sorted(points, key=lambda p: abs(p - held))

    @staticmethod
    def _between(point: float, held: float, flipped: float) -> bool:
        return (point - held) * (flipped - held) > 0 and (flipped - point) * (flipped - held) > 0

    def _split(self, held: float, flipped: float) -> list[float]:
        points = [held + (flipped - held) * k / _SPLIT for k in range(1, _SPLIT)]
        if self.field.integer:
            points = sorted({float(round(p)) for p in points} - {held, flipped}, key=lambda p: abs(p - held))
        return points


def _secant(a: float, score_a: float, b: float, score_b: float) -> float:
    """Where the line through (a, score_a) and (b, score_b) crosses zero; the midpoint if it cannot say."""
    if score_a == score_b:
        return (a + b) / 2
    x = a - score_a * (b - a) / (score_b - score_a)
    return x if math.isfinite(x) else (a + b) / 2
