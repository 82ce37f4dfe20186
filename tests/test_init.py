"""`tco-gate init`: a commented proposal or policy generated from the models, valid as written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tco_gate.cli import main
from tco_gate.commands.init import schema_reference
from tco_gate.gate import Overrides, settle_policy
from tco_gate.hidden_costs import HIDDEN_COSTS, REQUIRED
from tco_gate.models import Policy, Proposal
from tco_gate.schema_files import installed_schema
from tco_gate.schema_json import json_schema

ROOT = Path(__file__).parent.parent


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _keys(schema: dict[str, Any], node: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of a schema, nested sections and list items included, with its own schema."""
    for key, prop in node.get("properties", {}).items():
        yield key, prop
        for option in [prop, *prop.get("anyOf", []), prop.get("items", {})]:
            if isinstance(option, dict) and "$ref" in option:
                yield from _keys(schema, schema["$defs"][option["$ref"].rsplit("/", 1)[1]])


def test_init_writes_a_proposal_that_is_checked_without_an_error(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    written = folder / "finetune-proposal.yml"
    assert f"wrote {written.name}" in capsys.readouterr().out
    text = written.read_text(encoding="utf-8")
    assert f"\nas_of: {datetime.now(UTC).date().isoformat()}\n" in text
    code = main(["check", "--format", "json", str(written)])
    out = capsys.readouterr().out
    assert code in (0, 1), out  # a verdict, not `invalid`
    assert '"level": "error"' not in out


def test_init_explains_every_key_with_the_models_own_description(folder: Path) -> None:
    assert main(["init"]) == 0
    text = (folder / "finetune-proposal.yml").read_text(encoding="utf-8")
    schema = json_schema(Proposal, "finetune-proposal.schema.json")
    for key, prop in _keys(schema, schema):
        assert re.search(rf"^\s*(# )?{key}:", text, re.MULTILINE), key
        if "description" in prop:
            assert f"# {prop['description']}" in text, key


def test_init_labels_the_five_hidden_costs_on_the_fields_that_must_be_written(folder: Path) -> None:
    assert main(["init"]) == 0
    lines = (folder / "finetune-proposal.yml").read_text(encoding="utf-8").splitlines()
    for number, name in HIDDEN_COSTS.items():
        assert any(f"# Hidden cost {number} ({name})." in line for line in lines), number
    for field in REQUIRED:
        key = field.rsplit(".", 1)[1]
        (at,) = [
            i
            for i, line in enumerate(lines)
            if line.strip().startswith(f"{key}:") and i > 0 and "Hidden cost" in lines[i - 1]
        ]
        assert not lines[at].lstrip().startswith("#"), f"{field} must be written, not commented out"


def test_init_refuses_to_overwrite_unless_forced(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    written = folder / "finetune-proposal.yml"
    written.write_text("mine\n", encoding="utf-8")
    assert main(["init"]) == 2
    assert "finetune-proposal.yml already exists; add --force to overwrite it" in capsys.readouterr().err
    assert written.read_text(encoding="utf-8") == "mine\n"
    assert main(["init", "--force"]) == 0
    assert written.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")


def test_init_into_a_folder_uses_the_usual_file_name(folder: Path) -> None:
    (folder / "svc").mkdir()
    assert main(["init", "svc"]) == 0
    assert (folder / "svc" / "finetune-proposal.yml").is_file()
    assert main(["init", "no-such-folder/finetune-proposal.yml"]) == 2


def test_init_policy_writes_the_built_in_defaults_with_every_key_explained(folder: Path) -> None:
    assert main(["init", "--policy"]) == 0
    written = folder / ".tco-gate.yml"
    text = written.read_text(encoding="utf-8")
    settled = settle_policy(written.read_bytes(), ".tco-gate.yml", Overrides())
    assert settled.policy == Policy()
    schema = json_schema(Policy, "policy.schema.json")
    for key, _prop in _keys(schema, schema):
        assert re.search(rf"^\s*(#\s+(- )?)?{key}:", text, re.MULTILINE), key
    assert main(["check", ".tco-gate.yml"]) == 0  # a policy that governs nothing yet is still validated


def test_the_schema_line_points_at_the_installed_schema(folder: Path) -> None:
    assert main(["init"]) == 0
    first = (folder / "finetune-proposal.yml").read_text(encoding="utf-8").splitlines()[0]
    target = Path(first.removeprefix("# yaml-language-server: $schema="))
    assert target.is_absolute()  # the package is installed outside this temporary repository
    assert target.read_bytes() == (ROOT / "schemas" / "finetune-proposal.schema.json").read_bytes()


def test_schema_path_prints_the_installed_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "policy", "--path"]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed == installed_schema("policy").resolve()
    assert printed.read_bytes() == (ROOT / "schemas" / "policy.schema.json").read_bytes()


def test_the_schema_line_is_relative_when_the_package_is_inside_the_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    schema = tmp_path / ".venv" / "lib" / "tco_gate" / "schemas" / "finetune-proposal.schema.json"
    assert schema_reference(schema, tmp_path / "svc" / "finetune-proposal.yml") == (
        "../.venv/lib/tco_gate/schemas/finetune-proposal.schema.json"
    )
    outside = tmp_path.parent / "elsewhere" / "finetune-proposal.schema.json"
    assert schema_reference(outside, tmp_path / "finetune-proposal.yml") == outside.resolve().as_posix()


def test_a_key_with_neither_example_nor_default_is_written_commented_out() -> None:
    # A key added to a model without an example still appears, as a placeholder to fill in.
    from tco_gate.template import _mapping

    schema = {"properties": {"new_key_usd": {"type": "number", "description": "Something new."}}, "required": []}
    assert _mapping(schema, schema, "", 0, commented=False, overrides={}) == ["# Something new.", "# new_key_usd: ..."]
