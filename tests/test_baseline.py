"""`check --base REF [--changed]`: base-commit policies and the change against the base, in a real repository."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tco_gate.analysis.sampling import Sampling
from tco_gate.baseline import compare
from tco_gate.cli import main
from tco_gate.options import RunOptions
from tco_gate.sources import GitRef

from .gitrepo import git

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PASSES, FAILS, EXEMPT = "listing-categorizer", "support-triage", "discharge-coding-eu"
STRICT = "version: 1\nmin_savings_pct: 10\n"
LOOSE = (
    "version: 1\nmin_savings_pct: -1000\non_fail: warn\nwaivers:\n"
    '  - {proposal: support-triage, reason: "we say so", approved_by: "@me", expires: 2099-01-01}\n'
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose first commit (tagged `base`) has a strict policy and three proposals."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / ".tco-gate.yml").write_text(STRICT, encoding="utf-8")
    for name in (PASSES, FAILS, EXEMPT):
        shutil.copytree(EXAMPLES / name, root / "teams" / name)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "tag", "base")
    monkeypatch.chdir(root)
    return root


def _check(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "report.json"
    code = main(["check", *args, "--format", "json", "--output", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}


def _proposal(repo: Path, name: str) -> Path:
    return repo / "teams" / name / "finetune-proposal.yml"


def test_a_change_that_loosens_the_policy_is_judged_by_the_base_policy(repo: Path, tmp_path: Path) -> None:
    (repo / ".tco-gate.yml").write_text(LOOSE, encoding="utf-8")
    code, report = _check(tmp_path, "--base", "base", "--changed")
    assert code == 1  # the waiver and `on_fail: warn` of the change do not apply
    verdicts = {r["name"]: r["verdict"] for r in report["results"]}
    assert verdicts == {PASSES: "pass", FAILS: "fail", EXEMPT: "exempt"}  # a changed policy selects all it governs
    failing = next(r for r in report["results"] if r["name"] == FAILS)
    assert failing["policy"]["file"] == "base:.tco-gate.yml"
    assert failing["policy"]["sources"]["min_savings_pct"] == "base"
    assert failing["policy"]["sources"]["on_fail"] == "default"
    assert failing["policy"]["min_savings_pct"] == 10
    assert report["base"]["policies_changed"] == [".tco-gate.yml"]
    assert {c["status"] for c in report["base"]["changes"]} == {"unchanged"}


def test_without_base_the_same_change_would_have_passed_itself(repo: Path, tmp_path: Path) -> None:
    (repo / ".tco-gate.yml").write_text(LOOSE, encoding="utf-8")
    code, report = _check(tmp_path)
    assert code == 0 and report["base"] is None
    assert next(r for r in report["results"] if r["name"] == FAILS)["verdict"] == "waived"


def test_changed_checks_only_the_one_proposal_that_changed(repo: Path, tmp_path: Path) -> None:
    path = _proposal(repo, FAILS)
    path.write_text(path.read_text(encoding="utf-8").replace("monthly_eng_hours: 40", "monthly_eng_hours: 20"))
    code, report = _check(tmp_path, "--base", "base", "--changed")
    assert [r["name"] for r in report["results"]] == [FAILS]
    (change,) = report["base"]["changes"]
    assert change["status"] == "changed" and change["base_verdict"] == "fail" and not change["verdict_changed"]
    assert change["finetune_change_usd"] == -72000.0  # 20 hours a month less, at $150, over 24 months
    assert change["prompting_change_usd"] == 0.0
    assert [(i["option"], i["change_usd"]) for i in change["line_items"]] == [("finetune", -72000.0)]
    assert code == 1


def test_nothing_changed_is_an_empty_run_that_passes(repo: Path, tmp_path: Path) -> None:
    code, report = _check(tmp_path, "--base", "base", "--changed")
    assert code == 0 and report["results"] == [] and report["base"]["changes"] == []


def test_a_new_proposal_is_new_and_a_deleted_one_is_listed_as_removed(repo: Path, tmp_path: Path) -> None:
    shutil.rmtree(repo / "teams" / EXEMPT)
    shutil.copytree(EXAMPLES / PASSES, repo / "teams" / "copy")
    copy = _proposal(repo, "copy")
    copy.write_text(copy.read_text(encoding="utf-8").replace("name: listing-categorizer", "name: listing-copy"))
    code, report = _check(tmp_path, "--base", "base", "--changed")
    assert [(c["name"], c["status"]) for c in report["base"]["changes"]] == [("listing-copy", "new")]
    assert report["base"]["changes"][0]["base_verdict"] is None
    assert report["base"]["removed"] == [
        {"path": f"teams/{EXEMPT}/finetune-proposal.yml", "name": EXEMPT, "base_verdict": "exempt"}
    ]
    assert code == 0


def test_changed_needs_a_base_and_the_base_must_exist(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--changed"]) == 2
    assert "--changed needs --base" in capsys.readouterr().err
    assert main(["check", "--base", "no-such-ref"]) == 2
    assert "no-such-ref" in capsys.readouterr().err


def test_the_markdown_report_says_what_changed_against_the_base(repo: Path, tmp_path: Path) -> None:
    shutil.rmtree(repo / "teams" / EXEMPT)
    shutil.copytree(EXAMPLES / PASSES, repo / "teams" / "copy")
    copy = _proposal(repo, "copy")
    copy.write_text(copy.read_text(encoding="utf-8").replace("name: listing-categorizer", "name: listing-copy"))
    (repo / ".tco-gate.yml").write_text(LOOSE, encoding="utf-8")
    out = tmp_path / "report.md"
    assert main(["check", "--base", "base", "--changed", "--format", "markdown", "--output", str(out)]) == 1
    markdown = out.read_text(encoding="utf-8")
    assert "This change edits `.tco-gate.yml`" in markdown
    assert f"- `teams/{EXEMPT}/finetune-proposal.yml` ({EXEMPT}, exempt at the base)" in markdown
    assert "**Against the base:** new in this change." in markdown
    assert "re-checked because its policy changed; the verdict is unchanged (fail)" in markdown
    assert "`.tco-gate.yml` as of the base commit" in markdown


def test_a_verdict_that_moves_is_said_so(repo: Path, tmp_path: Path) -> None:
    path = _proposal(repo, PASSES)
    path.write_text(path.read_text(encoding="utf-8").replace("monthly_eng_hours: 80", "monthly_eng_hours: 800"))
    out = tmp_path / "report.md"
    assert main(["check", "--base", "base", "--changed", "--format", "markdown", "--output", str(out)]) == 1
    assert "the verdict moved from pass to **fail**" in out.read_text(encoding="utf-8")


def test_policy_flag_read_at_the_base_and_a_folder_the_change_adds(repo: Path, tmp_path: Path) -> None:
    (repo / "custom.yml").write_text(STRICT, encoding="utf-8")
    git(repo, "add", "custom.yml")
    git(repo, "commit", "-qm", "custom policy")
    git(repo, "tag", "-f", "base")
    (repo / "custom.yml").write_text(LOOSE, encoding="utf-8")  # edited in the change: still read from the base
    shutil.copytree(EXAMPLES / FAILS, repo / "added" / FAILS)
    copy = repo / "added" / FAILS / "finetune-proposal.yml"
    copy.write_text(copy.read_text(encoding="utf-8").replace("name: support-triage", "name: triage-two"))
    code, report = _check(tmp_path, "--base", "base", "--changed", "--policy", "custom.yml", "added")
    assert code == 1
    (result,) = report["results"]
    assert result["policy"]["sources"]["min_savings_pct"] == "base"
    assert report["base"]["changes"][0]["status"] == "new"
    assert report["base"]["policies_changed"] == ["custom.yml"]


def test_a_path_neither_here_nor_at_the_base_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--base", "base", "nowhere"]) == 2
    assert "no such file or folder here or at base" in capsys.readouterr().err


def test_findings_in_a_base_policy_are_annotated_at_the_repository_path(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".tco-gate.yml").write_text("version: 1\nmin_savings_pct: lots\n", encoding="utf-8")
    git(repo, "commit", "-qam", "a broken policy")
    git(repo, "tag", "broken")
    (repo / ".tco-gate.yml").write_text(STRICT, encoding="utf-8")
    assert main(["check", "--base", "broken", "--format", "github"]) == 2
    annotations = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("::error file=.tco-gate.yml,")
    ]
    assert annotations and all("line=2" in line for line in annotations)


def test_fetching_refuses_what_is_not_a_commit_id(repo: Path) -> None:
    from tco_gate.git import GitError, fetch_commit

    with pytest.raises(GitError, match="not a commit id"):
        fetch_commit(repo, "--upload-pack=evil")


def test_both_sides_are_judged_with_the_same_draws_and_any_number_of_workers(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLES / "catalog-enricher", repo / "teams" / "ranges")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "ranges")
    git(repo, "tag", "-f", "base")
    ranged = _proposal(repo, "ranges")
    ranged.write_text(ranged.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")
    baseline, _ = compare(RunOptions(sampling=Sampling(300, 7)), base=GitRef("base"), today=date(2026, 11, 29))
    (touched,) = [c for c in baseline.comparisons if c.changed]
    assert touched.base is not None and touched.base.analysis is not None
    drawn = [r.analysis.uncertainty for r in (touched.head, touched.base) if r.analysis is not None]
    assert [u.draws for u in drawn if u is not None] == [300, 300]  # not the default 10,000 on the base side
    serial = _check(tmp_path, "--base", "base", "--jobs", "1")
    assert _check(tmp_path, "--base", "base", "--jobs", "2") == serial
