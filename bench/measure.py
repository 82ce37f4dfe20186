"""Measuring whole processes: one run's wall time, CPU time, peak memory and exit code, and groups of
commands run interleaved."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024


@dataclass(frozen=True)
class Command:
    label: str
    argv: list[str]
    cwd: Path | None = None
    env: dict[str, str] | None = None
    proposals: int = 1
    ok_codes: frozenset[int] = frozenset({0, 1})
    """Exit codes of a run that did its work: tco-gate exits 1 when a proposal fails, which some do."""


@dataclass
class Runs:
    """Every measured run of one command."""

    command: Command
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)

    @property
    def wall_s(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_s(self) -> float:
        return statistics.median(self.cpu)

    @property
    def rss_mib(self) -> float:
        return max(self.rss) / MIB


@dataclass(frozen=True)
class Target:
    """One of the issue's targets: a measured value against its limit (lower is better)."""

    what: str
    measured: float
    limit: float
    unit: str

    @property
    def met(self) -> bool:
        return self.measured <= self.limit


@dataclass(frozen=True)
class Group:
    """Commands measured together, interleaved; `reference` names the row ratios are taken against."""

    name: str
    commands: list[Command]
    reference: str
    targets: Callable[[dict[str, Runs]], list[Target]]
    repetitions: int
    notes: Callable[[dict[str, Runs]], dict[str, str]] = lambda runs: {}
    run: Callable[[Group], dict[str, Runs]] | None = None
    """How the group is measured when not command by command (act times every step of the Action in one run)."""


# Runs one command and prints its wall seconds, CPU seconds, max RSS and exit code. A child's max RSS starts
# at its parent's (the kernel counts the memory it was forked from), so the command is started from this
# small process rather than from the benchmark, whose own memory would otherwise be every command's floor.
_LAUNCHER = """
import os, sys, time
argv = sys.argv[1:]
null = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=null)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
print(wall, usage.ru_utime + usage.ru_stime, rss, os.waitstatus_to_exitcode(status))
"""


def measure(command: Command) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak RSS in bytes and the exit code of one run of `command`."""
    env = {**os.environ, **command.env} if command.env else None
    launched = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _LAUNCHER, *command.argv],
        cwd=command.cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        check=True,
    )
    wall, cpu, rss, code = launched.stdout.split()
    return float(wall), float(cpu), int(rss), int(code)


def run_group(group: Group, *, warm: bool) -> dict[str, Runs]:
    if group.run is not None:
        return group.run(group)
    runs = {command.label: Runs(command) for command in group.commands}
    if warm:  # .pyc files, the OS file cache and pre-commit's hook install are not the figure
        for command in group.commands:
            measure(command)
    for _ in range(group.repetitions):
        for command in group.commands:
            wall, cpu, rss, code = measure(command)
            record = runs[command.label]
            record.wall.append(wall)
            record.cpu.append(cpu)
            record.rss.append(rss)
            record.codes.append(code)
    return runs


def tool(name: str) -> str | None:
    """An executable beside this Python (the venv's), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)
