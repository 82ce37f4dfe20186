"""JSON and JSON Lines documents that remember their text, so a problem found in the data has a line and column.

Parsing uses the standard library's C decoder (a 64 MiB log parses in well under a second); the position of a
value is found only when a finding needs one, by walking the text to it and skipping every value on the way
with the same decoder. NaN and Infinity are read as the tools that write them (Python's json) write them; the
readers refuse them where a figure is read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import Finding, InputError, Level

Token = str | int
"""One step of a path into a document: an object key or an array index."""

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def file_error(path: str, message: str, line: int | None = None, column: int | None = None) -> InputError:
    """An error in file `path`, at a line and column where there is one."""
    return InputError([Finding("error", message, line=line, column=column, path=path)])


def decode(data: bytes, path: str) -> str:
    """The file's text, read as UTF-8 (a byte-order mark is dropped); otherwise an error at the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = exc.object[: exc.start].decode()  # the bytes after any byte-order mark, valid up to the bad one
        line, column = _line_column(good, len(good))
        raise InputError(
            [Finding("error", "the file is not UTF-8 text", line=line, column=column, path=path)]
        ) from None


@dataclass(frozen=True)
class JsonText:
    """A parsed JSON document, its text, and the file line its text starts on (1 for a whole file)."""

    path: str
    text: str
    data: Any
    first_line: int = 1

    def where(self, tokens: Sequence[Token]) -> tuple[int, int]:
        """The 1-based line and column of the value at `tokens`, else of its deepest ancestor that can be found."""
        line, column = _line_column(self.text, _locate(self.text, tokens))
        return line + self.first_line - 1, column

    def finding(self, level: Level, tokens: Sequence[Token], message: str) -> Finding:
        """A finding about the value at `tokens`, placed in this file."""
        line, column = self.where(tokens)
        return Finding(level, message, line=line, column=column, path=self.path)

    def error(self, tokens: Sequence[Token], message: str) -> InputError:
        """An error about the value at `tokens`, to raise."""
        return InputError([self.finding("error", tokens, message)])


def parse_json(data: bytes, path: str, *, exact: bool = False) -> JsonText:
    """One JSON document; a syntax error (a file cut short, a stray comma) is an error at its place.

    With `exact`, numbers with a fraction or exponent are read as Decimal, as written.
    """
    text = decode(data, path)
    return _parse(text, path, 1, exact=exact)


def parse_json_lines(data: bytes, path: str) -> Iterator[JsonText]:
    """Each non-blank line of a JSON Lines file as its own document, with its line number."""
    text = decode(data, path)
    for index, line in enumerate(text.split("\n")):
        stripped = line.rstrip("\r")
        if stripped.strip():
            yield _parse(stripped, path, index + 1)


def shown(value: object, limit: int = 60) -> str:
    """A value as JSON, cut to `limit` characters, for a message."""
    text = str(value) if isinstance(value, Decimal) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse(text: str, path: str, first_line: int, *, exact: bool = False) -> JsonText:
    try:
        data = json.loads(text, parse_float=Decimal) if exact else json.loads(text)
    except json.JSONDecodeError as exc:
        position = exc.lineno, exc.colno
        end = len(text.rstrip(" \t\n\r"))  # JSON's whitespace only: a form feed after the document is extra text
        if exc.pos >= end or exc.msg.startswith("Unterminated string"):
            why = "the file ends in the middle of the document (cut short?)"
            position = _line_column(text, end)
        elif exc.msg == "Extra data":
            why = "more text after the document's end (two documents in one file?)"
        else:
            why = exc.msg.removesuffix(" at")  # "Invalid control character at": the line and column say where
        message = f"not valid JSON: {why}"
        raise file_error(path, message, position[0] + first_line - 1, position[1]) from None
    except RecursionError:
        raise InputError([Finding("error", "not valid JSON: nested too deeply", line=first_line, path=path)]) from None
    return JsonText(path, text, data, first_line)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _skip(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    assert match is not None  # the pattern matches anywhere, if only the empty string
    return match.end()


def _locate(text: str, tokens: Sequence[Token]) -> int:
    """The offset of the value at `tokens`, walking as deep as the text allows."""
    index = found = _skip(text, 0)
    try:
        for token in tokens:
            index = _child(text, index, token)
            found = index
    except (ValueError, IndexError, _NotFound):
        pass
    return found


class _NotFound(Exception):
    pass


def _child(text: str, index: int, token: Token) -> int:
    """The offset of one child of the container starting at `index` (the first key of that name wins)."""
    opening = text[index]
    if opening == "{" and isinstance(token, str):
        index = _skip(text, index + 1)
        while text[index] != "}":
            key, index = _DECODER.raw_decode(text, index)
            index = _skip(text, _skip(text, index) + 1)  # past the colon
            if key == token:
                return index
            index = _next(text, index)
    elif opening == "[" and isinstance(token, int):
        index = _skip(text, index + 1)
        for _ in range(token):
            if text[index] == "]":
                raise _NotFound
            index = _next(text, index)
        if text[index] != "]":
            return index
    raise _NotFound


def _next(text: str, index: int) -> int:
    """Past the value at `index` and the comma after it, to the next entry (or the closing bracket)."""
    _, index = _DECODER.raw_decode(text, index)
    index = _skip(text, index)
    if text[index] == ",":
        index = _skip(text, index + 1)
    return index
