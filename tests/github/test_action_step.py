"""The Action's step in-process (`python -m tco_gate.github`), on a shallow clone whose origin is a local bare
repository, with the comment sent to a local server that answers as GitHub's REST API documents."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tco_gate.github.action import main
from tco_gate.github.loosening import looser_inputs, uses_this_action
from tco_gate.models import Policy
from tests.fake_github import State, serve
from tests.gitrepo import git, pull_request_source


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str, str]]:
    """A one-commit-deep clone of a pull request's head; the base commit is only in `origin`."""
    src = tmp_path / "src"
    base, proposal = pull_request_source(src)
    proposal.write_text(proposal.read_text().replace("training_run_usd: 200", "training_run_usd: 300"))
    (src / ".github" / "workflows").mkdir(parents=True)
    (src / ".github" / "workflows" / "gate.yml").write_text("jobs:\n  a:\n    steps:\n      - uses: acme/tco-gate@v1\n")
    git(src, "add", "-A")
    git(src, "commit", "-qm", "head")
    head = git(src, "rev-parse", "HEAD")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(src), str(origin)], check=True)
    git(origin, "config", "uploadpack.allowReachableSHA1InWant", "true")
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", "--depth=1", origin.as_uri(), str(work)], check=True)
    monkeypatch.chdir(tmp_path)  # the step changes into the workspace; the fixture restores the folder
    yield work, base, head


def _environ(
    tmp_path: Path, work: Path, base: str, head: str, api: str, *, fork: bool = False, **inputs: str
) -> dict[str, str]:
    event = tmp_path / "event.json"
    repo = {"full_name": "acme/app"}
    head_repo = {"full_name": "mallory/app"} if fork else repo
    pull = {"number": 3, "base": {"sha": base, "repo": repo}, "head": {"sha": head, "repo": head_repo}}
    event.write_text(json.dumps({"number": 3, "pull_request": pull}))
    environ = {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_WORKSPACE": str(work),
        "GITHUB_REPOSITORY": "acme/app",
        "GITHUB_API_URL": api,
        "GITHUB_RUN_ID": "42",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "TCO_GATE_TOKEN": "ghs_bot_token",
    }
    environ.update({f"TCO_GATE_{name.upper()}": value for name, value in inputs.items()})
    return environ


def test_the_base_is_fetched_by_sha_and_a_failing_change_is_reported(
    clone: tuple[Path, str, str], tmp_path: Path
) -> None:
    work, base, head = clone
    assert git(work, "cat-file", "-t", head) == "commit"
    with pytest.raises(subprocess.CalledProcessError):
        git(work, "cat-file", "-t", base)  # not in the shallow clone yet
    out = io.StringIO()
    with serve() as github:
        code = main(_environ(tmp_path, work, base, head, github.base_url), out)
        assert [r.method for r in github.requests] == ["GET", "POST"]
    assert code == 1
    assert git(work, "cat-file", "-t", base) == "commit"
    outputs = (tmp_path / "output.txt").read_text()
    assert "verdict<<ghadelimiter_" in outputs and "\nfail\n" in outputs
    summary = (tmp_path / "summary.md").read_text()
    assert "the verdict is unchanged (fail); fine-tuning +$900.00, prompting unchanged." in summary
    assert "| fine-tuning: initial training run | $200.00 | $300.00 | +$100.00 |" in summary
    assert out.getvalue().startswith("::error file=svc/finetune-proposal.yml,line=1,")
    assert "changes `.github/workflows/gate.yml`, a workflow that runs tco-gate" in summary.split("## tco-gate")[0]


def test_a_fork_gets_a_notice_instead_of_a_comment_and_the_same_verdict(
    clone: tuple[Path, str, str], tmp_path: Path
) -> None:
    work, base, head = clone
    out = io.StringIO()
    with serve() as github:
        assert main(_environ(tmp_path, work, base, head, github.base_url, fork=True), out) == 1
        assert github.requests == []
    notices = [line for line in out.getvalue().splitlines() if line.startswith("::notice")]
    assert len(notices) == 1 and "fork" in notices[0]


def test_a_403_gets_one_notice_and_warn_mode_passes_the_step_with_a_warning(
    clone: tuple[Path, str, str], tmp_path: Path
) -> None:
    work, base, head = clone
    out = io.StringIO()
    with serve(State(forbid_writes=True)) as github:
        code = main(_environ(tmp_path, work, base, head, github.base_url, on_fail="warn"), out)
    assert code == 0
    lines = out.getvalue().splitlines()
    assert len([line for line in lines if line.startswith("::notice") and "403" in line]) == 1
    assert any(line.startswith("::warning") and "on-fail: warn" in line for line in lines)
    assert "turns failures into warnings" in (tmp_path / "summary.md").read_text().split("## tco-gate")[0]


def test_an_unreachable_api_is_a_warning_not_a_verdict(clone: tuple[Path, str, str], tmp_path: Path) -> None:
    work, base, head = clone
    out = io.StringIO()
    with serve(State(fail_next=2)) as github:
        assert main(_environ(tmp_path, work, base, head, github.base_url), out) == 1
    assert any(line.startswith("::warning") and "502" in line for line in out.getvalue().splitlines())


def test_looser_inputs_are_flagged_at_the_top(clone: tuple[Path, str, str], tmp_path: Path) -> None:
    work, base, head = clone
    out = io.StringIO()
    environ = _environ(tmp_path, work, base, head, "http://127.0.0.1:9", min_savings_pct="-300", comment="off")
    assert main(environ, out) == 0  # the flag beats the policy: the step passes, and says why
    top = (tmp_path / "summary.md").read_text().split("## tco-gate")[0]
    assert "lowers the required saving to -300%" in top


