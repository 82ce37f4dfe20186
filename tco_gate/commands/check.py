"""`tco-gate check`: validate, cost and judge proposals; write the report; exit 0, 1 or 2."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..analysis.analyze import DEFAULT_SAMPLING, Sampling
from ..catalog import catalog_version
from ..errors import InputError, UsageError
from ..gate import Overrides, settle_policy
from ..report import RENDERERS, Report
from ..report.build import build_from, entry
from ..report.model import FindingOut, ResultOut
from ..report.text import Block, block, finding_line, render_blocks, summary_line, summary_of_blocks
from ..result import EXIT_INVALID, EXIT_OK, Result, exit_code_of
from ..run import Finish, run_each, whole_result
from ..sources import POLICY_NAME, GitRef, WorkTree
from .output import write
from .provenance import with_provenance

if TYPE_CHECKING:  # imported where used: the hook's run compares with no commit and writes no step summary
    from ..baseline import Baseline

T = TypeVar("T")


def check(
    paths: Sequence[Path],
    *,
    policy: Path | None,
    format: str,
    output: Path | None,
    overrides: Overrides,
    allow_empty: bool,
    argv: Sequence[str] = (),
    show_config: bool = False,
    sampling: Sampling = DEFAULT_SAMPLING,
    base: str | None = None,
    changed_only: bool = False,
    jobs: int | None = None,
) -> int:
    """Every proposal under `paths` reported in `format`; the worst exit code of all. With `show_config`,
    the effective policy of each instead, with each value's source and the proposals it governs (exit 0).

    `argv` is the command line as given, for the report's reproducing command. With `base`, policies are
    read from that commit and each proposal is compared with it; with `changed_only`, only proposals that
    differ from it (or whose policy does) are checked, and none is not an error. `jobs` processes judge
    the proposals (None: one a core for a large run).
    Raises UsageError when nothing is found (unless `allow_empty` or `changed_only`) or a path is not there.
    """
    judging = _Judging(policy, overrides, base, changed_only, sampling, jobs)
    if show_config:
        results, _ = judging.each(paths, whole_result)
        if not results and _only_policies(paths, base):
            return _check_lone_policies(paths, overrides)
        from ..config_view import show_config as config_text  # lazy: not on the hook's path

        write(config_text(results), output)
        return EXIT_OK
    if format == "text":
        # Text is written a block a proposal: a run over thousands keeps their text, not their report entries.
        blocks, _ = judging.each(paths, _text_block)
        if not blocks and _only_policies(paths, base):
            return _check_lone_policies(paths, overrides)
        _found_any(blocks, paths, allow_empty=allow_empty or changed_only)
        write(render_blocks(blocks), output)
        if output is not None:  # the report went to a file: the CI log still gets every error and the summary
            _echo_errors(error for b in blocks for error in b.errors)
            print(summary_of_blocks(blocks), file=sys.stderr)
        return exit_code_of((b.verdict, b.enforced) for b in blocks)
    entries, baseline = judging.each(paths, entry)
    if not entries and _only_policies(paths, base):
        return _check_lone_policies(paths, overrides)
    _found_any(entries, paths, allow_empty=allow_empty or changed_only)
    report = report_of_run(entries, argv=argv, evidence=format in EVIDENCE, baseline=baseline)
    write(RENDERERS[format](report), output)
    if format == "github":
        # The annotations carry every error (echoing them raw could let a hostile path start a command
        # line); on a runner, the Markdown summary and the outputs are written too.
        from ..github.step import publish

        publish(report, RENDERERS["markdown"](report))
    else:  # machine output went to stdout or a file; a person still sees what broke
        _echo_errors(f for result in report.results for f in result.findings if f.level == "error")
        if output is not None:
            print(summary_line(report), file=sys.stderr)
    return exit_code_of((result.verdict, result.enforced) for result in report.results)


@dataclass(frozen=True)
class _Judging:
    """How a run judges, as the command line said."""

    policy: Path | None
    overrides: Overrides
    base: str | None
    changed_only: bool
    sampling: Sampling
    jobs: int | None

    def each(self, paths: Sequence[Path], finish: Finish[T]) -> tuple[list[T], Baseline | None]:
        """What `finish` makes of each result of the run, and with `base` the comparison with that commit."""
        today = datetime.now(UTC).date()
        if self.changed_only and self.base is None:
            raise UsageError("--changed needs --base REF: changed compared with which commit?")
        if self.base is None:
            kept = run_each(
                paths,
                finish,
                today=today,
                overrides=self.overrides,
                policy_file=self.policy,
                sampling=self.sampling,
                jobs=self.jobs,
            )
            return kept, None
        from ..baseline import compare

        baseline = compare(
            paths,
            base=GitRef(self.base),
            today=today,
            overrides=self.overrides,
            policy_file=self.policy,
            changed_only=self.changed_only,
            sampling=self.sampling,
            jobs=self.jobs,
        )
        return [finish(result) for result in baseline.results], baseline


def _text_block(result: Result) -> Block:
    """One proposal's text, made where it was judged (a worker, in a large run)."""
    return block(entry(result))


