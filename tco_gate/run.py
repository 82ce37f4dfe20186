"""Paths -> Results: every proposal a Source holds, each judged under the policies that govern it.

Every file is checked and reported, even after a bad one or a path that is not there. A policy chain is
read and settled once, however many proposals it governs; an invalid one (or a nested file that tries to
loosen the root policy) makes each of them `invalid` with the policy's own findings. Names are unique
across a run: a second proposal cannot borrow a waived one's name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from .analysis.analyze import DEFAULT_SAMPLING, Sampling
from .errors import Finding, InputError, UsageError
from .gate import Overrides, evaluate, invalid, invalid_policy
from .loader import load
from .models import Policy
from .policies import PolicyText, settle
from .result import Outcome, PolicySettings, PolicySource, Reason, ReasonCode, Result
from .sources import PolicyChain, Source, WorkTree


def run(
    paths: Sequence[Path],
    *,
    today: date,
    overrides: Overrides | None = None,
    source: Source | None = None,
    policy_source: Source | None = None,
    policy_file: Path | None = None,
    sampling: Sampling = DEFAULT_SAMPLING,
) -> list[Result]:
    """A Result for every proposal under `paths` (the current folder when empty) in `source` (default:
    the work tree), in path order, judged on `today` (UTC).

    Policies are read from `policy_source` (default: `source`; in a pull request, the base commit).
    `policy_file` stands in for the root policy (`--policy`); nested policies still apply on top of it,
    and `overrides` (the flags) beat them all. A path that is not there is an `invalid` Result of its own.
    Raises UsageError for a `policy_file` that is not there.
    """
    source = source or WorkTree()
    policy_source = policy_source or source
    overrides = overrides or Overrides()
    settled: dict[PolicyChain, PolicySettings | InputError] = {}
    governed: dict[Path, int] = {}  # a root policy file -> the index of the first result it governs
    results: list[Result] = []
    files: dict[str, Path] = {}  # a report's path -> the file, to point at a clashing name
    proposals, missing = _find(source, paths or [Path()])
    results.extend(invalid(str(path), [Finding("error", str(error))]) for path, error in missing)
    for proposal in proposals:
        chain = policy_source.find_policies(proposal)
        if policy_file is not None:  # it stands for the root policy, wherever it lies
            chain = PolicyChain(policy_file, tuple(p for p in chain.nested if p.resolve() != policy_file.resolve()))
        if chain not in settled:
            settled[chain] = _settle(policy_source, chain, overrides, from_base=policy_source is not source)
        settings = settled[chain]
        path = source.display(proposal)
        files[path] = proposal
        if chain.root is not None and not isinstance(settings, InputError):
            governed.setdefault(chain.root, len(results))
        if isinstance(settings, InputError):
            label = next((f.path for f in settings.findings if f.path), "")
            results.append(invalid_policy(path, label, settings.findings))
            continue
        try:
            data = source.read(proposal)
        except OSError as exc:
            results.append(invalid(path, [Finding("error", f"cannot read the file: {exc.strerror}")]))
            continue
        results.append(_judge(data, path, settings, today, sampling))
    results = _unique_names(results, lambda path: source.read(files[path]))
    for root, first in governed.items():
        if _covers(paths or [Path()], root.parent):
            unmatched = _unmatched_waivers(policy_source, root, {r.name for r in results if r.name})
            if unmatched:
                results[first] = replace(results[first], findings=(*results[first].findings, *unmatched))
    return results


def _covers(paths: Sequence[Path], folder: Path) -> bool:
    """Whether the run searched all of `folder`: only then is a waiver that matches nothing a typo."""
    return any(folder.resolve().is_relative_to(path.resolve()) for path in paths if not path.is_file())


def _unmatched_waivers(source: Source, policy: Path, names: set[str]) -> list[Finding]:
    """A warning on the line of each waiver whose proposal no file in the run is named."""
    document = load(source.read(policy), kind="policy")
    warnings = []
    for index, waiver in enumerate(document.data.get("waivers") or []):
        if waiver.get("proposal") not in names:
            pointer = f"/waivers/{index}/proposal"
            where = document.position(pointer)
            message = (
                f"the waiver for `{waiver.get('proposal')}` matches no proposal found: a typo, or a proposal "
                "that was renamed or removed?"
            )
            finding = Finding("warning", message, pointer, path=source.display(policy))
            warnings.append(finding.at(where.line, where.column) if where else finding)
    return warnings


def _find(source: Source, paths: Sequence[Path]) -> tuple[list[Path], list[tuple[Path, UsageError]]]:
    """The proposals under each path, and each path that is not there with its error."""
    found: set[Path] = set()
    missing = []
    for path in paths:
        try:
            found.update(source.find_proposals([path]))
        except UsageError as exc:
            missing.append((path, exc))
    return sorted(found), missing


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


def _judge(data: bytes, path: str, settings: PolicySettings, today: date, sampling: Sampling) -> Result:
    """Judged under the effective policy and, where a nested file changed an economic assumption, under the
    root policy's too: the stricter verdict stands, so no nested file can turn a failure into a pass."""
    result = evaluate(data, path, settings, today, sampling)
    if settings.root is None:
        return result
    under_root = evaluate(data, path, replace(settings, policy=settings.root, root=None), today, sampling)
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


def _unique_names(results: list[Result], read: Callable[[str], bytes]) -> list[Result]:
    """Two files with one name are both `invalid`, each naming the other: a waiver names exactly one file."""
    paths_by_name: dict[str, list[str]] = defaultdict(list)
    for result in results:
        if result.name is not None:
            paths_by_name[result.name].append(result.path)
    clashes = {name: paths for name, paths in paths_by_name.items() if len(paths) > 1}
    if not clashes:
        return results
    unique = []
    for result in results:
        paths = clashes.get(result.name or "")
        if paths is None:
            unique.append(result)
            continue
        others = ", ".join(p for p in paths if p != result.path)
        message = f"`name: {result.name}` is also the name of {others}: names must be unique across a run"
        reason = Reason(ReasonCode.DUPLICATE_NAME, message)
        finding = _at_name(Finding("error", message, "/name"), read(result.path))
        unique.append(
            replace(
                result,
                outcome=Outcome.INVALID,
                reasons=(reason,),
                enforced=True,
                ledger=None,
                prices=None,
                findings=(*result.findings, finding),
            )
        )
    return unique


def _at_name(finding: Finding, data: bytes) -> Finding:
    """The finding placed on the file's `name:` line (read again: a clash is rare, holding every file is not)."""
    where = load(data).position("/name")
    return finding.at(where.line, where.column) if where else finding
