"""tco-gate: a CI policy gate that costs fine-tuning, hidden costs included, against prompting."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .gate import Overrides, PolicySettings, Result, evaluate, settle_policy
from .loader import load

try:
    __version__ = version("tco-gate")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["Overrides", "PolicySettings", "Result", "__version__", "evaluate", "load", "settle_policy"]
