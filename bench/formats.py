"""Peak memory of every report format, at two run sizes, projected to 10,000 proposals.

One group per format: `tco-gate check --format F` (one worker a core, the default) over 200 and over 2,000
generated proposals, writing to a file as a CI job would. Peak memory grows with what the run keeps per
proposal, so the line through the two sizes, carried to 10,000, is the projection the target is held to
(a 10,000-proposal run of every format would take longer than the whole benchmark may). The size of the
written report is printed beside it.
"""

from __future__ import annotations

from pathlib import Path

from measure import MIB, Command, Group, Runs, Target
from proposals import write_proposals

FORMATS = ("text", "json", "markdown", "html", "sarif", "junit", "gitlab", "github")
PROJECTED = 10_000
LIMIT_MIB = 300


def projected_mib(small: tuple[int, float], large: tuple[int, float], at: int = PROJECTED) -> float:
    """Peak MiB at `at` proposals on the line through (proposals, MiB) measured at two sizes; never below the
    larger run's own peak (a process does not shrink as it is given more)."""
    (n1, m1), (n2, m2) = small, large
    return max(m2, m2 + (m2 - m1) * (at - n2) / (n2 - n1))


def format_groups(folder: Path, tco_gate: list[str], *, quick: bool, repetitions: int) -> list[Group]:
    sizes = (40, 80) if quick else (200, 2_000)  # both past the size a run gets workers at (32)
    folders = {}
    for size in sizes:
        folders[size] = folder / f"formats-{size}"
        write_proposals(folders[size], size)
    return [_group(name, folder, folders, tco_gate, repetitions) for name in FORMATS]


def _group(name: str, folder: Path, folders: dict[int, Path], tco_gate: list[str], repetitions: int) -> Group:
    labels = {size: f"--format {name}, {size:,} proposals" for size in folders}
    outputs = {size: folder / f"report-{name}-{size}" for size in folders}
    commands = [
        Command(label, [*tco_gate, "check", "--format", name, "--output", str(outputs[size]), str(folders[size])])
        for size, label in labels.items()
    ]
    small, large = sorted(folders)

    def projection(runs: dict[str, Runs]) -> float:
        return projected_mib((small, runs[labels[small]].rss_mib), (large, runs[labels[large]].rss_mib), at=PROJECTED)

    def notes(runs: dict[str, Runs]) -> dict[str, str]:
        found = {}
        for size, label in labels.items():
            written = outputs[size].stat().st_size / MIB if outputs[size].exists() else 0.0
            found[label] = f"{written:.1f} MiB written"
        found[labels[large]] += f"; {projection(runs):.0f} MiB peak projected to {PROJECTED:,}"
        return found

    def targets(runs: dict[str, Runs]) -> list[Target]:
        return [Target(f"--format {name}: peak memory projected to {PROJECTED:,}", projection(runs), LIMIT_MIB, " MiB")]

    return Group(f"memory: --format {name}", commands, labels[small], targets, repetitions, notes)
