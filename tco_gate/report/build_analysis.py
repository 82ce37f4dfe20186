"""A Result's decision analysis -> its parts of the report model, rounded the report's way.

Money is rounded half-up to cents and percentages to two decimals, from the shortest decimal that
reads back as the float, so the same figures give the same bytes on every machine.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..units import round_cents, round_pct
from .model_analysis import (
    BandOut,
    BreakEvenVolumeOut,
    FlipOut,
    PercentilesOut,
    RangeOut,
    SensitivityOut,
    TornadoOut,
    UncertaintyOut,
)

if TYPE_CHECKING:
    from ..analysis.analyze import Analysis
    from ..analysis.breakeven import BreakEvenVolume
    from ..analysis.sensitivity import InputSensitivity, Totals
    from ..analysis.uncertainty import Percentiles
    from ..models import Policy

BANDS_SHOWN = 20


def _cents(amount: float) -> float:
    return float(round_cents(Decimal(repr(amount))))


def _figure(value: float) -> float:
    """An input's value as a person reads it: whole numbers whole, others to six significant digits."""
    return float(round(value)) if value == round(value) else float(f"{value:.6g}")


def break_even(volume: BreakEvenVolume) -> BreakEvenVolumeOut:
    own = volume.requests_per_month

    def distance(low: int, high: int | None) -> Decimal:
        if own < low:
            return low - own
        return Decimal(0) if high is None or own <= high else own - high

    nearest = sorted(volume.bands, key=lambda b: (distance(b.low, b.high), b.low))[:BANDS_SHOWN]
    return BreakEvenVolumeOut(
        requests_per_month=float(own),
        bands=[BandOut(low=b.low, high=b.high) for b in sorted(nearest, key=lambda b: b.low)],
        bands_total=len(volume.bands),
        complete=volume.complete,
        searched_to=volume.searched_to,
        capacity=volume.capacity,
    )


def _tornado(value: float, totals: Totals) -> TornadoOut:
    return TornadoOut(
        input_value=_figure(value),
        finetune_total_usd=_cents(totals.finetune),
        prompting_total_usd=_cents(totals.prompting),
    )


def sensitivity(entry: InputSensitivity, low_value: float, high_value: float) -> SensitivityOut:
    flip = entry.flip
    return SensitivityOut(
        input=entry.pointer,
        value=_figure(entry.value),
        flip=None
        if flip is None
        else FlipOut(
            value=_figure(flip.value),
            change_pct=None if flip.change_pct is None else float(round_pct(Decimal(repr(flip.change_pct)))),
            verdict=flip.to,
        ),
        low=_tornado(low_value, entry.low),
        high=_tornado(high_value, entry.high),
        swing_usd=_cents(entry.swing),
    )


def _percentiles(p: Percentiles) -> PercentilesOut:
    return PercentilesOut(p10=_cents(p.p10), p50=_cents(p.p50), p90=_cents(p.p90))


def result_fields(analysis: Analysis, policy: Policy) -> dict[str, Any]:
    """The analysis keys of one result."""
    drawn = analysis.uncertainty
    uncertainty = None
    if drawn is not None:
        confidence = policy.min_confidence_pct
        uncertainty = UncertaintyOut(
            method="pert",
            draws=drawn.draws,
            seed=drawn.seed,
            inputs=[
                RangeOut(input=pointer, low=float(r.low), likely=float(r.likely), high=float(r.high))
                for pointer, r in sorted(analysis.ranges.items())
            ],
            finetune_total_usd=_percentiles(drawn.finetune),
            prompting_total_usd=_percentiles(drawn.prompting),
            probability_pass=float(Decimal(drawn.passed) / drawn.draws),
            min_confidence_pct=None if confidence is None else float(confidence),
            decided_by="point_estimate" if confidence is None else "probability",
        )
    return {
        "break_even_requests_per_month": analysis.break_even.volume,
        "break_even_volume": break_even(analysis.break_even),
        "sensitivity": [sensitivity(e, e.low_value, e.high_value) for e in analysis.sensitivity],
        "uncertainty": uncertainty,
    }
