"""Paths -> Results: every proposal a Source holds, each judged under the policies that govern it.

Every file is checked and reported, even after a bad one or a path that is not there. A policy chain is
read and settled once, however many proposals it governs; an invalid one (or a nested file that tries to
loosen the root policy) makes each of them `invalid` with the policy's own findings. Names are unique
across a run, and across the repository for proposals a root policy file governs: a second proposal cannot
borrow a waived one's name, whatever subset of the repository a run checks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from . import pool
from .analysis.sampling import Sampling
from .errors import Finding, InputError, UsageError
from .evidence.requests import EvidenceRead, paths_named
from .evidence_files import read_evidence
from .gate import Overrides, evaluate, invalid, invalid_policy
from .loader import load
from .models import Policy
from .names import at_name, inside, names_elsewhere, unmatched_waivers, waived
from .options import RunOptions
from .policies import PolicyText, settle
from .result import Outcome, PolicySettings, PolicySource, Reason, ReasonCode, Result
from .sources import PolicyChain, Source, WorkTree, leads_nowhere

T = TypeVar("T")


Finish = Callable[[Result], T]


def run(
    options: RunOptions,
    *,
    today: date,
    source: Source | None = None,
    policy_source: Source | None = None,
) -> list[Result]:
    """A Result for every proposal under `options.paths` (the current folder when empty) in `source`
    (default: the work tree), in path order, judged on `today` (UTC).

    Policies are read from `policy_source` (default: `source`; in a pull request, the base commit).
    `options.policy` stands in for the root policy (`--policy`); nested policies still apply on top of it,
    and `options.overrides` (the flags) beat them all. A path that is not there is an `invalid` Result of
    its own. `options.jobs` processes judge the proposals (None: one a core for a large run).
    Raises UsageError for a policy file that is not there.
    """
    return run_each(options, whole_result, today=today, source=source, policy_source=policy_source).kept


@dataclass(frozen=True)
class Ran(Generic[T]):
    """What a run kept of each proposal, in path order, and its findings about the policy files themselves
    (a waiver that matches no proposal): they belong to the policy, not to any one proposal."""

    kept: list[T]
    findings: tuple[Finding, ...] = ()


def run_each(
    options: RunOptions,
    finish: Finish[T],
    *,
    today: date,
    source: Source | None = None,
    policy_source: Source | None = None,
) -> Ran[T]:
    """`run`, with each Result handed to `finish` (a module-level function) as soon as it is final and only
    what `finish` returns kept: a run over thousands of proposals holds each one's report entry, not its
    ledger. `finish` runs where the proposal was judged, in a worker process for a large run.

    Names are unique across the run and, under a root policy file, across the repository: a proposal whose
    name another file of the repository holds (tracked in the work tree, or at the commit read) is `invalid`,
    whatever subset the run checks, so a copied name cannot borrow the waiver or approval that names the other
    file. (Under the built-in defaults there is no waiver or approval to borrow.)
    """
    paths, policy_file, overrides = list(options.searched), options.policy, options.overrides
    source = source or WorkTree()
    policy_source = policy_source or source
    settled: dict[PolicyChain, PolicySettings | InputError] = {}
    roots: set[Path] = set()  # the root policy files of the run, for their waivers
    slots: list[Result | _Task] = []  # in path order: a Result already known, or a proposal to judge
    proposals, missing = _find(source, paths)
    slots.extend(invalid(str(path), [Finding("error", str(error))]) for path, error in missing)
    for proposal in proposals:
        chain = policy_source.find_policies(proposal)
        if policy_file is not None:  # it stands for the root policy, wherever it lies
            chain = PolicyChain(policy_file, tuple(p for p in chain.nested if p.resolve() != policy_file.resolve()))
        if chain not in settled:
            settled[chain] = _settle(policy_source, chain, overrides, from_base=policy_source is not source)
        settings = settled[chain]
        path = source.display(proposal)
        if isinstance(settings, InputError):
            label = next((f.path for f in settings.findings if f.path), "")
            slots.append(invalid_policy(path, label, settings.findings))
            continue
        if chain.root is not None:
            roots.add(chain.root)
        slots.append(_Task(proposal, path, settings, granting=chain.root is not None))

    tasks = [(index, slot) for index, slot in enumerate(slots) if isinstance(slot, _Task)]
    context = _Context(source, today, options.sampling, finish)
    judged = pool.map_in_order(
        _judge_task,
        [task for _, task in tasks],
        workers=pool.workers_for(len(tasks), options.jobs),
        initializer=_start,
        initargs=(context,),
    )
    done: list[_Done[T]] = [_Done(slot.name, slot, None) if isinstance(slot, Result) else _PENDING for slot in slots]
    for (index, _), answer in zip(tasks, judged, strict=True):
        done[index] = answer

    names = {d.name for d in done if d.name}
    checked = [task.file for _, task in tasks]
    # A name is how a waiver or an approval finds its file, and only a root policy file can hold one: a proposal
    # judged under one must hold its name alone in the whole repository, not only in this run.
    repository_names = {
        judged.name
        for judged, slot in zip(done, slots, strict=True)
        if judged.name and isinstance(slot, _Task) and slot.granting and inside(source, slot.file)
    }
    elsewhere = names_elsewhere(source, checked, repository_names)
    for index, result in _duplicates(done, slots, elsewhere, context).items():
        done[index] = _Done(result.name, result, None)
    findings: list[Finding] = []
    for root in sorted(roots):
        # In a repository every proposal's name can be looked up, whatever the run checks; elsewhere only a run
        # that searched the policy's whole folder can tell a typo from a proposal it did not look at.
        in_repository = policy_source is source and inside(source, root)
        if in_repository or _covers(paths, root.parent):
            document = load(policy_source.read(root), kind="policy")
            unmatched = waived(document) - names
            if in_repository:
                unmatched -= set(names_elsewhere(source, checked, unmatched))
            findings += unmatched_waivers(document, policy_source.display(root), unmatched)
    return Ran([_final(judged, finish) for judged in done], tuple(findings))


@dataclass(frozen=True)
class _Task:
    """A proposal to judge: its file, the path a report shows, the policy it is judged under."""

    file: Path
    path: str
    settings: PolicySettings
    granting: bool = False
    """Judged under a root policy file, the only place a waiver or an approval can name it."""


@dataclass(frozen=True)
class _Context:
    """What every proposal of a run is judged with; a worker receives it once."""

    source: Source
    today: date
    sampling: Sampling
    finish: Callable[[Result], Any]


@dataclass(frozen=True)
class _Done(Generic[T]):
    """A judged proposal: its name (names must be unique across the run), and the Result itself while a
    later step may still change it, or else only what `finish` made of it."""

    name: str | None
    result: Result | None
    finished: T | None


_PENDING: _Done[Any] = _Done(None, None, None)
_context: _Context | None = None  # in each process that judges: the run's context, set by _start


def _start(context: _Context) -> None:
    global _context
    _context = context


def _judge_task(task: _Task) -> _Done[Any]:
    """One proposal judged (read, validated, costed, analysed) and finished where it was judged."""
    assert _context is not None, "_start sets the context before any proposal is judged"
    result = _judge_file(task, _context)
    return _Done(result.name, None, _context.finish(result))


def _judge_file(task: _Task, context: _Context) -> Result:
    try:
        data = context.source.read(task.file)
    except OSError as exc:
        return invalid(task.path, [Finding("error", f"cannot read the file: {exc.strerror}")])
    evidence = _evidence(context.source, task.file, data)
    return _judge(data, task.path, task.settings, context.today, context.sampling, evidence)


def _evidence(source: Source, proposal: Path, data: bytes) -> dict[str, EvidenceRead]:
    """The evidence files the proposal names, each read through the run's Source (or why it cannot be)."""
    try:
        named = paths_named(load(data).data)
    except InputError:  # judging the proposal words what is wrong with it
        return {}
    return {written: read_evidence(source, proposal, written) for written in named}


