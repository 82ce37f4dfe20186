"""One proposal through every stage: bytes -> loader -> validation -> catalog -> ledger -> verdict -> Result.

Pure apart from the catalog lookup: the CLI reads the files and passes their bytes in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from .analysis.analyze import analyze
from .analysis.ranges import extract_ranges
from .analysis.sampling import DEFAULT_SAMPLING, Sampling
from .analysis.uncertainty import Uncertainty
from .catalog import ProposalPrices, resolve_proposal_prices
from .errors import Finding, InputError
from .evidence.apply import Measured, apply_measured
from .evidence.requests import EvidenceRead, Measurement, measure
from .ledger import build_ledger
from .loader import Document, load, resolve_plain_scalar
from .models import Policy, Proposal
from .percent_hints import fraction_warnings
from .policies import PolicyText, settle
from .proportion import growth_warnings, spread_warnings
from .result import Claim, Outcome, PolicySettings, Reason, ReasonCode, Result
from .units import MAX_AMOUNT
from .validation import validate
from .verdict import Confidence, decide


@dataclass(frozen=True)
class Overrides:
    """Values given as command-line flags; they beat the policy file. Each is read by `flag_value`."""

    horizon_months: int | None = None
    min_savings_pct: Decimal | None = None

    def given(self) -> dict[str, int | Decimal]:
        return {name: value for name, value in vars(self).items() if value is not None}


def flag_value(name: str, text: str) -> Any:
    """A policy value given as a flag, read as the policy file's YAML reads it and checked by the Policy
    model, so a flag and the file accept the same values and word the same errors.

    Raises InputError with one message per problem (no position: a flag has none).
    """
    try:
        value = resolve_plain_scalar(text)
    except ValueError as exc:
        raise InputError([Finding("error", str(exc))]) from None
    try:
        return getattr(validate(Document({name: value}), Policy), name)
    except InputError as exc:
        raise InputError([replace(f, message=f.message.removeprefix(f"`{name}`: ")) for f in exc.findings]) from None


def settle_policy(data: bytes | None, file: str | None, overrides: Overrides) -> PolicySettings:
    """One policy file (or, with no `data`, the built-in defaults) with the flags over it: policies.settle
    with no nested policy. Raises InputError whose findings carry the policy file's path."""
    root = PolicyText(file or "", data) if data is not None else None
    return settle(root, (), overrides.given())


def evaluate(
    data: bytes,
    path: str,
    settings: PolicySettings,
    today: date,
    sampling: Sampling = DEFAULT_SAMPLING,
    evidence: Mapping[str, EvidenceRead] | None = None,
) -> Result:
    """Validate, cost and judge one proposal. Never raises for bad input: that is an `invalid` Result.

    `sampling` sets the Monte Carlo's draws and seed, for a proposal that writes ranges. `evidence` holds the
    files its `evidence:` section names, as the run layer read them (by the path as written).
    """
    document: Document | None = None
    measurement = Measurement(Measured())
    try:
        document = load(data)
        # Ranges become their `likely` values here: everything after sees the point estimate.
        document, ranges = extract_ranges(document)
        # Measured figures replace written ones before validation: everything after sees the evidence.
        measurement = measure(document.data, evidence or {})
        applied = apply_measured(document, measurement.measured)
        document = applied.document
        ranges = {pointer: span for pointer, span in ranges.items() if pointer not in applied.measured}
        found = [*measurement.findings, *applied.findings]
        errors = [finding for finding in found if finding.level == "error"]
        try:
            proposal = validate(document, Proposal)
        except InputError as exc:
            raise InputError([*errors, *exc.findings]) from None
        if errors:
            raise InputError(errors)
        prices = resolve_proposal_prices(proposal, settings.policy.prices, today)
    except InputError as exc:
        placed = _placed(document, exc.findings)
        name = document.data.get("name") if document and isinstance(document.data, dict) else None
        return invalid(path, placed, name=name if isinstance(name, str) else None, settings=settings)
    used = replace(measurement, pointers=applied.measured) if measurement.files else None
    evidence_warnings = [finding for finding in found if finding.level == "warning"]
    ledger = build_ledger(proposal, settings.policy, prices.prompting, prices.hosted)
    too_large = [
        option
        for option, cost in (("fine-tuning", ledger.finetune), ("prompting", ledger.prompting))
        if abs(cost.total) > MAX_AMOUNT
    ]
    if too_large:
        message = (
            f"{' and '.join(too_large)} would cost more than ${MAX_AMOUNT:,} over "
            f"{ledger.horizon_months} months: an input is out of proportion (a rate near zero, a growth "
            "that compounds for years?)"
        )
        return invalid(
            path, [Finding("error", message)], name=proposal.name, settings=settings, code=ReasonCode.TOO_LARGE
        )
    analysis = analyze(
        proposal, settings.policy, prices.prompting, ledger, hosted=prices.hosted, ranges=ranges, sampling=sampling
    )
    drawn = analysis.uncertainty
    if drawn is not None and (spread := _beyond_the_bound(drawn, ledger.horizon_months)):
        return invalid(
            path, [Finding("error", spread)], name=proposal.name, settings=settings, code=ReasonCode.TOO_LARGE
        )
    confidence = Confidence(drawn.passed, drawn.draws) if drawn else None
    verdict = decide(proposal, settings.policy, ledger, today, confidence, used)
    reasons = verdict.reasons
    enforced = not (verdict.outcome is Outcome.FAIL and settings.policy.on_fail == "warn")
    if not enforced:
        reasons = (
            *reasons,
            Reason(ReasonCode.WARN_ONLY, "the policy says `on_fail: warn`: this failure is reported, not enforced"),
        )
    return Result(
        path,
        proposal.name,
        verdict.outcome,
        reasons,
        enforced,
        settings,
        ledger,
        prices.prompting,
        (
            *settings.warnings,
            *_placed(
                document,
                [
                    *evidence_warnings,
                    *fraction_warnings(proposal),
                    *_dating(proposal, prices, today),
                    *verdict.warnings,
                    *growth_warnings(proposal, settings.policy),
                    *spread_warnings(ranges),
                ],
            ),
        ),
        _placed_claims(document, verdict.claims),
        proposal,
        verdict.waiver,
        verdict.missing,
        analysis,
        used,
    )


