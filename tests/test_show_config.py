"""`tco-gate check --show-config`: each effective value with its source, and what each policy chain governs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tco_gate.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "support-triage" / "finetune-proposal.yml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A root policy, a nested one under svc/ that tightens the margin, a proposal under each."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".tco-gate.yml").write_text("version: 1\nexemptions: {latency_under_ms: 30}\n", encoding="utf-8")
    for folder in ("svc/a", "web"):
        (tmp_path / folder).mkdir(parents=True)
        text = EXAMPLE.read_text(encoding="utf-8").replace("name: support-triage", f"name: {folder.replace('/', '-')}")
        (tmp_path / folder / "finetune-proposal.yml").write_text(text, encoding="utf-8")
    (tmp_path / "svc" / ".tco-gate.yml").write_text("version: 1\nmin_savings_pct: 20\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _rows(block: str) -> dict[str, tuple[str, str]]:
    rows = {}
    for line in block.split("  values:\n", 1)[1].splitlines():
        key, value, source = re.split(r"\s{2,}", line.strip())
        rows[key] = (value, source)
    return rows


def test_show_config_names_each_values_source_and_what_each_chain_governs(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--show-config", "--horizon-months", "36"]) == 0
    out = capsys.readouterr().out
    nested, root = out.strip().split("\n\n")
    assert nested.startswith(
        "policy: .tco-gate.yml (root) + svc/.tco-gate.yml\n  governs:\n    svc/a/finetune-proposal.yml\n"
    )
    assert root.startswith("policy: .tco-gate.yml (root)\n  governs:\n    web/finetune-proposal.yml\n")
    assert _rows(nested)["min_savings_pct"] == ("20", "file svc/.tco-gate.yml")
    assert _rows(root)["min_savings_pct"] == ("10", "default")
    for block in (nested, root):
        rows = _rows(block)
        assert rows["horizon_months"] == ("36", "flag --horizon-months")
        assert rows["exemptions.latency_under_ms"] == ("30", "file .tco-gate.yml")
        assert rows["exemptions.accuracy_gap_pct"] == ("10", "default")
        assert rows["hourly_rate_usd"] == ("150", "default")
    assert "FAIL" not in out  # nothing is judged


def test_show_config_without_a_policy_file_shows_the_built_in_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "finetune-proposal.yml")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--show-config"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("policy: built-in defaults (no .tco-gate.yml found)\n  governs:\n    finetune-proposal.yml\n")
    assert {source for _, source in _rows(out.strip()).values()} == {"default"}


def test_show_config_lists_proposals_whose_policy_is_invalid_apart(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "svc" / ".tco-gate.yml").write_text("version: 1\nmin_savings_pct: 5\n", encoding="utf-8")  # loosens
    assert main(["check", "--show-config"]) == 2
    out = capsys.readouterr().out
    unsettled = out.split("no policy settled: the proposal or a policy file governing it is invalid\n", 1)[1]
    assert unsettled.startswith("  svc/a/finetune-proposal.yml\n    svc/.tco-gate.yml:2:1: error: `min_savings_pct: 5`")
    assert "    web/finetune-proposal.yml\n" in out


@pytest.mark.parametrize(
    ("where", "text", "place"),
    [
        (".tco-gate.yml", "version: 1\nmin_savings_pct: lots\n", ".tco-gate.yml:2:18: error: `min_savings_pct`"),
        ("svc/.tco-gate.yml", "version: 1\nmin_savings_pct: 5\n", "svc/.tco-gate.yml:2:1: error: `min_savings_pct: 5`"),
    ],
)
def test_show_config_under_an_invalid_policy_prints_its_findings_and_exits_2(
    repo: Path, capsys: pytest.CaptureFixture[str], where: str, text: str, place: str
) -> None:
    (repo / where).write_text(text, encoding="utf-8")
    assert main(["check", "--show-config"]) == 2
    out = capsys.readouterr().out
    assert place in out
    assert "run check to see why" not in out
    assert "  svc/a/finetune-proposal.yml\n" in out


def test_show_config_writes_no_python_words(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--show-config"]) == 0
    out = capsys.readouterr().out
    assert not re.search(r"\b(None|True|False)\b", out)
    assert _rows(out.strip().split("\n\n")[0])["min_confidence_pct"] == ("not set", "default")
