"""Ranges `{low, likely, high}`: read out of a proposal before validation, each part checked in place."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tco_gate.analysis.ranges import Range, bound_problem, extract_ranges, field_schema
from tco_gate.cli import main
from tco_gate.commands.schema import schema_text
from tco_gate.errors import InputError
from tco_gate.loader import load
from tco_gate.models import Proposal
from tco_gate.schema_json import json_schema

WITH_RANGES = b"""version: 1
name: ranged
owner: "@acme/ml"
workload:
  requests_per_month: {low: 2000000, likely: 3000000, high: 5000000}
prompting:
  input_usd_per_mtok: 1
  output_usd_per_mtok: 2
  input_tokens_per_request: 1000
  output_tokens_per_request: 100
  price_decline_pct_per_year:
    low: 10
    likely: 25
    high: 40
finetune:
  base_model: m
  training_run_usd: 0
  eval_set_build_hours: 0
  retrains_per_year: {low: 2, likely: 4, high: 6}
  monthly_serving_usd: 3000
  monthly_eng_hours: 0
  base_model_lifecycle_months: 1200
"""


def test_each_range_becomes_its_likely_value_and_is_recorded_by_pointer() -> None:
    document, ranges = extract_ranges(load(WITH_RANGES))
    assert document.data["workload"]["requests_per_month"] == 3_000_000
    assert document.data["finetune"]["retrains_per_year"] == 4  # still an int for an integer field
    assert ranges == {
        "/workload/requests_per_month": Range(Decimal(2_000_000), Decimal(3_000_000), Decimal(5_000_000)),
        "/prompting/price_decline_pct_per_year": Range(Decimal(10), Decimal(25), Decimal(40)),
        "/finetune/retrains_per_year": Range(Decimal(2), Decimal(4), Decimal(6)),
    }
    # Positions stay, so a later finding about the value points at the range.
    assert document.position("/workload/requests_per_month") is not None


@pytest.mark.parametrize(
    "text", ["{low: 1, likely: 5, high: 5}", "{low: 5, likely: 5, high: 9}", "{low: 5, likely: 5, high: 5}"]
)
def test_a_range_may_meet_its_likely_value_at_either_end(text: str) -> None:
    source = WITH_RANGES.replace(b"{low: 2000000, likely: 3000000, high: 5000000}", text.encode())
    document, ranges = extract_ranges(load(source))
    assert document.data["workload"]["requests_per_month"] == 5
    assert ranges["/workload/requests_per_month"].likely == Decimal(5)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        (
            "{low: 1, likely: 2}",
            "`requests_per_month`: a range needs `low`, `likely` and `high`; `high` missing",
            5,
            23,
        ),
        ("{low: 1, likely: two, high: 3}", "the range's `likely` must be a number, not the text `two`", 5, 40),
        ("{low: 1, likely: true, high: 3}", "the range's `likely` must be a number, not `true`", 5, 40),
        ("{low: [1], likely: 2, high: 3}", "the range's `low` must be a number, not a list", 5, 29),
        ("{low: 1, likely: 2, high: {a: 1}}", "the range's `high` must be a number, not a mapping", 5, 49),
        ("{low: 5, likely: 2, high: 9}", "the range's `low` (5) is on the wrong side of `likely` (2)", 5, 29),
        ("{low: 1, likely: 9, high: 5}", "the range's `high` (5) is on the wrong side of `likely` (9)", 5, 49),
        ("{low: 5, likely: 5, high: 3}", "the range's `high` (3) is on the wrong side of `likely` (5)", 5, 49),
        ("{low: 0.5, likely: 2, high: 3}", "`requests_per_month`: the range's `low` (0.5) must be at least 1", 5, 29),
    ],
)
def test_a_broken_range_is_an_error_at_its_part(text: str, message: str, line: int, column: int) -> None:
    source = WITH_RANGES.replace(b"{low: 2000000, likely: 3000000, high: 5000000}", text.encode())
    with pytest.raises(InputError) as caught:
        extract_ranges(load(source))
    (finding,) = caught.value.findings
    assert message in finding.message
    assert (finding.line, finding.column) == (line, column)


@pytest.mark.parametrize(
    ("field", "number", "problem"),
    [
        ({"minimum": 1}, "0.5", "must be at least 1"),
        ({"exclusiveMinimum": 0}, "0", "must be above 0"),
        ({"maximum": 100}, "101", "must be at most 100"),
        ({"exclusiveMaximum": 100}, "100", "must be below 100"),
        ({"type": "integer", "minimum": 1}, "1.5", "must be a whole number"),
        ({"minimum": 0, "exclusiveMinimum": 0, "maximum": 1, "exclusiveMaximum": 2}, "1", None),
    ],
)
def test_each_bound_a_range_breaks_is_worded(field: dict[str, object], number: str, problem: str | None) -> None:
    assert bound_problem(field, Decimal(number)) == problem


def test_reading_the_ranges_leaves_the_document_as_written() -> None:
    document = load(WITH_RANGES)
    written = json.dumps(document.data, default=str)
    likely, ranges = extract_ranges(document)
    assert ranges and likely.data != document.data
    assert json.dumps(document.data, default=str) == written


def test_range_bounds_are_the_fields_own() -> None:
    source = WITH_RANGES.replace(b"high: 40", b"high: 100").replace(b"high: 6}", b"high: 6.5}")
    with pytest.raises(InputError) as caught:
        extract_ranges(load(source))
    messages = [f.message for f in caught.value.findings]
    assert messages == [
        "`price_decline_pct_per_year`: the range's `high` (100) must be below 100",
        "`retrains_per_year`: the range's `high` (6.5) must be a whole number",
    ]
    assert (field_schema("/finetune/serving/min_gpus") or {}).get("type") == "integer"
    assert field_schema("/name") is None


def test_check_reports_a_broken_range_with_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proposal = tmp_path / "finetune-proposal.yml"
    proposal.write_bytes(WITH_RANGES.replace(b"low: 10", b"low: 30"))
    assert main(["check", str(proposal)]) == 2
    out = capsys.readouterr().out
    assert "finetune-proposal.yml:12:10: error: `price_decline_pct_per_year`: the range's `low` (30)" in out


def test_a_range_where_no_number_goes_is_refused_by_validation(tmp_path: Path) -> None:
    proposal = tmp_path / "finetune-proposal.yml"
    proposal.write_bytes(WITH_RANGES.replace(b"base_model: m", b"base_model: {low: 1, likely: 2, high: 3}"))
    assert main(["check", str(proposal)]) == 2


def test_the_published_schema_accepts_a_range_wherever_a_number_goes() -> None:
    schema = json.loads(schema_text("proposal"))
    validator = jsonschema.Draft202012Validator(schema)
    data = load(WITH_RANGES).data
    assert list(validator.iter_errors(data)) == []
    data["finetune"]["base_model"] = {"low": 1, "likely": 2, "high": 3}
    data["version"] = {"low": 1, "likely": 1, "high": 1}
    data["workload"]["requests_per_month"] = {"low": 1, "likely": 2}
    bad = sorted({"/".join(str(p) for p in e.absolute_path) for e in validator.iter_errors(data)})
    assert bad == ["finetune/base_model", "version", "workload/requests_per_month"]


_BOUNDS = ("type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _bounds(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if key in _BOUNDS}


def _numbers_of(schema: dict[str, Any], node: dict[str, Any], pointer: str) -> dict[str, dict[str, Any]]:
    """Every number field of a generated (range-free) schema: pointer -> its bounds and type."""
    if "$ref" in node:
        return _numbers_of(schema, schema["$defs"][node["$ref"].rsplit("/", 1)[-1]], pointer)
    found: dict[str, dict[str, Any]] = {}
    for option in node.get("anyOf", []):
        found |= _numbers_of(schema, option, pointer)
    if node.get("type") in ("number", "integer"):
        found[pointer] = _bounds(node)
    for key, child in node.get("properties", {}).items():
        found |= _numbers_of(schema, child, f"{pointer}/{key}")
    return found


def test_the_published_schema_gives_every_number_the_bounds_the_models_generate() -> None:
    # field_schema reads the shipped schema, whose numbers also accept a range: it must find the same bounds.
    generated = json_schema(Proposal, "finetune-proposal.schema.json")
    numbers = _numbers_of(generated, generated, "")
    assert len(numbers) > 40
    for pointer, bounds in numbers.items():
        assert _bounds(field_schema(pointer) or {}) == bounds, pointer
