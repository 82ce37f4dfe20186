"""Pure: the commented proposal and policy that `tco-gate init` writes, generated from the JSON Schemas.

Every key is written with one comment above it: its description (the models' own, hidden-cost fields labelled
by the hidden-cost table) and its unit. Values are the schema's examples, else its default. Alternatives a
proposal must choose between, and optional claims that would change the verdict, are written commented out,
so the file is valid as written and each choice is one `#` away.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from .models import Policy, Proposal
from .schema_files import SCHEMA_FILES
from .schema_json import json_schema

# Keys written commented out: the other two ways to cost serving, explicit prices that would override the
# catalog, the sections that claim an exemption (a template must not exempt itself), and the choices of how a
# sized fleet is laid out and bought. Inside a commented section such a key is commented once more, so that
# uncommenting the section gives a valid file with the choice still one `#` away.
_COMMENTED = frozenset(
    {
        "prompting.input_usd_per_mtok",
        "prompting.output_usd_per_mtok",
        "prompting.cached_input_usd_per_mtok",
        "prompting.model_lifecycle_months",
        "prompting.migration_eng_hours",
        "finetune.serving",
        "finetune.hosted",
        "finetune.rebuild_usd",
        "serving.gpus_per_replica",
        "serving.regions",
        "serving.autoscaling",
        "serving.committed",
        "committed.purchase_usd_per_gpu",
        "committed.depreciation_months",
        "committed.watts_per_gpu",
        "committed.pue",
        "committed.usd_per_kwh",
        "committed.monthly_licence_usd_per_gpu",
        "evaluation",
        "constraints",
        "evidence",
        "evidence.eval.file",
        "evidence.eval.prompting_provider",
        "evidence.eval.finetuned_provider",
    }
)
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9._/-]*$|^\d{4}-\d{2}-\d{2}$")
_KEYWORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def proposal_template(today: date, schema_ref: str, name: str) -> str:
    """A complete, commented `finetune-proposal.yml` named `name` and dated `today`, checked in editors against
    `schema_ref`."""
    schema = json_schema(Proposal, SCHEMA_FILES["proposal"])
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        "# A fine-tuning proposal for tco-gate. Replace each example figure with your own, then run",
        "# `tco-gate check` (the verdict) or `tco-gate explain` (every cost, month by month).",
        "# The five hidden costs are labelled; write each one, 0 only if it truly is 0.",
        "",
    ]
    overrides = {"name": _yaml(name), "as_of": today.isoformat()}
    lines += _mapping(schema, schema, "", 0, commented=0, overrides=overrides)
    return "\n".join(lines) + "\n"


# A root policy written by `init` asks for approved exemptions: otherwise a proposal exempts itself by claiming
# a constraint (`constraints.max_latency_ms: 1`), which is the built-in default only so that a version-1 policy
# judges as it always did. `require: []` and `bounds: {}` are the defaults, written out so the keys show.
_POLICY_CHOICES = {"require_approval": "true", "require": "[]", "bounds": "{}"}


def policy_template(schema_ref: str, *, nested: bool = False) -> str:
    """A commented `.tco-gate.yml`, checked in editors against `schema_ref`.

    At the repository root: every setting with the built-in default, except that exemptions need approval.
    `nested` (below the root): `version` alone, every setting commented out, so the file is valid under any
    policy above it (a nested file may only tighten, and a default may be looser than the root's value).
    """
    schema = json_schema(Policy, SCHEMA_FILES["policy"])
    lines = [f"# yaml-language-server: $schema={schema_ref}"]
    if nested:
        lines += [
            "# A nested tco-gate policy: it applies on top of the policy above it (the repository root's",
            "# `.tco-gate.yml`, or `--policy`) to the proposals in this folder and below, and may only tighten it.",
            "# Every setting is commented out, so as written it changes nothing; uncomment one to tighten it (a",
            "# value looser than the one above is an error that names it). `tco-gate check --show-config` shows",
            "# the values in force. Waivers and approvals belong in the root policy only.",
            "",
        ]
    else:
        lines += [
            "# The reviewers' tco-gate policy. A proposal cannot set any of it; a `.tco-gate.yml` below the",
            "# repository root may only tighten it. Each value below is the built-in default, except",
            "# `exemptions.require_approval: true`: an exemption a proposal claims counts only once an entry",
            "# in `approvals` approves it.",
            "",
        ]
    live = frozenset({"policy.version"}) if nested else None
    lines += _mapping(schema, schema, "policy", 0, commented=int(nested), overrides=_POLICY_CHOICES, live=live)
    return "\n".join(lines) + "\n"


def _mapping(
    root: dict[str, Any],
    schema: dict[str, Any],
    path: str,
    depth: int,
    *,
    commented: int,
    overrides: dict[str, Any],
    live: frozenset[str] | None = None,
) -> list[str]:
    """The lines of one mapping; `commented` is how many `# ` its keys are written behind (0: written), except
    those in `live`."""
    lines: list[str] = []
    required = set(schema.get("required", []))
    for key, prop in schema.get("properties", {}).items():
        dotted = f"{path}.{key}" if path else key
        off = (commented if dotted not in (live or ()) else 0) + (dotted in _COMMENTED)
        section = _section(root, prop)
        if depth == 0 and lines:
            lines.append("")
        lines += _comment(prop, depth)
        if section is not None:
            lines.append(_line(depth, f"{key}:", commented=off))
            lines += _mapping(root, section, key, depth + 1, commented=off, overrides=overrides)
            continue
        items = _list_items(root, prop)
        if items is not None:
            lines.append(_line(depth, f"{key}: []", commented=off))
            lines.append(_line(depth, "# for example:", commented=0))
            lines += _example_item(items, depth)
            continue
        value = overrides.get(key, _value(prop))
        if value is None:
            value = "..."
            off = off or int(key not in required)
        lines.append(_line(depth, f"{key}: {value}", commented=off))
    return lines


def _section(root: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema a property holds, through `$ref` or an optional `anyOf [ref, null]`."""
    for option in [prop, *prop.get("anyOf", [])]:
        if "$ref" in option:
            resolved: dict[str, Any] = root["$defs"][option["$ref"].rsplit("/", 1)[1]]
            return resolved
    return None


def _list_items(root: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any] | None:
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        return _section(root, prop["items"])
    return None


def _example_item(items: dict[str, Any], depth: int) -> list[str]:
    """One commented list item holding every key of `items` with its example."""
    out = []
    for number, (key, prop) in enumerate(items.get("properties", {}).items()):
        bullet = "- " if number == 0 else "  "
        out.append(_line(depth, f"#   {bullet}{key}: {_value(prop) or '...'}", commented=0))
    return out


def _comment(prop: dict[str, Any], depth: int) -> list[str]:
    """The key's description, with the unit from its title when the description does not say it, on one line."""
    text = " ".join(str(prop.get("description", "")).split())
    match = re.search(r"\(([^()]*)\)$", str(prop.get("title", "")))
    if match and match.group(1).lower() not in text.lower():
        text = f"{text} [{match.group(1)}]".strip()
    return [_line(depth, f"# {text}", commented=0)] if text else []


def _value(prop: dict[str, Any]) -> str | None:
    if "examples" in prop:
        return _yaml(prop["examples"][0])
    if "const" in prop:
        return _yaml(prop["const"])
    if prop.get("default") not in (None, [], {}):
        return _yaml(prop["default"])
    return None


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _KEYWORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _line(depth: int, text: str, *, commented: int) -> str:
    indent = "  " * depth
    if commented and not text.startswith("#"):
        return f"{indent}{'# ' * commented}{text}"
    return f"{indent}{text}"
