"""Pure: (Proposal, Policy, Prices) -> both options costed month by month, in exact Decimal.

Every line item is tagged with the hidden cost it belongs to (1 eval set, 2 retraining, 3 serving and
operations, 4 lock-in, 5 improvement plateau) or None for costs a slide deck already shows. Line items
sum to the option's monthly figures, and months to its total: nothing is rounded here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, localcontext

from .catalog import Prices
from .hidden_costs import HiddenCost
from .models import Policy, Proposal, Serving

HOURS_PER_MONTH = Decimal(730)
SECONDS_PER_HOUR = Decimal(3600)
_PRECISION = 60  # far more digits than any total needs, so sums are exact to the cent and beyond
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_MTOK = Decimal(1_000_000)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class LineItem:
    """One cost over the horizon: a stable id, words for a report, its hidden cost, an amount per month."""

    id: str
    label: str
    hidden_cost: HiddenCost | None
    monthly: tuple[Decimal, ...]
    total: Decimal


@dataclass(frozen=True)
class OptionCost:
    """All of one option's line items; `monthly` and `total` are their sums."""

    line_items: tuple[LineItem, ...]
    monthly: tuple[Decimal, ...]
    total: Decimal


def _option(items: tuple[LineItem, ...]) -> OptionCost:
    monthly = tuple(sum(month, _ZERO) for month in zip(*(item.monthly for item in items), strict=True))
    return OptionCost(items, monthly, sum(monthly, _ZERO))


@dataclass(frozen=True)
class Ledger:
    """Both options over the horizon and what follows from comparing them."""

    horizon_months: int
    finetune: OptionCost
    prompting: OptionCost
    savings_pct: Decimal | None  # None when prompting costs (next to) nothing, so no saving is possible
    break_even_month: int | None
    accuracy_gap_pct: Decimal | None


def volume(proposal: Proposal, month: int) -> Decimal:
    """Requests in month `month` (1-based), compounding the monthly growth."""
    growth = Decimal(1) + proposal.workload.monthly_growth_pct / _HUNDRED
    return proposal.workload.requests_per_month * growth ** (month - 1)


def gpus(serving: Serving, requests: Decimal) -> int:
    """GPUs needed for a month's requests: enough for the peak at the target utilisation, plus failover."""
    average_tokens_per_second = requests * serving.output_tokens_per_request / (HOURS_PER_MONTH * SECONDS_PER_HOUR)
    capacity_per_gpu = serving.output_tokens_per_second_per_gpu * serving.target_utilization_pct / _HUNDRED
    needed = math.ceil(average_tokens_per_second * serving.peak_to_average / capacity_per_gpu)
    return max(serving.min_gpus, needed) + serving.failover_gpus


