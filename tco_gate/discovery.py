"""Which files a run checks, and which policy file governs each."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError

PROPOSAL_NAMES = ("finetune-proposal.yml", "finetune-proposal.yaml")
POLICY_NAME = ".tco-gate.yml"
# Folders a repository keeps tools and dependencies in: never a team's proposal, and slow to walk.
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", ".nox", "__pycache__"})


def find_proposals(paths: Iterable[Path]) -> list[Path]:
    """Files named on the command line as they are; folders searched for `finetune-proposal.y*ml`.

    Raises UsageError for a path that does not exist.
    """
    found: set[Path] = set()
    for path in paths:
        if path.is_file():
            found.add(path)
        elif path.is_dir():
            found.update(_walk(path))
        else:
            raise UsageError(f"{path}: no such file or folder")
    return sorted(found)


def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        yield from (Path(root) / name for name in files if name in PROPOSAL_NAMES)


def find_policy(proposal: Path) -> Path | None:
    """The nearest `.tco-gate.yml` from the proposal's folder up to the repository root (the folder
    holding `.git`), or up to the filesystem root outside a repository."""
    folder = proposal.resolve().parent
    while True:
        candidate = folder / POLICY_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def display_path(path: Path) -> str:
    """A path as a report shows it: relative to the current folder when below it, with `/`."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
