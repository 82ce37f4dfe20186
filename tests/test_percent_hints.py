"""A `*_pct` value strictly between 0 and 1 is accepted, with a warning that names the percent it may mean."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tco_gate.cli import main
from tco_gate.errors import Finding
from tco_gate.loader import load
from tco_gate.models import Policy
from tco_gate.percent_hints import COMMAND_LINE, fraction_warnings, policy_warnings
from tco_gate.policies import PolicyText, settle
from tco_gate.validation import validate

from .factories import policy, proposal


def test_a_fraction_in_a_percent_key_is_a_warning_naming_the_percent() -> None:
    p = proposal(workload={"monthly_growth_pct": 0.2}, prompting={"batch_share_pct": 0.4, "batch_discount_pct": 0.5})
    found = fraction_warnings(p)
    assert [(f.level, f.pointer) for f in found] == [
        ("warning", "/workload/monthly_growth_pct"),
        ("warning", "/prompting/batch_share_pct"),
        ("warning", "/prompting/batch_discount_pct"),
    ]
    assert found[0].message == "`monthly_growth_pct`: 0.2 means 0.2%; did you mean 20?"
    assert found[1].message.endswith("0.4 means 0.4%; did you mean 40?")
    # The value still costs as written.
    assert p.workload.monthly_growth_pct == Decimal("0.2")


@pytest.mark.parametrize("value", [0, 1, 25, -0.5, 1.5])
def test_zero_one_and_real_percents_are_quiet(value: float) -> None:
    assert fraction_warnings(proposal(workload={"monthly_growth_pct": value})) == []


def test_accuracies_are_fractions_and_stay_quiet() -> None:
    evaluation = {
        "eval_set": "e.jsonl",
        "finetune_accuracy": 0.92,
        "prompting_accuracy": 0.81,
        "prompting_accuracy_gain_per_year": 0.03,
    }
    assert fraction_warnings(proposal(evaluation=evaluation)) == []


def test_nested_serving_and_policy_percents() -> None:
    sized = {
        "gpu_hourly_usd": 1,
        "output_tokens_per_request": 1,
        "output_tokens_per_second_per_gpu": 1,
        "target_utilization_pct": 0.6,
    }
    found = fraction_warnings(proposal(finetune={"monthly_serving_usd": None, "serving": sized}))
    assert [f.pointer for f in found] == ["/finetune/serving/target_utilization_pct"]
    assert "did you mean 60?" in found[0].message
    rules = policy(min_savings_pct=0.1, discount_rate_pct_per_year=0.05, exemptions={"accuracy_gap_pct": 0.125})
    assert [(f.pointer, f.message.rsplit(" ", 1)[-1]) for f in fraction_warnings(rules)] == [
        ("/min_savings_pct", "10?"),
        ("/discount_rate_pct_per_year", "5?"),
        ("/exemptions/accuracy_gap_pct", "12.5?"),
    ]


def test_the_warning_lands_on_its_line() -> None:
    document = load(b"version: 1\nhorizon_months: 12\nmin_savings_pct: 0.15\n")
    (finding,) = fraction_warnings(validate(document, Policy))
    where = document.position(finding.pointer)
    assert where is not None and where.line == 3
    assert "0.15 means 0.15%; did you mean 15?" in finding.message


def test_policy_file_and_flag_fractions_are_warned_where_they_were_written(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(Path(__file__).parent / "cases" / "valid" / "fraction-percents")
    assert main(["check", "--policy", ".tco-gate.yml", "finetune-proposal.yml"]) == 0
    out = capsys.readouterr().out
    assert ".tco-gate.yml:2:18: warning: `min_savings_pct`: 0.15 means 0.15%; did you mean 15?" in out
    assert "finetune-proposal.yml:7:23: warning: `monthly_growth_pct`: 0.5 means 0.5%; did you mean 50?" in out
    assert main(["check", "--policy", ".tco-gate.yml", "--min-savings-pct", "0.3", "finetune-proposal.yml"]) == 0
    out = capsys.readouterr().out
    assert "command line: warning: flag `--min-savings-pct`: 0.3 means 0.3%; did you mean 30?" in out
    assert ".tco-gate.yml:2:18" not in out  # the file's value is not the one in force


def test_a_nested_policys_fraction_is_warned_in_the_file_that_wrote_it() -> None:
    root = PolicyText("policy/root.yml", b"version: 1\nmin_savings_pct: 0.1\ndiscount_rate_pct_per_year: 0.5\n")
    nested = PolicyText("svc/.tco-gate.yml", b"version: 1\n\nmin_savings_pct: 0.5\n")
    warnings = settle(root, [nested], {}).warnings
    assert [(w.path, w.line, w.message) for w in warnings] == [
        ("svc/.tco-gate.yml", 3, "`min_savings_pct`: 0.5 means 0.5%; did you mean 50?"),
        ("policy/root.yml", 3, "`discount_rate_pct_per_year`: 0.5 means 0.5%; did you mean 50?"),
    ]


def test_a_flags_fraction_is_a_command_line_warning_with_no_pointer_into_a_file() -> None:
    rules = policy(min_savings_pct=0.3, discount_rate_pct_per_year=0.5, exemptions={"accuracy_gap_pct": 0.125})
    origins = {"discount_rate_pct_per_year": ".tco-gate.yml"}
    warnings = policy_warnings(rules, origins, {}, flags={"min_savings_pct"})
    assert warnings == (
        Finding("warning", "flag `--min-savings-pct`: 0.3 means 0.3%; did you mean 30?", path=COMMAND_LINE),
        Finding(
            "warning",
            "`discount_rate_pct_per_year`: 0.5 means 0.5%; did you mean 50?",
            "/discount_rate_pct_per_year",
            path=".tco-gate.yml",
        ),
        # No origin and no document: the warning names no file and no line rather than a wrong one.
        Finding(
            "warning", "`accuracy_gap_pct`: 0.125 means 0.125%; did you mean 12.5?", "/exemptions/accuracy_gap_pct"
        ),
    )


def test_a_policys_waivers_do_not_hide_the_fractions_before_them() -> None:
    waiver = {"proposal": "support-triage", "reason": "ARB-7", "approved_by": "@arch", "expires": "2099-01-01"}
    rules = policy(min_savings_pct=0.1, waivers=[waiver, waiver])
    assert [f.pointer for f in fraction_warnings(rules)] == ["/min_savings_pct"]
