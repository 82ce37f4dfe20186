"""Pure: (Proposal, Policy, Prices) -> both options costed month by month, in exact Decimal.

Every line item is tagged with the hidden cost of the field it costs (hidden_costs.FIELDS: 1 eval set,
2 retraining, 3 serving and operations, 4 lock-in, 5 improvement plateau) or None for costs a slide deck
already shows. Line items sum to the option's monthly figures, and months to its total: nothing is
rounded here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, getcontext, localcontext
from functools import lru_cache

from .break_even_month import BreakEven, break_even
from .catalog import Prices
from .growth import decimal_factor
from .hidden_costs import FIELDS, HiddenCost
from .line_items import LineItemId
from .models import Policy, Proposal, ServingKind, TokenPriced
from .quality import accuracy_gaps, wrong_answer_amounts
from .serving_cost import sized_serving_lines
from .sizing import Fleet, size_fleet
from .units import CENT, pct

_PRECISION = 60  # far more digits than any total needs, so sums are exact to the cent and beyond
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_MTOK = Decimal(1_000_000)


# Prompting pays for lock-in too (its hosted model is retired); that line carries this note.
PROMPTING_LOCK_IN = "prompting's lock-in (not a hidden cost of fine-tuning)"
# Both options pay for their wrong answers; those lines carry this note.
QUALITY = "quality: the cost of wrong answers (not a hidden cost)"


@dataclass(frozen=True)
class LineItem:
    """One cost over the horizon: a stable id, words for a report, its hidden cost, an amount per month."""

    id: LineItemId
    label: str
    hidden_cost: HiddenCost | None
    monthly: tuple[Decimal, ...]
    total: Decimal
    note: str | None = None


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
    break_even: BreakEven
    accuracy_gap_pct: Decimal | None  # today
    accuracy_gap_at_horizon_pct: Decimal | None  # after the hosted model's expected gains over the horizon
    requests: tuple[Decimal, ...]  # each month's volume
    serving_kind: ServingKind
    gpus: tuple[int, ...] | None  # each month's billed GPUs, for sized serving
    hosted_prices: Prices | None = None  # the provider-hosted fine-tune's, when it has one
    fleet: Fleet | None = None  # sized serving's fleet: peak and billed, committed, on demand, capacity

    @property
    def over_capacity_month(self) -> int | None:
        """The first month the peak fleet needs more GPUs than the committed fleet has, with no burst allowed."""
        return self.fleet.over_capacity_month if self.fleet is not None else None

    @property
    def break_even_month(self) -> int | None:
        """The month from which fine-tuning stays at or below prompting, cumulatively; None if never."""
        return self.break_even.month

    @property
    def finetune_usd_per_request(self) -> Decimal:
        """Fine-tuning's total over the horizon, per request served in it."""
        return self.finetune.total / sum(self.requests, _ZERO)

    @property
    def prompting_usd_per_request(self) -> Decimal:
        """Prompting's total over the horizon, per request served in it."""
        return self.prompting.total / sum(self.requests, _ZERO)


def volume(proposal: Proposal, month: int) -> Decimal:
    """Requests in month `month` (1-based), compounding the monthly growth."""
    growth = decimal_factor(proposal.workload.monthly_growth_pct)
    return proposal.workload.requests_per_month * growth ** (month - 1)


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


def build_ledger(proposal: Proposal, policy: Policy, prices: Prices, hosted: Prices | None = None) -> Ledger:
    """Cost both options over the policy's horizon, exactly as the contract's cost semantics say.

    `prices` are prompting's; `hosted` are the provider-hosted fine-tune's, needed when it has one.
    """
    with localcontext(prec=_PRECISION):
        horizon = policy.horizon_months
        sized = proposal.finetune.serving
        fleet = size_fleet(sized, proposal.workload, horizon) if sized else None
        finetune = _option(_finetune_items(proposal, policy, fleet, hosted))
        prompting = _option(_prompting_items(proposal, policy, prices))
        f_total, p_total = finetune.total, prompting.total
        # Under a cent over the whole horizon, prompting is free: no percentage of it means anything.
        savings = (p_total - f_total) / p_total * _HUNDRED if p_total >= CENT else None
        today, at_horizon = accuracy_gaps(proposal, horizon)
        return Ledger(
            horizon_months=horizon,
            finetune=finetune,
            prompting=prompting,
            savings_pct=savings,
            break_even=break_even(finetune.monthly, prompting.monthly),
            accuracy_gap_pct=today,
            accuracy_gap_at_horizon_pct=at_horizon,
            requests=tuple(volume(proposal, m) for m in _months(policy)),
            serving_kind=proposal.finetune.serving_kind,
            gpus=fleet.billed if fleet else None,
            hosted_prices=hosted if proposal.finetune.hosted is not None else None,
            fleet=fleet,
        )


