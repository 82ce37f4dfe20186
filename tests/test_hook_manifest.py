""".pre-commit-hooks.yaml read as data: its file pattern, and its entry run in-process on the files it would get."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tco_gate.cli import main
from tests.tools import require_tool

ROOT = Path(__file__).parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
EXAMPLES = ROOT / "examples"


def _hook() -> dict[str, Any]:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["tco-gate"]
    hook: dict[str, Any] = hooks[0]
    return hook


def _matches(path: str) -> bool:
    # pre-commit applies `files` with re.search to each path relative to the repository root, with `/`.
    return re.search(_hook()["files"], path) is not None


def test_manifest_passes_pre_commit_validate_manifest() -> None:
    pre_commit = require_tool("pre-commit")
    done = subprocess.run([pre_commit, "validate-manifest", str(MANIFEST)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_manifest_says_how_pre_commit_runs_the_hook() -> None:
    hook = _hook()
    assert hook["language"] == "python"
    assert shlex.split(hook["entry"]) == ["tco-gate", "check"]
    # All staged files in one run: the unique-name rule spans the run, so pre-commit must not split it.
    assert hook["require_serial"] is True
    assert hook.get("pass_filenames", True) is True


@pytest.mark.parametrize(
    "path",
    [
        "finetune-proposal.yml",
        "finetune-proposal.yaml",
        "services/triage/finetune-proposal.yml",
        ".tco-gate.yml",
        "teams/ml/.tco-gate.yml",
    ],
)
def test_files_pattern_accepts(path: str) -> None:
    assert _matches(path)


@pytest.mark.parametrize(
    "path",
    [
        "finetune-proposal.yml.bak",
        "old-finetune-proposal.yml",
        "finetune-proposal.json",
        "finetune-proposalXyml",
        "docs/finetune-proposal.md",
        "tco-gate.yml",
        ".tco-gate.yaml",
        "x.tco-gate.yml",
        ".tco-gate.yml/notes.txt",
        "README.md",
    ],
)
def test_files_pattern_rejects(path: str) -> None:
    assert not _matches(path)


def _entry_argv(files: list[str]) -> list[str]:
    program, *arguments = shlex.split(_hook()["entry"])
    assert program == "tco-gate"  # the console script is cli.main
    return [*arguments, *files]


@pytest.fixture
def staged_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a passing and a failing proposal and a root policy, as the current folder."""
    (tmp_path / ".git").mkdir()
    for example, folder in (("listing-categorizer", "pass"), ("support-triage", "fail")):
        (tmp_path / folder).mkdir()
        shutil.copy(EXAMPLES / example / "finetune-proposal.yml", tmp_path / folder)
    (tmp_path / ".tco-gate.yml").write_text("version: 1\nmin_savings_pct: 10\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_entry_in_process_passes_a_passing_proposal(staged_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [p for p in ("pass/finetune-proposal.yml",) if _matches(p)]
    assert main(_entry_argv(files)) == 0
    assert "PASS  listing-categorizer" in capsys.readouterr().out


def test_entry_in_process_stops_a_failing_proposal(staged_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [p for p in ("fail/finetune-proposal.yml", "README.md") if _matches(p)]
    assert files == ["fail/finetune-proposal.yml"]
    assert main(_entry_argv(files)) == 1
    out = capsys.readouterr().out
    assert "FAIL  support-triage" in out
    assert "listing-categorizer" not in out


def test_entry_in_process_on_a_staged_policy_checks_every_proposal_it_governs(
    staged_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [p for p in (".tco-gate.yml",) if _matches(p)]
    assert main(_entry_argv(files)) == 1
    out = capsys.readouterr().out
    assert "PASS  listing-categorizer  pass/finetune-proposal.yml" in out
    assert "FAIL  support-triage  fail/finetune-proposal.yml" in out
    assert "policy                .tco-gate.yml" in out


def test_a_staged_policy_that_governs_no_proposal_is_still_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    policy = tmp_path / ".tco-gate.yml"
    policy.write_text("version: 1\nmin_savings_pct: 10\n", encoding="utf-8")
    assert main(_entry_argv([".tco-gate.yml"])) == 0
    assert capsys.readouterr().out == ".tco-gate.yml: a valid policy; it governs no proposal yet\n"

    policy.write_text("version: 1\nmin_savings_pct: 10\nhorizon_month: 24\n", encoding="utf-8")
    assert main(_entry_argv([".tco-gate.yml"])) == 2
    err = capsys.readouterr().err
    assert err == ".tco-gate.yml:3:1: error: unknown key `horizon_month`; did you mean `horizon_months`?\n"


def test_the_hooks_run_imports_nothing_it_does_not_need() -> None:
    # The hook runs `tco-gate check` on every commit: the template, explain, --show-config and the other report
    # formats stay out of its imports (the dispatcher and the renderer registry import them when asked).
    program = (
        "import sys\n"
        "from tco_gate.cli import main\n"
        f"code = main(['check', {str(EXAMPLES / 'listing-categorizer' / 'finetune-proposal.yml')!r}])\n"
        "print('MODULES', ' '.join(sorted(m for m in sys.modules if m.startswith('tco_gate'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    loaded = set(done.stdout.split("MODULES ", 1)[1].split())
    assert "tco_gate.report.text" in loaded  # the probe sees what a run imports
    unneeded = {
        "tco_gate.template",
        "tco_gate.explain",
        "tco_gate.config_view",
        "tco_gate.commands.init",
        "tco_gate.commands.explain",
        "tco_gate.commands.verify",
        "tco_gate.commands.report",
        "tco_gate.report.evidence",
        "tco_gate.report.html",
        "tco_gate.report.sarif",
        "tco_gate.report.junit",
        "tco_gate.report.gitlab",
        "tco_gate.baseline",
        "tco_gate.github.step",
    }
    assert loaded & unneeded == set()
