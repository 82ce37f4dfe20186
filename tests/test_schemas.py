"""The committed JSON Schemas are generated from the models; these tests fail when the two drift."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tco_gate.cli import main
from tco_gate.schema_files import SCHEMAS, schema_text

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_committed_schema_matches_the_models(kind: str) -> None:
    _, file_name = SCHEMAS[kind]
    committed = (ROOT / "schemas" / file_name).read_text(encoding="utf-8")
    assert committed == schema_text(kind), f"run: tco-gate schema {kind} > schemas/{file_name}"


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
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
