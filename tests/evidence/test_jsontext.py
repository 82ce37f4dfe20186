"""Where a value is written in a JSON document: the line and column every evidence finding points at."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tco_gate.errors import Finding, InputError
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


@pytest.mark.parametrize(
    ("data", "tokens", "where"),
    [
        (b'{"a":[10,20,{"b":3}],"c":4}', ["a"], (1, 6)),  # no space after a colon or a comma
        (b'{"a":[10,20,{"b":3}],"c":4}', ["a", 1], (1, 10)),
        (b'{"a":[10,20,{"b":3}],"c":4}', ["a", 2, "b"], (1, 18)),
        (b'{"a":[10,20,{"b":3}],"c":4}', ["c"], (1, 26)),
        (b'\n{"a": 1}', [], (2, 1)),  # a blank first line
        (b'\n{"a": 1}', ["a"], (2, 7)),
        (b'{"tags": ["x", "y"]}', ["tags", "x"], (1, 10)),  # a key is not looked up in a list: the list
        (b'{"tags": ["x", "y"]}', ["tags", "y"], (1, 10)),
    ],
)
def test_where_a_value_is_in_other_layouts(data: bytes, tokens: list[str | int], where: tuple[int, int]) -> None:
    assert parse_json(data, "d.json").where(tokens) == where


def test_a_finding_is_placed_in_its_file() -> None:
    document = parse_json(b'{\n  "a": [1, 2]\n}', "d.json")
    assert document.finding("warning", ["a", 1], "two") == Finding("warning", "two", line=2, column=12, path="d.json")
    assert document.error(["a"], "a list").findings == (Finding("error", "a list", line=2, column=8, path="d.json"),)


def test_lines_of_a_json_lines_file_count_from_the_file() -> None:
    first, second = parse_json_lines(b'{"a": 1}\n\n  {"b": {"c": 2}}\n', "l.jsonl")
    assert first.where(["a"]) == (1, 7)
    assert second.first_line == 3 and second.where(["b", "c"]) == (3, 15)


def test_a_carriage_return_before_a_json_line_counts_as_a_column() -> None:
    first, second = parse_json_lines(b'{"a": 1}\r\n\r{"b": 2}\r\n', "l.jsonl")
    assert first.where(["a"]) == (1, 7)
    assert second.where(["b"]) == (2, 8)


@pytest.mark.parametrize(
    ("data", "finding"),
    [
        (b'{"a": "\xff"}', Finding("error", "the file is not UTF-8 text", line=1, column=8, path="bad.json")),
        (
            b'\xef\xbb\xbf{"a": "\xff"}',
            Finding("error", "the file is not UTF-8 text", line=1, column=8, path="bad.json"),
        ),
        (b'{\n"\xc3\xa9": "\xff"}', Finding("error", "the file is not UTF-8 text", line=2, column=7, path="bad.json")),
        (
            b'\xef\xbb\xbf[\n"\xc3\xa9\xc3\xa9\xff"]',
            Finding("error", "the file is not UTF-8 text", line=2, column=4, path="bad.json"),
        ),
        (b"\n\xff", Finding("error", "the file is not UTF-8 text", line=2, column=1, path="bad.json")),
        (b"\xef\xbb\xff", Finding("error", "the file is not UTF-8 text", line=1, column=1, path="bad.json")),
    ],
)
def test_a_byte_that_is_not_utf8_is_placed_at_its_character(data: bytes, finding: Finding) -> None:
    with pytest.raises(InputError) as caught:
        parse_json(data, "bad.json")
    assert caught.value.findings == (finding,)


@pytest.mark.parametrize(
    ("data", "message", "where"),
    [
        (b'{"a": 1}X\n', "not valid JSON: more text after the document's end (two documents in one file?)", (1, 9)),
        (b'{"a": 1}\x0c\n', "not valid JSON: more text after the document's end (two documents in one file?)", (1, 9)),
        (b'{"a": 1}\n{}\n', "not valid JSON: more text after the document's end (two documents in one file?)", (2, 1)),
        (b'{"a": [1,\n  \n', "not valid JSON: the file ends in the middle of the document (cut short?)", (1, 10)),
        (b'{"a": "x', "not valid JSON: the file ends in the middle of the document (cut short?)", (1, 9)),
        (b'{"a": "x\n}', "not valid JSON: Invalid control character", (1, 9)),
        (b'{"a": 1,}', "not valid JSON: Expecting property name enclosed in double quotes", (1, 9)),
    ],
)
def test_text_that_is_not_json_is_an_error_at_its_place(data: bytes, message: str, where: tuple[int, int]) -> None:
    with pytest.raises(InputError) as caught:
        parse_json(data, "bad.json")
    assert caught.value.findings == (Finding("error", message, line=where[0], column=where[1], path="bad.json"),)


@pytest.mark.parametrize("ending", [b"X", b"\x0c", b"\xc2\xa0"])
def test_text_after_a_json_line_is_an_error_on_that_line(ending: bytes) -> None:
    with pytest.raises(InputError) as caught:
        list(parse_json_lines(b'{"a": 1}\r\n{"b": 2}' + ending + b"\r\n", "l.jsonl"))
    message = "not valid JSON: more text after the document's end (two documents in one file?)"
    assert caught.value.findings == (Finding("error", message, line=2, column=9, path="l.jsonl"),)


def test_nesting_too_deep_for_the_decoder_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        parse_json(b"[" * 100_000 + b"]" * 100_000, "deep.json")
    assert caught.value.findings == (Finding("error", "not valid JSON: nested too deeply", line=1, path="deep.json"),)


def test_nesting_too_deep_on_a_json_line_is_an_error_on_that_line() -> None:
    with pytest.raises(InputError) as caught:
        list(parse_json_lines(b"{}\n" + b"[" * 100_000 + b"]" * 100_000 + b"\n", "deep.jsonl"))
    assert caught.value.findings == (Finding("error", "not valid JSON: nested too deeply", line=2, path="deep.jsonl"),)


def test_shown_values_are_short() -> None:
    assert shown("x" * 100) == '"' + "x" * 58 + "…"
    assert shown("x" * 58) == '"' + "x" * 58 + '"'  # 60 characters: shown whole
    assert shown("x" * 59) == '"' + "x" * 58 + "…"
    assert shown([1, 2], limit=6) == "[1, 2]"
    assert shown([1, 2], limit=5) == "[1, …"
    assert shown(float("nan")) == "NaN"
    assert shown([1, None]) == "[1, null]"


def test_shown_exact_numbers_are_written_as_read() -> None:
    assert shown(Decimal("1.50")) == "1.50"
    assert shown([Decimal("1.50")]) == '["1.50"]'  # inside a value, as text: JSON cannot write a Decimal
