"""Pure: Results -> `check --show-config`: every effective policy value, where it came from, and which
proposals each policy chain governs."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .result import PolicySettings, Result

# The command-line flag that sets each policy key, for a value whose source is "flag".
FLAGS = {"horizon_months": "--horizon-months", "min_savings_pct": "--min-savings-pct"}


def show_config(results: Iterable[Result]) -> str:
    """One block per policy chain (root file first, nested files after, or the built-in defaults)."""
    chains: dict[tuple[str, ...], tuple[PolicySettings, list[str]]] = {}
    unsettled: list[Result] = []
    for result in results:
        if result.settings is None:
            unsettled.append(result)
            continue
        key = result.settings.files or ((result.settings.file,) if result.settings.file else ())
        chains.setdefault(key, (result.settings, []))[1].append(result.path)
    blocks = [_block(files, settings, governed) for files, (settings, governed) in chains.items()]
    if unsettled:
        blocks.append(_unsettled(unsettled))
    return "\n\n".join(blocks) + "\n"


def settled_all(results: Iterable[Result]) -> bool:
    """Whether every proposal got a policy: otherwise `--show-config` exits 2, as `check` would."""
    return all(result.settings is not None for result in results)


def _unsettled(results: list[Result]) -> str:
    """The proposals no policy was settled for, each with the errors that stopped it (an invalid policy file,
    a file that cannot be read), `file:line:col` as `check` prints them."""
    lines = ["no policy settled: the proposal or a policy file governing it is invalid"]
    for result in results:
        lines.append(f"  {result.path}")
        for finding in result.findings:
            if finding.level != "error":
                continue
            place = [finding.path or result.path, *(str(n) for n in (finding.line, finding.column) if n is not None)]
            lines.append(f"    {':'.join(place)}: {finding.level}: {finding.message}")
    return "\n".join(lines)


def _block(files: tuple[str, ...], settings: PolicySettings, governed: list[str]) -> str:
    if files:
        chain = f"{files[0]} (root)" + "".join(f" + {nested}" for nested in files[1:])
    else:
        chain = "built-in defaults (no .tco-gate.yml found)"
    lines = [f"policy: {chain}", "  governs:"]
    lines += [f"    {path}" for path in governed]
    lines.append("  values:")
    dumped = settings.policy.model_dump()
    for key, value in dumped.items():
        if key == "version":
            continue
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                origin = settings.origins.get(f"{key}/{inner}")
                source = f"file {origin}" if origin else "default"
                lines.append(_row(f"{key}.{inner}", inner_value, source))
            continue
        lines.append(_row(key, value, _source(settings, key, files)))
    return "\n".join(lines)


def _source(settings: PolicySettings, key: str, files: tuple[str, ...]) -> str:
    kind = settings.sources.get(key, "default")
    if kind == "flag":
        return f"flag {FLAGS.get(key, key)}"
    if kind == "file":
        return f"file {settings.origins.get(key, files[-1] if files else settings.file)}"
    return "default"


def _row(key: str, value: Any, source: str) -> str:
    return f"    {key:<36} {_shown(value):<14} {source}"


def _shown(value: Any) -> str:
    """A value as a policy file writes it: `true`, `10`, `not set` (never Python's `None`)."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, list):
        return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}"
    return str(value)
