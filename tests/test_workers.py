"""A large run across worker processes says exactly what the same run in one process says."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tco_gate import pool
from tco_gate.cli import main

ROOT = Path(__file__).parent.parent
FAILING = ROOT / "examples" / "support-triage" / "finetune-proposal.yml"
PASSING = ROOT / "examples" / "listing-categorizer" / "finetune-proposal.yml"


def _proposal(template: Path, name: str, extra_requests: int) -> str:
    text = re.sub(r"^name: *\S+", f"name: {name}", template.read_text(encoding="utf-8"), count=1, flags=re.M)
    return re.sub(r"(requests_per_month: *)(\d+)", lambda m: f"{m[1]}{int(m[2]) + extra_requests}", text, count=1)


@pytest.fixture
def monorepo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """36 proposals, with every step that changes a result after it was judged: a name used twice (far apart,
    so the two land with different workers), a waiver that matches nothing (a warning on the first result
    the root policy governs), a nested policy that changes the economics (judged twice, the stricter stands),
    a waived proposal, and a file that is not YAML."""
    (tmp_path / ".git").mkdir()
    waivers = [
        {"proposal": "svc-007", "reason": "ARB-1", "approved_by": "@arch", "expires": "2999-01-01"},
        {"proposal": "nobody-has-this-name", "reason": "ARB-2", "approved_by": "@arch", "expires": "2999-01-01"},
    ]
    (tmp_path / ".tco-gate.yml").write_text(json.dumps({"version": 1, "waivers": waivers}), encoding="utf-8")
    for index in range(34):
        folder = tmp_path / ("team-b" if index % 5 == 0 else "team-a") / f"svc-{index:03d}"
        folder.mkdir(parents=True)
        template = PASSING if index % 3 == 0 else FAILING
        name = "svc-001" if index == 30 else f"svc-{index:03d}"  # svc-030 borrows svc-001's name
        (folder / "finetune-proposal.yml").write_text(_proposal(template, name, index * 1000), encoding="utf-8")
    (tmp_path / "team-b" / ".tco-gate.yml").write_text("version: 1\nhourly_rate_usd: 90\n", encoding="utf-8")
    broken = tmp_path / "team-a" / "broken" / "finetune-proposal.yml"
    broken.parent.mkdir()
    broken.write_text("version: 1\nname: [unclosed\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_workers_write_the_text_report_the_serial_run_writes(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serial = _check(capsys, "--jobs", "1")
    assert serial[0] == 2  # the clashing names and the broken file are invalid
    for marker in (
        "`name: svc-001` is also the name of team-b/svc-030/finetune-proposal.yml",
        "warning: the waiver for `nobody-has-this-name` matches no proposal",
        "the stricter verdict",
        "WAIVED  svc-007",
        "team-a/broken/finetune-proposal.yml:3:1: error: YAML syntax",
    ):
        assert marker in serial[1]
    assert _check(capsys, "--jobs", "2") == serial
    assert _check(capsys, "--jobs", "3") == serial


def test_workers_write_the_json_report_the_serial_run_writes(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serial = _check(capsys, "--format", "json", "--jobs", "1")
    assert len(json.loads(serial[1])["results"]) == 35
    assert "--jobs" not in json.loads(serial[1])["provenance"]["command"]  # how fast is not what was judged
    assert _check(capsys, "--format", "json", "--jobs", "2") == serial


def test_a_report_to_a_file_still_echoes_errors_and_the_summary_from_workers(
    monorepo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, serial, _ = _check(capsys, "--jobs", "1")
    report = tmp_path / "report.txt"
    code, out, err = _check(capsys, "--jobs", "2", "--output", str(report))
    assert (code, out, report.read_text(encoding="utf-8")) == (2, "", serial)
    assert "team-a/broken/finetune-proposal.yml:3:1: error: YAML syntax" in err
    assert err.splitlines()[-1] == serial.splitlines()[-1]  # the summary line


def test_a_small_run_stays_in_one_process_and_a_large_one_uses_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "cores", lambda: 4)
    assert pool.workers_for(pool.MIN_ITEMS_FOR_WORKERS - 1, None) == 1
    assert pool.workers_for(pool.MIN_ITEMS_FOR_WORKERS, None) == 2  # 32 items keep two workers busy
    assert pool.workers_for(10_000, None) == 4
    assert pool.workers_for(10_000, 1) == 1
    assert pool.workers_for(3, 8) == 3  # never more workers than items
    monkeypatch.setattr(pool, "cores", lambda: 1)
    assert pool.workers_for(10_000, None) == 1


def _square_or_refuse(item: int) -> int:
    if item == 13:
        raise ValueError("thirteen")
    return item * item


def _nothing() -> None:
    return None


def test_answers_come_back_in_order_and_a_worker_error_is_raised_here() -> None:
    answers = pool.map_in_order(_square_or_refuse, range(12), workers=2, initializer=_nothing, initargs=())
    assert list(answers) == [n * n for n in range(12)]
    with pytest.raises(ValueError, match="thirteen"):
        list(pool.map_in_order(_square_or_refuse, range(40), workers=2, initializer=_nothing, initargs=()))


def test_cores_are_the_ones_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 3, 5}, raising=False)
    assert pool.cores() == 3  # a container's CPU set, not the machine's count
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # macOS and Windows have no affinity
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert pool.cores() == 1
