"""A report written a proposal at a time says, byte for byte, what the same run's whole report renders to.

`check` writes JSON, Markdown, HTML, SARIF, JUnit and GitLab from each proposal's part (report/parts.py), made
where the proposal was judged; the whole-report route (`report --from`, the Action) renders the report model.
Both must give the same bytes, and each document must hold every proposal once, in the run's order.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tco_gate.cli import main
from tco_gate.commands import check
from tco_gate.commands import report as report_command
from tco_gate.report import RENDERERS, gitlab, json_report, sarif, streamed, text
from tco_gate.report.github import quarantined, quarantined_pieces
from tco_gate.report.model import Report
from tco_gate.report.parts import Fragment, indented, json_items, one_final_newline
from tco_gate.report.problems import problems
from tests.paths import CASES, EXAMPLES
from tests.test_workers import monorepo  # noqa: F401  (the fixture: 35 proposals, every late change to a result)

STREAMED = ("text", "json", "markdown", "html", "sarif", "junit", "gitlab", "github")


def test_every_format_is_written_a_proposal_at_a_time() -> None:
    assert [name for name in RENDERERS if streamed(name) is not None] == list(RENDERERS)
    assert set(STREAMED) == set(RENDERERS)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _whole(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The same run through the whole report: every entry kept, the report model rendered at the end."""
    with monkeypatch.context() as patched:
        patched.setattr(check, "streamed", lambda name: None)
        return _run(capsys, *argv)


