"""What ranges cost: `tco-gate check` on one proposal with its ranges, and on the same proposal with each
range replaced by its `likely` value, as whole processes, interleaved run by run.

Run: python bench/ranges.py [--runs N] [--draws N]. Prints both medians and their ratio, plus the
process CPU time of each, measured in one sitting so machine load hits both alike. Also prints the
cost of `import numpy` (when installed), the floor of any numpy-based sampler. Not a test: nothing fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "catalog-enricher" / "finetune-proposal.yml"

sys.path.insert(0, str(ROOT))
from tco_gate.analysis.ranges import extract_ranges  # noqa: E402
from tco_gate.loader import load  # noqa: E402


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def both_forms(source: Path, folder: Path) -> tuple[Path, Path]:
    """The proposal as written and with every range replaced by its `likely` value, both written the
    same way (JSON, which is YAML 1.2), so the two runs differ by the ranges alone."""
    document = load(source.read_bytes())
    point, ranges = extract_ranges(document)
    assert ranges, "the example writes no range"
    paths = []
    for name, data in (("ranges", document.data), ("point", point.data)):
        target = folder / name / "finetune-proposal.yml"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(_plain(data), indent=2) + "\n", encoding="utf-8")
        paths.append(target)
    return paths[0], paths[1]


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and the child's CPU seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--draws", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ranged, plain = both_forms(EXAMPLE, Path(folder))
        check = [sys.executable, "-m", "tco_gate", "check", "--format", "json", "--draws", str(args.draws)]
        commands = {"with ranges": [*check, str(ranged)], "point estimate only": [*check, str(plain)]}
        if importlib.util.find_spec("numpy") is not None:
            commands["python -c 'import numpy'"] = [sys.executable, "-c", "import numpy"]
        commands["python -c 'pass'"] = [sys.executable, "-c", "pass"]
        for command in commands.values():  # warm the file cache and .pyc files
            timed(command)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved: whatever else the machine does hits every command alike
            for name, command in commands.items():
                wall, cpu = timed(command)
                walls[name].append(wall)
                cpus[name].append(cpu)
    print(f"medians of {args.runs} interleaved runs, {args.draws:,} draws, Python {sys.version.split()[0]}")
    for name in commands:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"  {name:<28} wall {wall * 1000:7.1f} ms   cpu {cpu * 1000:7.1f} ms")
    ratio = statistics.median(walls["with ranges"]) / statistics.median(walls["point estimate only"])
    cpu_ratio = statistics.median(cpus["with ranges"]) / statistics.median(cpus["point estimate only"])
    print(f"  ranges / point estimate: wall x{ratio:.3f}, cpu x{cpu_ratio:.3f}")


if __name__ == "__main__":
    main()
