"""Pure: what accuracy means for each option: prompting's shortfall against the fine-tuned model, today and at
the horizon's end, and what each option's wrong answers cost a month when the proposal prices an error.

The fine-tuned model stays where it was trained; the hosted model gains `prompting_accuracy_gain_per_year`,
month by month, up to an accuracy of 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .models import Proposal

_ONE = Decimal(1)
_HUNDRED = Decimal(100)


def prompting_accuracy(proposal: Proposal, month: int) -> Decimal | None:
    """The hosted model's expected accuracy in month `month` (1-based): min(1, today's + gain × (m − 1)/12)."""
    evaluation = proposal.evaluation
    if evaluation is None:
        return None
    gained = evaluation.prompting_accuracy + evaluation.prompting_accuracy_gain_per_year * (month - 1) / 12
    return min(_ONE, gained)


def accuracy_gaps(proposal: Proposal, horizon: int) -> tuple[Decimal | None, Decimal | None]:
    """Prompting's shortfall relative to the fine-tuned model, in percent (negative when prompting wins):
    today, and at the horizon's end, when the hosted model has gained what the proposal expects."""
    if proposal.evaluation is None:
        return None, None
    evaluation = proposal.evaluation
    ft_acc, pr_acc = evaluation.finetune_accuracy, evaluation.prompting_accuracy
    later = min(_ONE, pr_acc + evaluation.prompting_accuracy_gain_per_year * horizon / 12)
    return (ft_acc - pr_acc) / ft_acc * _HUNDRED, (ft_acc - later) / ft_acc * _HUNDRED


def wrong_answer_amounts(proposal: Proposal, volumes: Sequence[Decimal], *, finetune: bool) -> list[Decimal] | None:
    """V(m) × (1 − accuracy(m)) × cost_per_error_usd for each month's volume; None when the proposal does not
    price an error (`evaluation.cost_per_error_usd` not written)."""
    evaluation = proposal.evaluation
    if evaluation is None or "cost_per_error_usd" not in evaluation.model_fields_set:
        return None
    per_error = evaluation.cost_per_error_usd
    amounts = []
    for month, requests in enumerate(volumes, start=1):
        accuracy = evaluation.finetune_accuracy if finetune else prompting_accuracy(proposal, month)
        assert accuracy is not None
        amounts.append(requests * (_ONE - accuracy) * per_error)
    return amounts
