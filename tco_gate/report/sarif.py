"""`--format sarif`: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, any SARIF viewer).

One run of tco-gate; its results are the problems of report/problems.py, each at its file, line and
column. Rule ids are the reason codes (stable by contract, see result.ReasonCode) plus `input-warning`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from ..result import ReasonCode
from ..version import __version__
from .model import BaseOut, Report, ResultOut
from .parts import Fragment, indented, json_items, whole
from .problems import INPUT_WARNING, LEVELS, Problem, policy_problems, problems, problems_of

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/tco-gate/tco-gate"

# rule id -> (a name a person reads, what the rule means). SARIF wants the name to differ from the id.
RULES: dict[str, tuple[str, str]] = {
    ReasonCode.MARGIN: (
        "SavingBelowMargin",
        "Over the policy's horizon, fine-tuning does not cost the required margin less than prompting.",
    ),
    ReasonCode.PROMPTING_FREE: (
        "PromptingCostsNothing",
        "Prompting costs under a cent over the horizon, so fine-tuning cannot save anything.",
    ),
    ReasonCode.HIDDEN_COSTS_MISSING: (
        "HiddenCostsMissing",
        "The proposal leaves out one or more of the five hidden costs of fine-tuning.",
    ),
    ReasonCode.WAIVED: ("WaiverApplies", "An unexpired waiver in the policy lets the proposal through."),
    ReasonCode.WAIVER_EXPIRED: ("WaiverExpired", "A waiver for the proposal has expired and no longer applies."),
    ReasonCode.EXEMPT_DATA_RESIDENCY: ("ExemptDataResidency", "The proposal's data cannot leave its perimeter."),
    ReasonCode.EXEMPT_LATENCY: ("ExemptLatency", "The proposal needs a latency that prompting cannot meet."),
    ReasonCode.EXEMPT_ACCURACY_GAP: (
        "ExemptAccuracyGap",
        "Prompting measurably falls short of the fine-tuned model on the proposal's eval set.",
    ),
    ReasonCode.WARN_ONLY: ("WarnOnly", "The policy reports this failure without failing the build."),
    ReasonCode.EXEMPTION_UNAPPROVED: (
        "ExemptionNotApproved",
        "The proposal claims an exemption that the policy requires approved, and no approval names it.",
    ),
    ReasonCode.APPROVAL_EXPIRED: ("ApprovalExpired", "An approval of the proposal's exemption has expired."),
    ReasonCode.STRICTER_OF_TWO: (
        "StricterOfTwoPolicies",
        "A nested policy changed an economic assumption; the stricter of the two verdicts stands.",
    ),
    ReasonCode.DUPLICATE_NAME: (
        "DuplicateProposalName",
        "Another proposal of the run or the repository has the same name.",
    ),
    ReasonCode.INVALID_INPUT: ("InvalidProposal", "The proposal cannot be read or validated."),
    ReasonCode.INVALID_POLICY: ("InvalidPolicy", "The policy file that governs the proposal is invalid."),
    ReasonCode.TOO_LARGE: (
        "TotalOutOfProportion",
        "A total exceeds $10^12 over the horizon: an input is out of proportion.",
    ),
    ReasonCode.OVER_CAPACITY: (
        "FleetOverCapacity",
        "The committed fleet cannot serve the proposal's volume in some month, and no on-demand price pays for more.",
    ),
    ReasonCode.CONFIDENCE: (
        "TooUncertain",
        "Too few Monte Carlo draws over the proposal's ranges save the margin for the policy's minimum confidence.",
    ),
    ReasonCode.EVIDENCE_MISSING: (
        "EvidenceMissing",
        "The policy requires a kind of evidence (eval logs, a usage export, a load test) the proposal lacks.",
    ),
    ReasonCode.OUT_OF_BOUNDS: (
        "ClaimOutOfBounds",
        "A figure the proposal claims is outside the policy's bounds for it.",
    ),
    INPUT_WARNING: ("InputWarning", "A value in the proposal or policy is probably not what was meant."),
}


def render(report: Report) -> str:
    """The SARIF log as text, two-space indented, ending in a newline."""
    return whole(report, part, document)


def part(result: ResultOut, base: BaseOut | None) -> Fragment | None:
    """One proposal's SARIF results, as deep as the log nests them; None when it has none."""
    return _results(problems_of(result))


def document(shell: Report, parts: Sequence[Fragment | None]) -> Iterator[str]:
    """The log: the tool and its rules, then each proposal's results in order, then those of the policy files."""
    text = json.dumps(_log([]), indent=2, ensure_ascii=False) + "\n"
    head, found, tail = text.partition('\n      "results": []')  # the run's last key; its value written here
    assert found, "the run's `results` key"
    yield head + '\n      "results": '
    yield from json_items((p.text() for p in [*parts, _results(policy_problems(shell))] if p is not None), spaces=8)
    yield tail


def _results(found: Sequence[Problem]) -> Fragment | None:
    rule_ids = list(RULES)
    items = [indented(json.dumps(_result(rule_ids, p), indent=2, ensure_ascii=False), 8) for p in found]
    return Fragment.of(",\n".join(items)) if items else None


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log as data: one run of tco-gate, every rule it has, and its results."""
    return _log(problems(report))


def _log(found: Sequence[Problem]) -> dict[str, Any]:
    rule_ids = list(RULES)
    driver = {
        "name": "tco-gate",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(rule_id) for rule_id in rule_ids],
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [_result(rule_ids, problem) for problem in found],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(rule_id: str) -> dict[str, Any]:
    name, description = RULES[rule_id]
    return {
        "id": rule_id,
        "name": name,
        "shortDescription": {"text": description},
        "fullDescription": {"text": description},
        "helpUri": f"{INFORMATION_URI}#{rule_id}",
        "defaultConfiguration": {"level": LEVELS[rule_id]},
    }


def _artifact(file: str) -> dict[str, str]:
    path = PurePosixPath(file)
    if path.is_absolute():
        return {"uri": "file://" + quote(str(path))}
    # Relative to the folder tco-gate ran in; code scanning resolves it against the checkout.
    return {"uri": quote(str(path)), "uriBaseId": "%SRCROOT%"}


def _result(rule_ids: list[str], problem: Problem) -> dict[str, Any]:
    region = {"startLine": problem.line}
    if problem.column is not None:
        region["startColumn"] = problem.column
    return {
        "ruleId": problem.rule,
        "ruleIndex": rule_ids.index(problem.rule),
        "level": problem.level,
        "message": {"text": f"{problem.proposal}: {problem.message}"},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(problem.file), "region": region}}],
        "partialFingerprints": {"tcoGateFinding/v1": problem.fingerprint},
    }
