"""Pure: a Result -> its ledger in words, month by month and line by line, or as CSV rows for a spreadsheet.

Each line item says how its amount is made from the proposal's own figures ("rebuild $2,000 + 60 h × $150"),
in the month it falls in. The text ends with what decides the verdict, keyed on the reasons' codes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from decimal import Decimal

from .hidden_costs import HIDDEN_COSTS
from .ledger import Ledger, LineItem, rebuild_months, retrain_months
from .line_items import LineItemId
from .models import Proposal
from .quality import prompting_accuracy
from .result import Outcome, ReasonCode, Result
from .serving_cost import power_usd_per_gpu
from .units import HOURS_PER_MONTH, pct, round_cents, usd

# What each reason code means for the verdict, as the heading of its explanation.
_DECIDES: dict[ReasonCode, str] = {
    ReasonCode.MARGIN: "the margin: the saving against what the policy requires",
    ReasonCode.PROMPTING_FREE: "prompting costs nothing over the horizon, so fine-tuning cannot save",
    ReasonCode.HIDDEN_COSTS_MISSING: "a hidden cost is not written: the slide-deck proposal the gate exists to stop",
    ReasonCode.OVER_CAPACITY: "the committed fleet cannot serve the volume, and nothing pays for more GPUs",
    ReasonCode.WAIVED: "a waiver in the root policy lets it through until its expiry",
    ReasonCode.WAIVER_EXPIRED: "a waiver named it, but it has expired",
    ReasonCode.EXEMPT_DATA_RESIDENCY: "the data-residency exemption: cost does not decide",
    ReasonCode.EXEMPT_LATENCY: "the latency exemption: cost does not decide",
    ReasonCode.EXEMPT_ACCURACY_GAP: "the accuracy-gap exemption: cost does not decide",
    ReasonCode.WARN_ONLY: "the policy's `on_fail: warn`: the failure is reported, not enforced",
    ReasonCode.EXEMPTION_UNAPPROVED: "an exemption is claimed but not approved, so the margin decides",
    ReasonCode.APPROVAL_EXPIRED: "an exemption's approval has expired, so the margin decides",
    ReasonCode.STRICTER_OF_TWO: "judged under the root and the nested policy, the stricter verdict stands",
}

Words = Callable[[Proposal, Decimal, int], str]


def _hours(hours: Decimal, rate: Decimal) -> str:
    return f"{hours.normalize():,f} h × {_rate(rate)}"


def _rate(rate: Decimal) -> str:
    """An hourly rate as written, so that `h × rate` multiplies out to the amount shown: `$150.00`, `$123.9583`."""
    return usd(rate) if rate == round_cents(rate) else f"${rate.normalize():,f}"


def _why(item_id: str) -> Words | None:
    """How a line item's amount is made, in words, for one month (proposal, hourly rate, month)."""
    table: dict[str, Words] = {
        LineItemId.TRAINING_RUN: lambda p, r, m: f"training run {usd(p.finetune.training_run_usd)}",
        LineItemId.DATA_LABELING: lambda p, r, m: f"labelling {usd(p.finetune.data_labeling_usd)}",
        LineItemId.EVAL_SET_BUILD: lambda p, r, m: _hours(p.finetune.eval_set_build_hours or Decimal(0), r),
        LineItemId.EVAL_UPKEEP: lambda p, r, m: _hours(p.finetune.monthly_eval_hours, r),
        LineItemId.RETRAINS: lambda p, r, m: (
            f"retrain ({p.finetune.retrains_per_year} a year): training run {usd(p.finetune.training_run_usd)}"
            f" + {_hours(p.finetune.retrain_eng_hours, r)}"
        ),
        LineItemId.OPERATIONS: lambda p, r, m: _hours(p.finetune.monthly_eng_hours or Decimal(0), r),
        LineItemId.MONITORING: lambda p, r, m: f"{usd(p.finetune.monthly_monitoring_usd)} a month",
        LineItemId.REBUILDS: lambda p, r, m: (
            f"base model deprecated (lifecycle {p.finetune.base_model_lifecycle_months} months): rebuild "
            f"{usd(p.finetune.training_run_usd if p.finetune.rebuild_usd is None else p.finetune.rebuild_usd)}"
            f" + {_hours(p.finetune.rebuild_eng_hours, r)}"
        ),
        LineItemId.PROMPT_SETUP: lambda p, r, m: _hours(p.prompting.setup_eng_hours, r),
        LineItemId.PROMPT_UPKEEP: lambda p, r, m: _hours(p.prompting.monthly_eng_hours, r),
        LineItemId.BATCH_DISCOUNT: lambda p, r, m: (
            f"{pct(p.prompting.batch_share_pct)} of requests at {pct(p.prompting.batch_discount_pct)} off"
        ),
        LineItemId.PRICE_DECLINE: lambda p, r, m: (
            f"hosted prices fall {pct(p.prompting.price_decline_pct_per_year or Decimal(0))} a year; "
            f"month {m} is {Decimal(m - 1) / 12:.2f} years on"
        ),
        LineItemId.MIGRATIONS: lambda p, r, m: (
            f"hosted model retired (lifecycle {p.prompting.model_lifecycle_months} months): "
            f"{_hours(p.prompting.migration_eng_hours, r)}"
        ),
    }
    return table.get(item_id)


