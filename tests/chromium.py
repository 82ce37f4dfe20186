"""Drive Debian's headless Chromium through playwright-core (npm) to see a report as a reader would.

The browser runs offline: the flags in tests/browser/render.mjs turn off its background traffic, and the
page's every request is recorded (and anything not file: or data: aborted) so a test can assert on them.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.paths import ROOT, TESTS
from tests.tools import require_node_module, require_tool

SCRIPT = TESTS / "browser" / "render.mjs"


def _run(*args: str) -> dict[str, Any]:
    require_node_module("playwright-core")
    chromium = require_tool("chromium", via="apt:chromium")
    node = require_tool("node", via="apt:nodejs")
    completed = subprocess.run(
        [node, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_offline_env(chromium),
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def _offline_env(chromium: str) -> dict[str, str]:
    # No proxy settings reach the browser: with the flags and the route guard, nothing may leave the machine.
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["CHROMIUM"] = chromium
    return env


def render_mermaid(diagram: str, work: Path, screenshot: Path | None = None) -> dict[str, Any]:
    """Mermaid's own render() of the diagram: `ok`, the `svg` or the `error`, its `box`, and `requests`."""
    mermaid_js = require_node_module("mermaid") / "dist" / "mermaid.min.js"
    source = work / "diagram.mmd"
    source.write_text(diagram, encoding="utf-8")
    return _run("mermaid", str(source), str(mermaid_js), str(screenshot or ""))


def load_html(report: Path, screenshot: Path | None = None) -> dict[str, Any]:
    """The page as loaded: each `svg.chart`'s bounding box and series, the script count, and `requests`."""
    return _run("html", str(report), str(screenshot or ""))


def left_the_machine(requests: list[str]) -> list[str]:
    """The requests that were not for a local file or inline data."""
    return [url for url in requests if not url.startswith(("file:", "data:"))]
