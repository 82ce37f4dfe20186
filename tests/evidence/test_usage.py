"""Usage exports: the OpenAI Usage API's completions pages and SPEC's monthly CSV."""

from __future__ import annotations

import json
import time
from datetime import date
from fractions import Fraction

import pytest

from tco_gate.errors import InputError
from tco_gate.evidence.usage import read_openai_usage
from tco_gate.evidence.usage_csv import read_usage_csv
from tests.evidence.writers import DAY, usage_bucket, usage_days, usage_page, usage_row

NOV_1 = 1_793_491_200  # 2026-11-01 00:00 UTC


def export(*pages: dict[str, object]) -> bytes:
    return json.dumps(pages[0] if len(pages) == 1 else list(pages), indent=2).encode()


def refused_json(data: bytes, model: str | None = None) -> tuple[str, int | None]:
    with pytest.raises(InputError) as caught:
        read_openai_usage(data, "usage/q4.json", model)
    (finding,) = caught.value.findings
    assert finding.path == "usage/q4.json"
    return finding.message, finding.line


def test_thirty_days_of_one_model() -> None:
    day = [
        usage_row(100_000, 210_000_000, 150_000_000, 15_000_000, "gpt-4.1-mini-2025-04-14"),
        usage_row(500, 1_000_000, 0, 50_000, "gpt-4.1-2025-04-14"),
    ]
    figures = read_openai_usage(export(usage_page(usage_days(NOV_1, 30, day))), "u.json", "gpt-4.1-mini")
    assert (figures.requests, figures.days) == (3_000_000, Fraction(30))
    assert figures.requests_per_month == Fraction(3_000_000) / 30 * Fraction("30.4375")  # 3,043,750
    assert (figures.input_tokens_per_request, figures.cached_input_tokens_per_request) == (
        Fraction(2100),
        Fraction(1500),
    )
    assert figures.output_tokens_per_request == 150
    assert (figures.start, figures.end) == (date(2026, 11, 1), date(2026, 12, 1))
    assert figures.warnings == ()
    every_model = read_openai_usage(export(usage_page(usage_days(NOV_1, 30, day))), "u.json")
    assert every_model.requests == 3_015_000


def test_a_list_of_pages_in_any_order_is_one_period() -> None:
    row = [usage_row(10, 1000, 0, 100)]
    first, second = (
        usage_page(usage_days(NOV_1, 20, row), has_more=True),
        usage_page(usage_days(NOV_1 + 20 * DAY, 10, row)),
    )
    figures = read_openai_usage(export(second, first), "u.json")
    assert (figures.requests, figures.days, figures.start) == (300, Fraction(30), date(2026, 11, 1))


def test_a_short_window_is_a_warning_at_the_first_bucket() -> None:
    data = export(usage_page(usage_days(NOV_1, 7, [usage_row(10, 1000, 0, 100)])))
    figures = read_openai_usage(data, "u.json")
    (warning,) = figures.warnings
    assert warning.level == "warning"
    assert warning.message == (
        "the usage covers 7 days, fewer than 28: a month's volume is extrapolated from a short window that misses "
        "weekly and monthly cycles"
    )
    assert warning.line == data.decode().splitlines().index('      "start_time": 1793491200,') + 1
    assert figures.requests_per_month == Fraction(70, 7) * Fraction("30.4375")


def test_gaps_and_overlaps_between_buckets_are_errors() -> None:
    row = [usage_row(10, 1000, 0, 100)]
    gap = usage_page([usage_bucket(NOV_1, row), usage_bucket(NOV_1 + 2 * DAY, row)])
    assert refused_json(export(gap))[0] == (
        "this bucket leaves a gap after the one before: 2026-11-02 00:00 UTC to 2026-11-03 00:00 UTC"
    )
    twice = usage_page(usage_days(NOV_1, 3, row))
    message, _ = refused_json(export(twice, twice))
    assert message.startswith("this bucket overlaps the one before (the same page twice?)")


