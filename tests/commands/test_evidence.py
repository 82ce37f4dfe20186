"""The review document as evidence: what was judged (sha256 of every file), `verify`, and `report PATHS`."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tco_gate import __version__
from tco_gate.catalog import catalog_version
from tco_gate.cli import main
from tco_gate.commands.arguments import judging_command
from tests.paths import EXAMPLES


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the examples with a root policy, as the current folder."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    (tmp_path / ".git").mkdir()  # the repository root, where the root policy is found
    (tmp_path / ".tco-gate.yml").write_text("version: 1\nmin_savings_pct: 10\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _filed(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    main(["check", "examples", "--format", "json", "--output", "filed.json", *extra])
    capsys.readouterr()
    data: dict[str, object] = json.loads(Path("filed.json").read_text(encoding="utf-8"))
    return data


def test_the_json_report_records_every_file_judged_the_versions_and_the_command(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _filed(capsys, "--min-savings-pct", "12")
    provenance = data["provenance"]
    assert isinstance(provenance, dict)
    assert provenance["catalog"] == f"genai-prices {catalog_version()}"
    assert data["tool"] == {"name": "tco-gate", "version": __version__}
    assert provenance["command"] == ["tco-gate", "check", "examples", "--min-savings-pct", "12"]
    inputs = {item["path"]: item for item in provenance["inputs"]}
    proposal = "examples/support-triage/finetune-proposal.yml"
    assert inputs[proposal] == {"path": proposal, "role": "proposal", "sha256": _sha256(workspace / proposal)}
    assert inputs[".tco-gate.yml"]["role"] == "policy"
    assert inputs[".tco-gate.yml"]["sha256"] == _sha256(workspace / ".tco-gate.yml")
    proposals = sorted(p.relative_to(workspace).as_posix() for p in workspace.glob("examples/*/finetune-proposal.yml"))
    evidence = sorted(
        p.relative_to(workspace).as_posix() for p in workspace.glob("examples/*/*/*") if p.suffix in (".json", ".jsonl")
    )
    assert evidence  # the bundled example with eval, usage and load-test evidence
    assert all(inputs[path]["role"] == "evidence" for path in evidence)
    # each proposal, its evidence files, and their one policy once
    assert sorted(inputs) == sorted([*proposals, *evidence, ".tco-gate.yml"])


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["check", "a", "--format", "json", "--output", "r.json"], ["tco-gate", "check", "a"]),
        (
            ["check", "--format=html", "--output=r.html", "a", "--policy", "p.yml"],
            ["tco-gate", "check", "a", "--policy", "p.yml"],
        ),
        (["report", "a", "b", "--format", "html"], ["tco-gate", "report", "a", "b"]),
    ],
)
def test_the_reproducing_command_leaves_out_only_how_the_report_is_shown(argv: list[str], command: list[str]) -> None:
    assert list(judging_command(argv)) == command


def test_verify_holds_while_nothing_changed(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _filed(capsys)
    assert main(["verify", "filed.json"]) == 0
    proposals = len(list(workspace.glob("examples/*/finetune-proposal.yml")))
    evidence = len([p for p in workspace.glob("examples/*/*/*") if p.suffix in (".json", ".jsonl")])
    files = proposals + evidence + 1  # and the one policy
    assert capsys.readouterr().out == f"filed.json: holds: {files} file(s) unchanged, {proposals} verdict(s) the same\n"


def test_verify_names_a_changed_proposal_even_when_its_verdict_holds(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _filed(capsys)
    proposal = workspace / "examples" / "support-triage" / "finetune-proposal.yml"
    proposal.write_text(proposal.read_text(encoding="utf-8") + "# an edit after the review\n", encoding="utf-8")
    assert main(["verify", "filed.json"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(
        "changed: examples/support-triage/finetune-proposal.yml: the proposal file changed (sha256 "
    )
    assert out[-1] == "filed.json: does not hold: 1 change(s) since it was written"


def test_verify_names_a_verdict_that_no_longer_holds(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _filed(capsys)
    (workspace / ".tco-gate.yml").write_text("version: 1\nmin_savings_pct: 99\n", encoding="utf-8")
    assert main(["verify", "filed.json"]) == 1
    out = capsys.readouterr().out
    assert "changed: .tco-gate.yml: the policy file changed" in out
    assert "changed: listing-categorizer: the verdict was pass, now fail" in out


def test_verify_names_a_forged_verdict(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _filed(capsys)
    results = data["results"]
    assert isinstance(results, list)
    failing = next(r for r in results if r["name"] == "support-triage")
    assert failing["verdict"] == "fail"
    failing["verdict"] = "pass"
    Path("filed.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["verify", "filed.json"]) == 1
    assert "changed: support-triage: the verdict was pass, now fail" in capsys.readouterr().out


def test_verify_refuses_a_report_it_cannot_read_or_without_evidence(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "missing.json"]) == 2
    assert "cannot read missing.json" in capsys.readouterr().err
    data = _filed(capsys)
    del data["provenance"]
    Path("bare.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["verify", "bare.json"]) == 2
    assert "bare.json has no `provenance` block to verify against" in capsys.readouterr().err


def test_report_paths_writes_one_document_with_the_portfolio_first_and_exits_0(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "examples", "--format", "html", "--output", "review.html"]) == 0
    document = Path("review.html").read_text(encoding="utf-8")
    assert document.index("<h2>Portfolio</h2>") < document.index('<section id="proposal-1">')
    assert document.index('<section id="proposal-3">') < document.index('<h2 id="evidence">Evidence</h2>')
    assert "<pre><code>tco-gate report examples</code></pre>" in document
    assert _sha256(workspace / ".tco-gate.yml") in document


def test_a_report_paths_document_verifies_through_its_json(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "examples", "--format", "json", "--output", "filed.json"]) == 0
    assert main(["verify", "filed.json"]) == 0


def test_report_takes_paths_or_a_saved_report_not_both(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "examples", "--from", "x.json"]) == 2
    assert "give PATHs to judge or --from a saved report, not both" in capsys.readouterr().err
