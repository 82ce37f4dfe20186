"""Real git repositories for the tests that need one: one way to run git in them, with a fixed author."""

from __future__ import annotations

import subprocess
from pathlib import Path

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
