"""Renderers: each a pure `render(report: Report) -> str`, found by format name in RENDERERS.

A renderer reads only the report model (report/model.py), never a Result or the ledger, so a saved
JSON report renders exactly as the run that wrote it. Adding a format is adding a module and a line here.
"""

from __future__ import annotations

from collections.abc import Callable

from . import gitlab, html, json_report, junit, sarif, text
from .model import Report

Renderer = Callable[[Report], str]

RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
    "html": html.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
}

__all__ = ["RENDERERS", "Renderer", "Report"]