def _only_policies(paths: Sequence[Path], base: str | None) -> bool:
    """Only policy files were named (a commit adding a first policy): they are validated on their own."""
    return base is None and bool(paths) and all(p.name == POLICY_NAME and p.is_file() for p in paths)


def _found_any(kept: Sequence[object], paths: Sequence[Path], *, allow_empty: bool) -> None:
    if not kept and not allow_empty:
        where = ", ".join(str(p) for p in paths) or "the current folder"
        raise UsageError(f"no finetune-proposal.yml or .yaml found under {where} (use --allow-empty to allow this)")


def evaluate_run(
    paths: Sequence[Path],
    *,
    policy: Path | None,
    overrides: Overrides,
    argv: Sequence[str],
    base: str | None = None,
    changed_only: bool = False,
) -> Report:
    """The report of a check with its evidence block; for the Action.

    Nothing found is not an error here: the Action reports an empty run as such.
    """
    judging = _Judging(policy, overrides, base, changed_only, DEFAULT_SAMPLING, None)
    entries, baseline = judging.each(paths, entry)
    return report_of_run(entries, argv=argv, evidence=True, baseline=baseline)


def _check_lone_policies(policies: Sequence[Path], overrides: Overrides) -> int:
    """Policies named on their own that govern no proposal yet (a commit adding the first policy): each is
    still read and validated, so a broken one cannot slip in ahead of the proposals it will judge."""
    code = EXIT_OK
    source = WorkTree()
    for policy in policies:
        label = source.display(policy)
        try:
            settle_policy(source.read(policy), label, overrides)
        except InputError as exc:
            code = EXIT_INVALID
            for finding in exc.findings:
                where = ":".join(str(part) for part in (finding.path or label, finding.line, finding.column) if part)
                print(f"{where}: {finding.level}: {finding.message}", file=sys.stderr)
            continue
        print(f"{label}: a valid policy; it governs no proposal yet")
    return code


# The formats that show the evidence block; the others skip hashing files and importing the catalog for it.
EVIDENCE = frozenset({"json", "html", "markdown"})


def judge(
    paths: Sequence[Path],
    *,
    policy: Path | None,
    overrides: Overrides,
    allow_empty: bool,
    argv: Sequence[str],
    sampling: Sampling = DEFAULT_SAMPLING,
    jobs: int | None = None,
) -> Report:
    """The report of a run over `paths`, with the evidence block (for `report PATHS`).

    Raises UsageError when nothing is found (unless `allow_empty`) or a path is not there.
    """
    entries, _ = _Judging(policy, overrides, None, False, sampling, jobs).each(paths, entry)
    _found_any(entries, paths, allow_empty=allow_empty)
    return report_of_run(entries, argv=argv, evidence=True)


def report_of_run(
    entries: Sequence[ResultOut], *, argv: Sequence[str], evidence: bool, baseline: Baseline | None = None
) -> Report:
    """The run's report from each proposal's entry, with the evidence block when `evidence`."""
    report = build_from(entries, baseline)
    if evidence:
        report = with_provenance(report, argv=argv, catalog=f"genai-prices {catalog_version()}")
    return report


def _echo_errors(errors: Iterable[FindingOut]) -> None:
    for finding in errors:
        print(finding_line(finding), file=sys.stderr)
