"""`python -m tco_gate.github`: the Action's step (see action.yml)."""

import sys

from ..entry import finished, for_a_run_of_the_tool

for_a_run_of_the_tool()  # before the step's imports build any model (entry.py says why)

from .action import main  # noqa: E402 -- after the process is set up, on purpose

sys.exit(finished(main()))  # the step's files are written and closed by now
