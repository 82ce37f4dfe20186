"""tco-gate: a CI policy gate that costs fine-tuning, hidden costs included, against prompting.

The package face is light on purpose: `import tco_gate.units` loads this file, `version.py` and the leaf
itself, and importing tco-gate changes nothing in the importing process. The library API below is
imported on first use (PEP 562), so naming `tco_gate.evaluate` costs the pipeline and naming a leaf does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .gate import Overrides, evaluate, settle_policy
    from .loader import load
    from .result import PolicySettings, Result

# Public name -> the module that defines it.
_API = {
    "Overrides": "gate",
    "evaluate": "gate",
    "settle_policy": "gate",
    "load": "loader",
    "PolicySettings": "result",
    "Result": "result",
}

__all__ = ["Overrides", "PolicySettings", "Result", "__version__", "evaluate", "load", "settle_policy"]


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'tco_gate' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
