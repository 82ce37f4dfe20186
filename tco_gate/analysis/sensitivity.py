"""Pure: which single input, moved how far, flips the margin verdict; and the tornado at ±20%.

For each number the proposal writes (and the prices it reads), everything else held at the point
estimate: the value nearest the proposal's own at which fine-tuning starts or stops beating prompting
by the margin, within what the field accepts, or none. Found on the float model: a scan outwards
over fixed steps (1% to a millionfold, both ways, to the field's bounds), then the bracket around the
first change narrowed 16-fold a round until it is a billionth of the value wide (integers: exact).
The monthly volume takes its flip from the exact break-even bands instead, to the request.

Every evaluation of a round runs as one column through the model, so all inputs cost a few calls.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from .breakeven import BreakEvenVolume
from .fastmodel import Num, Setting, passes, totals
from .ranges import field_schema

VOLUME = "/workload/requests_per_month"
TORNADO_PCT = 20
_STEPS: tuple[float, ...] = (0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)
_STEPS += (1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0, 1e3, 1e4, 1e6)
_ROUNDS_SPLIT = 16
_PRECISION = 1e-9
_MAX_ROUNDS = 10


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


@dataclass(frozen=True)
class _Field:
    lower: float
    upper: float
    integer: bool

    def clip(self, value: float) -> float:
        value = min(max(value, self.lower), self.upper)
        return float(math.floor(value + 0.5)) if self.integer else value


def _field(pointer: str) -> _Field:
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
    return _Field(lower, upper, integer)


def _run(base: Mapping[str, float], rows: Sequence[tuple[str, float]], setting: Setting) -> list[Totals]:
    """Each row is the point estimate with one input changed; all rows go through the model at once."""
    if not rows:
        return []
    columns: dict[str, Num] = dict(base)
    for pointer in {p for p, _ in rows}:
        columns[pointer] = [value if p == pointer else base[pointer] for p, value in rows]
    finetune, prompting = totals(columns, setting)
    size = len(rows)
    f = finetune if isinstance(finetune, list) else [finetune] * size
    p = prompting if isinstance(prompting, list) else [prompting] * size
    return [Totals(a, b) for a, b in zip(f, p, strict=True)]


def _verdict(t: Totals, setting: Setting) -> bool:
    return passes(t.finetune, t.prompting, setting.min_savings_pct)


def _candidates(value: float, field: _Field) -> tuple[list[float], list[float]]:
    """Scan points upwards and downwards from `value`, nearest first, stopping at the field's bounds."""
    scale = abs(value) if value else 1.0
    ups: list[float] = []
    downs: list[float] = []
    for direction, found in ((1, ups), (-1, downs)):
        for step in _STEPS:
            point = field.clip(value + direction * scale * step)
            if point != value and (not found or point != found[-1]):
                found.append(point)
            if point in (field.lower, field.upper):
                break
    return ups, downs


def sensitivity(
    base: Mapping[str, float],
    pointers: Sequence[str],
    setting: Setting,
    volume: BreakEvenVolume | None = None,
) -> list[InputSensitivity]:
    """One entry per input in `pointers` that `base` holds, the largest tornado swing first."""
    pointers = [p for p in pointers if p in base]
    fields = {p: _field(p) for p in pointers}
    now = passes(*_base_totals(base, setting), setting.min_savings_pct)

    rows: list[tuple[str, float]] = []
    for pointer in pointers:
        value, field = base[pointer], fields[pointer]
        rows += [
            (pointer, _tornado_value(value, field, -1)),
            (pointer, _tornado_value(value, field, 1)),
        ]
        ups, downs = _candidates(value, field)
        rows += [(pointer, v) for v in ups + downs]
    results = iter(_run(base, rows, setting))

    tornado: dict[str, tuple[Totals, Totals]] = {}
    brackets: dict[str, list[tuple[float, float]]] = {}
    for pointer in pointers:
        low, high = next(results), next(results)
        tornado[pointer] = (low, high)
        value = base[pointer]
        ups, downs = _candidates(value, fields[pointer])
        found = []
        for points in (ups, downs):
            verdicts = [_verdict(next(results), setting) for _ in points]
            inside = value
            for point, verdict in zip(points, verdicts, strict=True):
                if verdict != now:
                    found.append((inside, point))  # the verdict holds at `inside`, has flipped at `point`
                    break
                inside = point
        brackets[pointer] = found

    flips = _narrow(base, brackets, fields, setting, now)
    entries = []
    for pointer in pointers:
        value = base[pointer]
        flip_value = _volume_flip(volume, now) if pointer == VOLUME and volume is not None else flips.get(pointer)
        flip = None
        if flip_value is not None:
            change = (flip_value - value) / abs(value) * 100 if value else None
            flip = Flip(flip_value, change, "fail" if now else "pass")
        low, high = tornado[pointer]
        field = fields[pointer]
        entries.append(
            InputSensitivity(
                pointer, value, flip, _tornado_value(value, field, -1), low, _tornado_value(value, field, 1), high
            )
        )
    return sorted(entries, key=lambda e: -e.swing)


