from __future__ import annotations

from datetime import date

import pytest

from tco_gate.errors import UsageError
from tco_gate.gate import Overrides, evaluate, settle_policy
from tco_gate.result import Outcome, ReasonCode, exit_code

from .conftest import SPEC_EXAMPLE

TODAY = date(2026, 11, 28)
DEFAULTS = settle_policy(None, None, Overrides())


def test_the_spec_example_end_to_end() -> None:
    result = evaluate(SPEC_EXAMPLE.read_bytes(), "p.yml", DEFAULTS, TODAY)
    assert result.outcome is Outcome.EXEMPT  # prompting's accuracy falls 11.96% short, over the 10% allowed
    assert result.name == "support-triage"
    # Its one finding: the catalog does not date gpt-4.1-mini's price, so it cannot vouch for it on as_of.
    (undated,) = result.findings
    assert (undated.level, undated.pointer, undated.line) == ("warning", "/as_of", 5)
    assert exit_code([result]) == 0


def test_absurd_totals_are_invalid_not_a_crash() -> None:
    text = SPEC_EXAMPLE.read_text().replace(
        "output_tokens_per_second_per_gpu: 500", "output_tokens_per_second_per_gpu: 1e-9"
    )
    result = evaluate(text.encode(), "p.yml", DEFAULTS, TODAY)
    assert result.outcome is Outcome.INVALID
    assert [r.code for r in result.reasons] == [ReasonCode.TOO_LARGE]
    assert "fine-tuning would cost more than $1,000,000,000,000 over 24 months" in result.findings[0].message


def test_sub_cent_prompting_counts_as_free() -> None:
    text = (
        SPEC_EXAMPLE.read_text()
        .replace(
            "  provider: openai\n  model: gpt-4.1-mini\n",
            ("  input_usd_per_mtok: 1e-20\n  output_usd_per_mtok: 0\n  cached_input_usd_per_mtok: 0\n"),
        )
        .replace("  setup_eng_hours: 40\n  monthly_eng_hours: 10\n", "")
    )
    text = text.replace("evaluation:", "unused:").split("unused:")[0]
    result = evaluate(text.encode(), "p.yml", DEFAULTS, TODAY)
    assert result.ledger is not None and result.ledger.savings_pct is None
    assert result.outcome is Outcome.FAIL


def test_warnings_are_placed_on_their_lines() -> None:
    text = SPEC_EXAMPLE.read_text().replace("retrains_per_year: 4", "retrains_per_year: 0")
    result = evaluate(text.encode(), "p.yml", DEFAULTS, TODAY)
    (warning,) = [f for f in result.findings if f.pointer != "/as_of"]
    assert warning.level == "warning" and warning.pointer == "/finetune/retrains_per_year"
    assert (warning.line, warning.column) == (27, 22)


def test_overrides_and_sources() -> None:
    settings = settle_policy(
        b"version: 1\nhorizon_months: 36\non_fail: warn\n", ".tco-gate.yml", Overrides(horizon_months=12)
    )
    assert settings.policy.horizon_months == 12
    assert settings.policy.on_fail == "warn"
    assert settings.sources["horizon_months"] == "flag"
    assert settings.sources["on_fail"] == "file"
    assert settings.sources["min_savings_pct"] == "default"


def test_a_failure_under_warn_is_not_enforced_and_says_why() -> None:
    settings = settle_policy(b"version: 1\nmin_savings_pct: 99\non_fail: warn\n", ".tco-gate.yml", Overrides())
    text = SPEC_EXAMPLE.read_text().replace("evaluation:", "unused:").split("unused:")[0]
    result = evaluate(text.encode(), "p.yml", settings, TODAY)
    assert (result.outcome, result.enforced) == (Outcome.FAIL, False)
    assert [r.code for r in result.reasons] == [ReasonCode.MARGIN, ReasonCode.WARN_ONLY]
    assert exit_code([result]) == 0


def test_an_unreadable_proposal_is_invalid_input() -> None:
    result = evaluate(b"version: [", "p.yml", DEFAULTS, TODAY)
    assert result.outcome is Outcome.INVALID
    assert [r.code for r in result.reasons] == [ReasonCode.INVALID_INPUT]
    assert result.reasons[0].text == "the file cannot be checked: 1 error below"
    assert exit_code([result]) == 2


def test_overrides_out_of_range_are_refused_by_the_policy_model() -> None:
    # Flags are checked when parsed; an Overrides built in code goes through the same model when settled.
    with pytest.raises(UsageError, match=r"the flags do not fit the policy \.tco-gate\.yml: .*>= 1 and <= 120"):
        settle_policy(b"version: 1\n", ".tco-gate.yml", Overrides(horizon_months=0))
