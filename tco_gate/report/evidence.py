"""Comparing a filed report with a fresh run of its command: what changed, in words. Pure.

The I/O (hashing files, running the check again) is `tco-gate verify`'s, in commands/verify.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model import Report
from .phrases import money


@dataclass(frozen=True)
class Comparison:
    """What differs between a filed report and now: `changes` break the evidence, `notes` do not."""

    changes: list[str]
    notes: list[str]


def compare(filed: Report, fresh: Report, hashes_now: Mapping[str, str | None]) -> Comparison:
    """The files, verdicts and figures of `filed` against `fresh` (the same command run again) and the files now."""
    changes: list[str] = []
    notes: list[str] = []
    assert filed.provenance is not None
    for item in filed.provenance.inputs:
        now = hashes_now.get(item.path)
        if now is None:
            changes.append(f"{item.path}: the {item.role} file cannot be read now")
        elif now != item.sha256:
            was = f"sha256 {item.sha256[:12]}…" if item.sha256 else "unreadable"
            changes.append(f"{item.path}: the {item.role} file changed ({was} when judged, sha256 {now[:12]}… now)")
    then = {result.path: result for result in filed.results}
    current = {result.path: result for result in fresh.results}
    for path, result in then.items():
        again = current.get(path)
        label = result.name or path
        if again is None:
            changes.append(f"{label}: no longer found by the command")
            continue
        if (again.verdict, again.enforced) != (result.verdict, result.enforced):
            changes.append(f"{label}: the verdict was {result.verdict.value}, now {again.verdict.value}")
        for side in ("finetune", "prompting"):
            was_total, now_total = getattr(result, side), getattr(again, side)
            if was_total is not None and now_total is not None and was_total.total_usd != now_total.total_usd:
                notes.append(
                    f"{label}: the {side} total was {money(was_total.total_usd)}, now {money(now_total.total_usd)}"
                )
    for path in current.keys() - then.keys():
        changes.append(f"{current[path].name or path}: found now, not in the filed report")
    tool_then = filed.tool.version if filed.tool else "an unknown version"
    tool_now = fresh.tool.version if fresh.tool else "an unknown version"
    if tool_then != tool_now:
        notes.append(f"the report was written by tco-gate {tool_then}; this is tco-gate {tool_now}")
    if fresh.provenance is not None and fresh.provenance.catalog != filed.provenance.catalog:
        notes.append(f"the catalog was {filed.provenance.catalog} when judged; now {fresh.provenance.catalog}")
    return Comparison(changes=changes, notes=notes)
