"""Baseline -> the report's `base` part: each proposal against itself at the base commit, from exact values.

Differences are taken between the exact Decimal totals and rounded once, so a change is never a cent off
the difference a reader would expect from the two unrounded figures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from ..units import round_cents
from .model import BaseOut, LineItemChangeOut, ProposalChangeOut, RemovedOut

if TYPE_CHECKING:
    from ..ledger import OptionCost
    from ..result import Baseline, Comparison, Result


def _money(amount: Decimal | None) -> float | None:
    return None if amount is None else float(round_cents(amount))


def _total(result: Result | None, option: Literal["finetune", "prompting"]) -> Decimal | None:
    if result is None or result.ledger is None:
        return None
    return getattr(result.ledger, option).total  # type: ignore[no-any-return]


def _delta(before: Decimal | None, after: Decimal | None) -> float | None:
    return None if before is None or after is None else _money(after - before)


def _items(option: Literal["finetune", "prompting"], before: OptionCost, after: OptionCost) -> list[LineItemChangeOut]:
    old = {item.id: item for item in before.line_items}
    new = {item.id: item for item in after.line_items}
    moved = []
    for item_id in [*new, *(i for i in old if i not in new)]:
        was, now = old.get(item_id), new.get(item_id)
        change = (now.total if now else Decimal(0)) - (was.total if was else Decimal(0))
        if round_cents(change) == 0:
            continue
        label = (now or was).label  # type: ignore[union-attr]  # one of the two exists
        moved.append(
            LineItemChangeOut(
                option=option,
                id=item_id,
                label=label,
                base_usd=_money(was.total) if was else None,
                total_usd=_money(now.total) if now else None,
                change_usd=float(round_cents(change)),
            )
        )
    return moved


def _change(comparison: Comparison) -> ProposalChangeOut:
    head, base = comparison.head, comparison.base
    items: list[LineItemChangeOut] = []
    if base is not None and base.ledger is not None and head.ledger is not None:
        items = _items("finetune", base.ledger.finetune, head.ledger.finetune)
        items += _items("prompting", base.ledger.prompting, head.ledger.prompting)
    return ProposalChangeOut(
        path=head.path,
        name=head.name,
        status="new" if base is None else "changed" if comparison.changed else "unchanged",
        base_verdict=base.outcome if base else None,
        verdict_changed=base is not None and base.outcome is not head.outcome,
        base_finetune_total_usd=_money(_total(base, "finetune")),
        base_prompting_total_usd=_money(_total(base, "prompting")),
        finetune_change_usd=_delta(_total(base, "finetune"), _total(head, "finetune")),
        prompting_change_usd=_delta(_total(base, "prompting"), _total(head, "prompting")),
        line_items=items,
        policies_changed=list(comparison.policies_changed),
    )


def base_out(baseline: Baseline) -> BaseOut:
    """The report's `base` part."""
    return BaseOut(
        ref=baseline.ref,
        commit=baseline.commit,
        policies_changed=list(baseline.policies_changed),
        changes=[_change(comparison) for comparison in baseline.comparisons],
        removed=[_removed(result) for result in baseline.removed],
    )


def _removed(result: Result) -> RemovedOut:
    # Shown as the work tree names files, not as `REF:path`: the reader looks for it in the diff.
    path = result.path.split(":", 1)[1] if ":" in result.path else result.path
    return RemovedOut(path=path, name=result.name, base_verdict=result.outcome)
