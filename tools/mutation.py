"""Mutation testing of the pure core (ledger, verdict, validation) with mutmut, and the score per module.

Run: pip install -e '.[dev,mutation]' && python tools/mutation.py [--jobs N] [--keep] [MODULE ...]
(MODULE: a module under `[tool.mutmut] only_mutate`, as `ledger` or `analysis.serving_steps`, to test only that
module's mutants; all of them by default.)

mutmut copies the package to mutants/, makes one small change at a time (a `>=` becomes `>`, a string
gains `XX`), and runs the tests that reach the changed function. A mutant the tests notice is killed; one
they do not is a survivor: a line no test pins. Which modules and tests take part is `[tool.mutmut]` in
pyproject.toml. It takes minutes, so it is not part of CI. The run is niced and, by default, one worker,
so it does not starve other work on a shared machine.

Score = (killed + timed out) / every mutant. Survivors are listed; `mutmut show NAME` prints the change.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).parent / "mutmut"
# `mutmut results --all true` prints `    tco_gate.ledger.x_build_ledger__mutmut_12: killed`.
_RESULT = re.compile(r"^\s*(?P<name>(?P<module>[\w.]+?)\.x\w*__mutmut_\d+): (?P<status>[\w ]+)$")
_CAUGHT = {"killed", "timeout"}


def scores(results: str) -> tuple[dict[str, Counter[str]], list[str]]:
    """Per module, how many mutants ended in each status; and the names of the survivors."""
    by_module: dict[str, Counter[str]] = {}
    survivors = []
    for line in results.splitlines():
        match = _RESULT.match(line)
        if match is None:
            continue
        by_module.setdefault(match["module"], Counter())[match["status"]] += 1
        if match["status"] not in _CAUGHT:
            survivors.append(f"{match['name']}: {match['status']}")
    return by_module, survivors


def report(by_module: dict[str, Counter[str]]) -> str:
    lines = [f"{'module':<24} {'caught':>7} {'total':>6} {'score':>7}   not caught"]
    for module, counts in sorted(by_module.items()):
        total = sum(counts.values())
        caught = sum(counts[status] for status in _CAUGHT)
        others = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()) if status not in _CAUGHT)
        lines.append(f"{module:<24} {caught:>7} {total:>6} {caught / total:>7.1%}   {others or '-'}")
    return "\n".join(lines)


def _short(module: str) -> str:
    """`tco_gate.analysis.breakeven` as a MODULE argument names it: `analysis.breakeven`."""
    return module.removeprefix("tco_gate.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once (default 1)")
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ from the last run (default: start over)")
    parser.add_argument(
        "modules", nargs="*", metavar="MODULE", help="e.g. ledger or analysis.serving_steps (default: all)"
    )
    args = parser.parse_args()
    if not MUTMUT.exists():
        print("mutmut is not installed: pip install -e '.[dev,mutation]'", file=sys.stderr)
        return 2
    if not args.keep:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    # mutmut's copy is a repository of its own: inside ours, the run layer would find every proposal twice (the
    # copy's and the original's) and refuse the names as clashing.
    (ROOT / "mutants").mkdir(exist_ok=True)
    subprocess.run(["git", "init", "-q"], cwd=ROOT / "mutants", check=True)
    run = subprocess.run(
        ["nice", "-n", "19", str(MUTMUT), "run", "--max-children", str(args.jobs)]
        + [f"tco_gate.{module}.*" for module in args.modules],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    if run.returncode != 0:
        print(f"mutmut run exited {run.returncode}; run it by hand to see why", file=sys.stderr)
        return run.returncode
    results = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    by_module, survivors = scores(results)
    if args.modules:  # the others were generated but not run
        by_module = {name: counts for name, counts in by_module.items() if _short(name) in args.modules}
        survivors = [line for line in survivors if _short(line.split(".x", 1)[0]) in args.modules]
    print(report(by_module))
    if survivors:
        print("\nnot caught (mutmut show NAME prints the change):")
        print("\n".join(f"  {name}" for name in survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
