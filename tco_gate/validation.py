"""Plain data -> a Proposal or Policy, or every problem as a Finding with its line and column.

First the JSON Schema (the same one editors use, so a file that an editor accepts is not refused for a
structural reason here), then pydantic for what a schema cannot say (cross-field rules, real dates).
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as ModelError

from .errors import Finding, InputError
from .loader import Document, escape_pointer_token, number_without_underscores, resolve_plain_scalar
from .models import EVIDENCE_KINDS, NAME_PATTERN, Policy, Proposal
from .schema_files import SCHEMA_FILES, published_schema
from .schema_json import json_schema
from .schema_subset import surely_valid
from .units import written

if TYPE_CHECKING:  # jsonschema is imported only to explain a file that is not surely valid
    import jsonschema
    from jsonschema.exceptions import ValidationError as SchemaError

ModelT = TypeVar("ModelT", bound=BaseModel)

_POLICY_ONLY_KEYS = frozenset(Policy.model_fields) - frozenset(Proposal.model_fields)
_KIND_CLASHES = ("type", "const")
# The published schema each validated model answers to.
_FILES: dict[type[BaseModel], str] = {Proposal: SCHEMA_FILES["proposal"], Policy: SCHEMA_FILES["policy"]}


@cache
def _validator(model: type[BaseModel]) -> jsonschema.protocols.Validator:
    import jsonschema
    from referencing import Registry

    # One validator per model, reused; an empty registry means a `$ref` can never reach the network.
    schema = json_schema(model, _FILES[model])
    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class(schema, registry=Registry(), format_checker=validator_class.FORMAT_CHECKER)


def validate(document: Document, model: type[ModelT]) -> ModelT:
    """The validated model, or InputError with every finding (schema first, then the model's own rules)."""
    if not isinstance(document.data, dict):
        message = f"the top level must be a mapping of keys (`version: 1`, `name: ...`), not {_describe(document.data)}"
        raise InputError([_finding(document, "", message)])
    # Most files are valid: those skip jsonschema (and its import) when the subset check is sure of them.
    surely = surely_valid(document.data, published_schema(_FILES[model]))
    schema_errors = [] if surely else list(_validator(model).iter_errors(document.data))
    if schema_errors:
        findings = [f for error in schema_errors for f in _schema_findings(document, error, model)]
        # In file order, like a compiler; `const` and `type` can word one problem alike, so drop repeats.
        raise InputError(sorted(dict.fromkeys(findings), key=lambda f: (f.line or 0, f.column or 0)))
    try:
        return model.model_validate(document.data)
    except ModelError as exc:
        raise InputError([_model_finding(document, error) for error in exc.errors()]) from None


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{escape_pointer_token(str(part))}" for part in path)


def _finding(document: Document, pointer: str, message: str, *, at_key: bool = False) -> Finding:
    where = document.position(pointer, prefer_key=at_key)
    return Finding("error", message, pointer, where.line if where else None, where.column if where else None)


def _describe(value: Any) -> str:
    """How a value reads to a person: `yes` is text, `[1]` is a list."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (true/false)"
    if isinstance(value, (int, Decimal)):
        return f"the number {written(value)}"
    if isinstance(value, str):
        return f"the text `{value}`"
    return "a list" if isinstance(value, list) else "a mapping"


def _field_name(pointer: str) -> str:
    """The key a value sits under; a list item by its list, as `waivers[0]`."""
    last = pointer.rpartition("/")[2]
    return _dotted(pointer) if last.isdigit() else last or "the file"


def _dotted(pointer: str) -> str:
    """`/finetune/serving` as a person writes it: `finetune.serving`; list items as `waivers[0]`."""
    dotted = ""
    for token in pointer.split("/")[1:]:
        dotted += f"[{token}]" if token.isdigit() else f".{token}"
    return dotted.lstrip(".")


def _schema_findings(document: Document, error: SchemaError, model: type[BaseModel]) -> list[Finding]:
    kind = error.validator
    if kind == "anyOf":  # pydantic writes a union as anyOf (never oneOf); a failed one holds each branch's errors
        # `Usd | None` fails both branches; the deepest error that is not a bare clash of kinds says most.
        # `const` counts as one: 0 fails `Literal[False] | PositiveNumber` for being a number, not for being 0.
        best = max(error.context, key=lambda sub: (len(sub.absolute_path), sub.validator not in _KIND_CLASHES))
        if len(best.absolute_path) > len(error.absolute_path) or best.validator not in _KIND_CLASHES:
            return _schema_findings(document, best, model)
    pointer = _pointer(error.absolute_path)
    if kind == "additionalProperties":
        assert isinstance(error.schema, dict) and isinstance(error.instance, dict)
        allowed = sorted(error.schema.get("properties", {}))
        extras = sorted(set(error.instance) - set(allowed))
        return [
            _finding(
                document,
                f"{pointer}/{escape_pointer_token(key)}",
                _unknown_key_message(key, allowed, at_top=not pointer, model=model, here=_dotted(pointer)),
                at_key=True,
            )
            for key in extras
        ]
    if kind == "required":
        # One error per missing key, each with the whole `required` list: name every missing one here;
        # validate() drops the repeats the other errors produce.
        assert isinstance(error.instance, dict) and isinstance(error.validator_value, list)
        where = f"under `{_dotted(pointer)}`" if pointer else "at the top level"
        return [
            _finding(document, pointer, f"missing required key `{missing}` {where}", at_key=True)
            for missing in error.validator_value
            if missing not in error.instance
        ]
    return [_finding(document, pointer, f"`{_field_name(pointer)}`: {_value_message(error)}")]


def _unknown_key_message(key: str, allowed: list[str], *, at_top: bool, model: type[BaseModel], here: str) -> str:
    if model is Proposal and at_top and key in _POLICY_ONLY_KEYS:
        return (
            f"`{key}` is a policy setting: it belongs to the reviewers' `.tco-gate.yml`, "
            "and a proposal cannot set or loosen it"
        )
    homes = [home for home in _homes(model).get(key, []) if home != here]
    if homes:
        where = " or ".join(f"`{home}`" if home else "the top level" for home in homes)
        return f"unknown key `{key}` here: it belongs under {where}"
    from difflib import get_close_matches  # here: only a file with an unknown key needs it

    close = get_close_matches(key, allowed, cutoff=0.6)  # best first
    hint = f"; did you mean `{close[0]}`?" if close else f"; allowed here: {', '.join(allowed)}"
    return f"unknown key `{key}`{hint}"


@functools.cache
def _homes(model: type[BaseModel]) -> dict[str, list[str]]:
    """Each key the model knows -> every section it belongs in (dotted; "" for the top level)."""
    homes: dict[str, list[str]] = {}

    def walk(section: type[BaseModel], where: str) -> None:
        for name, field in section.model_fields.items():
            homes.setdefault(name, []).append(where)
            for inner in typing.get_args(field.annotation) or (field.annotation,):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    walk(inner, f"{where}.{name}" if where else name)

    walk(model, "")
    return homes


def _expected(schema: dict[str, Any]) -> str:
    """The accepted values of a schema, in words: 'a number >= 0 and <= 100', 'an integer >= 1'."""
    if "const" in schema:
        return f"exactly {_json_word(schema['const'])}"
    if "enum" in schema:
        return "one of " + ", ".join(_json_word(v) for v in schema["enum"])
    if "anyOf" in schema:
        options = [_expected(option) for option in schema["anyOf"] if option.get("type") != "null"]
        return " or ".join(options)
    if "$ref" in schema:
        return "a mapping"
    kind = schema.get("type")
    noun = {
        "number": "a number",
        "integer": "a whole number",
        "string": "text",
        "boolean": "true or false",
        "object": "a mapping",
        "array": "a list",
    }.get(str(kind), str(kind))
    bounds = [
        f"{symbol} {_json_word(schema[key])}"
        for key, symbol in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="), ("exclusiveMaximum", "<"))
        if key in schema
    ]
    if schema.get("pattern") == NAME_PATTERN:
        bounds.append("of lowercase letters, digits and `-`, starting with a letter or digit, at most 63 long")
    elif "pattern" in schema and schema["pattern"] != r"\S":
        bounds.append(f"matching `{schema['pattern']}`")
    if schema.get("format") == "date":
        return "a date written YYYY-MM-DD"
    return " ".join([noun, " and ".join(bounds)]).strip()


def _json_word(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _value_message(error: SchemaError) -> str:
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    message = f"must be {_expected(schema)}, got {_describe(value)}"
    branches = schema.get("anyOf", [schema])
    if isinstance(value, str) and any(branch.get("type") in ("number", "integer") for branch in branches):
        if _reads_as_number(value):
            message += " (quoted, so it is text: remove the quotes)"
        elif value.lower() in ("yes", "no", "on", "off", "y", "n"):
            message += " (YAML 1.2 reads yes/no/on/off as text)"
        elif meant := number_without_underscores(value):
            message += f" (YAML 1.2 reads a number with `_` in it as text: write {meant})"
    if error.validator == "minLength" or (error.validator == "pattern" and schema.get("pattern") == r"\S"):
        message = "must not be empty"
    return message


def _reads_as_number(text: str) -> bool:
    try:
        return isinstance(resolve_plain_scalar(text), (int, Decimal))
    except ValueError:
        return False


def _model_finding(document: Document, error: Any) -> Finding:
    path = [str(part) for part in error["loc"]]
    context = error.get("ctx") or {}
    if error["type"] == "cross_field":
        path.append(context["field"])
        return _finding(document, _pointer(path), error["msg"], at_key=True)
    if error["type"] == "missing" and path:
        # Only a key evidence can supply is left out of the schema's `required`, so pydantic is the one to miss
        # it: the same words and place as the schema's error, and where the figure may come from instead.
        *above, key = path
        parent = _pointer(above)
        where = f"under `{_dotted(parent)}`" if parent else "at the top level"
        kind = EVIDENCE_KINDS.get(key)
        hint = f", or measure it with `evidence.{kind}`" if kind else ""
        return _finding(document, parent, f"missing required key `{key}` {where}{hint}", at_key=True)
    pointer = _pointer(path)
    return _finding(document, pointer, f"`{_field_name(pointer)}`: {error['msg']}")
