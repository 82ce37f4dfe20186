"""The prompting system's measured traffic, from an OpenAI Usage API completions export (JSON pages).

Field names of the JSON are the Usage API's own (OpenAI API reference, GET /v1/organization/usage/completions;
openai/openai-openapi: UsageResponse `data[]` of UsageTimeBucket `start_time`, `end_time`, `results[]` of
UsageCompletionsResult `num_model_requests`, `input_tokens` (cached included), `input_cached_tokens`,
`output_tokens` and, grouped by model, `model`). The covered period runs from the first bucket's start to the last
one's end; requests per month = requests / days covered × 30.4375 (the mean month of the Gregorian calendar).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Any

from ..errors import Finding
from .jsontext import JsonText, parse_json, shown

DAYS_PER_MONTH = Fraction("30.4375")
SHORT_COVERAGE_DAYS = 28
SECONDS_PER_DAY = 86400

_SNAPSHOT = re.compile(r"-[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class UsageFigures:
    """Totals over the covered period, and what they make a month and a request."""

    requests: int
    input_tokens: int
    cached_input_tokens: int
    output_tokens: int
    start: date
    end: date
    """The day after the last one covered."""
    days: Fraction
    warnings: tuple[Finding, ...] = ()

    @property
    def requests_per_month(self) -> Fraction:
        return Fraction(self.requests) / self.days * DAYS_PER_MONTH

    @property
    def input_tokens_per_request(self) -> Fraction:
        return Fraction(self.input_tokens, self.requests)

    @property
    def cached_input_tokens_per_request(self) -> Fraction:
        return Fraction(self.cached_input_tokens, self.requests)

    @property
    def output_tokens_per_request(self) -> Fraction:
        return Fraction(self.output_tokens, self.requests)


@dataclass
class Totals:
    """Running totals of a usage export."""

    requests: int = 0
    input_tokens: int = 0
    cached_input_tokens: int = 0
    output_tokens: int = 0


def read_openai_usage(data: bytes, path: str, model: str | None = None) -> UsageFigures:
    """Completions usage from one page or a list of pages, only `model`'s rows when it is given."""
    export = parse_json(data, path)
    pages = export.data if isinstance(export.data, list) else [export.data]
    buckets: list[tuple[int, int, tuple[int | str, ...], Any]] = []
    for number, page in enumerate(pages):
        prefix: tuple[int | str, ...] = (number,) if isinstance(export.data, list) else ()
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise export.error(list(prefix), "not a Usage API page: an object with `data[]` of buckets is expected")
        for index, bucket in enumerate(page["data"]):
            where = (*prefix, "data", index)
            if not isinstance(bucket, dict) or not isinstance(bucket.get("results"), list):
                raise export.error(list(where), "a bucket needs `start_time`, `end_time` and `results[]`")
            start = _count(export, [*where, "start_time"], bucket.get("start_time"))
            end = _count(export, [*where, "end_time"], bucket.get("end_time"))
            if end <= start:
                raise export.error([*where, "end_time"], "a bucket must end after it starts")
            buckets.append((start, end, where, bucket))
    if not buckets:
        raise export.error([], "the export holds no buckets")
    buckets.sort(key=lambda item: item[0])
    for (_, end, _, _), (start, _, where, _) in itertools.pairwise(buckets):
        if start != end:
            what = (
                "overlaps the one before (the same page twice?)" if start < end else "leaves a gap after the one before"
            )
            raise export.error([*where, "start_time"], f"this bucket {what}: {_day(end)} to {_day(start)}")
    totals = _sum_rows(export, buckets, model)
    (start, _, first, _), end = buckets[0], buckets[-1][1]
    days = Fraction(end - start, SECONDS_PER_DAY)
    warning = coverage_warning(days)
    return UsageFigures(
        totals.requests,
        totals.input_tokens,
        totals.cached_input_tokens,
        totals.output_tokens,
        datetime.fromtimestamp(start, UTC).date(),
        datetime.fromtimestamp(end, UTC).date(),
        days,
        (export.finding("warning", [*first, "start_time"], warning),) if warning else (),
    )


def _sum_rows(
    export: JsonText, buckets: list[tuple[int, int, tuple[int | str, ...], Any]], model: str | None
) -> Totals:
    totals = Totals()
    models: list[str] = []
    for _, _, where, bucket in buckets:
        for index, row in enumerate(bucket["results"]):
            at = [*where, "results", index]
            if not isinstance(row, dict):
                raise export.error(at, "a result must be an object")
            name = row.get("model")
            models.extend([name] if isinstance(name, str) and name not in models else [])
            if model is not None and not (isinstance(name, str) and _same_model(name, model)):
                continue
            totals.requests += _count(export, [*at, "num_model_requests"], row.get("num_model_requests"))
            totals.input_tokens += _count(export, [*at, "input_tokens"], row.get("input_tokens"))
            cached = row.get("input_cached_tokens")
            totals.cached_input_tokens += 0 if cached is None else _count(export, [*at, "input_cached_tokens"], cached)
            totals.output_tokens += _count(export, [*at, "output_tokens"], row.get("output_tokens"))
    if model is not None and not models:
        raise export.error(
            [],
            f"the export is not grouped by model, so {model!r}'s rows cannot be told apart "
            "(ask the Usage API with `group_by=model`)",
        )
    if totals.requests == 0:
        found = f" (the models here: {', '.join(models)})" if model is not None else ""
        subject = f"no requests to {model!r}" if model is not None else "no requests"
        raise export.error([], f"the export holds {subject}{found}")
    return totals


def coverage_warning(days: Fraction) -> str:
    """The warning a usage export covering `days` earns, or "" when it covers enough."""
    if days >= SHORT_COVERAGE_DAYS:
        return ""
    return (
        f"the usage covers {float(days):.3g} days, fewer than {SHORT_COVERAGE_DAYS}: a month's volume is "
        "extrapolated from a short window that misses weekly and monthly cycles"
    )


def _same_model(name: str, model: str) -> bool:
    """The model itself, or one of its dated snapshots (gpt-4.1-mini-2025-04-14 for gpt-4.1-mini)."""
    return name == model or (name.startswith(model) and _SNAPSHOT.fullmatch(name[len(model) :]) is not None)


def _count(export: JsonText, tokens: list[int | str], value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise export.error(tokens, f"`{tokens[-1]}` must be a whole number of at least 0, not {shown(value)}")
    return value


def _day(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")
