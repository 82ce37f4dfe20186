"""Mutation testing of the pure stages (pure modules, `analysis/`, `evidence/`) with mutmut, one module at a time.

Run: pip install -e '.[dev,mutation]' && python tools/mutation.py [--jobs N] [--fail-under PCT] MODULE ...
e.g. `python tools/mutation.py tco_gate/analysis/flip.py --fail-under 95` (or `analysis.flip` for short);
`--list` names every module in scope.

mutmut makes one small change at a time (a `>=` becomes `>`, a string gains `XX`) in a copy of the repository,
mutants/, and runs only the tests that reach the changed function (it maps tests to functions once, with the
whole quick suite, and keeps the map in mutants/ for the next run). A mutant the tests notice is killed; one
they do not is a survivor: a line no test pins, unless the change cannot alter any behaviour at all (an
equivalent mutant). Equivalent mutants are listed, each with why, in tools/mutation_equivalent.toml, matched
by the line the mutant changes, so the list survives mutmut renumbering its mutants. Before each run this
copies every file git tracks into mutants/ and makes it a git repository of its own, so the tests see what
they see here.

Score = killed (timeouts included) / (every mutant − the equivalent ones). Which modules can be mutated and
which tests take part is `[tool.mutmut]` in pyproject.toml. It takes minutes per module, so it is not part of
CI; the run is niced and, by default, one worker, so it does not starve other work on a shared machine.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from resource import RUSAGE_CHILDREN, getrusage

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).parent / "mutmut"
EQUIVALENT = ROOT / "tools" / "mutation_equivalent.toml"
# `mutmut results --all true` prints `    tco_gate.ledger.x_build_ledger__mutmut_12: killed`.
_RESULT = re.compile(r"^\s*(?P<name>\S+__mutmut_\d+): (?P<status>[\w ]+)$")
_CAUGHT = {"killed", "timeout", "caught by type check"}
ANY_CHANGE = "*"  # an entry's `now` for a line no input reaches: every mutant of it is equivalent
_NOT_RUN = "not checked"  # generated but not tested (yet, or not in the sample): not counted
_SEPARATOR = "\N{LATIN LETTER LATERAL CLICK}"  # mutmut's `ǁ` between a class and its method in a mutant's name


@dataclass(frozen=True)
class Equivalent:
    """A mutant that cannot change any behaviour: where it is, the line it changes, and why it changes nothing."""

    module: str
    function: str
    was: str
    now: str
    why: str


@dataclass(frozen=True)
class Mutant:
    name: str
    status: str
    removed: str = ""  # the lines the mutant changes, as they were (stripped, joined by a newline)
    added: str = ""  # and as the mutant writes them

    @property
    def function(self) -> str:
        """`Class.method` or `function`, from mutmut's name for the mutant."""
        mangled = self.name.partition("__mutmut_")[0].rpartition(".")[2]
        if _SEPARATOR in mangled:  # `xǁClassǁmethod`
            return ".".join(mangled.split(_SEPARATOR)[1:])
        return mangled.removeprefix("x_")


@dataclass(frozen=True)
class Score:
    module: str
    mutants: int
    killed: int
    survivors: tuple[Mutant, ...]  # neither killed nor equivalent
    equivalent: tuple[tuple[Mutant, Equivalent], ...]

    @property
    def score(self) -> float:
        """Killed / the mutants that can change behaviour (1.0 when none can)."""
        counted = self.mutants - len(self.equivalent)
        return self.killed / counted if counted else 1.0


def dotted(module: str) -> str:
    """`tco_gate/analysis/flip.py` -> `tco_gate.analysis.flip` (a package's `__init__.py` -> the package)."""
    return module.removesuffix(".py").replace("/", ".").removesuffix(".__init__")


def as_path(name: str) -> str:
    """A module as the command line names it: a path (`tco_gate/analysis/flip.py`) or a dotted name from the
    package (`analysis.flip`, or `tco_gate.analysis.flip`), as a path from the repository root."""
    if name.endswith(".py"):
        return name
    return "tco_gate/" + name.removeprefix("tco_gate.").replace(".", "/") + ".py"


def mutant_glob(module: str) -> str:
    """The mutants of one module: every mutated function's name starts with `x` (`x_f`, or `xǁClassǁmethod`)."""
    return f"{dotted(module)}.x*"


def in_module(name: str, module: str) -> bool:
    return fnmatch.fnmatchcase(name, mutant_glob(module))


def results(text: str, module: str) -> list[Mutant]:
    """The mutants of `module` in the output of `mutmut results --all true`, with their status."""
    found = []
    for line in text.splitlines():
        match = _RESULT.match(line)
        if match is not None and in_module(match["name"], module):
            found.append(Mutant(match["name"], match["status"].strip()))
    return found