def _months(policy: Policy) -> range:
    return range(1, policy.horizon_months + 1)


def discount_factors(policy: Policy) -> tuple[Decimal, ...]:
    """Each month's discount factor, (1 + d)^(−(m−1)/12), at the ledger's precision: 1 without discounting."""
    if not policy.discount_rate_pct_per_year:
        return (Decimal(1),) * policy.horizon_months
    base = Decimal(1) + policy.discount_rate_pct_per_year / _HUNDRED
    return _monthly_powers(base, -1, policy.horizon_months, _PRECISION)


def _discounted(policy: Policy, amounts: list[Decimal]) -> tuple[Decimal, ...]:
    """Each month's amount × (1 + d)^(−(m−1)/12): money later is worth less today."""
    if not policy.discount_rate_pct_per_year:
        return tuple(amounts)
    base = Decimal(1) + policy.discount_rate_pct_per_year / _HUNDRED
    factors = _monthly_powers(base, -1, len(amounts), getcontext().prec)
    return tuple(amount * factor for amount, factor in zip(amounts, factors, strict=True))


@lru_cache(maxsize=256)
def _monthly_powers(base: Decimal, sign: int, months: int, precision: int) -> tuple[Decimal, ...]:
    """base^(sign × (m−1)/12) for m = 1..months, at `precision` digits.

    A fractional power is the costliest step of a ledger, and every line item of every proposal under one
    policy uses the same ones: worked out once, they are the very Decimals each line would compute.
    """
    with localcontext(prec=precision):
        return tuple(base ** (Decimal(sign * (m - 1)) / 12) for m in range(1, months + 1))


def _item(
    policy: Policy,
    id_: LineItemId,
    label: str,
    hidden: HiddenCost | None,
    amounts: list[Decimal],
    note: str | None = None,
) -> LineItem:
    monthly = _discounted(policy, amounts)
    return LineItem(id_, label, hidden, monthly, sum(monthly, _ZERO), note)


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


def _usd_per_request(priced: TokenPriced, prices: Prices) -> Decimal:
    """What one request's tokens cost at these prices, the cached part at the cached price."""
    uncached = priced.input_tokens_per_request - priced.cached_input_tokens_per_request
    return (
        uncached * prices.input.usd_per_mtok
        + priced.cached_input_tokens_per_request * prices.cached_input.usd_per_mtok
        + priced.output_tokens_per_request * prices.output.usd_per_mtok
    ) / _MTOK


def _serving_items(proposal: Proposal, policy: Policy, fleet: Fleet | None, hosted: Prices | None) -> list[LineItem]:
    """Hidden cost 3's serving lines, for whichever of the three kinds the proposal uses."""
    ft, tag = proposal.finetune, FIELDS["finetune.serving"]
    if ft.serving is not None:
        assert fleet is not None
        lines = sized_serving_lines(ft.serving, fleet)
        return [_item(policy, line.id, line.label, tag, line.amounts) for line in lines]
    if ft.hosted is not None:
        assert hosted is not None, "a hosted fine-tune needs its prices"
        # A frozen fine-tune does not get better (hidden cost 5 is prompting's), but its provider may cut prices.
        usage = _declining(proposal, policy, _usd_per_request(ft.hosted, hosted), ft.hosted.price_decline_pct_per_year)
        amounts = [amount + ft.hosted.monthly_hosting_usd for amount in usage]
        falling = ft.hosted.price_decline_pct_per_year
        per_token = f"per token falling {pct(falling)} a year" if falling else "per token"
        return [
            _item(
                policy, LineItemId.SERVING, f"fine-tune served by a provider, {per_token} + hosting fee", tag, amounts
            )
        ]
    assert ft.monthly_serving_usd is not None
    return [
        _item(
            policy, LineItemId.SERVING, "GPU serving, flat monthly", tag, _every_month(policy, ft.monthly_serving_usd)
        )
    ]


def _declining(proposal: Proposal, policy: Policy, per_request: Decimal, decline_pct: Decimal) -> list[Decimal]:
    """Each month's volume × the price a request, the price falling `decline_pct` a year, (1 − d)^((m−1)/12)."""
    amounts = [volume(proposal, m) * per_request for m in _months(policy)]
    if not decline_pct:
        return amounts
    factors = _monthly_powers(Decimal(1) - decline_pct / _HUNDRED, 1, len(amounts), getcontext().prec)
    return [amount * factor for amount, factor in zip(amounts, factors, strict=True)]


