"""tco-gate: a CI policy gate that costs fine-tuning, hidden costs included, against prompting."""

from __future__ import annotations

# Written here, not read from package metadata: importing importlib.metadata costs ~25 ms a run.
# Set before the imports below, since reporters they load name the version too.
__version__ = "0.1.0"

from .gate import Overrides, evaluate, settle_policy
from .loader import load
from .result import PolicySettings, Result

__all__ = ["Overrides", "PolicySettings", "Result", "__version__", "evaluate", "load", "settle_policy"]