def _beyond_the_bound(drawn: Uncertainty, months: int) -> str | None:
    """Why the Monte Carlo's percentiles cannot be reported, as the point totals past $10^12 cannot; or None."""
    for option, spread in (("fine-tuning", drawn.finetune), ("prompting", drawn.prompting)):
        for label, value in (("P10", spread.p10), ("P50", spread.p50), ("P90", spread.p90)):
            if not abs(value) <= MAX_AMOUNT:  # `not <=` so that a NaN is caught too
                return (
                    f"the {label} of {option}'s total over {months} months is more than ${MAX_AMOUNT:,}: a range "
                    "is out of proportion (a `high` far above its `likely`?)"
                )
    return None


def invalid(
    path: str,
    findings: Iterable[Finding],
    *,
    name: str | None = None,
    settings: PolicySettings | None = None,
    code: ReasonCode = ReasonCode.INVALID_INPUT,
) -> Result:
    """A Result for a file that cannot be read or validated."""
    found = tuple(findings)
    errors = sum(1 for f in found if f.level == "error")
    why = Reason(code, f"the file cannot be checked: {errors} error{'s' if errors != 1 else ''} below")
    return Result(path, name, Outcome.INVALID, (why,), True, settings, None, None, found)


def invalid_policy(path: str, policy_label: str, findings: Iterable[Finding]) -> Result:
    """A Result for a proposal whose policy file cannot be read or validated: the policy's findings."""
    why = Reason(ReasonCode.INVALID_POLICY, f"its policy file {policy_label} is invalid")
    return Result(path, None, Outcome.INVALID, (why,), True, None, None, None, tuple(findings))


def _dating(proposal: Proposal, prices: ProposalPrices, today: date) -> list[Finding]:
    """The catalog lookup's own warnings, and an `as_of` after today (the catalog has no prices from then)."""
    warnings = [*prices.prompting.warnings, *(prices.hosted.warnings if prices.hosted else ())]
    if proposal.as_of is not None and proposal.as_of > today:
        message = (
            f"`as_of: {proposal.as_of.isoformat()}` is after today ({today.isoformat()}): the catalog knows "
            "no prices from then, so it gives the latest it has"
        )
        warnings.append(Finding("warning", message, "/as_of"))
    return warnings


def _placed_claims(document: Document, claims: Iterable[Claim]) -> tuple[Claim, ...]:
    """Exemption claims given the line and column of the key that makes them."""
    placed = []
    for claim in claims:
        where = document.position(claim.pointer) if claim.pointer else None
        placed.append(replace(claim, line=where.line, column=where.column) if where is not None else claim)
    return tuple(placed)


def _placed(document: Document | None, findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings given a line and column from the document's index, where they have none yet."""
    placed = []
    for finding in findings:
        if finding.line is None and document is not None and finding.pointer:
            where = document.position(finding.pointer)
            if where is not None:
                finding = finding.at(where.line, where.column)
        placed.append(finding)
    return tuple(placed)