def whole_result(result: Result) -> Result:
    """The `finish` that keeps each Result whole (what `run` returns)."""
    return result


def _final(judged: _Done[T], finish: Finish[T]) -> T:
    if judged.result is not None:
        return finish(judged.result)
    assert judged.finished is not None, "a judged proposal is kept whole or finished"
    return judged.finished


def _covers(paths: Sequence[Path], folder: Path) -> bool:
    """Whether the run searched all of `folder`: only then is a waiver that matches nothing a typo."""
    return any(folder.resolve().is_relative_to(path.resolve()) for path in paths if not path.is_file())


def _find(source: Source, paths: Sequence[Path]) -> tuple[list[Path], list[tuple[Path, UsageError]]]:
    """The proposals under each path, each file once however many links reach it, and each path that is not
    there with its error."""
    found: dict[Path, Path] = {}  # the file itself -> the first path (in sorted order) that reaches it
    missing = []
    for path in paths:
        try:
            proposals = source.find_proposals([path])
        except UsageError as exc:
            missing.append((path, exc))
            continue
        on_disk = isinstance(source, WorkTree)
        for proposal in proposals:
            nowhere = leads_nowhere(proposal) if on_disk else None
            if nowhere is not None:  # a link in a walked folder that loops or leads to nothing
                missing.append((proposal, UsageError(f"{proposal}: {nowhere}")))
                continue
            found.setdefault(proposal.resolve(), proposal)
    return sorted(set(found.values())), missing


