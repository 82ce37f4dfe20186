"""The report's decision analysis of one proposal, as pydantic models: the break-even volume, the sensitivity of
each input (its tornado bar and nearest flip) and the uncertainty of the totals drawn from ranges.
"""

# No `from __future__ import annotations`: pydantic builds these models at import (see report/model.py).

from typing import Literal

from pydantic import Field

from .model_out import Out as _Out


class BandOut(_Out):
    low: int = Field(description="The lowest monthly volume of the band.")
    high: int | None = Field(description="The highest; null: every volume above `low` the search reached.")


class BreakEvenVolumeOut(_Out):
    requests_per_month: float = Field(description="The proposal's own monthly volume, for comparison.")
    bands: list[BandOut] = Field(
        description="Whole monthly volumes at which fine-tuning beats prompting by the margin, all else held "
        "(at most 20, those nearest the proposal's own, in order). GPU steps can split them into bands."
    )
    bands_total: int = Field(description="How many bands there are in all.")
    complete: bool = Field(
        description="False when there were too many GPU steps to walk: `bands` then lists those found."
    )
    searched_to: int = Field(description="The largest volume searched (10^12, or less where a total passes $10^12).")
    capacity: int | None = Field(
        default=None,
        description="With a committed fleet and no on-demand price: the most month-1 volume it serves through the "
        "horizon; no band goes past it. Null otherwise.",
    )


class TornadoOut(_Out):
    input_value: float
    finetune_total_usd: float
    prompting_total_usd: float


class FlipOut(_Out):
    value: float = Field(description="The input's value nearest the proposal's own at which the verdict changes.")
    change_pct: float | None = Field(description="That change relative to the proposal's value; null when it is 0.")
    verdict: Literal["pass", "fail"] = Field(description="What the margin verdict becomes there.")


class SensitivityOut(_Out):
    input: str = Field(description="JSON pointer of the input in the proposal (prices: the key that would set them).")
    value: float
    flip: FlipOut | None = Field(description="null: no value the field accepts flips the verdict, all else held.")
    low: TornadoOut = Field(description="Both totals with the input 20% lower (within what the field accepts).")
    high: TornadoOut = Field(description="Both totals with the input 20% higher.")
    swing_usd: float = Field(description="How far the gap between the totals moves from `low` to `high`.")


class PercentilesOut(_Out):
    p10: float
    p50: float
    p90: float


class RangeOut(_Out):
    input: str
    low: float
    likely: float
    high: float


class UncertaintyOut(_Out):
    method: Literal["pert"] = Field(description="Each range drawn from PERT(low, likely, high), independently.")
    draws: int
    seed: int
    inputs: list[RangeOut]
    finetune_total_usd: PercentilesOut
    prompting_total_usd: PercentilesOut
    probability_pass: float = Field(ge=0, le=1, description="Share of draws in which fine-tuning saves the margin.")
    min_confidence_pct: float | None = Field(description="The policy's required share, in percent, if it sets one.")
    decided_by: Literal["probability", "point_estimate"] = Field(
        description="What the margin verdict judged: the draws (the policy sets `min_confidence_pct`) or the point."
    )
