"""The part of JSON Schema that tco-gate's own schemas use, checked without jsonschema, in one direction only.

`surely_valid` answers True only where jsonschema (Draft 2020-12 with its format checker) finds no error at
all; anything it does not model exactly (a keyword, a format, a value's type, a `$ref` it cannot follow) is
"cannot tell" (False), and the caller asks jsonschema. So a valid file never pays for importing jsonschema,
which is most of a run's start-up, and an invalid one gets jsonschema's findings exactly as before: this
check can make a run faster, never a verdict different. tests/test_schema_subset.py holds it to that on
every proposal and policy the tests know.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

Schema = dict[str, Any]

# Keywords that say nothing about validity (`$defs` is read through `$ref`).
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"})
# The value types the loader produces; anything else is left to jsonschema.
_KNOWN = (dict, list, str, bool, int, Decimal, type(None))
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # jsonschema's own test for `format: date`, then fromisoformat


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "number": _is_number,
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


def surely_valid(instance: Any, schema: Schema) -> bool:
    """True only when `instance` is valid against `schema` (the root, holding any `$defs`) as jsonschema
    judges it; False when it is invalid or when this check cannot tell."""
    try:
        return _valid(instance, schema, schema)
    except Exception:  # an exotic value this check does not model (a NaN compared): cannot tell
        return False


def _valid(instance: Any, schema: Schema, root: Schema) -> bool:
    if not isinstance(instance, _KNOWN):
        return False
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        check = _KEYWORDS.get(keyword)
        if check is None or not check(value, instance, schema, root):
            return False
    return True


def _type(expected: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    names = expected if isinstance(expected, list) else [expected]
    return any(name in _TYPES and _TYPES[name](instance) for name in names)


def _properties(properties: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    if not isinstance(instance, dict):
        return True
    return all(_valid(instance[key], sub, root) for key, sub in properties.items() if key in instance)


def _required(keys: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    return not isinstance(instance, dict) or all(key in instance for key in keys)


def _additional_properties(allowed: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    if not isinstance(instance, dict):
        return True
    extras = [key for key in instance if key not in schema.get("properties", {})]
    if allowed is True or not extras:
        return True
    if isinstance(allowed, dict):
        return all(_valid(instance[key], allowed, root) for key in extras)
    return False


def _items(items: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    if not isinstance(instance, list):
        return True
    return isinstance(items, dict) and all(_valid(item, items, root) for item in instance)


def _any_of(options: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    return any(_valid(instance, option, root) for option in options)


def _ref(reference: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    prefix = "#/$defs/"
    if not isinstance(reference, str) or not reference.startswith(prefix):
        return False
    target = root.get("$defs", {}).get(reference.removeprefix(prefix))
    return isinstance(target, dict) and _valid(instance, target, root)


def _same(instance: Any, value: Any) -> bool:
    # Stricter than jsonschema's equality (which takes 1 == 1.0): the same type and value, or cannot tell.
    return type(instance) is type(value) and isinstance(value, (str, int, type(None))) and instance == value


def _const(value: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    return _same(instance, value)


def _enum(values: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    return any(_same(instance, value) for value in values)


def _min_length(limit: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    return not isinstance(instance, str) or len(instance) >= limit


def _max_length(limit: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    return not isinstance(instance, str) or len(instance) <= limit


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _pattern(pattern: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    return not isinstance(instance, str) or _compiled(pattern).search(instance) is not None


def _format(name: Any, instance: Any, schema: Schema, root: Schema) -> bool:
    if name != "date":
        return False
    if not isinstance(instance, str):
        return True  # as jsonschema: a format says nothing about other types
    if not _DATE.fullmatch(instance):
        return False
    try:
        date.fromisoformat(instance)
    except ValueError:
        return False
    return True


def _bound(holds: Callable[[Any, Any], bool]) -> Callable[[Any, Any, Schema, Schema], bool]:
    def check(limit: Any, instance: Any, schema: Schema, root: Schema) -> bool:
        return not _is_number(instance) or ((_is_number(limit) or isinstance(limit, float)) and holds(instance, limit))

    return check


_KEYWORDS: dict[str, Callable[[Any, Any, Schema, Schema], bool]] = {
    "type": _type,
    "properties": _properties,
    "required": _required,
    "additionalProperties": _additional_properties,
    "items": _items,
    "anyOf": _any_of,
    "$ref": _ref,
    "const": _const,
    "enum": _enum,
    "minLength": _min_length,
    "maxLength": _max_length,
    "pattern": _pattern,
    "format": _format,
    "minimum": _bound(lambda value, limit: value >= limit),
    "maximum": _bound(lambda value, limit: value <= limit),
    "exclusiveMinimum": _bound(lambda value, limit: value > limit),
    "exclusiveMaximum": _bound(lambda value, limit: value < limit),
}
