"""WorkTree and GitRef: the same questions asked of the disk and of a commit in a real git repository."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tco_gate import cli
from tco_gate.errors import UsageError
from tco_gate.git import GitError
from tco_gate.options import RunOptions
from tco_gate.result import Outcome, ReasonCode
from tco_gate.run import run
from tco_gate.sources import GitRef, PolicyChain, WorkTree

from .gitrepo import git

CASES = Path(__file__).parent / "cases"
SPEC = (CASES / "valid" / "spec-example" / "finetune-proposal.yml").read_bytes()
TODAY = date(2026, 11, 28)
STRICT = b"version: 1\nmin_savings_pct: 99\nexemptions: {accuracy_gap_pct: false}\n"
LOOSE = b"version: 1\nmin_savings_pct: -1000\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real repository, the current folder: commit `base` holds a strict root policy and one proposal."""
    root = tmp_path / "repo"
    (root / "svc" / "a").mkdir(parents=True)
    (root / "svc" / "a" / "finetune-proposal.yml").write_bytes(SPEC)
    (root / ".tco-gate.yml").write_bytes(STRICT)
    (root / "node_modules" / "x").mkdir(parents=True)
    (root / "node_modules" / "x" / "finetune-proposal.yml").write_bytes(SPEC)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    monkeypatch.chdir(root)
    return root


def test_a_git_ref_lists_and_reads_the_commit_not_the_disk(repo: Path) -> None:
    # After the commit the work tree moves on: a new proposal, a loosened policy.
    (repo / "svc" / "b").mkdir()
    (repo / "svc" / "b" / "finetune-proposal.yaml").write_bytes(SPEC)
    (repo / ".tco-gate.yml").write_bytes(LOOSE)
    at_base = GitRef("base")
    assert at_base.find_proposals([Path()]) == [repo / "svc" / "a" / "finetune-proposal.yml"]
    assert WorkTree().find_proposals([Path()]) == [
        Path("svc/a/finetune-proposal.yml"),
        Path("svc/b/finetune-proposal.yaml"),
    ]
    assert at_base.read(Path(".tco-gate.yml")) == STRICT
    assert WorkTree().read(Path(".tco-gate.yml")) == LOOSE
    assert at_base.display(Path("svc/a/finetune-proposal.yml")) == "base:svc/a/finetune-proposal.yml"
    assert at_base.commit == git(repo, "rev-parse", "HEAD")


def test_the_policy_of_the_base_commit_governs_the_work_tree(repo: Path) -> None:
    (repo / ".tco-gate.yml").write_bytes(LOOSE)  # the pull request loosens the gate...
    (repo / "svc" / "a" / "finetune-proposal.yml").write_bytes(
        SPEC.replace(b"evaluation:", b"unused:").split(b"unused:")[0]
    )
    (on_disk,) = run(RunOptions(), today=TODAY)
    assert on_disk.outcome is Outcome.PASS
    (from_base,) = run(RunOptions(), today=TODAY, policy_source=GitRef("base"))  # ...the base commit's policy decides
    assert from_base.outcome is Outcome.FAIL
    assert from_base.settings is not None and from_base.settings.file == "base:.tco-gate.yml"
    assert from_base.path == "svc/a/finetune-proposal.yml"


def test_the_policy_chain_in_the_commit_and_on_disk(repo: Path) -> None:
    (repo / "svc" / ".tco-gate.yml").write_bytes(LOOSE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "nested")
    proposal = Path("svc/a/finetune-proposal.yml")
    nested = PolicyChain(repo / ".tco-gate.yml", (repo / "svc" / ".tco-gate.yml",))
    assert GitRef("HEAD").find_policies(proposal) == nested
    assert GitRef("base").find_policies(proposal) == PolicyChain(repo / ".tco-gate.yml")
    assert WorkTree().find_policies(proposal) == nested


def test_no_policy_at_the_commit_means_the_defaults(repo: Path) -> None:
    git(repo, "rm", "-q", ".tco-gate.yml")
    git(repo, "commit", "-q", "-m", "no policy")
    source = GitRef("HEAD")
    assert source.find_policies(Path("svc/a/finetune-proposal.yml")) == PolicyChain(None)
    (result,) = run(RunOptions(), today=TODAY, source=source)
    assert result.settings is not None and result.settings.file is None


def test_a_file_absent_at_the_commit(repo: Path) -> None:
    (repo / "new.yml").write_bytes(STRICT)  # on disk, never committed
    source = GitRef("base")
    with pytest.raises(FileNotFoundError) as raised:
        source.read(Path("new.yml"))
    assert raised.value.filename == "base:new.yml"
    with pytest.raises(UsageError, match=r"new\.yml: no such file or folder at base"):
        source.find_proposals([Path("new.yml")])
    with pytest.raises(UsageError, match=r"base:new\.yml: no such policy file"):
        run(RunOptions(policy=Path("new.yml")), today=TODAY, policy_source=source)


