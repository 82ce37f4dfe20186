"""The loads at which a month's GPU count steps, found by thresholds."""

from __future__ import annotations

import math

import pytest

from tco_gate.analysis.gpu_months import gpu_months_column, steps_between


def test_steps_strictly_between_two_loads_up_to_the_most_asked() -> None:
    # One month at growth 1: the count steps at each whole load above the least fleet, 11 to 19 between 10 and 20.
    assert steps_between((1.0,), 1, 10.0, 20.0, 9) == [float(k) for k in range(11, 20)]
    assert steps_between((1.0,), 1, 10.0, 20.0, 8) is None
    # Months that grow step at k / growth; the same load met twice is one step.
    assert steps_between((1.0, 2.0), 1, 10.0, 12.0, 9) == [10.5, 11.0, 11.5]
    # Below the least fleet the count does not step.
    assert steps_between((1.0,), 15, 10.0, 20.0, 9) == [15.0, 16.0, 17.0, 18.0, 19.0]


def _direct(
    scaled: list[float], grown: tuple[float, ...], discount: tuple[float, ...], least: int, spare: int
) -> list[float]:
    """Σ_m d_m (max(least, ceil(y·c_m)) + spare), month by month: the sum every path must equal."""
    return [
        sum(d * (max(least, math.ceil(y * c)) + spare) for c, d in zip(grown, discount, strict=True)) for y in scaled
    ]


@pytest.mark.parametrize(
    ("scaled", "months", "least"),
    [
        ([0.5, 3.2, 7.9], 24, 1),  # a few values, the table of thresholds up to 8
        ([2.0e6, 3.5e6], 24, 2),  # a few values far up, each summed on its own
        ([float(v) for v in range(1, 60)] + [5.0e4], 12, 1),  # far up, with too few draws a threshold: by month
        ([v / 10 for v in range(2000)], 24, 1),  # 2,000 draws up to 199.9: too many thresholds to keep, sorted once
    ],
)
def test_every_path_sums_the_same_discounted_gpu_months(scaled: list[float], months: int, least: int) -> None:
    grown = tuple(1.03**m for m in range(months))
    discount = tuple(0.99**m for m in range(months))
    found = gpu_months_column(scaled, grown, discount, least, 1)
    assert found == pytest.approx(_direct(scaled, grown, discount, least, 1), rel=1e-12)
