"""`tco-gate check`: validate, cost and judge proposals; write the report; exit 0, 1 or 2."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from ..options import RunOptions
from ..report import RENDERERS, streamed
from ..report.build import entry, finding_out
from ..report.model import FindingOut, Report
from ..report.text import (
    NEAREST_FLIPS,
    Block,
    block,
    finding_line,
    render_blocks,
    summary_line,
    summary_of,
    summary_of_blocks,
)
from ..result import EXIT_INVALID, EXIT_OK, Result, exit_code_of
from ..run import whole_result
from ..service import LonePolicy, PartOf, document_of, judge, report_of
from ..sinks import write

# The formats that show the evidence block; the others skip hashing files and importing the catalog for it.
EVIDENCE = frozenset({"json", "html", "markdown"})


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
    if format == "text":
        # Text is written a block a proposal: a run over thousands keeps their text, not their report entries.
        # It shows the nearest flips only, so the analysis pins no others (most of a proposal's work).
        sampling = replace(options.sampling, nearest_flips=NEAREST_FLIPS)
        blocks = judge(replace(options, sampling=sampling), _text_block)
        if blocks.lone_policies:
            return _lone_policies(blocks.lone_policies)
        write(render_blocks(blocks.kept, [finding_out(f, f.path) for f in blocks.findings]), output)
        if output is not None:  # the report went to a file: the CI log still gets every error and the summary
            _echo_errors(error for b in blocks.kept for error in b.errors)
            print(summary_of_blocks(blocks.kept), file=sys.stderr)
        return exit_code_of((b.verdict, b.enforced) for b in blocks.kept)
    written = streamed(format) if options.base is None and publish is None else None
    if written is not None:
        # Written a proposal at a time: each one's part of the document is made where it was judged and kept
        # compressed, so a run over thousands of proposals never holds their report entries.
        parts = judge(options, PartOf(format, provenance=format in EVIDENCE))
        if parts.lone_policies:
            return _lone_policies(parts.lone_policies)
        write(document_of(parts, options, format, provenance=format in EVIDENCE), output)
        _echo_errors(error for kept in parts.kept for error in kept.errors)
        if output is not None:
            print(summary_of([kept.verdict for kept in parts.kept]), file=sys.stderr)
        return exit_code_of((kept.verdict, kept.enforced) for kept in parts.kept)
    entries = judge(options, entry)
    if entries.lone_policies:
        return _lone_policies(entries.lone_policies)
    report = report_of(entries, options, provenance=format in EVIDENCE)
    write(RENDERERS[format](report), output)
    if publish is not None:
        publish(report)
    if format != "github":  # machine output went to stdout or a file; a person still sees what broke
        # (github's annotations carry every error: echoing them raw could let a hostile path start a command)
        _echo_errors(f for result in report.results for f in result.findings if f.level == "error")
        if output is not None:
            print(summary_line(report), file=sys.stderr)
    return exit_code_of((result.verdict, result.enforced) for result in report.results)


def _text_block(result: Result) -> Block:
    """One proposal's text, made where it was judged (a worker, in a large run)."""
    return block(entry(result))


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
