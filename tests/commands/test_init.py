"""`tco-gate init`: a commented proposal or policy generated from the models, valid as written."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tco_gate.cli import main
from tco_gate.commands.init import schema_reference
from tco_gate.gate import Overrides, settle_policy
from tco_gate.hidden_costs import HIDDEN_COSTS, REQUIRED
from tco_gate.models import Exemptions, Policy, Proposal
from tco_gate.schema_files import installed_schema
from tco_gate.schema_json import json_schema
from tests.gitrepo import git
from tests.paths import ROOT


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository's root, the current folder."""
    git(tmp_path, "init", "-q")
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
        assert re.search(rf"^\s*(# )*{key}:", text, re.MULTILINE), key
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


@pytest.mark.parametrize("typed", ["teams/new-team/", "teams/new-team", "teams/new-team/finetune-proposal.yml"])
def test_init_makes_the_missing_folders_and_a_path_without_yml_is_a_folder(
    folder: Path, typed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # `teams/` does not exist yet; a path that does not end in .yml/.yaml names a folder, not a file.
    assert main(["init", typed]) == 0, capsys.readouterr().err
    written = folder / "teams" / "new-team" / "finetune-proposal.yml"
    assert written.is_file()
    assert not (folder / "teams" / "new-team").is_file()


def test_init_names_the_proposal_after_its_folder(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A proposal named `support-triage` in every new folder would clash with the first one (and borrow its
    # waiver): the name comes from the folder, made to fit the name pattern.
    assert main(["init", "teams/Search Ranking_v2"]) == 0
    assert main(["init", "teams/new-team"]) == 0
    for folder_name, name in (("Search Ranking_v2", "search-ranking-v2"), ("new-team", "new-team")):
        text = (folder / "teams" / folder_name / "finetune-proposal.yml").read_text(encoding="utf-8")
        assert f"\nname: {name}\n" in text
    capsys.readouterr()
    assert main(["check", "--format", "json", "teams"]) in (0, 1)  # two proposals, no clash of names
    assert '"duplicate-name"' not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("folder_name", "name"),
    [("Équipe Recherche", "equipe-recherche"), ("___", "proposal"), ("true", "true"), ("2026", "2026")],
)
def test_a_proposal_named_after_an_awkward_folder_is_still_valid(
    folder: Path, folder_name: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", folder_name]) == 0
    capsys.readouterr()
    assert main(["check", "--format", "json", folder_name]) in (0, 1)
    report = json.loads(capsys.readouterr().out)
    assert report["results"][0]["name"] == name


def test_init_refuses_a_path_that_is_a_file_without_a_yaml_suffix(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "Makefile").write_text("all:\n", encoding="utf-8")
    assert main(["init", "Makefile"]) == 2
    assert "Makefile is a file, not a folder" in capsys.readouterr().err


def test_init_policy_writes_the_built_in_defaults_with_every_key_explained(folder: Path) -> None:
    assert main(["init", "--policy"]) == 0
    written = folder / ".tco-gate.yml"
    text = written.read_text(encoding="utf-8")
    settled = settle_policy(written.read_bytes(), ".tco-gate.yml", Overrides())
    # The defaults, except that a proposal's exemption claim needs the reviewers' approval.
    assert settled.policy == Policy(exemptions=Exemptions(require_approval=True))
    assert "\n  require_approval: true\n" in text
    schema = json_schema(Policy, "policy.schema.json")
    for key, _prop in _keys(schema, schema):
        assert re.search(rf"^\s*(#\s+(- )?)?{key}:", text, re.MULTILINE), key
    assert main(["check", ".tco-gate.yml"]) == 0  # a policy that governs nothing yet is still validated


def test_a_policy_written_by_init_turns_a_self_claimed_exemption_into_the_margin(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--policy"]) == 0
    proposal = (ROOT / "examples" / "support-triage" / "finetune-proposal.yml").read_text(encoding="utf-8")
    (folder / "svc").mkdir()
    (folder / "svc" / "finetune-proposal.yml").write_text(proposal + "constraints:\n  max_latency_ms: 1\n")
    capsys.readouterr()
    assert main(["check", "--format", "json", "svc"]) == 1
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert result["verdict"] == "fail"
    assert "exemption-unapproved" in [reason["code"] for reason in result["reasons"]]


def test_a_nested_policy_written_by_init_is_valid_under_a_stricter_root(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every default is looser than this root somewhere; a nested file may only tighten, so init writes it with
    # every setting commented out.
    (folder / ".tco-gate.yml").write_text(
        "version: 1\nmin_savings_pct: 40\nhorizon_months: 36\nhourly_rate_usd: 200\non_fail: fail\n"
        "exemptions: {data_residency: false, latency_under_ms: false, accuracy_gap_pct: false, "
        "require_approval: true}\nmin_confidence_pct: 90\n",
        encoding="utf-8",
    )
    assert main(["init", "--policy", "teams/x"]) == 0
    nested = folder / "teams" / "x" / ".tco-gate.yml"
    lines = [line for line in nested.read_text(encoding="utf-8").splitlines() if line.strip()[:1] not in ("", "#")]
    assert lines == ["version: 1"]
    assert main(["init", "teams/x/svc"]) == 0
    capsys.readouterr()
    assert main(["check", "--format", "json", "teams"]) == 1  # judged (a fail under the strict root), not invalid
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert result["verdict"] == "fail"
    assert result["policy"]["files"] == [".tco-gate.yml", "teams/x/.tco-gate.yml"]


def test_init_policy_writes_the_root_template_only_at_the_repository_root(folder: Path) -> None:
    assert main(["init", "--policy", "teams/x/"]) == 0
    assert "\nmin_savings_pct: 10\n" not in (folder / "teams" / "x" / ".tco-gate.yml").read_text(encoding="utf-8")
    assert main(["init", "--policy", "."]) == 0
    assert "\nmin_savings_pct: 10\n" in (folder / ".tco-gate.yml").read_text(encoding="utf-8")


def test_outside_a_repository_a_policy_below_another_is_nested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Outside git the topmost policy stands for the root (sources.WorkTree.find_policies).
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--policy", "a"]) == 0
    assert "\nmin_savings_pct: 10\n" in (tmp_path / "a" / ".tco-gate.yml").read_text(encoding="utf-8")
    assert main(["init", "--policy", "a/b"]) == 0
    assert "\nmin_savings_pct: 10\n" not in (tmp_path / "a" / "b" / ".tco-gate.yml").read_text(encoding="utf-8")


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


def test_the_schema_line_is_relative_when_the_package_is_inside_the_repository(folder: Path) -> None:
    tmp_path = folder
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
    assert _mapping(schema, schema, "", 0, commented=0, overrides={}) == ["# Something new.", "# new_key_usd: ..."]


def test_a_stray_git_folder_in_a_team_folder_does_not_make_init_write_a_root_policy_there(folder: Path) -> None:
    # The root is the one git reports for the current folder, as `check` finds it: a `.git` a team left in its
    # folder (a folder, or a file) does not make that folder the root, so its new policy is a nested one.
    (folder / ".tco-gate.yml").write_text("version: 1\nmin_savings_pct: 40\n", encoding="utf-8")
    for team, stray in (("a", "folder"), ("b", "file")):
        (folder / "teams" / team).mkdir(parents=True)
        marker = folder / "teams" / team / ".git"
        marker.mkdir() if stray == "folder" else marker.write_text("gitdir: /nowhere\n", encoding="utf-8")
        assert main(["init", "--policy", f"teams/{team}"]) == 0
        written = (folder / "teams" / team / ".tco-gate.yml").read_text(encoding="utf-8")
        assert "\nmin_savings_pct: 10\n" not in written, stray  # commented out: valid under the stricter root


def test_the_proposal_template_opens_with_its_schema_line_and_instructions() -> None:
    from tco_gate.template import proposal_template

    lines = proposal_template(date(2026, 1, 2), "schemas/p.json", "triage").splitlines()
    assert lines[:6] == [
        "# yaml-language-server: $schema=schemas/p.json",
        "# A fine-tuning proposal for tco-gate. Replace each example figure with your own, then run",
        "# `tco-gate check` (the verdict) or `tco-gate explain` (every cost, month by month).",
        "# The five hidden costs are labelled; write each one, 0 only if it truly is 0.",
        "",
        "# Format version: 1.",
    ]
    assert "name: triage" in lines
    assert "as_of: 2026-01-02" in lines


def test_a_name_outside_ascii_is_quoted_as_written() -> None:
    from tco_gate.template import proposal_template

    lines = proposal_template(date(2026, 1, 2), "s.json", "équipe café").splitlines()
    assert 'name: "équipe café"' in lines


def test_the_root_policy_template_opens_with_its_instructions() -> None:
    from tco_gate.template import policy_template

    lines = policy_template("schemas/policy.json").splitlines()
    assert lines[:7] == [
        "# yaml-language-server: $schema=schemas/policy.json",
        "# The reviewers' tco-gate policy. A proposal cannot set any of it; a `.tco-gate.yml` below the",
        "# repository root may only tighten it. Each value below is the built-in default, except",
        "# `exemptions.require_approval: true`: an exemption a proposal claims counts only once an entry",
        "# in `approvals` approves it.",
        "",
        "# Format version: 1.",
    ]


def test_the_nested_policy_template_opens_with_its_instructions() -> None:
    from tco_gate.template import policy_template

    lines = policy_template("../policy.json", nested=True).splitlines()
    assert lines[:8] == [
        "# yaml-language-server: $schema=../policy.json",
        "# A nested tco-gate policy: it applies on top of the policy above it (the repository root's",
        "# `.tco-gate.yml`, or `--policy`) to the proposals in this folder and below, and may only tighten it.",
        "# Every setting is commented out, so as written it changes nothing; uncomment one to tighten it (a",
        "# value looser than the one above is an error that names it). `tco-gate check --show-config` shows",
        "# the values in force. Waivers and approvals belong in the root policy only.",
        "",
        "# Format version: 1.",
    ]


def test_top_level_keys_are_separated_by_a_blank_line_and_a_section_s_keys_are_not() -> None:
    from tco_gate.template import _mapping

    schema = {
        "$defs": {"Section": {"properties": {"a": {"examples": [1]}, "b": {"examples": ["x"]}}}},
        "properties": {"first": {"const": 1}, "section": {"$ref": "#/$defs/Section"}, "last": {"const": 2}},
    }
    assert _mapping(schema, schema, "", 0, commented=0, overrides={}) == [
        "first: 1",
        "",
        "section:",
        "  a: 1",
        "  b: x",
        "",
        "last: 2",
    ]


def test_a_key_without_an_example_is_written_with_its_default_booleans_in_lower_case() -> None:
    from tco_gate.template import _mapping

    schema = {
        "properties": {
            "off": {"type": "boolean", "default": False},
            "on": {"type": "boolean", "default": True},
            "limit": {"type": "integer", "default": 5},
        }
    }
    assert _mapping(schema, schema, "", 0, commented=0, overrides={}) == [
        "off: false",
        "",
        "on: true",
        "",
        "limit: 5",
    ]


def test_a_list_is_written_empty_with_one_commented_example_item() -> None:
    from tco_gate.template import _mapping

    schema = {
        "$defs": {
            "Item": {"properties": {"who": {"examples": ["ops"]}, "why": {"type": "string"}, "until": {"default": 3}}}
        },
        "properties": {"entries": {"type": "array", "items": {"$ref": "#/$defs/Item"}}},
    }
    assert _mapping(schema, schema, "", 0, commented=0, overrides={}) == [
        "entries: []",
        "# for example:",
        "#   - who: ops",
        "#     why: ...",
        "#     until: 3",
    ]


def test_a_list_of_items_without_keys_has_an_empty_example() -> None:
    from tco_gate.template import _mapping

    schema = {
        "$defs": {"Empty": {"type": "object"}},
        "properties": {"entries": {"type": "array", "items": {"$ref": "#/$defs/Empty"}}},
    }
    assert _mapping(schema, schema, "", 0, commented=0, overrides={}) == ["entries: []", "# for example:"]


def test_a_key_s_comment_adds_the_unit_from_its_title_unless_the_description_says_it() -> None:
    from tco_gate.template import _mapping

    schema = {
        "properties": {
            "per_month": {"title": "Requests (a month)", "description": "Requests in the first month.", "const": 1},
            "usd": {"title": "Cost (USD)", "description": "Cost in USD.", "const": 2},
        }
    }
    assert _mapping(schema, schema, "", 0, commented=0, overrides={}) == [
        "# Requests in the first month. [a month]",
        "per_month: 1",
        "",
        "# Cost in USD.",
        "usd: 2",
    ]
