"""Untrusted text in Markdown: as prose, as inline code in a table cell, or as a fenced block.

Whatever a proposal says (its name, a path, a command) reaches the report through one of these, so it cannot
open HTML, end a table cell, start a heading or close its code block.
"""

from __future__ import annotations

import re


def text(value: str) -> str:
    """Untrusted text for Markdown: no HTML, no table-cell end, one line."""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return " ".join(escaped.split())


def fenced(code: str) -> list[str]:
    """A code block no line of `code` can close: the fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, code, fence]


def inline_code(value: str) -> str:
    """Untrusted text as inline code in a table cell: one line, its `|` unable to end the cell, and fenced by more
    backticks than it holds (code shows `<` and `&` as they are, so they need no escaping)."""
    one_line = " ".join(value.split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", one_line)), default=0)
    ticks = "`" * (longest + 1)
    return f"{ticks} {one_line} {ticks}" if longest else f"`{one_line}`"
