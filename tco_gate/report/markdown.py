"""`--format markdown`: the report a reviewer reads in a pull request or a job summary. Pure.

Built from small section functions, each `(result) -> list[str]` of lines, so a new section (analysis,
review) is one more function in SECTIONS. One proposal renders in full; several get a summary table first
and each proposal folded in `<details>`. Text from a proposal is escaped (report/markdown_text.py): it cannot
open HTML, end a table cell or start a heading. A run writes it a proposal at a time (report/parts.py).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..result import Outcome
from . import phrases, review
from .markdown_base import base_notes, change, change_of
from .markdown_text import fenced, inline_code, text
from .model import BaseOut, FindingOut, LineItemOut, OptionOut, ProposalChangeOut, Report, ResultOut
from .parts import Fragment, one_final_newline, whole
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


def _row(result: ResultOut) -> str:
    """The proposal's row of the summary table a report of several proposals opens with."""
    finetune = usd(result.finetune.total_usd) if result.finetune else "—"
    prompting = usd(result.prompting.total_usd) if result.prompting else "—"
    saving = percent(result.savings_pct) if result.savings_pct is not None else "—"
    return f"| {verdict_label(result)} | {_title(result)} | {finetune} | {prompting} | {saving} |"


def counts(report: Report) -> str:
    parts = [f"{report.summary.count(o)} {o.value}" for o in Outcome if report.summary.count(o)]
    return ", ".join(parts) or "no proposal checked"


def render(report: Report) -> str:
    """The whole report: a heading with the counts, then one proposal in full or a table and folded details."""
    return whole(report, part, document)


@dataclass(frozen=True)
class Part:
    """One proposal as the report shows it, alone (banner, then body) or among several (row, then folded)."""

    row: str
    folded: str
    banner: str
    body: Fragment


def part(result: ResultOut, base: BaseOut | None) -> Part:
    lines = [line + "\n" for line in proposal(result, change_of(result, base))]
    folded = f"{_ICON[result.verdict]} <b>{_verdict_word(result)}</b> · {_title(result)}"
    # banner() is the first section: its four lines open a proposal shown alone and are left out when folded.
    return Part(_row(result), folded, "".join(lines[:4]), Fragment.of("".join(lines[4:])))


def document(shell: Report, parts: Sequence[Part]) -> Iterator[str]:
    return one_final_newline(line + "\n" if isinstance(line, str) else line.text() for line in _layout(shell, parts))


def _layout(shell: Report, parts: Sequence[Part]) -> Iterator[str | Fragment]:
    """The report's lines in order, each proposal's body as one fragment of lines."""
    yield from ["## tco-gate", "", counts(shell), "", *base_notes(shell.base)]
    if len(parts) == 1:
        yield parts[0].banner.removesuffix("\n")
        yield parts[0].body
    elif parts:
        yield from ["| verdict | proposal | fine-tuning | prompting | saving |", "| --- | --- | ---: | ---: | ---: |"]
        yield from [one.row for one in parts]
        yield ""
        for one in parts:
            yield from ["<details>", f"<summary>{one.folded}</summary>", ""]
            yield one.body
            yield from ["</details>", ""]
    yield from _findings_table("**Policy findings**", shell.findings)
    yield from evidence(shell)


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
        *fenced(shlex.join(provenance.command)),
        "",
        "Check that it still holds with `tco-gate verify REPORT.json` on the JSON report of the same command: it "
        "exits 0 only when every file below is unchanged and every verdict is the same.",
        "",
        "| file | path | sha256 |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| {item.role} | {inline_code(item.path)} | {inline_code(item.sha256 or 'unreadable')} |"
        for item in provenance.inputs
    ]
    return [*lines, ""]
