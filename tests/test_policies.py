"""Policy integrity, unit by unit: a nested `.tco-gate.yml` may tighten the root policy and never loosen it.

`tests/test_integrity.py` tries the same ways around the gate end to end; these call `policies.settle` on
the policy texts alone, so each rule is pinned where it is decided, in milliseconds.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tco_gate.errors import InputError
from tco_gate.policies import PolicyText, settle
from tco_gate.result import PolicySettings

ROOT_OFF = "version: 1\nexemptions: {data_residency: false, latency_under_ms: false, accuracy_gap_pct: false}\n"


def settled(root: str | None, *nested: str, **flags: object) -> PolicySettings:
    root_text = PolicyText(".tco-gate.yml", root.encode()) if root is not None else None
    texts = [PolicyText(f"team{i}/.tco-gate.yml", text.encode()) for i, text in enumerate(nested)]
    return settle(root_text, texts, flags)


def refused(root: str | None, *nested: str) -> list[str]:
    """The messages of the findings `settle` raises (it must raise)."""
    with pytest.raises(InputError) as raised:
        settled(root, *nested)
    assert all(f.level == "error" for f in raised.value.findings)
    return [f"{f.path}:{f.line}:{f.column}: {f.message}" for f in raised.value.findings]


@pytest.mark.parametrize(
    "nested",
    [
        "exemptions: {require_approval: true}",  # tightens, and is about another key entirely
        "exemptions: {data_residency: false}",
        "exemptions: {}",
    ],
)
def test_any_nested_exemptions_key_keeps_the_exemptions_the_root_turned_off(nested: str) -> None:
    # The nested `exemptions:` section is merged key by key over the root's, never in place of it: a file that
    # writes one exemption key must not bring the others back to their defaults (all three on).
    exemptions = settled(ROOT_OFF, f"version: 1\n{nested}\n").policy.exemptions
    assert exemptions.data_residency is False
    assert exemptions.latency_under_ms is False
    assert exemptions.accuracy_gap_pct is False


def test_two_nested_files_merge_their_exemptions_over_the_roots() -> None:
    policy = settled(
        ROOT_OFF, "version: 1\nexemptions: {require_approval: true}\n", "version: 1\nmin_savings_pct: 20\n"
    ).policy
    assert policy.exemptions.require_approval is True
    assert policy.exemptions.data_residency is False
    assert policy.min_savings_pct == 20


def test_an_empty_waivers_list_does_not_end_the_loosening_check() -> None:
    # `waivers: []` lets nothing through, so it is allowed; the keys after it are still judged.
    found = refused("version: 1\nmin_savings_pct: 10\n", "version: 1\nwaivers: []\nmin_savings_pct: -1000\n")
    assert found == [
        "team0/.tco-gate.yml:3:1: `min_savings_pct: -1000` would loosen the policy above it (.tco-gate.yml: "
        "`min_savings_pct: 10`); a `.tco-gate.yml` below the repository root may only tighten it"
    ]


def test_an_empty_approvals_list_is_allowed_and_a_written_one_is_refused() -> None:
    assert settled(None, "version: 1\napprovals: []\nwaivers: []\n").policy.approvals == []
    approval = "[{proposal: p, exemption: latency, reason: ARB-1, approved_by: me, expires: 2999-01-01}]"
    (found,) = refused(None, f"version: 1\napprovals: {approval}\n")
    with pytest.raises(InputError) as raised:
        settled(None, f"version: 1\napprovals: {approval}\n")
    assert [f.pointer for f in raised.value.findings] == ["/approvals"]
    assert found == (
        "team0/.tco-gate.yml:2:1: `approvals` belong in the root policy (built-in defaults) only: a `.tco-gate.yml` "
        "below the repository root may tighten the gate, never let a proposal through"
    )


def test_every_loosening_of_a_nested_file_is_reported_not_only_the_first() -> None:
    found = refused(ROOT_OFF, "version: 1\non_fail: warn\nmin_savings_pct: 5\nrequire_hidden_costs: false\n")
    where = "would loosen the policy above it (built-in defaults: "
    assert [line.split(" a `.tco-gate.yml`")[0] for line in found] == [
        f"team0/.tco-gate.yml:2:1: `on_fail: warn` {where}`on_fail: fail`);",
        f"team0/.tco-gate.yml:3:1: `min_savings_pct: 5` {where}`min_savings_pct: 10`);",
        f"team0/.tco-gate.yml:4:1: `require_hidden_costs: false` {where}`require_hidden_costs: true`);",
    ]


@pytest.mark.parametrize("number", [0, 5, 100])
def test_a_nested_number_cannot_turn_the_accuracy_exemption_back_on(number: int) -> None:
    # Under the root's `false` no gap exempts; any threshold would exempt some, so every number loosens.
    (found,) = refused(ROOT_OFF, f"version: 1\nexemptions: {{accuracy_gap_pct: {number}}}\n")
    assert f"`exemptions.accuracy_gap_pct: {number}` would loosen the policy above it (.tco-gate.yml: " in found
    assert "`exemptions.accuracy_gap_pct: false`)" in found


@pytest.mark.parametrize("number", [1, 49, 10_000])
def test_a_nested_number_cannot_turn_the_latency_exemption_back_on(number: int) -> None:
    (found,) = refused(ROOT_OFF, f"version: 1\nexemptions: {{latency_under_ms: {number}}}\n")
    assert f"`exemptions.latency_under_ms: {number}` would loosen" in found


@pytest.mark.parametrize(
    ("key", "stricter", "looser"),
    [
        ("accuracy_gap_pct", [10, 11, 100, "false"], [9, 0]),  # exempt above the threshold: higher is stricter
        ("latency_under_ms", [50, 49, 1, "false"], [51, 1000]),  # exempt below the limit: lower is stricter
    ],
)
def test_an_exemption_threshold_may_only_move_the_stricter_way(
    key: str, stricter: list[object], looser: list[object]
) -> None:
    for value in stricter:
        assert settled(None, f"version: 1\nexemptions: {{{key}: {value}}}\n").files == ("team0/.tco-gate.yml",)
    for value in looser:
        (found,) = refused(None, f"version: 1\nexemptions: {{{key}: {value}}}\n")
        assert f"`exemptions.{key}: {value}` would loosen" in found


@pytest.mark.parametrize(
    ("current", "stricter", "looser"),
    [
        ("min_confidence_pct: 80", [80, 95], [79]),
        ("min_savings_pct: 10", [10, 11], [9]),
    ],
)
def test_a_margin_or_confidence_may_rise_and_never_fall(current: str, stricter: list[int], looser: list[int]) -> None:
    key = current.split(":")[0]
    for value in stricter:
        assert getattr(settled(f"version: 1\n{current}\n", f"version: 1\n{key}: {value}\n").policy, key) == value
    for value in looser:
        (found,) = refused(f"version: 1\n{current}\n", f"version: 1\n{key}: {value}\n")
        assert f"`{key}: {value}` would loosen the policy above it (.tco-gate.yml: `{current}`)" in found


def test_confidence_may_be_turned_on_below_a_root_without_it() -> None:
    assert settled("version: 1\n", "version: 1\nmin_confidence_pct: 1\n").policy.min_confidence_pct == 1


@pytest.mark.parametrize(
    "nested",
    [
        "horizon_months: 120\nhourly_rate_usd: 0\ndiscount_rate_pct_per_year: 50",  # all three together
        "horizon_months: 120",
        "hourly_rate_usd: 0",
        "discount_rate_pct_per_year: 50",
    ],
)
def test_a_nested_file_changing_the_economics_keeps_the_root_policy_to_judge_by(nested: str) -> None:
    # The economic assumptions are no direction of strictness: the root's stay beside the nested file's, so the
    # proposal is judged under both and the stricter verdict stands (gate.py; end to end in test_integrity.py).
    settings = settled("version: 1\nmin_savings_pct: 15\n", f"version: 1\n{nested}\n")
    assert settings.root is not None
    assert (settings.root.horizon_months, settings.root.hourly_rate_usd) == (24, Decimal(150))
    assert settings.root.discount_rate_pct_per_year == 0
    assert settings.root.min_savings_pct == 15
    assert settings.policy != settings.root


def test_no_root_to_judge_by_when_the_economics_are_unchanged() -> None:
    assert settled("version: 1\nhorizon_months: 36\n", "version: 1\nhorizon_months: 36\non_fail: fail\n").root is None
    assert settled("version: 1\nhorizon_months: 36\n").root is None  # no nested file at all
    # A flag sets the value for both: the root alone with the flag is the policy in force.
    assert settled("version: 1\n", "version: 1\nhorizon_months: 36\n", horizon_months=48).root is None


def test_the_root_policy_to_judge_by_carries_the_flags() -> None:
    settings = settled(None, "version: 1\nhourly_rate_usd: 10\n", min_savings_pct=Decimal(30))
    assert settings.root is not None
    assert (settings.root.hourly_rate_usd, settings.root.min_savings_pct) == (Decimal(150), Decimal(30))
    assert (settings.policy.hourly_rate_usd, settings.policy.min_savings_pct) == (Decimal(10), Decimal(30))


def test_a_finding_points_at_the_key_that_loosens() -> None:
    with pytest.raises(InputError) as raised:
        settled(ROOT_OFF, "version: 1\nexemptions:\n  require_approval: true\n  data_residency: true\n")
    (finding,) = raised.value.findings
    assert (finding.level, finding.pointer, finding.line, finding.column) == (
        "error",
        "/exemptions/data_residency",
        4,
        3,
    )


def test_a_nested_file_may_repeat_what_the_root_wrote() -> None:
    # Repeating a value neither tightens nor loosens: `warn` under `warn`, `false` under `false`.
    root = "version: 1\non_fail: warn\nrequire_hidden_costs: false\n" + ROOT_OFF.removeprefix("version: 1\n")
    settings = settled(root, root)
    assert settings.policy.on_fail == "warn"
    assert settings.policy.exemptions.latency_under_ms is False
    assert settings.policy.exemptions.accuracy_gap_pct is False
    assert settings.files == (".tco-gate.yml", "team0/.tco-gate.yml")


def test_the_policy_is_named_by_its_root_else_by_the_nearest_nested_file() -> None:
    assert settled("version: 1\n", "version: 1\n").file == ".tco-gate.yml"
    assert settled(None, "version: 1\n", "version: 1\n").file == "team1/.tco-gate.yml"
    assert settled(None).file is None  # the built-in defaults


def test_each_value_names_the_file_that_wrote_it_last() -> None:
    settings = settled(
        "version: 1\nmin_savings_pct: 10\nexemptions: {data_residency: false, require_approval: false}\n",
        "version: 1\nexemptions: {require_approval: true}\non_fail: fail\n",
    )
    assert dict(settings.origins) == {
        "version": "team0/.tco-gate.yml",
        "min_savings_pct": ".tco-gate.yml",
        "exemptions/data_residency": ".tco-gate.yml",
        "exemptions/require_approval": "team0/.tco-gate.yml",
        "on_fail": "team0/.tco-gate.yml",
    }


def test_bounds_are_merged_path_by_path_and_part_by_part() -> None:
    # A nested bound lowers the root's `max` and keeps its `min`; a path only one file bounds keeps its bound.
    root = (
        "version: 1\nbounds:\n  prompting.monthly_eng_hours: {min: 5, max: 40}\n"
        "  workload.requests_per_month: {max: 900}\n"
    )
    nested = "version: 1\nbounds:\n  prompting.monthly_eng_hours: {max: 8}\n  finetune.training_run_usd: {min: 100}\n"
    bounds = settled(root, nested).policy.bounds
    assert {path: bound.model_dump(exclude_none=True) for path, bound in bounds.items()} == {
        "prompting.monthly_eng_hours": {"min": Decimal(5), "max": Decimal(8)},
        "workload.requests_per_month": {"max": Decimal(900)},
        "finetune.training_run_usd": {"min": Decimal(100)},
    }


def test_a_loosened_bound_is_named_with_both_values() -> None:
    root = "version: 1\nbounds:\n  prompting.monthly_eng_hours: {min: 5, max: 40}\n"
    (raised_max,) = refused(root, "version: 1\nbounds:\n  prompting.monthly_eng_hours: {max: 60}\n")
    assert raised_max == (
        "team0/.tco-gate.yml:3:3: `bounds.prompting.monthly_eng_hours.max: 60` would loosen the bound above it "
        "(.tco-gate.yml: `max: 40`); a `.tco-gate.yml` below the repository root may only raise a `min` or lower "
        "a `max`"
    )
    (lowered_min,) = refused(root, "version: 1\nbounds:\n  prompting.monthly_eng_hours: {min: 1, max: 30}\n")
    assert "`bounds.prompting.monthly_eng_hours.min: 1` would loosen" in lowered_min
    assert "(.tco-gate.yml: `min: 5`)" in lowered_min
