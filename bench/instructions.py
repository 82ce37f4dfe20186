"""Instructions each one-proposal command executes, counted by valgrind: a figure that load does not move.

Run: python bench/instructions.py [--json FILE]   (needs valgrind: apt-get install valgrind)

On a shared machine wall and CPU times move with whatever else runs, by more than a start-up change is
worth; the number of instructions a process executes does not (with PYTHONHASHSEED fixed it repeats to
well under 0.1%). This counts them with valgrind's cachegrind, as a count only (`--cache-sim=no`), for the
commands of bench/run.py's one-proposal groups (tco-gate check with explicit and with catalog prices,
check-jsonschema on the same files, the import floor) and prints them with the same ratios and targets.
An instruction is not a nanosecond (a cache miss costs more than an add), so these ratios are a proxy
for the time ratios: compare commits and changes with them, and report times from bench/run.py. Like
bench/run.py, it byte-compiles the tco_gate package first, as pip does on install.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from measure import Command, Group, Runs
from run import commit, compile_measured_package
from scenarios import Scenarios

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def parse_refs(report: str) -> int:
    """The instruction count from cachegrind's summary (`==123== I refs: 1,234,567`)."""
    found = _REFS.search(report)
    if found is None:
        raise ValueError(f"no `I refs` line in valgrind's report:\n{report}")
    return int(found.group(1).replace(",", ""))


def instructions(command: Command, valgrind: str) -> int:
    """Instructions the command's own process executes (not its children), with a fixed hash seed."""
    done = subprocess.run(
        [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *command.argv],
        cwd=command.cwd,
        env={**os.environ, **(command.env or {}), "PYTHONHASHSEED": "0"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode not in command.ok_codes:
        raise SystemExit(f"bench: exit {done.returncode} from {' '.join(command.argv)}:\n{done.stderr}")
    return parse_refs(done.stderr)


def counted(group: Group, valgrind: str) -> dict[str, Runs]:
    """Each command's count, held where bench/run.py holds a time, so the group's own ratios apply."""
    runs = {}
    for command in group.commands:
        count = float(instructions(command, valgrind))
        runs[command.label] = Runs(command, wall=[count], cpu=[count], rss=[0], codes=[0])
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="also write the counts as JSON to FILE")
    args = parser.parse_args(argv)
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("bench: valgrind is not installed (apt-get install valgrind)")
    compile_measured_package()
    report: list[dict[str, object]] = []
    print(f"tco-gate instruction counts: commit {commit()}, Python {sys.version.split()[0]}, valgrind cachegrind")
    with tempfile.TemporaryDirectory(prefix="tco-gate-instructions-") as temp:
        scenarios = Scenarios(Path(temp), quick=False, repetitions=1)
        for group in (scenarios.one_explicit(), scenarios.one_catalog()):
            runs = counted(group, valgrind)
            reference = runs[group.reference].wall_s
            print(f"{group.name}  (ratio = instructions / {group.reference})")
            for label, record in runs.items():
                print(f"  {label:<44} {record.wall_s / 1e6:10.1f} M {record.wall_s / reference:7.2f}x")
            # The memory targets need bench/run.py's peak RSS; the ratios are what a count can stand for.
            ratios = [t for t in group.targets(runs) if t.unit == "x"]
            for target in ratios:
                verdict = "met " if target.met else "GAP "
                print(f"  {verdict} {target.what}: {target.measured:.2f}x (target: at most {target.limit:g}x)")
            report.append(
                {
                    "group": group.name,
                    "reference": group.reference,
                    "instructions": {label: int(record.wall_s) for label, record in runs.items()},
                    "targets": [{"what": t.what, "measured": round(t.measured, 3), "limit": t.limit} for t in ratios],
                }
            )
    if args.json is not None:
        document = {"commit": commit(), "python": sys.version.split()[0], "groups": report}
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
