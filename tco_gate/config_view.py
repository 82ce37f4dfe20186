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
    unsettled: list[str] = []
    for result in results:
        if result.settings is None:
            unsettled.append(result.path)
            continue
        key = result.settings.files or ((result.settings.file,) if result.settings.file else ())
        chains.setdefault(key, (result.settings, []))[1].append(result.path)
    blocks = [_block(files, settings, governed) for files, (settings, governed) in chains.items()]
    if unsettled:
        listed = "\n".join(f"  {path}" for path in unsettled)
        blocks.append(f"no policy settled (the file or its policy is invalid; run check to see why):\n{listed}")
    return "\n\n".join(blocks) + "\n"


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
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, list):
        return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}"
    return str(value)
