"""`--format junit`: JUnit XML, one test case per proposal, for any CI that shows test results.

GitLab, Jenkins, Azure DevOps, CircleCI and Buildkite all read this format; it follows the schema of
Jenkins' xUnit plugin (junit-10.xsd), the strictest common reading, which the tests validate against.
A failing proposal is a `<failure>` (also under `on_fail: warn`: the report says what failed, the exit
code says whether the build stops), an invalid one an `<error>`, a waived one `<skipped>`; passing
and exempt proposals pass. No timestamp and `time="0"`, so the same input gives the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from ..result import Outcome
from ..version import __version__
from .model import BaseOut, Report, ResultOut
from .parts import Fragment, whole
from .phrases import WARN_ONLY, flags_set
from .text import finding_line

# Characters XML 1.0 cannot carry at all, not even escaped; a quoted input may hold one.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: ascii(match.group())[1:-1], text)


def render(report: Report) -> str:
    """The JUnit XML document, with its declaration, ending in a newline."""
    return whole(report, part, document)


@dataclass(frozen=True)
class Case:
    """One proposal's test case: its status, for the suite's counts, and its element as text."""

    status: str
    element: Fragment


def part(result: ResultOut, base: BaseOut | None) -> Case:
    case = _testcase(result)
    ET.indent(case, level=2)  # as deep as the suite holds it
    return Case(_status(result), Fragment.of(ET.tostring(case, encoding="unicode")))


def document(shell: Report, parts: Sequence[Case]) -> Iterator[str]:
    """The suite with its counts and properties, each proposal's test case in order, the policy files' findings."""
    statuses = Counter(case.status for case in parts)
    counts = {"tests": str(len(parts)), "failures": str(statuses["failure"]), "errors": str(statuses["error"])}
    root = ET.Element("testsuites", {"name": "tco-gate", **counts, "time": "0"})
    suite = ET.SubElement(
        root, "testsuite", {"name": "tco-gate", **counts, "skipped": str(statuses["skipped"]), "time": "0"}
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "tco-gate.version", "value": __version__})
    if shell.findings:  # about the policy files themselves: the suite's, not any one proposal's
        out = ET.SubElement(suite, "system-out")
        out.text = _xml_text("\n".join(finding_line(finding) for finding in shell.findings))
    ET.indent(root)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    head, end, tail = text.partition("</properties>")  # the test cases come right after the properties
    yield head + end
    for case in parts:
        yield "\n    " + case.element.text()
    yield tail


_STATUS = {Outcome.FAIL: "failure", Outcome.INVALID: "error", Outcome.WAIVED: "skipped"}


def _status(result: ResultOut) -> str:
    return _STATUS.get(result.verdict, "passed")


def _testcase(result: ResultOut) -> ET.Element:
    name = f"{result.name} ({result.path})" if result.name else result.path
    case = ET.Element("testcase", {"name": _xml_text(name), "classname": "tco-gate", "time": "0"})
    status = _status(result)
    lines = [f"{reason.code}: {reason.text}" for reason in result.reasons]
    flags = flags_set(result.policy)
    if flags:
        lines.append(f"set by command-line flag: {flags}")
    lines += [finding_line(finding) for finding in result.findings]
    details = "\n".join(lines)
    if status != "passed":
        first = result.reasons[0] if result.reasons else None
        message = first.text if first is not None else result.verdict.value
        errors = [finding for finding in result.findings if finding.level == "error"]
        if result.verdict is Outcome.INVALID and errors:
            message = finding_line(errors[0])  # the first place to fix, not "N errors below"
        if result.verdict is Outcome.FAIL and not result.enforced:
            message = f"{WARN_ONLY}: {message}"
        kind = first.code.value if first else result.verdict.value
        element = ET.SubElement(case, status, {"message": _xml_text(message), "type": kind})
        element.text = _xml_text(details)
    out = ET.SubElement(case, "system-out")
    out.text = _xml_text(f"verdict: {result.verdict.value}\n{details}")
    return case
