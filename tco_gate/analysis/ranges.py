"""Pure: `{low: , likely: , high: }` where a number goes, read out of a loaded proposal.

The pass runs between the loader and validation: each range mapping is replaced by its `likely`
value and recorded by pointer, so validation, the models and the exact ledger see a plain proposal
(the point estimate) and never know ranges exist. The parts of a range are checked here, each with
its own line and column: all three present, numbers, low <= likely <= high, and low and high inside
what the field accepts (the bounds are read from the proposal's JSON Schema, so they are the models').
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import Finding, InputError
from ..loader import Document, escape_pointer_token
from ..schema_files import SCHEMA_FILES, published_schema
from ..units import written

PARTS = ("low", "likely", "high")
_ANNOTATIONS = ("description", "default", "title")


@dataclass(frozen=True)
class Range:
    """Three estimates of one input: the least it could be, the most likely, the most."""

    low: Decimal
    likely: Decimal
    high: Decimal


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"the text `{value}`"
    if isinstance(value, bool) or value is None:
        return f"`{str(value).lower() if value is not None else 'null'}`"
    return "a list" if isinstance(value, list) else "a mapping"


def _looks_like_range(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(PARTS)


def extract_ranges(document: Document) -> tuple[Document, dict[str, Range]]:
    """The document with every range replaced by its `likely` value, and the ranges by pointer.

    Raises InputError with a finding per broken range part, each at its line and column.
    """
    ranges: dict[str, Range] = {}
    findings: list[Finding] = []
    data = copy.deepcopy(document.data)

    def visit(node: Any, pointer: str) -> None:
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(children):
            here = f"{pointer}/{escape_pointer_token(str(key))}"
            if pointer and _looks_like_range(value):  # a top-level key is never a number
                found = _read_range(document, here, value, findings)
                if found is not None:
                    ranges[here] = found
                    node[key] = value["likely"]  # as loaded: an integer field still gets an int
            else:
                visit(value, here)

    visit(data, "")
    if findings:
        raise InputError(findings)
    return Document(data, document.values, document.keys), ranges


def _at(document: Document, pointer: str, message: str, *, at_key: bool = False) -> Finding:
    where = document.position(pointer, prefer_key=at_key)
    return Finding("error", message, pointer, where.line if where else None, where.column if where else None)


def _read_range(document: Document, pointer: str, value: dict[str, Any], findings: list[Finding]) -> Range | None:
    name = pointer.rpartition("/")[2]
    missing = [part for part in PARTS if part not in value]
    if missing:
        listed = " and ".join(f"`{part}`" for part in missing)
        findings.append(_at(document, pointer, f"`{name}`: a range needs `low`, `likely` and `high`; {listed} missing"))
        return None
    broken = False
    for part in PARTS:
        if not _is_number(value[part]):
            findings.append(
                _at(
                    document,
                    f"{pointer}/{part}",
                    f"`{name}`: the range's `{part}` must be a number, not {_describe(value[part])}",
                )
            )
            broken = True
    if broken:
        return None
    low, likely, high = (Decimal(value[part]) for part in PARTS)
    if not low <= likely <= high:
        part, other = ("low", "likely") if low > likely else ("high", "likely")  # else likely > high
        findings.append(
            _at(
                document,
                f"{pointer}/{part}",
                f"`{name}`: the range's `{part}` ({written(value[part])}) is on the wrong side of `{other}` "
                f"({written(value[other])}); a range reads low <= likely <= high",
            )
        )
        return None
    field = field_schema(pointer)
    if field is None:
        return Range(low, likely, high)  # not a number field: validation names the problem at the pointer
    for part, number in (("low", low), ("high", high)):
        problem = bound_problem(field, number)
        if problem:
            findings.append(
                _at(document, f"{pointer}/{part}", f"`{name}`: the range's `{part}` ({written(number)}) {problem}")
            )
    return Range(low, likely, high)


def bound_problem(field: dict[str, Any], number: Decimal) -> str | None:
    """Why `number` does not fit a numeric field's schema, in words; None when it fits."""
    if field.get("type") == "integer" and number != number.to_integral_value():
        return "must be a whole number"
    words = {"minimum": "at least", "exclusiveMinimum": "above", "maximum": "at most", "exclusiveMaximum": "below"}
    for key, word in words.items():
        if key not in field:
            continue
        bound = Decimal(str(field[key]))
        holds = {
            "minimum": number >= bound,
            "exclusiveMinimum": number > bound,
            "maximum": number <= bound,
            "exclusiveMaximum": number < bound,
        }[key]
        if not holds:
            return f"must be {word} {field[key]}"
    return None


def _proposal_schema() -> dict[str, Any]:
    # The published schema, read rather than generated on every costed check. Its numbers also take a range,
    # an `anyOf` that field_schema looks through to the plain number with the same bounds.
    return published_schema(SCHEMA_FILES["proposal"])


def field_schema(pointer: str) -> dict[str, Any] | None:
    """The schema of the numeric proposal field at `pointer`, or None when there is no such number field."""
    root = _proposal_schema()
    definitions = root["$defs"]  # our own published schema: its models are always there

    def resolve(node: dict[str, Any]) -> list[dict[str, Any]]:
        if "$ref" in node:
            return resolve(definitions[node["$ref"].rpartition("/")[2]])
        if "anyOf" in node:
            return [branch for option in node["anyOf"] for branch in resolve(option)]
        return [node]

    nodes = resolve(root)
    for token in pointer.strip("/").split("/"):
        nodes = [
            branch
            for node in nodes
            if token in node.get("properties", {})
            for branch in resolve(node["properties"][token])
        ]
    numeric = [node for node in nodes if node.get("type") in ("number", "integer")]
    return numeric[0] if numeric else None


def with_ranges(schema: dict[str, Any]) -> dict[str, Any]:
    """A proposal schema where every number may also be written as a range of three such numbers.

    For editors: validation itself runs on the point estimate, with the plain schema.
    """

    def widen(node: Any) -> Any:
        if isinstance(node, list):
            return [widen(item) for item in node]
        if not isinstance(node, dict):
            return node
        if node.get("type") in ("number", "integer") and "const" not in node and "enum" not in node:
            bare = {key: value for key, value in node.items() if key not in _ANNOTATIONS}
            annotations = {key: value for key, value in node.items() if key in _ANNOTATIONS}
            return {
                **annotations,
                "anyOf": [
                    bare,
                    {
                        "type": "object",
                        "description": "An uncertain value: the least it could be, the most likely, the most. "
                        "The point estimate uses `likely`; Monte Carlo draws from a PERT distribution.",
                        "properties": dict.fromkeys(PARTS, bare),
                        "required": list(PARTS),
                        "additionalProperties": False,
                    },
                ],
            }
        return {key: widen(value) for key, value in node.items()}

    widened: dict[str, Any] = widen(schema)
    return widened
