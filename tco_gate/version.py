"""The version of tco-gate: written here, in a leaf, so naming it loads nothing else.

Not read from package metadata: importing importlib.metadata costs ~25 ms a run.
"""

__version__ = "0.1.0"
