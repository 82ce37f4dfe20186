"""`tco-gate report --from FILE`: render a saved JSON report in any format, as `check` would have."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from ..analysis.analyze import DEFAULT_SAMPLING, Sampling
from ..errors import UsageError
from ..gate import Overrides
from ..report import RENDERERS
from ..report.model import Report
from ..result import EXIT_OK
from .check import judge
from .output import write

STDIN = Path("-")


def load(source: Path) -> Report:
    """The JSON report in `source` (`-` for stdin).

    Raises UsageError when the file cannot be read or is not a version 1 tco-gate report.
    """
    try:
        data = sys.stdin.buffer.read() if source == STDIN else source.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror}") from None
    try:
        return Report.model_validate_json(data)
    except ValidationError as exc:
        problems = exc.errors(include_url=False)
        first = problems[0]
        where = "".join(f"/{part}" for part in first["loc"]) or "the top level"  # a JSON pointer
        raise UsageError(
            f"{source} is not a tco-gate JSON report (version 1): {len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}, the first at {where}: {first['msg']}"
        ) from None


def report(source: Path, *, format: str, output: Path | None) -> int:
    """Render the JSON report in `source` (`-` for stdin); 0 once written: the verdicts were `check`'s to enforce.

    Raises UsageError when the file cannot be read or is not a version 1 tco-gate report.
    """
    write(RENDERERS[format](load(source)), output)
    return EXIT_OK


def report_paths(
    paths: Sequence[Path],
    *,
    policy: Path | None,
    format: str,
    output: Path | None,
    overrides: Overrides,
    allow_empty: bool,
    argv: Sequence[str],
    sampling: Sampling = DEFAULT_SAMPLING,
    jobs: int | None = None,
) -> int:
    """Judge `paths` as `check` would and write one document of them all; 0 once written.

    The document is evidence, not the gate: `check`'s exit code is. Raises UsageError when nothing is
    found (unless `allow_empty`) or a path is not there.
    """
    judged = judge(
        paths, policy=policy, overrides=overrides, allow_empty=allow_empty, argv=argv, sampling=sampling, jobs=jobs
    )
    write(RENDERERS[format](judged), output)
    return EXIT_OK