def test_a_buckets_times_are_utc_whatever_the_machines_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    row = [usage_row(10, 1000, 0, 100)]
    gap = usage_page([usage_bucket(NOV_1, row), usage_bucket(NOV_1 + 2 * DAY, row)])
    monkeypatch.setenv("TZ", "IST-05:30")  # POSIX for UTC+05:30, no zone database needed
    time.tzset()
    try:
        message = refused_json(export(gap))[0]
    finally:
        monkeypatch.undo()
        time.tzset()
    assert message == "this bucket leaves a gap after the one before: 2026-11-02 00:00 UTC to 2026-11-03 00:00 UTC"


def test_a_model_filter_needs_an_export_grouped_by_model() -> None:
    data = export(usage_page(usage_days(NOV_1, 30, [usage_row(10, 1000, 0, 100)])))
    assert refused_json(data, "gpt-4.1-mini")[0].startswith("the export is not grouped by model")
    other = export(usage_page(usage_days(NOV_1, 30, [usage_row(10, 1000, 0, 100, "gpt-4o")])))
    assert (
        refused_json(other, "gpt-4.1-mini")[0]
        == "the export holds no requests to 'gpt-4.1-mini' (the models here: gpt-4o)"
    )
    # a model whose name only starts with the wanted one is another model
    longer = export(usage_page(usage_days(NOV_1, 30, [usage_row(10, 1000, 0, 100, "gpt-4.1-mini-high")])))
    assert "no requests to 'gpt-4.1-mini'" in refused_json(longer, "gpt-4.1-mini")[0]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"object": "page"}, "not a Usage API page"),
        ([{"data": []}], "the export holds no buckets"),
        ({"data": [{"start_time": 0, "end_time": 10}]}, "a bucket needs `start_time`, `end_time` and `results[]`"),
        ({"data": [{"start_time": 10, "end_time": 10, "results": []}]}, "a bucket must end after it starts"),
        (
            {"data": [{"start_time": "x", "end_time": 10, "results": []}]},
            '`start_time` must be a whole number of at least 0, not "x"',
        ),
        (
            {"data": [{"start_time": 0, "end_time": DAY, "results": [usage_row(-1, 0, 0, 0)]}]},
            "`num_model_requests` must be a whole number of at least 0, not -1",
        ),
        (
            {"data": [{"start_time": 0, "end_time": DAY, "results": [usage_row(0, 0, 0, 0)]}]},
            "the export holds no requests",
        ),
        ({"data": [{"start_time": 0, "end_time": DAY, "results": ["x"]}]}, "a result must be an object"),
    ],
)
def test_malformed_exports(document: object, message: str) -> None:
    assert message in refused_json(json.dumps(document).encode())[0]


def _line_of(data: bytes, text: str, nth: int = 0) -> int:
    """The line (from 1) of the `nth` line of `data` holding `text`."""
    return [number for number, line in enumerate(data.decode().splitlines(), 1) if text in line][nth]


def _bad_row(key: str) -> dict[str, object]:
    row = usage_row(10, 1000, 0, 100)
    row[key] = -1
    return row


