from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tco_gate import loader

TESTS = Path(__file__).parent
SPEC_EXAMPLE = TESTS / "cases" / "valid" / "spec-example" / "finetune-proposal.yml"

PARSERS = ["libyaml", "pure-python"] if loader.HAS_LIBYAML else ["pure-python"]


@pytest.fixture(params=PARSERS)
def yaml_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run the test once with libyaml and once with PyYAML's pure-Python parser."""
    monkeypatch.setattr(loader, "HAS_LIBYAML", request.param == "libyaml")
    yield request.param


@pytest.fixture
def spec_text() -> str:
    return SPEC_EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write text (or bytes) to a file under tmp_path and return its path."""

    def _write(content: str | bytes, name: str = "finetune-proposal.yml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
