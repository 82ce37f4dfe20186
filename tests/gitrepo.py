"""Real git repositories for the tests that need one: one way to run git in them, with a fixed author."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .paths import EXAMPLES
from .tools import require_tool


def git(repo: Path, *args: str) -> str:
    """`git ARGS` in `repo` as a fixed test author, unsigned; its stdout, stripped. Raises on a failure.

    A missing git fails the test in CI and skips it elsewhere, as every tool the tests drive does."""
    done = subprocess.run(
        [
            require_tool("git", via="apt:git"),
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.test",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def pull_request_source(src: Path) -> tuple[str, Path]:
    """A new repository at `src` whose first commit holds a root policy (a 10% margin) and the failing
    support-triage example under `svc/`: the base commit of a pull request. Returns its SHA and the proposal,
    for the test to change and commit as the pull request's head."""
    src.mkdir()
    git(src, "init", "-q", "-b", "main")
    (src / ".tco-gate.yml").write_text("version: 1\nmin_savings_pct: 10\n")
    shutil.copytree(EXAMPLES / "support-triage", src / "svc")
    git(src, "add", "-A")
    git(src, "commit", "-qm", "base")
    return git(src, "rev-parse", "HEAD"), src / "svc" / "finetune-proposal.yml"
