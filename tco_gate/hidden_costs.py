"""The five hidden costs: their numbers and names, and which proposal field belongs to which.

The one table that the models' descriptions, the ledger's line-item tags, the completeness check and
every report read, so a field cannot count toward one hidden cost in the ledger and another in the docs.
"""

from __future__ import annotations

from typing import Literal

from .line_items import LineItemId

HiddenCost = Literal[1, 2, 3, 4, 5]

# The five costs a slide deck leaves out, in the contract's order, as a report names them.
HIDDEN_COSTS: dict[HiddenCost, str] = {
    1: "the eval set is yours",
    2: "the retraining cadence is yours",
    3: "serving and on-call are yours",
    4: "lock-in: deprecation forces rebuilds",
    5: "plateau: hosted prices fall, yours don't",
}

# Every proposal field that feeds a hidden cost, as `section.key`: the models' schema descriptions say
# "Hidden cost N:" from this, and each ledger line item is tagged with the hidden cost of the field it costs.
FIELDS: dict[str, HiddenCost] = {
    "finetune.eval_set_build_hours": 1,
    "finetune.monthly_eval_hours": 1,
    "finetune.retrains_per_year": 2,
    "finetune.retrain_eng_hours": 2,
    "finetune.monthly_serving_usd": 3,
    "finetune.serving": 3,
    "finetune.hosted": 3,
    "finetune.monthly_eng_hours": 3,
    "finetune.monthly_monitoring_usd": 3,
    "finetune.base_model_lifecycle_months": 4,
    "finetune.rebuild_usd": 4,
    "finetune.rebuild_eng_hours": 4,
    "prompting.price_decline_pct_per_year": 5,
    "evaluation.prompting_accuracy_gain_per_year": 5,  # the plateau in quality: hosted models get better
}

# One field per hidden cost that a proposal must write when the policy's `require_hidden_costs` is true.
REQUIRED: tuple[str, ...] = (
    "finetune.eval_set_build_hours",
    "finetune.retrains_per_year",
    "finetune.monthly_eng_hours",
    "finetune.base_model_lifecycle_months",
    "prompting.price_decline_pct_per_year",
)

# The ledger line item that each required field costs: a report shows it as "not written" when the field is missing.
REQUIRED_LINE_ITEMS: dict[str, LineItemId] = {
    "finetune.eval_set_build_hours": LineItemId.EVAL_SET_BUILD,
    "finetune.retrains_per_year": LineItemId.RETRAINS,
    "finetune.monthly_eng_hours": LineItemId.OPERATIONS,
    "finetune.base_model_lifecycle_months": LineItemId.REBUILDS,
    "prompting.price_decline_pct_per_year": LineItemId.PRICE_DECLINE,
}