def test_bad_inputs_are_one_error_line_and_exit_2(clone: tuple[Path, str, str], tmp_path: Path) -> None:
    work, base, head = clone
    for inputs in (
        {"comment": "sometimes"},
        {"horizon_months": "500"},
        {"proposals": "/abs/**"},
        {"on_fail": "x"},
        {"proposals": "nothing*/"},
    ):
        out = io.StringIO()
        environ = _environ(tmp_path, work, base, head, "http://127.0.0.1:9")
        environ.update({f"TCO_GATE_{name.upper()}": value for name, value in inputs.items()})
        assert main(environ, out) == 2, inputs
        assert out.getvalue().startswith("::error title=tco-gate::tco-gate: "), out.getvalue()
        assert len(out.getvalue().splitlines()) == 1


def test_paths_and_globs_select_proposals(clone: tuple[Path, str, str], tmp_path: Path) -> None:
    work, base, head = clone
    out = io.StringIO()
    environ = _environ(tmp_path, work, base, head, "http://127.0.0.1:9", proposals="sv*/", comment="off")
    assert main(environ, out) == 1
    report = json.loads((tmp_path / "runner-temp" / "tco-gate" / "report.json").read_text())
    assert [r["path"] for r in report["results"]] == ["svc/finetune-proposal.yml"]


def test_outside_a_pull_request_every_proposal_is_checked_from_the_work_tree(
    clone: tuple[Path, str, str], tmp_path: Path
) -> None:
    work, base, head = clone
    environ = _environ(tmp_path, work, base, head, "http://127.0.0.1:9")
    environ["GITHUB_EVENT_NAME"] = "push"
    out = io.StringIO()
    assert main(environ, out) == 1
    report = json.loads((tmp_path / "runner-temp" / "tco-gate" / "report.json").read_text())
    assert report["base"] is None and len(report["results"]) == 1


def test_looser_inputs_in_words() -> None:
    base = Policy()
    assert looser_inputs(min_savings_pct=None, horizon_months=None, on_fail="fail", policy=None, base=base) == []
    found = looser_inputs(min_savings_pct=None, horizon_months=12, on_fail="warn", policy="p.yml", base=base)
    assert [f.split(" ")[2] for f in found] == ["sets", "turns", "names"]


def test_which_workflows_run_this_action() -> None:
    assert uses_this_action("steps:\n  - uses: acme/tco-gate@abc # v1\n", "")
    assert uses_this_action("steps:\n  - uses: ./\n", "")
    assert uses_this_action("    - uses: 'Org/Gate@v1'\n", "org/gate")
    assert not uses_this_action("steps:\n  - uses: actions/checkout@abc\n  - uses: ./.github/actions/x\n", "acme/x")


def test_the_module_runs_as_the_actions_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import runpy

    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(tmp_path / "missing.json"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("tco_gate.github", run_name="__main__")
    assert exited.value.code == 2


def test_an_event_without_the_base_is_a_usage_error(clone: tuple[Path, str, str], tmp_path: Path) -> None:
    work, base, head = clone
    environ = _environ(tmp_path, work, base, head, "http://127.0.0.1:9")
    Path(environ["GITHUB_EVENT_PATH"]).write_text(json.dumps({"pull_request": {"number": 3}}))
    out = io.StringIO()
    assert main(environ, out) == 2
    assert "lacks 'base'" in out.getvalue()


def test_an_invalid_base_policy_is_the_checks_to_report(
    clone: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tco_gate.github.action import _base_policy
    from tco_gate.sources import GitRef

    work, base, _head = clone
    git(work, "fetch", "-q", "--depth=1", "origin", base)
    monkeypatch.chdir(work)  # the step runs in the workspace, where the inputs' paths are relative
    ref = GitRef(base, work)
    assert _base_policy(ref, None).min_savings_pct == 10
    assert _base_policy(ref, "svc/finetune-proposal.yml") == Policy()  # not a policy: the check says so
    assert _base_policy(ref, "nowhere.yml") == Policy()


def test_an_invalid_proposal_fails_the_step_with_exit_2(clone: tuple[Path, str, str], tmp_path: Path) -> None:
    work, base, head = clone
    (work / "bad").mkdir()
    (work / "bad" / "finetune-proposal.yml").write_text("version: 2\n")
    out = io.StringIO()
    environ = _environ(tmp_path, work, base, head, "http://127.0.0.1:9", proposals="all", comment="off")
    assert main(environ, out) == 2
    assert "::error file=bad/finetune-proposal.yml," in out.getvalue()


def test_a_bug_in_the_step_is_exit_3_with_one_line_that_asks_for_a_report(
    clone: tuple[Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Exit 1 means "a proposal failed": a bug must not read as a verdict, nor print a traceback in the log.
    from tco_gate.github import action

    def broken(*_: object) -> int:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(action, "run_action", broken)
    work, base, head = clone
    out = io.StringIO()
    assert main(_environ(tmp_path, work, base, head, "http://127.0.0.1:9"), out) == 3
    lines = out.getvalue().splitlines()
    assert len([line for line in lines if line.startswith("::error")]) == 1
    assert "internal error: ZeroDivisionError: boom" in out.getvalue()
    assert "please report it" in out.getvalue()
    assert "Traceback" not in out.getvalue()
