"""`--format sarif`: valid SARIF 2.1.0 by the schema and by Microsoft's SARIF Multitool, with stable rules."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tco_gate import __version__
from tco_gate.cli import main
from tco_gate.report import sarif
from tco_gate.report.problems import INPUT_WARNING, LEVELS
from tco_gate.result import ReasonCode
from tests.corpus import corpus, report_of
from tests.paths import EXAMPLES, TESTS
from tests.tools import require_node_module

MULTITOOL_CONFIG = TESTS / "schemas" / "sarif-multitool.xml"


@cache
def _corpus_log() -> dict[str, Any]:
    log: dict[str, Any] = json.loads(sarif.render(corpus()))
    return log


def _multitool_package() -> Path:
    return require_node_module("@microsoft/sarif-multitool-linux")


def _schema_errors(log: dict[str, Any]) -> list[str]:
    # The SARIF 2.1.0 schema as Microsoft ships it inside the multitool's own npm package (MIT).
    schema = json.loads((_multitool_package() / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(log)]


def _multitool(log: dict[str, Any], tmp_path: Path) -> list[tuple[str, str, str]]:
    """(rule, level, message) of every error and warning Sarif.Multitool's `validate` reports."""
    binary = _multitool_package() / "Sarif.Multitool"
    source, verdicts = tmp_path / "report.sarif", tmp_path / "validation.sarif"
    source.write_text(json.dumps(log), encoding="utf-8")
    command = [str(binary), "validate", str(source), "--output", str(verdicts), "--log", "ForceOverwrite"]
    # The config turns off SARIF2006, the one rule that makes HTTP requests (to check that URIs are reachable);
    # where the kernel allows, the run also gets a network namespace of its own, so nothing can leave.
    command += ["--config", str(MULTITOOL_CONFIG)]
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True, check=False).returncode == 0:
        command = [unshare, "-n", *command]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert verdicts.exists(), completed.stdout + completed.stderr
    run = json.loads(verdicts.read_text(encoding="utf-8-sig"))["runs"][0]
    assert run["invocations"][0]["executionSuccessful"], completed.stdout
    found = []
    for result in run["results"]:
        level = result.get("level", "warning")  # SARIF's default level is warning
        if level in ("error", "warning"):
            found.append((result["ruleId"], level, json.dumps(result["message"])))
    return found


def test_sarif_of_every_case_validates_against_the_sarif_2_1_0_schema() -> None:
    log = _corpus_log()
    assert len(log["runs"][0]["results"]) >= 60  # every hostile case, the failures and the warnings
    assert _schema_errors(log) == []


def test_the_schema_check_fails_a_broken_log() -> None:
    broken = copy.deepcopy(_corpus_log())
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["tool"]["driver"]["name"]
    errors = _schema_errors(broken)
    assert any("'fatal' is not one of" in error for error in errors), errors
    assert any("'name' is a required property" in error for error in errors), errors


@pytest.mark.tools  # slow: SARIF Multitool is a .NET program
def test_sarif_multitool_validate_reports_no_error_and_no_warning(tmp_path: Path) -> None:
    assert _multitool(_corpus_log(), tmp_path) == []


@pytest.mark.tools  # slow: SARIF Multitool is a .NET program
def test_sarif_multitool_reports_a_rule_whose_name_repeats_its_id(tmp_path: Path) -> None:
    broken = copy.deepcopy(_corpus_log())
    broken["runs"][0]["tool"]["driver"]["rules"][0]["name"] = "margin"
    found = _multitool(broken, tmp_path)
    assert [(rule, level) for rule, level, _ in found] == [("SARIF1001", "warning")]


