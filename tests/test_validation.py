from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

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


def test_a_top_level_that_is_not_a_mapping_is_placed_at_the_document() -> None:
    finding = only("# a list, not a proposal\n- version: 1\n")
    assert finding.message == "the top level must be a mapping of keys (`version: 1`, `name: ...`), not a list"
    assert (finding.pointer, finding.line, finding.column) == ("", 2, 1)


def test_a_file_the_subset_check_is_sure_of_never_reaches_jsonschema(
    monkeypatch: pytest.MonkeyPatch, spec_text: str
) -> None:
    import tco_gate.validation as validation

    def refuse(model: type[Proposal]) -> None:
        raise AssertionError("jsonschema ran on a file the subset check is sure of")

    monkeypatch.setattr(validation, "_validator", refuse)
    assert validate(load(spec_text.encode()), Proposal).version == 1


def test_a_schema_value_is_worded_as_json_writes_it() -> None:
    from tco_gate.validation import _json_word

    words = [_json_word(value) for value in (True, 1000, 1e6, 0.5, "usd")]
    assert words == ["true", "1,000", "1,000,000", "0.5", "usd"]


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
    assert finding.message == (
        "missing required key `requests_per_month` under `workload`, or measure it with `evidence.usage`"
    )
    assert (finding.line, finding.column) == (7, 1)


def test_a_missing_score_names_the_eval_evidence_that_measures_it(spec_text: str) -> None:
    finding = only(spec_text.replace("  finetune_accuracy: 0.92\n", ""))
    assert finding.message == (
        "missing required key `finetune_accuracy` under `evaluation`, or measure it with `evidence.eval`"
    )


def test_a_key_the_schema_requires_is_missed_at_its_parents_key(spec_text: str) -> None:
    finding = only(spec_text.replace("  training_run_usd: 200\n", ""))
    assert finding.message == "missing required key `training_run_usd` under `finetune`"
    assert (finding.pointer, finding.line, finding.column) == ("/finetune", 21, 1)


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
    assert "none is written" in finding.message


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


def test_every_missing_key_is_named_once_in_the_schemas_order() -> None:
    # jsonschema raises one `required` error per missing key; each is named from the schema's own list.
    with pytest.raises(InputError) as raised:
        validate(load(b"version: 1\nwaivers:\n  - proposal: x\n"), Policy)
    assert [f.message for f in raised.value.findings] == [
        "missing required key `reason` under `waivers[0]`",
        "missing required key `approved_by` under `waivers[0]`",
        "missing required key `expires` under `waivers[0]`",
    ]


# --- Additions to version 1 ---

DECODE_KEYS = "    output_tokens_per_request: 150\n    output_tokens_per_second_per_gpu: 500\n"
HOSTED_BLOCK = (
    "  hosted:\n    provider: openai\n    model: ft:gpt-4o-mini-2024-07-18\n"
    "    input_tokens_per_request: 300\n    output_tokens_per_request: 12\n    monthly_hosting_usd: 0\n"
)


def without_serving(spec_text: str) -> str:
    start = spec_text.index("  serving:\n")
    end = spec_text.index("  monthly_eng_hours: 40")
    return spec_text[:start] + spec_text[end:]


def test_the_three_serving_forms_are_valid(spec_text: str) -> None:
    prefill = spec_text.replace(
        DECODE_KEYS, DECODE_KEYS + "    input_tokens_per_request: 300\n    input_tokens_per_second_per_gpu: 20000\n"
    )
    measured = spec_text.replace(DECODE_KEYS, "    requests_per_second_per_gpu: 45\n")
    forms = [validate(load(text.encode()), Proposal).finetune.serving for text in (spec_text, prefill, measured)]
    assert [s.form for s in forms if s is not None] == ["decode", "prefill", "measured"]


