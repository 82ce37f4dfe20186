"""Each renderer on report models built by hand, and `tco-gate report --from` on saved reports."""

from __future__ import annotations

import ast
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tco_gate.cli import main
from tco_gate.report import RENDERERS, json_report, text
from tco_gate.report.model import (
    FindingOut,
    HiddenCostOut,
    LineItemOut,
    OptionOut,
    PolicyOut,
    PriceOut,
    PricesOut,
    ReasonOut,
    Report,
    ResultOut,
    SummaryOut,
)
from tco_gate.result import Outcome, ReasonCode
from tests.paths import CASES, EXAMPLES, ROOT


def _item(id_: str, label: str, hidden: Any, total: float) -> LineItemOut:
    return LineItemOut(id=id_, label=label, hidden_cost=hidden, total_usd=total, monthly_usd=[total])


def _costed(verdict: Outcome = Outcome.FAIL, *, enforced: bool = True, savings: float | None = -25.5) -> ResultOut:
    finetune = OptionOut(
        total_usd=1250.0,
        line_items=[
            _item("training_run", "initial training run", None, 200.0),
            _item("serving", "GPU serving, flat monthly", 3, 1000.004),
            _item("eval_set_build", "eval set build (SME hours)", 1, 50.0),
        ],
        monthly_usd=[1250.0],
        hidden_costs=[
            HiddenCostOut(hidden_cost=1, name="the eval set is yours", total_usd=50.0),
            HiddenCostOut(hidden_cost=3, name="serving and on-call are yours", total_usd=1000.0),
        ],
    )
    prompting = OptionOut(
        total_usd=995.9,
        line_items=[_item("api_usage", "hosted API usage at as_of prices", None, 995.9)],
        monthly_usd=[995.9],
        hidden_costs=[],
    )
    return ResultOut(
        path="svc/finetune-proposal.yml",
        name="svc",
        verdict=verdict,
        enforced=enforced,
        reasons=[ReasonOut(code=ReasonCode.MARGIN, text="the margin, in words")],
        policy=PolicyOut(
            file=None,
            horizon_months=1,
            min_savings_pct=12.5,
            hourly_rate_usd=150.0,
            discount_rate_pct_per_year=0.0,
            require_hidden_costs=True,
            on_fail="fail",
            sources={"horizon_months": "flag"},
        ),
        finetune=finetune,
        prompting=prompting,
        prompting_prices=PricesOut(
            input=PriceOut(usd_per_mtok=0.4, source="proposal"),
            cached_input=PriceOut(usd_per_mtok=0.075, source="proposal"),
            output=PriceOut(usd_per_mtok=1.6, source="proposal"),
        ),
        savings_pct=savings,
        required_savings_pct=12.5,
        break_even_month=None,
        accuracy_gap_pct=None,
        findings=[
            FindingOut(
                level="warning", message="zero", file="svc/finetune-proposal.yml", pointer="/x", line=3, column=5
            )
        ],
    )


def _invalid() -> ResultOut:
    return ResultOut(
        path="bad/finetune-proposal.yml",
        name=None,
        verdict=Outcome.INVALID,
        enforced=True,
        reasons=[ReasonOut(code=ReasonCode.INVALID_POLICY, text="its policy file p.yml is invalid")],
        policy=None,
        finetune=None,
        prompting=None,
        prompting_prices=None,
        savings_pct=None,
        required_savings_pct=None,
        break_even_month=None,
        accuracy_gap_pct=None,
        findings=[
            FindingOut(level="error", message="no place", file="p.yml", pointer="", line=None, column=None),
            FindingOut(level="error", message="line only", file="p.yml", pointer="", line=2, column=None),
        ],
    )


def _report(*results: ResultOut) -> Report:
    counts = {outcome.value: sum(1 for r in results if r.verdict is outcome) for outcome in Outcome}
    return Report(version=1, results=list(results), summary=SummaryOut(**counts))


def test_text_renders_a_costed_result_from_the_model_alone() -> None:
    lines = text.render(_report(_costed())).splitlines()
    assert lines[0] == "FAIL  svc  svc/finetune-proposal.yml"
    assert lines[1] == "  total over 1 months   fine-tuning $1,250.00  |  prompting $995.90"
    assert lines[2] == "  saving                −25.5%  (required: at least 12.5%)"
    assert lines[3] == "  break-even            none within 1 months"
    assert lines[4] == "  policy                built-in defaults (no .tco-gate.yml found)"
    assert lines[5] == "  set by flags          --horizon-months 1 (over the policy file)"
    assert lines[6] == "  hourly rate           $150.00 an engineering hour (built-in default)"
    assert (
        lines[7] == "  prompting prices      input $0.40, cached input $0.075, output $1.60 per Mtok, from the proposal"
    )
    # Untagged items first, then each hidden cost under a heading carrying the report's own group total.
    assert [line.strip().rsplit("  ", 1)[0].strip() for line in lines[8:13]] == [
        "fine-tuning",
        "initial training run",
        "hidden cost 1: the eval set is yours",
        "eval set build (SME hours)",
        "hidden cost 3: serving and on-call are yours",
    ]
    assert lines[12].endswith("$1,000.00") and lines[13].endswith("$1,000.00")
    assert lines[-5:] == [
        "    - the margin, in words",
        "  findings",
        "    svc/finetune-proposal.yml:3:5: warning: zero",
        "",
        "1 proposal: 0 pass, 1 fail, 0 exempt, 0 waived, 0 invalid",
    ]


