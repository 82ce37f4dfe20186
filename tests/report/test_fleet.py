"""Part 2 in the reports: the GPU fleet's words, the owned fleet's own lines, wrong answers under "quality", cost
per 1M tokens, and the price line that never claims a day the catalog cannot vouch for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tco_gate.cli import main
from tco_gate.report import html, markdown, text
from tests.corpus import report_of
from tests.paths import CASES as ALL_CASES
from tests.paths import EXAMPLES, ROOT

OWNED = EXAMPLES / "contract-clause-review"
REGIONS = EXAMPLES / "shopping-assistant"
CASES = ALL_CASES / "valid"
QUALITY = "quality: the cost of wrong answers (not a hidden cost)"


def test_the_text_gpu_lines_say_replicas_regions_committed_burst_and_billed_against_peak(tmp_path: Path) -> None:
    regions = text.render(report_of(REGIONS)).splitlines()
    (gpus,) = [line for line in regions if line.startswith("  GPUs ")]
    assert gpus.split(None, 1)[1].startswith("billed 16 in month 1, at most 24, 24 in month 24")
    (fleet,) = [line for line in regions if line.startswith("  fleet ")]
    assert fleet.split(None, 1)[1] == (
        "2 regions × replicas of 2 GPUs; autoscaled: billed on the average load, the peak fleet 32–60 GPUs; "
        "16 committed (reserved); burst up to 8 on demand from month 11"
    )
    owned = text.render(report_of(OWNED))
    assert "replicas of 2 GPUs; 8 committed (owned); burst up to 2 on demand from month 12" in owned
    # The case copied out of the repository, a repository of its own: the cases share names with each other.
    case = shutil.copytree(CASES / "over-capacity", tmp_path / "over-capacity")
    over = text.render(report_of(case / "finetune-proposal.yml", "--policy", case / ".tco-gate.yml"))
    assert "2 committed (reserved), no burst, serving at most 5,256,000 requests a month at the peak: over " in over
    assert "capacity from month 5" in over


def test_owned_hardware_has_its_own_lines_under_hidden_cost_3_and_errors_sit_under_quality() -> None:
    report = report_of(OWNED)
    (result,) = report.results
    assert result.finetune is not None
    lines = {item.id: item for item in result.finetune.line_items}
    assert {lines[i].hidden_cost for i in ("depreciation", "power", "licences", "serving")} == {3}
    assert lines["depreciation"].total_usd == 126_800.0  # 8 × 39,625 / 60 × 24 months
    rendered = text.render(report)
    assert "hidden cost 3: serving and on-call are yours" in rendered
    assert "owned GPUs: purchase written off straight-line" in rendered
    regions = report_of(REGIONS)
    for document in (text.render(regions), markdown.render(regions), html.render(regions)):
        assert document.count(QUALITY) == 2, "wrong answers under 'quality' on both sides"
        assert "wrong answers" in document


def test_cost_per_1m_tokens_sits_beside_cost_per_request_in_every_review_format() -> None:
    report = report_of(OWNED)
    (result,) = report.results
    per = result.usd_per_request
    assert per is not None and per.tokens_per_request == 3300.0  # gpt-4.1's 3,000 in + 300 out a request
    assert per.prompting_usd_per_mtok == round(per.prompting_usd / 3300 * 1e6, 2)
    assert "per 1M tokens         fine-tuning $0.76  |  prompting $1.27" in text.render(report)
    row = "cost per 1M tokens (the workload's 3,300 a request) | fine-tuning $0.76, prompting $1.27 |"
    assert f"| {row}" in markdown.render(report)
    assert "cost per 1M tokens (the workload&#x27;s 3,300 a request)" in html.render(report)


def test_the_price_line_is_prompting_prices_and_never_claims_an_undated_day(tmp_path: Path) -> None:
    report = report_of(shutil.copytree(CASES / "back-dated-prices", tmp_path / "back-dated-prices"))
    rendered = text.render(report)
    assert "  prompting prices      " in rendered and "hosted prices  " not in rendered
    assert "at 2023-08-22" not in rendered  # no price line claims the day
    assert "undated: the catalog cannot vouch for it on 2023-08-22" in rendered
    assert "| prompting prices | input $0.50, cached input $0.50, output $1.50 per Mtok, from genai-prices" in (
        markdown.render(report)
    )


def test_a_hosted_fine_tune_held_flat_while_prompting_falls_says_so(tmp_path: Path) -> None:
    source = (ROOT / "examples" / "support-triage-hosted" / "finetune-proposal.yml").read_text(encoding="utf-8")
    assert "price_decline_pct_per_year: 25" in source
    (tmp_path / "finetune-proposal.yml").write_text(source, encoding="utf-8")
    rendered = text.render(report_of(tmp_path))
    assert "; held flat while prompting's fall 25% a year" in rendered


def test_the_json_report_carries_the_fleet_and_validates_against_its_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import jsonschema

    assert main(["check", "--format", "json", str(REGIONS), str(OWNED)]) == 1
    report = json.loads(capsys.readouterr().out)
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    owned = next(r for r in report["results"] if r["name"] == "contract-clause-review")
    assert owned["break_even_volume"]["capacity"] is None  # it bursts beyond its server: nothing caps the volume
    assert owned["serving"]["capacity_requests_per_month"] is None