@pytest.mark.parametrize(
    ("new", "pointer", "needle"),
    [
        (
            DECODE_KEYS + "    input_tokens_per_request: 300\n",
            "/finetune/serving/input_tokens_per_request",
            "`input_tokens_per_request` needs `input_tokens_per_second_per_gpu`: give both or neither",
        ),
        (
            "    output_tokens_per_request: 150\n",
            "/finetune/serving/output_tokens_per_request",
            "needs `output_tokens_per_second_per_gpu`",
        ),
        (
            DECODE_KEYS + "    requests_per_second_per_gpu: 45\n",
            "/finetune/serving/output_tokens_per_request",
            "cannot go with `requests_per_second_per_gpu`",
        ),
        ("", "/finetune/serving/output_tokens_per_request", "say what one GPU sustains"),
        (
            "    input_tokens_per_request: 300\n    input_tokens_per_second_per_gpu: 20000\n",
            "/finetune/serving/input_tokens_per_request",
            "give `output_tokens_per_request` and `output_tokens_per_second_per_gpu` too",
        ),
    ],
)
def test_serving_form_rules(spec_text: str, new: str, pointer: str, needle: str) -> None:
    finding = only(spec_text.replace(DECODE_KEYS, new))
    assert finding.pointer == pointer
    assert needle in finding.message
    assert finding.line is not None


def test_a_hosted_fine_tune_replaces_serving(spec_text: str) -> None:
    text = without_serving(spec_text).replace("  monthly_eng_hours: 40", HOSTED_BLOCK + "  monthly_eng_hours: 40")
    proposal = validate(load(text.encode()), Proposal)
    assert proposal.finetune.hosted is not None and proposal.finetune.hosted.from_catalog
    assert proposal.finetune.hosted.monthly_hosting_usd == 0


@pytest.mark.parametrize(
    ("keep_serving", "flat", "needle", "pointer"),
    [
        (True, False, "both are written: `serving` and `hosted`", "/finetune/hosted"),
        (False, True, "both are written: `monthly_serving_usd` and `hosted`", "/finetune/hosted"),
        (True, True, "all three are written", "/finetune/hosted"),
    ],
)
def test_exactly_one_serving_kind(spec_text: str, keep_serving: bool, flat: bool, needle: str, pointer: str) -> None:
    text = spec_text if keep_serving else without_serving(spec_text)
    extra = HOSTED_BLOCK + ("  monthly_serving_usd: 3000\n" if flat else "")
    finding = only(text.replace("  monthly_eng_hours: 40", extra + "  monthly_eng_hours: 40"))
    assert needle in finding.message and finding.pointer == pointer and finding.line is not None


def test_a_hosted_fine_tune_from_the_catalog_needs_as_of(spec_text: str) -> None:
    explicit_prompting = spec_text.replace(
        "  provider: openai\n  model: gpt-4.1-mini\n", "  input_usd_per_mtok: 0.4\n  output_usd_per_mtok: 1.6\n"
    ).replace("as_of: 2026-11-28\n", "")
    text = without_serving(explicit_prompting).replace(
        "  monthly_eng_hours: 40", HOSTED_BLOCK + "  monthly_eng_hours: 40"
    )
    assert "`as_of` is required" in only(text).message
    hosted_without_model = text.replace("    model: ft:gpt-4o-mini-2024-07-18\n", "")
    finding = only(hosted_without_model)
    assert finding.pointer == "/finetune/hosted/model" and "go together" in finding.message


@pytest.mark.parametrize(
    ("old", "new", "pointer"),
    [
        (
            "  monthly_eng_hours: 10\n",
            "  monthly_eng_hours: 10\n  batch_share_pct: 101\n",
            "/prompting/batch_share_pct",
        ),
        (
            "  monthly_eng_hours: 10\n",
            "  monthly_eng_hours: 10\n  batch_discount_pct: 100\n",
            "/prompting/batch_discount_pct",
        ),
        (
            "  monthly_eng_hours: 10\n",
            "  monthly_eng_hours: 10\n  model_lifecycle_months: 0\n",
            "/prompting/model_lifecycle_months",
        ),
        (
            "  prompting_accuracy: 0.81\n",
            "  prompting_accuracy: 0.81\n  prompting_accuracy_gain_per_year: 1.5\n",
            "/evaluation/prompting_accuracy_gain_per_year",
        ),
    ],
)
def test_new_keys_have_their_ranges(spec_text: str, old: str, new: str, pointer: str) -> None:
    finding = only(spec_text.replace(old, new))
    assert finding.pointer == pointer and finding.line is not None


