"""The YAML that tco-gate reads: the part that PyYAML reads the same way with and without libyaml.

PyYAML parses with libyaml when it was built with it and with its own Python parser otherwise, and the
two disagree on real files: libyaml reads a tab after `key:` as a space and the Python parser refuses
it; the Python parser skips an unknown `%FOO` directive and libyaml refuses it. A gate must not pass on
one machine and fail on another, so tco-gate accepts a file only where neither parser refuses it.

The loader uses these checks in two ways:
- `check_text` refuses, before any parsing, characters that one parser reads differently from the other
  (a byte-order mark past the start, Unicode line separators);
- `check_events` wraps the event stream of either parser and refuses, at the event where it is met,
  what only one of them refuses: tabs outside quoted text, block scalar content and comments, directives
  other than `%YAML 1.2`, and the flow-context spellings that only one parser accepts.
Everything that only libyaml refuses is refused here, so a machine without libyaml refuses it too.
Everything that only the Python parser refuses is detected here, so the loader asks the Python parser
for its wording (see `loader.load`) and every machine prints the same message at the same place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

TAB_INDENT = "YAML does not allow tabs for indentation; use spaces"
TAB_ELSEWHERE = "a tab outside quoted text, block text or a comment: YAML parsers disagree on what it means; use spaces"

# Characters that YAML 1.1 parsers (both of PyYAML's) read as line breaks and YAML 1.2 reads as text.
_UNICODE_BREAKS = {
    "\x85": "U+0085 (next line)",
    "\u2028": "U+2028 (line separator)",
    "\u2029": "U+2029 (paragraph separator)",
}
_NOTABLE = re.compile(r"[#\t%:]")  # the only characters between events that a rule looks at
_DIRECTIVE = re.compile(r"%(\S*)[ ]+([^ #\r\n]*)(?:[ ]+#.*|[ ]*)")


class SubsetError(Exception):
    """Text outside the portable subset, at a 0-based offset into the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def check_text(text: str) -> None:
    """Refuse characters that the parsers, or YAML 1.1 and YAML 1.2, read differently."""
    bom = text.find("\ufeff")
    if bom >= 0:  # the loader has already removed one at the very start
        raise SubsetError("a byte-order mark (U+FEFF) is only allowed as the first character of the file", bom)
    for character, name in _UNICODE_BREAKS.items():
        found = text.find(character)
        if found >= 0:
            message = f"{name} is a line break in YAML 1.1 and text in YAML 1.2; use a plain line break"
            raise SubsetError(message, found)


def is_indentation(text: str, offset: int) -> bool:
    """Whether only spaces and tabs stand between the start of the line and `offset`."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return not text[line_start:offset].strip(" \t")


def tab_error(text: str, offset: int) -> SubsetError:
    """The one message for a tab a parser refuses, whichever parser refused it."""
    return SubsetError(TAB_INDENT if is_indentation(text, offset) else TAB_ELSEWHERE, offset)


def check_events(text: str, events: Iterator[Any]) -> Iterator[Any]:
    """The same events, after checking the text each one covers and the text between them."""
    cursor = 0
    flow_depth = 0
    plain_end = -1  # where the last plain scalar ended (see _ends_plain_text)
    for event in events:
        start, end = event.start_mark.index, event.end_mark.index
        if isinstance(event, yaml.ScalarEvent):
            _check_between(text, cursor, start, flow_depth, plain_end)
            _check_scalar(text, event, start, end, flow_depth)
            plain_end = end if event.implicit[0] else -1
        else:  # indicators only, and for a document start its directives: checked as text between events
            _check_between(text, cursor, end, flow_depth, plain_end)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) and event.flow_style:
                flow_depth += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)) and flow_depth:
                flow_depth -= 1
        cursor = max(cursor, end)
        yield event
    # The stream's end event ends at the end of the text, so every character has been checked by now.


def _check_between(text: str, start: int, end: int, flow_depth: int, plain_end: int = -1) -> None:
    """Text between two events: indicators, whitespace, comments, directives, document markers."""
    found = _NOTABLE.search(text, start, end)
    while found:
        offset = found.start()
        character = text[offset]
        if character == "#":  # outside every scalar, `#` starts a comment: skip to the end of the line
            found = _NOTABLE.search(text, _line_end(text, offset), end)
            continue
        if character == "\t":
            raise tab_error(text, offset)
        if character == "%" and (offset == 0 or text[offset - 1] in "\r\n"):
            _check_directive(text, offset)
        if flow_depth and character == ":" and _ends_plain_text(text, plain_end, offset):
            raise SubsetError("inside [ ] or { }, write a space after `:`", offset)
        found = _NOTABLE.search(text, offset + 1, end)


def _ends_plain_text(text: str, plain_end: int, offset: int) -> bool:
    """Whether the `:` at `offset` follows plain text (across whitespace) and comes right before `,?[]{}`.

    libyaml reads such a `:` as part of the plain text and refuses it; the Python parser reads a key.
    """
    return (
        0 <= plain_end <= offset
        and not text[plain_end:offset].strip(" \r\n")
        and text[offset + 1 : offset + 2] in tuple(",?[]{}")
    )


def _check_directive(text: str, offset: int) -> None:
    line = text[offset : _line_end(text, offset)]
    match = _DIRECTIVE.fullmatch(line)
    name, value = (match.group(1), match.group(2)) if match else (line[1:].split(" ")[0], "")
    if name == "TAG":
        raise SubsetError("%TAG directives are not allowed", offset)
    if name != "YAML":
        raise SubsetError(
            f"directive `%{name}` is not allowed; the only directive tco-gate reads is `%YAML 1.2`", offset
        )
    if value != "1.2" or match is None:
        raise SubsetError(f"`{line.strip()}`: tco-gate reads YAML 1.2; write `%YAML 1.2` or no directive", offset)


def _check_scalar(text: str, event: Any, start: int, end: int, flow_depth: int) -> None:
    style = event.style or ""
    if style in ("'", '"'):
        return  # tabs are text inside quotes, for both parsers
    if style in ("|", ">"):
        header_end = _line_end(text, start)
        _check_block_header(text, start, header_end)
        for offset in _tabs(text, header_end, end):
            if is_indentation(text, offset):
                raise SubsetError(TAB_INDENT, offset)
        return
    if flow_depth and "?" in text[start:end]:
        raise SubsetError("`?` inside unquoted text in [ ] or { }: quote the text", start + text[start:end].index("?"))
    for offset in _tabs(text, start, end):
        raise tab_error(text, offset)


def _check_block_header(text: str, start: int, end: int) -> None:
    """`|`, `>`, then indentation and chomping indicators, then a space before any comment."""
    offset = start + 1
    while offset < end and text[offset] in "123456789+-":
        offset += 1
    if offset < end and text[offset] not in " \t":
        raise SubsetError("after `|` or `>`, write a space before a comment", offset)
    _check_between(text, offset, end, 0)


def _tabs(text: str, start: int, end: int) -> Iterator[int]:
    offset = text.find("\t", start, end)
    while offset >= 0:
        yield offset
        offset = text.find("\t", offset + 1, end)


def _line_end(text: str, offset: int) -> int:
    ends = [found for found in (text.find("\n", offset), text.find("\r", offset)) if found >= 0]
    return min(ends, default=len(text))