def test_rule_ids_are_the_reason_codes_and_every_code_has_one() -> None:
    rules = _corpus_log()["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [*(code.value for code in ReasonCode), INPUT_WARNING]
    assert set(LEVELS) == {rule["id"] for rule in rules}
    names = [rule["name"].lower() for rule in rules]
    assert len(set(names)) == len(names)
    assert not set(names) & {rule["id"].lower() for rule in rules}


def test_results_name_their_rule_by_id_and_index() -> None:
    run = _corpus_log()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_the_tool_and_its_version_are_named() -> None:
    driver = _corpus_log()["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == ("tco-gate", __version__, __version__)
    assert driver["informationUri"].startswith("https://")


def _results_for(log: dict[str, Any], path: str) -> list[dict[str, Any]]:
    location = "physicalLocation"
    return [r for r in log["runs"][0]["results"] if r["locations"][0][location]["artifactLocation"]["uri"] == path]


def test_an_invalid_proposal_is_located_at_its_file_line_and_column() -> None:
    (result,) = _results_for(_corpus_log(), "tests/cases/invalid/merge-key/finetune-proposal.yml")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert location["region"] == {"startLine": 13, "startColumn": 3}
    assert (result["ruleId"], result["level"]) == ("invalid-input", "error")
    assert "merge keys (`<<`) are not allowed" in result["message"]["text"]


def test_a_failing_proposal_is_an_error_at_its_first_line_and_a_passing_one_has_no_result() -> None:
    log = _corpus_log()
    (failure, undated) = _results_for(log, "examples/support-triage/finetune-proposal.yml")
    assert (failure["ruleId"], failure["level"]) == ("margin", "error")
    assert (undated["ruleId"], undated["level"]) == ("input-warning", "warning")  # the catalog's undated price
    assert failure["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert failure["message"]["text"].startswith("support-triage: over 24 months fine-tuning costs")
    passing = _results_for(log, "examples/listing-categorizer/finetune-proposal.yml")
    assert [r["ruleId"] for r in passing] == ["input-warning"]  # a pass: only the undated-price warning
    # Exempt on its author's word alone: a note for a reviewer, never an error.
    (claim, _) = _results_for(log, "examples/discharge-coding-eu/finetune-proposal.yml")
    assert (claim["ruleId"], claim["level"]) == ("exempt-data-residency", "note")
    assert "approved by nobody" in claim["message"]["text"]
    assert _results_for(log, "tests/cases/valid/waived/finetune-proposal.yml") == []


def test_a_failure_the_policy_only_warns_about_is_a_warning() -> None:
    results = _results_for(_corpus_log(), "tests/cases/valid/warn-only/finetune-proposal.yml")
    assert [(r["ruleId"], r["level"]) for r in results] == [("margin", "warning")]


def test_fingerprints_are_stable_across_runs_and_distinct_within_one() -> None:
    first = [r["partialFingerprints"] for r in _corpus_log()["runs"][0]["results"]]
    again = json.loads(sarif.render(corpus()))
    assert [r["partialFingerprints"] for r in again["runs"][0]["results"]] == first
    assert len({json.dumps(f) for f in first}) == len(first)


def test_check_format_sarif_writes_the_log_and_keeps_the_exit_code(tmp_path: Path) -> None:
    target = tmp_path / "tco-gate.sarif"
    code = main(["check", "--format", "sarif", "--output", str(target), str(EXAMPLES)])
    assert code == 1  # the failing example still fails the build
    log = json.loads(target.read_text(encoding="utf-8"))
    assert log == sarif.sarif_log(report_of(EXAMPLES))
    rules = [r["ruleId"] for r in log["runs"][0]["results"]]
    # The exemption nobody approved, the three failing examples, and input warnings: every catalog-priced model's
    # undated price on `as_of`, and the hosted example's catalog spelling.
    assert [rule for rule in rules if rule != "input-warning"] == [
        "exempt-data-residency",
        "margin",
        "margin",
        "margin",
        "margin",
    ]
    assert rules.count("input-warning") == 10


def test_a_name_clash_is_its_own_rule_at_each_name_line(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        source = EXAMPLES / "support-triage" / "finetune-proposal.yml"
        (tmp_path / folder / "finetune-proposal.yml").write_bytes(source.read_bytes())
    log = sarif.sarif_log(report_of(tmp_path / "a", tmp_path / "b"))
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] != "input-warning"]
    assert [r["ruleId"] for r in results] == ["duplicate-name", "duplicate-name"]
    name_line = next(n for n, line in enumerate(source.read_text().splitlines(), 1) if line.startswith("name:"))
    assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results} == {name_line}