# --- Messages word for word: enums, booleans, lists, mappings, empty text, and the YAML 1.1 words ---

NUMBER_UP_TO_A_TRILLION = "a number >= 0 and <= 1,000,000,000,000"


@pytest.mark.parametrize(
    ("line", "pointer", "message"),
    [
        ("on_fail: maybe", "/on_fail", "`on_fail`: must be one of fail, warn, got the text `maybe`"),
        ("on_fail: 1", "/on_fail", "`on_fail`: must be one of fail, warn, got the number 1"),
        (
            "require_hidden_costs: yes",
            "/require_hidden_costs",
            "`require_hidden_costs`: must be true or false, got the text `yes`",
        ),
        (
            "require_hidden_costs: 1",
            "/require_hidden_costs",
            "`require_hidden_costs`: must be true or false, got the number 1",
        ),
        (
            "exemptions: {data_residency: 'no'}",
            "/exemptions/data_residency",
            "`data_residency`: must be true or false, got the text `no`",
        ),
        (
            "hourly_rate_usd: true",
            "/hourly_rate_usd",
            f"`hourly_rate_usd`: must be {NUMBER_UP_TO_A_TRILLION}, got `true` (true/false)",
        ),
        (
            "hourly_rate_usd: false",
            "/hourly_rate_usd",
            f"`hourly_rate_usd`: must be {NUMBER_UP_TO_A_TRILLION}, got `false` (true/false)",
        ),
        ("waivers: {}", "/waivers", "`waivers`: must be a list, got a mapping"),
        ("waivers: x", "/waivers", "`waivers`: must be a list, got the text `x`"),
        ("waivers: [1]", "/waivers/0", "`waivers[0]`: must be a mapping, got the number 1"),
        ("waivers: [[]]", "/waivers/0", "`waivers[0]`: must be a mapping, got a list"),
        ("exemptions: []", "/exemptions", "`exemptions`: must be a mapping, got a list"),
        ("exemptions:", "/exemptions", "`exemptions`: must be a mapping, got empty (null)"),
        # `Literal[False] | number`: a number out of range is told its range, not "must be false".
        (
            "exemptions: {latency_under_ms: 0}",
            "/exemptions/latency_under_ms",
            "`latency_under_ms`: must be a number > 0 and <= 1,000,000,000,000, got the number 0",
        ),
        (
            "exemptions: {accuracy_gap_pct: 101}",
            "/exemptions/accuracy_gap_pct",
            "`accuracy_gap_pct`: must be a number >= 0 and <= 100, got the number 101",
        ),
        (
            "exemptions: {latency_under_ms: true}",
            "/exemptions/latency_under_ms",
            "`latency_under_ms`: must be exactly false or a number > 0 and <= 1,000,000,000,000, "
            "got `true` (true/false)",
        ),
        (
            "exemptions: {accuracy_gap_pct: x}",
            "/exemptions/accuracy_gap_pct",
            "`accuracy_gap_pct`: must be exactly false or a number >= 0 and <= 100, got the text `x`",
        ),
        (
            "waivers: [{proposal: Pilot, reason: r, approved_by: a, expires: 2027-01-01}]",
            "/waivers/0/proposal",
            "`proposal`: must be text of lowercase letters, digits and `-`, starting with a letter or digit, "
            "at most 63 long, got the text `Pilot`",
        ),
    ],
)
def test_policy_value_messages_word_for_word(line: str, pointer: str, message: str) -> None:
    finding = only(f"version: 1\n{line}\n", Policy)
    assert (finding.pointer, finding.message, finding.line) == (pointer, message, 2)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('""', "`owner`: must not be empty"),  # minLength
        ('" "', "`owner`: must not be empty"),  # pattern \S: blanks are empty too
        ('"\\t"', "`owner`: must not be empty"),
        ("5", "`owner`: must be text, got the number 5"),
        ("2.5", "`owner`: must be text, got the number 2.5"),
        ("true", "`owner`: must be text, got `true` (true/false)"),
        ("[a]", "`owner`: must be text, got a list"),
        ("{a: 1}", "`owner`: must be text, got a mapping"),
        ("~", "`owner`: must be text, got empty (null)"),
    ],
)
def test_text_value_messages_word_for_word(spec_text: str, value: str, message: str) -> None:
    old = 'owner: "@acme/support-ml"'
    assert old in spec_text
    finding = only(spec_text.replace(old, f"owner: {value}"))
    assert (finding.pointer, finding.message, finding.line, finding.column) == ("/owner", message, 3, 8)


