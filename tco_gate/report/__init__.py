"""Reporters: each a pure `render(results) -> str`, found by format name in RENDERERS."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..result import Result
from . import json_report, text

Renderer = Callable[[Sequence[Result]], str]

RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
}

__all__ = ["RENDERERS", "Renderer"]
