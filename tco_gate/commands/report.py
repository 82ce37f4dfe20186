"""`tco-gate report`: one review document for many proposals (PATHS, judged as `check` judges them), or a
saved JSON report rendered in any format (`--from`), as `check` would have."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import ValidationError

from ..errors import UsageError
from ..options import RunOptions
from ..report import RENDERERS, streamed
from ..report.model import Report
from ..report.text import finding_line
from ..result import EXIT_INVALID, EXIT_OK, Outcome
from ..service import PartOf, document_of, judge
from ..service import report as judged_report
from ..sinks import write

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


def report_paths(options: RunOptions, *, format: str, output: Path | None) -> int:
    """Judge what the options name as `check` would and write one document of them all; 0 once written.

    The document is evidence, not the gate: failing verdicts exit 0, since `check`'s exit code is the gate.
    Input it could not judge (a path that is not there, a file that cannot be read or validated, an invalid
    policy) exits 2 as `check` does, the document written all the same, its errors echoed to stderr.
    Raises UsageError when nothing is found (unless allowed).
    """
    if options.base is None and streamed(format) is not None:
        # Written a proposal at a time, as `check` writes it: no proposal's report entry is kept.
        parts = judge(options, PartOf(format, provenance=True))
        write(document_of(parts, options, format, provenance=True), output)
        errors = [kept.errors for kept in parts.kept if kept.verdict is Outcome.INVALID]
    else:
        document = judged_report(options, provenance=True)
        write(RENDERERS[format](document), output)
        invalid = [result for result in document.results if result.verdict is Outcome.INVALID]
        errors = [tuple(f for f in result.findings if f.level == "error") for result in invalid]
    for found in errors:
        for finding in found:
            print(finding_line(finding), file=sys.stderr)
    return EXIT_INVALID if errors else EXIT_OK
