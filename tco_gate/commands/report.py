"""`tco-gate report --from FILE`: render a saved JSON report in any format, as `check` would have."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import ValidationError

from ..errors import UsageError
from ..report import RENDERERS
from ..report.model import Report
from ..result import EXIT_OK
from .output import write

STDIN = Path("-")


def report(source: Path, *, format: str, output: Path | None) -> int:
    """Render the JSON report in `source` (`-` for stdin); 0 once written: the verdicts were `check`'s to enforce.

    Raises UsageError when the file cannot be read or is not a version 1 tco-gate report.
    """
    try:
        data = sys.stdin.buffer.read() if source == STDIN else source.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror}") from None
    try:
        saved = Report.model_validate_json(data)
    except ValidationError as exc:
        problems = exc.errors(include_url=False)
        first = problems[0]
        where = "".join(f"/{part}" for part in first["loc"]) or "the top level"  # a JSON pointer
        raise UsageError(
            f"{source} is not a tco-gate JSON report (version 1): {len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}, the first at {where}: {first['msg']}"
        ) from None
    write(RENDERERS[format](saved), output)
    return EXIT_OK
