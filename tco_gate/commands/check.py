"""`tco-gate check`: validate, cost and judge proposals; write the report; exit 0, 1 or 2."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from ..analysis.analyze import DEFAULT_SAMPLING, Sampling
from ..baseline import Baseline, compare
from ..catalog import catalog_version
from ..errors import InputError, UsageError
from ..gate import Overrides, settle_policy
from ..github.step import publish
from ..report import RENDERERS, Report
from ..report.build import build
from ..report.text import finding_line, summary_line
from ..result import EXIT_INVALID, EXIT_OK, Result, exit_code
from ..run import run
from ..sources import POLICY_NAME, GitRef, WorkTree
from .output import write
from .provenance import with_provenance


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
) -> int:
    """Every proposal under `paths` reported in `format`; the worst exit code of all. With `show_config`,
    the effective policy of each instead, with each value's source and the proposals it governs (exit 0).

    `argv` is the command line as given, for the report's reproducing command. With `base`, policies are
    read from that commit and each proposal is compared with it; with `changed_only`, only proposals that
    differ from it (or whose policy does) are checked, and none is not an error.
    Raises UsageError when nothing is found (unless `allow_empty` or `changed_only`) or a path is not there.
    """
    results, baseline = _judged(
        paths, policy=policy, overrides=overrides, base=base, changed_only=changed_only, sampling=sampling
    )
    if not results and base is None and paths and all(p.name == POLICY_NAME and p.is_file() for p in paths):
        return _check_lone_policies(paths, overrides)
    if show_config:
        from ..config_view import show_config as config_text  # lazy: not on the hook's path

        write(config_text(results), output)
        return EXIT_OK
    report = report_of_run(
        results,
        paths=paths,
        allow_empty=allow_empty or changed_only,
        argv=argv,
        evidence=format in EVIDENCE,
        baseline=baseline,
    )
    write(RENDERERS[format](report), output)
    if format == "github":
        # The annotations carry every error (echoing them raw could let a hostile path start a command
        # line); on a runner, the Markdown summary and the outputs are written too.
        publish(report, RENDERERS["markdown"](report))
    elif output is not None:
        # The report went to a file: the CI log still gets every error and the one-line summary.
        _echo_errors(report)
        print(summary_line(report), file=sys.stderr)
    elif format != "text":
        _echo_errors(report)  # machine output went to stdout; a person still sees what broke
    return exit_code(results)


def _judged(
    paths: Sequence[Path],
    *,
    policy: Path | None,
    overrides: Overrides,
    base: str | None,
    changed_only: bool,
    sampling: Sampling = DEFAULT_SAMPLING,
) -> tuple[list[Result], Baseline | None]:
    """The results of a run, and with `base` the comparison with that commit."""
    today = datetime.now(UTC).date()
    if changed_only and base is None:
        raise UsageError("--changed needs --base REF: changed compared with which commit?")
    if base is None:
        return run(paths, today=today, overrides=overrides, policy_file=policy, sampling=sampling), None
    baseline = compare(
        paths,
        base=GitRef(base),
        today=today,
        overrides=overrides,
        policy_file=policy,
        changed_only=changed_only,
        sampling=sampling,
    )
    return baseline.results, baseline


def evaluate_run(
    paths: Sequence[Path],
    *,
    policy: Path | None,
    overrides: Overrides,
    argv: Sequence[str],
    base: str | None = None,
    changed_only: bool = False,
) -> tuple[Report, list[Result]]:
    """The report of a check with its evidence block, and its results (for the exit code); for the Action.

    Nothing found is not an error here: the Action reports an empty run as such.
    """
    results, baseline = _judged(paths, policy=policy, overrides=overrides, base=base, changed_only=changed_only)
    report = report_of_run(results, paths=paths, allow_empty=True, argv=argv, evidence=True, baseline=baseline)
    return report, results


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
) -> Report:
    """The report of a run over `paths`, with the evidence block (for `report PATHS`).

    Raises UsageError when nothing is found (unless `allow_empty`) or a path is not there.
    """
    results = run(paths, today=datetime.now(UTC).date(), overrides=overrides, policy_file=policy, sampling=sampling)
    return report_of_run(results, paths=paths, allow_empty=allow_empty, argv=argv, evidence=True)


def report_of_run(
    results: Sequence[Result],
    *,
    paths: Sequence[Path],
    allow_empty: bool,
    argv: Sequence[str],
    evidence: bool,
    baseline: Baseline | None = None,
) -> Report:
    """The run's report, with the evidence block when `evidence`; UsageError when nothing was found."""
    if not results and not allow_empty:
        where = ", ".join(str(p) for p in paths) or "the current folder"
        raise UsageError(f"no finetune-proposal.yml or .yaml found under {where} (use --allow-empty to allow this)")
    report = build(results, baseline)
    if evidence:
        report = with_provenance(report, argv=argv, catalog=f"genai-prices {catalog_version()}")
    return report


def _echo_errors(report: Report) -> None:
    for result in report.results:
        for finding in result.findings:
            if finding.level == "error":
                print(finding_line(finding), file=sys.stderr)
