"""Monte Carlo over ranges: PERT as documented, the same bytes for the same seed, and the confidence rule."""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tco_gate.analysis.fastmodel import Setting
from tco_gate.analysis.inputs import cost_inputs
from tco_gate.analysis.ranges import Range
from tco_gate.analysis.uncertainty import monte_carlo, percentiles, pert_draws, pert_shape
from tco_gate.cli import main
from tests.analysis.test_ranges import WITH_RANGES
from tests.factories import policy, prices, proposal


def _write(tmp_path: Path, text: bytes = WITH_RANGES, policy_text: str | None = None) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)  # the policy search stops here
    path = tmp_path / "finetune-proposal.yml"
    path.write_bytes(text)
    if policy_text is not None:
        (tmp_path / ".tco-gate.yml").write_text(policy_text)
    return path


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = main(["check", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)["results"][0]


def test_pert_shape_is_the_documented_formula() -> None:
    # α = 1 + 4(m − a)/(b − a), β = 1 + 4(b − m)/(b − a)
    assert pert_shape(0, 2, 10) == pytest.approx((1.8, 4.2))
    assert pert_shape(5, 5, 7) == (1.0, 5.0)


def test_pert_draws_have_the_pert_mean_and_stay_in_range() -> None:
    uniforms = [(i + 0.5) / 20_000 for i in range(20_000)]  # an even spread: the draws are the quantiles
    draws = pert_draws(Range(0, 2, 10), uniforms)  # type: ignore[arg-type]
    assert min(draws) >= 0 and max(draws) <= 10
    assert statistics.fmean(draws) == pytest.approx((0 + 4 * 2 + 10) / 6, abs=1e-3)
    # The median of Beta(1.8, 4.2), found here by a plain midpoint integration of its density, times 10.
    cells = 200_000
    density = [((i + 0.5) / cells) ** 0.8 * (1 - (i + 0.5) / cells) ** 3.2 for i in range(cells)]
    half, running, median = sum(density) / 2, 0.0, 0.0
    for i, mass in enumerate(density):
        running += mass
        if running >= half:
            median = 10 * (i + 0.5) / cells
            break
    assert percentiles(draws).p50 == pytest.approx(median, abs=2e-3)
    assert pert_draws(Range(4, 4, 4), [0.3, 0.9]) == [4.0, 4.0]  # type: ignore[arg-type]


def test_percentiles_are_nearest_rank() -> None:
    assert percentiles([float(v) for v in range(1, 11)]) == percentiles([float(v) for v in range(10, 0, -1)])
    found = percentiles([float(v) for v in range(1, 101)])
    assert (found.p10, found.p50, found.p90) == (10.0, 50.0, 90.0)
    # The rank is ceil(pct × n / 100), counted from 1: of ten values P10 is the 1st, the least; of one, all three.
    ten = percentiles([float(v) for v in range(10, 0, -1)])
    assert (ten.p10, ten.p50, ten.p90) == (1.0, 5.0, 9.0)
    one = percentiles([7.0])
    assert (one.p10, one.p50, one.p90) == (7.0, 7.0, 7.0)


def test_known_seed_gives_known_figures() -> None:
    # A golden: these are the numbers of seed 7 today; a change to sampling must change this test knowingly.
    p = proposal(finetune={"monthly_serving_usd": 3000})
    ranges = {"/workload/requests_per_month": Range(2_000_000, 3_000_000, 5_000_000)}  # type: ignore[arg-type]
    drawn = monte_carlo(cost_inputs(p, prices()), ranges, Setting.of(policy()), draws=1000, seed=7)
    assert (round(drawn.prompting.p10, 2), round(drawn.prompting.p50, 2), round(drawn.prompting.p90, 2)) == (
        GOLDEN_P10,
        GOLDEN_P50,
        GOLDEN_P90,
    )
    assert drawn.passed == GOLDEN_PASSED and drawn.probability_pass == GOLDEN_PASSED / 1000
    assert drawn.finetune.p10 == drawn.finetune.p90 == 72_000.0  # flat serving: no range touches it


# Seed 7, 1,000 draws of PERT(2M, 3M, 5M) requests: prompting is 0.0288·R, so its P50 of $88,329.06 is a
# volume of 3.067M (PERT's median here); 689 draws are above the break-even of 2,777,778.
GOLDEN_P10, GOLDEN_P50, GOLDEN_P90, GOLDEN_PASSED = 70086.15, 88329.06, 113872.48, 689


def test_a_range_on_a_number_no_total_reads_moves_neither_total() -> None:
    p = proposal(finetune={"monthly_serving_usd": 3000})
    ranges = {"/evaluation/finetune_accuracy": Range(0.8, 0.9, 0.95)}  # type: ignore[arg-type]
    drawn = monte_carlo(cost_inputs(p, prices()), ranges, Setting.of(policy()), draws=200, seed=1)
    assert drawn.finetune.p10 == drawn.finetune.p90 and drawn.prompting.p10 == drawn.prompting.p90


def test_same_inputs_and_seed_give_the_same_bytes_in_two_processes(tmp_path: Path) -> None:
    path = _write(tmp_path)
    command = [sys.executable, "-m", "tco_gate", "check", "--format", "json", "--seed", "42", str(path)]
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    first = subprocess.run(command, capture_output=True, check=False, env=env)
    second = subprocess.run(command, capture_output=True, check=False, env=env)
    assert first.returncode == second.returncode == 1  # this proposal fails the margin at its point estimate
    assert first.stdout == second.stdout
    other = subprocess.run([*command[:7], "43", str(path)], capture_output=True, check=False)
    assert (
        json.loads(other.stdout)["results"][0]["uncertainty"] != json.loads(first.stdout)["results"][0]["uncertainty"]
    )


def test_the_report_carries_percentiles_and_the_probability(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, result = _report(capsys, "--draws", "2000", str(_write(tmp_path)))
    uncertainty = result["uncertainty"]
    assert isinstance(uncertainty, dict)
    assert uncertainty["draws"] == 2000 and uncertainty["seed"] == 0 and uncertainty["method"] == "pert"
    assert uncertainty["decided_by"] == "point_estimate" and uncertainty["min_confidence_pct"] is None
    assert [i["input"] for i in uncertainty["inputs"]] == [
        "/finetune/retrains_per_year",
        "/prompting/price_decline_pct_per_year",
        "/workload/requests_per_month",
    ]
    spread = uncertainty["prompting_total_usd"]
    assert spread["p10"] < spread["p50"] < spread["p90"]
    assert 0 < uncertainty["probability_pass"] < 1
    assert code == (0 if result["verdict"] == "pass" else 1)


def test_without_ranges_there_is_no_uncertainty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = WITH_RANGES.replace(b"{low: 2000000, likely: 3000000, high: 5000000}", b"3000000")
    plain = plain.replace(b"{low: 2, likely: 4, high: 6}", b"4").replace(
        b"\n    low: 10\n    likely: 25\n    high: 40", b" 25"
    )
    _, result = _report(capsys, str(_write(tmp_path, plain)))
    assert result["uncertainty"] is None


@pytest.mark.parametrize(
    ("margin", "required", "verdict", "first"),
    [
        ("-20", "1", "pass", "confidence"),  # the point estimate costs 8.29% more, within a margin of −20%
        ("-20", "99", "fail", "confidence"),  # ... but not 99% of the draws do
        ("0", "1", "fail", "margin"),  # the point misses a 0% margin: 42% of draws meeting it cannot buy a pass
    ],
)
def test_min_confidence_pct_adds_the_share_of_draws_to_the_margin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], margin: str, required: str, verdict: str, first: str
) -> None:
    path = _write(tmp_path, policy_text=f"version: 1\nmin_savings_pct: {margin}\nmin_confidence_pct: {required}\n")
    _, result = _report(capsys, "--draws", "2000", str(path))
    assert result["verdict"] == verdict
    reasons = result["reasons"]
    assert isinstance(reasons, list) and reasons[0]["code"] == first
    assert {r["code"] for r in reasons[:2]} == {"confidence", "margin"}  # both are stated
    confidence = next(r for r in reasons if r["code"] == "confidence")
    assert f"the policy requires {required}% confidence" in confidence["text"]
    uncertainty = result["uncertainty"]
    assert isinstance(uncertainty, dict) and uncertainty["decided_by"] == "probability"


