"""`tco-gate verify REPORT.json`: does a filed report still hold? 0 yes; 1 something changed; 2 unreadable.

It hashes every file the report names and runs the report's own command again (from the current folder,
which must be the one `check` ran in), then says what changed: a file, a verdict, a proposal found or gone.
Figures that moved while the verdicts held, and a different tco-gate or catalog, are said as notes.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..provenance import sha256_of
from ..report.evidence import compare
from ..report.model import Report
from ..result import EXIT_FAIL, EXIT_OK
from ..service import report
from .arguments import build_parser, run_options
from .report import load


def verify(source: Path) -> int:
    """Print what changed since the report was written; 0 when nothing that matters did.

    Raises UsageError when the report cannot be read, has no evidence block, or its command cannot run.
    """
    filed = load(source)
    if filed.provenance is None:
        raise UsageError(
            f"{source} has no `provenance` block to verify against: write the report with "
            "`tco-gate check --format json` (tco-gate 0.1.0 or newer)"
        )
    hashes = {item.path: sha256_of(item.path) for item in filed.provenance.inputs}
    comparison = compare(filed, _run_again(filed.provenance.command), hashes)
    for change in comparison.changes:
        print(f"changed: {change}")
    for note in comparison.notes:
        print(f"note: {note}")
    if comparison.changes:
        print(f"{source}: does not hold: {len(comparison.changes)} change(s) since it was written")
        return EXIT_FAIL
    files, verdicts = len(filed.provenance.inputs), len(filed.results)
    print(f"{source}: holds: {files} file(s) unchanged, {verdicts} verdict(s) the same")
    return EXIT_OK


def _run_again(command: list[str]) -> Report:
    """The JSON report of `command` judged now (a `report PATHS` command is judged as the `check` it stands for).

    The command is parsed by the command line's own grammar, so every flag it had is honoured.
    """
    if command[:1] != ["tco-gate"] or len(command) < 2 or command[1] not in ("check", "report"):
        raise UsageError(f"the report's command is not a tco-gate check: {' '.join(command)}")
    given = ["check", *command[2:]]
    try:
        args = build_parser().parse_args(given)
    except SystemExit:
        raise UsageError(f"the report's command cannot be run again: {' '.join(command)}") from None
    if args.show_config:
        raise UsageError(f"the report's command writes no report: {' '.join(command)}")
    return report(run_options(args, given), provenance=True)