def test_a_folder_asked_for_is_searched_but_skipped_folders_below_it_are_not(repo: Path) -> None:
    source = GitRef("base")
    assert source.find_proposals([Path("node_modules/x")]) == [repo / "node_modules/x/finetune-proposal.yml"]
    assert source.find_proposals([Path("svc")]) == [repo / "svc/a/finetune-proposal.yml"]


def test_a_policy_named_stands_for_the_proposals_it_governs_on_disk_and_in_a_commit(repo: Path) -> None:
    (repo / "svc" / "b").mkdir()
    (repo / "svc" / "b" / "finetune-proposal.yaml").write_bytes(SPEC)
    (repo / "svc" / "b" / ".tco-gate.yml").write_bytes(STRICT)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "nested")
    root_policy, nested_policy = Path(".tco-gate.yml"), Path("svc/b/.tco-gate.yml")
    assert WorkTree().find_proposals([root_policy]) == [
        Path("svc/a/finetune-proposal.yml"),
        Path("svc/b/finetune-proposal.yaml"),
    ]
    assert WorkTree().find_proposals([nested_policy]) == [Path("svc/b/finetune-proposal.yaml")]
    assert GitRef("HEAD").find_proposals([nested_policy]) == [repo / "svc/b/finetune-proposal.yaml"]
    assert GitRef("HEAD").find_proposals([root_policy]) == [
        repo / "svc/a/finetune-proposal.yml",
        repo / "svc/b/finetune-proposal.yaml",
    ]


def test_symlinks_in_a_commit_are_not_files(repo: Path) -> None:
    (repo / "linked").mkdir()
    (repo / "linked" / "finetune-proposal.yml").symlink_to(repo / "svc" / "a" / "finetune-proposal.yml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link")
    assert GitRef("HEAD").find_proposals([Path()]) == [repo / "svc/a/finetune-proposal.yml"]


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=OUT", "base^{tree}", "HEAD~5", "", "a\0b"])
def test_a_bad_ref_is_a_git_error(repo: Path, tmp_path: Path, ref: str) -> None:
    ref = ref.replace("OUT", str(tmp_path / "written"))
    with pytest.raises(GitError, match=r"names no commit|is not a git ref"):
        GitRef(ref)
    assert not (tmp_path / "written").exists()  # an option-looking ref is never read as an option


def test_outside_a_repository_is_a_git_error(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not a git repository"):
        GitRef("HEAD", tmp_path)


def test_a_path_outside_the_repository_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="outside the repository"):
        GitRef("base").find_proposals([tmp_path])


def test_a_bad_ref_is_exit_2_without_a_traceback(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--base", "no-such-branch"]) == 2
    err = capsys.readouterr().err
    assert err == f"tco-gate: error: `no-such-branch` names no commit in {repo}\n"


def test_an_invalid_policy_at_the_commit_makes_its_proposals_invalid(repo: Path) -> None:
    (repo / ".tco-gate.yml").write_bytes(b"version: 1\nmin_savings_pct: lots\n")
    git(repo, "commit", "-q", "-am", "break the policy")
    (result,) = run(RunOptions(), today=TODAY, source=GitRef("HEAD"))
    assert result.outcome is Outcome.INVALID
    assert [r.code for r in result.reasons] == [ReasonCode.INVALID_POLICY]
    assert result.reasons[0].text == "its policy file HEAD:.tco-gate.yml is invalid"
    assert result.findings[0].path == "HEAD:.tco-gate.yml" and result.findings[0].line == 2


def test_the_work_tree_reports_through_the_cli_as_before(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [r["path"] for r in report["results"]] == ["svc/a/finetune-proposal.yml"]
    assert report["results"][0]["policy"]["file"] == ".tco-gate.yml"


def test_a_commit_with_no_files_has_no_proposals(repo: Path) -> None:
    git(repo, "rm", "-q", "-r", ".")
    git(repo, "commit", "-q", "-m", "empty")
    assert GitRef("HEAD").find_proposals([Path()]) == []
    assert run(RunOptions(), today=TODAY, source=GitRef("HEAD")) == []


def test_a_file_named_at_a_commit_is_checked_whatever_its_name(repo: Path) -> None:
    (repo / "other.yml").write_bytes(SPEC)
    git(repo, "add", "other.yml")
    git(repo, "commit", "-q", "-m", "other")
    assert GitRef("HEAD").find_proposals([Path("other.yml"), Path("svc")]) == [
        repo / "other.yml",
        repo / "svc/a/finetune-proposal.yml",
    ]


def test_without_git_on_the_path_a_commit_cannot_be_read(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(GitError, match=r"git is not installed"):
        GitRef("HEAD")


def test_a_repository_folder_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(GitError, match=r"no such folder"):
        GitRef("HEAD", tmp_path / "missing")


def test_importing_the_cli_does_not_import_subprocess() -> None:
    # Only a run that reads a commit pays for it (bench/run.py times a check against the import floor).
    code = "import sys, tco_gate.cli; print('subprocess' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
