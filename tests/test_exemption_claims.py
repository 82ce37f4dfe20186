"""A self-claimed exemption: a placeholder is no justification, and a claim nobody approved is shown where it is
written (a warning annotation on its line in the GitHub format), not only in the reasons."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tco_gate.cli import main
from tco_gate.placeholders import emptiness

ROOT = Path(__file__).parent.parent
FAILING = ROOT / "examples" / "support-triage" / "finetune-proposal.yml"
INVISIBLE = ('"\u200b"', '"\u200b\u2060 \u00a0"', '"\u3164"')  # zero-width, word joiner, no-break space, filler


def _with_constraints(tmp_path: Path, constraints: str) -> Path:
    """The failing example with a `constraints:` section appended (its last line, so its lines are known)."""
    path = tmp_path / "finetune-proposal.yml"
    path.write_text(FAILING.read_text(encoding="utf-8") + f"\nconstraints:\n{constraints}", encoding="utf-8")
    return path


def _line_of(path: Path, key: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.lstrip().startswith(f"{key}:"))


@pytest.mark.parametrize(
    "written",
    [*("'n/a'", "N/A", "none", "None.", "(tbd)", "TBD", "'-'", "--", "...", "x"), *INVISIBLE],
)
def test_a_placeholder_justification_is_an_error_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    path = _with_constraints(tmp_path, f"  data_residency: {written}\n")
    assert main(["check", "--format", "json", str(path)]) == 2
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert result["verdict"] == "invalid"
    (finding,) = result["findings"]
    assert finding["pointer"] == "/constraints/data_residency"
    assert finding["line"] == _line_of(path, "data_residency")
    assert re.search(
        r"is not a justification \((it is a placeholder|it holds only invisible characters)\)", finding["message"]
    )
    assert "\u200b" not in finding["message"]  # invisible characters are named by code point, never echoed raw


@pytest.mark.parametrize(
    "text", ["EU customer PII; no approved hosted provider in region", "No.", "HIPAA BAA missing", "n/a in EU: PII"]
)
def test_a_justification_in_words_is_accepted(text: str) -> None:
    assert emptiness(text) is None


@pytest.mark.parametrize("field", ["reason", "approved_by"])
def test_a_waiver_justified_by_a_placeholder_or_signed_by_nobody_visible_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str
) -> None:
    waiver = {"proposal": "support-triage", "reason": "ARB-142", "approved_by": "@acme/arch", "expires": "2099-01-01"}
    waiver[field] = "\u200b" if field == "approved_by" else "tbd"
    policy = tmp_path / "policy.yml"
    policy.write_text(f"version: 1\nwaivers:\n  - {json.dumps(waiver)}\n", encoding="utf-8")
    assert main(["check", "--policy", str(policy), str(FAILING)]) == 2
    out = capsys.readouterr().out
    assert re.search(rf"policy\.yml:3:\d+: error: `{field}`: ", out), out
    assert "WAIVED" not in out


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
    path = _with_constraints(tmp_path, constraints)
    assert main(["check", "--format", "github", str(path)]) == 0  # the default policy takes the claim
    warnings = [a for a in _annotations(capsys.readouterr().out) if a[0] == "warning"]
    (claim,) = [a for a in warnings if f"the {kind} exemption" in a[2]]
    assert claim[1]["line"] == str(_line_of(path, key))
    assert claim[1]["file"].endswith("finetune-proposal.yml")
    assert "approved by nobody" in claim[2] and "does not require approval" in claim[2]


def test_a_claim_the_policy_wants_approved_is_a_warning_too_and_the_margin_decides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _with_constraints(tmp_path, "  max_latency_ms: 1\n")
    policy = tmp_path / "policy.yml"
    policy.write_text("version: 1\nexemptions: {require_approval: true}\n", encoding="utf-8")
    assert main(["check", "--format", "github", "--policy", str(policy), str(path)]) == 1
    annotations = _annotations(capsys.readouterr().out)
    (claim,) = [a for a in annotations if a[0] == "warning" and "latency exemption" in a[2]]
    assert claim[1]["line"] == str(_line_of(path, "max_latency_ms"))
    assert "the margin decides" in claim[2]


def test_an_approved_claim_is_no_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _with_constraints(tmp_path, "  max_latency_ms: 1\n")
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
    path = _with_constraints(tmp_path, "  max_latency_ms: 1\n")
    assert main(["check", "--format", "json", str(path)]) == 0
    (claim,) = json.loads(capsys.readouterr().out)["results"][0]["exemption_claims"]
    assert (claim["pointer"], claim["line"], claim["column"]) == (
        "/constraints/max_latency_ms",
        _line_of(path, "max_latency_ms"),
        19,
    )
