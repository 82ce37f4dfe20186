"""Evidence through a whole run: read from the repository, confined to it, judged on, reported, verified."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tco_gate.cli import main
from tco_gate.evidence_files import MAX_EVIDENCE_BYTES
from tests.gitrepo import git
from tests.paths import EXAMPLES

EXAMPLE = EXAMPLES / "support-triage-measured"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding a copy of the bundled evidence example under `svc/`, as the current folder."""
    shutil.copytree(EXAMPLE, tmp_path / "svc")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "proposal with evidence")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def judged(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--format", "json", *args])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return code, report["results"][0]


def proposal(repo: Path) -> Path:
    return repo / "svc" / "finetune-proposal.yml"


def rewrite(repo: Path, old: str, new: str) -> None:
    path = proposal(repo)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(repo: Path, needle: str) -> int:
    return next(i for i, line in enumerate(proposal(repo).read_text().splitlines(), 1) if needle in line)


def test_the_proposal_is_judged_on_the_measured_figures(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, result = judged(capsys, "svc")
    assert code == 1 and result["verdict"] == "fail"
    evidence = result["evidence"]
    assert [(f["kind"], f["path"]) for f in evidence["files"]] == [
        ("eval", "svc/evals/prompting.jsonl"),
        ("eval", "svc/evals/finetuned.jsonl"),
        ("usage", "svc/usage/2026-10.json"),
        ("serving_benchmark", "svc/bench/a10g-triage.json"),
    ]
    stats = evidence["eval"]
    assert (stats["n"], stats["b"], stats["c"], stats["significant"]) == (400, 12, 56, True)
    assert (stats["prompting_accuracy"], stats["finetune_accuracy"]) == (0.81, 0.92)
    assert f"{stats['p_value']:.4g}" == "6.209e-08"  # exact: 2 × sum C(68, i), i <= 12, / 2^68; 4 digits kept
    assert round(stats["gain_lower_bound"], 6) == 0.077319
    assert round(evidence["usage"]["requests_per_month"]) == 2_956_269
    inputs = {row["key"]: row for row in result["inputs"]}
    assert inputs["workload.requests_per_month"]["source"] == "evidence"
    assert inputs["workload.requests_per_month"]["detail"].startswith("svc/usage/2026-10.json (sha256 ")
    assert inputs["finetune.serving.requests_per_second_per_gpu"]["value"] == pytest.approx(7.0769, abs=1e-4)
    assert inputs["finetune.serving.gpu_hourly_usd"]["source"] == "claimed"
    assert inputs["prompting.input_usd_per_mtok"]["source"] == "catalog"
    assert inputs["policy.hourly_rate_usd"]["source"] == "default"


def test_the_point_estimate_would_exempt_the_lower_bound_does_not(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 0.92 against 0.81 is a 12% shortfall, over the default 10%: written alone, the proposal is exempt.
    # The 400 examples support a gain of only 7.7 points (8.4%) with 95% confidence: the margin decides.
    code, result = judged(capsys, "svc")
    assert (code, result["verdict"]) == (1, "fail")
    assert result["exemption_claims"] == []
    text = proposal(repo).read_text()
    without_eval = text.split("  eval:")[0] + "  usage:" + text.split("  usage:", 1)[1]
    proposal(repo).write_text(
        without_eval.replace(
            "  eval_set: evals/triage-gold.jsonl",
            "  eval_set: gold\n  finetune_accuracy: 0.92\n  prompting_accuracy: 0.81",
        ),
        encoding="utf-8",
    )
    code, result = judged(capsys, "svc")
    assert (code, result["verdict"]) == (0, "exempt")


def test_a_written_accuracy_that_disagrees_is_an_error_at_its_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rewrite(repo, "  eval_set: evals/triage-gold.jsonl", "  eval_set: gold\n  prompting_accuracy: 0.5")
    code, result = judged(capsys, "svc")
    assert (code, result["verdict"]) == (2, "invalid")
    (finding,) = [f for f in result["findings"] if f["level"] == "error"]
    assert finding["line"] == line_of(repo, "prompting_accuracy: 0.5")
    assert (
        "disagrees with the eval evidence: 0.810 (324 of 400 examples right in svc/evals/prompting.jsonl)"
        in (finding["message"])
    )


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("/etc/passwd", "an absolute path: write it relative to the proposal's folder"),
        ("../../outside.json", "`..` climbs above the repository root"),
        ("missing.json", "no such file"),
        ("evals", "a folder, not a file"),
    ],
)
def test_a_path_that_cannot_be_evidence_is_an_error_at_the_evidence_key(
    repo: Path, capsys: pytest.CaptureFixture[str], written: str, problem: str
) -> None:
    rewrite(repo, "file: bench/a10g-triage.json", f"file: {written}")
    code, result = judged(capsys, "svc")
    assert (code, result["verdict"]) == (2, "invalid")
    (finding,) = [f for f in result["findings"] if f["level"] == "error" and f["pointer"].startswith("/evidence")]
    assert finding["pointer"] == "/evidence/serving_benchmark/file"
    assert finding["line"] == line_of(repo, f"file: {written}")
    assert problem in finding["message"]


def test_a_link_leading_out_and_a_link_loop_are_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = repo.parent / "outside.json"
    outside.write_text("{}", encoding="utf-8")
    (repo / "svc" / "out.json").symlink_to(outside)
    (repo / "svc" / "loop.json").symlink_to(repo / "svc" / "loop.json")
    for name, problem in (("out.json", "a symbolic link that leads out of the repository"), ("loop.json", "loops")):
        rewrite(repo, "file: bench/a10g-triage.json", f"file: {name}")
        code, result = judged(capsys, "svc")
        assert code == 2
        assert any(problem in f["message"] for f in result["findings"]), result["findings"]
        rewrite(repo, f"file: {name}", "file: bench/a10g-triage.json")


def test_a_200_mib_file_is_refused_without_being_read(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = repo / "svc" / "huge.json"
    with huge.open("wb") as handle:  # sparse: no 200 MiB is written to the disk
        handle.truncate(200 * 1024 * 1024)
    assert huge.stat().st_size > MAX_EVIDENCE_BYTES
    rewrite(repo, "file: bench/a10g-triage.json", "file: huge.json")
    code, result = judged(capsys, "svc")
    assert code == 2
    assert any("200.0 MiB, larger than the 64 MiB" in f["message"] for f in result["findings"])


def test_a_problem_inside_a_file_names_the_file_and_its_own_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = repo / "svc" / "evals" / "finetuned.jsonl"
    lines = log.read_text().splitlines()
    lines[6] = lines[6].replace('"correct": ', '"correct": "yes", "was": ')
    log.write_text("\n".join(lines) + "\n")
    code, result = judged(capsys, "svc")
    assert code == 2
    (finding,) = [f for f in result["findings"] if f["pointer"] == "/evidence/eval/finetuned"]
    assert finding["line"] == line_of(repo, "finetuned: evals/finetuned.jsonl")
    assert finding["message"].startswith("svc/evals/finetuned.jsonl:7:")
    assert "`correct` must be true or false" in finding["message"]


def test_verify_notices_a_changed_evidence_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "svc", "--format", "json", "--output", "filed.json"]) == 1
    capsys.readouterr()
    filed = json.loads(Path("filed.json").read_text())
    roles = {item["path"]: item["role"] for item in filed["provenance"]["inputs"]}
    assert roles["svc/usage/2026-10.json"] == "evidence"
    assert main(["verify", "filed.json"]) == 0
    capsys.readouterr()
    bench = repo / "svc" / "bench" / "a10g-triage.json"
    bench.write_text(bench.read_text().replace('"completed": 1000', '"completed": 1001'))
    assert main(["verify", "filed.json"]) == 1
    assert "svc/bench/a10g-triage.json: the evidence file changed" in capsys.readouterr().out


