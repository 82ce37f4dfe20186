"""Pure: warnings for a `*_pct` value that reads like a fraction (0.2 where 20 was meant).

Every percent key in a proposal or a policy takes 0..100 (or more), so a value strictly between 0 and 1
is almost always a fraction written by habit; it still costs as written, with a warning on its line.
Accuracies are fractions by definition and their keys do not end in `_pct`, so they are never flagged.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from decimal import Decimal

from pydantic import BaseModel

from .errors import Finding
from .loader import Document
from .models import Policy
from .units import written

COMMAND_LINE = "command line"


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
            message = f"`{name}`: {written(value)} means {written(value)}%; did you mean {meant}?"
            found.append(Finding("warning", message, where))
    return found


def _is_percent_key(name: str) -> bool:
    return name.endswith("_pct") or "_pct_" in name


def policy_warnings(
    policy: Policy, origins: Mapping[str, str], documents: Mapping[str, Document], flags: Collection[str]
) -> tuple[Finding, ...]:
    """The policy in force's fraction warnings, each where a reader finds it: in the file that wrote the
    value (`origins`: key -> file label, `exemptions/<key>` for an exemption), at its line in that file's
    document, or on the command line for a flag."""
    placed = []
    for warning in fraction_warnings(policy):
        key = warning.pointer.lstrip("/")
        if key in flags:
            flag = "--" + key.replace("_", "-")
            message = warning.message.replace(f"`{key}`", f"flag `{flag}`", 1)
            placed.append(replace(warning, message=message, pointer="").in_file(COMMAND_LINE))
            continue
        label = origins.get(key, "")
        document = documents.get(label)
        where = document.position(warning.pointer) if document is not None else None
        if where is not None:
            warning = warning.at(where.line, where.column)
        placed.append(warning.in_file(label))
    return tuple(placed)
