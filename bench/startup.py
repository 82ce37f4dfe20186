"""Wall time of `tco-gate check` on one example next to importing its three big dependencies.

Run: python bench/startup.py [--runs N]. Prints medians and their ratio, measured in one run on the
same machine, so the ratio holds even where absolute times are noisy. Not a test: nothing here fails.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "support-triage" / "finetune-proposal.yml"
EXPLICIT_PRICES = ROOT / "tests" / "cases" / "valid" / "discounted-36-months" / "finetune-proposal.yml"

COMMANDS = {
    "baseline: python -c 'import yaml, jsonschema, pydantic'": [
        sys.executable,
        "-c",
        "import yaml, jsonschema, pydantic",
    ],
    "tco-gate check (one example, text)": [sys.executable, "-m", "tco_gate", "check", str(EXAMPLE)],
    "tco-gate check (one example, json)": [sys.executable, "-m", "tco_gate", "check", "--format", "json", str(EXAMPLE)],
    "tco-gate check examples/ (three)": [sys.executable, "-m", "tco_gate", "check", str(ROOT / "examples")],
    "tco-gate check, explicit prices (no catalog import)": [
        sys.executable,
        "-m",
        "tco_gate",
        "check",
        str(EXPLICIT_PRICES),
    ],
}


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    for command in COMMANDS.values():  # warm the OS file cache and .pyc files once
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    results = {name: median_seconds(command, runs) for name, command in COMMANDS.items()}
    baseline = next(iter(results.values()))
    print(f"medians of {runs} runs, Python {sys.version.split()[0]}")
    for name, seconds in results.items():
        print(f"  {name:<58} {seconds * 1000:7.1f} ms   x{seconds / baseline:.2f}")


if __name__ == "__main__":
    main()
