"""`--format html`: the review document as one self-contained HTML file, for wikis and e-mail.

No script, no stylesheet or font fetched, no image file: the style is inline and the chart is inline SVG
(report/chart.py), and a Content-Security-Policy forbids the page from loading anything at all, so the
file reads the same from a wiki, a mail client or an archive years later.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import escape

from ..result import Outcome
from . import chart, review
from .model import BaseOut, LineItemOut, OptionOut, Report, ResultOut
from .parts import Fragment, whole
from .phrases import cumulative, flags_set, money, percent, verdict_label
from .phrases_evidence import evidence_lines, source_words, value_words
from .text import finding_line

_STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#24292f;max-width:960px;
margin:2em auto;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #d0d7de;padding:.3em .6em;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}tr.group td{background:#f6f8fa;font-weight:600}
.verdict{display:inline-block;padding:.1em .6em;border-radius:1em;color:#fff;font-weight:600;font-size:.9em}
.pass{background:#1a7f37}.fail{background:#cf222e}.exempt{background:#8250df}.waived{background:#9a6700}
.invalid{background:#57606a}.yes{color:#1a7f37;font-weight:600}.no{color:#cf222e;font-weight:600}
.not-stated{color:#57606a;font-style:italic}.warn{background:#bc4c00}
code{background:#f6f8fa;padding:.1em .3em;border-radius:4px}
figure{margin:1em 0}figcaption{color:#57606a;font-size:.9em}.muted{color:#57606a}td.sub{padding-left:2em}
""".strip()

_CSP = "default-src 'none'; style-src 'unsafe-inline'"
FINETUNE_COLOR, PROMPTING_COLOR = "#cf222e", "#0969da"


def render(report: Report) -> str:
    """The whole document: a portfolio table when there are several proposals, then one section each."""
    return whole(report, part, document)


@dataclass(frozen=True)
class Part:
    """One proposal's section and portfolio row, all but the number the document gives it (its links and its
    chart's ids name it by its place)."""

    name: str
    row: str
    badge: str
    before_chart: Fragment
    chart_title: str | None
    after_chart: Fragment


def part(result: ResultOut, base: BaseOut | None) -> Part:
    before = [f"<p class=muted><code>{escape(result.path)}</code></p>", *_proposed(result)]
    chart_title = None
    if result.finetune is not None and result.prompting is not None and result.policy is not None:
        chart_title = f"Cumulative cost of {result.name or result.path}, fine-tuning against prompting"
        before += [*_figures(result), "<figure>"]
        after = [
            _drawing(result),
            f"<figcaption>{escape(chart_title)}, month by month.</figcaption>",
            "</figure>",
        ]
    else:
        after = []
    after += _after_chart(result)
    return Part(
        result.name or result.path,
        _row(result),
        _badge(result),
        Fragment.of("".join(line + "\n" for line in before)),
        chart_title,
        Fragment.of("".join(line + "\n" for line in after)),
    )


def document(shell: Report, parts: Sequence[Part]) -> Iterator[str]:
    title = f"tco-gate review: {parts[0].name}" if len(parts) == 1 else "tco-gate review"
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
    ]
    if len(parts) > 1:
        head += ["<h2>Portfolio</h2>", "<table>", _PORTFOLIO_HEADER]
        head += [f'<tr><td><a href="#proposal-{index}">{one.row}' for index, one in enumerate(parts, start=1)]
        head.append("</table>")
    yield "".join(line + "\n" for line in head)
    for index, one in enumerate(parts, start=1):
        heading = f"<h2>{escape(one.name)} {one.badge}</h2>" if len(parts) > 1 else f"<p>{one.badge}</p>"
        yield f'<section id="proposal-{index}">\n{heading}\n' + one.before_chart.text()
        if one.chart_title is not None:
            yield "\n".join(chart.opening(title=one.chart_title, chart_id=f"chart-{index}")) + "\n"
        yield one.after_chart.text()
    tail: list[str] = []
    if shell.findings:
        tail += ["<h2>Policy findings</h2>", "<ul>"]
        tail += [f"<li><code>{escape(finding_line(finding))}</code></li>" for finding in shell.findings]
        tail.append("</ul>")
    tail += [*_evidence(shell), "</body>", "</html>"]
    yield "".join(line + "\n" for line in tail)


def _badge(result: ResultOut) -> str:
    css = "warn" if result.verdict is Outcome.FAIL and not result.enforced else result.verdict.value
    return f'<span class="verdict {css}">{escape(verdict_label(result.verdict, result.enforced))}</span>'


_PORTFOLIO_HEADER = (
    "<tr><th>proposal</th><th>verdict</th><th class=num>fine-tuning</th><th class=num>prompting</th>"
    "<th class=num>saving</th><th class=num>required</th><th>break-even</th></tr>"
)


