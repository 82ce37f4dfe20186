"""The `.gitlab-ci.yml` job of docs/formats.md, read as data and its script run the way a GitLab runner runs it.

GitLab cannot be reached from a test: its runner's documented contract is that the script lines run in
one shell that stops at the first failing command (bash -e), after which the `artifacts.reports` files
are collected even from a failed job (`when: always`). This test does exactly that, with tco-gate on PATH.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import yaml

from tests.paths import ROOT


def _gitlab_job() -> dict[str, Any]:
    page = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", page, re.S) if b.startswith("tco-gate:\n")]
    job: dict[str, Any] = yaml.safe_load(block)["tco-gate"]
    return job


def test_the_documented_gitlab_job_fails_on_the_failing_example_and_leaves_both_reports(tmp_path: Path) -> None:
    job = _gitlab_job()
    script = [line for line in job["script"] if "pip install" not in line]  # tests/test_recipes.py runs it
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    bin_dir = Path(sys.executable).parent
    completed = subprocess.run(
        ["bash", "-e", "-c", "\n".join(script)],
        cwd=tmp_path,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 1, completed.stderr  # the support-triage example fails the gate
    reports = job["artifacts"]["reports"]
    assert job["artifacts"]["when"] == "always"
    junit = ET.parse(tmp_path / reports["junit"]).getroot()
    assert junit.attrib["tests"] == "8" and junit.attrib["failures"] == "4"
    issues = json.loads((tmp_path / reports["codequality"]).read_text(encoding="utf-8"))
    # The exemption nobody approved, the three failing examples, the hosted one's catalog-spelling warning, and
    # a warning on `as_of` for each model whose price the catalog does not date.
    decided = [issue["location"]["path"] for issue in issues if issue["check_name"] != "input-warning"]
    assert sorted(decided) == [
        "examples/discharge-coding-eu/finetune-proposal.yml",
        "examples/shopping-assistant/finetune-proposal.yml",
        "examples/support-triage-hosted/finetune-proposal.yml",
        "examples/support-triage-measured/finetune-proposal.yml",
        "examples/support-triage/finetune-proposal.yml",
    ]
    assert sum("does not date" in issue["description"] for issue in issues) == 9
