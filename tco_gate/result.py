"""What a run found, as data: Result, Outcome, Reason, the tally, the exit code, and the comparison with a
base commit (Baseline; baseline.py computes it).

Nothing here computes a cost or reads a file. The pipeline (run.py, gate.py) produces these values;
the report builder turns them into the report model that every renderer reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from .errors import Finding

if TYPE_CHECKING:  # types only: importing this module must not pull in the pipeline
    from .analysis.analyze import Analysis
    from .catalog import Prices
    from .evidence.requests import Measurement
    from .ledger import Ledger
    from .models import Policy, Proposal, Waiver

EXIT_OK, EXIT_FAIL, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C

# `base`: a policy file read from the base commit (`--base`), not from the work tree a change could edit.
PolicySource = Literal["default", "file", "base", "flag"]


class Outcome(StrEnum):
    """A proposal's verdict, in the contract's order."""

    PASS = "pass"
    FAIL = "fail"
    EXEMPT = "exempt"
    WAIVED = "waived"
    INVALID = "invalid"


class ReasonCode(StrEnum):
    """Why a verdict was reached, as a stable code: SARIF rule ids, Markdown icons and `explain` key on it.

    A code is never renamed or reused; the words beside it may change.
    """

    MARGIN = "margin"
    """The saving against the required margin (the deciding reason of a plain pass or fail)."""
    PROMPTING_FREE = "prompting-free"
    """Prompting costs under a cent over the horizon, so no saving can be computed: fine-tuning fails."""
    HIDDEN_COSTS_MISSING = "hidden-costs-missing"
    WAIVED = "waived"
    WAIVER_EXPIRED = "waiver-expired"
    EXEMPT_DATA_RESIDENCY = "exempt-data-residency"
    EXEMPT_LATENCY = "exempt-latency"
    EXEMPT_ACCURACY_GAP = "exempt-accuracy-gap"
    WARN_ONLY = "warn-only"
    """A failure under `on_fail: warn`: reported, not enforced."""
    EXEMPTION_UNAPPROVED = "exemption-unapproved"
    """The proposal claims an exemption the policy requires approved, and no unexpired approval names it."""
    APPROVAL_EXPIRED = "approval-expired"
    STRICTER_OF_TWO = "stricter-of-two"
    """A nested policy changed an economic assumption: judged under it and the root policy, the stricter stands."""
    DUPLICATE_NAME = "duplicate-name"
    INVALID_INPUT = "invalid-input"
    INVALID_POLICY = "invalid-policy"
    TOO_LARGE = "too-large"
    """A total past the 10^12 bound: an input is out of proportion."""
    OVER_CAPACITY = "over-capacity"
    """With no on-demand price to burst, the peak fleet needs more GPUs than the committed fleet has in some month."""
    CONFIDENCE = "confidence"
    """The share of Monte Carlo draws that save the margin against `min_confidence_pct` (the deciding
    reason of a pass or fail when the policy sets it and the proposal writes ranges)."""
    EVIDENCE_MISSING = "evidence-missing"
    """The policy's `evidence.require` names a kind of evidence the proposal does not carry: it fails (and an
    accuracy-gap exemption is not granted without eval evidence)."""
    OUT_OF_BOUNDS = "out-of-bounds"
    """A claimed figure outside the policy's `bounds` for its key: it fails."""


# The exemptions a proposal may claim, by name: the one list the policy's approvals, the claims and every
# report spell them from.
ExemptionKind = Literal["data-residency", "latency", "accuracy-gap"]

# The reason a granted claim of each kind is given under.
EXEMPTION_REASONS: dict[ExemptionKind, ReasonCode] = {
    "data-residency": ReasonCode.EXEMPT_DATA_RESIDENCY,
    "latency": ReasonCode.EXEMPT_LATENCY,
    "accuracy-gap": ReasonCode.EXEMPT_ACCURACY_GAP,
}


