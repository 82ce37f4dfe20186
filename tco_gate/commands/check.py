"""`tco-gate check`: validate, cost and judge proposals; write the report; exit 0, 1 or 2."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from ..options import RunOptions
from ..report import RENDERERS, streamed
from ..report.build import entry
from ..report.model import FindingOut, Report
from ..report.text import NEAREST_FLIPS, finding_line, summary_line, summary_of
from ..result import EXIT_INVALID, EXIT_OK, exit_code_of
from ..run import whole_result
from ..service import LonePolicy, PartOf, document_of, judge, report_of
from ..sinks import write

# The formats that show the evidence block; the others skip hashing files and importing the catalog for it.
EVIDENCE = frozenset({"json", "html", "markdown"})
# The formats whose only word on sensitivity is the text report's "nearest flips" line.
NEAREST_ONLY = frozenset({"text"})


def check(
    options: RunOptions,
    *,
    format: str,
    output: Path | None,
    show_config: bool = False,
    publish: Callable[[Report], None] | None = None,
) -> int:
    """Every proposal the options name reported in `format`; the worst exit code of all. With `show_config`,
    the effective policy of each instead, with each value's source and the proposals it governs (exit 0, or 2
    with the findings of a proposal no policy could be settled for).

    `publish`, when the face gives one, receives the report too (the step summary on a runner).
    Raises UsageError when nothing is found (unless allowed) or a path is not there.
    """
    if show_config:
        results = judge(options, whole_result)
        if results.lone_policies:
            return _lone_policies(results.lone_policies)
        from ..config_view import settled_all
        from ..config_view import show_config as config_text  # lazy: not on the hook's path

        write(config_text(results.kept), output)
        return EXIT_OK if settled_all(results.kept) else EXIT_INVALID
    written = streamed(format) if options.base is None and publish is None else None
    if written is not None:
        # Written a proposal at a time: each one's part of the document is made where it was judged and kept
        # compressed, so a run over thousands of proposals never holds their report entries.
        if format in NEAREST_ONLY:  # it shows the nearest flips only, so the analysis pins no others (most of
            # a proposal's work)
            options = replace(options, sampling=replace(options.sampling, nearest_flips=NEAREST_FLIPS))
        parts = judge(options, PartOf(format, provenance=format in EVIDENCE))
        if parts.lone_policies:
            return _lone_policies(parts.lone_policies)
        write(document_of(parts, options, format, provenance=format in EVIDENCE), output)
        errors = (error for kept in parts.kept for error in kept.errors)
        _tell(format, output, errors, lambda: summary_of([kept.verdict for kept in parts.kept]))
        return exit_code_of((kept.verdict, kept.enforced) for kept in parts.kept)
    entries = judge(options, entry)
    if entries.lone_policies:
        return _lone_policies(entries.lone_policies)
    report = report_of(entries, options, provenance=format in EVIDENCE)
    write(RENDERERS[format](report), output)
    if publish is not None:
        publish(report)
    errors = (f for result in report.results for f in result.findings if f.level == "error")
    _tell(format, output, errors, lambda: summary_line(report))
    return exit_code_of((result.verdict, result.enforced) for result in report.results)


def _tell(format: str, output: Path | None, errors: Iterable[FindingOut], summary: Callable[[], str]) -> None:
    """What a person reading the log still needs when the report went elsewhere: every error, and with a file
    the summary line. Text on stdout already says it all; github's annotations carry every error, and echoing
    them raw could let a hostile path start a workflow command."""
    if format == "github" or (format == "text" and output is None):
        return
    _echo_errors(errors)
    if output is not None:
        print(summary(), file=sys.stderr)


def _lone_policies(policies: Sequence[LonePolicy]) -> int:
    """Policies named on their own that govern no proposal yet: each one's findings, or that it is valid."""
    code = EXIT_OK
    for policy in policies:
        if policy.problems is None:
            print(f"{policy.label}: a valid policy; it governs no proposal yet")
            continue
        code = EXIT_INVALID
        for finding in policy.problems.findings:
            parts = (finding.path or policy.label, finding.line, finding.column)
            print(
                f"{':'.join(str(part) for part in parts if part)}: {finding.level}: {finding.message}", file=sys.stderr
            )
    return code


def _echo_errors(errors: Iterable[FindingOut]) -> None:
    for finding in errors:
        print(finding_line(finding), file=sys.stderr)
