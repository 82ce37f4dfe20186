"""Editor support, in the real editor engine: yaml-language-server over LSP, as VS Code, Neovim or Helix run it.

A proposal's first line, `# yaml-language-server: $schema=...`, is all an editor needs; the corpus of invalid
proposals has no such line, so that session associates the schema by file name in the settings instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tco_gate.cli import main
from tests.lsp import LanguageServer
from tests.tools import require_tool

pytestmark = pytest.mark.tools  # slow: the YAML language server reads every case

ROOT = Path(__file__).parent.parent
SCHEMA = ROOT / "schemas" / "finetune-proposal.schema.json"
INVALID = Path(__file__).parent / "cases" / "invalid"
VALID = Path(__file__).parent / "cases" / "valid"
ERROR = 1  # LSP DiagnosticSeverity.Error

# Invalid cases that are valid YAML where the schema, and so the editor, cannot see what the gate sees.
# docs/proposal.md lists the same cases under "What the editor cannot see"; a test keeps the two in step.
SCHEMA_CANNOT_SEE = {
    "block-scalar-tab-indent": "a tab inside block text: YAML allows it, libyaml refuses it, so the gate does too",
    "directive-yaml-1-1": "the editor reads `%YAML 1.1` quietly; the gate refuses a directive it does not follow",
    "tab-after-colon": "a tab after `key:`: valid YAML, refused by one of PyYAML's parsers, so by the gate",
    "tab-after-value": "a trailing tab: valid YAML, refused by one of PyYAML's parsers, so by the gate",
    "alias-single-reuse": "anchors and aliases are YAML: the editor checks the value an alias stands for",
    "cached-exceeds-input": "a rule between two fields (cached tokens within input tokens)",
    "missing-requests-per-month": "a rule across sections: required unless `evidence.usage` measures it",
    "merge-key": "a merge key is a plain key `<<` in YAML 1.2, and the editor's YAML reads it as a merge",
    "money-nan": "`.nan` is a number to a JSON Schema, which has no word for 'finite'",
    "nul-byte-in-value": "a NUL character is text to a schema",
    "only-comments": "an empty document has nothing to check; the gate refuses a file with no proposal in it",
    "second-document": "the editor checks each document against the schema; the gate refuses the second one at `---`",
    "serving-both": "a rule between two fields (exactly one of `monthly_serving_usd` and `serving`)",
    "tag-binary": "`!!binary` is a standard YAML tag the editor resolves; the gate refuses every explicit tag",
    "unknown-model": "the price catalog: whether a model exists is not a question of the file's shape",
}


def _server(settings: dict[str, Any]) -> LanguageServer:
    server = require_tool("yaml-language-server", via="npm")
    node = require_tool("node", via="apt:nodejs")
    return LanguageServer([node, server], ROOT, settings)


def _settings(schemas: dict[str, list[str]]) -> dict[str, Any]:
    # What an editor's user settings hold; the schema store is off (no network), YAML 1.2 as the gate reads it.
    return {"yaml": {"validate": True, "schemas": schemas, "schemaStore": {"enable": False}, "yamlVersion": "1.2"}}


def _shown(diagnostics: list[dict[str, Any]]) -> list[str]:
    return [f"{d['range']['start']['line'] + 1}: {d['message']}" for d in diagnostics]


@pytest.fixture(scope="module")
def by_modeline() -> Iterator[LanguageServer]:
    """An editor with no settings of its own: each file's first line names its schema."""
    server = _server(_settings({}))
    yield server
    server.close()


def test_editor_finds_nothing_wrong_in_the_examples(by_modeline: LanguageServer) -> None:
    files = sorted(ROOT.glob("examples/*/finetune-proposal.yml"))
    assert len(files) >= 3
    documents = {path: path.read_text(encoding="utf-8") for path in files}
    for path, text in documents.items():
        assert text.startswith("# yaml-language-server: $schema="), path
    diagnostics = by_modeline.diagnostics(documents)
    assert {path: _shown(found) for path, found in diagnostics.items() if found} == {}


