"""evidence.compare on its own: every kind of change and note it can name, from one filed report."""

from __future__ import annotations

import pytest

from tco_gate.cli import main
from tco_gate.commands.report import load
from tco_gate.report.evidence import compare
from tco_gate.report.model import Report
from tests.paths import ROOT


@pytest.fixture(scope="module")
def filed(tmp_path_factory: pytest.TempPathFactory) -> Report:
    target = tmp_path_factory.mktemp("filed") / "report.json"
    main(["check", "--format", "json", "--output", str(target), str(ROOT / "examples" / "listing-categorizer")])
    report = load(target)
    assert report.provenance is not None and report.tool is not None
    return report


def _hashes(report: Report) -> dict[str, str | None]:
    assert report.provenance is not None
    return {item.path: item.sha256 for item in report.provenance.inputs}


def test_nothing_changed_is_no_change(filed: Report) -> None:
    found = compare(filed, filed, _hashes(filed))
    assert (found.changes, found.notes) == ([], [])


def test_a_file_that_cannot_be_read_now_is_a_change(filed: Report) -> None:
    found = compare(filed, filed, dict.fromkeys(_hashes(filed)))
    assert found.changes and all("cannot be read now" in change for change in found.changes)


def test_a_proposal_gone_or_new_is_a_change(filed: Report) -> None:
    gone = filed.model_copy(update={"results": []})
    assert compare(filed, gone, _hashes(filed)).changes == ["listing-categorizer: no longer found by the command"]
    moved = filed.results[0].model_copy(update={"path": "elsewhere/finetune-proposal.yml"})
    found = compare(filed, filed.model_copy(update={"results": [moved]}), _hashes(filed)).changes
    assert "listing-categorizer: found now, not in the filed report" in found


def test_moved_totals_another_tool_or_catalog_are_notes(filed: Report) -> None:
    result = filed.results[0]
    assert result.finetune is not None and filed.tool is not None and filed.provenance is not None
    cheaper = result.model_copy(update={"finetune": result.finetune.model_copy(update={"total_usd": 1.0})})
    fresh = filed.model_copy(
        update={
            "results": [cheaper],
            "tool": filed.tool.model_copy(update={"version": "9.9.9"}),
            "provenance": filed.provenance.model_copy(update={"catalog": "genai-prices 9.9"}),
        }
    )
    found = compare(filed, fresh, _hashes(filed))
    assert found.changes == []
    assert any("the finetune total was" in note for note in found.notes)
    assert any("this is tco-gate 9.9.9" in note for note in found.notes)
    assert any("now genai-prices 9.9" in note for note in found.notes)