@pytest.mark.parametrize(
    ("page", "message", "at", "nth"),
    [
        (
            usage_page([{"start_time": NOV_1, "end_time": NOV_1 + DAY}]),
            "a bucket needs `start_time`, `end_time` and `results[]`",
            '"data": [',
            0,
        ),
        (
            usage_page([{"start_time": NOV_1, "end_time": NOV_1, "results": []}]),
            "a bucket must end after it starts",
            '"end_time"',
            0,
        ),
        (
            usage_page([{"start_time": NOV_1, "end_time": "x", "results": []}]),
            '`end_time` must be a whole number of at least 0, not "x"',
            '"end_time"',
            0,
        ),
        (
            usage_page([usage_bucket(NOV_1, [usage_row(10, 1000, 0, 100)]), usage_bucket(NOV_1 + 2 * DAY, [])]),
            "this bucket leaves a gap after the one before: 2026-11-02 00:00 UTC to 2026-11-03 00:00 UTC",
            '"start_time"',
            1,
        ),
        (
            usage_page([usage_bucket(NOV_1, [_bad_row("input_tokens")])]),
            "`input_tokens` must be a whole number of at least 0, not -1",
            '"input_tokens"',
            0,
        ),
        (
            usage_page([usage_bucket(NOV_1, [_bad_row("input_cached_tokens")])]),
            "`input_cached_tokens` must be a whole number of at least 0, not -1",
            '"input_cached_tokens"',
            0,
        ),
    ],
)
def test_a_refusal_is_placed_at_what_it_names(page: dict[str, object], message: str, at: str, nth: int) -> None:
    data = export(page)
    # A bucket without `results[]` is placed at the bucket itself: the line after `"data": [`.
    line = _line_of(data, at, nth) + (1 if at == '"data": [' else 0)
    assert refused_json(data) == (message, line)


def test_a_model_filter_refusal_says_how_to_ask_and_lists_every_model_found() -> None:
    ungrouped = export(usage_page(usage_days(NOV_1, 30, [usage_row(10, 1000, 0, 100)])))
    assert refused_json(ungrouped, "gpt-4.1-mini")[0] == (
        "the export is not grouped by model, so 'gpt-4.1-mini''s rows cannot be told apart "
        "(ask the Usage API with `group_by=model`)"
    )
    rows = [usage_row(10, 1000, 0, 100, "gpt-4o"), usage_row(10, 1000, 0, 100, "o3")]
    others = export(usage_page(usage_days(NOV_1, 30, rows)))
    assert refused_json(others, "gpt-4.1-mini")[0] == (
        "the export holds no requests to 'gpt-4.1-mini' (the models here: gpt-4o, o3)"
    )


def test_a_missing_cached_count_is_zero_and_nan_is_refused() -> None:
    row = usage_row(10, 1000, 0, 100)
    del row["input_cached_tokens"]
    assert read_openai_usage(export(usage_page(usage_days(NOV_1, 30, [row]))), "u").cached_input_tokens == 0
    data = export(usage_page(usage_days(NOV_1, 30, [usage_row(10, 1000, 0, 100)]))).replace(
        b'"output_tokens": 100', b'"output_tokens": NaN', 1
    )
    message, line = refused_json(data)
    assert message == "`output_tokens` must be a whole number of at least 0, not NaN"
    assert line == data.decode().splitlines().index('          "output_tokens": NaN,') + 1


CSV = "month,requests,input_tokens,cached_input_tokens,output_tokens\n2026-09,2900000,6090000000,4350000000,435000000\n"


def refused_csv(data: str | bytes) -> tuple[str, int | None, int | None]:
    with pytest.raises(InputError) as caught:
        read_usage_csv(data.encode() if isinstance(data, str) else data, "usage/months.csv")
    (finding,) = caught.value.findings
    assert (finding.level, finding.path) == ("error", "usage/months.csv")
    return finding.message, finding.line, finding.column


def test_csv_months_cover_their_calendar_days() -> None:
    data = CSV + "\n2026-10,3100000,6510000000,4650000000,465000000\n2026-11,3000000,6300000000,4500000000,450000000\n"
    figures = read_usage_csv(data.encode(), "u.csv")
    assert (figures.requests, figures.days, figures.start, figures.end) == (
        9_000_000,
        Fraction(91),
        date(2026, 9, 1),
        date(2026, 12, 1),
    )
    assert figures.requests_per_month == Fraction(9_000_000, 91) * Fraction("30.4375")
    assert (figures.input_tokens_per_request, figures.output_tokens_per_request) == (Fraction(2100), Fraction(150))
    assert figures.cached_input_tokens_per_request == Fraction(1500)
    assert figures.warnings == ()


