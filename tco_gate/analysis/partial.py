"""Pure: both totals with a single input moved and everything else held, recomputing only what reads it.

The sensitivity moves one input at a time, through tens of values each. Each total is a sum of parts
(`fastmodel.FINETUNE_PARTS`, `PROMPTING_PARTS`); a part that never reads the moving input keeps its
value at the point estimate, so a column of values only runs through the parts that read it (sized
serving's month-by-month loop runs once for every input that does not touch serving). Which part
reads which input is recorded by running each part on a point estimate (once per set of inputs a
proposal has), so it cannot drift from the formulas.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .fastmodel import (
    CAPACITY_PARTS,
    FINETUNE_PARTS,
    LOAD_INPUTS,
    PROMPTING_PARTS,
    Num,
    Part,
    Setting,
    gpu_load,
    gpu_steps,
    plus,
)

# Inputs whose total does not move one way: more committed GPUs cost more but burst less (and hold more), and
# more regions each round up with their own minimum and failover.
_BOTH_WAYS = frozenset({"/finetune/serving/committed/gpus", "/finetune/serving/regions"})


class _Reading(Mapping[str, Num]):
    """The inputs, noting every key a formula asks for (`get` and `in` go through `__getitem__`)."""

    def __init__(self, inputs: Mapping[str, Num]) -> None:
        self._inputs = inputs
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Num:
        self.read.add(key)
        return self._inputs[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._inputs)

    def __len__(self) -> int:
        return len(self._inputs)


@dataclass(frozen=True)
class _Held:
    part: Part
    value: float  # at the point estimate
    reads: frozenset[str]


# What a part reads depends on which inputs a proposal has, never on their values (the formulas branch
# on presence alone), so it is recorded once per part and set of inputs.
_READS: dict[tuple[Part, frozenset[str]], frozenset[str]] = {}
_READS_KEPT = 512


def _hold(parts: tuple[Part, ...], base: Mapping[str, float], setting: Setting) -> tuple[_Held, ...]:
    held = []
    inputs = frozenset(base)
    for part in parts:
        reads = _READS.get((part, inputs))
        if reads is None:
            reading = _Reading(base)
            value = part(reading, setting)
            if len(_READS) >= _READS_KEPT:
                _READS.clear()
            reads = _READS[part, inputs] = frozenset(reading.read)
        else:
            value = part(base, setting)
        assert isinstance(value, float)
        held.append(_Held(part, value, reads))
    return tuple(held)


class OneAtATime:
    """Both totals (and the committed fleet's slack) at the point estimate `base`, and with any one input moved
    through a column of values."""

    def __init__(self, base: Mapping[str, float], setting: Setting) -> None:
        self._base = dict(base)
        self._setting = setting
        self._finetune = _hold(FINETUNE_PARTS, base, setting)
        self._prompting = _hold(PROMPTING_PARTS, base, setting)
        self._capacity = _hold(CAPACITY_PARTS, base, setting)
        finetune, prompting = plus(*(h.value for h in self._finetune)), plus(*(h.value for h in self._prompting))
        assert isinstance(finetune, float) and isinstance(prompting, float)
        self.finetune, self.prompting = finetune, prompting
        self.slack = min(h.value for h in self._capacity)

    def reads(self, pointer: str) -> bool:
        """Whether either total, or the fleet's capacity, reads the input at all."""
        return any(pointer in h.reads for h in self._finetune + self._prompting + self._capacity)

    def monotone(self, pointer: str) -> bool:
        """Whether the margin test can change at most once as the input moves, all else held.

        So it is when one total alone reads the input: every part of the model rises or falls with each
        of its inputs (costs with amounts, hours, prices, tokens, growth; falls with throughputs,
        lifecycles, declines, discounts), the parts of one total that share an input move the same way
        (training_run_usd), and the margin test, (100 − margin)·P ≥ 100·F with P ≥ a cent, moves one
        way with each total when the margin is at most 100% and no later month counts more than an
        earlier one (no negative discount rate). The fleet's capacity is a third reader: an input it reads
        alone (peak_to_average under autoscaling) moves the verdict once too. Two inputs of a committed
        fleet move a total both ways (`_BOTH_WAYS`).
        """
        readers = [any(pointer in h.reads for h in held) for held in (self._finetune, self._prompting, self._capacity)]
        setting = self._setting
        return (
            sum(readers) == 1
            and pointer not in _BOTH_WAYS
            and setting.min_savings_pct <= 100
            and setting.log_discount <= 0
        )

    def totals(self, pointer: str, values: list[float]) -> tuple[list[float], list[float]]:
        """(fine-tuning, prompting) for each of `values` of the input at `pointer`, all else held."""
        moved: dict[str, Num] = {**self._base, pointer: values}
        size = len(values)

        def total(held: tuple[_Held, ...]) -> list[float]:
            summed = plus(*(h.part(moved, self._setting) if pointer in h.reads else h.value for h in held))
            return summed if isinstance(summed, list) else [summed] * size

        return total(self._finetune), total(self._prompting)

    def slacks(self, pointer: str, values: list[float]) -> list[float]:
        """The committed fleet's slack (`fastmodel.capacity_slack`) for each of `values`, all else held."""
        if not any(pointer in h.reads for h in self._capacity):
            return [self.slack] * len(values)
        moved: dict[str, Num] = {**self._base, pointer: values}
        (held,) = self._capacity
        found = held.part(moved, self._setting)
        return found if isinstance(found, list) else [found] * len(values)

    def gpu_steps(self, pointer: str, a: float, b: float, most: int) -> list[float] | None:
        """Values of the input strictly between `a` and `b` near which a month's GPU count steps, if it can say.

        Only for an input that reaches the GPU counts through the load alone: that load is proportional
        to the input or to its inverse (a throughput, the utilization), or affine in it (tokens beside a
        prefill), so each step's load maps back to a value both ways; a wrong guess is only a wasted
        point. Empty for any other input; None past `most` steps.
        """
        if pointer not in LOAD_INPUTS or "/finetune/serving/gpu_hourly_usd" not in self._base:
            return []
        load = gpu_load({**self._base, pointer: [a, b]})
        assert isinstance(load, list)
        at_a, at_b = load
        if at_a == at_b:
            return []
        steps = gpu_steps(self._base, self._setting, min(at_a, at_b), max(at_a, at_b), most)
        if steps is None:
            return None
        found = []
        for step in steps:
            share = (step - at_a) / (at_b - at_a)
            found.append(a + (b - a) * share)
            if a and b:
                found.append(1 / (1 / a + (1 / b - 1 / a) * share))
        return found
