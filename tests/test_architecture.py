"""The house's walls, read from the code's own imports and held to docs/architecture.md, the one place the
floors and the rules are written.

Every module of tco_gate/ is listed on the page under its floor ("### N. ..."), and the page's "Rules the
test holds" list says which imports no floor order alone forbids. An import counts wherever it is written
(at the top or lazily inside a function); an import under `if TYPE_CHECKING:` is a type only and does not.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from tests.paths import ROOT

PACKAGE = ROOT / "tco_gate"
PAGE = ROOT / "docs" / "architecture.md"
# The modules a process runs as the tool itself: they may set the process up (entry.for_a_run_of_the_tool).
ENTRY_POINTS = frozenset({"tco_gate.cli", "tco_gate.__main__", "tco_gate.github.__main__"})


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_only_nodes(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                skipped |= {id(inner) for inner in ast.walk(statement)}
    return skipped


def imports_of(name: str, source: str | None = None) -> set[str]:
    """The tco_gate modules `name` imports, lazy imports included, `TYPE_CHECKING` ones not. A name imported
    from a package that is not one of its modules is the package itself (its face)."""
    known = modules()
    path = known[name]
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    skipped = _type_only_nodes(tree)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "tco_gate"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package[: len(package) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            if base.split(".")[0] != "tco_gate":
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
    return {module for module in found if module in known and module != name}


# -- the page ------------------------------------------------------------------------------------------------


@cache
def floors() -> dict[str, tuple[int, str]]:
    """Each module's floor as the page lists it: module -> (floor number, floor title)."""
    placed: dict[str, tuple[int, str]] = {}
    floor: tuple[int, str] | None = None
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"### (\d+)\. (.+)", line)
        if heading:
            floor = (int(heading.group(1)), heading.group(2))
            continue
        if line.startswith("## "):
            floor = None
        row = re.match(r"\| `([^`]+\.py)` \|", line)
        if row and floor is not None:
            placed[f"tco_gate.{row.group(1).removesuffix('.py').replace('/', '.')}".removesuffix(".__init__")] = floor
    return placed


Rule = tuple[str, str, str | None, str]  # (who, never imports what, but who may, as written)


@cache
def rules() -> list[Rule]:
    """The page's "Rules the test holds": lines `- `A` never imports `B``, optionally `... but `C``, where each
    is a module (`cli.py`), a folder (`report/`) or every module (`*`)."""
    text = PAGE.read_text(encoding="utf-8").split("## Rules the test holds", 1)[1].split("\n## ", 1)[0]
    found = [
        (m.group(1), m.group(2), m.group(3), m.group(0))
        for m in re.finditer(r"^- `([^`]+)` never imports `([^`]+)`(?: but `([^`]+)`)?", text, re.MULTILINE)
    ]
    assert found, "docs/architecture.md has no rules under '## Rules the test holds'"
    return found


def _matches(module: str, pattern: str | None) -> bool:
    """`report/` matches every module of tco_gate.report; `cli.py` the module; `*` every module."""
    if pattern is None:
        return False
    if pattern == "*":
        return True
    dotted = "tco_gate." + pattern.removesuffix(".py").replace("/", ".").rstrip(".")
    return module == dotted or (pattern.endswith("/") and module.startswith(dotted + "."))


# -- the checks ----------------------------------------------------------------------------------------------


def breaches(graph: dict[str, set[str]]) -> Iterator[str]:
    """Every import that goes up a floor or breaks a rule, in words."""
    placed = floors()
    for module, imported in sorted(graph.items()):
        for target in sorted(imported):
            here, there = placed[module], placed[target]
            if there[0] > here[0]:
                yield f"{module} (floor {here[0]}, {here[1]}) imports {target} (floor {there[0]}, {there[1]})"
            for who, what, allowed, written in rules():
                exempt = _matches(module, what) or _matches(module, allowed)
                if _matches(module, who) and _matches(target, what) and not exempt:
                    yield f"{module} imports {target}: the page says {written.removeprefix('- ')}"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each as the path that closes it (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def graph() -> dict[str, set[str]]:
    return {name: imports_of(name) for name in modules()}


def test_every_module_has_a_floor_on_the_page() -> None:
    unplaced = sorted(set(modules()) - set(floors()))
    assert not unplaced, f"docs/architecture.md: add each of these to the table of its floor: {unplaced}"


def test_no_import_goes_up_a_floor_or_breaks_a_rule() -> None:
    found = list(breaches(graph()))
    assert not found, "the walls of docs/architecture.md do not hold:\n" + "\n".join(found)


def test_no_module_imports_itself_in_a_loop() -> None:
    assert cycles(graph()) == []


# -- the checks can fail: each kind of breach, written into a copy of a real module's source -------------------


@pytest.mark.parametrize(
    ("module", "added", "expected"),
    [
        ("tco_gate.report.text", "from ..run import run\n", "imports tco_gate.run (floor 5"),
        ("tco_gate.report.sarif", "from .. import evaluate\n", "imports tco_gate (floor 6"),
        ("tco_gate.ledger", "def f():\n    from .report import text\n", "imports tco_gate.report.text"),
        ("tco_gate.commands.verify", "from ..cli import main\n", "the page says `commands/` never imports `cli.py`"),
        ("tco_gate.github.action", "from .. import git\n", "the page says `*` never imports `git.py`"),
        ("tco_gate.run", "from . import git\n", "the page says `*` never imports `git.py`"),
        ("tco_gate.github.action", "from ..commands.check import check\n", "never imports `commands/`"),
    ],
)
def test_a_breach_of_each_kind_is_found(module: str, added: str, expected: str) -> None:
    source = modules()[module].read_text(encoding="utf-8") + "\n" + added
    changed = graph() | {module: imports_of(module, source)}
    assert any(expected in line for line in breaches(changed)), list(breaches(changed))


def test_a_type_only_import_is_no_breach_and_a_loop_is_found() -> None:
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .run import run\n"
    assert imports_of("tco_gate.units", source) == set()
    looped = graph() | {"tco_gate.units": {"tco_gate.ledger"}}
    assert ["tco_gate.catalog", "tco_gate.ledger", "tco_gate.models", "tco_gate.units"] in [
        [m for m in cycle if m in ("tco_gate.units", "tco_gate.ledger", "tco_gate.models", "tco_gate.catalog")]
        for cycle in cycles(looped)
    ]


# -- a light face ----------------------------------------------------------------------------------------------


def _fresh(program: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(program)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.splitlines()


def test_importing_a_leaf_loads_the_leaf_and_the_package_face_only() -> None:
    # The package face (tco_gate/__init__.py) imports version.py; units.py imports nothing of tco-gate.
    loaded = _fresh("import sys, tco_gate.units\nprint(sorted(m for m in sys.modules if m.startswith('tco_gate')))")
    assert loaded == ["['tco_gate', 'tco_gate.units', 'tco_gate.version']"]


def test_importing_tco_gate_as_a_library_changes_nothing_in_the_process() -> None:
    library = sorted(set(modules()) - ENTRY_POINTS)
    program = f"""
        import importlib, os
        before = dict(os.environ)
        for name in {library!r}:
            importlib.import_module(name)
        import tco_gate
        tco_gate.evaluate  # the lazily imported library API
        print(dict(os.environ) == before)
    """
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(program)], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    assert done.stdout.split() == ["True"]
