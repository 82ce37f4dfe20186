"""The monthly usage CSV, for providers without a usage API export: one row per calendar month.

Header `month,requests,input_tokens,cached_input_tokens,output_tokens` (the columns in any order), month as
YYYY-MM, counts as whole numbers. The months must follow each other without a gap; the covered period runs from
the first month's first day to the last month's last day.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import date
from fractions import Fraction

from ..errors import Finding, InputError
from .jsontext import decode
from .usage import Totals, UsageFigures

COLUMNS = ("month", "requests", "input_tokens", "cached_input_tokens", "output_tokens")

_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


def read_usage_csv(data: bytes, path: str) -> UsageFigures:
    """The totals of every month in the file, and the period they cover."""
    reader = csv.reader(io.StringIO(decode(data, path), newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    if sorted(header) != sorted(COLUMNS):
        raise _error(path, 1, 1, f"the header must name the columns `{','.join(COLUMNS)}`")
    months: dict[date, int] = {}
    totals = Totals()
    last = reader.line_num
    for row in reader:
        line, last = last + 1, reader.line_num  # a record's first line: a quoted cell may hold line breaks
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise _error(path, line, 1, f"{len(row)} cells where the header names {len(header)}")
        cells = {name: row[index].strip() for index, name in enumerate(header)}
        month = _month(path, line, header.index("month") + 1, cells["month"])
        if month in months:
            raise _error(path, line, 1, f"month {month:%Y-%m} appears twice (first on line {months[month]})")
        months[month] = line
        for name in COLUMNS[1:]:
            if not (cells[name].isascii() and cells[name].isdigit()):
                raise _error(path, line, header.index(name) + 1, f"{name} {cells[name]!r} is not a whole number")
            setattr(totals, name, getattr(totals, name) + int(cells[name]))
    if not months:
        raise _error(path, 1, 1, "the file holds no months")
    if totals.requests == 0:
        raise _error(path, 1, 1, "the file counts no requests")
    ordered = sorted(months)
    for before, after in itertools.pairwise(ordered):
        if after != _next_month(before):
            raise _error(path, months[after], 1, f"months are missing between {before:%Y-%m} and {after:%Y-%m}")
    start, end = ordered[0], _next_month(ordered[-1])
    days = Fraction((end - start).days)
    # Whole calendar months cover 28 days or more: never the short window the usage API's export is warned for.
    return UsageFigures(
        totals.requests, totals.input_tokens, totals.cached_input_tokens, totals.output_tokens, start, end, days
    )


def _month(path: str, line: int, column: int, text: str) -> date:
    match = _MONTH.fullmatch(text)
    if match is None:
        raise _error(path, line, column, f"month {text!r} is not written YYYY-MM")
    if not 1 <= int(match[1]) <= 9998:
        raise _error(path, line, column, f"month {text!r} is not between 0001-01 and 9998-12")
    return date(int(match[1]), int(match[2]), 1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _error(path: str, line: int, column: int, message: str) -> InputError:
    return InputError([Finding("error", message, line=line, column=column, path=path)])
