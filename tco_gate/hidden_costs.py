"""The five hidden costs: their numbers and names, and which proposal field belongs to which.

The one table that the models' descriptions, the ledger's line-item tags, the completeness check and
every report read, so a field cannot count toward one hidden cost in the ledger and another in the docs.
"""

from __future__ import annotations

from typing import Literal

HiddenCost = Literal[1, 2, 3, 4, 5]

# The five costs a slide deck leaves out, in the contract's order, as a report names them.
HIDDEN_COSTS: dict[HiddenCost, str] = {
    1: "the eval set is yours",
    2: "the retraining cadence is yours",
    3: "serving and on-call are yours",
    4: "lock-in: deprecation forces rebuilds",
    5: "plateau: hosted prices fall, yours don't",
}
