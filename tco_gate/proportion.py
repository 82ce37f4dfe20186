"""Pure: warnings for figures the proposal may write but a reviewer should look at twice.

Each is inside what its field accepts, and each can decide a verdict on its own: a growth that compounds to
more than a hundred times the first month's volume over the horizon, and a range whose `high` is more than a
thousand times its `likely` (the Monte Carlo would then be judging a typo's tail).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .analysis.ranges import Range
from .errors import Finding
from .growth import decimal_factor
from .models import Policy, Proposal
from .units import written

GROWTH_FACTOR_LIMIT = 100
"""The most the monthly growth may multiply the first month's volume by over the horizon without a warning."""
RANGE_SPREAD_LIMIT = 1000
"""The most a range's `high` may be, in multiples of its `likely`, without a warning."""


def growth_warnings(proposal: Proposal, policy: Policy) -> list[Finding]:
    """A warning when the monthly growth multiplies the volume more than 100-fold by the horizon's last month."""
    growth = proposal.workload.monthly_growth_pct
    months = policy.horizon_months
    factor = decimal_factor(growth) ** (months - 1)
    if factor <= GROWTH_FACTOR_LIMIT:
        return []
    message = (
        f"`monthly_growth_pct`: {written(growth)}% a month compounds to {_times(factor)} the first month's volume "
        f"by month {months} of the horizon; make sure the workload can grow that much"
    )
    return [Finding("warning", message, "/workload/monthly_growth_pct")]


def spread_warnings(ranges: Mapping[str, Range]) -> list[Finding]:
    """A warning on the `high` of each range more than 1,000 times its `likely`."""
    found = []
    for pointer, estimate in sorted(ranges.items()):
        if estimate.likely > 0 and estimate.high > estimate.likely * RANGE_SPREAD_LIMIT:
            name = pointer.rpartition("/")[2]
            message = (
                f"`{name}`: the range's `high` ({written(estimate.high)}) is "
                f"{_times(estimate.high / estimate.likely)} its `likely` ({written(estimate.likely)}); a tail that "
                "long decides the spread of the totals: make sure it is not a typo"
            )
            found.append(Finding("warning", message, f"{pointer}/high"))
    return found


def _times(factor: Decimal) -> str:
    """`1,234×` for a factor above 100, or `1.23e9×` past a million."""
    if factor >= 10**6:
        mantissa, exponent = f"{factor:.2e}".split("e")
        return f"{mantissa}e{int(exponent)}×"
    return f"{factor:,.0f}×"
