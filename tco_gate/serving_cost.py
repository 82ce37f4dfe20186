"""Pure: sized serving's monthly amounts from its fleet: GPUs rented on demand, and the committed fleet, either
reserved (one price a GPU a month) or owned (straight-line depreciation, power at the data centre's PUE,
licences).

Each amount is exact and undiscounted; the ledger discounts the lines and tags them hidden cost 3. A committed
fleet is paid in full every month, busy or not; only GPUs the billed fleet needs beyond it are rented.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .line_items import LineItemId
from .serving_model import Committed, Serving
from .sizing import Fleet
from .units import HOURS_PER_MONTH

_ZERO = Decimal(0)
_WATTS_PER_KW = Decimal(1000)


@dataclass(frozen=True)
class ServingLine:
    """One line of sized serving: its id, its words and its amount each month."""

    id: LineItemId
    label: str
    amounts: list[Decimal]


def sized_serving_lines(serving: Serving, fleet: Fleet) -> list[ServingLine]:
    """The on-demand line (always: the whole billed fleet, or the burst beyond a committed one), then the
    committed fleet's lines."""
    months = len(fleet.billed)
    hourly = serving.gpu_hourly_usd or _ZERO
    rented = [count * hourly * HOURS_PER_MONTH for count in fleet.on_demand]
    committed = serving.committed
    if committed is None:
        how = "autoscaled; incl. failover" if serving.autoscaling else "incl. failover"
        return [ServingLine(LineItemId.SERVING, f"GPU serving, sized from the workload ({how})", rented)]
    label = (
        "burst GPUs beyond the committed fleet, on demand"
        if serving.burst
        else "no GPUs beyond the committed fleet (no on-demand price)"
    )
    return [ServingLine(LineItemId.SERVING, label, rented), *committed_lines(committed, months)]


def committed_lines(committed: Committed, months: int) -> list[ServingLine]:
    """A reserved fleet's one line, or an owned fleet's depreciation, power and licences."""
    gpus = committed.gpus
    if committed.monthly_usd_per_gpu is not None:
        return [
            ServingLine(
                LineItemId.COMMITTED, "reserved GPUs, paid every month", [gpus * committed.monthly_usd_per_gpu] * months
            )
        ]
    assert committed.purchase_usd_per_gpu is not None and committed.depreciation_months is not None
    written_off = gpus * committed.purchase_usd_per_gpu / committed.depreciation_months
    depreciation = [written_off if month <= committed.depreciation_months else _ZERO for month in range(1, months + 1)]
    return [
        ServingLine(LineItemId.DEPRECIATION, "owned GPUs: purchase written off straight-line", depreciation),
        ServingLine(
            LineItemId.POWER,
            "owned GPUs: power, with the data centre's PUE",
            [gpus * power_usd_per_gpu(committed)] * months,
        ),
        ServingLine(
            LineItemId.LICENCES,
            "owned GPUs: software licences",
            [gpus * committed.monthly_licence_usd_per_gpu] * months,
        ),
    ]


def power_usd_per_gpu(committed: Committed) -> Decimal:
    """One owned GPU's power a month: watts / 1000 × 730 h × PUE × USD per kWh."""
    assert committed.watts_per_gpu is not None and committed.pue is not None and committed.usd_per_kwh is not None
    return committed.watts_per_gpu / _WATTS_PER_KW * HOURS_PER_MONTH * committed.pue * committed.usd_per_kwh
