"""How long the gate takes to refuse hostile input: every case of the invalid corpus, and a billion laughs.

Run: python bench/hostile.py [--runs N]. Each case runs in-process through `tco_gate.cli.main` (imports
and the catalog already warm), so the figure is the gate's own work on that file. Refusing a file should
take milliseconds: the budgets printed beside the figures (1 s a case, 0.5 s for the billion laughs) are
what the test suite once asserted; they live here now because a timed assert fails on a busy machine,
not on a slow gate. Not a test: nothing here fails.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tco_gate.cli import main as tco_gate_main
from tco_gate.errors import InputError
from tco_gate.loader import load

ROOT = Path(__file__).resolve().parent.parent
INVALID_CASES = ROOT / "tests" / "cases" / "invalid"
CASE_BUDGET_S = 1.0
LAUGHS_BUDGET_S = 0.5


def billion_laughs() -> bytes:
    """Nine levels of ten aliases each: 10^9 nodes if a loader expanded them."""
    levels = ['lol0: &lol0 "lol"']
    levels += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]" for i in range(1, 10)]
    return ("\n".join(levels) + "\n").encode()


def median_seconds(action: Callable[[], object], runs: int) -> float:
    action()  # warm: first-use imports and caches are not the figure
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def refuse_laughs() -> None:
    try:
        load(billion_laughs())
    except InputError:
        return
    raise SystemExit("the billion laughs loaded: the loader no longer refuses aliases")


def check_case(case: Path) -> Callable[[], object]:
    (proposal,) = [p for p in case.iterdir() if p.name.startswith("finetune-proposal.")]

    def run() -> int:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return tco_gate_main(["check", str(proposal)])

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    runs = parser.parse_args().runs
    os.chdir(ROOT)
    cases = sorted(p for p in INVALID_CASES.iterdir() if p.is_dir())
    figures = {case.name: median_seconds(check_case(case), runs) for case in cases}
    laughs = median_seconds(refuse_laughs, runs)

    print(f"medians of {runs} runs, Python {sys.version.split()[0]}, {len(cases)} invalid cases")
    print(f"  all cases: median {statistics.median(figures.values()) * 1000:.1f} ms")
    for name, seconds in sorted(figures.items(), key=lambda item: -item[1])[:5]:
        over = "  OVER BUDGET" if seconds > CASE_BUDGET_S else ""
        print(f"  slowest: {name:<40} {seconds * 1000:7.1f} ms (budget {CASE_BUDGET_S * 1000:.0f} ms){over}")
    over = "  OVER BUDGET" if laughs > LAUGHS_BUDGET_S else ""
    print(f"  billion laughs refused in {laughs * 1000:.2f} ms (budget {LAUGHS_BUDGET_S * 1000:.0f} ms){over}")


if __name__ == "__main__":
    main()