@pytest.mark.usefixtures("monorepo")
@pytest.mark.parametrize("format", STREAMED)
def test_a_run_across_workers_streams_what_its_whole_report_renders(
    format: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = _whole(monkeypatch, capsys, "--format", format, "--jobs", "1")
    # The broken file's error is echoed either way, but where the report itself is the log
    assert whole[0] == 2 and ("YAML syntax" in whole[2]) == (format not in ("text", "github"))
    assert _run(capsys, "--format", format, "--jobs", "2") == whole
    report = Report.model_validate_json(_run(capsys, "--format", "json", "--jobs", "2")[1])
    assert len(report.results) == 35 and report.findings  # the waiver that matches nothing
    _holds_every_proposal_in_order(format, whole[1], report)


@pytest.mark.usefixtures("monorepo")
@pytest.mark.parametrize("format", ["json", "markdown", "html"])
def test_report_of_paths_streams_what_its_whole_report_renders(
    format: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with monkeypatch.context() as patched:
        patched.setattr(report_command, "streamed", lambda name: None)
        whole = main(["report", "--format", format, "--jobs", "1", "."]), *capsys.readouterr()
    assert whole[0] == 2 and "YAML syntax" in whole[2]  # the broken file: exit 2, its error echoed
    assert (main(["report", "--format", format, "--jobs", "2", "."]), *capsys.readouterr()) == whole
    main(["report", "--format", "json", "--jobs", "2", "."])
    report = Report.model_validate_json(capsys.readouterr().out)
    _holds_every_proposal_in_order(format, whole[1], report)


@pytest.mark.parametrize("format", STREAMED)
def test_the_examples_stream_what_their_whole_report_renders(
    format: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    output = tmp_path / "report"
    whole = _whole(monkeypatch, capsys, "--format", format, str(EXAMPLES))
    assert _run(capsys, "--format", format, "--output", str(output), str(EXAMPLES))[0] == whole[0]
    assert output.read_text(encoding="utf-8") == whole[1]
    report = Report.model_validate_json(_run(capsys, "--format", "json", str(EXAMPLES))[1])
    _holds_every_proposal_in_order(format, whole[1], report)


def _holds_every_proposal_in_order(format: str, document: str, report: Report) -> None:
    """Each format read its own way, against the report model: a part dropped, doubled or moved fails here."""
    if format == "github":
        token = document.split("::stop-commands::", 1)[1].split("\n", 1)[0]
        quarantined = document.split(f"::stop-commands::{token}\n", 1)[1].removesuffix(f"::{token}::\n")
        assert token == hashlib.sha256(quarantined.encode()).hexdigest()[:32]
        _holds_every_proposal_in_order("text", quarantined, report)
    elif format == "text":
        headlines = [line for line in document.splitlines() if line and not line.startswith(" ")]
        assert [line.rsplit("  ", 1)[-1] for line in headlines[: len(report.results)]] == [
            r.path for r in report.results
        ]
        assert (
            headlines[len(report.results) :]
            == ["policy findings", text.summary_line(report)][-1 - bool(report.findings) :]
        )
    elif format == "json":
        assert (
            document == json.dumps(report.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False) + "\n"
        )
    elif format == "sarif":
        assert json.loads(document) == sarif.sarif_log(report)
    elif format == "gitlab":
        expected = [gitlab._issue(problem) for problem in problems(report)]
        assert document == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    elif format == "junit":
        suite = ET.fromstring(document).find("testsuite")
        assert suite is not None
        names = [case.get("name") for case in suite.iter("testcase")]
        assert names == [f"{r.name} ({r.path})" if r.name else r.path for r in report.results]
    elif format == "markdown":
        folded = re.findall(r"^<summary>.* · (.+)</summary>$", document, flags=re.M)  # each proposal, in order
        assert folded == [r.name or f"`{r.path}`" for r in report.results]
        assert document.count("| --- | ---: |\n| fine-tuning | $") == sum(1 for r in report.results if r.finetune)
    else:
        assert re.findall(r'<section id="proposal-(\d+)">', document) == [
            str(i) for i in range(1, len(report.results) + 1)
        ]
        assert re.findall(r"<p class=muted><code>([^<]+)</code></p>", document) == [r.path for r in report.results]


def test_an_entry_keeps_a_line_separator_in_its_strings_and_its_indentation_around_it() -> None:
    report = Report.model_validate_json((CASES / "valid" / "waived" / "expected.json").read_text(encoding="utf-8"))
    odd = report.results[0].model_copy(update={"name": "two\u2028lines\x85here"})
    report = report.model_copy(update={"results": [odd, report.results[0]]})
    expected = json.dumps(report.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False) + "\n"
    assert json_report.render(report) == expected


@pytest.mark.parametrize(
    "pieces",
    [[], ["a"], ["a\n", "\n", "\n"], ["a\n\n", "b"], ["\n", "a", "\n\n", "b\n", ""], ["x\n", "", "\n", "y\n\n"]],
)
def test_one_final_newline_is_rstrip_and_one_newline_a_piece_at_a_time(pieces: list[str]) -> None:
    assert "".join(one_final_newline(pieces)) == "".join(pieces).rstrip("\n") + "\n"


@pytest.mark.parametrize("items", [[], [{"a": 1}], [{"a": [1, 2]}, {"b": "c\u2028d"}, []]])
def test_json_items_lay_out_an_array_as_json_dumps_does(items: list[object]) -> None:
    dumped = [indented(json.dumps(item, indent=2, ensure_ascii=False), 4) for item in items]
    nested = json.dumps({"k": items}, indent=2, ensure_ascii=False)
    assert '{\n  "k": ' + "".join(json_items(dumped, spaces=4)) + "\n}" == nested


def test_a_fragment_gives_back_its_text_and_keeps_it_smaller() -> None:
    text = "<tr><td>line item</td><td class=num>$1,234.56</td></tr>\n" * 200 + "ünïcode\u2028"
    fragment = Fragment.of(text)
    assert fragment.text() == text
    assert len(fragment.packed) * 10 < len(text.encode())


def test_quarantining_in_pieces_finds_the_token_where_two_pieces_meet() -> None:
    pieces = ["line one\n::abc", "def::\nline two"]  # `::abcdef::` would end the pause: it spans the two pieces
    wrapped = "".join(quarantined_pieces(lambda: pieces, token="abcdef"))
    token = wrapped.split("\n", 1)[0].removeprefix("::stop-commands::")
    assert token != "abcdef" and len(token) == 32
    assert wrapped == f"::stop-commands::{token}\nline one\n::abcdef::\nline two\n::{token}::\n"
    assert "".join(quarantined_pieces(lambda: ["line one\n::ab", "cd"], token="abcdef")).startswith(
        "::stop-commands::abcdef\n"  # no token inside: it stands
    )
    assert quarantined("x\n") == "".join(quarantined_pieces(lambda: ["x", "\n"]))  # the same hash, one piece or two
