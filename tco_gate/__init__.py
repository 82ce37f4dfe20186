"""tco-gate: a CI policy gate that costs fine-tuning, hidden costs included, against prompting."""

from __future__ import annotations

import os

# Written here, not read from package metadata: importing importlib.metadata costs ~25 ms a run.
# Set before the imports below, since reporters they load name the version too.
__version__ = "0.1.0"

# A verdict must rest on tco-gate's own validation alone. pydantic hands each validator it builds to every
# plugin any installed package registers (the `pydantic` entry-point group); a plugin sees each proposal,
# policy and report as it is validated and could change or fail it, so the answer would depend on what else
# happens to be installed beside the gate. pydantic's documented switch is this variable, read as each
# validator is built: set before the imports below build tco-gate's models. It also spares every run a scan
# of all installed packages' metadata. A program importing tco_gate gets it too (README, "Choices made").
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"

from .gate import Overrides, evaluate, settle_policy
from .loader import load
from .result import PolicySettings, Result

__all__ = ["Overrides", "PolicySettings", "Result", "__version__", "evaluate", "load", "settle_policy"]