def _row(result: ResultOut) -> str:
    """The proposal's portfolio row after its link's target, which the document numbers."""
    return (
        f"{escape(result.name or result.path)}</a></td><td>{_badge(result)}</td>"
        f"<td class=num>{_total(result.finetune)}</td><td class=num>{_total(result.prompting)}</td>"
        f"<td class=num>{_pct(result.savings_pct)}</td><td class=num>{_pct(result.required_savings_pct)}</td>"
        f"<td>{_break_even(result)}</td></tr>"
    )


def _total(option: OptionOut | None) -> str:
    return "—" if option is None else money(option.total_usd)


def _pct(value: float | None) -> str:
    return "—" if value is None else percent(value)


def _break_even(result: ResultOut) -> str:
    if result.finetune is None or result.policy is None:
        return "—"
    if result.break_even is not None:  # words that say whether the crossing holds
        return result.break_even.text
    if result.break_even_month is None:
        return f"none within {result.policy.horizon_months} months"
    return f"month {result.break_even_month}"


def _after_chart(result: ResultOut) -> list[str]:
    """The proposal's section from its reasons to its end."""
    parts = ["<h3>Reasons</h3>", "<ul>", *(f"<li>{escape(text)}</li>" for text in _reason_texts(result)), "</ul>"]
    parts += _inputs(result)
    parts += _review(result)
    if result.finetune is not None and result.prompting is not None:
        parts += ["<h3>Line items</h3>", *_line_items("fine-tuning", result.finetune)]
        parts += _line_items("prompting", result.prompting)
    if result.findings:
        parts += ["<h3>Findings</h3>", "<ul>"]
        parts += [f"<li><code>{escape(finding_line(finding))}</code></li>" for finding in result.findings]
        parts.append("</ul>")
    parts.append("</section>")
    return parts


def _proposed(result: ResultOut) -> list[str]:
    """What is proposed, by whom, at which prices from where, before any figure is argued."""
    rows = review.proposed(result)
    if not rows:
        return []
    cells = "".join(f"<tr><th>{escape(label)}</th><td>{escape(words)}</td></tr>" for label, words in rows)
    return ['<table class="proposed">', cells, "</table>"]


def _reason_texts(result: ResultOut) -> Iterable[str]:
    return (reason.text for reason in result.reasons)


def _figures(result: ResultOut) -> list[str]:
    assert result.finetune is not None and result.prompting is not None and result.policy is not None
    months = result.policy.horizon_months
    rows = [
        ("fine-tuning, total", money(result.finetune.total_usd)),
        ("prompting, total", money(result.prompting.total_usd)),
        ("saving", _pct(result.savings_pct)),
        ("required saving", f"at least {_pct(result.required_savings_pct)}"),
        ("break-even", _break_even(result)),
        ("horizon", f"{months} months"),
        ("policy", result.policy.file or "built-in defaults"),
        *([("set by command-line flag", flags)] if (flags := flags_set(result.policy)) else []),
    ]
    cells = "".join(f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in rows)
    return ["<table>", cells, "</table>"]


def _inputs(result: ResultOut) -> list[str]:
    """The evidence the proposal carried, and each decisive figure with its source: what nobody checked shows."""
    parts: list[str] = []
    if result.evidence is not None:
        lines = evidence_lines(result.evidence)
        parts += [
            "<h3>Evidence</h3>",
            "<ul>",
            *(f"<li>{escape(label)}: {escape(words)}</li>" for label, words in lines),
        ]
        parts.append("</ul>")
    if result.inputs:
        rows: list[tuple[str, ...]] = [(row.key, value_words(row), source_words(row)) for row in result.inputs]
        parts += ["<h3>Inputs</h3>", *_table(("input", "value", "source"), rows, frozenset({1}))]
    return parts


def _drawing(result: ResultOut) -> str:
    """The chart after its opening lines (chart.opening), which the document writes with the chart's number."""
    assert result.finetune is not None and result.prompting is not None
    spread = result.uncertainty
    series = [
        chart.Series(
            "fine-tuning",
            cumulative(result.finetune.monthly_usd),
            FINETUNE_COLOR,
            (spread.finetune_total_usd.p10, spread.finetune_total_usd.p90) if spread else None,
        ),
        chart.Series(
            "prompting",
            cumulative(result.prompting.monthly_usd),
            PROMPTING_COLOR,
            (spread.prompting_total_usd.p10, spread.prompting_total_usd.p90) if spread else None,
        ),
    ]
    return chart.drawing(series, break_even_month=result.break_even_month)


