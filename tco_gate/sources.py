"""Where a run reads its files: the work tree on disk, or a commit read through git.

Both speak in the paths a user types (relative to the current folder, or absolute). A GitRef maps such a
path into its repository and reads it as it was at the commit, so "the policy of the base commit" is the
same question as "the policy on disk", asked of another Source.

Reading raises OSError, as reading a file does: FileNotFoundError when the path is not there.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
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

    @property
    def root(self) -> Path | None:
        """The root of the repository the source reads; None when it reads no repository."""
        ...

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

    def repository_proposals(self) -> list[Path] | None:
        """Every proposal the repository holds (a run's names must be unique among them all, whatever subset
        it checks), as absolute paths; None when the source is not a repository."""
        ...

    def read(self, path: Path) -> bytes:
        """The file's bytes. Raises OSError (FileNotFoundError when it is not there)."""
        ...

    def display(self, path: Path) -> str:
        """The path as a report shows it."""
        ...


class WorkTree:
    """The files on disk, in the repository git reports for the current folder (if any).

    The repository's root is asked of git once, for the whole run: a stray `.git` inside it (a folder or a file
    a team left behind) is not a root, so it cannot make a team's `.tco-gate.yml` the root policy.
    """

    @cached_property
    def root(self) -> Path | None:
        """The root of the work tree the current folder is in; None outside a repository or without git."""
        try:
            return git.toplevel(Path.cwd())
        except git.GitError:
            return None

    def find_proposals(self, paths: Sequence[Path]) -> list[Path]:
        found: set[Path] = set()
        for path in paths:
            if path.is_file() and path.name == POLICY_NAME:
                found.update(self._governed(path.parent))
            elif path.is_file():
                found.add(path)
            elif path.is_dir():
                found.update(_walk(path))
            elif _is_special(path):
                raise UsageError(f"{path}: {_special(path)}")
            else:
                raise UsageError(f"{path}: no such file or folder")
        return sorted(found)

    def _governed(self, folder: Path) -> Iterable[Path]:
        """The proposals a policy file in `folder` governs: in a repository, those git tracks (a file lying
        untracked in the work tree is nobody's proposal yet); elsewhere every one below the folder."""
        tracked = self.repository_proposals()
        if tracked is None or not folder.resolve().is_relative_to(self.root or folder.resolve()):
            return _walk(folder)
        inside = folder.resolve()
        return [_as_given(path, folder) for path in tracked if path.is_relative_to(inside)]

    def find_policies(self, proposal: Path) -> PolicyChain:
        found: list[Path] = []
        folder = proposal.resolve().parent
        root = self.root if self.root is not None and folder.is_relative_to(self.root) else None
        while True:
            candidate = folder / POLICY_NAME
            if candidate.is_file():
                found.append(candidate)
            if folder == root or (root is None and (folder / ".git").exists()):
                # In the run's repository, up to the root git reports; outside it, up to the folder holding
                # `.git` (a file in a linked worktree).
                at_root = bool(found) and found[-1].parent == folder
                break
            if folder.parent == folder:  # outside any repository: the topmost policy stands for the root
                at_root = bool(found)
                break
            folder = folder.parent
        found.reverse()
        return PolicyChain(found[0], tuple(found[1:])) if at_root else PolicyChain(None, tuple(found))

    def repository_proposals(self) -> list[Path] | None:
        return None if self._tracked is None else list(self._tracked)

    @cached_property
    def _tracked(self) -> tuple[Path, ...] | None:
        """The proposal files git tracks, asked once a run."""
        root = self.root
        if root is None:
            return None
        return tuple(root / name for name in git.tracked_files(root) if _is_proposal(name))

    def read(self, path: Path) -> bytes:
        return read_regular_file(path)

    def display(self, path: Path) -> str:
        """Relative to the current folder when below it, with `/`."""
        try:
            return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file. A FIFO, a socket or a device is refused without waiting on it (opening a
    FIFO for reading blocks until someone writes), as OSError, like every other file that cannot be read."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a FIFO, a socket or a device)", str(path))
        return handle.read()


def _as_given(path: Path, folder: Path) -> Path:
    """A tracked file (absolute) as a path below `folder`, written the way the user wrote the folder."""
    return folder / path.relative_to(folder.resolve())


def leads_nowhere(path: Path) -> str | None:
    """Why a path found in a folder cannot be a file to read (a link to nothing, a link that loops), or None.

    A folder's walk lists a link by its name; such a link must be reported as a folder's own path is, not
    resolved as if it led somewhere.
    """
    try:
        path.stat()
    except OSError:
        return _special(path) if _is_special(path) else "no such file or folder"
    return None


def _is_special(path: Path) -> bool:
    """A path that is there but is neither a file nor a folder (a FIFO, a socket), or a link loop."""
    try:
        path.lstat()
    except OSError:
        return False
    return True


def _special(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops: it leads to no file"
        return "a symbolic link to nothing: no such file or folder"
    return "not a file or a folder (a FIFO, a socket or a device): nothing to read"


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
    def fetched(cls, commit: str, repo: Path, *, server: str | None = None, token: str | None = None) -> GitRef:
        """The commit `commit` of `repo`, fetched first when the clone lacks it (a shallow CI checkout).

        With `server` and `token`, that one fetch sends the token to the server (a private repository after
        `persist-credentials: false`), through git's environment: it is never written to `.git/config`.
        Raises GitError, saying what a private repository needs, when the fetch fails.
        """
        root = git.toplevel(repo)
        if not git.has_commit(root, commit):
            auth = git.HttpToken(server, token) if server and token else None
            try:
                git.fetch_commit(root, commit, token=auth)
            except git.GitError as exc:
                hint = "" if auth else " (no token was given for it)"
                raise git.GitError(
                    f"cannot fetch the base commit {commit} from origin{hint}: {exc}. On a private repository the "
                    "job's token needs `contents: read`"
                ) from None
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

    def repository_proposals(self) -> list[Path] | None:
        return [self.root / name for name in self._files if _is_proposal(name)]

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