def _finetune_items(
    proposal: Proposal, policy: Policy, fleet: Fleet | None, hosted: Prices | None
) -> tuple[LineItem, ...]:
    ft, rate, horizon = proposal.finetune, policy.hourly_rate_usd, policy.horizon_months
    rebuild_usd = ft.training_run_usd if ft.rebuild_usd is None else ft.rebuild_usd
    return (
        _item(policy, LineItemId.TRAINING_RUN, "initial training run", None, _once(policy, ft.training_run_usd)),
        _item(policy, LineItemId.DATA_LABELING, "data labeling", None, _once(policy, ft.data_labeling_usd)),
        _item(
            policy,
            LineItemId.EVAL_SET_BUILD,
            "eval set build (SME hours)",
            FIELDS["finetune.eval_set_build_hours"],
            _once(policy, (ft.eval_set_build_hours or _ZERO) * rate),
        ),
        _item(
            policy,
            LineItemId.EVAL_UPKEEP,
            "eval set upkeep",
            FIELDS["finetune.monthly_eval_hours"],
            _every_month(policy, ft.monthly_eval_hours * rate),
        ),
        _item(
            policy,
            LineItemId.RETRAINS,
            "retraining runs and their engineering",
            FIELDS["finetune.retrains_per_year"],
            _at_months(
                policy,
                retrain_months(horizon, ft.retrains_per_year or 0),
                ft.training_run_usd + ft.retrain_eng_hours * rate,
            ),
        ),
        *_serving_items(proposal, policy, fleet, hosted),
        _item(
            policy,
            LineItemId.OPERATIONS,
            "on-call, debugging and ops engineering",
            FIELDS["finetune.monthly_eng_hours"],
            _every_month(policy, (ft.monthly_eng_hours or _ZERO) * rate),
        ),
        _item(
            policy,
            LineItemId.MONITORING,
            "monitoring",
            FIELDS["finetune.monthly_monitoring_usd"],
            _every_month(policy, ft.monthly_monitoring_usd),
        ),
        _item(
            policy,
            LineItemId.REBUILDS,
            "forced rebuilds when the base model is deprecated",
            FIELDS["finetune.base_model_lifecycle_months"],
            _at_months(
                policy,
                rebuild_months(horizon, ft.base_model_lifecycle_months),
                rebuild_usd + ft.rebuild_eng_hours * rate,
            ),
        ),
        *_wrong_answers(proposal, policy, finetune=True),
    )


def _prompting_items(proposal: Proposal, policy: Policy, prices: Prices) -> tuple[LineItem, ...]:
    pr, rate = proposal.prompting, policy.hourly_rate_usd
    per_request = _usd_per_request(pr, prices)
    at_today_prices = [volume(proposal, m) * per_request for m in _months(policy)]
    batch_off = pr.batch_share_pct / _HUNDRED * pr.batch_discount_pct / _HUNDRED
    batch = [-amount * batch_off for amount in at_today_prices]
    keep = Decimal(1) - (pr.price_decline_pct_per_year or _ZERO) / _HUNDRED
    # Hidden cost 5 shown as its own line: what the hosted price decline takes off the (batched) usage bill.
    factors = _monthly_powers(keep, 1, len(at_today_prices), getcontext().prec)
    decline = [
        (amount + off) * factor - (amount + off)
        for amount, off, factor in zip(at_today_prices, batch, factors, strict=True)
    ]
    items = [
        _item(policy, LineItemId.API_USAGE, "hosted API usage at as_of prices", None, at_today_prices),
        _item(
            policy,
            LineItemId.PRICE_DECLINE,
            "hosted price decline over time",
            FIELDS["prompting.price_decline_pct_per_year"],
            decline,
        ),
        _item(
            policy,
            LineItemId.PROMPT_SETUP,
            "prompt engineering (one-off)",
            None,
            _once(policy, pr.setup_eng_hours * rate),
        ),
        _item(
            policy,
            LineItemId.PROMPT_UPKEEP,
            "prompt upkeep and its evals",
            None,
            _every_month(policy, pr.monthly_eng_hours * rate),
        ),
    ]
    # The two additions appear only when written, so a version-1 proposal's report is unchanged.
    if pr.batch_share_pct:
        items.insert(1, _item(policy, LineItemId.BATCH_DISCOUNT, "batch API discount", None, batch))
    if pr.model_lifecycle_months is not None:
        migrations = _at_months(
            policy, rebuild_months(policy.horizon_months, pr.model_lifecycle_months), pr.migration_eng_hours * rate
        )
        label = "prompt migrations when the hosted model is retired"
        items.append(_item(policy, LineItemId.MIGRATIONS, label, None, migrations, PROMPTING_LOCK_IN))
    items += _wrong_answers(proposal, policy, finetune=False)
    return tuple(items)


def _wrong_answers(proposal: Proposal, policy: Policy, *, finetune: bool) -> list[LineItem]:
    """The option's wrong answers each month, as a line apart (quality), when the proposal prices an error."""
    volumes = [volume(proposal, m) for m in _months(policy)]
    amounts = wrong_answer_amounts(proposal, volumes, finetune=finetune)
    return [] if amounts is None else [_item(policy, LineItemId.WRONG_ANSWERS, "wrong answers", None, amounts, QUALITY)]