def test_with_base_the_base_side_reads_its_evidence_from_the_commit(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = git(repo, "rev-parse", "HEAD")
    (repo / "svc" / "bench" / "a10g-triage.json").write_text("not json")  # broken in the work tree only
    rewrite(repo, "summary: Fine-tune", "summary: Now fine-tune")  # the proposal changed, so both sides are judged
    code = main(["check", "--format", "json", "--base", base, "svc"])
    report = json.loads(capsys.readouterr().out)
    assert code == 2 and report["results"][0]["verdict"] == "invalid"  # the work tree's file is broken
    (change,) = report["base"]["changes"]
    assert (change["status"], change["base_verdict"]) == ("changed", "fail")  # the commit's file is whole


def test_without_git_the_current_folder_bounds_the_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "svc")
    monkeypatch.chdir(tmp_path / "svc")
    code, result = judged(capsys, ".")
    assert code == 1 and result["evidence"]["eval"]["n"] == 400


@pytest.mark.parametrize("form", ["text", "json", "markdown", "html", "github"])
def test_every_format_shows_the_inputs_table_and_the_statistics(
    repo: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    main(["check", "--format", form, "svc"])
    out = capsys.readouterr().out
    # the volume came from the usage export (named with its sha256); the GPU price nobody checked
    assert "workload.requests_per_month" in out and "svc/usage/2026-10.json (sha256 " in out
    assert "finetune.serving.gpu_hourly_usd" in out and "claimed" in out
    if form != "json":
        assert "b 12, c 56; McNemar p = 6.2e-08" in out
        assert "95% lower bound +7.73 points: the difference is significant at the 5% level" in out


def test_evaluate_without_the_files_it_names_is_an_invalid_result_not_a_crash() -> None:
    from datetime import date

    from tco_gate.gate import evaluate
    from tco_gate.models import Policy
    from tco_gate.result import PolicySettings

    data = (EXAMPLE / "finetune-proposal.yml").read_bytes()
    result = evaluate(data, "p.yml", PolicySettings(Policy(), None, {}), date(2026, 11, 29))
    assert result.outcome.value == "invalid"
    assert any(f.message == "evals/prompting.jsonl: not read: no file given" for f in result.findings)


@pytest.mark.parametrize(
    ("change", "status"),
    [("svc/evals/finetuned.jsonl", "changed"), ("svc/bench/a10g-triage.json", "changed"), (None, None)],
)
def test_changed_selects_a_proposal_whose_evidence_alone_changed(
    repo: Path, capsys: pytest.CaptureFixture[str], change: str | None, status: str | None
) -> None:
    """An eval log edited without touching the proposal moves its figures: `--changed` must judge it."""
    if change is not None:
        path = repo / change
        path.write_bytes(path.read_bytes().replace(b"1", b"2", 1))
    code = main(["check", "--format", "json", "--base", "HEAD", "--changed", "svc"])
    report = json.loads(capsys.readouterr().out)
    statuses = [c["status"] for c in report["base"]["changes"]]
    assert statuses == ([status] if status else [])
    assert (code != 0) if status else (code == 0)  # judged (the example fails) or nothing to judge


def test_measured_tokens_a_request_are_shown_whole_in_the_text_report(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The usage export gives 2,149.98200207114 tokens a request, held exactly; the report rounds, as the review
    documents do."""
    main(["check", "svc"])
    out = capsys.readouterr().out
    assert "(the workload's 2,150 tokens a request)" in out
