"""The evidence files a proposal names, read through the run's Source and confined to the repository.

A path is written relative to the proposal's folder and must stay inside the repository the run reads (the
work tree's root as git reports it, or the commit under review): an absolute path, a `..` that climbs above the
root, and (in the work tree) a symbolic link that leads out or loops are refused before anything is read. Each
file is read whole only when it is a regular file of at most 64 MiB. A commit holds no links to follow: git
stores a link as a link, and the Source reads only regular files. Outside any repository the current folder
stands for the root. Nothing here raises for a bad path: the problem is returned, for the proposal's line.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from .evidence.requests import EvidenceRead
from .sources import Source, WorkTree

MAX_EVIDENCE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ConfinedPath:
    """A written evidence path made absolute inside the root, or why it cannot be."""

    path: Path | None
    problem: str = ""


def read_evidence(source: Source, proposal: Path, written: str) -> EvidenceRead:
    """One evidence file named in `proposal`: its bytes and sha256, or the problem, with the path reports show."""
    confined = confine(source, proposal, written)
    if confined.path is None:
        return EvidenceRead(written, written, problem=confined.problem)
    shown = source.display(confined.path)
    try:
        data = _read_capped(source, confined.path)
    except _TooLarge as exc:
        return EvidenceRead(written, shown, problem=str(exc))
    except FileNotFoundError:
        return EvidenceRead(written, shown, problem="no such file")
    except IsADirectoryError:
        return EvidenceRead(written, shown, problem="a folder, not a file")
    except OSError as exc:
        return EvidenceRead(written, shown, problem=f"cannot be read: {exc.strerror or exc}")
    return EvidenceRead(written, shown, data, hashlib.sha256(data).hexdigest())


def confine(source: Source, proposal: Path, written: str) -> ConfinedPath:
    """`written` (relative to the proposal's folder) as an absolute path inside the repository, or the problem."""
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute() or written.startswith("\\"):
        return ConfinedPath(None, "an absolute path: write it relative to the proposal's folder")
    root = _root(source, proposal)
    lexical = Path(os.path.normpath(_absolute(proposal).parent / written))
    if not lexical.is_relative_to(root):
        return ConfinedPath(None, f"`..` climbs above the repository root ({root.as_posix()})")
    if isinstance(source, WorkTree):
        try:
            real = lexical.resolve(strict=True)
        except FileNotFoundError:
            return ConfinedPath(lexical)  # reading it says so
        except (RuntimeError, OSError):  # a link loop: RuntimeError before Python 3.13, ELOOP after
            return ConfinedPath(None, "a symbolic link that loops (or cannot be followed): it leads to no file")
        if not real.is_relative_to(root.resolve()):
            return ConfinedPath(None, f"a symbolic link that leads out of the repository (to {real.as_posix()})")
    return ConfinedPath(lexical)


def _root(source: Source, proposal: Path) -> Path:
    root = source.root
    if root is not None:
        return _absolute(root)
    here, proposal = _absolute(Path.cwd()), _absolute(proposal)
    return here if proposal.is_relative_to(here) else proposal.parent


def _absolute(path: Path) -> Path:
    """`path` made absolute lexically: links are not followed (the link check follows them on purpose)."""
    return Path(os.path.normpath(Path.cwd() / path))


class _TooLarge(Exception):
    pass


def _too_large(size: int) -> _TooLarge:
    limit = MAX_EVIDENCE_BYTES // 1024 // 1024
    return _TooLarge(f"{size / 1024 / 1024:,.1f} MiB, larger than the {limit} MiB an evidence file may be")


def _read_capped(source: Source, path: Path) -> bytes:
    """The file's bytes, refusing one over the cap before reading it where its size is known first."""
    if not isinstance(source, WorkTree):
        data = source.read(path)
        if len(data) > MAX_EVIDENCE_BYTES:
            raise _too_large(len(data))
        return data
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, "a folder", str(path))
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a FIFO, a socket or a device)", str(path))
        if status.st_size > MAX_EVIDENCE_BYTES:
            raise _too_large(status.st_size)
        data = handle.read(MAX_EVIDENCE_BYTES + 1)
        if len(data) > MAX_EVIDENCE_BYTES:  # it grew while being read
            raise _too_large(len(data))
        return data