@dataclass(frozen=True)
class Reason:
    """One reason for a verdict: a stable code and the words a reviewer reads."""

    code: ReasonCode
    text: str


@dataclass(frozen=True)
class Claim:
    """An exemption the proposal claims and the policy's rules accept, and who (if anyone) approved it."""

    kind: ExemptionKind
    code: ReasonCode
    claim: str
    """The proposal's own words or figures behind the claim, e.g. `constraints.data_residency: 'n/a'`."""
    why: str
    """The exemption in words, for the reasons."""
    approved_by: str | None = None
    expires: date | None = None
    pointer: str = ""
    """Where the claim is written in the proposal (`/constraints/data_residency`)."""
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class PolicySettings:
    """The policy in force for a proposal, where it was read from, and where each value came from."""

    policy: Policy
    file: str | None
    sources: Mapping[str, PolicySource]
    files: tuple[str, ...] = ()
    """Every policy file applied, the root first, the nearest last."""
    origins: Mapping[str, str] = field(default_factory=dict)
    """Which file wrote each value (`exemptions/<key>` for an exemption)."""
    root: Policy | None = None
    """The root policy alone (with the flags), when a nested file changed an economic assumption."""
    warnings: tuple[Finding, ...] = ()
    """Warnings about the policy itself (a fraction where a percent was meant); every proposal it governs shows them."""


@dataclass(frozen=True)
class Result:
    """Everything the reports show about one proposal."""

    path: str
    name: str | None
    outcome: Outcome
    reasons: tuple[Reason, ...]
    enforced: bool  # False for a failure under `on_fail: warn`
    settings: PolicySettings | None
    ledger: Ledger | None
    prices: Prices | None
    findings: tuple[Finding, ...]
    claims: tuple[Claim, ...] = ()
    """The exemptions the proposal claims, approved or not (every report shows them)."""
    proposal: Proposal | None = None
    """The validated proposal, for the facts a report names (owner, base model, ...)."""
    waiver: Waiver | None = None
    """The unexpired waiver that waived it."""
    missing_hidden_costs: tuple[str, ...] = ()
    """Required hidden-cost fields the proposal left out, as `section.key`."""
    analysis: Analysis | None = None  # break-even volume, sensitivity, uncertainty: for a costed proposal
    evidence: Measurement | None = None
    """The evidence files read, what they measured, and which figures they supplied."""


def tally(outcomes: Iterable[Outcome]) -> dict[Outcome, int]:
    """How many of each outcome, every outcome listed, in the contract's order."""
    counts = dict.fromkeys(Outcome, 0)
    for outcome in outcomes:
        counts[outcome] += 1
    return counts


def exit_code(results: Iterable[Result]) -> int:
    """0 all passed, exempt, waived or only warned; 1 a failure; 2 invalid input (wins over 1)."""
    return exit_code_of((result.outcome, result.enforced) for result in results)


def exit_code_of(verdicts: Iterable[tuple[Outcome, bool]]) -> int:
    """`exit_code` from each proposal's verdict and whether it is enforced, as a report holds them."""
    code = EXIT_OK
    for outcome, enforced in verdicts:
        if outcome is Outcome.INVALID:
            return EXIT_INVALID
        if outcome is Outcome.FAIL and enforced:
            code = EXIT_FAIL
    return code


@dataclass(frozen=True)
class Comparison:
    """A proposal under review beside itself at the base (None when the base does not have it)."""

    head: Result
    base: Result | None
    changed: bool  # its file, or an evidence file it names, differs from the base's (or is new)
    policies_changed: tuple[str, ...]  # the policy files governing it that differ from the base's


@dataclass(frozen=True)
class Baseline:
    ref: str
    commit: str
    comparisons: tuple[Comparison, ...]
    removed: tuple[Result, ...]  # proposals at the base that the work tree no longer has, judged at the base
    policies_changed: tuple[str, ...]  # every policy file that governs a proposal here and differs from the base

    @property
    def results(self) -> list[Result]:
        return [comparison.head for comparison in self.comparisons]
