"""tco-gate against the tools people would otherwise run, as whole processes: time, CPU and peak memory.

Run: python bench/run.py [--quick] [--repetitions N] [--json FILE]

Each group's commands run interleaved (A B C A B C ...) after one warm-up run each, and every figure is a
median over the repetitions, so load from other work on the machine hits every command of a group alike:
the ratios hold where the absolute times do not. CPU time (user + system) is printed beside the wall time
because it is what load disturbs least. Peak memory is the process's max RSS as os.wait4 reports it, which
includes the processes it waited for (pre-commit's hook). The table is printed and written as JSON so runs
can be compared across commits. The targets are printed as met or not, never enforced: `--quick` (few
repetitions, small fixtures), which CI runs, only proves that the benchmark still runs; it fails when a
command exits with a code it should not. A whole run (no `--quick`, no `--only`) also counts the one-proposal
commands' instructions under valgrind (bench/instructions.py), ratios that load does not move, and ends with
the issue's table: every row it measured, in the table's order, with its target and whether it is met.

Before timing, the tco_gate package the benchmark runs is byte-compiled (`compileall`), as pip does when it
installs a wheel. A development checkout is usually an editable install, and where PYTHONDONTWRITEBYTECODE
is set (some CI images and containers set it) Python never writes .pyc files for it, so every run would
recompile each tco_gate module from source (about 70 ms) while check-jsonschema and the import floor load
the .pyc files pip wrote for them: that would measure the checkout, not tco-gate as users install it.
`__pycache__` is ignored by git.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from measure import Group, Runs, Target, run_group
from proposals import ROOT
from scenarios import Scenarios


def broken_runs(runs: dict[str, Runs]) -> list[str]:
    """A line for each command that exited with a code that means it did not do its work."""
    return [
        f"{label}: exit {code} (expected one of {sorted(record.command.ok_codes)}): {' '.join(record.command.argv)}"
        for label, record in runs.items()
        for code in sorted(set(record.codes) - record.command.ok_codes)
    ]


def table(group: Group, runs: dict[str, Runs]) -> list[str]:
    reference = runs[group.reference]
    notes = group.notes(runs)
    lines = [f"{group.name}  (medians of {group.repetitions}; ratio = wall time / {group.reference})"]
    for label, record in runs.items():
        ratio = record.wall_s / reference.wall_s
        cpu = f"{record.cpu_s * 1000:9.1f}" if not math.isnan(record.cpu_s) else f"{'-':>9}"
        rss = f"{record.rss_mib:8.1f}" if record.rss_mib else f"{'-':>8}"
        lines.append(
            f"  {label:<44} {record.wall_s * 1000:9.1f} {cpu} {rss} {ratio:7.2f}x  {notes.get(label, '')}".rstrip()
        )
    return lines


# The issue's table, row by row, in its order: a part of the `what` of the targets that measure each row.
ISSUE_ROWS = (
    "the Action on a one-proposal pull request",
    "peak memory projected to",
    "explicit prices / check-jsonschema",
    "explicit prices / import floor",
    "catalog prices / check-jsonschema",
    "proposals / check-jsonschema",
)


def issue_table(targets: Sequence[Target]) -> list[str]:
    """Every row of the issue's table that this run measured, in the table's order, each against its target."""
    return [target_line(target) for row in ISSUE_ROWS for target in targets if row in target.what]


def counted_groups(scenarios: Scenarios) -> list[tuple[Group, dict[str, Runs]]]:
    """The one-proposal groups again, each command's instructions counted by valgrind (bench/instructions.py):
    ratios that load on the machine does not move. None where valgrind is not installed."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("bench: valgrind is not installed: no instruction counts (apt-get install valgrind)")
        return []
    from instructions import counted  # it imports this module's helpers

    found = []
    for group in (scenarios.one_explicit(), scenarios.one_catalog()):

        def ratios(runs: dict[str, Runs], timed: Group = group) -> list[Target]:
            # The ratio targets, in instructions; a memory target needs a peak RSS, which a count has not.
            return [replace(t, what=f"{t.what}, by instructions") for t in timed.targets(runs) if t.unit == "x"]

        by_count = replace(group, name=f"{group.name}, by instructions (valgrind)", targets=ratios)
        found.append((by_count, counted(by_count, valgrind)))
    return found


