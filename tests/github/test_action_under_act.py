"""The Action run for real by act (nektos/act, `-P ubuntu-latest=-self-hosted`: the steps run on this host).

act brings its own implementation of expressions, `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY` and workflow
commands, and copies the local repository for `actions/checkout`. Nothing can be downloaded here, so:
the README's workflow runs as written, its `OWNER/tco-gate@<sha>` being this working copy (through
`--local-repository`); `actions/setup-python` is the local stand-in in tests/act/setup-python, which gives the
machine's own Python as `python-path`; pip installs
uv's hash-pinned wheel and uv the hash-pinned lock, both with `--require-hashes`, from a wheelhouse downloaded
once per session; and
`GITHUB_API_URL` points at tests/fake_github.py, a local server that answers as GitHub's REST API documents.

The repository under test is a shallow clone (one commit deep) whose `origin` is a local bare repository, so
the Action must fetch the base commit by its SHA. Two act runs on one pull request cover every case:
run 1 loosens the policy, adds its own waiver, edits the workflow, deletes a proposal, adds an invalid,
hostile one and files that would run its own code at install or in place of the gate if either read the
checkout (a `pip` and a `tco_gate` package at the root, a `uv.toml` uv cannot parse); run 2 (a force-push)
changes one of three proposals only, and updates the sticky comment.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tco_gate.github.comment import MARKER
from tests.fake_github import BOT, State, serve
from tests.gitrepo import git
from tests.paths import EXAMPLES, ROOT, TESTS
from tests.tools import require_tool

ACTION_SHA = "0" * 40  # the README's placeholder for the SHA of a release tag
SETUP_PYTHON = "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97"
TOKEN = "ghs_bot_token"
STRICT = "version: 1\nmin_savings_pct: 10\n"
LOOSE = (
    "version: 1\nmin_savings_pct: -1000\nwaivers:\n"
    '  - {proposal: support-triage, reason: "approved by us", approved_by: "@us", expires: 2099-01-01}\n'
)
pytestmark = pytest.mark.tools  # slow: act runs the Action in a container

# The README's copy-paste workflow as written (pinned to the placeholder SHA, which act maps to this working copy),
# and one step after it that keeps the report, since act removes RUNNER_TEMP when the job ends.
KEEP_REPORT_STEP = """\
      - name: keep the report (act removes RUNNER_TEMP when the job ends)
        if: always()
        env:
          REPORT: ${{ steps.gate.outputs.report }}
        run: cp -- "$REPORT" "$KEEP_REPORT"
"""


def _readme_workflow() -> str:
    found = re.search(r"<!-- action-workflow -->\n```yaml\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    assert found, "README lost its copy-paste workflow"
    workflow = found.group(1)
    assert f"uses: OWNER/tco-gate@{ACTION_SHA} " in workflow and "id: gate" in workflow
    return workflow + KEEP_REPORT_STEP


WORKFLOW = _readme_workflow()
# A proposal whose keys, values and text try to reach the runner as commands, outputs or mentions.
HOSTILE = """\
version: 1
name: "evil\\n::error::pwned"
owner: "@everyone"
summary: "line\\n::set-output name=verdict::pass\\n::warning::injected"
"::error file=x,line=1::pwned": 1
"verdict<<ghadelimiter_x": 2
"""

# Files of the pull request's own that would run in place of pip or of the gate, or break uv, if the Action's
# Python put the checkout on sys.path or uv read its configuration there.
TRAPPED = "the pull request's own code ran"
_TRAP = f'print("{TRAPPED}")\nprint("::set-output name=verdict::pass")\nraise SystemExit(0)\n'
CHECKOUT_TRAPS = {
    "pip/__init__.py": "",
    "pip/__main__.py": _TRAP,
    "tco_gate/__init__.py": "",
    "tco_gate/github/__init__.py": "",
    "tco_gate/github/__main__.py": _TRAP,
    "uv.toml": "this is = not toml\n",
}


@dataclass
class ActRun:
    code: int
    events: list[dict[str, Any]]
    summary: str
    seconds: float
    report: dict[str, Any]

    def commands(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("command") == kind and e.get("stepID", [None])[0] == "gate"]

    def outputs(self) -> dict[str, str]:
        found = {}
        for event in self.commands("set-output"):
            if event["stepID"] == ["gate"]:
                found[event["name"]] = event["arg"]
        return found


@pytest.fixture(scope="module")
def action_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working copy as the action's repository: tracked and new files, not ignored ones."""
    target = tmp_path_factory.mktemp("action") / "tco-gate"
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """uv's and the lock's wheels, downloaded once (hash-checked) so the Action's own `--require-hashes` installs
    are local."""
    folder = tmp_path_factory.mktemp("wheelhouse")
    for lock in ("uv.txt", "action.txt"):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--require-hashes",
                "--dest",
                str(folder),
                "--requirement",
                str(ROOT / "requirements" / lock),
            ],
            check=True,
        )
    return folder


