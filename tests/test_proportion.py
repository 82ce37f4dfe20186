"""Figures a proposal may write but a reviewer should look at twice: warnings on their lines; and the bounds that
keep what a report shows inside what it can show (a request a month at least, percentiles under $10^12)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tco_gate.analysis.ranges import Range
from tco_gate.cli import main
from tco_gate.proportion import _times, growth_warnings, spread_warnings
from tests.factories import policy, proposal

ROOT = Path(__file__).parent.parent
FAILING = ROOT / "examples" / "support-triage" / "finetune-proposal.yml"
RANGED = ROOT / "examples" / "catalog-enricher" / "finetune-proposal.yml"


def _edited(tmp_path: Path, old: str, new: str, source: Path = FAILING) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "finetune-proposal.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _result(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--format", "json", *argv])
    (result,) = json.loads(capsys.readouterr().out)["results"]
    return code, result


def _warnings(result: dict[str, Any]) -> dict[str, str]:
    return {f["pointer"]: f["message"] for f in result["findings"] if f["level"] == "warning"}


@pytest.mark.parametrize(("growth", "horizon", "warned"), [("25", "24", True), ("20", "24", False), ("4", "120", True)])
def test_growth_that_multiplies_the_volume_more_than_100_times_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], growth: str, horizon: str, warned: bool
) -> None:
    # 1.25^23 = 169x, 1.20^23 = 66x, 1.04^119 = 106x.
    path = _edited(tmp_path, "monthly_growth_pct: 4 ", f"monthly_growth_pct: {growth} ")
    _, result = _result(capsys, "--horizon-months", horizon, str(path))
    message = _warnings(result).get("/workload/monthly_growth_pct")
    assert (message is not None) is warned
    if message is not None:
        assert f"`monthly_growth_pct`: {growth}% a month compounds to " in message
        assert f"by month {horizon} of the horizon" in message


@pytest.mark.parametrize(("high", "warned"), [("1e4", False), ("10001", True), ("2.5e6", True)])
def test_a_range_whose_high_is_over_1000_times_its_likely_is_a_warning_at_its_high(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], high: str, warned: bool
) -> None:
    path = _edited(tmp_path, "monthly_eng_hours: 10", f"monthly_eng_hours: {{low: 5, likely: 10, high: {high}}}")
    code, result = _result(capsys, str(path))
    assert code in (0, 1)
    message = _warnings(result).get("/prompting/monthly_eng_hours/high")
    assert (message is not None) is warned
    if message is not None:
        # The figures are quoted as written: `2.5e6`, not Decimal's `2.5E+6`.
        assert message.startswith(f"`monthly_eng_hours`: the range's `high` ({high}) is ")
        assert "its `likely` (10)" in message


def test_the_bundled_ranges_are_within_1000_times_their_likely(capsys: pytest.CaptureFixture[str]) -> None:
    _, result = _result(capsys, str(RANGED))
    assert not [pointer for pointer in _warnings(result) if pointer.endswith("/high")]


def test_percentiles_past_the_money_bound_make_the_proposal_invalid_as_point_totals_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The point estimate stays under $10^12; the range's tail takes P90 of prompting's total past it.
    path = _edited(tmp_path, "monthly_eng_hours: 10", "monthly_eng_hours: {low: 10, likely: 10, high: 1e11}")
    code, result = _result(capsys, str(path))
    assert code == 2
    assert result["verdict"] == "invalid"
    assert [r["code"] for r in result["reasons"]] == ["too-large"]
    (finding,) = result["findings"]
    assert "of prompting's total over 24 months is more than $1,000,000,000,000" in finding["message"]


@pytest.mark.parametrize("volume", ["0.5", "0.999", "1e-3"])
def test_fewer_than_one_request_a_month_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], volume: str
) -> None:
    path = _edited(tmp_path, "requests_per_month: 3000000", f"requests_per_month: {volume}")
    code, result = _result(capsys, str(path))
    assert code == 2
    (finding,) = result["findings"]
    assert finding["pointer"] == "/workload/requests_per_month"
    assert "must be a number >= 1 and" in finding["message"]
    path = _edited(tmp_path, "requests_per_month: 3000000", "requests_per_month: 1")
    assert _result(capsys, str(path))[0] in (0, 1)


@pytest.mark.parametrize(
    ("growth", "horizon", "message"),
    [
        ("900", 3, None),  # 10^2 = 100 exactly: not more than 100-fold
        ("25", 24, "25% a month compounds to 169× the first month's volume by month 24"),  # 1.25^23 = 169.4
        ("1000", 8, "1000% a month compounds to 1.95e7× the first month's volume by month 8"),  # 11^7
    ],
)
def test_the_growth_warning_counts_the_months_after_the_first(growth: str, horizon: int, message: str | None) -> None:
    found = growth_warnings(proposal(workload={"monthly_growth_pct": int(growth)}), policy(horizon_months=horizon))
    assert [f.message for f in found] == (
        []
        if message is None
        else [f"`monthly_growth_pct`: {message} of the horizon; make sure the workload can grow that much"]
    )


@pytest.mark.parametrize(
    ("factor", "shown"),
    [("100.4", "100×"), ("999999", "999,999×"), ("1000000", "1.00e6×"), ("5000000", "5.00e6×")],
)
def test_a_factor_is_shown_whole_below_a_million_and_in_powers_of_ten_from_it(factor: str, shown: str) -> None:
    assert _times(Decimal(factor)) == shown


def test_a_spread_is_judged_against_a_likely_above_zero_and_below_one_alike() -> None:
    # A likely of 0 has no ratio to show (and no warning); a likely of 0.5 with a high of 501 is 1,002 times it.
    quiet = spread_warnings({"/prompting/monthly_eng_hours": Range(Decimal(0), Decimal(0), Decimal(5))})
    loud = spread_warnings({"/prompting/monthly_eng_hours": Range(Decimal(0), Decimal("0.5"), Decimal(501))})
    assert quiet == [] and [f.pointer for f in loud] == ["/prompting/monthly_eng_hours/high"]
    assert loud[0].message == (
        "`monthly_eng_hours`: the range's `high` (501) is 1,002× its `likely` (0.5); a tail that long decides the "
        "spread of the totals: make sure it is not a typo"
    )
