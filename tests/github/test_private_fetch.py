"""The Action on a private repository: the base commit is fetched with the step's token, for that one fetch.

The repository is served by tests/git_http.py, git's smart HTTP behind Basic auth that refuses anonymous
requests, as GitHub refuses them for a private repository. The work tree is a one-commit-deep clone made with
the token and then left without it, as `actions/checkout` leaves it with `persist-credentials: false`; the step
must fetch the base by its SHA, sending the token as checkout does, without writing it to `.git/config` or
putting it on a command line.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tco_gate.github.action import main
from tests.git_http import Host, private_host
from tests.gitrepo import git, pull_request_source

TOKEN = "ghs_private_repo_token"


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Host, Path, str, str]]:
    """A private host serving `app.git` (a base and a head commit) and a shallow clone of the head without
    credentials: (host, work tree, base SHA, head SHA)."""
    src = tmp_path / "src"
    base, proposal = pull_request_source(src)
    proposal.write_text(proposal.read_text().replace("training_run_usd: 200", "training_run_usd: 300"))
    git(src, "commit", "-qam", "head")
    head = git(src, "rev-parse", "HEAD")
    served = tmp_path / "served"
    served.mkdir()
    subprocess.run(["git", "clone", "-q", "--bare", str(src), str(served / "app.git")], check=True)
    git(served / "app.git", "config", "uploadpack.allowReachableSHA1InWant", "true")
    with private_host(served, TOKEN) as host:
        work = tmp_path / "work"
        header = f"AUTHORIZATION: {host.authorization()}"
        checkout = ["git", "-c", f"http.{host.url}/.extraheader={header}", "clone", "-q", "--depth=1"]
        subprocess.run([*checkout, f"{host.url}/app.git", str(work)], check=True)
        host.requests.clear()
        monkeypatch.chdir(tmp_path)
        yield host, work, base, head


def _environ(tmp_path: Path, host: Host, work: Path, base: str, head: str, token: str) -> dict[str, str]:
    event = tmp_path / "event.json"
    repo = {"full_name": "acme/private-app"}
    pull = {"number": 5, "base": {"sha": base, "repo": repo}, "head": {"sha": head, "repo": repo}}
    event.write_text(json.dumps({"number": 5, "pull_request": pull}))
    return {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_WORKSPACE": str(work),
        "GITHUB_REPOSITORY": "acme/private-app",
        "GITHUB_SERVER_URL": host.url,
        "GITHUB_API_URL": "http://127.0.0.1:9",  # nothing listens: the comment is skipped, the verdict stands
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "TCO_GATE_TOKEN": token,
        "TCO_GATE_COMMENT": "off",
    }


def _fetches(host: Host) -> list[tuple[str, str, bool]]:
    return [r for r in host.requests if "upload-pack" in r[1]]


def _secret_forms() -> list[str]:
    return [TOKEN, base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()]


def test_the_base_of_a_private_repository_is_fetched_with_the_token_and_the_token_is_kept_nowhere(
    private: tuple[Host, Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, work, base, head = private
    commands: list[list[str]] = []
    real_run = subprocess.run

    def recording(args: Any, *rest: Any, **kwargs: Any) -> Any:
        commands.append([str(arg) for arg in args])
        return real_run(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "run", recording)
    out = io.StringIO()
    code = main(_environ(tmp_path, host, work, base, head, TOKEN), out)
    assert code == 1, out.getvalue()  # judged: the change fails the margin, as on any repository
    assert git(work, "cat-file", "-t", base) == "commit"
    fetches = _fetches(host)
    assert fetches and all(authorised for _, _, authorised in fetches)
    written = (work / ".git" / "config").read_text() + "".join(
        p.read_text(errors="replace") for p in (work / ".git").glob("*") if p.is_file()
    )
    log = out.getvalue() + (tmp_path / "summary.md").read_text()
    for secret in _secret_forms():
        assert secret not in written, ".git keeps the token"
        assert secret not in log, "the log shows the token"
        assert not any(secret in arg for command in commands for arg in command), "a command line shows the token"
    assert "extraheader" not in (work / ".git" / "config").read_text()


def test_without_a_token_the_fetch_fails_with_what_a_private_repository_needs(
    private: tuple[Host, Path, str, str], tmp_path: Path
) -> None:
    host, work, base, head = private
    out = io.StringIO()
    assert main(_environ(tmp_path, host, work, base, head, ""), out) == 2
    (error,) = [line for line in out.getvalue().splitlines() if line.startswith("::error")]
    assert f"cannot fetch the base commit {base} from origin (no token was given for it)" in error
    assert "contents: read" in error and "Traceback" not in out.getvalue()
    assert _fetches(host) and not any(authorised for _, _, authorised in _fetches(host))


def test_the_token_replaces_a_stale_one_a_checkout_persisted(
    private: tuple[Host, Path, str, str], tmp_path: Path
) -> None:
    # `persist-credentials: true` (checkout's default) leaves a header in .git/config; an expired one must not
    # be sent beside the step's token, and the step changes nothing in the file.
    host, work, base, head = private
    stale = base64.b64encode(b"x-access-token:expired").decode()
    git(work, "config", f"http.{host.url}/.extraheader", f"AUTHORIZATION: basic {stale}")
    before = (work / ".git" / "config").read_text()
    assert main(_environ(tmp_path, host, work, base, head, TOKEN), io.StringIO()) == 1
    assert all(authorised for _, _, authorised in _fetches(host))
    assert (work / ".git" / "config").read_text() == before
