"""`python -m tco_gate.github`: the Action's step (see action.yml)."""

import gc
import sys

from ..entry import for_a_run_of_the_tool

for_a_run_of_the_tool()  # before the step's imports build any model (entry.py says why)

from .action import main  # noqa: E402 -- after the process is set up, on purpose

code = main()
# The step's files are written and closed. Frozen objects are left out of the collection Python runs as it
# shuts down, which otherwise walks every model and module the step loaded: 5% of the step's instructions.
gc.freeze()
sys.exit(code)