@pytest.mark.parametrize(
    ("value", "message"),
    [("''", "`provider`: must not be empty"), ("5", "`provider`: must be text, got the number 5")],
)
def test_optional_text_value_messages_word_for_word(spec_text: str, value: str, message: str) -> None:
    # `provider` is `text | None`: the message names the text branch, not the null one.
    finding = only(spec_text.replace("provider: openai", f"provider: {value}"))
    assert (finding.pointer, finding.message) == ("/prompting/provider", message)


@pytest.mark.parametrize(
    ("reason", "approved_by"), [("''", "' '"), ("' '", "''")], ids=["empty-and-blank", "blank-and-empty"]
)
def test_every_empty_text_is_reported(reason: str, approved_by: str) -> None:
    waiver = f"{{proposal: x, reason: {reason}, approved_by: {approved_by}, expires: 2027-01-01}}"
    text = f"version: 1\nwaivers:\n  - {waiver}\n"
    assert [(f.pointer, f.message) for f in findings(text, Policy)] == [
        ("/waivers/0/reason", "`reason`: must not be empty"),
        ("/waivers/0/approved_by", "`approved_by`: must not be empty"),
    ]


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "Off", "Y", "N", "'no'"])
def test_yaml_1_1_booleans_in_a_number_field_get_the_hint(word: str) -> None:
    finding = only(f"version: 1\nhourly_rate_usd: {word}\n", Policy)
    assert finding.message == (
        f"`hourly_rate_usd`: must be {NUMBER_UP_TO_A_TRILLION}, got the text `{word.strip(chr(39))}` "
        "(YAML 1.2 reads yes/no/on/off as text)"
    )


@pytest.mark.parametrize("word", ["yesno", "true1", "nope", "o"])
def test_other_words_in_a_number_field_get_no_hint(word: str) -> None:
    finding = only(f"version: 1\nhourly_rate_usd: {word}\n", Policy)
    assert finding.message == f"`hourly_rate_usd`: must be {NUMBER_UP_TO_A_TRILLION}, got the text `{word}`"


def test_findings_on_one_line_come_in_column_order(spec_text: str) -> None:
    # The schema checks `requests_per_month` first; the file has `monthly_growth_pct` first, and wins.
    block = "workload:\n  requests_per_month: 3000000\n  monthly_growth_pct: 4\n"
    assert block in spec_text
    text = spec_text.replace(block, "workload: {monthly_growth_pct: x, requests_per_month: -1}\n")
    assert [(f.pointer, f.line, f.column) for f in findings(text)] == [
        ("/workload/monthly_growth_pct", 7, 32),
        ("/workload/requests_per_month", 7, 55),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [("5", "`serving`: must be a mapping, got the number 5"), ("[1]", "`serving`: must be a mapping, got a list")],
)
def test_an_optional_section_of_the_wrong_kind_is_told_it_must_be_a_mapping(
    spec_text: str, value: str, message: str
) -> None:
    # `serving` is `Serving | None`: a `$ref` branch, which has no `type` of its own, still reads "a mapping".
    start, end = spec_text.index("  serving:\n"), spec_text.index("  monthly_eng_hours: 40")
    finding = only(spec_text[:start] + f"  serving: {value}\n" + spec_text[end:])
    assert (finding.pointer, finding.message, finding.line, finding.column) == ("/finetune/serving", message, 29, 12)


