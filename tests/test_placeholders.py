"""Justifications that say nothing: a placeholder (`n/a`, `tbd`, `-`) or invisible characters only is an error at
its line, in a proposal's `constraints.data_residency` and in a waiver's or an approval's `reason`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tco_gate.cli import main
from tco_gate.placeholders import emptiness
from tests.factories import FAILING, line_of, with_constraints

INVISIBLE = ('"\u200b"', '"\u200b\u2060 \u00a0"', '"\u3164"')  # zero-width, word joiner, no-break space, filler


@pytest.mark.parametrize(
    "written",
    [*("'n/a'", "N/A", "none", "None.", "(tbd)", "TBD", "'-'", "--", "...", "x"), *INVISIBLE],
)
def test_a_placeholder_justification_is_an_error_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    path = with_constraints(tmp_path, f"  data_residency: {written}\n")
    assert main(["check", "--format", "json", str(path)]) == 2
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert result["verdict"] == "invalid"
    (finding,) = result["findings"]
    assert finding["pointer"] == "/constraints/data_residency"
    assert finding["line"] == line_of(path, "data_residency")
    assert re.search(
        r"is not a justification \((it is a placeholder|it holds only invisible characters)\)", finding["message"]
    )
    assert "\u200b" not in finding["message"]  # invisible characters are named by code point, never echoed raw


@pytest.mark.parametrize(
    ("written", "shown", "why"),
    [
        ("TBD", "`TBD`", "it is a placeholder"),  # visible text is quoted as written
        ('" \u200b \u2060 "', "`U+200B U+2060`", "it holds only invisible characters"),  # spaces inside stay spaces
    ],
)
def test_a_placeholder_justification_is_quoted_whole_in_its_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, shown: str, why: str
) -> None:
    path = with_constraints(tmp_path, f"  data_residency: {written}\n")
    assert main(["check", "--format", "json", str(path)]) == 2
    (finding,) = json.loads(capsys.readouterr().out)["results"][0]["findings"]
    assert finding["message"] == (
        f"`data_residency`: {shown} is not a justification ({why}): say why, in words a reviewer can check"
    )


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
