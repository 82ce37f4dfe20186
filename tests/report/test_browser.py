"""The charts render for real: the HTML report and the Markdown report's Mermaid block in headless Chromium.

Debian's chromium, driven by playwright-core from the committed npm lock, offline: every request the page
makes is recorded and must be for a local file. TCO_GATE_UPDATE_SCREENSHOTS=1 rewrites the screenshots in
docs/ that the README and docs/formats.md show.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tco_gate.report import html, markdown
from tests.chromium import left_the_machine, load_html, render_mermaid
from tests.corpus import report_of
from tests.paths import EXAMPLES, ROOT

pytestmark = pytest.mark.tools  # slow: chromium draws the reports

UPDATE = os.environ.get("TCO_GATE_UPDATE_SCREENSHOTS") == "1"
DOCS = ROOT / "docs"


def _screenshot(tmp_path: Path, name: str) -> Path:
    return DOCS / name if UPDATE else tmp_path / name


def test_html_report_draws_its_svg_charts_in_chromium_and_nothing_leaves_the_machine(tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    # The example with ranges (its chart has P10-P90 bars) and one without, so the portfolio table shows too.
    report = report_of(EXAMPLES / "catalog-enricher", EXAMPLES / "support-triage")
    page.write_text(html.render(report), encoding="utf-8")
    screenshot = _screenshot(tmp_path, "review-html.png")
    seen = load_html(page, screenshot)

    assert seen["requests"] == [page.as_uri()]  # the document itself, and nothing else
    assert left_the_machine(seen["requests"]) == []
    assert seen["scripts"] == 0 and seen["consoleErrors"] == []
    assert [chart["id"] for chart in seen["charts"]] == [f"chart-{n}" for n in range(1, len(report.results) + 1)]
    for chart in seen["charts"]:
        assert (chart["box"]["width"], chart["box"]["height"]) == (720, 360)
        assert chart["box"]["x"] >= 0 and chart["box"]["y"] > 0
        fine_tuning, prompting = chart["lines"]
        for line in (fine_tuning, prompting):
            assert line["points"] == 24  # one per month of the horizon
            assert 600 < line["width"] <= 720  # spans the plot from month 1 to month 24
            assert line["height"] > 10  # a cumulative cost rises
    ranged, plain = seen["charts"]
    assert len(ranged["spreads"]) == 2 and all(height > 5 for height in ranged["spreads"])
    assert plain["spreads"] == []
    assert screenshot.stat().st_size > 10_000


def test_a_page_that_reaches_out_is_caught(tmp_path: Path) -> None:
    page = tmp_path / "leaky.html"
    page.write_text('<!doctype html><img src="http://127.0.0.1:9/pixel.png"><svg class="chart"></svg>', "utf-8")
    seen = load_html(page)
    assert left_the_machine(seen["requests"]) == ["http://127.0.0.1:9/pixel.png"]  # recorded, and aborted


def test_a_broken_mermaid_block_is_an_error_not_a_drawing(tmp_path: Path) -> None:
    seen = render_mermaid("xychart-beta\n  line [1, 2\n", tmp_path)
    assert seen["ok"] is False
    assert "Parse error" in seen["error"]


def test_the_markdown_reports_mermaid_chart_draws_an_svg_in_chromium(tmp_path: Path) -> None:
    document = markdown.render(report_of(EXAMPLES / "catalog-enricher"))
    (diagram,) = re.findall(r"```mermaid\n(.*?)```", document, re.S)
    seen = render_mermaid(diagram, tmp_path, _screenshot(tmp_path, "review-mermaid.png"))

    assert seen["ok"], seen.get("error")
    assert seen["svg"].startswith("<svg") and 'aria-roledescription="xychart"' in seen["svg"]
    assert "line-plot-0" in seen["svg"] and "line-plot-1" in seen["svg"]  # both options drawn
    assert "Syntax error" not in seen["text"]
    assert seen["box"]["width"] > 300 and seen["box"]["height"] > 200
    assert left_the_machine(seen["requests"]) == []
    assert seen["consoleErrors"] == []
