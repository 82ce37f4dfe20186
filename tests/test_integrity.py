"""Ways around the gate, each tried the way a team that wants a yes would try it, and each refused."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tco_gate.cli import main
from tco_gate.options import RunOptions
from tco_gate.result import Outcome
from tco_gate.run import run

from .gitrepo import git

TODAY = date(2026, 11, 29)

ROOT = Path(__file__).parent.parent
FAILING = ROOT / "examples" / "support-triage" / "finetune-proposal.yml"  # loses by ~255% under the defaults


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code = main(["check", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def text(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check", *argv])
    return code, capsys.readouterr().out


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def put(path: Path, content: str | dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content), encoding="utf-8")
    return path


def failing_proposal(folder: Path, **changes: Any) -> Path:
    """The failing example, with top-level sections changed (a value of None removes the key)."""
    data = yaml.safe_load(FAILING.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return put(folder / "finetune-proposal.yml", data)


# 1. Self-declared exemptions


@pytest.mark.parametrize(
    ("constraints", "kind"),
    [({"data_residency": "EU customer PII stays in region"}, "data-residency"), ({"max_latency_ms": 40}, "latency")],
)
def test_a_self_declared_exemption_is_shown_as_unapproved(
    repo: Path, capsys: pytest.CaptureFixture[str], constraints: dict[str, Any], kind: str
) -> None:
    failing_proposal(repo / "svc", constraints=constraints)
    code, out = text(capsys, "svc")
    assert code == 0  # without require_approval the claim still stands...
    ((key, value),) = constraints.items()
    assert f"constraints.{key}: {value!r}" in out  # ...but every report shows the claim's own words
    assert "approved by nobody" in out  # ...and who approved it: nobody
    _, report, _ = check(capsys, "svc")
    (result,) = report["results"]
    (claimed,) = result["exemption_claims"]
    assert claimed["kind"] == kind
    assert claimed["approved_by"] is None
    assert str(next(iter(constraints.values()))) in claimed["claim"]


def test_an_unapproved_claim_under_require_approval_is_judged_on_the_margin(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    put(repo / ".tco-gate.yml", {"version": 1, "exemptions": {"require_approval": True}})
    failing_proposal(repo / "svc", constraints={"data_residency": "EU customer PII stays in region"})
    code, report, _ = check(capsys, "svc")
    assert code == 1
    (result,) = report["results"]
    assert result["verdict"] == "fail"
    codes = [reason["code"] for reason in result["reasons"]]
    assert codes[0] == "margin"
    assert "exemption-unapproved" in codes


@pytest.mark.parametrize(
    ("approval", "verdict", "code"),
    [
        ({"exemption": "data-residency", "expires": "2999-12-31"}, "exempt", "exempt-data-residency"),
        ({"exemption": "data-residency", "expires": "2000-01-01"}, "fail", "approval-expired"),
        ({"exemption": "latency", "expires": "2999-12-31"}, "fail", "exemption-unapproved"),  # another kind
    ],
)
def test_only_an_unexpired_approval_of_that_kind_turns_a_claim_into_exempt(
    repo: Path, capsys: pytest.CaptureFixture[str], approval: dict[str, str], verdict: str, code: str
) -> None:
    approvals = [{"proposal": "support-triage", "reason": "ARB-7", "approved_by": "@arch", **approval}]
    put(repo / ".tco-gate.yml", {"version": 1, "exemptions": {"require_approval": True}, "approvals": approvals})
    failing_proposal(repo / "svc", constraints={"data_residency": "EU PII"})
    _, report, _ = check(capsys, "svc")
    (result,) = report["results"]
    assert result["verdict"] == verdict
    assert code in [reason["code"] for reason in result["reasons"]]


# 2. A nested policy that loosens


def test_a_nested_policy_cannot_lower_the_margin(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put(repo / ".tco-gate.yml", "version: 1\nmin_savings_pct: 10\n")
    put(repo / "team" / ".tco-gate.yml", "version: 1\nmin_savings_pct: -1000\n")
    failing_proposal(repo / "team" / "svc")
    code, out = text(capsys, "team")
    assert code == 2
    assert (
        "team/.tco-gate.yml:2:1: error: `min_savings_pct: -1000` would loosen the policy above it "
        "(.tco-gate.yml: `min_savings_pct: 10`)"
    ) in out


@pytest.mark.parametrize(
    "nested",
    [
        "on_fail: warn",
        "require_hidden_costs: false",
        "exemptions: {data_residency: true}",  # the root turned it off
        "exemptions: {latency_under_ms: 500}",
        "exemptions: {accuracy_gap_pct: 1}",
        "exemptions: {require_approval: false}",
        "waivers: [{proposal: support-triage, reason: x, approved_by: me, expires: 2999-01-01}]",
    ],
)
def test_a_nested_policy_cannot_loosen_anything(repo: Path, capsys: pytest.CaptureFixture[str], nested: str) -> None:
    root = "version: 1\nexemptions: {data_residency: false, require_approval: true}\n"
    put(repo / ".tco-gate.yml", root)
    put(repo / "team" / ".tco-gate.yml", f"version: 1\n{nested}\n")
    failing_proposal(repo / "team" / "svc")
    code, report, _ = check(capsys, "team")
    assert code == 2
    (result,) = report["results"]
    assert result["verdict"] == "invalid"
    (finding,) = result["findings"]
    assert finding["file"] == "team/.tco-gate.yml"
    assert finding["line"] == 2


def test_a_nested_policy_may_tighten(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put(repo / "team" / ".tco-gate.yml", "version: 1\nmin_savings_pct: 99\non_fail: fail\n")
    pass_example = ROOT / "examples" / "listing-categorizer" / "finetune-proposal.yml"
    shutil.copy(pass_example, put(repo / "team" / "svc" / "finetune-proposal.yml", ""))
    code, report, _ = check(capsys, "team")
    assert code == 1
    policy = report["results"][0]["policy"]
    assert policy["min_savings_pct"] == 99


@pytest.mark.parametrize(
    "economics",
    [
        "hourly_rate_usd: 0\nhorizon_months: 120\n",
        "hourly_rate_usd: 0\nhorizon_months: 120\ndiscount_rate_pct_per_year: 60\n",  # all three at once
    ],
)
def test_cheaper_hours_in_a_nested_policy_cannot_turn_a_root_failure_into_a_pass(
    repo: Path, capsys: pytest.CaptureFixture[str], economics: str
) -> None:
    put(repo / "team" / ".tco-gate.yml", f"version: 1\n{economics}")
    failing_proposal(repo / "team" / "svc")
    code, report, _ = check(capsys, "team")
    assert code == 1
    (result,) = report["results"]
    assert result["verdict"] == "fail"
    assert result["reasons"][-1]["code"] == "stricter-of-two"


_NESTED_VALUES = st.fixed_dictionaries(
    {},
    optional={
        "min_savings_pct": st.integers(-1000, 100),
        "hourly_rate_usd": st.integers(0, 1000),
        "horizon_months": st.integers(1, 120),
        "discount_rate_pct_per_year": st.integers(0, 100),
        "require_hidden_costs": st.booleans(),
        "on_fail": st.sampled_from(["fail", "warn"]),
        "exemptions": st.fixed_dictionaries(
            {},
            optional={
                "data_residency": st.booleans(),
                "latency_under_ms": st.one_of(st.just(False), st.integers(1, 10_000)),
                "accuracy_gap_pct": st.one_of(st.just(False), st.integers(0, 100)),
                "require_approval": st.booleans(),
            },
        ),
        "waivers": st.just(
            [{"proposal": "support-triage", "reason": "r", "approved_by": "a", "expires": "2999-01-01"}]
        ),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nested=_NESTED_VALUES, constraints=st.sampled_from([None, {"data_residency": "EU PII"}, {"max_latency_ms": 5}]))
# A way through that random draws seldom find: an `exemptions:` key other than the one the root turned off.
@example(nested={"exemptions": {"require_approval": False}}, constraints={"data_residency": "EU PII"})
def test_no_nested_policy_turns_a_root_failure_into_a_way_through(
    tmp_path_factory: pytest.TempPathFactory, nested: dict[str, Any], constraints: dict[str, Any] | None
) -> None:
    repo = tmp_path_factory.mktemp("repo")
    (repo / ".git").mkdir()
    root = {"version": 1, "exemptions": {"data_residency": False, "latency_under_ms": False}}
    put(repo / ".tco-gate.yml", root)
    proposal = failing_proposal(repo / "team" / "svc", constraints=constraints)
    (alone,) = run(RunOptions(paths=(proposal,)), today=TODAY)
    assert alone.outcome is Outcome.FAIL  # the root policy alone fails it
    put(repo / "team" / ".tco-gate.yml", {"version": 1, **nested})
    (result,) = run(RunOptions(paths=(proposal,)), today=TODAY)
    assert result.outcome in (Outcome.FAIL, Outcome.INVALID), (nested, result.reasons)
    if result.outcome is Outcome.FAIL:
        assert result.enforced


# 3. Waivers by a name the author controls


def test_a_copied_name_cannot_borrow_a_waiver(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    waiver = {"proposal": "support-triage", "reason": "ARB-142", "approved_by": "@arch", "expires": "2999-01-01"}
    put(repo / ".tco-gate.yml", {"version": 1, "waivers": [waiver]})
    failing_proposal(repo / "support")
    failing_proposal(repo / "copycat")  # the same name, a different team's file
    code, report, _ = check(capsys)
    assert code == 2
    first, second = report["results"]
    assert (first["verdict"], second["verdict"]) == ("invalid", "invalid")
    assert "support/finetune-proposal.yml" in first["reasons"][0]["text"]
    assert "copycat/finetune-proposal.yml" in second["reasons"][0]["text"]
    assert first["reasons"][0]["code"] == "duplicate-name"
    assert first["findings"][-1]["line"] is not None


def test_a_waiver_that_matches_no_proposal_is_a_warning_on_its_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    put(
        repo / ".tco-gate.yml",
        "version: 1\nwaivers:\n  - {proposal: support-triag, reason: typo, approved_by: me, expires: 2999-01-01}\n",
    )
    failing_proposal(repo / "svc")
    code, out = text(capsys)
    assert code == 1
    assert ".tco-gate.yml:3:16: warning: the waiver for `support-triag` matches no proposal" in out


# 4. Names across the whole repository, whatever subset a run checks (a real git repository)


WAIVER = {"proposal": "support-triage", "reason": "ARB-142", "approved_by": "@arch", "expires": "2999-01-01"}


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real repository whose root policy waives `support-triage`, the waived proposal committed."""
    git(tmp_path, "init", "-q", "-b", "main")
    put(tmp_path / ".tco-gate.yml", {"version": 1, "waivers": [WAIVER]})
    failing_proposal(tmp_path / "support")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_copied_name_cannot_borrow_a_waiver_when_only_the_change_is_checked(
    git_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing_proposal(git_repo / "copycat")  # `tco-gate init` writes `name: support-triage` too
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "copy")
    # What the Action runs by default: only the proposals the change touches.
    code, report, _ = check(capsys, "--base", "HEAD~1", "--changed")
    assert code == 2
    (copy,) = report["results"]
    assert (copy["path"], copy["verdict"]) == ("copycat/finetune-proposal.yml", "invalid")
    assert copy["reasons"][0]["code"] == "duplicate-name"
    assert "support/finetune-proposal.yml" in copy["reasons"][0]["text"]
    assert copy["waiver"] is None
    # What the hook runs (the staged file, by name), and a path named by hand: the same refusal.
    code, report, _ = check(capsys, "copycat/finetune-proposal.yml")
    assert code == 2 and report["results"][0]["reasons"][0]["code"] == "duplicate-name"