def _settle(
    source: Source, chain: PolicyChain, overrides: Overrides, *, from_base: bool = False
) -> PolicySettings | InputError:
    try:
        texts = [_read(source, path) for path in (chain.root, *chain.nested) if path is not None]
        root = texts[0] if chain.root is not None else None
        settings = settle(root, texts[1:] if root is not None else texts, overrides.given())
    except InputError as exc:
        return exc
    if not from_base:
        return settings
    # Read from the base commit, not from the files under review: the report says so value by value.
    sources: dict[str, PolicySource] = {
        name: "base" if origin == "file" else origin for name, origin in settings.sources.items()
    }
    return replace(settings, sources=sources)


def _read(source: Source, path: Path) -> PolicyText:
    label = source.display(path)
    try:
        return PolicyText(label, source.read(path))
    except FileNotFoundError:
        raise UsageError(f"{label}: no such policy file") from None
    except OSError as exc:
        raise InputError([Finding("error", f"cannot read the policy file: {exc.strerror}", path=label)]) from None


# How hard a verdict stops a proposal; every verdict not listed lets it through.
_STOPS = {Outcome.FAIL: 1, Outcome.INVALID: 2}


def _judge(
    data: bytes,
    path: str,
    settings: PolicySettings,
    today: date,
    sampling: Sampling,
    evidence: Mapping[str, EvidenceRead] | None = None,
) -> Result:
    """Judged under the effective policy and, where a nested file changed an economic assumption, under the
    root policy's too: the stricter verdict stands, so no nested file can turn a failure into a pass."""
    result = evaluate(data, path, settings, today, sampling, evidence)
    if settings.root is None:
        return result
    under_root = evaluate(data, path, replace(settings, policy=settings.root, root=None), today, sampling, evidence)
    stricter = under_root if _STOPS.get(under_root.outcome, 0) > _STOPS.get(result.outcome, 0) else result
    other = result if stricter is under_root else under_root
    note = Reason(
        ReasonCode.STRICTER_OF_TWO,
        f"judged under the root policy's economic assumptions ({_economics(settings.root)}) and under the "
        f"nested policy's ({_economics(settings.policy)}): {stricter.outcome} and {other.outcome}; "
        f"the stricter verdict, {stricter.outcome}, stands",
    )
    return replace(stricter, reasons=(*stricter.reasons, note), settings=settings)


def _economics(policy: Policy) -> str:
    return (
        f"{policy.horizon_months} months, ${policy.hourly_rate_usd}/h, "
        f"{policy.discount_rate_pct_per_year}%/year discount"
    )


def _duplicates(
    done: Sequence[_Done[Any]],
    slots: Sequence[Result | _Task],
    elsewhere: Mapping[str, list[Path]],
    context: _Context,
) -> dict[int, Result]:
    """A file whose name another file holds (in the run, or elsewhere in the repository) is `invalid`, naming
    the others: a waiver or an approval names exactly one file.

    Returns each clashing result by its index. A clash is rare, so a file whose Result was not kept is judged
    again (judging is pure: the same Result) rather than every Result being held until the names are known.
    """
    indexes_by_name: dict[str, list[int]] = defaultdict(list)
    for index, judged in enumerate(done):
        if judged.name is not None:  # only a judged file has a name
            indexes_by_name[judged.name].append(index)
    clashing: dict[int, Result] = {}
    for name, indexes in indexes_by_name.items():
        tasks = {index: slot for index in indexes if isinstance(slot := slots[index], _Task)}
        outside = [context.source.display(path) for path in elsewhere.get(name, [])]
        if len(tasks) + len(outside) < 2:
            continue
        for index, task in tasks.items():
            kept = done[index].result
            result = kept if kept is not None else _judge_file(task, context)
            others = ", ".join([*(other.path for i, other in tasks.items() if i != index), *outside])
            message = f"`name: {name}` is also the name of {others}: names must be unique across the repository"
            finding = at_name(Finding("error", message, "/name"), context.source.read(task.file))
            clashing[index] = replace(
                result,
                outcome=Outcome.INVALID,
                reasons=(Reason(ReasonCode.DUPLICATE_NAME, message),),
                enforced=True,
                ledger=None,
                prices=None,
                findings=(*result.findings, finding),
                waiver=None,  # a waiver or an approval names one file; a name two files hold is neither's
                claims=(),
            )
    return clashing
