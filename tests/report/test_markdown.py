"""`--format markdown`: the report a reviewer reads, rendered from real runs on the bundled examples."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from tco_gate.options import RunOptions
from tco_gate.report import RENDERERS
from tco_gate.report.build import build
from tco_gate.report.markdown import render
from tco_gate.report.model import FindingOut, Report
from tco_gate.run import run
from tests.paths import EXAMPLES

TODAY = date(2026, 11, 29)


def _report(*names: str) -> Report:
    return build(run(RunOptions(paths=tuple(EXAMPLES / name for name in names)), today=TODAY))


def test_one_proposal_in_full_banner_totals_margin_break_even_costs_chart_prices() -> None:
    markdown = render(_report("support-triage"))
    assert "markdown" in RENDERERS
    assert "### ❌ **FAIL** · support-triage" in markdown
    assert "| fine-tuning | $336,859.98 |" in markdown and "| prompting | $91,972.11 |" in markdown
    assert "| saving | −266.26% (required: at least 10%) |" in markdown
    assert "| break-even | none within 24 months |" in markdown
    for number in (1, 2, 3, 4, 5):
        assert f"**hidden cost {number}: " in markdown
    assert "genai-prices" in markdown and "openai/gpt-4.1-mini" in markdown
    chart = re.search(r"```mermaid\n(.*?)```", markdown, re.S)
    assert chart and chart.group(1).startswith("xychart-beta\n")
    lines = re.findall(r"line \[([^\]]*)\]", chart.group(1))
    assert len(lines) == 2
    finetune = [float(v) for v in lines[0].split(", ")]
    assert len(finetune) == 24 and finetune == sorted(finetune) and finetune[-1] == 336860
    assert "<details>" not in markdown


def test_many_proposals_get_a_table_then_each_folded() -> None:
    markdown = render(_report("support-triage", "listing-categorizer", "discharge-coding-eu"))
    table_at = markdown.index("| verdict | proposal |")
    assert markdown.count("<details>") == 3 == markdown.count("</details>")
    assert table_at < markdown.index("<details>")
    assert re.search(r"\| ❌ \*\*FAIL\*\* \| support-triage \| \$336,859\.98 \| \$91,972\.11 \| −266\.26% \|", markdown)
    assert "1 pass, 1 fail, 1 exempt" in markdown


def test_text_from_a_proposal_cannot_open_html_or_break_a_table() -> None:
    report = _report("support-triage")
    hostile = FindingOut(
        level="error",
        message="bad </details><img src=x> | cell\n## heading",
        file="a.yml",
        pointer="",
        line=2,
        column=1,
    )
    result = report.results[0].model_copy(update={"findings": [hostile]})
    markdown = render(report.model_copy(update={"results": [result]}))
    row = next(line for line in markdown.splitlines() if "bad " in line)
    assert row == "| ⛔ error | `a.yml:2:1` | bad &lt;/details&gt;&lt;img src=x&gt; \\| cell ## heading |"
    assert "\n## heading" not in markdown


def test_an_invalid_proposal_shows_its_findings_and_no_figures(tmp_path: Path) -> None:
    case = tmp_path / "finetune-proposal.yml"
    case.write_text("version: 2\n", encoding="utf-8")
    markdown = render(build(run(RunOptions(paths=(case,)), today=TODAY)))
    assert "⛔ **INVALID**" in markdown and "**Findings**" in markdown
    assert "| fine-tuning |" not in markdown and "```mermaid" not in markdown


def test_an_empty_run_and_a_finding_without_a_column() -> None:
    assert render(build([])) == "## tco-gate\n\nno proposal checked\n"
    report = _report("support-triage")
    finding = FindingOut(level="warning", message="m", file="a.yml", pointer="", line=4, column=None)
    result = report.results[0].model_copy(update={"findings": [finding]})
    markdown = render(report.model_copy(update={"results": [result]}))
    assert "| ⚠️ warning | `a.yml:4` | m |" in markdown
