"""A document written a proposal at a time: each format's part of one proposal, kept small until it is written.

A format that can be written this way has `part(result, base)`, what it keeps of one proposal's entry (made where
the proposal was judged, in a worker of a large run), and `document(report, parts)`, its whole text in pieces
from the report without its entries (`shell`) and the parts in order. Its `render(report)` is `whole(...)`, so
the document a run streams and the one rendered from a saved report come from the same code. A run over
10,000 proposals then holds each proposal's text compressed, not its report entry.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .model import BaseOut, Report, ResultOut

P = TypeVar("P")

# zlib's fastest level: a proposal's text shrinks about tenfold all the same (it repeats its own markup), and
# the workers pay for every proposal.
_LEVEL = 1


@dataclass(frozen=True)
class Fragment:
    """Text kept compressed until it is written."""

    packed: bytes

    @classmethod
    def of(cls, text: str) -> Fragment:
        return cls(zlib.compress(text.encode("utf-8"), _LEVEL))

    def text(self) -> str:
        return zlib.decompress(self.packed).decode("utf-8")


def shell(report: Report) -> Report:
    """The report without its entries: what a document's head and tail are written from."""
    return report.model_copy(update={"results": []})


def whole(
    report: Report,
    part: Callable[[ResultOut, BaseOut | None], P],
    document: Callable[[Report, Sequence[P]], Iterable[str]],
) -> str:
    """A format's whole document at once, made exactly as a run writes it a proposal at a time."""
    return "".join(document(shell(report), [part(result, report.base) for result in report.results]))


def indented(text: str, spaces: int) -> str:
    """Every line of `text` moved right, as a JSON document nested that deep indents it.

    Split on "\\n" only: JSON keeps U+2028 and other line separators raw in its strings (`ensure_ascii=False`),
    and they are not lines of the document.
    """
    pad = " " * spaces
    return "\n".join(pad + line for line in text.split("\n"))


def json_items(items: Iterable[str], *, spaces: int) -> Iterator[str]:
    """Items of a JSON array as `json.dumps(indent=2)` lays them out `spaces` deep: `[]` when there are none."""
    first = True
    for item in items:
        yield ("[\n" if first else ",\n") + item
        first = False
    yield "[]" if first else "\n" + " " * (spaces - 2) + "]"


def one_final_newline(pieces: Iterable[str]) -> Iterator[str]:
    """The pieces as `"".join(pieces).rstrip("\\n") + "\\n"`, a piece at a time: newlines at the end of a piece
    are held back until more text follows them."""
    held = ""
    for piece in pieces:
        body = piece.rstrip("\n")
        if body:
            yield held + body
            held = piece[len(body) :]
        else:
            held += piece
    yield "\n"
