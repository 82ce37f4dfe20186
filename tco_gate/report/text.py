"""`--format text`: a compact block per proposal for a terminal or a CI log.

Verdict first; then the totals, the cost per request and per million of the workload's tokens, the saving
against the required margin, the break-even, the accuracy gaps and the GPU count (and how the fleet is laid out
and bought); then each option's line items grouped by hidden cost
(and prompting's own lock-in by itself); then reasons; then findings as
`file:line:col: level: message`, the way compilers print them so editors can jump to them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import groupby

from ..hidden_costs import REQUIRED_LINE_ITEMS
from ..line_items import LineItemId
from ..result import Outcome, tally
from ..units import usd
from .model import BaseOut, FindingOut, LineItemOut, OptionOut, PolicyOut, Report, ResultOut
from .parts import Fragment, whole
from .phrases import exact, fleet, gpus, hosted_trend, money, per_request, percent, prices_line, verdict_label
from .phrases_evidence import evidence_lines, source_words, value_words

_WIDTH = 58  # label column; amounts are right-aligned after it
NEAREST_FLIPS = 3  # the analysis line's flips: a text run pins no others (Sampling.nearest_flips)


def render(report: Report) -> str:
    """Every result's block, the findings about the policy files, then a one-line summary."""
    return whole(report, part, document)


def part(result: ResultOut, base: BaseOut | None) -> Fragment:
    """One proposal's block, written as the run goes: a large run keeps these, compressed, not its entries."""
    return Fragment.of(_block(result))


def document(shell: Report, parts: Sequence[Fragment]) -> Iterator[str]:
    """Each block followed by a blank line, the policy files' findings, the summary line."""
    for block in parts:
        yield block.text() + "\n"
    if shell.findings:
        yield "policy findings\n" + "".join(f"  {finding_line(f)}\n" for f in shell.findings) + "\n"
    yield _summary({outcome: shell.summary.count(outcome) for outcome in Outcome}, len(parts)) + "\n"


def summary_of(verdicts: Sequence[Outcome]) -> str:
    """The summary line of a run whose proposals had these verdicts."""
    return _summary(tally(verdicts), len(verdicts))


def finding_line(finding: FindingOut) -> str:
    """`file:line:col: level: message`, with as much of the place as is known."""
    parts = [finding.file]
    if finding.line is not None:
        parts.append(str(finding.line))
        if finding.column is not None:
            parts.append(str(finding.column))
    return f"{':'.join(parts)}: {finding.level}: {finding.message}"


def _headline(result: ResultOut) -> str:
    verdict = verdict_label(result.verdict, result.enforced)
    name = f"  {result.name}" if result.name else ""
    return f"{verdict}{name}  {result.path}"


def _block(result: ResultOut) -> str:
    lines = [_headline(result)]
    if result.finetune is not None and result.prompting is not None and result.policy is not None:
        lines += _figures(result, result.finetune, result.prompting, result.policy)
        if result.prompting_prices is not None:
            lines.append(f"  {'prompting prices':<22}{prices_line(result.prompting_prices)}")
        if result.finetune_hosted_prices is not None:
            trend = hosted_trend(result)
            lines.append(f"  {'fine-tune prices':<22}{prices_line(result.finetune_hosted_prices)}{trend}")
        if result.evidence is not None:
            lines += [f"  {label:<22}{words}" for label, words in evidence_lines(result.evidence)]
        if result.inputs:
            lines.append("  inputs (what the verdict turned on, and where each figure came from)")
            width = max(len(row.key) for row in result.inputs)
            lines += [f"    {row.key:<{width}}  {value_words(row):>16}  {source_words(row)}" for row in result.inputs]
        not_written = {REQUIRED_LINE_ITEMS[field] for field in result.missing_hidden_costs}
        lines += _option("fine-tuning", result.finetune, not_written)
        lines += _option("prompting", result.prompting, not_written)
    lines.append("  reasons")
    lines += [f"    - {reason.text}" for reason in result.reasons]
    if result.findings:
        lines.append("  findings")
        lines += [f"    {finding_line(f)}" for f in result.findings]
    return "\n".join(lines) + "\n"


def _figures(result: ResultOut, finetune: OptionOut, prompting: OptionOut, policy: PolicyOut) -> list[str]:
    months = policy.horizon_months
    saving = "n/a (prompting costs nothing)" if result.savings_pct is None else percent(result.savings_pct)
    if result.break_even is not None:
        break_even = result.break_even.text
    else:  # a report saved before the break-even had words
        break_even = f"month {result.break_even_month}" if result.break_even_month else f"none within {months} months"
    lines = [
        f"  {'total over ' + str(months) + ' months':<22}fine-tuning {money(finetune.total_usd)}"
        f"  |  prompting {money(prompting.total_usd)}",
    ]
    if result.usd_per_request is not None:
        per = result.usd_per_request
        lines.append(
            f"  {'per request':<22}fine-tuning {per_request(per.finetune_usd)}"
            f"  |  prompting {per_request(per.prompting_usd)}"
        )
        if per.finetune_usd_per_mtok is not None and per.prompting_usd_per_mtok is not None:
            tokens = f"{per.tokens_per_request or 0:,.0f}"  # whole tokens, as the review documents show them
            lines.append(
                f"  {'per 1M tokens':<22}fine-tuning {money(per.finetune_usd_per_mtok)}"
                f"  |  prompting {money(per.prompting_usd_per_mtok)}  (the workload's {tokens} tokens a request)"
            )
    lines += [
        f"  {'saving':<22}{saving}  (required: at least {percent(policy.min_savings_pct)})",
        f"  {'break-even':<22}{break_even}",
        *_analysis(result),
    ]
    today, later = result.accuracy_gap_pct, result.accuracy_gap_at_horizon_pct
    if today is not None:
        gaps = f"{percent(today)} today"
        if later is not None:
            gaps += f", {percent(later)} at the end of {months} months"
        lines.append(f"  {'accuracy gap':<22}{gaps} (prompting's shortfall)")
    if result.serving is not None and result.serving.gpus_monthly:
        lines.append(f"  {'GPUs':<22}{gpus(result.serving, months)}")
        layout = fleet(result.serving)
        if layout:
            lines.append(f"  {'fleet':<22}{layout}")
    lines += [
        f"  {'policy':<22}{_policy_files(policy)}",
        *_flags(policy),
        f"  {'hourly rate':<22}{money(policy.hourly_rate_usd)} an engineering hour "
        f"({_origin(policy, 'hourly_rate_usd')})",
    ]
    return lines