def _line_items(title: str, option: OptionOut) -> list[str]:
    rows = [f"<tr><th>{escape(title)}</th><th class=num>{money(option.total_usd)}</th></tr>"]
    headings = {group.hidden_cost: group for group in option.hidden_costs}
    notes = {item.note for item in option.line_items if item.note is not None and item.hidden_cost is None}
    # Plain costs first, then each line that stands apart under its note (lock-in, quality), then hidden costs 1-5.
    for item in sorted(option.line_items, key=lambda item: (item.hidden_cost or 0, item.note or "")):
        group = headings.pop(item.hidden_cost, None) if item.hidden_cost is not None else None
        if group is not None:  # the first item of a hidden cost: its heading and exact total first
            rows.append(
                f'<tr class="group"><td>hidden cost {group.hidden_cost}: {escape(group.name)}</td>'
                f"<td class=num>{money(group.total_usd)}</td></tr>"
            )
        elif item.hidden_cost is None and item.note in notes:  # the first item under its note
            notes.discard(item.note)
            total = sum(i.total_usd for i in option.line_items if i.note == item.note and i.hidden_cost is None)
            rows.append(f'<tr class="group"><td>{escape(item.note or "")}</td><td class=num>{money(total)}</td></tr>')
        rows.append(_item_row(item, indent=item.hidden_cost is not None or item.note is not None))
    return ["<table>", *rows, "</table>"]


def _item_row(item: LineItemOut, *, indent: bool = False) -> str:
    # A hidden cost's items sit under its heading row, indented as the Markdown report indents them.
    cell = '<td class="sub">' if indent else "<td>"
    return f"<tr>{cell}{escape(item.label)}</td><td class=num>{money(item.total_usd)}</td></tr>"


def _evidence(report: Report) -> list[str]:
    """What was judged and how to judge it again: the block a review board files with the verdicts."""
    provenance = report.provenance
    if provenance is None:
        return []
    tool = report.tool.version if report.tool else "unknown"
    rows = "".join(
        f"<tr><td>{escape(item.role)}</td><td><code>{escape(item.path)}</code></td>"
        f"<td><code>{escape(item.sha256 or 'unreadable')}</code></td></tr>"
        for item in provenance.inputs
    )
    return [
        '<h2 id="evidence">Evidence</h2>',
        f"<p>Judged by tco-gate {escape(tool)} with the {escape(provenance.catalog)} price catalog. "
        "Reproduce, from the same folder:</p>",
        f"<pre><code>{escape(shlex.join(provenance.command))}</code></pre>",
        "<p>Check that it still holds with <code>tco-gate verify REPORT.json</code> on the JSON report of the "
        "same command: it exits 0 only when every file below is unchanged and every verdict is the same.</p>",
        "<table><tr><th>file</th><th>path</th><th>sha256</th></tr>",
        rows,
        "</table>",
    ]


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], numeric: frozenset[int] = frozenset()) -> list[str]:
    def cell(tag: str, index: int, value: str) -> str:
        return f"<{tag}{' class=num' if index in numeric else ''}>{escape(value)}</{tag}>"

    head = "".join(cell("th", i, v) for i, v in enumerate(header))
    body = ["<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows]
    return ["<table>", f"<tr>{head}</tr>", *body, "</table>"]


def _review(result: ResultOut) -> list[str]:
    """Break-even volume, sensitivity, uncertainty and the checklist: what a review board asks after the verdict."""
    parts: list[str] = []
    volume = review.break_even_volume(result)
    if volume:
        parts += ["<h3>Break-even volume</h3>", *(f"<p>{escape(line)}</p>" for line in volume)]
    rows = review.sensitivity_rows(result)
    if rows:
        header = ("input", "value", "what flips the verdict", "totals at −20% (FT vs prompting)", "at +20%")
        parts += ["<h3>Sensitivity</h3>", *_table(header, list(rows))]
        note = review.sensitivity_note(result)
        parts += [f"<p class=muted>{escape(note)}</p>"] if note else []
    spread = review.uncertainty_rows(result)
    if spread:
        parts += ["<h3>Uncertainty</h3>", *_table(("total", "P10", "P50", "P90"), list(spread), frozenset({1, 2, 3}))]
        parts += [f"<p>{escape(line)}</p>" for line in review.uncertainty_lines(result)]
    if result.finetune is not None:
        parts += ["<h3>When fine-tuning is right</h3>", "<ul>"]
        for item in review.checklist(result):
            css = item.status.replace(" ", "-")
            parts.append(
                f'<li><span class="{css}">{escape(item.status)}</span> · {escape(item.condition)}: '
                f"{escape(item.evidence)}</li>"
            )
        parts.append("</ul>")
    return parts
