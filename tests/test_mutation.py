"""tools/mutation.py, the mutation-testing run: what it mutates, what it copies, how it scores.

The run itself takes minutes a module and is not a test; these check what it reads and counts, so the run
cannot quietly leave out a pure module, lack a file the tests read, or count a mutant the wrong way.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.gitrepo import git
from tests.paths import ROOT
from tests.test_architecture import floors


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tools_mutation", ROOT / "tools" / "mutation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


mutation = _tool()


def test_every_module_of_the_pure_floor_and_no_other_can_be_mutated() -> None:
    pure = sorted(module for module, (floor, _) in floors().items() if floor == 2)
    scope = mutation.in_scope(mutation.settings())
    assert sorted(mutation.dotted(path) for path in scope) == pure
    assert "tco_gate/analysis/flip.py" in scope and "tco_gate/evidence/__init__.py" in scope


def test_the_copy_is_a_repository_of_what_git_tracks(tmp_path: Path) -> None:
    root, copy = tmp_path / "root", tmp_path / "root" / "mutants"
    for path, text in {"tco_gate/a.py": "a = 1\n", "docs/b.md": "b\n", "stray.txt": "not tracked\n"}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "tco_gate/a.py", "docs/b.md")
    assert mutation.replicate(root, copy, ["tco_gate"]) == 2
    assert not (copy / "stray.txt").exists()
    assert git(copy, "ls-files").split() == ["docs/b.md", "tco_gate/a.py"]
    assert git(copy / "docs", "rev-parse", "--show-toplevel") == str(copy.resolve())
    # A changed file is copied again, except in the package, which mutmut keeps (and mutates) itself.
    (copy / "tco_gate" / "a.py").write_text("a = 2  # mutated\n", encoding="utf-8")
    (root / "docs" / "b.md").write_text("b, changed\n", encoding="utf-8")
    git(root, "rm", "-q", "--cached", "tco_gate/a.py")
    assert mutation.replicate(root, copy, ["tco_gate"]) == 1
    assert (copy / "docs" / "b.md").read_text(encoding="utf-8") == "b, changed\n"
    assert (copy / "tco_gate" / "a.py").read_text(encoding="utf-8") == "a = 2  # mutated\n"
    assert git(copy, "ls-files").split() == ["docs/b.md"]  # no longer tracked: no longer in the copy's index


def test_a_module_outside_the_scope_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert mutation.main(["tco_gate/cli.py"]) == 2
    assert "tco_gate/cli.py: not a module [tool.mutmut] only_mutate lets mutmut mutate" in capsys.readouterr().err


def test_a_module_is_named_by_its_path_or_by_its_dotted_name() -> None:
    assert mutation.as_path("analysis.flip") == "tco_gate/analysis/flip.py"
    assert mutation.as_path("tco_gate.ledger") == "tco_gate/ledger.py"
    assert mutation.as_path("tco_gate/verdict.py") == "tco_gate/verdict.py"


def test_a_dotted_name_outside_the_scope_is_refused_by_its_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert mutation.main(["commands.check"]) == 2
    assert "tco_gate/commands/check.py: not a module" in capsys.readouterr().err


CLICK = "\N{LATIN LETTER LATERAL CLICK}"  # mutmut's separator of a class and its method
RESULTS = f"""\
    tco_gate.analysis.x_analyze__mutmut_1: killed
    tco_gate.analysis.flip.x_score__mutmut_1: killed
    tco_gate.analysis.flip.x_score__mutmut_2: survived
    tco_gate.analysis.flip.x{CLICK}Mover{CLICK}nearest_flip__mutmut_3: timeout
    tco_gate.analysis.flip.x_field__mutmut_4: no tests
    tco_gate.analysis.flipper.x_f__mutmut_1: survived
