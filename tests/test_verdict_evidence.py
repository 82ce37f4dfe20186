"""Evidence and claims under the policy: the bypasses of issue 15's "Why", `evidence.require`, `bounds` and
`prices: catalog` in root and nested policies. Each bypass test fails on the gate before evidence existed."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest

from tco_gate.cli import main
from tco_gate.errors import Finding
from tco_gate.evidence.apply import Measured
from tco_gate.evidence.requests import Measurement
from tco_gate.evidence.stats import PairedFigures
from tco_gate.models import Evaluation
from tco_gate.result import Reason, ReasonCode
from tco_gate.verdict_evidence import OutOfBounds, evidence_gap_pct, evidence_missing, out_of_bounds
from tests.factories import policy as factory_policy
from tests.factories import proposal as factory_proposal
from tests.gitrepo import git
from tests.paths import EXAMPLES

BASE = (EXAMPLES / "support-triage" / "finetune-proposal.yml").read_text(encoding="utf-8")
MEASURED = EXAMPLES / "support-triage-measured"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository as the current folder; proposals go under `svc/`."""
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "svc").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(repo: Path, proposal: str, policy: str | None = None, nested: str | None = None) -> None:
    (repo / "svc" / "finetune-proposal.yml").write_text(proposal, encoding="utf-8")
    if policy is not None:
        (repo / ".tco-gate.yml").write_text(policy, encoding="utf-8")
    if nested is not None:
        (repo / "svc" / ".tco-gate.yml").write_text(nested, encoding="utf-8")


