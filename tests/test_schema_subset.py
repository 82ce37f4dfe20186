"""The subset check never calls valid what jsonschema refuses, and calls valid every file the tests know to be.

`surely_valid` lets a valid file skip jsonschema; these tests hold it to jsonschema's own answer on every
proposal and policy in the repository, on every YAML corpus input that loads, on thousands of one-field
mutations of the valid ones, and on each keyword's edge cases.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from tco_gate.errors import InputError
from tco_gate.loader import load
from tco_gate.models import Policy, Proposal
from tco_gate.schema_files import SCHEMA_FILES
from tco_gate.schema_json import json_schema
from tco_gate.schema_subset import surely_valid

from .yaml_corpus import FAMILIES

REPOSITORY = Path(__file__).resolve().parent.parent
MODELS: tuple[type[BaseModel], ...] = (Proposal, Policy)


@functools.cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return json_schema(model, SCHEMA_FILES["proposal" if model is Proposal else "policy"])


@functools.cache
def _validator(model: type[BaseModel]) -> Any:
    validator_class = jsonschema.validators.validator_for(_schema(model))
    return validator_class(_schema(model), format_checker=validator_class.FORMAT_CHECKER)


def _jsonschema_errors(data: Any, model: type[BaseModel]) -> list[str]:
    return [error.message for error in _validator(model).iter_errors(data)]


def _files(kind: str) -> Iterator[Path]:
    name = "finetune-proposal.y*ml" if kind == "proposal" else ".tco-gate.yml"
    for folder in ("examples", "tests/cases"):
        yield from sorted((REPOSITORY / folder).rglob(name))


def _loaded(path: Path) -> Any:
    try:
        return load(path.read_bytes(), kind="policy" if path.name == ".tco-gate.yml" else "proposal").data
    except InputError:
        return None  # refused by the loader: validation never sees it


def _agrees(data: Any, model: type[BaseModel]) -> bool:
    """Sure means valid: when the subset says valid, jsonschema finds nothing."""
    return not surely_valid(data, _schema(model)) or _jsonschema_errors(data, model) == []


@pytest.mark.parametrize(("model", "kind"), [(Proposal, "proposal"), (Policy, "policy")])
def test_every_repository_file_gets_jsonschemas_answer(model: type[BaseModel], kind: str) -> None:
    files = [(path, data) for path in _files(kind) if (data := _loaded(path)) is not None]
    assert len(files) >= (40 if kind == "proposal" else 5)
    disagreements = [path for path, data in files if not _agrees(data, model)]
    assert disagreements == []
    # and the fast path is taken: every file jsonschema accepts, the subset accepts too
    slow = [
        path for path, data in files if _jsonschema_errors(data, model) == [] and not surely_valid(data, _schema(model))
    ]
    assert slow == []


def test_every_yaml_corpus_input_that_loads_gets_jsonschemas_answer() -> None:
    checked = 0
    for family in FAMILIES.values():
        for text in family():
            try:
                data = load(text.encode("utf-8")).data
            except InputError:
                continue
            checked += 1
            assert _agrees(data, Proposal), text
    assert checked > 1000


def _valid(model: type[BaseModel], kind: str) -> list[tuple[type[BaseModel], dict[str, Any]]]:
    found = []
    for path in _files(kind):
        data = _loaded(path)
        if isinstance(data, dict) and _jsonschema_errors(data, model) == []:
            found.append((model, data))
    return found


VALID = [*_valid(Proposal, "proposal"), *_valid(Policy, "policy")]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**13), max_value=10**13),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**13), max_value=10**13),
    st.sampled_from(["", " ", "x", "2026-11-28", "2026-02-30", "2026-1-1", "20261128", "１２", "support-triage"]),
    st.sampled_from(["Support-Triage", "-x", "a" * 64, "openai", "gpt-4.1-mini", "fail", "warn", "1", "1e3"]),
    st.lists(st.integers(), max_size=2),
    st.lists(st.fixed_dictionaries({"proposal": st.sampled_from(["x", "X"]), "reason": st.just("r")}), max_size=2),
    st.dictionaries(st.sampled_from(["low", "likely", "high", "x"]), st.integers(), max_size=3),
)


def _pointers(data: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _pointers(value, (*at, key))


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(st.data())
def test_one_field_changed_never_makes_the_subset_wrong(data: st.DataObject) -> None:
    model, valid = data.draw(st.sampled_from(VALID))
    document = copy.deepcopy(valid)
    path = data.draw(st.sampled_from(list(_pointers(document))[1:]))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()):
        parent[path[-1]] = data.draw(VALUES)
    elif data.draw(st.booleans()):
        del parent[path[-1]]
    else:
        extra = data.draw(
            st.sampled_from(["extra", "monthly_servng_usd", "hosted", "serving", "waivers", "exemptions"])
        )
        parent[extra] = data.draw(VALUES)
    assert _agrees(document, model)


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"type": "number"}, True),  # a bool is not a number
        ({"type": "integer"}, Decimal("3")),  # jsonschema calls only an int an integer
        ({"type": "integer"}, 3.0),
        ({"type": "string", "format": "date"}, "2026-02-30"),
        ({"type": "string", "format": "date"}, "2026-1-01"),
        ({"type": "string", "format": "date"}, "２０２６-11-28"),
        ({"type": "string", "format": "email"}, "a@b.c"),  # a format it does not model: cannot tell
        ({"const": 1}, True),
        ({"const": 1}, Decimal(1)),
        ({"enum": ["fail", "warn"]}, "Fail"),
        ({"type": "object", "properties": {"a": {}}, "additionalProperties": False}, {"a": 1, "b": 2}),
        ({"type": "object", "required": ["a"]}, {}),
        ({"pattern": "^[a-z]+$"}, "abc1"),
        ({"minLength": 1}, ""),
        ({"maximum": 10}, Decimal("10.000001")),
        ({"exclusiveMinimum": 0}, 0),
        ({"anyOf": [{"type": "null"}, {"type": "integer", "minimum": 1}]}, 0),
        ({"$ref": "#/$defs/Missing"}, 1),
        ({"$ref": "https://example.com/schema.json"}, 1),
        ({"patternProperties": {"^x": {}}}, {"x": 1}),  # a keyword it does not model
        ({"items": {"type": "integer"}}, [1, "2"]),
    ],
)
def test_what_the_subset_does_not_accept(schema: dict[str, Any], value: Any) -> None:
    assert not surely_valid(value, schema)


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"type": "number", "minimum": 0, "maximum": 1e12}, Decimal("0.5")),
        ({"type": ["integer", "null"]}, None),
        ({"type": "string", "format": "date"}, "2028-02-29"),
        ({"format": "date"}, 5),  # jsonschema checks a format only on text
        ({"const": 1}, 1),
        ({"enum": ["fail", "warn"]}, "warn"),
        ({"$defs": {"A": {"type": "integer"}}, "items": {"$ref": "#/$defs/A"}}, [1, 2]),
        ({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x"}),
    ],
)
def test_what_the_subset_accepts_jsonschema_accepts(schema: dict[str, Any], value: Any) -> None:
    assert surely_valid(value, schema)
    validator_class = jsonschema.validators.validator_for(schema)
    assert list(validator_class(schema, format_checker=validator_class.FORMAT_CHECKER).iter_errors(value)) == []


def test_a_valid_run_never_imports_jsonschema(tmp_path: Path) -> None:
    import subprocess
    import sys

    program = (
        "import sys\n"
        "from tco_gate.cli import main\n"
        f"code = main(['check', {str(REPOSITORY / 'examples')!r}])\n"
        "assert code == 1, code\n"  # one example fails on purpose
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jsonschema', 'referencing')))\n"
    )
    ran = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert ran.stdout.splitlines()[-1] == "[]"
