"""The docs say what the code does: every key, reason code, command, flag, format and module has its line.

Each check reads what it documents from the source of truth (the published JSON Schemas, `ReasonCode`, the
argparse parser of commands/arguments.py, action.yml, the package's files), so a key, a code, a command or a
module added without its documentation fails here, and the message names what is missing and where it goes.
The README stays a five-minute page; every page is linked from it and links back; no link points nowhere.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tco_gate.commands.arguments import build_parser
from tco_gate.result import ReasonCode
from tests.paths import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
PACKAGE = ROOT / "tco_gate"
README_MAX_LINES = 300
RANGE_PARTS = frozenset({"low", "likely", "high"})
INSIDE_WORDS = ("the contract", "the article", "spec.md", "the seed", "grew from")


def _page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def _named(text: str, name: str) -> bool:
    """`name` written in code (inside backticks) as a whole token: `finetune` is not named by `finetune.serving`."""
    token = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])")
    return any(token.search(span) for span in re.findall(r"`([^`\n]+)`", text))


def _section(text: str, heading: str) -> str:
    """The text under `heading` (a whole Markdown heading line) up to the next heading of the same level."""
    level = heading.split(" ", 1)[0]
    lines = text.splitlines()
    assert heading in lines, f"the heading `{heading}` is gone"
    start = lines.index(heading) + 1
    end = next(
        (i for i in range(start, len(lines)) if lines[i].startswith(level + " ")),
        len(lines),
    )
    return "\n".join(lines[start:end])


def _table_names(section: str) -> list[str]:
    """The code-quoted name in the first cell of each table row."""
    return re.findall(r"^\| `([^`]+)` \|", section, re.MULTILINE)


# --- the published schemas: every key -----------------------------------------------------------------------


def _schema_keys(node: dict[str, Any], defs: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Every property path of a JSON Schema, nested ones dotted, items of a list under the list's own key.

    The range form (`{low, likely, high}`, accepted wherever a number goes) is one documented idea, not three
    keys under every number, so its parts are not listed here.
    """
    if "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[1]]
    if set(node.get("properties", {})) == RANGE_PARTS:
        return
    for branch in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
        yield from _schema_keys(branch, defs, prefix)
    if isinstance(node.get("items"), dict):
        yield from _schema_keys(node["items"], defs, prefix)
    for key, child in node.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        yield path
        yield from _schema_keys(child, defs, path)


def schema_keys(file_name: str) -> list[str]:
    schema = json.loads((ROOT / "schemas" / file_name).read_text(encoding="utf-8"))
    return sorted(set(_schema_keys(schema, schema.get("$defs", {}))))


KEY_PAGES = [
    ("finetune-proposal.schema.json", "proposal.md"),
    ("policy.schema.json", "policy.md"),
]
KEY_TABLE = "## Every key"


def test_the_schemas_have_keys_to_check() -> None:
    # Guards the guards: a walk that found nothing would make the checks below pass vacuously.
    proposal = schema_keys("finetune-proposal.schema.json")
    assert {"workload.requests_per_month", "finetune.serving.gpu_hourly_usd", "finetune.hosted.model"} <= set(proposal)
    assert {"waivers.expires", "exemptions.require_approval"} <= set(schema_keys("policy.schema.json"))
    assert not [key for key in proposal if key.rsplit(".", 1)[-1] in RANGE_PARTS]


@pytest.mark.parametrize(("schema", "page"), KEY_PAGES)
def test_every_key_of_the_published_schema_is_documented(schema: str, page: str) -> None:
    table = _section(_page(page), KEY_TABLE)
    missing = [key for key in schema_keys(schema) if not _named(table, key)]
    assert not missing, (
        f"docs/{page} does not document {len(missing)} key(s) of schemas/{schema}: {', '.join(missing)}. "
        f"Add a row for each to the table under '{KEY_TABLE}' in docs/{page}, its full dotted path in backticks "
        "in the first cell (e.g. | `finetune.serving.gpu_hourly_usd` | ...)."
    )


@pytest.mark.parametrize(("schema", "page"), KEY_PAGES)
def test_the_key_table_names_no_key_the_schema_lacks(schema: str, page: str) -> None:
    stale = sorted(set(_table_names(_section(_page(page), KEY_TABLE))) - set(schema_keys(schema)))
    assert not stale, (
        f"docs/{page} documents key(s) that schemas/{schema} does not have: {', '.join(stale)}. "
        f"Remove or rename their rows under '{KEY_TABLE}' in docs/{page}."
    )


def test_the_range_form_is_documented() -> None:
    page = _page("proposal.md")
    missing = [part for part in ("low", "likely", "high") if not _named(page, part)]
    assert not missing, f"docs/proposal.md no longer explains the range form's parts {missing}: say what each means."


# --- reason codes ----------------------------------------------------------------------------------------------

REASON_TABLE = "## Reason codes"


def test_every_reason_code_is_documented() -> None:
    table = _section(_page("policy.md"), REASON_TABLE)
    missing = [code.value for code in ReasonCode if not _named(table, code.value)]
    assert not missing, (
        f"docs/policy.md does not document the reason code(s) {', '.join(missing)} (tco_gate/result.py, "
        f"ReasonCode). Add a row for each to the table under '{REASON_TABLE}' in docs/policy.md: the code in "
        "backticks, the verdict it goes with, and when it is given."
    )
    stale = sorted(set(_table_names(table)) - {code.value for code in ReasonCode})
    assert not stale, f"docs/policy.md lists reason code(s) ReasonCode does not have: {', '.join(stale)}. Remove them."


