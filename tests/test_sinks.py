"""Files tco-gate writes get the mode any other tool would give them: a new file follows the umask, an existing
file keeps its mode when it is overwritten. Written atomically all the same (a temporary file, then a rename)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tco_gate.cli import main
from tco_gate.sinks import write
from tests.paths import EXAMPLES

PROPOSAL = str(EXAMPLES / "support-triage" / "finetune-proposal.yml")

# Every command that writes a file, with `{out}` where the file goes. `--force` lets init overwrite.
WRITERS = {
    "check --output": ["check", "--format", "json", "--output", "{out}", PROPOSAL],
    "report --output": ["report", "--format", "html", "--output", "{out}", PROPOSAL],
    "report --from --output": ["report", "--from", "{saved}", "--format", "markdown", "--output", "{out}"],
    "explain --output": ["explain", "--output", "{out}", PROPOSAL],
    "init": ["init", "--force", "{out}"],
    "init --policy": ["init", "--policy", "--force", "{out}"],
}


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process's umask after a test that sets it."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _run(command: str, out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "saved.json"
    if not saved.exists():
        main(["check", "--format", "json", "--output", str(saved), PROPOSAL])
    argv = [arg.format(out=out, saved=saved) for arg in WRITERS[command]]
    main(argv)
    capsys.readouterr()
    assert out.is_file(), command


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002], ids=oct)
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_new_file_follows_the_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, mask: int
) -> None:
    out = tmp_path / ("written.yml" if command.startswith("init") else "written.out")
    os.umask(mask)
    _run(command, out, tmp_path, capsys)
    assert _mode(out) == 0o666 & ~mask, f"{command}: {oct(_mode(out))}"


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize("kept", [0o644, 0o640, 0o600, 0o664], ids=oct)
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_an_existing_file_keeps_its_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, kept: int
) -> None:
    out = tmp_path / ("written.yml" if command.startswith("init") else "written.out")
    out.write_text("before\n", encoding="utf-8")
    out.chmod(kept)
    os.umask(0o077)  # stricter than the file: the file's own mode wins
    _run(command, out, tmp_path, capsys)
    assert out.read_text(encoding="utf-8") != "before\n"
    assert _mode(out) == kept, f"{command}: {oct(_mode(out))}"


def test_the_write_is_still_atomic_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    out.write_text("old\n", encoding="utf-8")

    def pieces() -> Iterator[str]:
        yield "new, "
        assert out.read_text(encoding="utf-8") == "old\n"  # a reader still sees the old file mid-write
        yield "whole\n"

    write(pieces(), out)
    assert out.read_text(encoding="utf-8") == "new, whole\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]
