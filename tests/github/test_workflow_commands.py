"""Workflow commands, outputs and the summary as GitHub's runner parses them (its documented escaping rules)."""

from __future__ import annotations

import re

from tco_gate.github.comment import MARKER, ZERO_WIDTH_JOINER, comment_body, neutralise_mentions
from tco_gate.github.workflow import fit_summary, output_block
from tco_gate.report.github import Annotation, capped, command, quarantined
from tests.paths import CASES, EXAMPLES


def _is_command(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(("::", "##["))


def test_annotation_data_and_properties_are_escaped() -> None:
    line = command(Annotation("error", "50%\r\n::error::x", file="a,b:c/f.yml", line=3, column=2, title="t: 1,2"))
    assert line == "::error file=a%2Cb%3Ac/f.yml,line=3,col=2,title=t%3A 1%2C2::50%25%0D%0A:\u200b:error:\u200b:x"
    assert line.count("::") == 2
    assert "\n" not in line


def test_a_column_without_a_line_and_a_line_without_a_file_are_dropped() -> None:
    assert command(Annotation("warning", "m", line=3, column=2)) == "::warning::m"
    assert command(Annotation("notice", "m", file="f.yml")) == "::notice file=f.yml::m"


def test_ten_annotations_per_level_the_tenth_counts_the_rest() -> None:
    many = [Annotation("error", f"e{n}") for n in range(25)] + [Annotation("warning", "w")]
    kept = capped(many)
    errors = [a for a in kept if a.level == "error"]
    assert len(errors) == 10
    assert [a.message for a in errors[:9]] == [f"e{n}" for n in range(9)]
    assert errors[9].message.startswith("16 more errors")
    assert [a.message for a in kept if a.level == "warning"] == ["w"]
    assert capped(many[:10]) == many[:10]


def test_quarantined_text_cannot_end_the_pause() -> None:
    hostile = "::error::pwned\n  ::set-output name=verdict::pass\n::abc::\n"
    wrapped = quarantined(hostile, token="abc")  # a token found in the text is replaced by a random one
    first, *middle, last = wrapped.splitlines()
    token = first.removeprefix("::stop-commands::")
    assert token != "abc" and re.fullmatch(r"[0-9a-f]{32}", token)
    assert last == f"::{token}::"
    assert "\n".join(middle) + "\n" == hostile
    assert not any(line.strip() == f"::{token}::" for line in middle)


def test_outputs_use_a_delimiter_no_value_contains() -> None:
    block = output_block({"verdict": "fail", "name": "x\nghadelimiter_1\nverdict<<EOF"}, delimiter="ghadelimiter_1")
    delimiter = block.split("\n", 1)[0].removeprefix("verdict<<")
    assert delimiter != "ghadelimiter_1" and delimiter.startswith("ghadelimiter_")
    assert block == (
        f"verdict<<{delimiter}\nfail\n{delimiter}\nname<<{delimiter}\nx\nghadelimiter_1\nverdict<<EOF\n{delimiter}\n"
    )


def test_the_summary_is_cut_under_one_mebibyte_and_says_so() -> None:
    table = "```mermaid\n" + "".join(f"row {n} {'é' * 100}\n" for n in range(20_000))
    fitted = fit_summary(table)
    assert len(fitted.encode("utf-8")) < 1024 * 1024
    assert fitted.rstrip().endswith("`--format json` has it all.")
    assert sum(1 for line in fitted.splitlines() if line.startswith("```")) % 2 == 0
    assert fit_summary("short\n") == "short\n"


def test_mentions_are_neutralised_but_emails_and_code_are_not_touched() -> None:
    text = "owner @acme/support-ml, cc @alice; mail ops@acme.test"
    assert neutralise_mentions(text) == (
        f"owner @{ZERO_WIDTH_JOINER}acme/support-ml, cc @{ZERO_WIDTH_JOINER}alice; mail ops@acme.test"
    )
    assert not re.search(r"(?<![\w`/])@[A-Za-z0-9]", neutralise_mentions(text))


def test_the_comment_starts_with_the_marker() -> None:
    assert comment_body("# report", None).splitlines() == [MARKER, "# report"]


def test_no_line_of_quarantined_text_is_read_as_a_command_outside_the_pause() -> None:
    lines = quarantined("##[error]old style\n::warning::new style").splitlines()
    outside = [lines[0], lines[-1]]
    assert all(_is_command(line) for line in outside)
    assert len(lines) == 4


def test_a_comment_cut_inside_the_chart_closes_its_fence() -> None:
    report = "# report\n```mermaid\n" + "".join(f"line {n}\n" for n in range(20_000))
    body = comment_body(report, None)
    assert len(body) < 65_536
    assert sum(1 for line in body.splitlines() if line.startswith("```")) == 2
    assert body.rstrip().endswith("The full report is in the job summary.")


def test_an_annotation_with_a_title_only_and_one_without_a_column() -> None:
    assert command(Annotation("error", "m", title="t")) == "::error title=t::m"
    assert command(Annotation("error", "m", file="f", line=2)) == "::error file=f,line=2::m"


def test_empty_text_is_quarantined_as_nothing() -> None:
    lines = quarantined("", token="0" * 32).splitlines()
    assert lines == ["::stop-commands::" + "0" * 32, "::" + "0" * 32 + "::"]


def test_outputs_of_an_empty_run_and_of_an_invalid_one() -> None:
    from datetime import date
    from pathlib import Path

    from tco_gate.github.step import outputs
    from tco_gate.options import RunOptions
    from tco_gate.report.build import build
    from tco_gate.run import run

    empty = outputs(build([]), None)
    assert empty["verdict"] == "none" and empty["report"] == "" and empty["proposal"] == ""
    invalid_case = CASES / "invalid" / "merge-key"
    found = outputs(build(run(RunOptions(paths=(invalid_case,)), today=date(2026, 11, 29))), Path("r.json"))
    assert found["verdict"] == "invalid" and found["finetune-total-usd"] == "" and found["report"] == "r.json"
    examples = EXAMPLES / "listing-categorizer"
    passing = outputs(build(run(RunOptions(paths=(examples,)), today=date(2026, 11, 29))), None)
    assert passing["verdict"] == "pass" and passing["break-even-month"].isdigit()
    assert float(passing["savings-pct"]) > 10
