"""`--format junit`: valid against Jenkins' JUnit schema, and read the way GitLab and Jenkins read it."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from tco_gate.cli import main
from tco_gate.report import junit
from tco_gate.report.model import FindingOut, ReasonOut, Report
from tco_gate.result import Outcome, ReasonCode
from tests.corpus import corpus, report_of
from tests.paths import EXAMPLES, TESTS

SCHEMA = TESTS / "schemas" / "junit-10.xsd"


@cache
def _corpus() -> tuple[Report, str]:
    report = corpus()
    return report, junit.render(report)


def test_junit_of_every_case_validates_against_the_jenkins_xunit_schema() -> None:
    _, document = _corpus()
    xmlschema.XMLSchema(str(SCHEMA)).validate(document)


def test_the_schema_check_fails_a_broken_document() -> None:
    _, document = _corpus()
    broken = document.replace('<testcase name="', '<testcase title="', 1)  # `name` is required
    with pytest.raises(xmlschema.XMLSchemaValidationError, match="name"):
        xmlschema.XMLSchema(str(SCHEMA)).validate(broken)


def _cases(document: str) -> dict[str, ET.Element]:
    # As GitLab's and Jenkins' parsers walk it: <testsuites>, each <testsuite>, each <testcase>.
    root = ET.fromstring(document)
    assert root.tag == "testsuites"
    return {case.attrib["name"]: case for suite in root.iter("testsuite") for case in suite.iter("testcase")}


def _status(case: ET.Element) -> str:
    kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
    assert len(kinds) <= 1, kinds
    return kinds[0] if kinds else "passed"


def test_one_test_case_per_proposal_with_the_verdict_as_its_status() -> None:
    report, document = _corpus()
    cases = _cases(document)
    assert len(cases) == len(report.results)
    expected = {"pass": "passed", "exempt": "passed", "fail": "failure", "invalid": "error", "waived": "skipped"}
    for result in report.results:
        name = f"{result.name} ({result.path})" if result.name else result.path
        assert _status(cases[name]) == expected[result.verdict.value], name


def test_the_counts_agree_with_the_test_cases() -> None:
    report, document = _corpus()
    root = ET.fromstring(document)
    (suite,) = root.iter("testsuite")
    statuses = [_status(case) for case in suite.iter("testcase")]
    for element in (root, suite):
        assert int(element.attrib["tests"]) == len(statuses) == len(report.results)
        assert int(element.attrib["failures"]) == statuses.count("failure")
        assert int(element.attrib["errors"]) == statuses.count("error")
    assert int(suite.attrib["skipped"]) == statuses.count("skipped")
    assert float(suite.attrib["time"]) == 0  # no clock in a report: same input, same bytes


def test_a_failure_carries_its_reason_and_an_error_its_first_place_to_fix() -> None:
    _, document = _corpus()
    cases = _cases(document)
    failure = cases["support-triage (examples/support-triage/finetune-proposal.yml)"].find("failure")
    assert failure is not None
    assert failure.attrib["type"] == "margin"
    assert failure.attrib["message"].startswith("over 24 months fine-tuning costs $336,859.98")
    error = cases["tests/cases/invalid/merge-key/finetune-proposal.yml"].find("error")
    assert error is not None
    assert error.attrib["type"] == "invalid-input"
    assert error.attrib["message"] == (
        "tests/cases/invalid/merge-key/finetune-proposal.yml:13:3: error: merge keys (`<<`) are not allowed"
    )


def test_a_failure_the_policy_only_warns_about_still_reads_as_a_failure_marked_warn_only() -> None:
    _, document = _corpus()
    case = _cases(document)["pilot-summarizer (tests/cases/valid/warn-only/finetune-proposal.yml)"]
    failure = case.find("failure")
    assert failure is not None
    assert failure.attrib["message"].startswith("warn only: ")


def test_text_xml_cannot_carry_is_written_as_an_escape_not_left_to_break_the_file() -> None:
    report = report_of(EXAMPLES)
    result = next(r for r in report.results if r.name == "support-triage")
    odd = result.model_copy(
        update={
            "path": "svc\x01/finetune-proposal.yml",
            "reasons": [ReasonOut(code=ReasonCode.MARGIN, text="nul \x00 and <tag> & \ufffe")],
            "findings": [FindingOut(level="warning", message="bell \x07", file="p", pointer="", line=1, column=1)],
        }
    )
    document = junit.render(report.model_copy(update={"results": [odd]}))
    xmlschema.XMLSchema(str(SCHEMA)).validate(document)
    (case,) = _cases(document).values()
    failure = case.find("failure")
    assert failure is not None
    assert failure.attrib["message"] == "nul \\x00 and <tag> & \\ufffe"
    assert case.attrib["name"] == "support-triage (svc\\x01/finetune-proposal.yml)"


def test_check_format_junit_writes_the_document_and_keeps_the_exit_code(tmp_path: Path) -> None:
    target = tmp_path / "tco-gate.xml"
    assert main(["check", "--format", "junit", "--output", str(target), str(EXAMPLES)]) == 1
    statuses = sorted(_status(case) for case in _cases(target.read_text(encoding="utf-8")).values())
    assert statuses == ["failure", "failure", "failure", "failure", "passed", "passed", "passed", "passed"]
    assert next(r for r in report_of(EXAMPLES).results if r.name == "support-triage").verdict is Outcome.FAIL