def explain_text(result: Result) -> str:
    """The ledger of one result in words, or why it could not be costed."""
    lines = [f"{result.name or '(no name)'}  {result.path}  {result.outcome.value.upper()}"]
    ledger, proposal, settings = result.ledger, result.proposal, result.settings
    if ledger is None or proposal is None or settings is None:
        lines += [f"  {finding.message}" for finding in result.findings if finding.level == "error"]
        lines += _decides(result)
        return "\n".join(lines) + "\n"
    policy = settings.policy
    lines.append(
        f"  policy {settings.file or 'built-in defaults'}: {ledger.horizon_months} months, "
        f"{_rate(policy.hourly_rate_usd)} an engineering hour, a saving of at least {pct(policy.min_savings_pct)}"
        + (f", discounted {pct(policy.discount_rate_pct_per_year)} a year" if policy.discount_rate_pct_per_year else "")
    )
    ft_cumulative = pr_cumulative = Decimal(0)
    for month in range(1, ledger.horizon_months + 1):
        index = month - 1
        volume = f"{round(ledger.requests[index]):,} requests"
        lines.append(f"month {month} ({volume}{_fleet_words(proposal, ledger, index)})")
        for option, cost in (("fine-tuning", ledger.finetune), ("prompting", ledger.prompting)):
            lines.append(f"  {option} {usd(cost.monthly[index])}")
            for item in cost.line_items:
                amount = item.monthly[index]
                if round_cents(amount) != 0:
                    words = _item_words(item, proposal, policy.hourly_rate_usd, month, ledger)
                    requests = ledger.requests[index]
                    if item.id is LineItemId.API_USAGE:
                        words += f" — {round(requests):,} requests × {_exact(amount / requests)} a request"
                    elif item.id is LineItemId.SERVING and proposal.finetune.hosted is not None:
                        fee = proposal.finetune.hosted.monthly_hosting_usd
                        per_request = _exact((amount - fee) / requests)
                        words += f" — {round(requests):,} requests × {per_request} a request + {usd(fee)} hosting"
                    elif item.id is LineItemId.WRONG_ANSWERS:
                        words += _errors(proposal, option == "fine-tuning", month, requests)
                    lines.append(f"    {words}: {usd(amount)}")
        ft_cumulative += ledger.finetune.monthly[index]
        pr_cumulative += ledger.prompting.monthly[index]
        lines.append(f"  so far: fine-tuning {usd(ft_cumulative)}, prompting {usd(pr_cumulative)}")
    saving = "undefined" if ledger.savings_pct is None else pct(ledger.savings_pct)
    break_even = ledger.break_even.describe(ledger.horizon_months)
    lines.append(
        f"over {ledger.horizon_months} months: fine-tuning {usd(ledger.finetune.total)}, prompting "
        f"{usd(ledger.prompting.total)}; saving {saving}; break-even {break_even}"
    )
    lines += _decides(result)
    return "\n".join(lines) + "\n"


def _item_words(item: LineItem, proposal: Proposal, rate: Decimal, month: int, ledger: Ledger) -> str:
    words = _why(item.id)
    how = words(proposal, rate, month) if words is not None else ""
    if item.id in _COMMITTED_LINES:
        how = _committed_words(proposal, item.id, month)
    elif item.id is LineItemId.SERVING:
        how = _serving_words(proposal, month, ledger)
    elif item.id is LineItemId.RETRAINS:
        events = retrain_months(len(item.monthly), proposal.finetune.retrains_per_year or 0)
        how = f"retrain {events.index(month) + 1} of {len(events)}; {how}" if month in events else how
    elif item.id is LineItemId.REBUILDS:
        events = rebuild_months(len(item.monthly), proposal.finetune.base_model_lifecycle_months)
        how = f"rebuild {events.index(month) + 1} of {len(events)}; {how}" if month in events else how
    tag = f" [hidden cost {item.hidden_cost}: {HIDDEN_COSTS[item.hidden_cost]}]" if item.hidden_cost else ""
    note = f" [{item.note}]" if item.note else ""
    return f"{item.label}{tag}{note}" + (f" — {how}" if how else "")


