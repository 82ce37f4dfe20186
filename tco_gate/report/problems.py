"""What a reviewer must act on, one item per place: the shared core of the code-scanning formats.

SARIF and GitLab Code Quality both list problems at a file and line rather than proposals with
verdicts. The same rules decide what is listed in both: each reason of a failing proposal (at the
proposal's first line: a verdict belongs to the whole file), each error of an invalid one at its own
line and column, and each warning finding. An exemption that nobody approved is a note (the proposal
passed on its author's word). Otherwise passing, exempt and waived proposals list nothing of their own,
so an alert closes when its proposal stops failing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from ..result import EXEMPTION_REASONS, Outcome, ReasonCode
from .model import FindingOut, Report, ResultOut
from .phrases import flags_set

INPUT_WARNING = "input-warning"
"""The rule of a warning finding (a value that is probably not what was meant); not a verdict's reason."""

Level = Literal["error", "warning", "note"]

# The level of each rule when the policy enforces it; every ReasonCode is listed, so a tool can show any
# reason a later release reports (a test holds this table complete).
LEVELS: dict[str, Level] = {
    ReasonCode.MARGIN: "error",
    ReasonCode.PROMPTING_FREE: "error",
    ReasonCode.HIDDEN_COSTS_MISSING: "error",
    ReasonCode.WAIVED: "note",
    ReasonCode.WAIVER_EXPIRED: "note",
    ReasonCode.EXEMPT_DATA_RESIDENCY: "note",
    ReasonCode.EXEMPT_LATENCY: "note",
    ReasonCode.EXEMPT_ACCURACY_GAP: "note",
    ReasonCode.WARN_ONLY: "note",
    ReasonCode.EXEMPTION_UNAPPROVED: "note",
    ReasonCode.APPROVAL_EXPIRED: "note",
    ReasonCode.STRICTER_OF_TWO: "note",
    ReasonCode.DUPLICATE_NAME: "error",
    ReasonCode.INVALID_INPUT: "error",
    ReasonCode.INVALID_POLICY: "error",
    ReasonCode.TOO_LARGE: "error",
    ReasonCode.OVER_CAPACITY: "error",
    ReasonCode.CONFIDENCE: "error",
    ReasonCode.EVIDENCE_MISSING: "error",
    ReasonCode.OUT_OF_BOUNDS: "error",
    INPUT_WARNING: "warning",
}


@dataclass(frozen=True)
class Problem:
    """One thing to act on, placed in a file."""

    rule: str
    level: Level
    proposal: str  # the proposal's name, or its path when it has none
    message: str
    file: str
    line: int
    column: int | None
    fingerprint: str  # stable across runs and line moves: rule, file, proposal and what was found


def problems(report: Report) -> list[Problem]:
    """Every problem in the report, proposal by proposal, in report order, then those of the policy files."""
    found = [problem for result in report.results for problem in problems_of(result)]
    return found + policy_problems(report)


def policy_problems(report: Report) -> list[Problem]:
    """The problems of the policy files themselves, which come after every proposal's."""
    return [_problem_in_policy(finding) for finding in report.findings]


def _problem_in_policy(finding: FindingOut) -> Problem:
    """A finding about a policy file itself (a waiver that matches no proposal): the policy is its subject."""
    identity = "\0".join([INPUT_WARNING, finding.file, finding.file, f"{finding.pointer}\0{finding.message}"])
    return Problem(
        rule=INPUT_WARNING,
        level=finding.level,
        proposal=finding.file,
        message=finding.message,
        file=finding.file,
        line=finding.line or 1,
        column=finding.column if finding.line is not None else None,
        fingerprint=hashlib.sha256(identity.encode()).hexdigest(),
    )


def problems_of(result: ResultOut) -> list[Problem]:
    """One proposal's problems, in the order the report lists them."""
    found: list[Problem] = []
    errors = [f for f in result.findings if f.level == "error"]
    if result.verdict is Outcome.INVALID and errors:
        for finding in errors:
            found.append(_problem(result, _rule_of(result, finding), "error", finding.message, finding))
    elif result.verdict in (Outcome.FAIL, Outcome.INVALID):
        flags = flags_set(result.policy)
        for reason in result.reasons:
            if reason.code is not ReasonCode.WARN_ONLY:
                text = f"{reason.text} (set by command-line flag: {flags})" if flags else reason.text
                found.append(_problem(result, reason.code, _level(reason.code, result.enforced), text, None))
    # An exemption nobody approved let the proposal through on its author's word: a reviewer should see it.
    if result.verdict is Outcome.EXEMPT:
        unapproved = {claim.kind for claim in result.exemption_claims if claim.approved_by is None}
        for reason in result.reasons:
            if reason.code in {EXEMPTION_REASONS[kind] for kind in unapproved}:
                found.append(_problem(result, reason.code, "note", reason.text, None))
    found += [_problem(result, INPUT_WARNING, "warning", f.message, f) for f in result.findings if f.level == "warning"]
    return found


def _rule_of(result: ResultOut, finding: FindingOut) -> str:
    """The reason an error finding belongs to: the policy's, a clash of names, or the proposal's own input."""
    if finding.file != result.path:
        return ReasonCode.INVALID_POLICY
    duplicate = any(reason.code is ReasonCode.DUPLICATE_NAME for reason in result.reasons)
    return ReasonCode.DUPLICATE_NAME if duplicate and finding.pointer == "/name" else ReasonCode.INVALID_INPUT


def _level(rule: str, enforced: bool) -> Level:
    # A failure the policy only warns about must not fail a code-scanning check either.
    level = LEVELS[rule]
    return "warning" if level == "error" and not enforced else level


def _problem(result: ResultOut, rule: str, level: Level, message: str, finding: FindingOut | None) -> Problem:
    proposal = result.name or result.path
    file = finding.file if finding is not None else result.path
    found = f"{finding.pointer}\0{finding.message}" if finding is not None else ""
    identity = "\0".join([rule, file, proposal, found])
    return Problem(
        rule=rule,
        level=level,
        proposal=proposal,
        message=message,
        file=file,
        line=finding.line if finding is not None and finding.line is not None else 1,
        column=finding.column if finding is not None and finding.line is not None else None,
        fingerprint=hashlib.sha256(identity.encode()).hexdigest(),
    )
