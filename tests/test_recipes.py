"""Every adoption recipe in the README and docs/formats.md, run as written against a local clone of this repository
tagged as a release would be: the pre-commit config, the GitHub code-scanning steps and the GitLab job.

`OWNER` is the one placeholder the recipes use for whoever hosts the repository; here it becomes the local
clone. pre-commit installs the hook from the clone at the recipe's `rev`; the code-scanning and GitLab recipes
install tco-gate with their own pip line into a fresh Python first on PATH (what `actions/setup-python` and the
`python` image give a job), then their script lines run in order, as the runners document: GitHub runs a `run:`
step as `bash --noprofile --norc -eo pipefail`, GitLab a job's script in one shell that stops at the first
failing line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tco_gate.version import __version__
from tests.gitrepo import git
from tests.paths import ROOT
from tests.tools import require_tool

README = ROOT / "README.md"
FORMATS = ROOT / "docs" / "formats.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]
HOSTED_AT = "https://github.com/OWNER/tco-gate"
TAG = f"v{__version__}"


def _block(page: Path, marker: str) -> str:
    """The ```yaml block after `<!-- marker -->` on a page."""
    found = re.search(rf"<!-- {marker} -->\n```yaml\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    assert found, f"{page.name} lost its {marker} block"
    return found.group(1)


def _gitlab_job() -> dict[str, Any]:
    blocks = re.findall(r"```yaml\n(.*?)```", FORMATS.read_text(encoding="utf-8"), re.S)
    (block,) = [b for b in blocks if b.startswith("tco-gate:\n")]
    job: dict[str, Any] = yaml.safe_load(block)["tco-gate"]
    return job


def _code_scanning_job() -> dict[str, Any]:
    workflow = yaml.safe_load(_block(FORMATS, "code-scanning-workflow"))
    (job,) = workflow["jobs"].values()
    assert isinstance(job, dict)
    return job


def _run_steps(job: dict[str, Any]) -> list[str]:
    return [str(step["run"]) for step in job["steps"] if "run" in step]


# --- one placeholder, one tag, everywhere ---------------------------------------------------------------------


def test_every_recipe_names_the_same_placeholder_and_says_it_is_one() -> None:
    hosts = set()
    for page in DOCS:
        text = page.read_text(encoding="utf-8")
        hosts |= set(re.findall(r"github\.com/([\w.-]+)/tco-gate", text))
        hosts |= set(re.findall(r"uses: ([\w.-]+)/tco-gate@", text))
        assert "pip install tco-gate" not in text, f"{page.name}: tco-gate is not on PyPI"
    assert hosts == {"OWNER"}
    readme = README.read_text(encoding="utf-8")
    assert "**`OWNER` is a placeholder**" in readme


def test_every_recipe_installs_the_release_tag_of_this_version() -> None:
    config = yaml.safe_load(_block(README, "pre-commit-config"))
    (hook_repo,) = config["repos"]
    assert (hook_repo["repo"], hook_repo["rev"]) == (HOSTED_AT, TAG)
    action = re.search(r"uses: OWNER/tco-gate@([0-9a-f]{40}) # (\S+)", README.read_text(encoding="utf-8"))
    assert action and action.group(2) == TAG
    installs = [line for line in [*_run_steps(_code_scanning_job()), *_gitlab_job()["script"]] if "pip install" in line]
    assert installs == [f'python -m pip install "git+{HOSTED_AT}@{TAG}"'] * 2


def test_the_code_scanning_job_may_upload_its_alerts() -> None:
    job = _code_scanning_job()
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    upload = next(step for step in job["steps"] if str(step.get("uses", "")).startswith("github/codeql-action/upload"))
    assert upload["if"] == "always()" and upload["with"]["sarif_file"] == "tco-gate.sarif"


# --- the recipes, run ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working copy as the repository someone hosts: every file git would commit, committed, and tagged."""
    host = tmp_path_factory.mktemp("host") / "tco-gate"
    host.mkdir()
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (host / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, host / name)
    git(host, "init", "-q", "-b", "main")
    git(host, "add", "-A")
    git(host, "commit", "-q", "-m", "release")
    git(host, "tag", TAG)
    return host


