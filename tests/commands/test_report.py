"""`tco-gate report PATHS`: a review document is evidence, not the gate, so failing verdicts exit 0; but input it
could not judge (a path that is not there, a file that cannot be read or validated) exits 2, as `check` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tco_gate.cli import main
from tests.paths import EXAMPLES

FAILING = str(EXAMPLES / "support-triage" / "finetune-proposal.yml")


@pytest.mark.parametrize("format", ["html", "markdown", "json", "text"])
def test_a_missing_path_exits_2_as_check_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], format: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "nope"]) == 2
    capsys.readouterr()
    assert main(["report", "nope", "--format", format, "--output", "r.out"]) == 2
    assert "nope: no such file or folder" in capsys.readouterr().err


def test_an_invalid_proposal_beside_a_valid_one_exits_2_and_the_document_still_shows_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "finetune-proposal.yml"
    broken.write_text("version: 2\n", encoding="utf-8")
    out = tmp_path / "review.html"
    assert main(["report", FAILING, str(broken), "--format", "html", "--output", str(out)]) == 2
    document = out.read_text(encoding="utf-8")
    assert "support-triage" in document and "INVALID" in document


def test_failing_verdicts_alone_still_exit_0(tmp_path: Path) -> None:
    out = tmp_path / "review.md"
    assert main(["report", FAILING, "--format", "markdown", "--output", str(out)]) == 0
    assert "FAIL" in out.read_text(encoding="utf-8")
