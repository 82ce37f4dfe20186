"""A check against a base commit: which proposals a change touches, and how each compares with the base.

The work tree holds the proposals under review; the base commit (a GitRef) holds the policies that judge
them, because a change must not loosen its own gate. Each proposal is also judged as it was at the base,
under the same base policy, so a report can say what the change moved. Proposals the base has and the work
tree does not are listed as removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .analysis.analyze import DEFAULT_SAMPLING, Sampling
from .errors import UsageError
from .gate import Overrides
from .result import Result
from .run import run
from .sources import POLICY_NAME, GitRef, WorkTree


@dataclass(frozen=True)
class Comparison:
    """A proposal under review beside itself at the base (None when the base does not have it)."""

    head: Result
    base: Result | None
    changed: bool  # its file differs from the base's (or is new)
    policies_changed: tuple[str, ...]  # the policy files governing it that differ from the base's


@dataclass(frozen=True)
class Baseline:
    ref: str
    commit: str
    comparisons: tuple[Comparison, ...]
    removed: tuple[Result, ...]  # proposals at the base that the work tree no longer has, judged at the base
    policies_changed: tuple[str, ...]  # every policy file that governs a proposal here and differs from the base

    @property
    def results(self) -> list[Result]:
        return [comparison.head for comparison in self.comparisons]


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


def compare(
    paths: Sequence[Path],
    *,
    base: GitRef,
    today: date,
    overrides: Overrides | None = None,
    policy_file: Path | None = None,
    changed_only: bool = False,
    sampling: Sampling = DEFAULT_SAMPLING,
    jobs: int | None = 1,
) -> Baseline:
    """The proposals under `paths` in the work tree, judged by the base commit's policies, each beside its
    base version; with `changed_only`, only those whose file or governing policy differs from the base.

    Raises UsageError for a path that is neither in the work tree nor at the base.
    """
    work = WorkTree()
    wanted = list(paths) or [Path()]
    on_disk = work.find_proposals([p for p in wanted if p.exists()]) if any(p.exists() for p in wanted) else []
    at_base = _proposals_at(base, wanted)
    if not on_disk and not at_base and any(not p.exists() for p in wanted):
        raise UsageError(f"{', '.join(str(p) for p in wanted)}: no such file or folder here or at {base.ref}")
    policies = _PolicyChanges(base, policy_file)
    selected: list[tuple[Path, bytes | None, tuple[str, ...]]] = []
    for proposal in sorted(p.resolve() for p in on_disk):
        before = _bytes_at(base, proposal)
        moved = tuple(work.display(p) for p in policies.governing(proposal) if policies.changed(p))
        if changed_only and before == _bytes_on_disk(proposal) and not moved:
            continue
        selected.append((proposal, before, moved))
    judged = dict(
        zip(
            [p for p, _, _ in selected],
            run(
                [p for p, _, _ in selected],
                sampling=sampling,
                today=today,
                overrides=overrides,
                policy_source=base,
                policy_file=policy_file,
                jobs=jobs,
            )
            if selected
            else [],
            strict=True,
        )
    )
    existing = [p for p, before, _ in selected if before is not None]
    gone = sorted(set(at_base) - {p.resolve() for p in on_disk})
    # The base versions are judged with the same draws and seed: a confidence verdict moves only with the file.
    before_results = _judge_at_base(base, [*existing, *gone], today, overrides, policy_file, sampling, jobs)
    comparisons = tuple(
        Comparison(judged[p], before_results.get(p), before != _bytes_on_disk(p), moved)
        for p, before, moved in selected
    )
    every_moved = sorted({name for c in comparisons for name in c.policies_changed})
    return Baseline(
        ref=base.ref,
        commit=base.commit,
        comparisons=comparisons,
        removed=tuple(before_results[p] for p in gone),
        policies_changed=tuple(every_moved),
    )


def _proposals_at(base: GitRef, paths: Sequence[Path]) -> list[Path]:
    found: set[Path] = set()
    for path in paths:
        try:
            found.update(base.find_proposals([path]))
        except UsageError:
            continue  # a folder the change adds: nothing of it can have been removed
    return sorted(found)


def _judge_at_base(
    base: GitRef,
    proposals: list[Path],
    today: date,
    overrides: Overrides | None,
    policy_file: Path | None,
    sampling: Sampling,
    jobs: int | None,
) -> dict[Path, Result]:
    if not proposals:
        return {}
    ordered = sorted(proposals)
    results = run(
        ordered,
        today=today,
        overrides=overrides,
        source=base,
        policy_file=policy_file,
        sampling=sampling,
        jobs=jobs,
    )
    return dict(zip(ordered, results, strict=True))