def _analysis(result: ResultOut) -> list[str]:
    """The decision analysis in three lines at most: the break-even volume, the nearest flips, the spread."""
    lines = []
    volume = result.break_even_volume
    if volume is not None:
        own = f"yours: {volume.requests_per_month:,.0f}"
        found = result.break_even_requests_per_month
        through = "the most the committed fleet serves through the horizon"
        limit = "" if volume.capacity is None else f"; {through}: {volume.capacity:,}"
        if found is None:
            most = f", {through}" if volume.capacity is not None else ""
            lines.append(f"  {'break-even volume':<22}none up to {volume.searched_to:,} requests a month{most} ({own})")
        else:
            bands = f", in {volume.bands_total} bands" if volume.bands_total > 1 else ""
            lines.append(f"  {'break-even volume':<22}{found:,} requests a month ({own}{bands}{limit})")
    changes = sorted(
        (abs(e.flip.change_pct), e.input.strip("/").replace("/", "."), e.flip.change_pct)
        for e in result.sensitivity
        if e.flip is not None and e.flip.change_pct is not None
    )[:NEAREST_FLIPS]
    if changes:
        words = "; ".join(f"{name} {'+' if change > 0 else ''}{percent(change)}" for _, name, change in changes)
        lines.append(f"  {'nearest flips':<22}{words}")
    drawn = result.uncertainty
    if drawn is not None:
        f, p = drawn.finetune_total_usd, drawn.prompting_total_usd
        lines.append(
            f"  {'P10–P90':<22}fine-tuning {money(f.p10)}–{money(f.p90)}  |  prompting {money(p.p10)}–{money(p.p90)}"
        )
        share = percent(drawn.probability_pass * 100)
        lines.append(f"  {'draws that pass':<22}{share} of {drawn.draws:,} (PERT, seed {drawn.seed})")
    return lines


def _policy_files(policy: PolicyOut) -> str:
    files = policy.files or ([policy.file] if policy.file else [])
    if not files:
        return "built-in defaults (no .tco-gate.yml found)"
    return ", then ".join(files)


def _flags(policy: PolicyOut) -> list[str]:
    """Values set on the command line, named as flags: a CI job's override must not read as the policy's."""
    set_by_flag = sorted(name for name, source in policy.sources.items() if source == "flag")
    if not set_by_flag:
        return []
    flags = ", ".join(f"--{name.replace('_', '-')} {_value(getattr(policy, name))}" for name in set_by_flag)
    return [f"  {'set by flags':<22}{flags} (over the policy file)"]


def _value(value: object) -> str:
    return f"{exact(value).normalize():f}" if isinstance(value, float) else str(value)


def _origin(policy: PolicyOut, name: str) -> str:
    source = policy.sources.get(name, "default")
    if source == "flag":
        return "flag"
    if source == "default":
        return "built-in default"
    return f"from {policy.file}" if policy.file else "from the policy"


def _option(title: str, option: OptionOut, not_written: set[LineItemId]) -> list[str]:
    lines = [f"  {title:<{_WIDTH + 2}}{money(option.total_usd):>16}"]
    headings = {group.hidden_cost: group for group in option.hidden_costs}
    # Plain costs first, then a line that stands apart (prompting's lock-in), then hidden costs 1-5.
    ordered = sorted(option.line_items, key=lambda item: (item.hidden_cost or 0, item.note or ""))
    for (hidden, note), group in groupby(ordered, key=lambda item: (item.hidden_cost, item.note)):
        items = list(group)
        if hidden is not None:
            heading, total = f"hidden cost {hidden}: {headings[hidden].name}", exact(headings[hidden].total_usd)
            lines.append(f"    {heading:<{_WIDTH}}{usd(total):>16}")
        elif note is not None:
            total = sum((exact(item.total_usd) for item in items), Decimal(0))
            lines.append(f"    {note:<{_WIDTH}}{usd(total):>16}")
        lines += [f"      {item.label:<{_WIDTH - 2}}{_amount(item, not_written):>16}" for item in items]
    return lines


def _amount(item: LineItemOut, not_written: set[LineItemId]) -> str:
    """A line item's total, or "not written" where the proposal left out the hidden cost it stands for."""
    return "not written" if item.id in not_written else money(item.total_usd)


def summary_line(report: Report) -> str:
    """`3 proposals: 1 pass, 1 fail, 1 exempt, 0 waived, 0 invalid`."""
    return _summary({outcome: report.summary.count(outcome) for outcome in Outcome}, len(report.results))


def _summary(counts: Mapping[Outcome, int], total: int) -> str:
    listed = ", ".join(f"{counts[outcome]} {outcome.value}" for outcome in Outcome)
    noun = "proposal" if total == 1 else "proposals"
    return f"{total} {noun}: {listed}"
