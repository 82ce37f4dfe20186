"""Options -> a judged run: the one route from a check to its report, under every face.

The command line (`check`, `report PATHS`, `explain`, `verify`), the pre-commit hook and the Action all fill a
RunOptions and call this module; none assembles a run of its own. It reads files through the run layer and
returns values; where the output goes is the face's choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from .errors import Finding, InputError, UsageError
from .gate import settle_policy
from .options import RunOptions
from .report.build import build_from, entry
from .result import Baseline
from .run import Finish, run_each
from .sources import POLICY_NAME, GitRef, WorkTree

if TYPE_CHECKING:
    from .report.model import Report, ResultOut

T = TypeVar("T")


@dataclass(frozen=True)
class LonePolicy:
    """A policy file named on its own that governs no proposal yet, and what is wrong with it (nothing: ())."""

    label: str
    problems: InputError | None


@dataclass(frozen=True)
class Judged(Generic[T]):
    """What `finish` made of each proposal of the run, in path order; with a base commit, the comparison."""

    kept: list[T]
    baseline: Baseline | None = None
    findings: tuple[Finding, ...] = ()
    """What the run found about its policy files themselves (see run.Ran)."""
    lone_policies: tuple[LonePolicy, ...] = field(default=())
    """Filled when the run named only policy files and found no proposal: each validated on its own."""


def today() -> date:
    """The day a run judges on (UTC): waivers, approvals and `as_of` are read against it."""
    return datetime.now(UTC).date()


def judge(options: RunOptions, finish: Finish[T]) -> Judged[T]:
    """Every proposal the options name, judged, each handed to `finish` (see run.run_each).

    Raises UsageError when nothing is found (unless `allow_empty`, `changed_only`, or only policy files were
    named), a path is not there, or `--changed` comes without `--base`.
    """
    if options.changed_only and options.base is None:
        raise UsageError("--changed needs --base REF: changed compared with which commit?")
    baseline: Baseline | None = None
    if options.base is None:
        ran = run_each(options, finish, today=today())
        kept, findings = ran.kept, ran.findings
    else:
        from .baseline import compare  # only a run against a commit compares with one

        baseline, findings = compare(options, base=GitRef(options.base), today=today())
        kept = [finish(result) for result in baseline.results]
    if kept:
        return Judged(kept, baseline, findings)
    if _only_policies(options):
        return Judged(kept, baseline, findings, tuple(_lone_policy(options, path) for path in options.paths))
    if not (options.allow_empty or options.changed_only):
        where = ", ".join(str(p) for p in options.paths) or "the current folder"
        raise UsageError(f"no finetune-proposal.yml or .yaml found under {where} (use --allow-empty to allow this)")
    return Judged(kept, baseline, findings)


def report(options: RunOptions, *, provenance: bool) -> Report:
    """The run's report; with `provenance`, its evidence block. Raises as `judge` does."""
    return report_of(judge(options, entry), options, provenance=provenance)


def report_of(judged: Judged[ResultOut], options: RunOptions, *, provenance: bool) -> Report:
    """The report of a judged run (each proposal's entry, the base comparison); with `provenance`, the
    evidence block: every file's sha256, the catalog and the command that reproduces the run."""
    built = build_from(judged.kept, judged.baseline, judged.findings)
    if not provenance:
        return built
    from .catalog import catalog_version  # only the formats that show the evidence block name the catalog
    from .provenance import with_provenance

    return with_provenance(built, command=options.command, catalog=f"genai-prices {catalog_version()}")


def _only_policies(options: RunOptions) -> bool:
    """Only policy files were named (a commit adding a first policy): they are validated on their own."""
    paths: Sequence[Path] = options.paths
    return options.base is None and bool(paths) and all(p.name == POLICY_NAME and p.is_file() for p in paths)


def _lone_policy(options: RunOptions, policy: Path) -> LonePolicy:
    """A policy named on its own, read and validated, so a broken one cannot slip in ahead of the proposals
    it will judge."""
    source = WorkTree()
    label = source.display(policy)
    try:
        settle_policy(source.read(policy), label, options.overrides)
    except InputError as exc:
        return LonePolicy(label, exc)
    return LonePolicy(label, None)