def test_editor_finds_nothing_wrong_in_what_init_writes(
    by_modeline: LanguageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Outside this checkout, so the `$schema=` line is the installed package's file, as a user gets it.
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert main(["init", "--policy"]) == 0
    documents = {
        path: path.read_text(encoding="utf-8")
        for path in (tmp_path / "finetune-proposal.yml", tmp_path / ".tco-gate.yml")
    }
    diagnostics = by_modeline.diagnostics(documents)
    assert {path.name: _shown(found) for path, found in diagnostics.items() if found} == {}
    # The control: the same file with one key misspelt is flagged, so the schema line did load the schema.
    typo = tmp_path / "typo" / "finetune-proposal.yml"
    typo.parent.mkdir()
    text = documents[tmp_path / "finetune-proposal.yml"].replace("\n  training_run_usd:", "\n  training_run_usb:")
    assert any("training_run_usb" in line for line in _shown(by_modeline.diagnostics({typo: text})[typo]))


def test_editor_applies_the_schema_named_on_the_first_line(by_modeline: LanguageServer, tmp_path: Path) -> None:
    # The control for the zero-diagnostics tests: the modeline does bring the schema in.
    example = ROOT / "examples" / "listing-categorizer" / "finetune-proposal.yml"
    text = example.read_text(encoding="utf-8").replace("  base_model:", "  base_modle:")
    path = example.parent / "typo-finetune-proposal.yml"
    diagnostics = by_modeline.diagnostics({path: text})[path]
    line = 1 + text.splitlines().index(next(line for line in text.splitlines() if line.startswith("  base_modle:")))
    assert f"{line}: Property base_modle is not allowed." in _shown(diagnostics)


# -- the invalid corpus ----------------------------------------------------------------------------------------


def _gate_lines(case: Path) -> set[int]:
    """The lines tco-gate reports for a case, from its golden `file:line:col: level: message` lines."""
    golden = (case / "expected.txt").read_text(encoding="utf-8")
    return {int(match[1]) for match in re.finditer(r"^[^:\n]+:(\d+):\d+: error:", golden, re.MULTILINE)}


def _invalid_cases() -> list[Path]:
    return sorted(path for path in INVALID.iterdir() if path.is_dir())


@pytest.fixture(scope="module")
def corpus() -> Iterator[dict[Path, list[dict[str, Any]] | None]]:
    """Each case's diagnostics, or None for a file that is not UTF-8 (not YAML text an editor opens)."""
    server = _server(_settings({SCHEMA.as_uri(): ["finetune-proposal.yml", "finetune-proposal.yaml"]}))
    documents: dict[Path, str] = {}
    results: dict[Path, list[dict[str, Any]] | None] = {}
    for case in [*_invalid_cases(), *sorted(path for path in VALID.iterdir() if path.is_dir())]:
        try:
            documents[case] = (case / "finetune-proposal.yml").read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            results[case] = None
    found = server.diagnostics({case / "finetune-proposal.yml": text for case, text in documents.items()})
    server.close()
    results.update({path.parent: diagnostics for path, diagnostics in found.items()})
    yield results


def test_editor_finds_nothing_wrong_in_the_valid_cases(corpus: dict[Path, list[dict[str, Any]] | None]) -> None:
    valid = {case: found for case, found in corpus.items() if case.parent == VALID}
    assert len(valid) >= 6
    assert {case.name: _shown(found or []) for case, found in valid.items() if found} == {}


def _yaml_error_lines(diagnostics: list[dict[str, Any]]) -> set[int]:
    """The lines where the editor's own YAML 1.2 parser reports an error (before any schema applies)."""
    return {
        d["range"]["start"]["line"] + 1 for d in diagnostics if d.get("source") == "YAML" and d.get("severity") == ERROR
    }


def _is_valid_yaml(diagnostics: list[dict[str, Any]] | None) -> bool:
    """Valid YAML as the editor's own YAML 1.2 parser judges it: UTF-8, and no error of its own."""
    return diagnostics is not None and not _yaml_error_lines(diagnostics)


# The parsers place one problem differently: the editor flags the mapping the stray indentation continues.
YAML_ERROR_A_LINE_EARLIER = {"syntax-bad-indentation"}


@pytest.mark.parametrize("case", _invalid_cases(), ids=lambda case: case.name)
def test_editor_flags_a_line_the_gate_reports(case: Path, corpus: dict[Path, list[dict[str, Any]] | None]) -> None:
    diagnostics = corpus[case]
    gate = _gate_lines(case)
    if not _is_valid_yaml(diagnostics):  # the editor's parser refuses it before any schema applies
        assert case.name not in SCHEMA_CANNOT_SEE
        assert gate, "the gate places at a line what the editor cannot read"
        if diagnostics is None:  # not UTF-8: no editor opens it as text
            return
        shift = 1 if case.name in YAML_ERROR_A_LINE_EARLIER else 0
        editor_yaml = {line + shift for line in _yaml_error_lines(diagnostics)}
        assert editor_yaml & gate, f"gate lines {sorted(gate)}, editor's YAML errors: {_shown(diagnostics)}"
        return
    assert diagnostics is not None
    editor = {d["range"]["start"]["line"] + 1 for d in diagnostics}
    # A file the gate refuses as a whole (no line) agrees with an editor that flags anything in it.
    agrees = bool(editor & gate) if gate else bool(editor)
    if case.name in SCHEMA_CANNOT_SEE:
        assert not agrees, f"the editor now sees {case.name}: remove it from SCHEMA_CANNOT_SEE and docs/proposal.md"
    else:
        assert agrees, f"gate lines {sorted(gate)}, editor: {_shown(diagnostics)}"


def test_the_docs_list_what_the_editor_cannot_see() -> None:
    page = (ROOT / "docs" / "proposal.md").read_text(encoding="utf-8")
    section = page.split("### What the editor cannot see", 1)[1].split("\n#", 1)[0]
    listed = set(re.findall(r"^- `([a-z0-9-]+)`", section, re.MULTILINE))
    assert listed == set(SCHEMA_CANNOT_SEE)
