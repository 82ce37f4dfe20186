"""`python -m tco_gate.github`: the Action's step (see action.yml)."""

import sys

from .action import main

sys.exit(main())