def test_text_marks_a_warned_failure_and_a_free_prompting_side() -> None:
    out = text.render(_report(_costed(enforced=False, savings=None)))
    assert out.startswith("FAIL (warn only)  svc  ")
    assert "  saving                n/a (prompting costs nothing)  (required: at least 12.5%)\n" in out


def test_text_shows_only_reasons_and_findings_for_an_invalid_result() -> None:
    out = text.render(_report(_invalid(), _costed(Outcome.PASS)))
    assert out.startswith(
        "INVALID  bad/finetune-proposal.yml\n"
        "  reasons\n"
        "    - its policy file p.yml is invalid\n"
        "  findings\n"
        "    p.yml: error: no place\n"
        "    p.yml:2: error: line only\n"
        "\n"
        "PASS  svc"
    )
    assert out.endswith("\n2 proposals: 1 pass, 0 fail, 0 exempt, 0 waived, 1 invalid\n")


def test_text_names_each_price_source_when_they_differ() -> None:
    result = _costed().model_copy(
        update={
            "prompting_prices": PricesOut(
                input=PriceOut(usd_per_mtok=0.4, source="genai-prices 9: openai/x at 2026-01-01"),
                cached_input=PriceOut(usd_per_mtok=0.1, source="genai-prices 9: openai/x at 2026-01-01"),
                output=PriceOut(usd_per_mtok=2.0, source="proposal"),
            )
        }
    )
    assert (
        "input $0.40 (genai-prices 9: openai/x at 2026-01-01); cached input $0.10 (genai-prices 9: openai/x at "
        "2026-01-01); output $2.00 (the proposal) per Mtok\n"
    ) in text.render(_report(result))


def test_json_renders_the_model_in_field_order_and_reads_back_equal() -> None:
    report = _report(_invalid(), _costed())
    out = json_report.render(report)
    data = json.loads(out)
    assert list(data) == ["version", "tool", "results", "summary", "provenance", "base"]
    assert list(data["summary"]) == ["pass", "fail", "exempt", "waived", "invalid"]
    assert data["results"][0]["reasons"] == [{"code": "invalid-policy", "text": "its policy file p.yml is invalid"}]
    assert data["results"][1]["verdict"] == "fail"
    assert Report.model_validate_json(out) == report
    assert out.endswith("}\n")


def test_every_renderer_takes_a_report_model() -> None:
    report = _report(_costed())
    for name, render in RENDERERS.items():
        assert isinstance(render(report), str), name
    assert set(RENDERERS) >= {"text", "json"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_renderer_imports_the_pipeline() -> None:
    pipeline = {"gate", "ledger", "run", "verdict", "loader", "validation", "sources", "git", "commands"}
    renderers = [p for p in (ROOT / "tco_gate" / "report").glob("*.py") if not p.name.startswith("build")]
    assert len(renderers) >= 4
    for path in renderers:
        imported = {name.lstrip(".").removeprefix("tco_gate.").split(".")[0] for name in _imports(path)}
        assert not imported & pipeline, (path.name, imported & pipeline)


def test_report_from_a_saved_run_of_the_examples_prints_what_check_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "report.json"
    paths = [str(EXAMPLES), str(CASES / "invalid" / "merge-key")]
    assert main(["check", "--format", "json", "--output", str(saved), *paths]) == 2
    capsys.readouterr()
    for format in RENDERERS:
        main(["check", "--format", format, *paths])
        printed = capsys.readouterr().out
        assert main(["report", "--from", str(saved), "--format", format]) == 0
        assert capsys.readouterr().out == printed


def test_report_reads_stdin_and_writes_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rendered = json_report.render(_report(_costed()))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(rendered.encode())))
    target = tmp_path / "report.txt"
    assert main(["report", "--from", "-", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == text.render(_report(_costed()))
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{", "is not a tco-gate JSON report (version 1): 1 problem, the first at the top level: Invalid JSON"),
        (b'{"version": 2, "results": [], "summary": {}}', "the first at /version: Input should be 1"),
        (
            b'{"version": 1, "results": [], "summary": {"pass": 0}, "x": 1}',
            "5 problems, the first at /summary/fail: Field required",
        ),
    ],
)
def test_report_refuses_what_is_not_a_report(
    content: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "report.json"
    saved.write_bytes(content)
    assert main(["report", "--from", str(saved)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_report_from_a_missing_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--from", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