def judged(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--format", "json", "svc"])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return code, report["results"][0]


def changed(old: str, new: str, text: str = BASE) -> str:
    assert old in text
    return text.replace(old, new)


def codes(result: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in result["reasons"]]


# --- the bypasses of the issue ----------------------------------------------------------------------------------


def test_bypass_upkeep_claimed_past_the_policys_bound_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proposal = changed("  monthly_eng_hours: 10 ", "  monthly_eng_hours: 70 ")
    write(repo, proposal, "version: 1\nbounds:\n  prompting.monthly_eng_hours: {max: 40}\n")
    code, result = judged(capsys)
    assert (code, result["verdict"]) == (1, "fail")
    assert codes(result)[0] == "out-of-bounds"
    assert result["reasons"][0]["text"] == (
        "`prompting.monthly_eng_hours: 70` is above the policy's bound (max 40): the policy bounds this claim"
    )
    (warning,) = [f for f in result["findings"] if f["pointer"] == "/prompting/monthly_eng_hours"]
    assert warning["line"] == 22


def test_bypass_a_prompt_ten_times_the_measured_one_is_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(MEASURED / "usage", repo / "svc" / "usage")
    proposal = changed("input_tokens_per_request: 2000 ", "input_tokens_per_request: 20000 ")
    proposal += (
        "\nevidence:\n  usage:\n    format: openai-usage\n    file: usage/2026-10.json\n    model: gpt-4.1-mini\n"
    )
    write(repo, proposal)
    code, result = judged(capsys)
    assert (code, result["verdict"]) == (2, "invalid")
    (error,) = [f for f in result["findings"] if f["level"] == "error"]
    assert (error["pointer"], error["line"]) == ("/prompting/input_tokens_per_request", 17)
    assert (
        "more than 5% from the input tokens a request measured in svc/usage/2026-10.json: 1,999.97" in error["message"]
    )


def test_bypass_prices_a_hundred_times_the_catalogs_are_a_warning_at_their_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proposal = changed("  model: gpt-4.1-mini ", "  input_usd_per_mtok: 40\n  model: gpt-4.1-mini ")
    write(repo, proposal)
    code, result = judged(capsys)
    (warning,) = [f for f in result["findings"] if f["pointer"] == "/prompting/input_usd_per_mtok"]
    assert warning["level"] == "warning" and warning["line"] == 16
    assert warning["message"].startswith(
        "`input_usd_per_mtok: 40` is more than 10% from the catalog's price for `gpt-4.1-mini`: "
        "100× it (0.4 USD per Mtok"
    )
    inputs = {row["key"]: row for row in result["inputs"]}
    assert inputs["prompting.input_usd_per_mtok"]["source"] == "claimed"
    write(repo, proposal, "version: 1\nprices: catalog\n")
    code, result = judged(capsys)
    assert (code, result["verdict"]) == (2, "invalid")
    assert any("the policy says `prices: catalog`" in f["message"] for f in result["findings"])


def test_bypass_a_written_prompting_accuracy_cannot_exempt_without_evidence_the_policy_requires(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proposal = changed("prompting_accuracy: 0.88 ", "prompting_accuracy: 0.5 ")
    write(repo, proposal, "version: 1\nevidence:\n  require: [eval]\n")
    code, result = judged(capsys)
    assert (code, result["verdict"]) == (1, "fail")
    assert codes(result)[0] == "evidence-missing"
    assert "`eval`" in result["reasons"][0]["text"]


def test_bypass_a_written_prompting_accuracy_that_the_eval_logs_contradict_is_an_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(MEASURED / "evals", repo / "svc" / "evals")
    proposal = changed("prompting_accuracy: 0.88 ", "prompting_accuracy: 0.5 ").replace(
        "finetune_accuracy: 0.91 ", "finetune_accuracy: 0.92 "
    )
    proposal += (
        "\nevidence:\n  eval:\n    format: jsonl\n    prompting: evals/prompting.jsonl\n"
        "    finetuned: evals/finetuned.jsonl\n"
    )
    write(repo, proposal)
    code, result = judged(capsys)
    assert (code, result["verdict"]) == (2, "invalid")
    (error,) = [f for f in result["findings"] if f["level"] == "error"]
    assert error["pointer"] == "/evaluation/prompting_accuracy"
    assert "0.810 (324 of 400 examples right" in error["message"]


# --- the policy keys in root and nested policies ----------------------------------------------------------------


def test_a_figure_from_evidence_is_not_bounded(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(MEASURED, repo / "svc", dirs_exist_ok=True)
    policy = (
        "version: 1\nbounds:\n  workload.requests_per_month: {max: 1000}\n  finetune.serving.gpu_hourly_usd: {min: 2}\n"
    )
    (repo / ".tco-gate.yml").write_text(policy, encoding="utf-8")
    code, result = judged(capsys)
    assert code == 1
    assert codes(result).count("out-of-bounds") == 1  # the GPU price is claimed; the volume was measured
    assert "finetune.serving.gpu_hourly_usd: 1.006" in result["reasons"][0]["text"]


def test_a_nested_policy_may_tighten_bounds_and_never_loosen_them(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = "version: 1\nbounds:\n  prompting.monthly_eng_hours: {min: 5, max: 40}\n"
    write(repo, BASE, root, "version: 1\nbounds:\n  prompting.monthly_eng_hours: {max: 8}\n")
    code, result = judged(capsys)
    assert (code, codes(result)[0]) == (1, "out-of-bounds")  # 10 > 8; the root's min 5 still holds
    assert "(max 8)" in result["reasons"][0]["text"]
    write(repo, BASE, root, "version: 1\nbounds:\n  prompting.monthly_eng_hours: {max: 60}\n")
    code, result = judged(capsys)
    assert (code, result["verdict"]) == (2, "invalid")
    (error,) = result["findings"]
    assert error["file"] == "svc/.tco-gate.yml" and error["line"] == 3
    assert "would loosen the bound above it (.tco-gate.yml: `max: 40`)" in error["message"]
    write(repo, BASE, root, "version: 1\nbounds:\n  prompting.monthly_eng_hours: {min: 1}\n")
    assert judged(capsys)[0] == 2


def test_bounds_name_numbers_a_proposal_can_claim(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, BASE, "version: 1\nbounds:\n  monthly_eng_hours: {max: 40}\n  finetune.base_model: {max: 1}\n")
    code, result = judged(capsys)
    assert code == 2
    (error,) = result["findings"]
    assert error["line"] == 3
    assert "`monthly_eng_hours` is not a number a proposal can claim (did you mean" in error["message"]
    write(repo, BASE, "version: 1\nbounds:\n  prompting.monthly_eng_hours: {}\n")
    assert judged(capsys)[0] == 2


def test_evidence_require_in_a_nested_policy_may_add_kinds_never_drop_one(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        repo, BASE, "version: 1\nevidence:\n  require: [usage]\n", "version: 1\nevidence:\n  require: [usage, eval]\n"
    )
    code, result = judged(capsys)
    assert code == 1 and codes(result)[:2] == ["evidence-missing", "evidence-missing"]
    write(repo, BASE, "version: 1\nevidence:\n  require: [usage]\n", "version: 1\nevidence:\n  require: [eval]\n")
    code, result = judged(capsys)
    assert code == 2 and "would loosen the policy above it" in result["findings"][0]["message"]


def test_prices_catalog_in_a_nested_policy_and_its_undoing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proposal = changed("  model: gpt-4.1-mini ", "  input_usd_per_mtok: 0.40\n  model: gpt-4.1-mini ")
    write(repo, proposal, "version: 1\n", "version: 1\nprices: catalog\n")
    assert judged(capsys)[0] == 2  # even a price equal to the catalog's: the catalog decides
    write(repo, proposal, "version: 1\nprices: catalog\n", "version: 1\nprices: written-wins\n")
    code, result = judged(capsys)
    assert code == 2 and "`prices: written-wins` would loosen" in result["findings"][0]["message"]
    write(repo, proposal, "version: 1\n")
    code, result = judged(capsys)
    assert code == 1 and not [f for f in result["findings"] if f["pointer"] == "/prompting/input_usd_per_mtok"]


# --- the pure rules, one input at a time --------------------------------------------------------------------------


def _evaluation(prompting: str, gain_per_year: str) -> Evaluation:
    evaluation = {
        "eval_set": "e.jsonl",
        "finetune_accuracy": Decimal("0.9"),
        "prompting_accuracy": Decimal(prompting),
        "prompting_accuracy_gain_per_year": Decimal(gain_per_year),
    }
    written_down = factory_proposal(evaluation=evaluation).evaluation
    assert written_down is not None
    return written_down


# 1,000 paired examples: the fine-tuned model right on 900, prompting on 800 (c = 150 gained, b = 50 lost).
FIGURES = PairedFigures(n=1000, prompting_correct=800, finetuned_correct=900, b=50, c=150)


@pytest.mark.parametrize(
    ("prompting", "gain_per_year", "gain_over_24_months"),
    [
        ("0.8", "0.03", Decimal("0.06")),  # 0.03 a year for two years
        ("0.98", "0.03", Decimal("0.02")),  # capped where prompting would reach an accuracy of 1
    ],
)
def test_the_evidence_gap_is_the_lower_bound_less_prompting_s_gain_over_the_fine_tuned_accuracy(
    prompting: str, gain_per_year: str, gain_over_24_months: Decimal
) -> None:
    bound = FIGURES.gain_lower_bound
    assert Decimal("0.07") < bound < Decimal("0.1")  # below the observed 0.1: the one-sided 95% bound
    at_end, today = evidence_gap_pct(FIGURES, _evaluation(prompting, gain_per_year), 24)
    assert today == bound / Decimal("0.9") * 100
    assert at_end == (bound - gain_over_24_months) / Decimal("0.9") * 100
    assert today - at_end == gain_over_24_months / Decimal("0.9") * 100


def test_the_evidence_gap_keeps_28_significant_digits_whatever_the_callers_precision() -> None:
    with localcontext() as context:
        context.prec = 40
        at_end, today = evidence_gap_pct(FIGURES, _evaluation("0.8", "0.03"), 24)
    assert (len(at_end.as_tuple().digits), len(today.as_tuple().digits)) == (28, 28)


def test_only_the_evidence_kinds_not_carried_are_missing() -> None:
    rules = factory_policy(evidence={"require": ["eval", "usage"]})
    carried = Measurement(Measured(eval=FIGURES), eval=FIGURES)
    assert evidence_missing(rules, carried) == [
        Reason(
            ReasonCode.EVIDENCE_MISSING,
            "the policy requires evidence of kind `usage` (a usage export, under `evidence.usage`); "
            "the proposal carries none, so its figures are claims nobody checked",
        )
    ]
    assert [r.text.split("`")[1] for r in evidence_missing(rules, None)] == ["eval", "usage"]


@pytest.mark.parametrize(
    ("hours", "bound", "broken"),
    [
        (5, {"min": 5, "max": 40}, ""),  # both ends are inside
        (40, {"min": 5, "max": 40}, ""),
        (4, {"min": 5, "max": 40}, "below the policy's bound (min 5)"),
        (41, {"min": 5, "max": 40}, "above the policy's bound (max 40)"),
        (1, {"max": 40}, ""),
        (99, {"min": 5}, ""),
    ],
)
def test_a_claim_is_out_of_bounds_only_past_an_end(hours: int, bound: dict[str, int], broken: str) -> None:
    claimed = factory_proposal(prompting={"monthly_eng_hours": hours})
    rules = factory_policy(bounds={"prompting.monthly_eng_hours": bound})
    found = out_of_bounds(claimed, rules, None)
    if not broken:
        assert found == []
        return
    message = f"`prompting.monthly_eng_hours: {hours}` is {broken}: the policy bounds this claim"
    assert found == [
        OutOfBounds(
            Reason(ReasonCode.OUT_OF_BOUNDS, message), Finding("warning", message, "/prompting/monthly_eng_hours")
        )
    ]
