"""`--format gitlab`: GitLab Code Quality JSON, checked against the fields GitLab documents.

GitLab publishes no JSON Schema for the format, only a table of required fields ("Code Quality report
format" in its CI documentation): description, check_name, fingerprint, severity (info, minor, major,
critical or blocker), location.path (relative to the repository, no leading `./`) and location.lines.begin.
The schema below is that table, written down; GitLab itself cannot be reached from a test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from tco_gate.cli import main
from tco_gate.report import gitlab
from tests.corpus import corpus
from tests.paths import EXAMPLES

DOCUMENTED_FIELDS: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^(?!\\./)(?!/)"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def _issues() -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads(gitlab.render(corpus()))
    return issues


def test_code_quality_of_every_case_has_gitlabs_documented_fields() -> None:
    issues = _issues()
    assert len(issues) >= 60
    jsonschema.validate(issues, DOCUMENTED_FIELDS)


def test_the_field_check_fails_an_issue_without_a_line() -> None:
    broken = _issues()
    del broken[0]["location"]["lines"]
    errors = list(jsonschema.Draft202012Validator(DOCUMENTED_FIELDS).iter_errors(broken))
    assert [error.message for error in errors] == ["'lines' is a required property"]


def test_fingerprints_are_unique_within_a_report() -> None:
    # GitLab compares a merge request's issues with the target branch's by fingerprint.
    fingerprints = [issue["fingerprint"] for issue in _issues()]
    assert len(set(fingerprints)) == len(fingerprints)


def test_issues_point_at_the_line_of_the_finding_and_rank_by_enforcement() -> None:
    by_path = {issue["location"]["path"]: issue for issue in _issues()}
    typo = by_path["tests/cases/invalid/typo-key-monthly-servng-usd/finetune-proposal.yml"]
    place = typo["location"]["lines"]["begin"]
    assert (typo["check_name"], typo["severity"], place) == ("invalid-input", "blocker", 30)
    assert "did you mean `monthly_serving_usd`" in typo["description"]
    warned = by_path["tests/cases/valid/warn-only/finetune-proposal.yml"]
    assert (warned["check_name"], warned["severity"]) == ("margin", "minor")


def test_check_format_gitlab_writes_the_report_and_keeps_the_exit_code(tmp_path: Path) -> None:
    target = tmp_path / "gl-code-quality-report.json"
    assert main(["check", "--format", "gitlab", "--output", str(target), str(EXAMPLES)]) == 1
    issues = json.loads(target.read_text(encoding="utf-8"))
    # The exemption nobody approved and the three failing examples, each proposal's undated catalog price (a
    # warning on `as_of`: the catalog cannot vouch for it on that day), and the hosted one's catalog spelling.
    assert [(i["check_name"], Path(i["location"]["path"]).parent.name) for i in issues] == [
        ("input-warning", "catalog-enricher"),
        ("input-warning", "contract-clause-review"),
        ("exempt-data-residency", "discharge-coding-eu"),
        ("input-warning", "discharge-coding-eu"),
        ("input-warning", "listing-categorizer"),
        ("margin", "shopping-assistant"),
        ("input-warning", "shopping-assistant"),
        ("margin", "support-triage"),
        ("input-warning", "support-triage"),
        ("margin", "support-triage-hosted"),
        ("input-warning", "support-triage-hosted"),
        ("input-warning", "support-triage-hosted"),
        ("input-warning", "support-triage-hosted"),
        ("margin", "support-triage-measured"),
        ("input-warning", "support-triage-measured"),
    ]
    assert sum("does not date" in i["description"] for i in issues) == 9
