"""The committed JSON Schemas are generated from the models; these tests fail when the two drift."""

from __future__ import annotations

import importlib
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from pydantic import BaseModel

from tco_gate import evidence_model, model_base, models, serving_model
from tco_gate.cli import main
from tco_gate.commands.schema import schema_text
from tco_gate.field_docs import attribute_doc
from tco_gate.models import HostedFinetune, Prompting, TokenPriced
from tco_gate.schema_files import SCHEMA_FILES
from tco_gate.schema_json import json_schema

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_committed_schema_matches_the_models(kind: str) -> None:
    file_name = SCHEMA_FILES[kind]
    committed = (ROOT / "schemas" / file_name).read_text(encoding="utf-8")
    assert committed == schema_text(kind), f"run: tco-gate schema {kind} > schemas/{file_name}"


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_schemas_are_valid_draft_2020_12(kind: str) -> None:
    schema = json.loads(schema_text(kind))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "policy"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Policy"


def test_examples_validate_against_the_committed_proposal_schema() -> None:
    # What an editor does with the `# yaml-language-server: $schema=` line, done with jsonschema.
    from tco_gate.loader import load

    schema = json.loads((ROOT / "schemas" / "finetune-proposal.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    examples = sorted((ROOT / "examples").glob("*/finetune-proposal.yml"))
    assert len(examples) >= 3
    for example in examples:
        text = example.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../schemas/finetune-proposal.schema.json\n")
        assert list(validator.iter_errors(load(text.encode()).data)) == [], example


def _model_classes() -> dict[str, type]:
    return {
        name: value
        for module in (models, serving_model, evidence_model)
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
        and value is not model_base.StrictModel
    }


@pytest.mark.parametrize("kind", ["proposal", "policy"])
def test_every_field_docstring_is_its_schema_description(kind: str) -> None:
    schema = json.loads(schema_text(kind))
    classes = _model_classes()
    described = 0
    for name, definition in [(schema["title"], schema), *schema.get("$defs", {}).items()]:
        for key, prop in definition.get("properties", {}).items():
            doc = attribute_doc(classes[name], key)
            if doc is None:  # a section (`workload:`) is described by its own model's docstring
                assert "description" not in prop, f"{name}.{key}"
                continue
            assert prop["description"].endswith(doc), f"{name}.{key}"  # hidden-cost fields are prefixed
            described += 1
    assert described >= 15


def test_attribute_doc_reads_the_class_that_declares_the_field() -> None:
    inherited = attribute_doc(Prompting, "input_tokens_per_request")
    assert inherited == attribute_doc(TokenPriced, "input_tokens_per_request")
    assert inherited == "Input tokens a request, the cached part included."
    assert attribute_doc(HostedFinetune, "monthly_hosting_usd") is not None
    assert attribute_doc(Prompting, "monthly_hosting_usd") is None  # declared on a sibling, not here


def test_attribute_doc_follows_pydantics_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A string right after an annotated name documents it; one after anything else, or a redefinition
    # without a string, does not; indented strings are cleaned like docstrings.
    (tmp_path / "documented_fields.py").write_text(
        "class Base:\n"
        "    kept: int\n"
        '    """Kept in subclasses.\n\n        Second line."""\n'
        "    shadowed: int\n"
        '    """The base\'s word."""\n'
        "    plain = 1\n"
        '    """Not a field."""\n'
        "class Child(Base):\n"
        "    shadowed: int\n"
        "    bare: int\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    documented_fields = importlib.import_module("documented_fields")

    assert attribute_doc(documented_fields.Child, "kept") == "Kept in subclasses.\n\nSecond line."
    assert attribute_doc(documented_fields.Base, "shadowed") == "The base's word."
    assert attribute_doc(documented_fields.Child, "shadowed") is None
    assert attribute_doc(documented_fields.Child, "bare") is None
    assert attribute_doc(documented_fields.Base, "plain") is None
    exec_only = type("NoSource", (), {"__annotations__": {"x": "int"}, "__module__": "nowhere.at.all"})
    assert attribute_doc(exec_only, "x") is None


class _Defaults(BaseModel):
    share: Decimal = Decimal("0.25")
    hours: Decimal = Decimal("24")
    since: date = date(2026, 1, 31)
    note: str | None = None


def test_a_default_is_shown_as_the_json_value_it_stands_for() -> None:
    properties = json_schema(_Defaults, "defaults.schema.json")["properties"]
    defaults = {name: properties[name]["default"] for name in ("share", "hours", "since", "note")}
    assert defaults == {"share": 0.25, "hours": 24, "since": "2026-01-31", "note": None}
    assert [type(value) for value in defaults.values()] == [float, int, str, type(None)]
