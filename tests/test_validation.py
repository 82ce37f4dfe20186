from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tco_gate.errors import Finding, InputError
from tco_gate.loader import load
from tco_gate.models import Policy, Proposal
from tco_gate.validation import validate

pytestmark = pytest.mark.usefixtures("yaml_parser")


def findings(text: str, model: type[Proposal] | type[Policy] = Proposal) -> list[Finding]:
    with pytest.raises(InputError) as caught:
        validate(load(text.encode()), model)
    return list(caught.value.findings)


def only(text: str, model: type[Proposal] | type[Policy] = Proposal) -> Finding:
    (finding,) = findings(text, model)
    return finding


def test_the_spec_example_is_valid(spec_text: str) -> None:
    proposal = validate(load(spec_text.encode()), Proposal)
    assert proposal.as_of == date(2026, 11, 28)
    assert proposal.prompting.cached_input_tokens_per_request == Decimal(1500)
    assert proposal.finetune.serving is not None and proposal.finetune.serving.gpu_hourly_usd == Decimal("0.80")


def test_unknown_key_gets_a_did_you_mean_at_the_key(spec_text: str) -> None:
    text = spec_text.replace("  monthly_monitoring_usd: 150", "  monthly_monitorng_usd: 150")
    finding = only(text)
    assert finding.message == "unknown key `monthly_monitorng_usd`; did you mean `monthly_monitoring_usd`?"
    assert (finding.pointer, finding.line, finding.column) == ("/finetune/monthly_monitorng_usd", 38, 3)


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(spec_text: str) -> None:
    finding = only(spec_text.replace("workload:\n", "workload:\n  zzz: 1\n"))
    assert finding.message == "unknown key `zzz`; allowed here: monthly_growth_pct, requests_per_month"


def test_policy_keys_in_a_proposal_are_refused_as_such(spec_text: str) -> None:
    finding = only(spec_text + "min_savings_pct: 0\n")
    assert "`min_savings_pct` is a policy setting" in finding.message
    assert finding.line == 47


@pytest.mark.parametrize(
    ("old", "new", "pointer", "needle"),
    [
        (
            "requests_per_month: 3000000",
            'requests_per_month: "3000000"',
            "/workload/requests_per_month",
            "got the text `3000000` (quoted, so it is text: remove the quotes)",
        ),
        (
            "monthly_growth_pct: 4",
            "monthly_growth_pct: yes",
            "/workload/monthly_growth_pct",
            "(YAML 1.2 reads yes/no/on/off as text)",
        ),
        (
            "training_run_usd: 200",
            "training_run_usd: -200",
            "/finetune/training_run_usd",
            "must be a number >= 0 and <= 1,000,000,000,000, got the number -200",
        ),
        (
            "retrains_per_year: 4",
            "retrains_per_year: 2.5",
            "/finetune/retrains_per_year",
            "must be a whole number >= 0 and <= 365, got the number 2.5",
        ),
        (
            "price_decline_pct_per_year: 25",
            "price_decline_pct_per_year: 100",
            "/prompting/price_decline_pct_per_year",
            "must be a number >= 0 and < 100",
        ),
        ("version: 1", "version: 2", "/version", "must be exactly 1, got the number 2"),
        ("name: support-triage", "name: Support Triage", "/name", "lowercase letters, digits and `-`"),
        ("as_of: 2026-11-28", "as_of: 2026-13-45", "/as_of", "must be a date written YYYY-MM-DD"),
        ("finetune_accuracy: 0.92", "finetune_accuracy: 1.5", "/evaluation/finetune_accuracy", "<= 1"),
        ("    min_gpus: 1", "    min_gpus: 0", "/finetune/serving/min_gpus", "whole number >= 1"),
        ("monthly_growth_pct: 4", "monthly_growth_pct: -100", "/workload/monthly_growth_pct", "> -100"),
    ],
)
def test_value_errors_point_at_the_value(spec_text: str, old: str, new: str, pointer: str, needle: str) -> None:
    assert old in spec_text
    finding = only(spec_text.replace(old, new))
    assert finding.pointer == pointer
    assert needle in finding.message
    line, text = next((i, t) for i, t in enumerate(spec_text.replace(old, new).splitlines(), 1) if new in t)
    assert (finding.line, finding.column) == (line, text.index(new.split(": ", 1)[1]) + 1)


