"""`--format markdown`: the report a reviewer reads in a pull request or a job summary. Pure.

Built from small section functions, each `(result) -> list[str]` of lines, so a new section (analysis,
review) is one more function in SECTIONS. One proposal renders in full; several get a summary table first
and each proposal folded in `<details>`. Text from a proposal is escaped: it cannot open HTML, end a
table cell or start a heading.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

from ..result import Outcome
from . import phrases, review
from .model import BaseOut, FindingOut, LineItemOut, OptionOut, ProposalChangeOut, Report, ResultOut
from .phrases import cumulative, flags_set, percent
from .phrases import money as usd
from .phrases_evidence import evidence_lines, source_words, value_words

Section = Callable[[ResultOut], list[str]]

_ICON = {
    Outcome.PASS: "✅",
    Outcome.FAIL: "❌",
    Outcome.EXEMPT: "🟦",
    Outcome.WAIVED: "🟨",
    Outcome.INVALID: "⛔",
}
_CHART_WIDTH = 60  # past this many months the chart shows every other month (or fewer), not every one


def text(value: str) -> str:
    """Untrusted text for Markdown: no HTML, no table-cell end, one line."""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return " ".join(escaped.split())


def _verdict_word(result: ResultOut) -> str:
    return phrases.verdict_label(result.verdict, result.enforced)


def verdict_label(result: ResultOut) -> str:
    return f"{_ICON[result.verdict]} **{_verdict_word(result)}**"


def _title(result: ResultOut) -> str:
    return text(result.name) if result.name else f"`{text(result.path)}`"


def banner(result: ResultOut) -> list[str]:
    return [f"### {verdict_label(result)} · {_title(result)}", "", f"`{text(result.path)}`", ""]


def figures(result: ResultOut) -> list[str]:
    if result.finetune is None or result.prompting is None or result.policy is None:
        return []
    saving = "not computable" if result.savings_pct is None else percent(result.savings_pct)
    required = result.required_savings_pct if result.required_savings_pct is not None else 0.0
    horizon = result.policy.horizon_months
    break_even = f"month {result.break_even_month}" if result.break_even_month else f"none within {horizon} months"
    rows = [
        f"| over {horizon} months | |",
        "| --- | ---: |",
        f"| fine-tuning | {usd(result.finetune.total_usd)} |",
        f"| prompting | {usd(result.prompting.total_usd)} |",
        f"| saving | {saving} (required: at least {percent(required)}) |",
        f"| break-even | {break_even} |",
    ]
    return [*rows, ""]


def reasons(result: ResultOut) -> list[str]:
    if not result.reasons:
        return []
    return ["**Reasons**", "", *[f"- {text(reason.text)}" for reason in result.reasons], ""]


def findings(result: ResultOut) -> list[str]:
    return _findings_table("**Findings**", result.findings)


def _findings_table(title: str, found: list[FindingOut]) -> list[str]:
    if not found:
        return []
    lines = [title, "", "| | where | message |", "| --- | --- | --- |"]
    for finding in found:
        place = text(finding.file)
        if finding.line is not None:
            place += f":{finding.line}" + (f":{finding.column}" if finding.column is not None else "")
        icon = "⛔" if finding.level == "error" else "⚠️"
        lines.append(f"| {icon} {finding.level} | `{place}` | {text(finding.message)} |")
    return [*lines, ""]


def _items(option: OptionOut) -> list[str]:
    """An option's line items, grouped under the hidden costs they belong to; the rest first, then each line that
    stands apart (prompting's lock-in, the cost of wrong answers) under its own heading."""
    names = {cost.hidden_cost: cost for cost in option.hidden_costs}
    plain = [item for item in option.line_items if item.hidden_cost is None]
    lines = [_item_row(item) for item in plain if item.note is None]
    for note in dict.fromkeys(item.note for item in plain if item.note is not None):
        noted = [item for item in plain if item.note == note]
        lines.append(f"| **{text(note)}** | **{usd(sum(item.total_usd for item in noted))}** |")
        lines += [_item_row(item, indent=True) for item in noted]
    for number, cost in sorted(names.items()):
        lines.append(f"| **hidden cost {number}: {text(cost.name)}** | **{usd(cost.total_usd)}** |")
        lines += [_item_row(item, indent=True) for item in option.line_items if item.hidden_cost == number]
    return lines


def _item_row(item: LineItemOut, *, indent: bool = False) -> str:
    pad = "&nbsp;&nbsp;&nbsp;&nbsp;" if indent else ""
    return f"| {pad}{text(item.label)} | {usd(item.total_usd)} |"


def line_items(result: ResultOut) -> list[str]:
    lines: list[str] = []
    for title, option in (("Fine-tuning", result.finetune), ("Prompting", result.prompting)):
        if option is None:
            continue
        lines += [f"| {title}: line items | {usd(option.total_usd)} |", "| --- | ---: |", *_items(option), ""]
    return lines


def chart(result: ResultOut) -> list[str]:
    """Cumulative cost of both options month by month, as a Mermaid xychart GitHub draws."""
    if result.finetune is None or result.prompting is None:
        return []
    finetune, prompting = cumulative(result.finetune.monthly_usd), cumulative(result.prompting.monthly_usd)
    months = len(finetune)
    step = max(1, -(-months // _CHART_WIDTH))
    picked = sorted({*range(0, months, step), months - 1})
    top = max([*finetune, *prompting, 1.0])

    def series(values: list[float]) -> str:
        return ", ".join(f"{values[i]:.0f}" for i in picked)

    return [
        "```mermaid",
        "xychart-beta",
        '    title "Cumulative cost: fine-tuning (first line) vs prompting (second line), USD"',
        f'    x-axis "month" [{", ".join(str(i + 1) for i in picked)}]',
        f'    y-axis "USD" 0 --> {top * 1.05:.0f}',
        f"    line [{series(finetune)}]",
        f"    line [{series(prompting)}]",
        "```",
        "",
    ]


def proposed(result: ResultOut) -> list[str]:
    """What is proposed, by whom, at which prices from where (report/review.py holds the words)."""
    rows = review.proposed(result)
    if not rows:
        return []
    return ["| proposed | |", "| --- | --- |", *(f"| {label} | {text(words)} |" for label, words in rows), ""]


def policy(result: ResultOut) -> list[str]:
    found = result.policy
    if found is None:
        return []
    where = f"`{text(found.file)}`" if found.file else "built-in defaults (no `.tco-gate.yml` found)"
    if found.file and "base" in found.sources.values():
        commit, _, name = found.file.partition(":")  # a file read from a commit is shown as `REF:path`
        where = f"`{text(name)}` as of the base commit `{text(commit[:12])}`"
    flags = flags_set(found)
    lines = [f"Policy: {where}; required saving {percent(found.min_savings_pct)} over {found.horizon_months} months."]
    if flags:
        lines.append(f"Set by command-line flag: `{flags}`.")
    return [*lines, ""]


def _signed(amount: float) -> str:
    return f"+{usd(amount)}" if amount > 0 else usd(amount)


def change(found: ProposalChangeOut | None, now: ResultOut) -> list[str]:
    """The proposal against the base commit: new, or what moved and whether the verdict did."""
    if found is None:
        return []
    if found.status == "new":
        return ["**Against the base:** new in this change.", ""]
    assert found.base_verdict is not None
    verdict = (
        f"the verdict moved from {found.base_verdict.value} to **{now.verdict.value}**"
        if found.verdict_changed
        else f"the verdict is unchanged ({found.base_verdict.value})"
    )
    if found.status == "unchanged":
        return [f"**Against the base:** the file is unchanged; re-checked because its policy changed; {verdict}.", ""]
    totals = []
    for label, moved in (("fine-tuning", found.finetune_change_usd), ("prompting", found.prompting_change_usd)):
        if moved is not None:
            totals.append(f"{label} {_signed(moved)}" if moved else f"{label} unchanged")
    lines = [f"**Against the base:** {verdict}; {', '.join(totals) or 'totals not comparable'}.", ""]
    if found.line_items:
        lines += ["| moved | base | now | change |", "| --- | ---: | ---: | ---: |"]
        for item in found.line_items:
            side = "fine-tuning" if item.option == "finetune" else "prompting"
            was = usd(item.base_usd) if item.base_usd is not None else "—"
            total = usd(item.total_usd) if item.total_usd is not None else "—"
            lines.append(f"| {side}: {text(item.label)} | {was} | {total} | {_signed(item.change_usd)} |")
        lines.append("")
    return lines


_MARK = {"yes": "✅ yes", "no": "❌ no", "not stated": "➖ not stated"}


def review_sections(result: ResultOut) -> list[str]:
    """Break-even volume, sensitivity, uncertainty and the checklist (report/review.py holds the words)."""
    lines: list[str] = []
    volume = review.break_even_volume(result)
    if volume:
        lines += ["**Break-even volume.** " + " ".join(text(line) for line in volume), ""]
    rows = review.sensitivity_rows(result)
    if rows:
        lines += [
            "**Sensitivity** (the largest swings first):",
            "",
            "| input | value | what flips the verdict | totals at −20% (FT vs prompting) | at +20% |",
            "| --- | ---: | --- | ---: | ---: |",
            *(f"| `{text(row[0])}` | {' | '.join(text(cell) for cell in row[1:])} |" for row in rows),
            "",
        ]
        note = review.sensitivity_note(result)
        lines += [text(note), ""] if note else []
    spread = review.uncertainty_rows(result)
    if spread:
        lines += [
            "**Uncertainty:**",
            "",
            "| total | P10 | P50 | P90 |",
            "| --- | ---: | ---: | ---: |",
            *(f"| {' | '.join(text(cell) for cell in row)} |" for row in spread),
            "",
            *(text(line) for line in review.uncertainty_lines(result)),
            "",
        ]
    if result.finetune is not None:
        lines += ["**When fine-tuning is right:**", ""]
        lines += [
            f"- {_MARK[item.status]} · {text(item.condition)}: {text(item.evidence)}"
            for item in review.checklist(result)
        ]
        lines.append("")
    return lines


def inputs(result: ResultOut) -> list[str]:
    """The evidence the proposal carried, and each decisive figure with its source: what nobody checked shows."""
    lines: list[str] = []
    if result.evidence is not None:
        lines += [f"**{text(label.capitalize())}.** {text(words)}" for label, words in evidence_lines(result.evidence)]
        lines.append("")
    if result.inputs:
        lines += ["| input | value | source |", "| --- | ---: | --- |"]
        lines += [
            f"| `{text(row.key)}` | {text(value_words(row))} | {text(source_words(row))} |" for row in result.inputs
        ]
        lines.append("")
    return lines


SECTIONS: list[Section] = [
    banner,
    proposed,
    figures,
    reasons,
    findings,
    inputs,
    chart,
    review_sections,
    line_items,
    policy,
]


def proposal(result: ResultOut, moved: ProposalChangeOut | None = None) -> list[str]:
    """A proposal's sections in order; the change against the base right after its figures."""
    lines: list[str] = []
    for section in SECTIONS:
        lines += section(result)
        if section is figures:
            lines += change(moved, result)
    return lines


def base_notes(base: BaseOut | None) -> list[str]:
    """What checking against a base commit means for this report, said once at the top."""
    if base is None:
        return []
    lines = [f"Checked against the base commit `{text(base.commit[:12])}`: every policy was read from it.", ""]
    if base.policies_changed:
        edited = ", ".join(f"`{text(name)}`" for name in base.policies_changed)
        lines.append(
            f"> [!IMPORTANT]\n> This change edits {edited}. A change cannot loosen its own gate: the proposals "
            "below are judged by the base commit's policy, and the edit applies once it is merged."
        )
    if base.removed:
        lines.append("")
        lines.append("Removed in this change:")
        lines += [
            f"- `{text(gone.path)}` ({text(gone.name or 'unnamed')}, {gone.base_verdict.value} at the base)"
            for gone in base.removed
        ]
    return [*lines, ""]


def summary_table(report: Report) -> list[str]:
    lines = ["| verdict | proposal | fine-tuning | prompting | saving |", "| --- | --- | ---: | ---: | ---: |"]
    for result in report.results:
        finetune = usd(result.finetune.total_usd) if result.finetune else "—"
        prompting = usd(result.prompting.total_usd) if result.prompting else "—"
        saving = percent(result.savings_pct) if result.savings_pct is not None else "—"
        lines.append(f"| {verdict_label(result)} | {_title(result)} | {finetune} | {prompting} | {saving} |")
    return [*lines, ""]


def counts(report: Report) -> str:
    parts = [f"{report.summary.count(o)} {o.value}" for o in Outcome if report.summary.count(o)]
    return ", ".join(parts) or "no proposal checked"


def render(report: Report) -> str:
    """The whole report: a heading with the counts, then one proposal in full or a table and folded details."""
    lines = ["## tco-gate", "", counts(report), "", *base_notes(report.base)]
    changes = {found.path: found for found in report.base.changes} if report.base else {}
    if len(report.results) == 1:
        lines += proposal(report.results[0], changes.get(report.results[0].path))
    elif report.results:
        lines += summary_table(report)
        for result in report.results:
            body = proposal(result, changes.get(result.path))
            summary = f"{_ICON[result.verdict]} <b>{_verdict_word(result)}</b> · {_title(result)}"
            lines += ["<details>", f"<summary>{summary}</summary>", "", *body[4:], "</details>", ""]
    lines += _findings_table("**Policy findings**", report.findings)
    lines += evidence(report)
    return "\n".join(lines).rstrip("\n") + "\n"


def _fenced(code: str) -> list[str]:
    """A code block no line of `code` can close: the fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, code, fence]


def evidence(report: Report) -> list[str]:
    """What was judged and how to judge it again (the HTML report's evidence block, in Markdown)."""
    provenance = report.provenance
    if provenance is None:
        return []
    tool = report.tool.version if report.tool else "unknown"
    lines = [
        "### Evidence",
        "",
        f"Judged by tco-gate {text(tool)} with the {text(provenance.catalog)} price catalog. Reproduce, from the "
        "same folder:",
        "",
        *_fenced(shlex.join(provenance.command)),
        "",
        "Check that it still holds with `tco-gate verify REPORT.json` on the JSON report of the same command: it "
        "exits 0 only when every file below is unchanged and every verdict is the same.",
        "",
        "| file | path | sha256 |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| {item.role} | {_code(item.path)} | {_code(item.sha256 or 'unreadable')} |" for item in provenance.inputs
    ]
    return [*lines, ""]


def _code(value: str) -> str:
    """Untrusted text as inline code in a table cell: one line, its `|` unable to end the cell, and fenced by more
    backticks than it holds (code shows `<` and `&` as they are, so they need no escaping)."""
    one_line = " ".join(value.split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", one_line)), default=0)
    ticks = "`" * (longest + 1)
    return f"{ticks} {one_line} {ticks}" if longest else f"`{one_line}`"
