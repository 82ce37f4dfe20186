"""`tco-gate explain`: the ledger in words and as CSV, checked against the ledger the gate judges with."""

from __future__ import annotations

import csv
import io
import shutil
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tco_gate.cli import main
from tco_gate.explain import CSV_COLUMNS
from tco_gate.options import RunOptions
from tco_gate.result import Outcome
from tco_gate.run import run

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
CASES = Path(__file__).parent / "cases"
TRIAGE = EXAMPLES / "support-triage" / "finetune-proposal.yml"


def _explain(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["explain", *argv])
    return code, capsys.readouterr().out


def _month(text: str, month: int) -> str:
    return text.split(f"\nmonth {month} (", 1)[1].split("\nmonth ", 1)[0]


def test_explain_words_the_rebuild_in_the_month_the_base_model_is_deprecated(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, text = _explain(capsys, str(TRIAGE))
    assert code == 1  # the exit code check gives
    rebuild = (
        "forced rebuilds when the base model is deprecated [hidden cost 4: lock-in: deprecation forces rebuilds] — "
        "rebuild 1 of 1; base model deprecated (lifecycle 18 months): rebuild $2,000.00 + 60 h × $150.00: $11,000.00"
    )
    assert rebuild in _month(text, 18)
    assert "rebuild" not in _month(text, 17)
    assert "retrain 1 of 8;" in _month(text, 3)
    assert "eval set build (SME hours) [hidden cost 1: the eval set is yours] — 160 h × $150.00: $24,000.00" in (
        _month(text, 1)
    )


def test_explain_shows_each_months_total_and_ends_with_the_deciding_reason(capsys: pytest.CaptureFixture[str]) -> None:
    (result,) = run(RunOptions(paths=(TRIAGE,)), today=datetime.now(UTC).date())
    assert result.ledger is not None
    _, text = _explain(capsys, str(TRIAGE))
    assert "  fine-tuning $40,487.52\n" in _month(text, 1)
    last = text.rstrip("\n").splitlines()
    assert last[-3] == "what decides the verdict (fail):"
    assert last[-2] == "  [margin] the margin: the saving against what the policy requires"
    assert last[-1] == f"    {result.reasons[0].text}"


@pytest.mark.parametrize(
    ("proposal", "code", "outcome"),
    [
        (EXAMPLES / "discharge-coding-eu" / "finetune-proposal.yml", "exempt-data-residency", "exempt"),
        (CASES / "valid" / "waived" / "finetune-proposal.yml", "waived", "waived"),
        (CASES / "valid" / "missing-hidden-costs" / "finetune-proposal.yml", "hidden-costs-missing", "fail"),
    ],
)
def test_explain_is_keyed_on_the_reason_codes(
    proposal: Path, code: str, outcome: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A valid case's policy is its root policy (waivers live only there), as tests/test_cases.py runs them, in
    # a copy outside this repository (a case stands for a repository of its own).
    proposal = Path(shutil.copytree(proposal.parent, tmp_path / proposal.parent.name)) / proposal.name
    policy = proposal.parent / ".tco-gate.yml"
    _, text = _explain(capsys, *(["--policy", str(policy)] if policy.is_file() else []), str(proposal))
    decides = text.split(f"what decides the verdict ({outcome}):\n", 1)[1]
    assert f"  [{code}] " in decides


def test_explain_an_invalid_proposal_names_its_errors_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _explain(capsys, str(CASES / "invalid" / "typo-key-monthly-servng-usd" / "finetune-proposal.yml"))
    assert code == 2
    assert "unknown key `monthly_servng_usd`" in text
    assert "[invalid-input]" in text


def test_explain_csv_has_a_row_per_month_option_and_line_item_summing_to_the_totals(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (result,) = run(RunOptions(paths=(TRIAGE,)), today=datetime.now(UTC).date())
    ledger = result.ledger
    assert ledger is not None and result.outcome is Outcome.FAIL
    code, text = _explain(capsys, "--format", "csv", str(TRIAGE))
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    items = len(ledger.finetune.line_items) + len(ledger.prompting.line_items)
    assert len(rows) == ledger.horizon_months * items
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[row["option"]] += Decimal(row["usd"])
    # Each row is rounded to the cent; the sums stay within half a cent a row of the exact totals.
    for option, exact in (("finetune", ledger.finetune.total), ("prompting", ledger.prompting.total)):
        assert abs(totals[option] - exact) <= Decimal("0.005") * len(rows)
    rebuild = [row for row in rows if row["line_item"] == "rebuilds" and Decimal(row["usd"]) != 0]
    assert [(row["month"], row["usd"], row["hidden_cost"]) for row in rebuild] == [("18", "11000.00", "4")]


def test_explain_words_a_provider_hosted_fine_tune_per_request(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _explain(capsys, str(EXAMPLES / "support-triage-hosted" / "finetune-proposal.yml"))
    assert code == 1
    serving = next(line for line in _month(text, 1).splitlines() if "fine-tune served by a provider" in line)
    assert " — 3,000,000 requests × $" in serving
    assert serving.endswith(" a request + $0.00 hosting: $945.00")


def test_explain_finds_nothing_to_explain_in_an_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", str(tmp_path)]) == 2
    assert "no finetune-proposal.yml or .yaml found under" in capsys.readouterr().err


def test_explain_csv_leaves_out_a_proposal_that_cannot_be_costed(capsys: pytest.CaptureFixture[str]) -> None:
    invalid = CASES / "invalid" / "typo-key-monthly-servng-usd" / "finetune-proposal.yml"
    listing = EXAMPLES / "listing-categorizer" / "finetune-proposal.yml"
    code, text = _explain(capsys, "--format", "csv", str(invalid), str(listing))
    assert code == 2
    assert {row["proposal"] for row in csv.DictReader(io.StringIO(text))} == {"listing-categorizer"}


# --- Part 2: rates as written, --horizon-months, a committed fleet's lines and wrong answers in words ---

OWNED = EXAMPLES / "contract-clause-review"
REGIONS = EXAMPLES / "shopping-assistant"


def _words(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["explain", *argv]) in (0, 1)
    return capsys.readouterr().out


def test_explain_shows_the_hourly_rate_as_written_so_hours_times_rate_multiply_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".tco-gate.yml").write_text("version: 1\nhourly_rate_usd: 123.958325\n", encoding="utf-8")
    source = (EXAMPLES / "support-triage" / "finetune-proposal.yml").read_text(encoding="utf-8")
    (tmp_path / "finetune-proposal.yml").write_text(source, encoding="utf-8")
    words = _words(capsys, str(tmp_path / "finetune-proposal.yml"), "--policy", str(tmp_path / ".tco-gate.yml"))
    assert "$123.958325 an engineering hour" in words
    # 400 h of ... no: 40 h of on-call a month × $123.958325 = $4,958.33; with the rate rounded to $123.96 the
    # words would say 40 × 123.96 = $4,958.40, a figure that is not the amount beside them.
    assert "40 h × $123.958325: $4,958.33" in _month(words, 2)


def test_explain_takes_horizon_months_as_check_does(capsys: pytest.CaptureFixture[str]) -> None:
    words = _words(capsys, str(OWNED), "--horizon-months", "3")
    assert "\nmonth 3 (" in words and "\nmonth 4 (" not in words
    assert words.count("over 3 months: fine-tuning") == 1
    assert main(["explain", str(OWNED), "--horizon-months", "0"]) == 2
    assert "horizon-months" in capsys.readouterr().err


def test_explain_words_every_committed_line_and_the_burst(capsys: pytest.CaptureFixture[str]) -> None:
    month = _month(_words(capsys, str(OWNED)), 12)
    assert month.startswith("14,920,492 requests, 10 GPUs billed: 8 committed, 2 on demand)")
    assert "2 GPUs beyond the 8 committed × $3.78 an hour × 730 h: $5,518.80" in month
    assert "8 GPUs × $39,625.00 / 60 months (month 12 of 60): $5,283.33" in month
    assert "8 GPUs × 1275 W / 1000 × 730 h × PUE 1.58 × $0.1192 a kWh = $175.294 a GPU: $1,402.35" in month
    assert "8 GPUs × $375.00 a month: $3,000.00" in month
    regions = _month(_words(capsys, str(REGIONS)), 1)
    assert regions.startswith("45,000,000 requests, 16 GPUs billed (32 at the peak): 16 committed, 0 on demand)")
    assert "16 GPUs × $1,715.50 a month, used or not: $27,448.00" in regions
    assert (
        "wrong answers [quality: the cost of wrong answers (not a hidden cost)] — 45,000,000 requests × 5% wrong"
        in (regions)
    )
    assert "45,000,000 requests × 7% wrong × $0.01 an error: $31,500.00" in regions