def _proposal_dir(repo: Path, name: str) -> Path:
    return repo / "teams" / name


def _repositories(root: Path) -> tuple[Path, str, str, str]:
    """A bare `origin` with a base commit and two heads of one pull request; returns origin and the three SHAs."""
    src = root / "src"
    src.mkdir()
    git(src, "init", "-q", "-b", "main")
    (src / ".tco-gate.yml").write_text(STRICT)
    (src / ".github" / "workflows").mkdir(parents=True)
    (src / ".github" / "workflows" / "gate.yml").write_text(WORKFLOW)
    for name in ("listing-categorizer", "support-triage", "discharge-coding-eu"):
        shutil.copytree(EXAMPLES / name, _proposal_dir(src, name))
    git(src, "add", "-A")
    git(src, "commit", "-qm", "base")
    base = git(src, "rev-parse", "HEAD")
    # Head 1: loosen the policy and waive itself, touch the workflow, delete one proposal, add a hostile one.
    git(src, "checkout", "-q", "-b", "head1")
    (src / ".tco-gate.yml").write_text(LOOSE)
    edited = WORKFLOW.replace("name: tco-gate\n", "name: tco-gate (edited)\n", 1)
    (src / ".github" / "workflows" / "gate.yml").write_text(edited)
    shutil.rmtree(_proposal_dir(src, "discharge-coding-eu"))
    (src / "teams" / "hostile").mkdir()
    (src / "teams" / "hostile" / "finetune-proposal.yml").write_text(HOSTILE)
    for name, text in CHECKOUT_TRAPS.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text)
    git(src, "add", "-A")
    git(src, "commit", "-qm", "head 1")
    head1 = git(src, "rev-parse", "HEAD")
    # Head 2 (a force-push of the same pull request): one proposal changed, nothing else.
    git(src, "checkout", "-q", "-b", "head2", base)
    listing = _proposal_dir(src, "listing-categorizer") / "finetune-proposal.yml"
    text = listing.read_text()
    assert "monthly_eng_hours: 80" in text
    listing.write_text(text.replace("monthly_eng_hours: 80", "monthly_eng_hours: 70", 1))
    git(src, "commit", "-qam", "head 2")
    head2 = git(src, "rev-parse", "HEAD")
    origin = root / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(src), str(origin)], check=True)
    git(origin, "config", "uploadpack.allowReachableSHA1InWant", "true")  # as GitHub serves a commit by its SHA
    return origin, base, head1, head2


