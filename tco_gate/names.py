"""Proposal names across the repository: which files hold a name, and the waivers that name no proposal.

A waiver or an approval names one proposal, so a name must be held by one file. These read the repository's
proposal files through the run's Source; run.py decides what a clash makes of a proposal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from .errors import Finding, InputError
from .loader import Document, load
from .sources import Source


def waived(policy: Document) -> set[str]:
    """The proposal names the policy's waivers give."""
    waivers = policy.data.get("waivers") if isinstance(policy.data, dict) else None
    return {w["proposal"] for w in waivers or [] if isinstance(w, dict) and isinstance(w.get("proposal"), str)}


def unmatched_waivers(policy: Document, label: str, unmatched: set[str]) -> list[Finding]:
    """A warning on the line of each waiver whose proposal is among `unmatched`, in the policy's order."""
    warnings = []
    for index, waiver in enumerate(policy.data.get("waivers") or []):
        if waiver.get("proposal") in unmatched:
            pointer = f"/waivers/{index}/proposal"
            where = policy.position(pointer)
            message = (
                f"the waiver for `{waiver.get('proposal')}` matches no proposal found: a typo, or a proposal "
                "that was renamed or removed?"
            )
            finding = Finding("warning", message, pointer, path=label)
            warnings.append(finding.at(where.line, where.column) if where else finding)
    return warnings


def inside(source: Source, path: Path) -> bool:
    """Whether `path` lies in the repository the source reads (whose every proposal it can list)."""
    return source.root is not None and path.resolve().is_relative_to(source.root)


def names_elsewhere(source: Source, checked: Sequence[Path], names: set[str]) -> dict[str, list[Path]]:
    """For each of `names`, the repository's other proposal files (not among `checked`) that hold it."""
    repository = source.repository_proposals()
    if not repository or not names:
        return {}
    checked_files = {path.resolve() for path in checked}
    holders: dict[str, list[Path]] = defaultdict(list)
    for path in repository:
        if path.resolve() in checked_files:
            continue
        name = name_in(source, path, names)
        if name is not None:
            holders[name].append(path)
    return holders


def name_in(source: Source, path: Path, wanted: set[str] | None) -> str | None:
    """The `name:` the file holds, when it is one of `wanted` (any name when None).

    A name matches NAME_PATTERN, so it can only be spelt out in the file's bytes or through a YAML escape: a
    file with neither is not parsed at all, which keeps a one-proposal hook run in a large repository quick.
    """
    try:
        data = source.read(path)
    except OSError:
        return None
    if wanted is not None and b"\\" not in data and not any(name.encode() in data for name in wanted):
        return None
    try:
        name = load(data).data.get("name")
    except (InputError, AttributeError):
        return None
    return name if isinstance(name, str) and (wanted is None or name in wanted) else None


def at_name(finding: Finding, data: bytes) -> Finding:
    """The finding placed on the file's `name:` line (read again: a clash is rare, holding every file is not)."""
    where = load(data).position("/name")
    return finding.at(where.line, where.column) if where else finding
