"""A check against a base commit: which proposals a change touches, and how each compares with the base.

The work tree holds the proposals under review; the base commit (a GitRef) holds the policies that judge
them, because a change must not loosen its own gate. Each proposal is also judged as it was at the base,
under the same base policy, so a report can say what the change moved. Proposals the base has and the work
tree does not are listed as removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from .errors import Finding, InputError, UsageError
from .evidence.requests import paths_named
from .evidence_files import read_evidence
from .loader import load
from .options import RunOptions
from .result import Baseline, Comparison, Result
from .run import Ran, run, run_each, whole_result
from .sources import POLICY_NAME, GitRef, Source, WorkTree


def _bytes_at(base: GitRef, path: Path) -> bytes | None:
    try:
        return base.read(path)
    except FileNotFoundError:
        return None


def _bytes_on_disk(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


class _PolicyChanges:
    """Which `.tco-gate.yml` files differ between the work tree and the base, folder by folder, cached."""

    def __init__(self, base: GitRef, policy_file: Path | None) -> None:
        self._base = base
        self._folders: dict[Path, bool] = {}
        self._explicit = policy_file.resolve() if policy_file is not None else None

    def governing(self, proposal: Path) -> list[Path]:
        """The policy files a proposal answers to: `--policy`, or every `.tco-gate.yml` up to the root."""
        if self._explicit is not None:
            return [self._explicit]
        found, folder = [], proposal.resolve().parent
        while True:
            found.append(folder / POLICY_NAME)
            if folder == self._base.root or folder.parent == folder:
                return found
            folder = folder.parent

    def changed(self, policy: Path) -> bool:
        if policy not in self._folders:
            self._folders[policy] = _bytes_on_disk(policy) != _bytes_at(self._base, policy)
        return self._folders[policy]


def _evidence_changed(work: Source, base: GitRef, proposal: Path, data: bytes) -> bool:
    """Whether an evidence file the proposal names reads differently in the work tree and at the base: a change
    to an eval log, a usage export or a load test changes the figures the proposal is judged on."""
    try:
        named = paths_named(load(data).data)
    except InputError:  # unchanged and unreadable on both sides: nothing the change moved
        return False
    for written in named:
        now, then = read_evidence(work, proposal, written), read_evidence(base, proposal, written)
        if (now.data, now.problem) != (then.data, then.problem):
            return True
    return False


def compare(options: RunOptions, *, base: GitRef, today: date) -> tuple[Baseline, tuple[Finding, ...]]:
    """The proposals under `options.paths` in the work tree, judged by the base commit's policies, each beside
    its base version; with `options.changed_only`, only those whose file or governing policy differs from the
    base (an evidence file it names counts as part of its file). Both sides are judged with the same draws, seed
    and workers. Also returns the run's findings about its policy files (see run.Ran).

    Raises UsageError for a path that is neither in the work tree nor at the base.
    """
    work = WorkTree()
    wanted = list(options.searched)
    on_disk = work.find_proposals([p for p in wanted if p.exists()]) if any(p.exists() for p in wanted) else []
    at_base = _proposals_at(base, wanted)
    if not on_disk and not at_base and any(not p.exists() for p in wanted):
        raise UsageError(f"{', '.join(str(p) for p in wanted)}: no such file or folder here or at {base.ref}")
    policies = _PolicyChanges(base, options.policy)
    selected: list[tuple[Path, bytes | None, tuple[str, ...]]] = []
    changed: set[Path] = set()  # the file, or an evidence file it names, differs from the base's
    for proposal in sorted(p.resolve() for p in on_disk):
        before = _bytes_at(base, proposal)
        moved = tuple(work.display(p) for p in policies.governing(proposal) if policies.changed(p))
        now = _bytes_on_disk(proposal)
        if before != now or (now is not None and _evidence_changed(work, base, proposal, now)):
            changed.add(proposal)
        if options.changed_only and proposal not in changed and not moved:
            continue
        selected.append((proposal, before, moved))
    head: Ran[Result] = Ran([])  # no paths would mean the whole folder: nothing selected is nothing to judge
    if selected:
        paths = tuple(p for p, _, _ in selected)
        head = run_each(replace(options, paths=paths), whole_result, today=today, policy_source=base)
    judged = dict(zip([p for p, _, _ in selected], head.kept, strict=True))
    existing = [p for p, before, _ in selected if before is not None]
    gone = sorted(set(at_base) - {p.resolve() for p in on_disk})
    # The base versions are judged with the same draws and seed: a confidence verdict moves only with the file.
    before_results = _judge_at_base(options, base, [*existing, *gone], today)
    comparisons = tuple(Comparison(judged[p], before_results.get(p), p in changed, moved) for p, _, moved in selected)
    every_moved = sorted({name for c in comparisons for name in c.policies_changed})
    baseline = Baseline(
        ref=base.ref,
        commit=base.commit,
        comparisons=comparisons,
        removed=tuple(before_results[p] for p in gone),
        policies_changed=tuple(every_moved),
    )
    return baseline, head.findings


def _proposals_at(base: GitRef, paths: Sequence[Path]) -> list[Path]:
    found: set[Path] = set()
    for path in paths:
        try:
            found.update(base.find_proposals([path]))
        except UsageError:
            continue  # a folder the change adds: nothing of it can have been removed
    return sorted(found)


def _judge_at_base(options: RunOptions, base: GitRef, proposals: list[Path], today: date) -> dict[Path, Result]:
    if not proposals:
        return {}
    ordered = sorted(proposals)
    results = run(replace(options, paths=tuple(ordered)), today=today, source=base)
    return dict(zip(ordered, results, strict=True))
