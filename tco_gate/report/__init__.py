"""Renderers: each a pure `render(report: Report) -> str`, found by format name in RENDERERS.

A format that a run can write a proposal at a time (report/parts.py) is also found by `streamed(name)`.

A renderer reads only the report model (report/model.py), never a Result or the ledger, so a saved
JSON report renders exactly as the run that wrote it. Adding a format is adding a module and a line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:  # the registry names formats without loading the report model: the command line lists them
    from .model import BaseOut, Report, ResultOut

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


class Streamed(Protocol):
    """A format written a proposal at a time: what it keeps of each entry, and its document from those parts."""

    def part(self, result: ResultOut, base: BaseOut | None, /) -> Any: ...

    def document(self, shell: Report, parts: Sequence[Any], /) -> Iterable[str]: ...


def streamed(name: str) -> Streamed | None:
    """The format `name` when a run can write it a proposal at a time (see report/parts.py), else None."""
    module = importlib.import_module(f".{_MODULES[name]}", __name__)
    return cast(Streamed, module) if hasattr(module, "document") else None


__all__ = ["RENDERERS", "Renderer", "Streamed", "streamed"]