def test_missing_required_key_points_at_its_parent(spec_text: str) -> None:
    finding = only(spec_text.replace("  requests_per_month: 3000000\n", ""))
    assert finding.message == "missing required key `requests_per_month` under `workload`"
    assert (finding.line, finding.column) == (7, 1)


def test_every_schema_problem_is_reported_at_once(spec_text: str) -> None:
    text = spec_text.replace("version: 1", "version: 3").replace("training_run_usd: 200", "training_run_usd: x")
    text += "zzz: 1\n"  # an unknown key is found on the root, but reported at its own line, last
    assert [f.pointer for f in findings(text)] == ["/version", "/finetune/training_run_usd", "/zzz"]


@pytest.mark.parametrize(
    ("old", "new", "pointer", "needle"),
    [
        (
            "cached_input_tokens_per_request: 1500",
            "cached_input_tokens_per_request: 2500",
            "/prompting/cached_input_tokens_per_request",
            "cannot exceed `input_tokens_per_request` (2000)",
        ),
        (
            "  monthly_eng_hours: 40",
            "  monthly_eng_hours: 40\n  monthly_serving_usd: 3000",
            "/finetune/serving",
            "both are written",
        ),
        ("  provider: openai\n", "", "/prompting/provider", "`provider` and `model` go together"),
        ("as_of: 2026-11-28\n", "", "/as_of", "`as_of` is required when a price comes from the catalog"),
    ],
)
def test_cross_field_rules(spec_text: str, old: str, new: str, pointer: str, needle: str) -> None:
    finding = only(spec_text.replace(old, new))
    assert finding.pointer == pointer
    assert needle in finding.message
    assert finding.line is not None


def test_no_serving_at_all(spec_text: str) -> None:
    start = spec_text.index("  serving:\n")
    end = spec_text.index("  monthly_eng_hours: 40")
    finding = only(spec_text[:start] + spec_text[end:])
    assert "neither is written" in finding.message


def test_explicit_prices_need_no_catalog_and_no_as_of(spec_text: str) -> None:
    text = spec_text.replace(
        "  provider: openai\n  model: gpt-4.1-mini\n", "  input_usd_per_mtok: 0.4\n  output_usd_per_mtok: 1.6\n"
    ).replace("as_of: 2026-11-28\n", "")
    proposal = validate(load(text.encode()), Proposal)
    assert proposal.prompting.input_usd_per_mtok == Decimal("0.4")
    assert not proposal.prompting.from_catalog
    finding = only(text.replace("  output_usd_per_mtok: 1.6\n", ""))
    assert "`output_usd_per_mtok` is required when no `provider`/`model`" in finding.message


@pytest.mark.parametrize(("text", "needle"), [("- a\n- b\n", "not a list"), ("hello\n", "not the text `hello`")])
def test_the_top_level_must_be_a_mapping(text: str, needle: str) -> None:
    finding = only(text)
    assert needle in finding.message
    assert finding.line == 1


def test_policy_validation() -> None:
    policy = validate(load(b"version: 1\nmin_savings_pct: 20\nexemptions:\n  latency_under_ms: false\n"), Policy)
    assert policy.min_savings_pct == 20
    assert policy.exemptions.latency_under_ms is False
    assert policy.model_fields_set == {"version", "min_savings_pct", "exemptions"}
    finding = only("version: 1\nhorizon_months: 121\n", Policy)
    assert "whole number >= 1 and <= 120" in finding.message and finding.line == 2
    finding = only("version: 1\nexemptions:\n  latency_under_ms: true\n", Policy)
    assert finding.pointer == "/exemptions/latency_under_ms"
    finding = only("version: 1\nwaivers:\n  - proposal: x\n    reason: r\n    approved_by: a\n", Policy)
    assert finding.message == "missing required key `expires` under `waivers[0]`"
    assert finding.line == 3