# --- commands, flags and formats ---------------------------------------------------------------------------------


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    commands: dict[str, argparse.ArgumentParser] = subparsers.choices
    return commands


def _long_options(parser: argparse.ArgumentParser) -> list[str]:
    return [
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]


def test_the_parser_has_commands_to_check() -> None:
    assert {"check", "report", "verify", "schema", "init", "explain", "models"} <= set(_commands())


def test_every_command_and_its_flags_are_documented() -> None:
    page = _page("cli.md")
    problems = []
    global_options = _long_options(build_parser())  # --traceback is accepted after every command too
    for name, parser in _commands().items():
        heading = f"## `tco-gate {name}`"
        if heading not in page.splitlines():
            problems.append(f"no section for `tco-gate {name}`: add a heading line `{heading}` to docs/cli.md")
            continue
        section = _section(page, heading)
        missing = [o for o in _long_options(parser) if o not in global_options and not _named(section, o)]
        if missing:
            problems.append(
                f"the section '{heading}' of docs/cli.md does not name {', '.join(missing)}: "
                "say what each does there, the flag in backticks"
            )
    global_section = _section(page, "## Every command")
    missing = [option for option in global_options if not _named(global_section, option)]
    if missing:
        problems.append(f"'## Every command' in docs/cli.md does not name the global flag(s) {', '.join(missing)}")
    assert not problems, "\n".join(problems)


def _format_values() -> list[str]:
    values = {
        str(choice)
        for parser in _commands().values()
        for action in parser._actions
        if "--format" in action.option_strings
        for choice in action.choices or ()
    }
    return sorted(values)


def test_every_format_is_documented() -> None:
    page = _page("formats.md")
    assert {"text", "json", "csv"} <= set(_format_values())
    missing = [value for value in _format_values() if f"## `--format {value}`" not in page.splitlines()]
    assert not missing, (
        f"docs/formats.md has no section for the --format value(s) {', '.join(missing)}. Add a heading line "
        f"`## `--format NAME`` for each (e.g. ## `--format {missing[0]}`) saying what the format is for."
    )


# --- the Action ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("part", ["inputs", "outputs"])
def test_every_action_input_and_output_is_documented(part: str) -> None:
    names = list(yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))[part])
    assert names
    table = _section(_page("action.md"), f"## {part.capitalize()}")
    missing = [name for name in names if not _named(table, name)]
    assert not missing, (
        f"docs/action.md does not document the Action's {part} {', '.join(missing)} (action.yml). "
        f"Add a row for each to the table under '## {part.capitalize()}' in docs/action.md."
    )


# --- the architecture page names every module -------------------------------------------------------------------


def _modules() -> list[str]:
    return sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_architecture_page_names_every_module_once() -> None:
    modules = _modules()
    assert {"cli.py", "report/text.py", "analysis/breakeven.py", "github/action.py"} <= set(modules)
    named = _table_names(_page("architecture.md"))
    missing = [module for module in modules if module not in named]
    assert not missing, (
        f"docs/architecture.md does not name the module(s) {', '.join(missing)}. Add a row for each "
        "(| `path/under/tco_gate.py` | its job, from its docstring |) to the table of the floor it sits on."
    )
    twice = sorted({module for module in named if named.count(module) > 1})
    assert not twice, f"docs/architecture.md names {', '.join(twice)} more than once: keep the row on its floor."
    gone = sorted(set(named) - set(modules))
    assert not gone, f"docs/architecture.md names module(s) that no longer exist: {', '.join(gone)}. Remove them."


# --- the README and the links ----------------------------------------------------------------------------------


def test_the_readme_is_a_five_minute_page() -> None:
    lines = len(README.read_text(encoding="utf-8").splitlines())
    assert lines <= README_MAX_LINES, (
        f"README.md has {lines} lines, over {README_MAX_LINES}: move detail to its page under docs/ and link it."
    )


def test_the_readme_links_every_page_and_every_page_links_back() -> None:
    readme = README.read_text(encoding="utf-8")
    pages = _pages()
    assert len(pages) >= 10
    unlinked = [p.name for p in pages if f"](docs/{p.name})" not in readme]
    assert not unlinked, f"README.md does not link {', '.join(unlinked)}: add each to its 'Where the rest lives' list."
    no_way_back = [p.name for p in pages if "](../README.md)" not in p.read_text(encoding="utf-8")]
    assert not no_way_back, f"these pages do not link back to the README: {', '.join(no_way_back)}"


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation but `-` and `_` dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {_slug(line.lstrip("#")) for line in text.splitlines() if re.match(r"#{1,6} ", line)}


def _documents() -> list[Path]:
    return [README, *_pages()]


@pytest.mark.parametrize("document", _documents(), ids=lambda p: p.name)
def test_every_relative_link_leads_somewhere(document: Path) -> None:
    text = re.sub(r"```.*?```", "", document.read_text(encoding="utf-8"), flags=re.S)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a URL: not this repository's to check
        file_part, _, anchor = target.partition("#")
        path = (document.parent / file_part).resolve() if file_part else document
        if not path.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(f"{target} (no heading with that anchor in {path.name})")
    assert not broken, f"{document.relative_to(ROOT)}: broken links: {'; '.join(broken)}"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.name)
@pytest.mark.parametrize("inside_word", INSIDE_WORDS)
def test_the_pages_speak_to_their_readers(page: Path, inside_word: str) -> None:
    # The README is held to the same words in tests/test_rough_edges.py.
    assert inside_word not in page.read_text(encoding="utf-8").lower()