def _act(root: Path, origin: Path, branch: str, base: str, head: str, action: Path, wheels: Path, api: str) -> ActRun:
    act = require_tool("act")
    work = root / f"work-{branch}"
    subprocess.run(["git", "clone", "-q", "--depth=1", "--branch", branch, origin.as_uri(), str(work)], check=True)
    assert git(work, "rev-parse", "--is-shallow-repository") == "true"
    event = root / f"event-{branch}.json"
    repo = {"full_name": "acme/app", "name": "app", "owner": {"login": "acme"}}
    pull = {
        "number": 7,
        "base": {"sha": base, "ref": "main", "repo": repo},
        "head": {"sha": head, "ref": branch, "repo": repo},
    }
    event.write_text(json.dumps({"action": "synchronize", "number": 7, "pull_request": pull, "repository": repo}))
    cache = root / f"act-cache-{branch}"
    started = time.monotonic()
    done = subprocess.run(
        [
            act,
            "pull_request",
            "--json",
            "-e",
            str(event),
            "-P",
            "ubuntu-latest=-self-hosted",
            "--action-cache-path",
            str(cache),
            "--local-repository",
            f"OWNER/tco-gate@{ACTION_SHA}={action}",
            "--local-repository",
            f"{SETUP_PYTHON}={TESTS / 'act' / 'setup-python'}",
            "--env",
            f"GITHUB_API_URL={api}",
            "--env",
            "GITHUB_REPOSITORY=acme/app",
            "--env",
            f"PIP_FIND_LINKS={wheels}",
            "--env",
            "PIP_NO_INDEX=1",
            "--env",
            f"UV_FIND_LINKS={wheels}",
            "--env",
            "UV_OFFLINE=1",
            "--env",
            f"KEEP_REPORT={root / f'report-{branch}.json'}",
            "-s",
            f"GITHUB_TOKEN={TOKEN}",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_COLOR": "1"},
    )
    seconds = time.monotonic() - started
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    # act logs what a step appended to its GITHUB_STEP_SUMMARY once the step ends.
    prefix = "  ⚙  Summary - "
    summary = "".join(
        e["msg"].removeprefix(prefix)
        for e in events
        if e.get("stepID") == ["gate", "gate"] and e.get("msg", "").startswith(prefix)
    )
    kept = root / f"report-{branch}.json"
    return ActRun(done.returncode, events, summary, seconds, json.loads(kept.read_text()) if kept.exists() else {})


@pytest.fixture(scope="module")
def runs(
    action_copy: Path, wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ActRun, ActRun, State, list[dict[str, Any]]]]:
    root = tmp_path_factory.mktemp("act")
    origin, base, head1, head2 = _repositories(root)
    with serve() as github:
        api = github.base_url
        first = _act(root, origin, "head1", base, head1, action_copy, wheelhouse, api)
        comments_after_first: list[dict[str, Any]] = json.loads(json.dumps(github.comments.get(("acme/app", 7), [])))
        second = _act(root, origin, "head2", base, head2, action_copy, wheelhouse, api)
        yield first, second, github, comments_after_first


def _log(run: ActRun) -> str:
    return "\n".join(str(e.get("msg", "")) for e in run.events)


def test_run_1_fails_with_the_base_policy_despite_the_loosened_policy_and_its_own_waiver(runs: Any) -> None:
    first, _, _, _ = runs
    assert first.code != 0, _log(first)[-4000:]
    outputs = first.outputs()
    assert outputs["verdict"] == "invalid"  # the hostile proposal; support-triage fails beside it
    report = first.report
    verdicts = {r["path"]: r["verdict"] for r in report["results"]}
    assert verdicts["teams/support-triage/finetune-proposal.yml"] == "fail"
    assert verdicts["teams/listing-categorizer/finetune-proposal.yml"] == "pass"
    assert verdicts["teams/hostile/finetune-proposal.yml"] == "invalid"
    failing = next(r for r in report["results"] if r["name"] == "support-triage")
    assert failing["policy"]["sources"]["min_savings_pct"] == "base"
    assert report["base"]["policies_changed"] == [".tco-gate.yml"]
    assert [r["path"] for r in report["base"]["removed"]] == ["teams/discharge-coding-eu/finetune-proposal.yml"]


def test_run_1_runs_no_code_of_the_pull_requests_checkout(runs: Any) -> None:
    first, _, _, _ = runs
    log = _log(first)
    assert TRAPPED not in log
    assert first.outputs()["verdict"] == "invalid" and first.report["results"]


def test_run_1_annotations_summary_and_warnings(runs: Any) -> None:
    first, _, _, _ = runs
    errors = first.commands("error")
    files = {e.get("kvPairs", {}).get("file") for e in errors}
    assert "teams/support-triage/finetune-proposal.yml" in files
    assert "teams/hostile/finetune-proposal.yml" in files
    warnings = [e["arg"] for e in first.commands("warning")]
    assert any("changes `.github/workflows/gate.yml`" in w for w in warnings)
    summary = first.summary
    assert summary.index("[!WARNING]") < summary.index("## tco-gate")
    assert "This change edits `.tco-gate.yml`" in summary
    assert "❌ **FAIL**" in summary and "support-triage" in summary
    assert "Removed in this change" in summary and "discharge-coding-eu" in summary
    assert "```mermaid" in summary


