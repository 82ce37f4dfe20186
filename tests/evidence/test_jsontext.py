"""Where a value is written in a JSON document: the line and column every evidence finding points at."""

from __future__ import annotations

import pytest

from tco_gate.errors import InputError
from tco_gate.evidence.jsontext import parse_json, parse_json_lines, shown

DOCUMENT = b"""\xef\xbb\xbf{
  "a": {"b": [10, {"c": "x"}, [1, 2]], "k\\"ey": 5},
  "a": "later",
  "list": [
    1,
    2
  ]
}
"""


@pytest.mark.parametrize(
    ("tokens", "where"),
    [
        ([], (1, 1)),
        (["a"], (2, 8)),  # the first of two equal keys
        (["a", "b"], (2, 14)),
        (["a", "b", 0], (2, 15)),
        (["a", "b", 1, "c"], (2, 25)),
        (["a", "b", 2, 1], (2, 35)),
        (["a", 'k"ey'], (2, 49)),
        (["list", 1], (6, 5)),
        (["list", 2], (4, 11)),  # past the end: the list itself
        (["list", 5], (4, 11)),
        (["missing", "deeper"], (1, 1)),  # no such key: the document
        (["a", "b", "not-an-index"], (2, 14)),
        (["list", 0, "x"], (5, 5)),  # a number has no children
    ],
)
def test_where_a_value_is(tokens: list[str | int], where: tuple[int, int]) -> None:
    document = parse_json(DOCUMENT, "d.json")
    assert document.data["a"] == "later"  # as the tools' own JSON readers take it: the last wins
    assert document.where(tokens) == where


def test_lines_of_a_json_lines_file_count_from_the_file() -> None:
    first, second = parse_json_lines(b'{"a": 1}\n\n  {"b": {"c": 2}}\n', "l.jsonl")
    assert first.where(["a"]) == (1, 7)
    assert second.first_line == 3 and second.where(["b", "c"]) == (3, 15)


def test_nesting_too_deep_for_the_decoder_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        parse_json(b"[" * 100_000 + b"]" * 100_000, "deep.json")
    assert caught.value.findings[0].message == "not valid JSON: nested too deeply"


def test_shown_values_are_short() -> None:
    assert shown("x" * 100) == '"' + "x" * 58 + "…"
    assert shown(float("nan")) == "NaN"
    assert shown([1, None]) == "[1, null]"