def _tornado_value(value: float, field: _Field, direction: int) -> float:
    return field.clip(value * (1 + direction * TORNADO_PCT / 100))


def _base_totals(base: Mapping[str, float], setting: Setting) -> tuple[float, float]:
    finetune, prompting = totals(dict(base), setting)
    assert isinstance(finetune, float) and isinstance(prompting, float)
    return finetune, prompting


def _narrow(
    base: Mapping[str, float],
    brackets: Mapping[str, list[tuple[float, float]]],
    fields: Mapping[str, _Field],
    setting: Setting,
    now: bool,
) -> dict[str, float]:
    """Shrink every bracket until it is tight, all inputs' points in one model call a round.

    Returns the flipped end of the nearest bracket of each input.
    """
    open_: dict[tuple[str, int], tuple[float, float]] = {
        (p, i): bracket for p, found in brackets.items() for i, bracket in enumerate(found)
    }
    for _ in range(_MAX_ROUNDS):
        work = {
            key: (held, flipped)
            for key, (held, flipped) in open_.items()
            if not _tight(held, flipped, fields[key[0]], base[key[0]])
        }
        if not work:
            break
        rows: list[tuple[str, float]] = []
        plans: dict[tuple[str, int], list[float]] = {}
        for key, (held, flipped) in work.items():
            field = fields[key[0]]
            points = [held + (flipped - held) * k / _ROUNDS_SPLIT for k in range(1, _ROUNDS_SPLIT)]
            if field.integer:
                points = sorted({float(round(p)) for p in points} - {held, flipped}, key=lambda p: abs(p - held))
            plans[key] = points
            rows += [(key[0], p) for p in points]
        results = iter(_run(base, rows, setting))
        for key, points in plans.items():
            held, flipped = open_[key]
            verdicts = [_verdict(next(results), setting) for _ in points]
            for point, verdict in zip(points, verdicts, strict=True):
                if verdict != now:
                    flipped = point
                    break
                held = point
            open_[key] = (held, flipped)
    nearest: dict[str, float] = {}
    for (pointer, _), (_, flipped) in sorted(open_.items(), key=lambda kv: abs(kv[1][1] - base[kv[0][0]])):
        nearest.setdefault(pointer, flipped)
    return nearest


def _tight(held: float, flipped: float, field: _Field, value: float) -> bool:
    if field.integer:
        return abs(flipped - held) <= 1
    return abs(flipped - held) <= _PRECISION * max(abs(value), abs(held), 1e-12)


def _volume_flip(volume: BreakEvenVolume, now: bool) -> float | None:
    """The nearest whole volume with the other verdict, from the exact bands."""
    own = volume.requests_per_month
    edges: list[int] = []
    for band in volume.bands:
        if now:  # passing: the nearest volumes just outside the band that holds the proposal's own
            edges += [band.low - 1] if band.low > 1 else []
            edges += [band.high + 1] if band.high is not None else []
        else:
            edges += [band.low] + ([band.high] if band.high is not None else [])
    if now:
        edges = [e for e in edges if not any(b.low <= e and (b.high is None or e <= b.high) for b in volume.bands)]
    edges = [e for e in edges if 1 <= e <= volume.searched_to]
    if not edges:
        return None
    return float(min(edges, key=lambda e: (abs(Decimal(e) - own), e)))
