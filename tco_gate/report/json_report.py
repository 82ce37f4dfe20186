"""`--format json`: the versioned machine report. Its models here are the source of its JSON Schema.

Keys come out in the models' field order; money is rounded to cents and percentages to two decimals
from the exact values, and nothing depends on the clock, so the same input gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..catalog import Price, Prices
from ..errors import Finding
from ..ledger import LineItem, OptionCost
from ..result import PolicySettings, Reason, ReasonCode, Result, tally
from ..units import round_cents, round_pct


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingOut(_Out):
    level: Literal["error", "warning"]
    message: str
    file: str = Field(description="The file the finding is in (the policy file for policy problems).")
    pointer: str = Field(description="JSON pointer into that file's data; empty for the whole file.")
    line: int | None = Field(ge=1, description="1-based line, where the problem has one.")
    column: int | None = Field(ge=1, description="1-based column, where the problem has one.")


class LineItemOut(_Out):
    id: str
    label: str
    hidden_cost: Literal[1, 2, 3, 4, 5] | None
    total_usd: float
    monthly_usd: list[float]


class OptionOut(_Out):
    total_usd: float
    line_items: list[LineItemOut]
    monthly_usd: list[float]


class PriceOut(_Out):
    usd_per_mtok: float
    source: str = Field(description="`proposal`, or the catalog, its version, the model and the date read.")


class PricesOut(_Out):
    input: PriceOut
    cached_input: PriceOut
    output: PriceOut


class PolicyOut(_Out):
    file: str | None
    horizon_months: int
    min_savings_pct: float
    hourly_rate_usd: float
    discount_rate_pct_per_year: float
    require_hidden_costs: bool
    on_fail: Literal["fail", "warn"]
    sources: dict[str, Literal["default", "file", "flag"]]


class ReasonOut(_Out):
    code: ReasonCode = Field(description="Stable: tools key on it. Never renamed or reused.")
    text: str = Field(description="The reason in words for a reviewer; may be reworded between releases.")


class ResultOut(_Out):
    path: str
    name: str | None
    verdict: Literal["pass", "fail", "exempt", "waived", "invalid"]
    enforced: bool = Field(description="False for a failure the policy only warns about (`on_fail: warn`).")
    reasons: list[ReasonOut]
    policy: PolicyOut | None
    finetune: OptionOut | None
    prompting: OptionOut | None
    prompting_prices: PricesOut | None
    savings_pct: float | None
    required_savings_pct: float | None
    break_even_month: int | None
    accuracy_gap_pct: float | None
    findings: list[FindingOut]


class SummaryOut(_Out):
    # Field order here is the order of the keys in every report.
    pass_: int = Field(alias="pass")
    fail: int
    exempt: int
    waived: int
    invalid: int


class Report(_Out):
    """The JSON report, version 1."""

    model_config = ConfigDict(title="tco-gate report", populate_by_name=True)

    version: Literal[1]
    results: list[ResultOut]
    summary: SummaryOut


def _money(amount: Decimal) -> float:
    return float(round_cents(amount))


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else float(round_pct(value))


def _line_item(item: LineItem) -> LineItemOut:
    hidden = item.hidden_cost
    assert hidden in (None, 1, 2, 3, 4, 5)
    return LineItemOut(
        id=item.id,
        label=item.label,
        hidden_cost=hidden,
        total_usd=_money(item.total),
        monthly_usd=[_money(m) for m in item.monthly],
    )


def _option(option: OptionCost) -> OptionOut:
    return OptionOut(
        total_usd=_money(option.total),
        line_items=[_line_item(i) for i in option.line_items],
        monthly_usd=[_money(m) for m in option.monthly],
    )


def _price(price: Price) -> PriceOut:
    return PriceOut(usd_per_mtok=float(price.usd_per_mtok), source=price.source)


def _reason(reason: Reason) -> ReasonOut:
    return ReasonOut(code=reason.code, text=reason.text)


def _finding(result: Result, finding: Finding) -> FindingOut:
    return FindingOut(
        level=finding.level,
        message=finding.message,
        file=finding.path or result.path,
        pointer=finding.pointer,
        line=finding.line,
        column=finding.column,
    )


def _policy(settings: PolicySettings) -> PolicyOut:
    policy = settings.policy
    return PolicyOut(
        file=settings.file,
        horizon_months=policy.horizon_months,
        min_savings_pct=float(policy.min_savings_pct),
        hourly_rate_usd=float(policy.hourly_rate_usd),
        discount_rate_pct_per_year=float(policy.discount_rate_pct_per_year),
        require_hidden_costs=policy.require_hidden_costs,
        on_fail=policy.on_fail,
        sources=dict(sorted(settings.sources.items())),
    )


def _prices(prices: Prices) -> PricesOut:
    return PricesOut(input=_price(prices.input), cached_input=_price(prices.cached_input), output=_price(prices.output))


def _result(result: Result) -> ResultOut:
    settings, ledger = result.settings, result.ledger
    return ResultOut(
        path=result.path,
        name=result.name,
        verdict=result.outcome.value,
        enforced=result.enforced,
        reasons=[_reason(reason) for reason in result.reasons],
        policy=_policy(settings) if settings else None,
        finetune=_option(ledger.finetune) if ledger else None,
        prompting=_option(ledger.prompting) if ledger else None,
        prompting_prices=_prices(result.prices) if result.prices else None,
        savings_pct=_percent(ledger.savings_pct) if ledger else None,
        required_savings_pct=float(settings.policy.min_savings_pct) if settings and ledger else None,
        break_even_month=ledger.break_even_month if ledger else None,
        accuracy_gap_pct=_percent(ledger.accuracy_gap_pct) if ledger else None,
        findings=[_finding(result, f) for f in result.findings],
    )


def build(results: Sequence[Result]) -> Report:
    """The report model for a run."""
    counts = tally(result.outcome for result in results)
    summary = SummaryOut(**{outcome.value: count for outcome, count in counts.items()})
    return Report(version=1, results=[_result(result) for result in results], summary=summary)


def render(results: Sequence[Result]) -> str:
    """The JSON report as text, two-space indented, ending in a newline."""
    data = build(results).model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