def test_min_confidence_pct_without_ranges_leaves_the_point_estimate_to_judge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = WITH_RANGES.replace(b"{low: 2000000, likely: 3000000, high: 5000000}", b"3000000")
    plain = plain.replace(b"{low: 2, likely: 4, high: 6}", b"4").replace(
        b"\n    low: 10\n    likely: 25\n    high: 40", b" 25"
    )
    _, result = _report(capsys, str(_write(tmp_path, plain, "version: 1\nmin_confidence_pct: 99\n")))
    reasons = result["reasons"]
    assert isinstance(reasons, list) and reasons[0]["code"] == "margin"


@pytest.mark.parametrize("flag", [["--draws", "0"], ["--draws", "x"], ["--seed", "-1"], ["--draws", "1000001"]])
def test_bad_draws_or_seed_is_a_usage_error(tmp_path: Path, flag: list[str]) -> None:
    assert main(["check", *flag, str(_write(tmp_path))]) == 2


def test_a_draw_the_committed_fleet_cannot_serve_fails_whatever_it_saves() -> None:
    # Four reserved GPUs ($48,000 over 24 months) serving at most 2,800,000 requests a month, nothing beyond:
    # a draw passes exactly when its volume saves 10% (from 1,851,852, as 0.9 × 0.0288·R >= 48,000) and the fleet
    # holds it. Without the capacity rule every draw above 1,851,852 would pass.
    serving = {
        "output_tokens_per_request": 2628,
        "output_tokens_per_second_per_gpu": 700,
        "target_utilization_pct": 100,
        "failover_gpus": 0,
        "committed": {"gpus": 4, "monthly_usd_per_gpu": 500},
    }
    p = proposal(finetune={"monthly_serving_usd": None, "serving": serving})
    volume = Range(Decimal(1_500_000), Decimal(2_500_000), Decimal(4_000_000))
    drawn = monte_carlo(
        cost_inputs(p, prices()), {"/workload/requests_per_month": volume}, Setting.of(policy()), draws=2000, seed=3
    )
    rng = random.Random(3)
    volumes = pert_draws(volume, [rng.random() for _ in range(2000)])
    assert drawn.passed == sum(1_851_852 <= v <= 2_800_000 for v in volumes)
    assert 0 < drawn.passed < sum(v >= 1_851_852 for v in volumes)
