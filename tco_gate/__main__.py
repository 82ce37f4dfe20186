"""`python -m tco_gate`: the same program as the `tco-gate` command."""

from .cli import run

raise SystemExit(run())
