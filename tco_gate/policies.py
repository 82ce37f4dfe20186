"""Policy integrity, pure: the root policy, the nested `.tco-gate.yml` files below it, then the flags.

A nested policy may tighten what is above it (a higher margin, an exemption turned off, hidden costs
required, `on_fail: fail`) and never loosen it: a loosening value is an error at its line that names the
value it tried to replace. Waivers and exemption approvals let a proposal through, so they live in the root
policy only. The economic assumptions (horizon, hourly rate, discount rate) are not a direction of
strictness; where a nested file changes them, `PolicySettings.root` keeps the root policy so the proposal
can be judged under both and the stricter verdict stands.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .errors import Finding, InputError, UsageError
from .loader import Document, load
from .models import Policy
from .percent_hints import policy_warnings
from .result import PolicySettings, PolicySource
from .validation import validate

ECONOMIC_KEYS = ("horizon_months", "hourly_rate_usd", "discount_rate_pct_per_year")
ROOT_ONLY_KEYS = ("waivers", "approvals")
BUILT_IN = "built-in defaults"


@dataclass(frozen=True)
class PolicyText:
    """One policy file's bytes and the label reports name it by."""

    label: str
    data: bytes


def _stays_fail(new: Any, current: Any) -> bool:
    return bool(current == "warn" or new == "fail")


def _limit_never_higher(new: Any, current: Any) -> bool:
    """`latency_under_ms`: exempt below the limit, so a higher limit (or turning it on) exempts more."""
    if new is False:
        return True
    return current is not False and new <= current


def _threshold_never_lower(new: Any, current: Any) -> bool:
    """`accuracy_gap_pct`: exempt above the threshold, so a lower one (or turning it on) exempts more."""
    if new is False:
        return True
    return current is not False and new >= current


# For each value a nested policy may set: is `new` at least as strict as `current`?
_TIGHTENS: Mapping[str, Callable[[Any, Any], bool]] = {
    "min_savings_pct": lambda new, current: bool(new >= current),
    # Confidence only ever adds a condition to a pass, so turning it on tightens too.
    "min_confidence_pct": lambda new, current: current is None or (new is not None and bool(new >= current)),
    "require_hidden_costs": lambda new, current: bool(new) or not current,
    "on_fail": _stays_fail,
    "exemptions/data_residency": lambda new, current: not new or bool(current),
    "exemptions/latency_under_ms": _limit_never_higher,
    "exemptions/accuracy_gap_pct": _threshold_never_lower,
    "exemptions/require_approval": lambda new, current: bool(new) or not current,
    "prices": lambda new, current: new == "catalog" or current != "catalog",
    "evidence/require": lambda new, current: set(new or ()) >= set(current or ()),
}
# Sections a nested policy writes key by key, each key merged over the one above (and judged on its own).
_SECTIONS = ("exemptions", "evidence", "bounds")


def settle(root: PolicyText | None, nested: Sequence[PolicyText], flags: Mapping[str, Any]) -> PolicySettings:
    """The policy in force: `root` (None: the built-in defaults), each of `nested` on top (nearest last),
    then the flags. Raises InputError whose findings carry the offending file's label.
    """
    written: dict[str, Any] = {}
    origins: dict[str, str] = {}
    documents: dict[str, Document] = {}  # by label, to place a warning at its line
    root_label = root.label if root is not None else BUILT_IN
    if root is not None:
        root_document = documents[root.label] = _load(root)
        written = dict(root_document.data) if isinstance(root_document.data, dict) else {}
        origins = dict.fromkeys(_written_keys(written), root.label)
    for policy in nested:
        document = documents[policy.label] = _load(policy)
        problems = _loosenings(document, written, origins, root_label)
        if problems:
            raise InputError([f.in_file(policy.label) for f in problems])
        written = _merged(written, document.data)
        origins.update(dict.fromkeys(_written_keys(document.data), policy.label))
    effective = _with_flags(written, flags, root_label)
    sources: dict[str, PolicySource] = {
        name: "flag" if name in flags else "file" if name in written else "default"
        for name in Policy.model_fields
        if name != "version"
    }
    root_policy = None
    if nested:
        root_alone = _with_flags(_read(root) if root is not None else {}, flags, root_label)
        if any(getattr(root_alone, key) != getattr(effective, key) for key in ECONOMIC_KEYS):
            root_policy = root_alone
    files = tuple(p.label for p in ([root] if root is not None else []) + list(nested))
    return PolicySettings(
        effective,
        root.label if root is not None else (nested[-1].label if nested else None),
        sources,
        files=files,
        origins=origins,
        root=root_policy,
        warnings=policy_warnings(effective, origins, documents, flags),
    )


