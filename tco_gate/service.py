"""Options -> a judged run: the one route from a check to its report, under every face.

The command line (`check`, `report PATHS`, `explain`, `verify`), the pre-commit hook and the Action all fill a
RunOptions and call this module; none assembles a run of its own. It reads files through the run layer and
returns values; where the output goes is the face's choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .errors import Finding, InputError, UsageError
from .gate import settle_policy
from .options import RunOptions
from .report import streamed
from .report.build import build_from, entry, shell_of
from .result import Baseline, Outcome, Result
from .run import Finish, run_each
from .sources import POLICY_NAME, GitRef, WorkTree

if TYPE_CHECKING:
    from .provenance import Role
    from .report.model import FindingOut, Report, ResultOut

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
    from .provenance import with_provenance

    return with_provenance(built, command=options.command, catalog=_catalog())


@dataclass(frozen=True)
class Kept(Generic[T]):
    """What a run that writes its report a proposal at a time keeps of each one: what the exit code and the log
    need, the files it was judged from (for the evidence block), and its part of the document (report/parts.py)."""

    verdict: Outcome
    enforced: bool
    errors: tuple[FindingOut, ...]
    files: tuple[tuple[str, Role], ...]
    part: T


@dataclass(frozen=True)
class PartOf:
    """The `finish` that keeps a proposal's part of a `format` document, made where it was judged (a value, not a
    closure, so it reaches a worker process); with `provenance`, the files it was judged from too."""

    format: str
    provenance: bool

    def __call__(self, result: Result) -> Kept[Any]:
        made = entry(result)
        format = streamed(self.format)
        assert format is not None, "only a format that is written a proposal at a time has parts"
        files: tuple[tuple[str, Role], ...] = ()
        if self.provenance:
            from .provenance import files_of

            files = files_of(made)
        errors = tuple(finding for finding in made.findings if finding.level == "error")
        return Kept(made.verdict, made.enforced, errors, files, format.part(made, None))


def document_of(judged: Judged[Kept[Any]], options: RunOptions, format: str, *, provenance: bool) -> Iterable[str]:
    """The `format` report of a run judged with PartOf (and no base commit), in pieces: byte for byte what
    RENDERERS[format] writes for the run's whole report, though no proposal's entry is kept."""
    written = streamed(format)
    assert written is not None and judged.baseline is None
    shell = shell_of((kept.verdict for kept in judged.kept), judged.findings)
    if provenance:
        from .provenance import with_provenance

        files = (file for kept in judged.kept for file in kept.files)
        shell = with_provenance(shell, command=options.command, catalog=_catalog(), files=files)
    return written.document(shell, [kept.part for kept in judged.kept])


def _catalog() -> str:
    from .catalog import catalog_version  # only the formats that show the evidence block name the catalog

    return f"genai-prices {catalog_version()}"


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
