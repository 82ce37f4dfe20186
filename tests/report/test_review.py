"""The review sections: break-even volume, sensitivity, uncertainty and the checklist, from the report alone."""

from __future__ import annotations

from functools import cache

import pytest

from tco_gate.report import html, review
from tco_gate.report.model import ResultOut
from tco_gate.report.model_analysis import BandOut
from tests.corpus import report_of
from tests.paths import CASES, EXAMPLES


@cache
def _example(name: str) -> ResultOut:
    (result,) = report_of(EXAMPLES / name).results
    return result


def _marks(name: str) -> dict[str, str]:
    return {item.condition: item.status for item in review.checklist(_example(name))}


def test_the_checklist_marks_each_condition_from_the_proposals_own_data() -> None:
    assert _marks("discharge-coding-eu") == {
        "Data cannot leave the perimeter": "yes",
        "Latency under 50 ms": "not stated",
        "Prompting measurably failed on the eval set": "not stated",
        "Narrow and stable use case": "yes",
        "Volume high enough": "no",
    }
    listing = _marks("listing-categorizer")
    assert listing["Data cannot leave the perimeter"] == "not stated"
    assert listing["Prompting measurably failed on the eval set"] == "no"  # 0.95 vs 0.93: inside the policy's bar
    assert listing["Narrow and stable use case"] == "no"  # six retrains a year
    assert listing["Volume high enough"] == "yes"  # it passes at its own volume


def test_the_checklist_quotes_the_evidence() -> None:
    items = {item.condition: item for item in review.checklist(_example("discharge-coding-eu"))}
    assert items["Data cannot leave the perimeter"].evidence.startswith("“Patient health data (GDPR Art. 9)")
    assert items["Narrow and stable use case"].evidence == (
        "Stable: 2 retrain(s) a year. How narrow the task is, the proposal does not say."
    )
    accuracy = {i.condition: i for i in review.checklist(_example("listing-categorizer"))}
    assert accuracy["Prompting measurably failed on the eval set"].evidence.startswith(
        "Prompting is 2.11% less accurate"
    )


def test_latency_is_marked_against_50_ms() -> None:
    result = _example("support-triage")
    assert result.proposal is not None
    fast = result.model_copy(update={"proposal": result.proposal.model_copy(update={"max_latency_ms": 40.0})})
    slow = result.model_copy(update={"proposal": result.proposal.model_copy(update={"max_latency_ms": 200.0})})
    (fast_mark,) = [i for i in review.checklist(fast) if i.condition == "Latency under 50 ms"]
    (slow_mark,) = [i for i in review.checklist(slow) if i.condition == "Latency under 50 ms"]
    assert (fast_mark.status, fast_mark.evidence) == ("yes", "It needs 40 ms end to end.")
    assert (slow_mark.status, slow_mark.evidence) == (
        "no",
        "It needs 200 ms end to end, which a hosted model can meet.",
    )


def test_break_even_volume_is_said_beside_the_proposals_own() -> None:
    (line, *_) = review.break_even_volume(_example("support-triage"))
    assert "the proposal's own volume is 3,000,000 requests a month" in line


def test_the_sensitivity_table_lists_the_largest_swings_first() -> None:
    result = _example("support-triage")
    rows = review.sensitivity_rows(result)
    assert 0 < len(rows) <= review.SENSITIVITY_ROWS
    assert [row[0] for row in rows] == [e.input.lstrip("/").replace("/", ".") for e in result.sensitivity[: len(rows)]]
    swings = [entry.swing_usd for entry in result.sensitivity]
    assert swings == sorted(swings, reverse=True)


def test_ranges_give_an_uncertainty_band_and_the_chart_its_bars() -> None:
    result = _example("catalog-enricher")
    assert result.uncertainty is not None
    (finetune, prompting) = review.uncertainty_rows(result)
    assert finetune[0] == "fine-tuning" and prompting[0] == "prompting"
    assert "of 10,000 draws (PERT, seed" in review.uncertainty_lines(result)[0]
    document = html.render(report_of(EXAMPLES / "catalog-enricher"))
    assert document.count('<g class="spread">') == 2
    assert "<h3>Uncertainty</h3>" in document and "<h3>When fine-tuning is right</h3>" in document


def test_no_ranges_no_uncertainty_section() -> None:
    assert review.uncertainty_rows(_example("support-triage")) == []
    assert "<h3>Uncertainty</h3>" not in html.render(report_of(EXAMPLES / "support-triage"))


def test_break_even_volume_words_for_no_band_many_bands_and_a_cut_search() -> None:
    result = _example("support-triage")
    volume = result.break_even_volume
    assert volume is not None
    none = result.model_copy(update={"break_even_volume": volume.model_copy(update={"bands": [], "bands_total": 0})})
    assert review.break_even_volume(none)[0].startswith("No monthly volume up to ")
    band = BandOut(low=1000, high=None)
    many = volume.model_copy(update={"bands": [band], "bands_total": 3, "complete": False})
    lines = review.break_even_volume(result.model_copy(update={"break_even_volume": many}))
    assert lines[0].startswith("Fine-tuning wins by the margin at 1,000 to ")
    assert "(as far as searched)" in lines[0]
    assert lines[1] == "GPU steps split the volumes into 3 bands; the 1 nearest are listed."
    assert lines[2].startswith("The search stopped early")


def test_an_invalid_proposal_has_no_review_sections_and_not_stated_marks() -> None:
    (invalid,) = report_of(CASES / "invalid" / "merge-key").results
    assert review.break_even_volume(invalid) == []
    assert review.sensitivity_rows(invalid) == []
    assert {item.status for item in review.checklist(invalid)} == {"not stated"}


@pytest.mark.parametrize(
    ("value", "shown"), [(110_000_000.0, "110,000,000"), (3.78, "3.78"), (0.0769, "0.0769"), (25.0, "25")]
)
def test_numbers_are_written_as_people_write_them(value: float, shown: str) -> None:
    assert review.number(value) == shown
