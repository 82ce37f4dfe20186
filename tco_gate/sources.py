"""Where a run reads its files: the work tree on disk, or a commit read through git.

Both speak in the paths a user types (relative to the current folder, or absolute). A GitRef maps such a
path into its repository and reads it as it was at the commit, so "the policy of the base commit" is the
same question as "the policy on disk", asked of another Source.

Reading raises OSError, as reading a file does: FileNotFoundError when the path is not there.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from . import git
from .errors import UsageError

PROPOSAL_NAMES = ("finetune-proposal.yml", "finetune-proposal.yaml")
POLICY_NAME = ".tco-gate.yml"
# Folders a repository keeps tools and dependencies in: never a team's proposal, and slow to walk.
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", ".nox", "__pycache__"})


@dataclass(frozen=True)
class PolicyChain:
    """The policy files that govern one proposal: the root policy (at the repository root; None for the
    built-in defaults) and the nested ones between it and the proposal, top-down."""

    root: Path | None
    nested: tuple[Path, ...] = ()


class Source(Protocol):
    """Files a run can list and read."""

    def find_proposals(self, paths: Sequence[Path]) -> list[Path]:
        """Files named as they are; folders searched for `finetune-proposal.y*ml`. UsageError for a path
        that is not there.

        A `.tco-gate.yml` stands for every proposal it governs, those in its folder and below: the pre-commit
        hook passes just the policy when a commit touches only the policy, and a policy change is judged by
        the verdicts it changes.
        """
        ...

    def find_policies(self, proposal: Path) -> PolicyChain:
        """Every `.tco-gate.yml` from the repository root down to the proposal's folder."""
        ...

    def read(self, path: Path) -> bytes:
        """The file's bytes. Raises OSError (FileNotFoundError when it is not there)."""
        ...

    def display(self, path: Path) -> str:
        """The path as a report shows it."""
        ...


class WorkTree:
    """The files on disk."""

    def find_proposals(self, paths: Sequence[Path]) -> list[Path]:
        found: set[Path] = set()
        for path in paths:
            if path.is_file() and path.name == POLICY_NAME:
                found.update(_walk(path.parent))
            elif path.is_file():
                found.add(path)
            elif path.is_dir():
                found.update(_walk(path))
            else:
                raise UsageError(f"{path}: no such file or folder")
        return sorted(found)

    def find_policies(self, proposal: Path) -> PolicyChain:
        # Up to the folder holding `.git` (a file in a linked worktree); outside a repository up to the
        # filesystem root, where the topmost policy found stands for the root policy.
        found: list[Path] = []
        folder = proposal.resolve().parent
        while True:
            candidate = folder / POLICY_NAME
            if candidate.is_file():
                found.append(candidate)
            if (folder / ".git").exists():
                at_root = bool(found) and found[-1].parent == folder
                break
            if folder.parent == folder:
                at_root = bool(found)
                break
            folder = folder.parent
        found.reverse()
        return PolicyChain(found[0], tuple(found[1:])) if at_root else PolicyChain(None, tuple(found))

    def read(self, path: Path) -> bytes:
        return path.read_bytes()

    def display(self, path: Path) -> str:
        """Relative to the current folder when below it, with `/`."""
        try:
            return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        yield from (Path(root) / name for name in files if name in PROPOSAL_NAMES)


class GitRef:
    """The files of one commit of the repository `repo` is in, read through git; the work tree is not read.

    Raises GitError (exit 2) when `repo` is not in a repository or `ref` names no commit. Only regular
    files count: a symlink or a submodule at a path reads as absent.
    """

    def __init__(self, ref: str, repo: Path | None = None) -> None:
        self.root = git.toplevel(repo or Path.cwd())
        self.ref = ref
        self.commit = git.commit_of(self.root, ref)
        self._files = git.files_at(self.root, self.commit)

    @classmethod
    def fetched(cls, commit: str, repo: Path) -> GitRef:
        """The commit `commit` of `repo`, fetched first when the clone lacks it (a shallow CI checkout)."""
        root = git.toplevel(repo)
        if not git.has_commit(root, commit):
            git.fetch_commit(root, commit)
        return cls(commit, root)

    def changed_files(self, under: str) -> list[str]:
        """Files under `under` (from the repository root) that differ between this commit and HEAD."""
        return git.changed_paths(self.root, self.commit, under)

    def find_proposals(self, paths: Sequence[Path]) -> list[Path]:
        found: set[str] = set()
        for path in paths:
            where = self._relative(path)
            if where in self._files and where.rpartition("/")[2] == POLICY_NAME:
                where = where.rpartition("/")[0]
            elif where in self._files:
                found.add(where)
                continue
            below = [name for name in self._files if not where or name.startswith(where + "/")]
            if where and not below:  # the root is always there, even in a commit with no files
                raise UsageError(f"{path}: no such file or folder at {self.ref}")
            found.update(name for name in below if _is_proposal(name.removeprefix(where).lstrip("/")))
        return sorted(self.root / name for name in found)

    def find_policies(self, proposal: Path) -> PolicyChain:
        found: list[Path] = []
        folder = self._relative(proposal).rpartition("/")[0]
        while folder:
            if f"{folder}/{POLICY_NAME}" in self._files:
                found.append(self.root / folder / POLICY_NAME)
            folder = folder.rpartition("/")[0]
        found.reverse()
        return PolicyChain(self.root / POLICY_NAME if POLICY_NAME in self._files else None, tuple(found))

    def read(self, path: Path) -> bytes:
        where = self._relative(path)
        if where not in self._files:
            raise FileNotFoundError(errno.ENOENT, f"not a file at {self.ref}", self.display(path))
        return git.read_blob(self.root, self._files[where].blob)

    def display(self, path: Path) -> str:
        """`REF:path`, the way git names a file at a commit (`git show main:.tco-gate.yml`)."""
        return f"{self.ref}:{self._relative(path)}"

    def _relative(self, path: Path) -> str:
        """`path` from the repository root, with `/`; empty for the root itself."""
        absolute = Path(os.path.normpath(Path.cwd() / path))  # lexically: the path need not exist on disk
        try:
            where = absolute.relative_to(self.root)
        except ValueError:
            raise UsageError(f"{path}: outside the repository at {self.root}") from None
        return "" if where == Path() else where.as_posix()


def _is_proposal(below: str) -> bool:
    """A proposal's file name, not inside a skipped folder (the folder asked for itself may be one)."""
    *folders, name = below.split("/")
    return name in PROPOSAL_NAMES and not SKIPPED_DIRS.intersection(folders)
