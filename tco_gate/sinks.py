"""Where a face writes its text: stdout, or a file written atomically. The faces choose; the run never writes.

A file gets the mode any other program would give it: a new one what the umask allows (0666 less the umask),
an existing one its own mode, kept across the rewrite. The temporary file that makes the write atomic is
created 0600, so its mode is set before it takes the file's place.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError


def write(text: str | Iterable[str], output: Path | None) -> None:
    """To stdout, or to a file atomically: a reader never sees half a report. `text` may come in pieces,
    written as they come, so a large report is never held whole.

    Raises UsageError when the file cannot be written; no temporary file is left behind.
    """
    pieces = [text] if isinstance(text, str) else text
    if output is None:
        try:
            for piece in pieces:
                sys.stdout.write(piece)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader went away (`tco-gate check | head`): as Unix tools do, stop writing, say nothing, and
            # let the verdict's exit code stand. stdout now points at /dev/null so the final flush is quiet too.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=output.parent, prefix=f".{output.name}.", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.writelines(pieces)
        temporary.chmod(_mode_for(output))
        temporary.replace(output)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None


def _mode_for(output: Path) -> int:
    """The permission bits `output` is written with: its own when it exists, else 0666 less the umask."""
    try:
        return stat.S_IMODE(output.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # Python reads the umask only by setting it; set it back at once (the faces write from one thread).
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
