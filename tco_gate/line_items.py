"""The ledger's line items by their stable ids: the one list the ledger, the reports, `explain` and the
decision analysis share. An id is part of the JSON report's contract (`line_items[].id`): never renamed."""

from __future__ import annotations

from enum import StrEnum


class LineItemId(StrEnum):
    # Fine-tuning
    TRAINING_RUN = "training_run"
    DATA_LABELING = "data_labeling"
    EVAL_SET_BUILD = "eval_set_build"
    EVAL_UPKEEP = "eval_upkeep"
    RETRAINS = "retrains"
    SERVING = "serving"  # sized serving's on-demand (or burst) GPUs, flat serving, or the hosted fine-tune
    COMMITTED = "committed"  # a reserved fleet
    DEPRECIATION = "depreciation"  # an owned fleet: purchase written off
    POWER = "power"
    LICENCES = "licences"
    OPERATIONS = "operations"
    MONITORING = "monitoring"
    REBUILDS = "rebuilds"
    # Both options (quality: the cost of wrong answers)
    WRONG_ANSWERS = "wrong_answers"
    # Prompting
    API_USAGE = "api_usage"
    BATCH_DISCOUNT = "batch_discount"
    PRICE_DECLINE = "price_decline"
    PROMPT_SETUP = "prompt_setup"
    PROMPT_UPKEEP = "prompt_upkeep"
    MIGRATIONS = "migrations"