def test_an_untracked_copy_is_refused_too_and_the_original_keeps_its_waiver(
    git_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing_proposal(git_repo / "copycat")  # not added: a local check before the commit
    code, report, _ = check(capsys, "copycat")
    assert code == 2 and report["results"][0]["verdict"] == "invalid"
    code, report, _ = check(capsys, "support")  # the one tracked holder of the name
    assert code == 0 and report["results"][0]["verdict"] == "waived"


def test_a_stray_git_folder_or_file_does_not_make_a_team_policy_the_root(
    git_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for stray in ("dir", "file"):
        team = git_repo / "teams" / stray
        proposal = failing_proposal(team, name=f"team-{stray}")
        if stray == "dir":
            (team / ".git").mkdir()
        else:
            (team / ".git").write_text("gitdir: nowhere\n")
        put(team / ".tco-gate.yml", {"version": 1, "min_savings_pct": -500})
        code, report, _ = check(capsys, str(proposal.relative_to(git_repo)))
        (result,) = report["results"]
        # The team file is nested under the real root: it tries to loosen the margin, which is refused.
        assert (code, result["verdict"]) == (2, "invalid"), stray
        assert result["policy"] is None and "min_savings_pct" in result["findings"][0]["message"]


def test_one_file_reached_through_a_link_is_one_proposal(git_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (git_repo / "alias").mkdir()
    (git_repo / "alias" / "finetune-proposal.yml").symlink_to(git_repo / "support" / "finetune-proposal.yml")
    code, report, _ = check(capsys, ".")
    assert code == 0
    assert [r["path"] for r in report["results"]] == ["support/finetune-proposal.yml"]  # the file itself


def test_an_unmatched_waiver_is_the_policy_files_warning_with_named_paths_too(
    git_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = {**WAIVER, "proposal": "suport-triage"}
    put(git_repo / ".tco-gate.yml", {"version": 1, "waivers": [WAIVER, typo]})
    for argv in ((), ("support/finetune-proposal.yml",), ("--policy", ".tco-gate.yml", "support")):
        code, report, _ = check(capsys, *argv)
        assert code == 0, argv
        (result,) = report["results"]
        assert all("matches no proposal" not in f["message"] for f in result["findings"]), argv
        (warning,) = report["findings"]
        assert (warning["file"], warning["line"], warning["level"]) == (".tco-gate.yml", 9, "warning"), argv
        assert "`suport-triage` matches no proposal" in warning["message"]
    code, out = text(capsys, "support/finetune-proposal.yml")
    assert "policy findings\n  .tco-gate.yml:9:" in out


def test_a_changed_policy_checks_the_tracked_proposals_it_governs_not_stray_files(
    git_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing_proposal(git_repo / "support" / "draft", name="draft-idea")  # lying untracked in the work tree
    code, report, _ = check(capsys, ".tco-gate.yml")  # the hook, when a commit touches only the policy
    assert code == 0
    assert [r["path"] for r in report["results"]] == ["support/finetune-proposal.yml"]


def test_a_fifo_and_a_link_loop_each_get_their_own_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(tmp_path / "pipe.yml")
    (tmp_path / "loop.yml").symlink_to(tmp_path / "loop.yml")
    code, report, _ = check(capsys, str(tmp_path / "pipe.yml"), str(tmp_path / "loop.yml"))
    assert code == 2
    messages = [r["findings"][0]["message"] for r in report["results"]]
    assert any("not a file or a folder (a FIFO" in m for m in messages)
    assert any("a symbolic link that loops" in m for m in messages)


def test_a_link_loop_or_a_dangling_link_found_in_a_folder_is_invalid_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Named on the command line each gets its message (above); found by walking a folder it must too, not exit 3.
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "finetune-proposal.yml").symlink_to("x")
    (tmp_path / "loop" / "x").symlink_to("finetune-proposal.yml")
    (tmp_path / "gone").mkdir()
    (tmp_path / "gone" / "finetune-proposal.yml").symlink_to("nothing-here.yml")
    code, report, _ = check(capsys, str(tmp_path / "loop"), str(tmp_path / "gone"))
    assert code == 2
    messages = {Path(r["path"]).parent.name: r["findings"][0]["message"] for r in report["results"]}
    assert "a symbolic link that loops" in messages["loop"]
    assert "a symbolic link to nothing" in messages["gone"]
