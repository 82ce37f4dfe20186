"""The wheel and sdist, built for real with `python -m build`, hold every module and schema file.

Built with --no-isolation from the dev extra's setuptools, so the test needs no network, and from a clean
copy of the tree: a stale `*.egg-info` would otherwise feed last build's file list back into this one and
hide a package that setuptools no longer finds. setuptools finds packages by itself (`packages.find`), so a
new subpackage lands in the wheel without anyone listing it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tco_gate import __version__

from .tools import require_tool

pytestmark = pytest.mark.tools  # slow: builds a wheel and an sdist

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tco_gate"


def _package_files(pattern: str) -> list[str]:
    """Files under tco_gate/ matching `pattern`, as paths relative to the repository root."""
    return sorted(
        path.relative_to(ROOT).as_posix() for path in PACKAGE.rglob(pattern) if "__pycache__" not in path.parts
    )


# What a fresh clone does not have: caches, virtualenvs, build output, installed npm tools.
UNTRACKED = (
    ".git",
    ".venv",
    "node_modules",
    "mutants",
    "*.egg-info",
    "build",
    "dist",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    ".coverage*",
)
MODULES = _package_files("*.py")
PACKAGED_SCHEMAS = _package_files("*.schema.json")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("pyproject-build")  # the `build` package's own script: proof it is installed
    source = tmp_path_factory.mktemp("source") / "tco-gate"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*UNTRACKED))
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def _wheel_names(dist: Path) -> set[str]:
    (wheel,) = dist.glob("tco_gate-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _sdist_names(dist: Path) -> set[str]:
    (sdist,) = dist.glob("tco_gate-*.tar.gz")
    prefix = f"tco_gate-{__version__}/"
    with tarfile.open(sdist) as archive:
        return {name.removeprefix(prefix) for name in archive.getnames()}


def test_the_tree_has_what_the_archives_are_checked_for() -> None:
    # Guards the guards: an empty list would make every check below pass vacuously.
    assert {"tco_gate/__init__.py", "tco_gate/cli.py", "tco_gate/report/__init__.py"} <= set(MODULES)
    assert len(PACKAGED_SCHEMAS) >= 3


def test_the_wheel_holds_every_module_and_schema(dist: Path) -> None:
    names = _wheel_names(dist)
    missing = [f for f in [*MODULES, *PACKAGED_SCHEMAS, "tco_gate/py.typed"] if f not in names]
    assert missing == []
    assert f"tco_gate-{__version__}.dist-info/licenses/LICENSE" in names
    assert not [name for name in names if name.startswith("tests/") or "__pycache__" in name]


def test_the_wheel_declares_the_spdx_license_and_the_console_script(dist: Path) -> None:
    (wheel,) = dist.glob("tco_gate-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"tco_gate-{__version__}.dist-info/METADATA").decode()
        scripts = archive.read(f"tco_gate-{__version__}.dist-info/entry_points.txt").decode()
    assert "License-Expression: MIT" in metadata.splitlines()
    assert "tco-gate = tco_gate.cli:run" in scripts


def test_the_sdist_holds_every_module_schema_and_the_license(dist: Path) -> None:
    names = _sdist_names(dist)
    root_schemas = sorted(f"schemas/{p.name}" for p in (ROOT / "schemas").glob("*.json"))
    expected = [*MODULES, *PACKAGED_SCHEMAS, *root_schemas, "LICENSE", "pyproject.toml", "README.md"]
    assert [f for f in expected if f not in names] == []
    assert "tests/conftest.py" in names and "tests/cases" in names
    # The tests read the docs (test_docs, test_ci_snippets, test_editor): an sdist's tests need them too.
    docs = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "docs").glob("*.md"))
    assert docs and [page for page in docs if page not in names] == []


def test_the_packaged_schemas_are_the_committed_ones() -> None:
    # schemas/ is drift-tested against the models; the copies inside the package must not drift from it.
    committed = {p.name: p.read_bytes() for p in (ROOT / "schemas").glob("*.json")}
    packaged = {p.name: p.read_bytes() for p in (PACKAGE / "schemas").glob("*.json")}
    assert packaged == committed, "run: cp schemas/*.json tco_gate/schemas/"


def test_the_license_is_mit_for_the_contributors() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 tco-gate contributors\n")


def test_the_build_floor_is_the_first_setuptools_that_reads_an_spdx_license() -> None:
    # `license = "MIT"` (PEP 639) fails to build on setuptools 76 and older; this build cannot pass there.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == "MIT"
    floors = [Requirement(r) for r in pyproject["build-system"]["requires"] if r.startswith("setuptools")]
    dev = [Requirement(r) for r in pyproject["project"]["optional-dependencies"]["dev"] if r.startswith("setuptools")]
    for (requirement,) in (floors, dev):
        assert not requirement.specifier.contains("76.1.0") and requirement.specifier.contains("77.0.0")