def _load(policy: PolicyText) -> Document:
    try:
        document = load(policy.data, kind="policy")
        validate(document, Policy)
    except InputError as exc:
        raise InputError([f.in_file(policy.label) for f in exc.findings]) from None
    return document


def _read(policy: PolicyText) -> dict[str, Any]:
    data = _load(policy).data
    return dict(data) if isinstance(data, dict) else {}


def _written_keys(data: Mapping[str, Any]) -> list[str]:
    """Top-level keys, and `<section>/<key>` for each key written in a section merged key by key."""
    keys = [key for key in data if key not in _SECTIONS]
    for section in _SECTIONS:
        keys += [f"{section}/{key}" for key in data.get(section) or {}]
    return keys


def _merged(below: Mapping[str, Any], above: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(below)
    for key, value in above.items():
        if key == "bounds":  # a bound's `min` and `max` each hold until a nested file tightens it
            bounds = dict(below.get("bounds") or {})
            for path, bound in (value or {}).items():
                bounds[path] = {**(bounds.get(path) or {}), **bound}
            merged[key] = bounds
        elif key in _SECTIONS:
            merged[key] = {**(below.get(key) or {}), **(value or {})}
        else:
            merged[key] = value
    return merged


def _bound_loosens(new: Mapping[str, Any], current: Mapping[str, Any] | None) -> str:
    """The part of a nested bound that loosens the one above it (`min` lowered, `max` raised), or ""."""
    for part, sign in (("min", -1), ("max", 1)):
        above = (current or {}).get(part)
        if part in new and above is not None and (Decimal(new[part]) - Decimal(above)) * sign > 0:
            return part
    return ""


def _loosenings(
    document: Document, written: Mapping[str, Any], origins: Mapping[str, str], root_label: str
) -> list[Finding]:
    """A finding for each value in a nested policy that would let through what the policy above it stops."""
    current = validate(Document(dict(written)), Policy)
    problems = []
    for key in _written_keys(document.data):
        pointer = f"/{key}"
        where = document.position(pointer, prefer_key=True)
        line, column = (where.line, where.column) if where else (None, None)
        if key in ROOT_ONLY_KEYS:
            if document.data[key]:
                message = (
                    f"`{key}` belong in the root policy ({root_label}) only: a `.tco-gate.yml` below the "
                    "repository root may tighten the gate, never let a proposal through"
                )
                problems.append(Finding("error", message, pointer, line, column))
            continue
        if key.startswith("bounds/"):
            path = key.removeprefix("bounds/")
            current_bound = current.bounds.get(path)
            above = current_bound.model_dump(exclude_none=True) if current_bound is not None else None
            part = _bound_loosens(document.data["bounds"][path] or {}, above)
            if part:
                origin = origins.get(key, BUILT_IN)
                message = (
                    f"`bounds.{path}.{part}: {_show(document.data['bounds'][path][part])}` would loosen the bound "
                    f"above it ({origin}: `{part}: {_show(above[part] if above else None)}`); a `.tco-gate.yml` "
                    "below the repository root may only raise a `min` or lower a `max`"
                )
                problems.append(Finding("error", message, pointer, line, column))
            continue
        tightens = _TIGHTENS.get(key)
        if tightens is None:  # the version, and the economic assumptions (judged both ways instead)
            continue
        new = _value(document.data, key)
        before = _value(current.model_dump(), key)
        if isinstance(new, int) and not isinstance(new, bool):
            new = Decimal(new)
        if not tightens(new, before):
            origin = origins.get(key, BUILT_IN)
            shown = key.replace("/", ".")
            message = (
                f"`{shown}: {_show(new)}` would loosen the policy above it ({origin}: "
                f"`{shown}: {_show(before)}`); a `.tco-gate.yml` below the repository root may only tighten it"
            )
            problems.append(Finding("error", message, pointer, line, column))
    return problems


def _value(data: Mapping[str, Any], key: str) -> Any:
    section, _, name = key.partition("/")
    return data[section][name] if name else data[section]


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _with_flags(written: Mapping[str, Any], flags: Mapping[str, Any], label: str) -> Policy:
    try:  # the same model checks the files and the flags over them
        return validate(Document({**written, **flags}), Policy)
    except InputError as exc:
        raise UsageError(f"the flags do not fit the policy {label}: {exc}") from None
