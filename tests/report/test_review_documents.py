"""The review documents (`--format html` and `markdown`) open with what is proposed, by whom, at which prices from
where; both end with the evidence block; both indent a hidden cost's line items; and every percentage in them is
written one way."""

from __future__ import annotations

import hashlib
import html as html_text
import json
import re
from pathlib import Path

import pytest

from tco_gate.cli import main
from tco_gate.report import RENDERERS
from tco_gate.report.model import InputFileOut, ProvenanceOut
from tests.corpus import corpus, report_of
from tests.paths import EXAMPLES

SELF_HOSTED = EXAMPLES / "support-triage"
HOSTED = EXAMPLES / "support-triage-hosted"


def _document(format: str, *paths: Path) -> str:
    rendered = RENDERERS[format](report_of(*paths))
    return html_text.unescape(re.sub(r"<[^>]+>", " ", rendered)) if format == "html" else rendered


@pytest.mark.parametrize("format", ["html", "markdown"])
def test_the_document_opens_with_what_is_proposed_by_whom_at_which_prices_from_where(format: str) -> None:
    document = _document(format, SELF_HOSTED)
    facts = [
        "@acme/support-ml",  # owner
        "Fine-tune Llama 3.1 8B to route and prioritise inbound support tickets.",  # summary
        "meta-llama/Llama-3.1-8B-Instruct",  # base model
        "openai/gpt-4.1-mini",  # hosted model
        "2026-11-28",  # as_of
        "input $0.40, cached input $0.10, output $1.60 per Mtok, from genai-prices",  # prices and their source
        "fine-tuning $0.002873, prompting $0.0007844",  # cost per request
        "4 in month 1, peak 7, 7 in month 24",  # GPUs
    ]
    first_total = document.index("$336,859.98")  # the first figure argued: fine-tuning's total
    for fact in facts:
        assert fact in document, fact
        assert document.index(fact) < first_total, f"{fact!r} comes after the totals"


@pytest.mark.parametrize("format", ["html", "markdown"])
def test_a_provider_hosted_fine_tune_names_its_model_and_prices(format: str) -> None:
    document = _document(format, HOSTED)
    assert "by a provider" in document
    assert "ft:gpt-4o-mini-2024-07-18" in document  # the fine-tune's catalog entry, with its prices


def test_markdown_carries_the_evidence_block_html_has(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLES.parent)
    proposal = "examples/support-triage/finetune-proposal.yml"
    sha256 = hashlib.sha256(Path(proposal).read_bytes()).hexdigest()
    for format in ("markdown", "html"):
        assert main(["check", "--format", format, proposal]) == 1
        document = capsys.readouterr().out
        assert "Evidence</h" in document or "### Evidence" in document
        assert sha256 in document
        assert "tco-gate check examples/support-triage/finetune-proposal.yml" in document
        assert "tco-gate verify REPORT.json" in document
    # Rendered later from the saved JSON report, the block is the same.
    saved = tmp_path / "report.json"
    assert main(["check", "--format", "json", "--output", str(saved), proposal]) == 1
    capsys.readouterr()
    assert main(["report", "--from", str(saved), "--format", "markdown"]) == 0
    assert sha256 in capsys.readouterr().out


def test_a_command_with_backticks_cannot_close_the_markdown_evidence_fence() -> None:
    hostile = ProvenanceOut(
        catalog="genai-prices 0",
        command=["tco-gate", "check", "a```\n# heading|x"],
        inputs=[InputFileOut(path="a``b|c.yml", role="proposal", sha256="0" * 64)],
    )
    report = report_of(SELF_HOSTED).model_copy(update={"provenance": hostile})
    block = RENDERERS["markdown"](report).split("### Evidence", 1)[1]
    fences = re.findall(r"^`{3,}$", block, re.M)
    assert fences == ["````", "````"]  # longer than the three backticks inside, so the command cannot close it
    inside = block.split("````")[1]
    assert "# heading" in inside  # the heading-looking line stays inside the code block
    assert "| proposal | ``` a``b\\|c.yml ``` | `" + "0" * 64 + "` |" in block


def test_html_indents_a_hidden_costs_line_items_as_markdown_does() -> None:
    rendered = RENDERERS["html"](report_of(SELF_HOSTED))
    rows = re.findall(r"<tr( class=\"group\")?><td( class=\"sub\")?>([^<]*)</td>", rendered)
    assert any(group for group, _, _ in rows)  # hidden-cost heading rows
    indented = {label: bool(sub) for group, sub, label in rows if not group}
    assert indented["eval set build (SME hours)"] is True  # under hidden cost 1
    assert indented["initial training run"] is False  # a plain cost, above the hidden costs
    markdown = RENDERERS["markdown"](report_of(SELF_HOSTED))
    assert "| &nbsp;&nbsp;&nbsp;&nbsp;eval set build (SME hours) |" in markdown
    assert "| initial training run |" in markdown


@pytest.mark.parametrize("format", ["text", "markdown", "html"])
def test_every_percentage_is_written_one_way(format: str) -> None:
    # One format: two decimals at most, trailing zeros dropped (`10%`, `12.5%`, `−266.26%`), so the same value
    # never reads `10%` in one place and `10.00%` in another.
    document = RENDERERS[format](corpus())
    padded = re.findall(r"\d\.\d*0%|\d\.%", document)
    assert not padded, padded[:5]
    report = json.loads(RENDERERS["json"](corpus()))
    assert any(r["required_savings_pct"] == 10 for r in report["results"])
