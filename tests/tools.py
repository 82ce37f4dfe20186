"""Where the external tools that tests drive for real are found, and what happens when one is missing.

In CI (CI=true) a missing tool fails the test: .ci/run installs every one of them, so a miss there is a broken
install step, not a reason to pass quietly. On a developer's machine the test is skipped with the command that
installs the tool.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT

NODE_BIN = ROOT / "node_modules" / ".bin"
NODE_MODULES = ROOT / "node_modules"

# How a developer gets each tool; .ci/run does the same.
_INSTALL = {
    "npm": "npm ci (at the repository root)",
    "pip": "pip install -e '.[dev]'",
    "apt": "apt-get install",
}


def _missing(name: str, how: str) -> None:
    message = f"{name} is not installed; install it with {how}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (.ci/run should have)")
    pytest.skip(message)


def require_tool(name: str, *, via: str = "pip") -> str:
    """The path of an executable on PATH, in the venv's bin folder or in node_modules/.bin.

    `via` names where it comes from ("pip", "npm", or "apt:PACKAGE") for the message when it is missing.
    """
    candidates = [NODE_BIN / name, Path(sys.executable).parent / name]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is not None:
        return found
    kind, _, package = via.partition(":")
    _missing(name, f"{_INSTALL[kind]} {package}".strip())
    raise AssertionError("unreachable")  # pytest.skip and pytest.fail raise


def require_node_module(name: str) -> Path:
    """The folder of an npm package installed from the committed lock (for packages with no executable)."""
    folder = NODE_MODULES / name
    if not (folder / "package.json").is_file():
        _missing(name, _INSTALL["npm"])
    require_tool("node", via="apt:nodejs")
    return folder


def require_libyaml() -> None:
    """PyYAML's C parser, for the tests that hold the two parsers to one answer (PyPI's wheels include it)."""
    import yaml

    if not hasattr(yaml, "CSafeLoader"):
        _missing("libyaml (PyYAML's C parser)", "pip install --force-reinstall --only-binary :all: pyyaml")
