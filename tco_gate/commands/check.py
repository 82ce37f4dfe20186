"""`tco-gate check`: validate, cost and judge proposals; write the report; exit 0, 1 or 2."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from ..errors import UsageError
from ..gate import Overrides
from ..report import RENDERERS, Report
from ..report.build import build
from ..report.text import finding_line, summary_line
from ..result import exit_code
from ..run import run
from .output import write


def check(
    paths: Sequence[Path],
    *,
    policy: Path | None,
    format: str,
    output: Path | None,
    overrides: Overrides,
    allow_empty: bool,
) -> int:
    """Every proposal under `paths` reported in `format`; the worst exit code of all.

    Raises UsageError when nothing is found (unless `allow_empty`) or a path is not there.
    """
    results = run(paths, today=datetime.now(UTC).date(), overrides=overrides, policy_file=policy)
    if not results and not allow_empty:
        where = ", ".join(str(p) for p in paths) or "the current folder"
        raise UsageError(f"no finetune-proposal.yml or .yaml found under {where} (use --allow-empty to allow this)")
    report = build(results)
    write(RENDERERS[format](report), output)
    if output is not None:
        # The report went to a file: the CI log still gets every error and the one-line summary.
        _echo_errors(report)
        print(summary_line(report), file=sys.stderr)
    elif format != "text":
        _echo_errors(report)  # machine output went to stdout; a person still sees what broke
    return exit_code(results)


def _echo_errors(report: Report) -> None:
    for result in report.results:
        for finding in result.findings:
            if finding.level == "error":
                print(finding_line(finding), file=sys.stderr)
