"""Paths -> Results: every proposal a Source holds, each judged under the policy that governs it.

Every file is checked and reported, even after a bad one. A policy file is read and settled once, however
many proposals it governs; an invalid one makes each of them `invalid` with the policy's own findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .errors import Finding, InputError, UsageError
from .gate import Overrides, evaluate, invalid, invalid_policy, settle_policy
from .result import PolicySettings, Result
from .sources import Source, WorkTree


def run(
    paths: Sequence[Path],
    *,
    today: date,
    overrides: Overrides | None = None,
    source: Source | None = None,
    policy_source: Source | None = None,
    policy_file: Path | None = None,
) -> list[Result]:
    """A Result for every proposal under `paths` (the current folder when empty) in `source` (default:
    the work tree), in path order, judged on `today` (UTC).

    Policies are read from `policy_source` (default: `source`; in a pull request, the base commit).
    `policy_file` replaces the `.tco-gate.yml` search for every proposal (`--policy`), and `overrides`
    (the flags) beat whatever policy is found. Raises UsageError for a path or `policy_file` that is not there.
    """
    source = source or WorkTree()
    policy_source = policy_source or source
    overrides = overrides or Overrides()
    settled: dict[Path | None, PolicySettings | InputError] = {}
    results = []
    for proposal in source.find_proposals(paths or [Path()]):
        governing = policy_file if policy_file is not None else policy_source.find_policy(proposal)
        if governing not in settled:
            settled[governing] = _settle(policy_source, governing, overrides)
        settings = settled[governing]
        path = source.display(proposal)
        if isinstance(settings, InputError):
            assert governing is not None  # the built-in defaults are always valid
            results.append(invalid_policy(path, policy_source.display(governing), settings.findings))
            continue
        try:
            data = source.read(proposal)
        except OSError as exc:
            results.append(invalid(path, [Finding("error", f"cannot read the file: {exc.strerror}")]))
            continue
        results.append(evaluate(data, path, settings, today))
    return results


def _settle(source: Source, policy_file: Path | None, overrides: Overrides) -> PolicySettings | InputError:
    if policy_file is None:
        return settle_policy(None, None, overrides)
    label = source.display(policy_file)
    try:
        data = source.read(policy_file)
    except FileNotFoundError:
        raise UsageError(f"{label}: no such policy file") from None
    except OSError as exc:
        return InputError([Finding("error", f"cannot read the policy file: {exc.strerror}", path=label)])
    try:
        return settle_policy(data, label, overrides)
    except InputError as exc:
        return exc