def test_csv_columns_in_another_order_and_a_short_month() -> None:
    figures = read_usage_csv(b"requests,month,output_tokens,input_tokens,cached_input_tokens\n10,2027-02,5,20,0\n", "u")
    assert (figures.requests, figures.days) == (10, Fraction(28))
    assert figures.warnings == ()  # 28 days is enough
    # December rolls over into the next year
    assert read_usage_csv(
        b"month,requests,input_tokens,cached_input_tokens,output_tokens\n2026-12,1,1,0,1\n", "u"
    ).end == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            "",
            ("the header must name the columns `month,requests,input_tokens,cached_input_tokens,output_tokens`", 1, 1),
        ),
        (
            "month,requests\n",
            ("the header must name the columns `month,requests,input_tokens,cached_input_tokens,output_tokens`", 1, 1),
        ),
        (CSV + "2026-09,1,1,1,1\n", ("month 2026-09 appears twice (first on line 2)", 3, 1)),
        (CSV + "2026-11,1,1,1,1\n", ("months are missing between 2026-09 and 2026-11", 3, 1)),
        (CSV + "2026-13,1,1,1,1\n", ("month '2026-13' is not written YYYY-MM", 3, 1)),
        (
            "requests,month,output_tokens,input_tokens,cached_input_tokens\n1,26-09,1,1,0\n",
            ("month '26-09' is not written YYYY-MM", 2, 2),
        ),
        (CSV.splitlines()[0] + "\n0000-12,1,1,1,1\n", ("month '0000-12' is not between 0001-01 and 9998-12", 2, 1)),
        (CSV.splitlines()[0] + "\n9999-01,1,1,1,1\n", ("month '9999-01' is not between 0001-01 and 9998-12", 2, 1)),
        (CSV + "2026-10,1,1.5,1,1\n", ("input_tokens '1.5' is not a whole number", 3, 3)),
        (CSV + "2026-10,1,1,1,\u00b2\n", ("output_tokens '\u00b2' is not a whole number", 3, 5)),
        (
            CSV.replace("\n", "\r\n") + '2026-10,"1\r\n2",1,1,1\r\n',
            ("requests '1\\r\\n2' is not a whole number", 3, 2),
        ),
        (CSV + '"2026-10",1,1,1,1\n\n2026-10,"1\n",1,1,1\n', ("month 2026-10 appears twice (first on line 3)", 5, 1)),
        (CSV + "2026-10,1,1\n", ("3 cells where the header names 5", 3, 1)),
        (CSV.splitlines()[0] + "\n", ("the file holds no months", 1, 1)),
        (CSV.splitlines()[0] + "\n2026-09,0,0,0,0\n", ("the file counts no requests", 1, 1)),
        (b"\xff", ("the file is not UTF-8 text", 1, 1)),
    ],
)
def test_malformed_csv(data: str | bytes, expected: tuple[str, int, int]) -> None:
    assert refused_csv(data) == expected


def test_a_csv_of_one_short_month_still_covers_28_days_or_warns() -> None:
    one = read_usage_csv(CSV.encode(), "u.csv")
    assert one.days == 30 and one.warnings == ()


def test_a_csv_with_carriage_returns_alone_between_lines() -> None:
    data = CSV.replace("\n", "\r") + "2026-10,1,1,1,1\r"
    figures = read_usage_csv(data.encode(), "u.csv")
    assert (figures.requests, figures.start, figures.end) == (2_900_001, date(2026, 9, 1), date(2026, 11, 1))


def test_csv_months_at_either_end_of_the_calendar() -> None:
    header = CSV.splitlines()[0]
    first = read_usage_csv(f"{header}\n0001-01,1,1,0,1\n".encode(), "u.csv")
    last = read_usage_csv(f"{header}\n9998-12,1,1,0,1\n".encode(), "u.csv")
    assert (first.start, first.end, last.start, last.end) == (
        date(1, 1, 1),
        date(1, 2, 1),
        date(9998, 12, 1),
        date(9999, 1, 1),
    )
