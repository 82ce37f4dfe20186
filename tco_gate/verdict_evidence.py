"""What the policy asks of evidence and claims, pure: required kinds, bounds on claimed figures, and the
accuracy gap judged on the measured gain's lower bound."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from .errors import Finding
from .evidence.requests import Measurement
from .evidence.stats import PairedFigures
from .evidence_model import Bound, value_at
from .models import Evaluation, Policy, Proposal
from .result import Reason, ReasonCode
from .units import written

_KIND_WORDS = {"eval": "eval logs", "usage": "a usage export", "serving_benchmark": "a serving benchmark"}


@dataclass(frozen=True)
class OutOfBounds:
    """A claimed figure outside the policy's bound for its key: the reason it fails, and its line's warning."""

    reason: Reason
    finding: Finding


def evidence_missing(policy: Policy, evidence: Measurement | None) -> list[Reason]:
    """A reason for each kind of evidence the policy requires and the proposal does not carry (or could not read)."""
    carried = evidence.kinds if evidence is not None else ()
    return [
        Reason(
            ReasonCode.EVIDENCE_MISSING,
            f"the policy requires evidence of kind `{kind}` ({_KIND_WORDS[kind]}, under `evidence.{kind}`); "
            "the proposal carries none, so its figures are claims nobody checked",
        )
        for kind in policy.evidence.require
        if kind not in carried
    ]


def out_of_bounds(proposal: Proposal, policy: Policy, evidence: Measurement | None) -> list[OutOfBounds]:
    """Each claimed figure outside its bound. A figure the evidence supplied is not a claim: not bounded."""
    measured = evidence.pointers if evidence is not None else {}
    found = []
    for key, bound in policy.bounds.items():
        pointer = "/" + key.replace(".", "/")
        value = value_at(proposal, key)
        if pointer in measured or value is None:
            continue
        broken = _broken(Decimal(value), bound)
        if broken:
            message = f"`{key}: {written(Decimal(value))}` is {broken}: the policy bounds this claim"
            found.append(OutOfBounds(Reason(ReasonCode.OUT_OF_BOUNDS, message), Finding("warning", message, pointer)))
    return found


def evidence_gap_pct(figures: PairedFigures, evaluation: Evaluation, months: int) -> tuple[Decimal, Decimal]:
    """Prompting's relative shortfall judged on the gain's lower bound: (at the horizon's end, today), in %.

    (lower bound − prompting's expected gain over the horizon) / the fine-tuned accuracy × 100; the gain is
    capped where prompting would reach an accuracy of 1, as the written gap's is.
    """
    with localcontext() as context:
        context.prec = 28
        accuracy = evaluation.finetune_accuracy
        bound = figures.gain_lower_bound
        gain = min(evaluation.prompting_accuracy_gain_per_year * months / 12, 1 - evaluation.prompting_accuracy)
        today = bound / accuracy * 100
        return (bound - gain) / accuracy * 100, today


def _broken(value: Decimal, bound: Bound) -> str:
    if bound.min is not None and value < bound.min:
        return f"below the policy's bound (min {written(bound.min)})"
    if bound.max is not None and value > bound.max:
        return f"above the policy's bound (max {written(bound.max)})"
    return ""