"""


def test_the_results_of_one_module_are_picked_by_its_name() -> None:
    flip = mutation.results(RESULTS, "tco_gate/analysis/flip.py")
    assert [(m.function, m.status) for m in flip] == [
        ("score", "killed"),
        ("score", "survived"),
        ("Mover.nearest_flip", "timeout"),
        ("field", "no tests"),
    ]
    (package,) = mutation.results(RESULTS, "tco_gate/analysis/__init__.py")
    assert package.name == "tco_gate.analysis.x_analyze__mutmut_1"


DIFF = """\
# tco_gate.analysis.flip.x_score__mutmut_2: survived
--- tco_gate/analysis/flip.py
+++ tco_gate/analysis/flip.py
@@ -1,3 +1,3 @@
 def score(finetune, prompting, min_savings_pct, slack=math.inf):
-    return min((prompting - finetune) * 100, slack)
+    return min((prompting - finetune) * 101, slack)
"""


def test_a_survivor_is_equivalent_only_where_an_entry_names_its_function_and_line() -> None:
    removed, added = mutation.changed_lines(DIFF)
    assert (removed, added) == (
        "return min((prompting - finetune) * 100, slack)",
        "return min((prompting - finetune) * 101, slack)",
    )
    entry = mutation.Equivalent("tco_gate/analysis/flip.py", "score", removed, added, "a reason")
    flip = [
        m if m.status != "survived" else mutation.Mutant(m.name, m.status, removed, added)
        for m in mutation.results(RESULTS, "tco_gate/analysis/flip.py")
    ]
    scored = mutation.score("tco_gate/analysis/flip.py", flip, [entry])
    assert (scored.mutants, scored.killed, len(scored.equivalent)) == (4, 2, 1)
    assert [m.status for m in scored.survivors] == ["no tests"]  # a mutant no test reaches is not killed
    assert scored.score == pytest.approx(2 / 3)
    assert mutation.stale("tco_gate/analysis/flip.py", scored, [entry]) == []
    elsewhere = mutation.Equivalent("tco_gate/analysis/flip.py", "field", removed, added, "a reason")
    unmatched = mutation.score("tco_gate/analysis/flip.py", flip, [elsewhere])
    assert len(unmatched.survivors) == 2 and unmatched.score == pytest.approx(2 / 4)
    assert mutation.stale("tco_gate/analysis/flip.py", unmatched, [elsewhere]) == [elsewhere]
    assert "(under 95%)" in mutation.report(unmatched, 95.0)
    any_change = mutation.Equivalent("tco_gate/analysis/flip.py", "score", removed, "*", "a line no input reaches")
    assert len(mutation.score("tco_gate/analysis/flip.py", flip, [any_change]).equivalent) == 1
    other_line = mutation.Equivalent("tco_gate/analysis/flip.py", "score", "return 0", "*", "another line")
    assert mutation.score("tco_gate/analysis/flip.py", flip, [other_line]).equivalent == ()


def test_a_sample_spreads_over_every_function_and_is_the_same_each_time() -> None:
    names = [f"m.x_{f}__mutmut_{n}" for f in ("b", "a") for n in (10, 2, 1, 3)]
    assert mutation.sample(names, 3) == ["m.x_a__mutmut_1", "m.x_a__mutmut_10", "m.x_b__mutmut_3"]
    assert mutation.sample(names, 1) == sorted(names, key=lambda n: (n[:6], int(n.rpartition("_")[2])))


def test_a_mutant_not_tested_is_not_counted() -> None:
    flip = [*mutation.results(RESULTS, "tco_gate/analysis/flip.py"), mutation.Mutant("x_f__mutmut_9", "not checked")]
    scored = mutation.score("tco_gate/analysis/flip.py", flip, [])
    assert (scored.mutants, scored.killed, len(scored.survivors)) == (4, 2, 2)


def test_every_equivalent_mutant_listed_is_in_scope_says_why_and_names_a_line_its_module_has() -> None:
    known = mutation.load_equivalent(mutation.EQUIVALENT.read_text(encoding="utf-8"))
    scope = mutation.in_scope(mutation.settings())
    for entry in known:
        assert entry.module in scope, entry
        assert entry.why.strip() and entry.was != entry.now, entry
        lines = {line.strip() for line in Path(ROOT / entry.module).read_text(encoding="utf-8").splitlines()}
        assert all(line in lines for line in entry.was.splitlines()), entry
