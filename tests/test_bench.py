"""The benchmark's generated proposals are real proposals: each one costed and judged, no two alike.

Timings are never asserted (they live in bench/); this checks the fixture the timings are taken on, so a
benchmark cannot quietly measure tco-gate refusing files.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from tco_gate.options import RunOptions
from tco_gate.result import Outcome
from tco_gate.run import run
from tco_gate.sources import WorkTree
from tests.tools import require_tool

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_proposals_are_each_judged_and_unique(tmp_path: Path) -> None:
    proposals = _bench_module("proposals")
    paths = proposals.write_proposals(tmp_path / "many", 7)

    results = run(RunOptions(paths=(tmp_path / "many",)), today=date(2026, 11, 29), source=WorkTree())

    assert [Path(r.path).parent.name for r in results] == [p.parent.name for p in paths]
    assert [r.name for r in results] == [f"bench-{i:05d}" for i in range(7)]
    assert all(r.outcome is not Outcome.INVALID and r.ledger is not None for r in results), [
        (r.path, r.findings) for r in results if r.outcome is Outcome.INVALID
    ]
    assert len({r.ledger.prompting.total for r in results if r.ledger}) == 7  # no two cost the same


def test_generated_proposal_is_renamed_and_its_volume_moved() -> None:
    proposals = _bench_module("proposals")
    template = "version: 1\nname: support-triage\nworkload:\n  requests_per_month: 3000000\n"

    text = proposals.proposal_text(template, 42)

    assert text == "version: 1\nname: bench-00042\nworkload:\n  requests_per_month: 3000042\n"


def test_the_benchmark_byte_compiles_the_package_it_measures(monkeypatch: pytest.MonkeyPatch) -> None:
    # As pip does on install, even where PYTHONDONTWRITEBYTECODE keeps Python from writing .pyc files itself.
    import tco_gate.sizing

    monkeypatch.syspath_prepend(str(BENCH))
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    bench_run = _bench_module("run")
    compiled = Path(importlib.util.cache_from_source(tco_gate.sizing.__file__))
    compiled.unlink(missing_ok=True)

    bench_run.compile_measured_package()

    assert compiled.is_file()


def test_cachegrinds_summary_gives_the_instruction_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    counting = _bench_module("instructions")
    summary = "==41== Cachegrind, a cache and branch-prediction profiler\n==41== \n==41== I   refs:   1,244,517,004\n"

    assert counting.parse_refs(summary) == 1_244_517_004
    with pytest.raises(ValueError, match="no `I refs` line"):
        counting.parse_refs("==41== valgrind: failed to start tool 'cachegrind'\n")


@pytest.mark.tools  # slow: valgrind runs a whole check
def test_instructions_are_counted_for_the_process_run(monkeypatch: pytest.MonkeyPatch) -> None:
    valgrind = require_tool("valgrind", via="apt:valgrind")
    monkeypatch.syspath_prepend(str(BENCH))
    counting = _bench_module("instructions")
    measure = _bench_module("measure")
    idle = measure.Command("idle", [sys.executable, "-S", "-c", "pass"], ok_codes=frozenset({0}))
    busy = measure.Command("busy", [sys.executable, "-S", "-c", "for _ in range(10**6): pass"], ok_codes=frozenset({0}))

    first, again, more = (counting.instructions(c, valgrind) for c in (idle, idle, busy))

    assert first > 1_000_000
    assert abs(first - again) < first / 1000  # the same process counts the same, whatever the load
    assert more > first + 10_000_000  # a million loop turns are counted


def test_the_memory_projection_is_the_line_through_two_sizes_never_below_the_larger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    formats = _bench_module("formats")

    assert formats.projected_mib((200, 50.0), (2_000, 140.0), at=10_000) == pytest.approx(540.0)
    assert formats.projected_mib((200, 60.0), (2_000, 58.0), at=10_000) == 58.0


def test_the_issue_table_gives_every_row_measured_in_the_tables_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    bench_run = _bench_module("run")
    target = _bench_module("measure").Target
    measured = [
        target("1,000 proposals / check-jsonschema", 0.7, 0.5, "x"),
        target("pre-commit hook: peak memory", 40.0, 60, " MiB"),  # not a row of the issue's table
        target("--format json: peak memory projected to 10,000", 120.0, 300, " MiB"),
        target("one proposal, explicit prices / import floor, by instructions", 1.9, 1.3, "x"),
        target("one proposal, catalog prices / check-jsonschema", 0.8, 0.7, "x"),
        target("one proposal, explicit prices / import floor", 1.8, 1.3, "x"),
        target("the Action on a one-proposal pull request, install + gate under act", 3.5, 4, " s"),
        target("--format html: peak memory projected to 10,000", 310.0, 300, " MiB"),
        target("one proposal, explicit prices / check-jsonschema", 0.6, 0.5, "x"),
    ]

    lines = bench_run.issue_table(measured)

    assert [line.split(": ")[0].split(maxsplit=1)[1] for line in lines] == [
        "the Action on a one-proposal pull request, install + gate under act",
        "--format json",
        "--format html",
        "one proposal, explicit prices / check-jsonschema",
        "one proposal, explicit prices / import floor, by instructions",
        "one proposal, explicit prices / import floor",
        "one proposal, catalog prices / check-jsonschema",
        "1,000 proposals / check-jsonschema",
    ]
    assert [line.split()[0] for line in lines] == ["met", "met", "GAP", "GAP", "GAP", "GAP", "GAP", "GAP"]