def _hosted(text: str, host: Path) -> str:
    """A recipe with the placeholder's URL pointing at the local clone."""
    assert HOSTED_AT in text
    return text.replace(f"git+{HOSTED_AT}", f"git+file://{host}").replace(HOSTED_AT, str(host))


def _team_repository(root: Path) -> Path:
    """A team's repository with a passing and a failing proposal."""
    team = root / "team"
    for example in ("listing-categorizer", "support-triage"):
        shutil.copytree(ROOT / "examples" / example, team / "examples" / example)
    git(team, "init", "-q", "-b", "main")
    return team


@pytest.mark.tools  # slow: installs tco-gate from a clone, as the recipe does
def test_the_pre_commit_recipe_installs_the_tag_and_stops_a_failing_commit(host: Path, tmp_path: Path) -> None:
    pre_commit = require_tool("pre-commit")
    team = _team_repository(tmp_path)
    (team / ".pre-commit-config.yaml").write_text(_hosted(_block(README, "pre-commit-config"), host), "utf-8")
    git(team, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never"}
    done = subprocess.run(
        [pre_commit, "run", "--all-files"], cwd=team, env=env, capture_output=True, text=True, timeout=600
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "PASS  listing-categorizer  examples/listing-categorizer/finetune-proposal.yml" in output
    assert "FAIL  support-triage  examples/support-triage/finetune-proposal.yml" in output
    assert "Traceback" not in output


@pytest.fixture(scope="module")
def job_python(host: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh Python, as a job gets one, with the recipes' own install line run in it: its bin folder."""
    venv = tmp_path_factory.mktemp("job") / "python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    (install,) = {line for line in _run_steps(_code_scanning_job()) if "pip install" in line}
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _hosted(install, host)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (venv / "bin" / "tco-gate").is_file()
    return venv / "bin"


def _bare_path(bin_dir: Path) -> dict[str, str]:
    # tco-gate must come from the job's Python, not from the Python running these tests.
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}


@pytest.mark.tools  # slow: installs tco-gate from a clone, as the recipe does
def test_the_code_scanning_steps_put_tco_gate_on_path_and_leave_sarif_for_the_upload(
    job_python: Path, tmp_path: Path
) -> None:
    team = _team_repository(tmp_path)
    job = _code_scanning_job()
    codes = []
    for script in _run_steps(job):
        if "pip install" in script:
            continue  # run once by the job_python fixture, against the local clone
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=team,
            env=_bare_path(job_python),
            capture_output=True,
            text=True,
            timeout=300,
        )
        codes.append(done.returncode)
        assert "command not found" not in done.stderr, done.stderr
    assert codes == [1]  # the failing example fails the step; the upload runs anyway (`if: always()`)
    sarif = json.loads((team / "tco-gate.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    failing = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results if r["level"] == "error"
    }
    assert failing == {"examples/support-triage/finetune-proposal.yml"}
    # Both examples read gpt-4.1-mini's price from the catalog, which does not date it: a warning on each `as_of`.
    assert sum(r["ruleId"] == "input-warning" for r in results) == 2


@pytest.mark.tools  # slow: installs tco-gate from a clone, as the recipe does
def test_the_gitlab_job_installs_tco_gate_and_leaves_both_reports(job_python: Path, tmp_path: Path) -> None:
    team = _team_repository(tmp_path)
    job = _gitlab_job()
    assert job["image"] == "python:3.12"  # the full image: pip needs git to install from the repository
    script = [line for line in job["script"] if "pip install" not in line]  # run by the job_python fixture
    done = subprocess.run(
        ["bash", "-e", "-c", "\n".join(script)],
        cwd=team,
        env=_bare_path(job_python),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    reports = job["artifacts"]["reports"]
    assert job["artifacts"]["when"] == "always"
    assert (team / reports["junit"]).is_file()
    issues = json.loads((team / reports["codequality"]).read_text(encoding="utf-8"))
    decided = {issue["location"]["path"] for issue in issues if issue["check_name"] != "input-warning"}
    assert decided == {"examples/support-triage/finetune-proposal.yml"}
    assert sum("does not date" in issue["description"] for issue in issues) == 2  # the catalog's undated prices
