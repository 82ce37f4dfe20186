"""When the genai-prices catalog says a model's price was in force: its dated constraints and dated aliases.

The catalog keeps one undated price per model and, for some, prices that start on a date; only those date a
price. Read from the catalog's own model objects, so nothing here loads the catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any


@dataclass(frozen=True)
class Dating:
    """What the catalog can say about the date of the price it gives for a model on a day."""

    since: date | None
    """The dated start of the price in force, on or before the day; None when the price it gives is undated."""
    next_change: date | None
    """The first dated price after the day, when the price given is the undated one before it."""


def price_dating(model: Any, on: date) -> Dating:
    """Whether the catalog vouches for a model's price on `on`, read as genai-prices resolves it.

    A model has one price, or a list of prices each with a constraint; the last one whose constraint holds wins,
    and exactly one has none (the catalog's undated price). Only a start-date constraint dates a price: an undated
    price, or one chosen by the time of day, says nothing about when it was in force.
    """
    if not isinstance(model.prices, list):
        return Dating(None, None)
    starts = sorted(start for c in model.prices if (start := getattr(c.constraint, "start_date", None)) is not None)
    when = datetime(on.year, on.month, on.day, tzinfo=UTC)
    for conditional in reversed(model.prices):
        if conditional.constraint is None or conditional.constraint.active(when):
            start = getattr(conditional.constraint, "start_date", None)
            if isinstance(start, date):
                return Dating(start, None)
            break
    return Dating(None, next((start for start in starts if start > on), None))


_DATED = re.compile(r"(?<!\d)(20\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")


def first_dated_version(model: Any) -> date | None:
    """The earliest date in the model's dated aliases (`gpt-4.1-mini-2025-04-14`): the catalog keeps no
    release dates, but providers stamp a version with the day it shipped."""
    found = []
    for year, month, day in _DATED.findall(str(model.match)):
        try:
            found.append(date(int(year), int(month), int(day)))
        except ValueError:  # 2025-02-30 in a name is not a date
            continue
    return min(found, default=None)
