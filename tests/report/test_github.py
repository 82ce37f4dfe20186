"""`--format github` on exemption claims: each claim nobody approved is a warning annotation on the claim's own
line, whether it exempted the proposal (approval not required) or not (approval missing); the JSON report places
each claim too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tco_gate.cli import main
from tests.factories import line_of, with_constraints


def _annotations(out: str) -> list[tuple[str, dict[str, str], str]]:
    """(level, properties, message) of every workflow-command annotation printed before the text report."""
    found = []
    for line in out.split("::stop-commands::", 1)[0].splitlines():
        match = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        if match:
            properties = dict(part.split("=", 1) for part in match.group(2).split(","))
            found.append((match.group(1), properties, match.group(3)))
    return found


@pytest.mark.parametrize(
    ("constraints", "key", "kind"),
    [
        ("  max_latency_ms: 1\n", "max_latency_ms", "latency"),
        ("  data_residency: EU customer PII stays in region\n", "data_residency", "data-residency"),
    ],
)
def test_an_exemption_nobody_approved_is_a_warning_annotation_on_the_claims_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], constraints: str, key: str, kind: str
) -> None:
    path = with_constraints(tmp_path, constraints)
    assert main(["check", "--format", "github", str(path)]) == 0  # the default policy takes the claim
    warnings = [a for a in _annotations(capsys.readouterr().out) if a[0] == "warning"]
    (claim,) = [a for a in warnings if f"the {kind} exemption" in a[2]]
    assert claim[1]["line"] == str(line_of(path, key))
    assert claim[1]["file"].endswith("finetune-proposal.yml")
    assert "approved by nobody" in claim[2] and "does not require approval" in claim[2]


def test_a_claim_the_policy_wants_approved_is_a_warning_too_and_the_margin_decides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = with_constraints(tmp_path, "  max_latency_ms: 1\n")
    policy = tmp_path / "policy.yml"
    policy.write_text("version: 1\nexemptions: {require_approval: true}\n", encoding="utf-8")
    assert main(["check", "--format", "github", "--policy", str(policy), str(path)]) == 1
    annotations = _annotations(capsys.readouterr().out)
    (claim,) = [a for a in annotations if a[0] == "warning" and "latency exemption" in a[2]]
    assert claim[1]["line"] == str(line_of(path, "max_latency_ms"))
    assert "the margin decides" in claim[2]


def test_an_approved_claim_is_no_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = with_constraints(tmp_path, "  max_latency_ms: 1\n")
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "version: 1\nexemptions: {require_approval: true}\napprovals:\n"
        "  - {proposal: support-triage, exemption: latency, reason: ARB-7 measured p99, approved_by: '@arch', "
        "expires: 2099-01-01}\n",
        encoding="utf-8",
    )
    assert main(["check", "--format", "github", "--policy", str(policy), str(path)]) == 0
    assert not [a for a in _annotations(capsys.readouterr().out) if a[0] == "warning" and "exemption" in a[2]]


def test_the_json_report_places_each_claim(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = with_constraints(tmp_path, "  max_latency_ms: 1\n")
    assert main(["check", "--format", "json", str(path)]) == 0
    (claim,) = json.loads(capsys.readouterr().out)["results"][0]["exemption_claims"]
    assert (claim["pointer"], claim["line"], claim["column"]) == (
        "/constraints/max_latency_ms",
        line_of(path, "max_latency_ms"),
        19,
    )