def retrain_months(horizon: int, retrains_per_year: int) -> list[int]:
    """floor(H × r / 12) retrains, the k-th in month ceil(k × 12 / r)."""
    if retrains_per_year == 0:
        return []
    return [-(-k * 12 // retrains_per_year) for k in range(1, horizon * retrains_per_year // 12 + 1)]


def rebuild_months(horizon: int, lifecycle_months: int | None) -> list[int]:
    """floor(H / lifecycle) forced rebuilds, the k-th in month k × lifecycle; none without a lifecycle."""
    if lifecycle_months is None:
        return []
    return [k * lifecycle_months for k in range(1, horizon // lifecycle_months + 1)]


def build_ledger(proposal: Proposal, policy: Policy, prices: Prices) -> Ledger:
    """Cost both options over the policy's horizon, exactly as the contract's cost semantics say."""
    with localcontext(prec=_PRECISION):
        horizon = policy.horizon_months
        finetune = _option(_finetune_items(proposal, policy))
        prompting = _option(_prompting_items(proposal, policy, prices))
        f_total, p_total = finetune.total, prompting.total
        # Under a cent over the whole horizon, prompting is free: no percentage of it means anything.
        savings = (p_total - f_total) / p_total * _HUNDRED if p_total >= _CENT else None
        return Ledger(
            horizon_months=horizon,
            finetune=finetune,
            prompting=prompting,
            savings_pct=savings,
            break_even_month=_break_even(finetune.monthly, prompting.monthly),
            accuracy_gap_pct=_accuracy_gap(proposal),
        )


def _months(policy: Policy) -> range:
    return range(1, policy.horizon_months + 1)


def _discounted(policy: Policy, amounts: list[Decimal]) -> tuple[Decimal, ...]:
    """Each month's amount × (1 + d)^(−(m−1)/12): money later is worth less today."""
    if not policy.discount_rate_pct_per_year:
        return tuple(amounts)
    base = Decimal(1) + policy.discount_rate_pct_per_year / _HUNDRED
    return tuple(amount * base ** (Decimal(-(m - 1)) / 12) for m, amount in enumerate(amounts, start=1))


def _item(policy: Policy, id_: str, label: str, hidden: HiddenCost | None, amounts: list[Decimal]) -> LineItem:
    monthly = _discounted(policy, amounts)
    return LineItem(id_, label, hidden, monthly, sum(monthly, _ZERO))


def _at_months(policy: Policy, months: list[int], amount: Decimal) -> list[Decimal]:
    """`amount` in each of `months` (1-based), nothing in the others."""
    per_month = [_ZERO] * policy.horizon_months
    for month in months:
        per_month[month - 1] += amount
    return per_month


def _once(policy: Policy, amount: Decimal) -> list[Decimal]:
    """A one-off, paid in month 1."""
    return _at_months(policy, [1], amount)


def _every_month(policy: Policy, amount: Decimal) -> list[Decimal]:
    return [amount] * policy.horizon_months


def _finetune_items(proposal: Proposal, policy: Policy) -> tuple[LineItem, ...]:
    ft, rate, horizon = proposal.finetune, policy.hourly_rate_usd, policy.horizon_months
    if ft.serving is not None:
        sized = ft.serving
        serving = [gpus(sized, volume(proposal, m)) * sized.gpu_hourly_usd * HOURS_PER_MONTH for m in _months(policy)]
        serving_label = "GPU serving, sized from the workload (incl. failover)"
    else:
        assert ft.monthly_serving_usd is not None
        serving = _every_month(policy, ft.monthly_serving_usd)
        serving_label = "GPU serving, flat monthly"
    rebuild_usd = ft.training_run_usd if ft.rebuild_usd is None else ft.rebuild_usd
    return (
        _item(policy, "training_run", "initial training run", None, _once(policy, ft.training_run_usd)),
        _item(policy, "data_labeling", "data labeling", None, _once(policy, ft.data_labeling_usd)),
        _item(
            policy,
            "eval_set_build",
            "eval set build (SME hours)",
            1,
            _once(policy, (ft.eval_set_build_hours or _ZERO) * rate),
        ),
        _item(policy, "eval_upkeep", "eval set upkeep", 1, _every_month(policy, ft.monthly_eval_hours * rate)),
        _item(
            policy,
            "retrains",
            "retraining runs and their engineering",
            2,
            _at_months(
                policy,
                retrain_months(horizon, ft.retrains_per_year or 0),
                ft.training_run_usd + ft.retrain_eng_hours * rate,
            ),
        ),
        _item(policy, "serving", serving_label, 3, serving),
        _item(
            policy,
            "operations",
            "on-call, debugging and ops engineering",
            3,
            _every_month(policy, (ft.monthly_eng_hours or _ZERO) * rate),
        ),
        _item(policy, "monitoring", "monitoring", 3, _every_month(policy, ft.monthly_monitoring_usd)),
        _item(
            policy,
            "rebuilds",
            "forced rebuilds when the base model is deprecated",
            4,
            _at_months(
                policy,
                rebuild_months(horizon, ft.base_model_lifecycle_months),
                rebuild_usd + ft.rebuild_eng_hours * rate,
            ),
        ),
    )


def _prompting_items(proposal: Proposal, policy: Policy, prices: Prices) -> tuple[LineItem, ...]:
    pr, rate = proposal.prompting, policy.hourly_rate_usd
    uncached = pr.input_tokens_per_request - pr.cached_input_tokens_per_request
    usd_per_request = (
        uncached * prices.input.usd_per_mtok
        + pr.cached_input_tokens_per_request * prices.cached_input.usd_per_mtok
        + pr.output_tokens_per_request * prices.output.usd_per_mtok
    ) / _MTOK
    at_today_prices = [volume(proposal, m) * usd_per_request for m in _months(policy)]
    keep = Decimal(1) - (pr.price_decline_pct_per_year or _ZERO) / _HUNDRED
    # Hidden cost 5 shown as its own line: what the hosted price decline takes off the usage bill.
    decline = [amount * keep ** (Decimal(m - 1) / 12) - amount for m, amount in enumerate(at_today_prices, start=1)]
    return (
        _item(policy, "api_usage", "hosted API usage at as_of prices", None, at_today_prices),
        _item(policy, "price_decline", "hosted price decline over time", 5, decline),
        _item(
            policy,
            "prompt_setup",
            "prompt engineering (one-off)",
            None,
            _once(policy, pr.setup_eng_hours * rate),
        ),
        _item(
            policy,
            "prompt_upkeep",
            "prompt upkeep and its evals",
            None,
            _every_month(policy, pr.monthly_eng_hours * rate),
        ),
    )


def _break_even(finetune: tuple[Decimal, ...], prompting: tuple[Decimal, ...]) -> int | None:
    """The first month whose cumulative fine-tuning cost is at most prompting's."""
    f_sum = p_sum = _ZERO
    for month, (f, p) in enumerate(zip(finetune, prompting, strict=True), start=1):
        f_sum += f
        p_sum += p
        if f_sum <= p_sum:
            return month
    return None


def _accuracy_gap(proposal: Proposal) -> Decimal | None:
    """Prompting's shortfall relative to the fine-tuned model, in percent (negative when prompting wins)."""
    if proposal.evaluation is None:
        return None
    ft_acc, pr_acc = proposal.evaluation.finetune_accuracy, proposal.evaluation.prompting_accuracy
    return (ft_acc - pr_acc) / ft_acc * _HUNDRED
