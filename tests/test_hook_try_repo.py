"""The pre-commit hook for real: `pre-commit try-repo` against this checkout, in a throwaway git repository.

try-repo installs the hook the way a user's pre-commit does (a virtualenv, `pip install` of this checkout,
uncommitted changes included) and runs it on the staged files, so each test costs one install (about 20 s).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import git
from tests.tools import require_tool

pytestmark = pytest.mark.tools  # slow: pre-commit try-repo installs the hook into its own environment

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
ROOT_POLICY = "version: 1\nmin_savings_pct: 10\n"
# A proposal with one typo: the hook must name the file, line and column.
TYPO = ("  base_model:", "  base_modle:")


def _add_proposal(repo: Path, folder: str, example: str, *, typo: bool = False) -> None:
    text = (EXAMPLES / example / "finetune-proposal.yml").read_text(encoding="utf-8")
    if typo:
        assert TYPO[0] in text
        # A name of its own too: two proposals with one name are both invalid.
        text = text.replace(*TYPO).replace(f"\nname: {example}\n", f"\nname: {example}-typo\n")
    (repo / folder).mkdir()
    (repo / folder / "finetune-proposal.yml").write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A team's repository whose first commit holds only the reviewers' root policy."""
    repo = tmp_path / "team-repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / ".tco-gate.yml").write_text(ROOT_POLICY, encoding="utf-8")
    (repo / "README.md").write_text("A team's repository.\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "policy")
    return repo


def _try_repo(repo: Path) -> tuple[int, str]:
    """Run the hook from this checkout on what is staged in `repo`; pre-commit's exit code and its output."""
    pre_commit = require_tool("pre-commit")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PRE_COMMIT_COLOR": "never"}
    done = subprocess.run(
        [pre_commit, "try-repo", str(ROOT), "tco-gate", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.returncode, done.stdout + done.stderr


def _line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(start))


def _hook_section(output: str) -> str:
    """What the hook printed, after pre-commit's own header (the config it used)."""
    marker = output.index("tco-gate....")
    return output[marker:]


def test_try_repo_lets_a_passing_proposal_through(repo: Path) -> None:
    _add_proposal(repo, "pass", "listing-categorizer")
    git(repo, "add", "pass/finetune-proposal.yml")

    code, output = _try_repo(repo)

    assert code == 0, output
    assert "Passed" in _hook_section(output)
    assert "Failed" not in output


def test_try_repo_stops_a_failing_and_an_invalid_proposal(repo: Path) -> None:
    _add_proposal(repo, "pass", "listing-categorizer")
    _add_proposal(repo, "fail", "support-triage")
    _add_proposal(repo, "broken", "listing-categorizer", typo=True)
    # A newcomer's first proposal: `tco-gate init` in a folder it makes, named after it, the figures left in.
    tco_gate = str(Path(sys.executable).parent / "tco-gate")
    subprocess.run([tco_gate, "init", "teams/my-first"], cwd=repo, check=True, capture_output=True)
    git(repo, "add", ".")

    code, output = _try_repo(repo)
    hook = _hook_section(output)

    assert code == 1, output
    assert "Failed" in hook
    assert "- exit code: 2" in hook  # invalid input wins over a failure
    assert "PASS  listing-categorizer  pass/finetune-proposal.yml" in hook
    assert "FAIL  support-triage  fail/finetune-proposal.yml" in hook
    assert "fine-tuning costs 266.26% more than prompting; the policy requires a saving of at least 10%" in hook
    assert "INVALID  listing-categorizer-typo  broken/finetune-proposal.yml" in hook
    assert "FAIL  my-first  teams/my-first/finetune-proposal.yml" in hook
    typo_line = _line_of(EXAMPLES / "listing-categorizer" / "finetune-proposal.yml", TYPO[0])
    finding = f"broken/finetune-proposal.yml:{typo_line}:3: error: unknown key `base_modle`; did you mean `base_model`?"
    assert finding in hook
    assert "Traceback" not in output


def test_try_repo_on_a_commit_that_only_touches_the_policy_checks_what_it_governs(repo: Path) -> None:
    _add_proposal(repo, "pass", "listing-categorizer")
    _add_proposal(repo, "fail", "support-triage")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "proposals, before the hook was installed")
    (repo / ".tco-gate.yml").write_text("version: 1\nmin_savings_pct: 99\n", encoding="utf-8")
    git(repo, "add", ".tco-gate.yml")

    code, output = _try_repo(repo)
    hook = _hook_section(output)

    assert code == 1, output
    assert "- exit code: 1" in hook
    # The one staged file is the policy: it is not read as a proposal, it brings in both proposals it governs.
    assert "INVALID" not in hook
    assert "FAIL  listing-categorizer  pass/finetune-proposal.yml" in hook
    assert "FAIL  support-triage  fail/finetune-proposal.yml" in hook
    assert "the policy requires a saving of at least 99%" in hook
    assert "2 proposals: 0 pass, 2 fail" in hook
