from __future__ import annotations

import pytest

from tests import tools


def test_a_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no-such-tool-here is not installed"):
        tools.require_tool("no-such-tool-here", via="npm")


def test_a_missing_tool_is_skipped_on_a_developer_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"install it with apt-get install some-package"):
        tools.require_tool("no-such-tool-here", via="apt:some-package")


def test_a_tool_on_path_is_found() -> None:
    assert tools.require_tool("git", via="apt:git").endswith("git")