def changed_lines(diff: str) -> tuple[str, str]:
    """The lines a unified diff removes and adds, each stripped, joined by newlines."""
    removed, added = [], []
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            removed.append(line[1:].strip())
        elif line.startswith("+"):
            added.append(line[1:].strip())
    return "\n".join(removed), "\n".join(added)


def load_equivalent(text: str) -> list[Equivalent]:
    return [Equivalent(**entry) for entry in tomllib.loads(text).get("equivalent", [])]


def matching(mutant: Mutant, module: str, known: Iterable[Equivalent]) -> Equivalent | None:
    for entry in known:
        same_place = entry.module == module and entry.function == mutant.function
        if same_place and entry.was == mutant.removed and entry.now in (ANY_CHANGE, mutant.added):
            return entry
    return None


def score(module: str, mutants: Sequence[Mutant], known: Sequence[Equivalent]) -> Score:
    """Count `mutants` (their changed lines filled in for the ones not caught) against the equivalent ones;
    a mutant not tested is not counted at all."""
    mutants = [m for m in mutants if m.status != _NOT_RUN]
    killed = sum(1 for m in mutants if m.status in _CAUGHT)
    survivors, equivalent = [], []
    for mutant in (m for m in mutants if m.status not in _CAUGHT):
        entry = matching(mutant, module, known)
        if entry is None:
            survivors.append(mutant)
        else:
            equivalent.append((mutant, entry))
    return Score(module, len(mutants), killed, tuple(survivors), tuple(equivalent))


def stale(module: str, scored: Score, known: Sequence[Equivalent]) -> list[Equivalent]:
    """Entries of `module` that no surviving mutant matches any more (killed now, or the code changed)."""
    used = {id(entry) for _, entry in scored.equivalent}
    return [e for e in known if e.module == module and id(e) not in used]


def report(scored: Score, fail_under: float | None) -> str:
    counted = scored.mutants - len(scored.equivalent)
    line = (
        f"{scored.module}: {scored.mutants} mutants, {scored.killed} killed, {len(scored.survivors)} survived, "
        f"{len(scored.equivalent)} equivalent: {scored.score:.1%} of {counted} non-equivalent killed"
    )
    if fail_under is not None and scored.score * 100 < fail_under:
        line += f" (under {fail_under:g}%)"
    lines = [line]
    for mutant in scored.survivors:
        lines.append(f"  survived [{mutant.status}] {mutant.name} in {mutant.function}:")
        lines += [f"      - {text}" for text in mutant.removed.splitlines()]
        lines += [f"      + {text}" for text in mutant.added.splitlines()]
    uses = Counter(id(entry) for _, entry in scored.equivalent)
    for mutant, entry in scored.equivalent:
        lines.append(f"  equivalent {mutant.name} in {mutant.function}: {entry.why}")
        if uses[id(entry)] > 1:  # the same change on two lines of one function: is each really equivalent?
            lines.append(f"    (this entry matches {uses[id(entry)]} survivors: check each with mutmut show)")
    return "\n".join(lines)


def settings() -> dict[str, list[str]]:
    config: dict[str, list[str]] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "mutmut"
    ]
    return config


def in_scope(config: dict[str, list[str]]) -> list[str]:
    """Every module `[tool.mutmut] only_mutate` lets mutmut mutate, as paths from the repository root."""
    paths = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "tco_gate").rglob("*.py"))
    return [p for p in paths if any(fnmatch.fnmatchcase(p, pattern) for pattern in config["only_mutate"])]


def replicate(root: Path, copy: Path, sources: Sequence[str]) -> int:
    """Make `copy` a git repository of what `root` tracks: every tracked file (its copy refreshed where it
    differs, outside `sources`, which mutmut keeps itself), and git's index listing exactly those files.

    mutmut runs the tests in its copy, inside this repository's work tree: without a repository of its own the
    copy's proposals would share the repository (and its names) with the originals. Returns the files copied.
    """
    tracked = [p for p in _git(root, "ls-files", "-z").split("\0") if p]
    if not (copy / ".git").exists():
        copy.mkdir(parents=True, exist_ok=True)
        _git(copy, "init", "-q")
    copied = 0
    for path in tracked:
        source, target = root / path, copy / path
        if not source.is_file():  # deleted in the work tree, not yet in git
            continue
        ours = any(path.startswith(f"{folder}/") for folder in sources)
        if target.exists() and (ours or target.read_bytes() == source.read_bytes()):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)  # keeps the time: mutmut mutates a source file whose copy has its time
        copied += 1
    (copy / ".git" / "index").unlink(missing_ok=True)
    present = [p for p in tracked if (copy / p).is_file()]
    subprocess.run(
        ["git", "add", "-f", "--pathspec-from-file=-", "--pathspec-file-nul"],
        cwd=copy,
        input="\0".join(present),
        text=True,
        check=True,
    )
    return copied


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout


def sample(names: Sequence[str], every: int) -> list[str]:
    """Every `every`-th of `names` in the order of their functions, then their numbers: a spread over the whole
    module that is the same on every run of the same code."""

    def place(name: str) -> tuple[str, int]:
        function, _, number = name.rpartition("__mutmut_")
        return function, int(number)

    return sorted(names, key=place)[::every]


def _listed(module: str) -> list[str]:
    """The names of the mutants of `module` that mutmut has generated."""
    listed = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [m.name for m in results(listed, module)]


def run_module(module: str, jobs: int, names: Sequence[str] = ()) -> bool:
    """Test the mutants `names` of `module` (all of them by default); False (with the end of mutmut's log) if
    mutmut failed."""
    log = ROOT / "mutants" / f"{dotted(module)}.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("a", encoding="utf-8") as out:
        run = subprocess.run(
            ["nice", "-n", "19", str(MUTMUT), "run", "--max-children", str(jobs), *(names or [mutant_glob(module)])],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if run.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        print(f"mutmut run exited {run.returncode} on {module}; the end of {log}:", file=sys.stderr)
        print("\n".join(tail), file=sys.stderr)
    return run.returncode == 0


def scored(module: str, known: Sequence[Equivalent], only: Sequence[str] = ()) -> Score:
    """The score of `module` (of the mutants `only`, if given) from the results mutmut keeps in mutants/."""
    listed = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    mutants = []
    for mutant in results(listed, module):
        if only and mutant.name not in only:
            continue
        if mutant.status not in _CAUGHT:
            shown = subprocess.run(
                [str(MUTMUT), "show", mutant.name], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
            removed, added = changed_lines(shown)
            mutant = Mutant(mutant.name, mutant.status, removed, added)
        mutants.append(mutant)
    return score(module, mutants, known)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "modules", nargs="*", metavar="MODULE", help="e.g. tco_gate/analysis/flip.py, or analysis.flip for short"
    )
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once (default 1)")
    parser.add_argument("--fail-under", type=float, metavar="PCT", help="exit 1 if a module scores under PCT%%")
    parser.add_argument("--fresh", action="store_true", help="delete mutants/ first (default: reuse its test map)")
    parser.add_argument("--list", action="store_true", help="print the modules in scope and exit")
    parser.add_argument(
        "--sample", type=int, default=1, metavar="K", help="test and score only every K-th mutant of each module"
    )
    parser.add_argument(
        "--no-run", action="store_true", help="score the results kept in mutants/ (after `mutmut run NAME` by hand)"
    )
    args = parser.parse_args(argv)
    args.modules = [as_path(name) for name in args.modules]
    config = settings()
    scope = in_scope(config)
    if args.list:
        print("\n".join(scope))
        return 0
    problems = [
        f"{m}: not a module [tool.mutmut] only_mutate lets mutmut mutate" for m in args.modules if m not in scope
    ]
    if args.sample < 1:
        problems.append("--sample takes a whole number of at least 1")
    if not MUTMUT.exists():
        problems.append("mutmut is not installed: pip install -e '.[dev,mutation]'")
    if not args.modules:
        problems.append("name at least one module (--list names them)")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    if args.fresh:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    if not args.no_run:
        replicate(ROOT, ROOT / "mutants", config["source_paths"])
    known = load_equivalent(EQUIVALENT.read_text(encoding="utf-8"))
    failed = False
    for module in args.modules:
        started = time.monotonic()
        if not args.no_run:
            (ROOT / "mutants" / f"{dotted(module)}.log").unlink(missing_ok=True)
        chosen: list[str] = []
        if args.sample > 1:
            # mutmut generates every mutant on its first run: a fresh one starts with each function's first
            first = [f"{mutant_glob(module)}__mutmut_1"]
            if not _listed(module) and not args.no_run and not run_module(module, args.jobs, first):
                return 2
            chosen = sample(_listed(module), args.sample)
        if not args.no_run and not run_module(module, args.jobs, chosen):
            return 2
        result = scored(module, known, chosen)
        if chosen:
            print(f"(a sample, one mutant in {args.sample}: {len(chosen)} of {len(_listed(module))})")
        print(report(result, args.fail_under))
        for entry in stale(module, result, known) if not chosen else ():
            print(f"  no longer survives (remove it from {EQUIVALENT.name}): {entry.function}: {entry.was!r}")
        used = getrusage(RUSAGE_CHILDREN)
        print(f"  {time.monotonic() - started:.0f} s; CPU so far {used.ru_utime + used.ru_stime:.0f} s", flush=True)
        failed = failed or (args.fail_under is not None and result.score * 100 < args.fail_under)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