@pytest.mark.parametrize(("written", "echoed"), [("1e13", "1e13"), ("2.5E+13", "2.5e13"), ("1.5e-7", "1.5e-7")])
def test_a_number_is_echoed_as_written_not_in_decimals_notation(spec_text: str, written: str, echoed: str) -> None:
    finding = only(spec_text.replace("requests_per_month: 3000000", f"requests_per_month: {written}"))
    assert finding.message.endswith(f"got the number {echoed}")
    assert "E+" not in finding.message


@pytest.mark.parametrize("value", ["10", True, 10.0])
def test_the_models_themselves_hold_only_exact_numbers(value: object) -> None:
    # The loader's type check refuses these first; the models refuse them too, for a caller that skips it.
    with pytest.raises(ValidationError):
        Policy.model_validate({"version": 1, "min_savings_pct": value})
    assert Policy.model_validate({"version": 1, "min_savings_pct": 10}).min_savings_pct == Decimal(10)


def test_invisible_text_is_named_by_code_point_in_a_whole_message() -> None:
    waiver = '{proposal: x, reason: ARB-1, approved_by: "\u200b \u2060", expires: 2099-01-01}'
    finding = only(f"version: 1\nwaivers:\n  - {waiver}\n", Policy)
    assert (finding.pointer, finding.message) == (
        "/waivers/0/approved_by",
        "`approved_by`: must not be empty (it holds only invisible characters: U+200B U+2060)",
    )


def test_a_top_level_key_written_in_a_section_is_sent_back_to_the_top_level(spec_text: str) -> None:
    finding = only(spec_text.replace("workload:\n", 'workload:\n  owner: "@x"\n', 1))
    assert (finding.pointer, finding.message) == (
        "/workload/owner",
        "unknown key `owner` here: it belongs under the top level",
    )


def test_a_missing_key_no_evidence_measures_gets_no_evidence_hint(spec_text: str) -> None:
    finding = only("".join(line for line in spec_text.splitlines(True) if not line.startswith("owner:")))
    assert finding.message == "missing required key `owner` at the top level"


def test_a_schema_kind_without_a_word_is_named_as_json_names_it() -> None:
    from tco_gate.validation import _expected

    assert _expected({"type": "null"}) == "null"


def test_a_pattern_is_named_unless_it_only_asks_for_text() -> None:
    # The schemas' patterns today are the name's (worded) and `\S` (not empty); any other is quoted.
    from tco_gate.validation import _expected

    assert _expected({"type": "string", "pattern": "^x+$"}) == "text matching `^x+$`"
    assert _expected({"type": "string", "pattern": r"\S"}) == "text"


def test_every_key_evidence_may_supply_names_its_kind_of_evidence() -> None:
    # Pydantic misses only these keys (the schema's `required` leaves them out), so each needs its hint: a model
    # that declares EVIDENCE_SUPPLIES must be among those EVIDENCE_KINDS reads, with a kind.
    import tco_gate.models as models
    from tco_gate.evidence_model import Evidence
    from tco_gate.model_base import StrictModel

    supplied = {
        key: model.EVIDENCE_KIND
        for model in vars(models).values()
        if isinstance(model, type) and issubclass(model, StrictModel)
        for key in model.EVIDENCE_SUPPLIES
    }
    assert supplied == models.EVIDENCE_KINDS
    assert set(supplied.values()) <= set(Evidence.model_fields)  # each kind is a key under `evidence`
