"""Every git subprocess tco-gate runs: argument lists (never a shell), refs checked, failures as GitError.

Only sources.py and github/ (which fetches a pull request's base) call this module. Output is read as bytes:
file names in a tree and file contents are bytes in git, and a proposal's text is decoded by the loader,
which reports bad UTF-8 with its place.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TcoGateError

# Regular files only: a symlink's blob is its target's name, and a submodule is another repository.
_FILE_MODES = frozenset({b"100644", b"100755"})


class GitError(TcoGateError):
    """git is missing, the folder is not a repository, or a ref names no commit (exit 2)."""


def _git(repo: Path, args: Sequence[str], config: Sequence[tuple[str, str]] = ()) -> bytes:
    """Run `git ARGS` in `repo`; its stdout, or GitError with git's own complaint.

    `config` is git configuration, (key, value) in order, for this one command, passed in its environment
    (GIT_CONFIG_COUNT, git 2.31 or newer): never written to a file, never on a command line that other
    processes can read.
    """
    import subprocess  # here, not at the top: most runs never read a commit, and every run pays for imports

    # A fixed language for git's messages, and no pager or prompt that could wait for a person.
    env = {**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
    for key, value in config:
        index = int(env.get("GIT_CONFIG_COUNT") or 0)
        env.update({f"GIT_CONFIG_KEY_{index}": key, f"GIT_CONFIG_VALUE_{index}": value})
        env["GIT_CONFIG_COUNT"] = str(index + 1)
    try:
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); it is needed to read a commit") from None
    if done.returncode != 0:
        complaint = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed in {repo}: {complaint[-1] if complaint else f'exit {done.returncode}'}")
    return done.stdout


def toplevel(folder: Path) -> Path:
    """The root of the work tree `folder` is in. Raises GitError outside a repository."""
    if not folder.is_dir():
        raise GitError(f"{folder}: no such folder")
    return Path(os.fsdecode(_git(folder, ["rev-parse", "--show-toplevel"]).rstrip(b"\n"))).resolve()


def commit_of(repo: Path, ref: str) -> str:
    """The full commit id `ref` names in `repo`. Raises GitError when it names no commit.

    `--end-of-options` keeps a ref such as `--output=x` from being read as an option, and `^{commit}`
    refuses a tag or tree that is not (or does not point to) a commit.
    """
    if not ref or "\0" in ref:
        raise GitError(f"{ref!r} is not a git ref")
    try:
        found = _git(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"])
    except GitError:
        raise GitError(f"`{ref}` names no commit in {repo}") from None
    return found.decode("ascii").strip()


@dataclass(frozen=True)
class TreeFile:
    """A regular file in a commit: its path from the repository root (with `/`) and its blob id."""

    path: str
    blob: str


def files_at(repo: Path, commit: str) -> dict[str, TreeFile]:
    """Every regular file in `commit`, by its path from the repository root."""
    listing = _git(repo, ["ls-tree", "-r", "-z", "--full-tree", commit])
    files = {}
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, blob = meta.split(b" ")
        if kind == b"blob" and mode in _FILE_MODES:
            path = os.fsdecode(name)
            files[path] = TreeFile(path, blob.decode("ascii"))
    return files


def tracked_files(repo: Path) -> list[str]:
    """Every file git tracks in the work tree (the index: staged new files included), from the root, with `/`."""
    listing = _git(repo, ["ls-files", "-z", "--full-name", "--", ":/"])
    return [os.fsdecode(name) for name in listing.split(b"\0") if name]


def read_blob(repo: Path, blob: str) -> bytes:
    """The bytes of one blob."""
    return _git(repo, ["cat-file", "blob", blob])


def has_commit(repo: Path, sha: str) -> bool:
    """Whether the commit is in the local repository (a shallow clone often lacks the base)."""
    try:
        _git(repo, ["cat-file", "-e", "--end-of-options", f"{sha}^{{commit}}"])
    except GitError:
        return False
    return True


@dataclass(frozen=True)
class HttpToken:
    """A token for one fetch from `server` (e.g. https://github.com), sent as actions/checkout sends it: an
    `AUTHORIZATION: basic` header of `x-access-token:<token>`, scoped to that server's URLs."""

    server: str
    token: str = field(repr=False)

    def config(self) -> list[tuple[str, str]]:
        """The git configuration that sends the token, for one command's environment."""
        import base64

        key = f"http.{self.server.rstrip('/')}/.extraheader"
        credentials = base64.b64encode(f"x-access-token:{self.token}".encode()).decode()
        # An empty value first clears any header a checkout persisted for the same server (a stale token);
        # git then sends this one alone.
        return [(key, ""), (key, f"AUTHORIZATION: basic {credentials}")]


def fetch_commit(repo: Path, sha: str, remote: str = "origin", token: HttpToken | None = None) -> None:
    """Fetch one commit by its id, one deep, no tags: what a shallow CI checkout needs to read its base.

    With `token`, the fetch authenticates with it (a private repository); nothing is written to .git/config.
    """
    if not sha or not all(c in "0123456789abcdef" for c in sha.lower()):
        raise GitError(f"{sha!r} is not a commit id")
    args = ["fetch", "--quiet", "--no-tags", "--depth=1", "--end-of-options", remote, sha]
    _git(repo, args, token.config() if token is not None else ())


def changed_paths(repo: Path, base: str, under: str) -> list[str]:
    """Files under `under` (from the repository root) that differ between commit `base` and HEAD."""
    listing = _git(repo, ["diff", "--name-only", "-z", "--no-renames", base, "HEAD", "--", under])
    return [os.fsdecode(name) for name in listing.split(b"\0") if name]