def test_run_1_hostile_text_adds_no_annotation_output_or_mention(runs: Any) -> None:
    first, _, _, created = runs
    annotated = first.commands("error") + first.commands("warning") + first.commands("notice")
    # The hostile text arrives only as data inside our own annotations (escaped, so still one command each).
    assert {e.get("kvPairs", {}).get("file") for e in annotated} <= {
        "teams/hostile/finetune-proposal.yml",
        "teams/support-triage/finetune-proposal.yml",
        "teams/listing-categorizer/finetune-proposal.yml",
        None,
    }
    assert not [e for e in annotated if e["arg"] in ("pwned", "injected") or not e.get("kvPairs", {}).get("title")]
    assert not [e for e in first.events if e.get("command") == "set-output" and e.get("arg") == "pass"]
    assert not [e for e in first.commands("warning") if e["arg"] == "injected"]
    assert set(first.outputs()) == {
        "verdict",
        "proposal",
        "finetune-total-usd",
        "prompting-total-usd",
        "savings-pct",
        "break-even-month",
        "report",
    }
    assert len(created) == 1 and created[0]["user"]["login"] == BOT
    assert created[0]["body"].startswith(MARKER)
    assert "@everyone" not in created[0]["body"]


def test_run_2_checks_only_the_changed_proposal_passes_and_updates_the_comment(runs: Any) -> None:
    first, second, github, created = runs
    assert second.code == 0, _log(second)[-4000:]
    outputs = second.outputs()
    assert outputs["verdict"] == "pass" and outputs["proposal"] == "listing-categorizer"
    assert float(outputs["finetune-total-usd"]) > 0 and outputs["break-even-month"]
    report = second.report
    assert [r["name"] for r in report["results"]] == ["listing-categorizer"]
    (change,) = report["base"]["changes"]
    assert change["status"] == "changed" and change["finetune_change_usd"] == -36000.0
    comments = github.comments[("acme/app", 7)]
    assert len(comments) == 1 and comments[0]["id"] == created[0]["id"]
    assert "listing-categorizer" in comments[0]["body"] and "support-triage" not in comments[0]["body"]
    methods = [r.method for r in github.requests]
    assert methods == ["GET", "POST", "GET", "PATCH"]
    for run in (first, second):
        steps = {
            tuple(e["stepID"]): e["executionTime"] / 1e9
            for e in run.events
            if " Main " in e.get("msg", "") and "executionTime" in e
        }
        print(
            f"act: whole run {run.seconds:.1f} s; the Action {steps[('gate',)]:.1f} s "
            f"(install {steps[('gate', 'install')]:.1f} s, gate {steps[('gate', 'gate')]:.1f} s)"
        )


def test_uv_trusts_its_cache_which_is_why_the_action_keeps_none_across_runs(wheelhouse: Path, tmp_path: Path) -> None:
    # uv checks every archive it downloads or finds against the lock's hashes, but a file already unpacked in
    # its cache is installed as it is. A cache restored across runs could so carry code past --require-hashes:
    # the Action keeps uv's cache in RUNNER_TEMP, one job's (docs/action.md). Should uv ever check what its
    # cache holds, this fails, and the Action could keep the cache across runs.
    tools = tmp_path / "uv"
    hashed = ["--no-deps", "--require-hashes", "--only-binary", ":all:"]
    pip = [sys.executable, "-I", "-m", "pip", "install", "--quiet", *hashed, "--no-index", "--find-links"]
    subprocess.run(
        [*pip, str(wheelhouse), "--target", str(tools), "-r", str(ROOT / "requirements" / "uv.txt")], check=True
    )
    env = {**os.environ, "UV_CACHE_DIR": str(tmp_path / "cache"), "UV_OFFLINE": "1", "UV_FIND_LINKS": str(wheelhouse)}

    def install(venv: Path) -> Path:
        uv = [str(tools / "bin" / "uv"), "--quiet", "--no-config"]
        subprocess.run([*uv, "venv", "--python", sys.executable, str(venv)], check=True, env=env)
        into = ["--python", str(venv / "bin" / "python")]
        lock = ["--requirement", str(ROOT / "requirements" / "action.txt")]
        subprocess.run([*uv, "pip", "install", *into, *hashed, *lock], check=True, env=env)
        (installed,) = venv.glob("lib/python*/site-packages/idna/__init__.py")
        return installed

    first = install(tmp_path / "venv1")
    (cached,) = (tmp_path / "cache").glob("archive-v*/*/idna/__init__.py")
    text = cached.read_text(encoding="utf-8")
    cached.unlink()  # the venv holds a hard link to it: write a new file, as a restored cache would be
    cached.write_text(text + "\nPOISONED = True\n", encoding="utf-8")
    assert "POISONED" not in first.read_text(encoding="utf-8")

    second = install(tmp_path / "venv2")

    assert "POISONED = True" in second.read_text(encoding="utf-8")
