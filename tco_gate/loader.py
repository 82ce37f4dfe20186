"""Hardened YAML loading: bytes -> plain data plus an index from JSON pointer to line and column.

The document is built from PyYAML's *event* stream rather than its constructors, for three reasons:
- anchors, aliases, tags and merge keys are refused at the first event that carries one, before any
  node is built, so an alias bomb costs microseconds instead of memory;
- scalars are resolved by YAML 1.2 core rules here, not PyYAML's YAML 1.1 resolver (which turns `yes`
  into True, `1:30` into 90 and dates into `date` objects);
- the builder is a loop with an explicit stack, so nesting depth is checked exactly and never recurses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from . import yaml_subset
from .errors import Finding, InputError

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64

try:  # libyaml is an optional speed-up; both parsers are tested and must agree
    from yaml import CSafeLoader as _CParserLoader

    HAS_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    HAS_LIBYAML = False

_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_DIGITS = r"[0-9]+"
_INT = re.compile(rf"[-+]?{_DIGITS}")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(rf"[-+]?(?:\.{_DIGITS}|{_DIGITS}(?:\.(?:{_DIGITS})?)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
# A number written with `_` between digits, as YAML 1.1 and many languages allow: text in YAML 1.2.
_UNDERSCORED = re.compile(
    r"[-+]?[0-9]+(?:_+[0-9]+)+(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]*\.[0-9]+(?:_+[0-9]+)+"
)


@dataclass(frozen=True)
class Position:
    """1-based line and column in the YAML text."""

    line: int
    column: int


@dataclass(frozen=True)
class Document:
    """Plain data (dict, list, str, int, Decimal, bool, None) and where each part of it was written."""

    data: Any
    values: dict[str, Position] = field(default_factory=dict)
    """JSON pointer of a node -> where its value starts."""
    keys: dict[str, Position] = field(default_factory=dict)
    """JSON pointer of a mapping entry -> where its key starts."""

    def position(self, pointer: str, *, prefer_key: bool = False) -> Position | None:
        """Where to report a problem at `pointer`: the node itself, else its nearest written ancestor."""
        while True:
            first, second = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            found = first.get(pointer) or second.get(pointer)
            if found or not pointer:
                return found
            # A pointer without a leading `/` (none the gate writes) climbs to the root instead of looping forever.
            pointer = pointer.rsplit("/", 1)[0] if "/" in pointer else ""


def escape_pointer_token(token: str) -> str:
    """One JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def _position(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _fail(message: str, at: Any = None) -> InputError:
    """An InputError at a PyYAML mark or a Position (or nowhere, for whole-file problems)."""
    where = _position(at) if at is not None and not isinstance(at, Position) else at
    return InputError([Finding("error", message, "", where.line if where else None, where.column if where else None)])


def resolve_plain_scalar(text: str) -> Any:
    """YAML 1.2 core schema, exactly: `3_000_000` is text, as in every YAML 1.2 tool. Anything else stays a string.

    Raises ValueError for numbers that are not finite or too long to hold.
    """
    if _NULL.fullmatch(text):
        return None
    if _TRUE.fullmatch(text):
        return True
    if _FALSE.fullmatch(text):
        return False
    if _INT.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # CPython refuses int() of more than 4,300 digits
            raise ValueError(f"a {len(text.lstrip('+-'))}-digit integer is too long to be a number here") from None
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return Decimal(text)
    if _INF.fullmatch(text) or _NAN.fullmatch(text):
        raise ValueError(f"`{text}` is not a finite number; every number in tco-gate's files must be finite")
    return text


def number_without_underscores(text: str) -> str | None:
    """How to write `3_000_000` as a YAML 1.2 number ("3000000 or 3e6"), or None if `text` is not one."""
    if not _UNDERSCORED.fullmatch(text):
        return None
    plain = text.replace("_", "")
    sign, digits, exponent = Decimal(plain).normalize().as_tuple()
    if not isinstance(exponent, int) or exponent <= 0 or not _INT.fullmatch(plain):
        return plain
    mantissa = "".join(map(str, digits))
    mantissa = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    scientific = f"{'-' if sign else ''}{mantissa}e{exponent + len(digits) - 1}"
    return f"{plain} or {scientific}" if len(scientific) < len(plain) else plain


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise _fail(f"file is {len(data):,} bytes; the limit is 1 MiB ({MAX_BYTES:,} bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Columns count bytes here: the line cannot be decoded, so it has no characters to count.
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        where = Position(data.count(b"\n", 0, exc.start) + 1, exc.start - line_start + 1)
        message = f"not UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start} cannot be decoded"
        raise _fail(message, where) from None
    return text.removeprefix("\ufeff")


def _events(text: str, loader_class: Any) -> Iterator[Any]:
    loader = loader_class(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


def _line_column_of_offset(text: str, offset: int) -> Position:
    """Where a 0-based character offset is, counting `\r\n`, `\r` and `\n` as one line break each, as YAML does."""
    before = text[:offset]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return Position(line, offset - line_start + 1)


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    pointer: str
    key: str | None = None  # in a mapping: the key whose value comes next
    key_lines: dict[str, int] = field(default_factory=dict)


def load(data: bytes, *, pure_python: bool = False, kind: str = "proposal") -> Document:
    """Parse one YAML document into plain data and a pointer index, or raise InputError with line/column.

    The answer is the same with and without libyaml (see yaml_subset). `pure_python` forces PyYAML's
    Python parser even when libyaml is installed. `kind` (`proposal` or `policy`) names what the file
    should be in the messages about its shape.
    """
    text = _decode(data)
    if pure_python or not HAS_LIBYAML:
        return _load(text, yaml.SafeLoader, kind)
    try:
        return _load(text, _CParserLoader, kind)
    except InputError as refused_by_libyaml:
        refusal = refused_by_libyaml
    # The two parsers word, and sometimes place, the same problem differently. The Python parser is in
    # every PyYAML, so its refusal is the one every machine reports; the subset checks make it refuse
    # whatever libyaml refuses, so falling through to libyaml's own words is a gap in those checks.
    _load(text, yaml.SafeLoader, kind)
    raise refusal


def _load(text: str, loader_class: Any, kind: str) -> Document:
    try:
        yaml_subset.check_text(text)
        return _build(yaml_subset.check_events(text, _events(text, loader_class)), kind)
    except yaml_subset.SubsetError as exc:
        raise _fail(exc.message, _line_column_of_offset(text, exc.offset)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and text[mark.index : mark.index + 1] == "\t":
            raise _fail(yaml_subset.tab_error(text, mark.index).message, mark) from None
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        if "maximum nesting depth" in problem:  # libyaml's own guard, met before our depth check
            raise _fail(f"nesting deeper than {MAX_DEPTH} levels", mark) from None
        raise _fail(f"YAML syntax: {problem}", mark) from None
    except yaml.reader.ReaderError as exc:
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        message = f"YAML syntax: control character U+{code:04X} is not allowed in YAML text"
        raise _fail(message, _line_column_of_offset(text, exc.position)) from None
    except yaml.YAMLError as exc:  # libyaml reports some problems without a mark
        raise _fail(f"YAML syntax: {exc}") from None


def _build(events: Iterator[Any], kind: str) -> Document:
    values: dict[str, Position] = {}
    keys: dict[str, Position] = {}
    root: Any = None
    stack: list[_Frame] = []
    documents = 0
    root_set = False

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _fail(f"a second YAML document starts here; a {kind} is exactly one document", event.start_mark)
            continue
        if isinstance(event, yaml.AliasEvent):
            raise _fail(f"alias `*{event.anchor}`: anchors and aliases are not allowed", event.start_mark)
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            continue  # stream start/end, document end

        if event.anchor is not None:
            raise _fail(f"anchor `&{event.anchor}`: anchors and aliases are not allowed", event.start_mark)
        if event.tag is not None:
            raise _fail(f"explicit tag `{event.tag}` is not allowed", event.start_mark)

        parent = stack[-1] if stack else None
        if parent is not None and isinstance(parent.container, dict) and parent.key is None:
            _take_key(parent, event, keys)
            continue

        if isinstance(event, yaml.ScalarEvent):
            value: Any
            if event.implicit[0]:  # plain scalar: resolve by YAML 1.2 core rules
                try:
                    value = resolve_plain_scalar(event.value)
                except (ValueError, OverflowError, RecursionError) as exc:
                    raise _fail(str(exc), event.start_mark) from None
            else:
                value = event.value
        else:
            value = {} if isinstance(event, yaml.MappingStartEvent) else []

        if parent is None:  # the parser allows one root node a document, and we allow one document
            pointer = ""
            root = value
            root_set = True
        elif isinstance(parent.container, dict):
            assert parent.key is not None
            pointer = f"{parent.pointer}/{escape_pointer_token(parent.key)}"
            parent.container[parent.key] = value
            parent.key = None
        else:
            pointer = f"{parent.pointer}/{len(parent.container)}"
            parent.container.append(value)
        if not (isinstance(event, yaml.ScalarEvent) and event.implicit[0] and not event.value):
            # An empty value has no text to point at (and the parsers place it differently): its key stands in.
            values[pointer] = _position(event.start_mark)

        if isinstance(value, (dict, list)):
            if len(stack) >= MAX_DEPTH:
                raise _fail(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
            stack.append(_Frame(value, pointer))

    if not root_set:
        raise _fail(f"the file is empty: a {kind} is a YAML mapping that starts with `version: 1`", Position(1, 1))
    return Document(root, values, keys)


def _take_key(frame: _Frame, event: Any, keys: dict[str, Position]) -> None:
    if not isinstance(event, yaml.ScalarEvent):
        raise _fail("a key must be text, not a list or a mapping", event.start_mark)
    key: Any = event.value
    if event.implicit[0]:
        if event.value == "<<":
            raise _fail("merge keys (`<<`) are not allowed", event.start_mark)
        try:
            key = resolve_plain_scalar(event.value)
        except ValueError:
            key = None
    if not isinstance(key, str):
        raise _fail(f"key `{event.value}` is not text; quote it or rename it", event.start_mark)
    where = _position(event.start_mark)
    if key in frame.key_lines:
        raise _fail(f"duplicate key `{key}` (first written on line {frame.key_lines[key]})", event.start_mark)
    frame.key_lines[key] = where.line
    frame.key = key
    keys[f"{frame.pointer}/{escape_pointer_token(key)}"] = where
