"""The cumulative-cost chart as inline SVG: plain shapes and text, no script, nothing fetched.

Written by hand rather than with a charting library: the chart is two polylines, optional whiskers, a grid
and a legend, which is a page of code; a library would add a dependency to every install of a CI gate (or
JavaScript to a file that must open in a mail client) for no shape this chart needs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 720, 360
_LEFT, _RIGHT, _TOP, _BOTTOM = 84, 24, 48, 52  # room for tick labels, the legend and the axis title
_MAX_X_TICKS = 12


@dataclass(frozen=True)
class Series:
    """One option's cumulative cost by month (month 1 first), and optionally the P10..P90 of its total."""

    label: str
    cumulative: Sequence[float]
    color: str
    spread: tuple[float, float] | None = None  # P10, P90 of the total over the horizon (the last month)


def money_tick(value: float) -> str:
    """A short axis label: `$0`, `$950`, `$40k`, `$1.2M`."""
    sign = "−" if value < 0 else ""
    size = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"{sign}${_trim(size / limit)}{suffix}"
    return f"{sign}${_trim(size)}"


def _trim(number: float) -> str:
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return text or "0"


def nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that cuts `span` into at most `ticks` parts."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    raise AssertionError("unreachable: 10 × power is always enough")


def _bounds(series: Sequence[Series]) -> tuple[float, float, float]:
    values = [0.0]
    for one in series:
        values += one.cumulative
        if one.spread is not None:
            values += one.spread
    low, high = min(values), max(values)
    step = nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step or step, step


def cumulative_chart(
    series: Sequence[Series], *, title: str, chart_id: str, break_even_month: int | None = None
) -> str:
    """An `<svg>` element charting each series month by month, with a grid, a legend and a title.

    `chart_id` prefixes the element ids, so several charts can share one HTML page.
    """
    return "\n".join([*opening(title=title, chart_id=chart_id), drawing(series, break_even_month=break_even_month)])


def opening(*, title: str, chart_id: str) -> list[str]:
    """The chart's first two lines: the only ones that name it (a report written a proposal at a time numbers its
    charts as it writes them)."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{chart_id}-title" '
        'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]


def drawing(series: Sequence[Series], *, break_even_month: int | None = None) -> str:
    """The rest of the chart, after its opening lines, through `</svg>`."""
    months = max(len(one.cumulative) for one in series)
    low, high, step = _bounds(series)
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM

    def x(month: float) -> float:
        return _LEFT + (month - 1) / max(months - 1, 1) * plot_w

    def y(value: float) -> float:
        return _TOP + (high - value) / (high - low) * plot_h

    def points(values: Sequence[float]) -> str:
        return " ".join(f"{x(m):.1f},{y(v):.1f}" for m, v in enumerate(values, start=1))

    parts = [f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>']
    tick = low
    while tick <= high + step / 2:
        parts.append(
            f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e1e4e8"/>'
            f'<text x="{_LEFT - 8}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#57606a">'
            f"{escape(money_tick(tick))}</text>"
        )
        tick += step
    every = math.ceil(months / _MAX_X_TICKS)
    for month in [1, *range(every, months + 1, every)] if months > 1 else [1]:
        parts.append(
            f'<text x="{x(month):.1f}" y="{HEIGHT - _BOTTOM + 18}" text-anchor="middle" fill="#57606a">{month}</text>'
        )
    parts.append(
        f'<text x="{_LEFT + plot_w / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle" fill="#24292f">'
        "month (cumulative cost, USD)</text>"
    )
    for offset, one in enumerate(series):
        if one.spread is not None:
            # The uncertainty band of the total: a whisker at the last month, one beside the other.
            bx, (p10, p90) = x(months) - 6 - 10 * offset, one.spread
            parts.append(
                f'<g class="spread"><line x1="{bx:.1f}" x2="{bx:.1f}" y1="{y(p10):.1f}" y2="{y(p90):.1f}" '
                f'stroke="{one.color}" stroke-width="2"/><line x1="{bx - 4:.1f}" x2="{bx + 4:.1f}" y1="{y(p10):.1f}" '
                f'y2="{y(p10):.1f}" stroke="{one.color}" stroke-width="2"/><line x1="{bx - 4:.1f}" x2="{bx + 4:.1f}" '
                f'y1="{y(p90):.1f}" y2="{y(p90):.1f}" stroke="{one.color}" stroke-width="2"/></g>'
            )
    if break_even_month is not None:
        bx = x(break_even_month)
        parts.append(
            f'<line class="break-even" x1="{bx:.1f}" x2="{bx:.1f}" y1="{_TOP}" y2="{HEIGHT - _BOTTOM}" '
            'stroke="#57606a" stroke-dasharray="4 4"/>'
            f'<text x="{bx + 4:.1f}" y="{_TOP + 12}" fill="#57606a">break-even, month {break_even_month}</text>'
        )
    for one in series:
        parts.append(
            f'<polyline class="series" points="{points(one.cumulative)}" fill="none" stroke="{one.color}" '
            'stroke-width="2.5" stroke-linejoin="round"/>'
        )
    parts.append(
        f'<line x1="{_LEFT}" x2="{_LEFT}" y1="{_TOP}" y2="{HEIGHT - _BOTTOM}" stroke="#57606a"/>'
        f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{HEIGHT - _BOTTOM}" y2="{HEIGHT - _BOTTOM}" stroke="#57606a"/>'
    )
    parts += _legend(series)
    parts.append("</svg>")
    return "\n".join(parts)


def _legend(series: Sequence[Series]) -> list[str]:
    parts, left = [], _LEFT
    for one in series:
        band = " (bar: P10 to P90 of the total)" if one.spread is not None else ""
        label = escape(one.label + band)
        parts.append(
            f'<line x1="{left}" x2="{left + 24}" y1="20" y2="20" stroke="{one.color}" stroke-width="3"/>'
            f'<text x="{left + 30}" y="24" fill="#24292f">{label}</text>'
        )
        left += 40 + 7 * len(one.label + band)  # about 7px a character at 12px
    return parts
