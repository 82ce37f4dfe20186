"""Pure: warnings for a `*_pct` value that reads like a fraction (0.2 where 20 was meant).

Every percent key in a proposal or a policy takes 0..100 (or more), so a value strictly between 0 and 1
is almost always a fraction written by habit; it still costs as written, with a warning on its line.
Accuracies are fractions by definition and their keys do not end in `_pct`, so they are never flagged.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from .errors import Finding


def fraction_warnings(model: BaseModel, pointer: str = "") -> list[Finding]:
    """A warning for each written `*_pct` value strictly between 0 and 1, in the model's field order."""
    found: list[Finding] = []
    for name in type(model).model_fields:
        if name not in model.model_fields_set:
            continue  # defaults are never fractions; only what a person wrote is worth a warning
        value = getattr(model, name)
        where = f"{pointer}/{name}"
        if isinstance(value, BaseModel):
            found += fraction_warnings(value, where)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found += fraction_warnings(item, f"{where}/{index}")
        elif _is_percent_key(name) and isinstance(value, Decimal) and 0 < value < 1:
            meant = f"{(value * 100).normalize():f}"
            message = f"`{name}` is {value}: {value} means {value}%; did you mean {meant}?"
            found.append(Finding("warning", message, where))
    return found


def _is_percent_key(name: str) -> bool:
    return name.endswith("_pct") or "_pct_" in name
