"""`--format text`: a compact block per proposal for a terminal or a CI log.

Verdict first; then the totals, the saving against the required margin and the break-even month;
then each option's line items grouped by hidden cost; then reasons; then findings as
`file:line:col: level: message`, the way compilers print them so editors can jump to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import groupby

from ..catalog import PROPOSAL, Prices
from ..errors import Finding
from ..ledger import HIDDEN_COSTS, Ledger, OptionCost
from ..result import Outcome, Result, tally
from ..units import pct, usd

_WIDTH = 58  # label column; amounts are right-aligned after it


def render(results: Sequence[Result]) -> str:
    """Every result's block, then a one-line summary."""
    blocks = [_block(result) for result in results]
    return "\n".join([*blocks, _summary(results)]) + "\n"


def finding_line(finding: Finding, default_path: str) -> str:
    """`file:line:col: level: message`, with as much of the place as is known."""
    parts = [finding.path or default_path]
    if finding.line is not None:
        parts.append(str(finding.line))
        if finding.column is not None:
            parts.append(str(finding.column))
    return f"{':'.join(parts)}: {finding.level}: {finding.message}"


def _headline(result: Result) -> str:
    verdict = result.outcome.value.upper()
    if result.outcome is Outcome.FAIL and not result.enforced:
        verdict += " (warn only)"
    name = f"  {result.name}" if result.name else ""
    return f"{verdict}{name}  {result.path}"


def _block(result: Result) -> str:
    lines = [_headline(result)]
    if result.ledger is not None and result.settings is not None:
        lines += _figures(result.ledger, result.settings.policy.min_savings_pct, result.settings.file)
        if result.prices is not None:
            lines.append(f"  {'hosted prices':<22}{_prices(result.prices)}")
        lines += _option("fine-tuning", result.ledger.finetune)
        lines += _option("prompting", result.ledger.prompting)
    lines.append("  reasons")
    lines += [f"    - {reason.text}" for reason in result.reasons]
    if result.findings:
        lines.append("  findings")
        lines += [f"    {finding_line(f, result.path)}" for f in result.findings]
    return "\n".join(lines) + "\n"


def _figures(ledger: Ledger, required: Decimal, policy_file: str | None) -> list[str]:
    months = ledger.horizon_months
    saving = "n/a (prompting costs nothing)" if ledger.savings_pct is None else pct(ledger.savings_pct)
    break_even = f"month {ledger.break_even_month}" if ledger.break_even_month else f"none within {months} months"
    return [
        f"  {'total over ' + str(months) + ' months':<22}fine-tuning {usd(ledger.finetune.total)}"
        f"  |  prompting {usd(ledger.prompting.total)}",
        f"  {'saving':<22}{saving}  (required: at least {pct(required)})",
        f"  {'break-even':<22}{break_even}",
        f"  {'policy':<22}{policy_file or 'built-in defaults (no .tco-gate.yml found)'}",
    ]


def _prices(prices: Prices) -> str:
    """USD per million tokens and where each came from, the common source said once."""
    named = (("input", prices.input), ("cached input", prices.cached_input), ("output", prices.output))
    sources = {price.source for _, price in named}
    if len(sources) == 1:
        listed = ", ".join(f"{name} {_per_mtok(price.usd_per_mtok)}" for name, price in named)
        return f"{listed} per Mtok, from {_source(sources.pop())}"
    return "; ".join(f"{name} {_per_mtok(p.usd_per_mtok)} ({_source(p.source)})" for name, p in named) + " per Mtok"


def _per_mtok(price: Decimal) -> str:
    # Cents where that is exact ($0.40), every digit where it is not ($0.075).
    return f"${price:,.2f}" if price == price.quantize(Decimal("0.01")) else f"${price}"


def _source(source: str) -> str:
    return "the proposal" if source == PROPOSAL else source


def _option(title: str, option: OptionCost) -> list[str]:
    lines = [f"  {title:<{_WIDTH + 2}}{usd(option.total):>16}"]
    ordered = sorted(option.line_items, key=lambda item: item.hidden_cost or 0)
    for hidden, items in groupby(ordered, key=lambda item: item.hidden_cost):
        group = list(items)
        if hidden is not None:
            heading = f"hidden cost {hidden}: {HIDDEN_COSTS[hidden]}"
            lines.append(f"    {heading:<{_WIDTH}}{usd(sum((i.total for i in group), Decimal(0))):>16}")
        lines += [f"      {item.label:<{_WIDTH - 2}}{usd(item.total):>16}" for item in group]
    return lines


def _summary(results: Sequence[Result]) -> str:
    listed = ", ".join(f"{count} {outcome.value}" for outcome, count in tally(r.outcome for r in results).items())
    noun = "proposal" if len(results) == 1 else "proposals"
    return f"{len(results)} {noun}: {listed}"
