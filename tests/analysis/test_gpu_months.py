"""The loads at which a month's GPU count steps, found by thresholds."""

from __future__ import annotations

from tco_gate.analysis.gpu_months import steps_between


def test_steps_strictly_between_two_loads_up_to_the_most_asked() -> None:
    # One month at growth 1: the count steps at each whole load above the least fleet, 11 to 19 between 10 and 20.
    assert steps_between((1.0,), 1, 10.0, 20.0, 9) == [float(k) for k in range(11, 20)]
    assert steps_between((1.0,), 1, 10.0, 20.0, 8) is None
    # Months that grow step at k / growth; the same load met twice is one step.
    assert steps_between((1.0, 2.0), 1, 10.0, 12.0, 9) == [10.5, 11.0, 11.5]
    # Below the least fleet the count does not step.
    assert steps_between((1.0,), 15, 10.0, 20.0, 9) == [15.0, 16.0, 17.0, 18.0, 19.0]
