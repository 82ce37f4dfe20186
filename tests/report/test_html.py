"""`--format html` and its chart: one self-contained file, nothing to fetch, text escaped, a portfolio first."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tco_gate.cli import main
from tco_gate.report import chart, html
from tco_gate.report.model import ReasonOut
from tco_gate.result import ReasonCode
from tests.corpus import corpus, report_of
from tests.paths import EXAMPLES


class _Page(HTMLParser):
    """Every tag with its attributes, and the text, as a browser's parser sees them."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(document)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def named(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def test_the_document_loads_nothing_and_runs_nothing() -> None:
    page = _Page(html.render(corpus()))
    names = {name for name, _ in page.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "base", "form"}
    for name, attrs in page.tags:
        for attribute, value in attrs.items():
            assert not attribute.startswith("on"), (name, attribute)  # no event handler
            if attribute in ("src", "href", "xlink:href", "action"):
                assert value.startswith("#"), (name, attribute, value)  # in-page anchors only
    (policy,) = [m for m in page.named("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert policy["content"].startswith("default-src 'none'")


def test_each_costed_proposal_has_an_inline_svg_chart_and_a_portfolio_row() -> None:
    report = report_of(EXAMPLES)
    page = _Page(html.render(report))
    charts = [attrs for name, attrs in page.tags if name == "svg"]
    assert [c["id"] for c in charts] == [f"chart-{n}" for n in range(1, 9)]
    assert page.named("h2")[0] == {}  # "Portfolio", before the proposals' own headings
    body = "".join(page.text)
    assert body.index("Portfolio") < body.index("discharge-coding-eu") < body.index("Reasons")
    assert [a["href"] for a in page.named("a")] == [f"#proposal-{n}" for n in range(1, 9)]
    assert [s["id"] for s in page.named("section")] == [f"proposal-{n}" for n in range(1, 9)]


def test_one_proposal_has_no_portfolio_table() -> None:
    report = report_of(EXAMPLES / "support-triage")
    text = "".join(_Page(html.render(report)).text)
    assert "Portfolio" not in text
    assert "tco-gate review: support-triage" in text
    assert "$336,859.98" in text and "hidden cost 3: serving and on-call are yours" in text


def test_text_from_a_proposal_is_escaped() -> None:
    report = report_of(EXAMPLES / "support-triage")
    hostile = "<script>alert(1)</script> & <img src=x onerror=alert(1)>"
    result = report.results[0].model_copy(
        update={"path": hostile, "reasons": [ReasonOut(code=ReasonCode.MARGIN, text=hostile)]}
    )
    document = html.render(report.model_copy(update={"results": [result]}))
    page = _Page(document)
    assert page.named("script") == [] and page.named("img") == []
    assert hostile in "".join(page.text)


def test_check_format_html_writes_the_file_and_keeps_the_exit_code(tmp_path: Path) -> None:
    target = tmp_path / "review.html"
    assert main(["check", "--format", "html", "--output", str(target), str(EXAMPLES)]) == 1
    assert target.read_text(encoding="utf-8") == html.render(report_of(EXAMPLES))


@pytest.mark.parametrize(
    ("span", "step"), [(0, 1.0), (7, 2.0), (10, 2.0), (96_000, 20_000.0), (337_000, 100_000.0), (1.1e6, 250_000.0)]
)
def test_the_axis_steps_are_round(span: float, step: float) -> None:
    assert chart.nice_step(span) == step


@pytest.mark.parametrize(
    ("value", "label"), [(0, "$0"), (950, "$950"), (40_000, "$40k"), (1_250_000, "$1.2M"), (-5_000, "−$5k")]
)
def test_axis_labels_are_short(value: float, label: str) -> None:
    assert chart.money_tick(value) == label


def _points(svg: str, css: str) -> list[list[tuple[float, float]]]:
    found = []
    for _, attrs in _Page(svg).tags:
        if attrs.get("class") == css:
            pairs = [point.split(",") for point in attrs["points"].split()]
            found.append([(float(x), float(y)) for x, y in pairs])
    return found


def test_the_chart_plots_every_month_inside_its_box_and_higher_cost_higher_up() -> None:
    lines = [chart.Series("a", [100.0, 200.0, 300.0], "#000"), chart.Series("b", [50.0, 60.0, 70.0], "#111")]
    svg = chart.cumulative_chart(lines, title="t <&>", chart_id="c", break_even_month=2)
    a, b = _points(svg, "series")
    assert len(a) == len(b) == 3
    for x, y in a + b:
        assert 0 <= x <= chart.WIDTH and 0 <= y <= chart.HEIGHT
    assert a[0][0] < a[1][0] < a[2][0]
    assert a[2][1] < b[2][1]  # SVG's y grows downwards: the costlier line is drawn higher
    assert '<title id="c-title">t &lt;&amp;&gt;</title>' in svg
    assert 'class="break-even"' in svg and "break-even, month 2" in svg


def test_an_uncertainty_whisker_is_drawn_only_for_a_series_that_has_one() -> None:
    plain = chart.Series("a", [1.0, 2.0], "#000")
    spread = chart.Series("b", [1.0, 2.0], "#111", spread=(1.5, 4.0))
    assert 'class="spread"' not in chart.cumulative_chart([plain], title="t", chart_id="c")
    svg = chart.cumulative_chart([plain, spread], title="t", chart_id="c")
    (whisker,) = [attrs for name, attrs in _Page(svg).tags if name == "line" and attrs.get("stroke-width") == "2"][:1]
    low, high = float(whisker["y1"]), float(whisker["y2"])
    assert high < low  # P90 drawn above P10
    assert "P10 to P90 of the total" in svg