def counted_table(group: Group, runs: dict[str, Runs]) -> list[str]:
    reference = runs[group.reference].wall_s
    lines = [f"{group.name}  (ratio = instructions / {group.reference})"]
    lines += [
        f"  {label:<44} {record.wall_s / 1e6:9.1f} M instructions {record.wall_s / reference:7.2f}x"
        for label, record in runs.items()
    ]
    return lines


def counted_json(group: Group, runs: dict[str, Runs]) -> dict[str, object]:
    return {
        "group": group.name,
        "reference": group.reference,
        "instructions": {label: int(record.wall_s) for label, record in runs.items()},
        "targets": [
            {"what": t.what, "measured": round(t.measured, 3), "limit": t.limit, "unit": t.unit, "met": t.met}
            for t in group.targets(runs)
        ],
    }


def target_line(target: Target) -> str:
    verdict = "met " if target.met else "GAP "
    limit = f"at most {target.limit:g}{target.unit}"
    return f"  {verdict} {target.what}: {target.measured:.2f}{target.unit} (target: {limit})"


def as_json(group: Group, runs: dict[str, Runs]) -> dict[str, object]:
    reference = runs[group.reference]
    return {
        "group": group.name,
        "reference": group.reference,
        "repetitions": group.repetitions,
        "commands": [
            {
                "label": label,
                "argv": record.command.argv,
                "proposals": record.command.proposals,
                "median_wall_ms": round(record.wall_s * 1000, 1),
                "median_cpu_ms": None if math.isnan(record.cpu_s) else round(record.cpu_s * 1000, 1),
                "max_rss_mib": round(record.rss_mib, 1),
                "ratio_to_reference": round(record.wall_s / reference.wall_s, 3),
                "wall_ms": [round(w * 1000, 1) for w in record.wall],
                "exit_codes": record.codes,
                "note": group.notes(runs).get(label, ""),
            }
            for label, record in runs.items()
        ],
        "targets": [
            {"what": t.what, "measured": round(t.measured, 3), "limit": t.limit, "unit": t.unit, "met": t.met}
            for t in group.targets(runs)
        ],
    }


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True)
    return found.stdout.strip() + ("+changes" if dirty.stdout.strip() else "") if found.returncode == 0 else "unknown"


def compile_measured_package() -> None:
    """Byte-compile the tco_gate package this Python imports, as `pip install` would (see the docstring)."""
    found = subprocess.run(
        [sys.executable, "-c", "import importlib.util; print(importlib.util.find_spec('tco_gate').origin)"],
        capture_output=True,
        text=True,
        check=True,
    )
    package = Path(found.stdout.strip()).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one repetition, small fixtures: proves it runs")
    parser.add_argument("--repetitions", type=int, help="runs per command (default 9; 3 for the large runs)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json", help="where to write the table")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT", help="only groups naming TEXT")
    args = parser.parse_args(argv)
    repetitions = args.repetitions or (1 if args.quick else 9)
    compile_measured_package()
    with tempfile.TemporaryDirectory(prefix="tco-gate-bench-") as temp:
        scenarios = Scenarios(Path(temp), quick=args.quick, repetitions=repetitions)
        groups = [g for g in scenarios.groups() if not args.only or any(t in g.name for t in args.only)]
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"tco-gate benchmark: commit {commit()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"load {load:.1f}; whole processes, interleaved\n"
            f"  {'command':<44} {'wall ms':>9} {'cpu ms':>9} {'RSS MiB':>8} {'ratio':>8}"
        )
        report: list[dict[str, object]] = []
        targets: list[Target] = []
        broken: list[str] = []
        for group in groups:
            runs = run_group(group, warm=not args.quick)
            print("\n".join(table(group, runs)), flush=True)
            report.append(as_json(group, runs))
            targets += group.targets(runs)
            broken += broken_runs(runs)
        if not args.quick and not args.only:
            for group, counts in counted_groups(Scenarios(Path(temp) / "counted", quick=False, repetitions=1)):
                print("\n".join(counted_table(group, counts)), flush=True)
                report.append(counted_json(group, counts))
                targets += group.targets(counts)
        print("the issue's table (every row this run measured; ratios of medians, or of instruction counts)")
        print("\n".join(issue_table(targets)))
        print("every target (ratios of medians from this run)")
        print("\n".join(target_line(t) for t in targets))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "commit": commit(),
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load_average": load,
                "quick": args.quick,
                "groups": report,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written: {args.json}")
    for line in broken:
        print(f"bench: a command did not do its work: {line}", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
