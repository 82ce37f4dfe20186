"""Renderers: each a pure `render(report: Report) -> str`, found by format name in RENDERERS.

A renderer reads only the report model (report/model.py), never a Result or the ledger, so a saved
JSON report renders exactly as the run that wrote it. Adding a format is adding a module and a line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the registry names formats without loading the report model: the command line lists them
    from .model import Report

Renderer = Callable[["Report"], str]

# Format name -> the module in this package whose `render` writes it.
_MODULES = {
    "text": "text",
    "json": "json_report",
    "html": "html",
    "sarif": "sarif",
    "junit": "junit",
    "gitlab": "gitlab",
    "github": "github",
    "markdown": "markdown",
}


class _Renderers(Mapping[str, Renderer]):
    """The registry, importing a renderer's module only when its format is asked for: the pre-commit hook
    writes text on every commit and should not pay for the HTML, SARIF, JUnit and GitLab modules."""

    def __getitem__(self, name: str) -> Renderer:
        module = importlib.import_module(f".{_MODULES[name]}", __name__)
        render: Renderer = module.render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


RENDERERS: Mapping[str, Renderer] = _Renderers()

__all__ = ["RENDERERS", "Renderer"]
