"""Evidence files read through a Source: the work tree's special files, a commit's files, the folder bounds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tco_gate.evidence_files import confine, read_evidence
from tco_gate.sources import GitRef, WorkTree
from tests.gitrepo import git


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "finetune-proposal.yml").write_text("version: 1\n")
    (tmp_path / "svc" / "log.jsonl").write_text('{"id": 1, "correct": true}\n')
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "one")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_fifo_is_refused_without_waiting_on_it(repo: Path) -> None:
    os.mkfifo(repo / "svc" / "pipe.jsonl")
    read = read_evidence(WorkTree(), repo / "svc" / "finetune-proposal.yml", "pipe.jsonl")
    assert read.data is None and read.problem == "cannot be read: not a regular file (a FIFO, a socket or a device)"


def test_a_commit_is_read_through_git_and_names_its_files_as_git_does(repo: Path) -> None:
    (repo / "svc" / "log.jsonl").write_text("changed in the work tree\n")
    source = GitRef("main", repo)
    read = read_evidence(source, repo / "svc" / "finetune-proposal.yml", "log.jsonl")
    assert (read.shown, read.data) == ("main:svc/log.jsonl", b'{"id": 1, "correct": true}\n')
    missing = read_evidence(source, repo / "svc" / "finetune-proposal.yml", "other.jsonl")
    assert (missing.shown, missing.problem) == ("main:svc/other.jsonl", "no such file")
    assert confine(source, repo / "svc" / "finetune-proposal.yml", "../../x").problem.startswith("`..` climbs above")


def test_windows_absolute_paths_are_absolute_too(repo: Path) -> None:
    for written in ("C:\\evals\\p.json", "\\\\server\\share\\p.json"):
        assert confine(WorkTree(), repo / "svc" / "finetune-proposal.yml", written).problem.startswith("an absolute")