def _serving_words(proposal: Proposal, month: int, ledger: Ledger) -> str:
    ft, fleet = proposal.finetune, ledger.fleet
    if ft.serving is not None and fleet is not None:
        hourly = ft.serving.gpu_hourly_usd or Decimal(0)
        beyond = f" beyond the {fleet.committed:,} committed" if fleet.committed else ""
        return f"{fleet.on_demand[month - 1]} GPUs{beyond} × {_exact(hourly)} an hour × {HOURS_PER_MONTH} h"
    if ft.hosted is not None:
        falling = ft.hosted.price_decline_pct_per_year
        return f"its per-token price falls {pct(falling)} a year" if falling else ""  # the rest with the volume
    return f"{usd(ft.monthly_serving_usd or Decimal(0))} a month, flat"


_COMMITTED_LINES = frozenset({LineItemId.COMMITTED, LineItemId.DEPRECIATION, LineItemId.POWER, LineItemId.LICENCES})


def _committed_words(proposal: Proposal, item_id: str, month: int) -> str:
    """How a committed fleet's line is made: reserved GPUs at their price, or an owned GPU's depreciation, power
    or licence, times the committed GPUs."""
    assert proposal.finetune.serving is not None and proposal.finetune.serving.committed is not None
    committed = proposal.finetune.serving.committed
    gpus = f"{committed.gpus:,} GPUs"
    if item_id is LineItemId.COMMITTED:
        return f"{gpus} × {usd(committed.monthly_usd_per_gpu or Decimal(0))} a month, used or not"
    if item_id is LineItemId.DEPRECIATION:
        over = committed.depreciation_months
        return f"{gpus} × {usd(committed.purchase_usd_per_gpu or Decimal(0))} / {over} months (month {month} of {over})"
    if item_id is LineItemId.POWER:
        return (
            f"{gpus} × {committed.watts_per_gpu} W / 1000 × {HOURS_PER_MONTH} h × PUE {committed.pue} × "
            f"{_exact(committed.usd_per_kwh or Decimal(0))} a kWh = {_exact(power_usd_per_gpu(committed))} a GPU"
        )
    return f"{gpus} × {usd(committed.monthly_licence_usd_per_gpu)} a month"


def _errors(proposal: Proposal, finetune: bool, month: int, requests: Decimal) -> str:
    """` — 1,000,000 requests × 5% wrong × $0.10 an error`, at the option's accuracy that month."""
    assert proposal.evaluation is not None
    accuracy = proposal.evaluation.finetune_accuracy if finetune else prompting_accuracy(proposal, month)
    assert accuracy is not None
    wrong = pct((1 - accuracy) * 100)
    return (
        f" — {round(requests):,} requests × {wrong} wrong × {_exact(proposal.evaluation.cost_per_error_usd)} an error"
    )


def _fleet_words(proposal: Proposal, ledger: Ledger, index: int) -> str:
    """`, 3 GPUs` for a month of a plain fleet; an autoscaled or committed one says what is billed and how."""
    fleet, serving = ledger.fleet, proposal.finetune.serving
    if fleet is None or serving is None:
        return ""
    billed, peak = fleet.billed[index], fleet.peak[index]
    if not (serving.autoscaling or serving.committed):
        return f", {billed} GPUs"
    words = f", {billed} GPUs billed" + (f" ({peak} at the peak)" if peak != billed else "")
    if serving.committed:
        words += f": {fleet.committed} committed, {fleet.on_demand[index]} on demand"
    return words


def _exact(price: Decimal) -> str:
    """A unit price as written or to six significant figures, not rounded to the cent: `$1.006`."""
    shown = price if price == price.normalize() and len(price.as_tuple().digits) <= 6 else Decimal(f"{price:.6g}")
    return f"${shown.normalize():f}"


def _decides(result: Result) -> list[str]:
    lines = [f"what decides the verdict ({result.outcome.value}):"]
    for reason in result.reasons:
        heading = _DECIDES.get(reason.code, reason.code.value.replace("-", " "))
        lines.append(f"  [{reason.code.value}] {heading}")
        lines.append(f"    {reason.text}")
    return lines


CSV_COLUMNS = ("proposal", "month", "requests", "option", "line_item", "label", "hidden_cost", "usd")


def explain_csv(results: Iterable[Result]) -> str:
    """The monthly ledger of every costed result: one row per month, option and line item, amounts to the cent."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        if result.ledger is None or result.outcome is Outcome.INVALID:
            continue
        ledger = result.ledger
        for index in range(ledger.horizon_months):
            for option, cost in (("finetune", ledger.finetune), ("prompting", ledger.prompting)):
                for item in cost.line_items:
                    writer.writerow(
                        (
                            result.name,
                            index + 1,
                            round(ledger.requests[index]),
                            option,
                            item.id,
                            item.label,
                            item.hidden_cost or "",
                            f"{round_cents(item.monthly[index]):.2f}",
                        )
                    )
    return out.getvalue()
