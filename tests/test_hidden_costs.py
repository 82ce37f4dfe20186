"""The one table of hidden costs: what the schemas say, what the ledger tags and what the gate requires agree."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from tco_gate.commands.schema import schema_text
from tco_gate.hidden_costs import FIELDS, HIDDEN_COSTS, REQUIRED
from tco_gate.ledger import build_ledger
from tco_gate.line_items import LineItemId
from tco_gate.models import Evaluation, Finetune, Prompting, Proposal
from tco_gate.verdict import REQUIRED_HIDDEN_COSTS

from .factories import policy, prices, proposal

SECTIONS: dict[str, type[BaseModel]] = {"finetune": Finetune, "prompting": Prompting, "evaluation": Evaluation}

# Which proposal field each tagged line item costs: the ledger must tag it with that field's hidden cost.
COSTED_BY: dict[LineItemId, str] = {
    LineItemId.EVAL_SET_BUILD: "finetune.eval_set_build_hours",
    LineItemId.EVAL_UPKEEP: "finetune.monthly_eval_hours",
    LineItemId.RETRAINS: "finetune.retrains_per_year",
    LineItemId.SERVING: "finetune.monthly_serving_usd",
    LineItemId.OPERATIONS: "finetune.monthly_eng_hours",
    LineItemId.MONITORING: "finetune.monthly_monitoring_usd",
    LineItemId.REBUILDS: "finetune.base_model_lifecycle_months",
    LineItemId.PRICE_DECLINE: "prompting.price_decline_pct_per_year",
}


def test_every_field_in_the_table_is_a_proposal_field() -> None:
    for field in FIELDS:
        section, _, key = field.partition(".")
        assert key in SECTIONS[section].model_fields, field
        assert section in Proposal.model_fields


def test_one_required_field_per_hidden_cost_in_order() -> None:
    assert [FIELDS[field] for field in REQUIRED] == [1, 2, 3, 4, 5] == list(HIDDEN_COSTS)
    assert [(s, k, n) for s, k, n in REQUIRED_HIDDEN_COSTS] == [(*f.split("."), FIELDS[f]) for f in REQUIRED]


def _descriptions(schema: dict[str, Any]) -> dict[str, str]:
    """`section.key` -> description, for the proposal's sections."""
    found = {}
    for section, model in SECTIONS.items():
        for key, field in schema["$defs"][model.__name__]["properties"].items():
            found[f"{section}.{key}"] = field.get("description", "")
    return found


def test_the_schema_names_the_hidden_cost_of_exactly_the_tables_fields() -> None:
    descriptions = _descriptions(json.loads(schema_text("proposal")))
    for field, text in descriptions.items():
        if field in FIELDS:
            number = FIELDS[field]
            assert text.startswith(f"Hidden cost {number} ({HIDDEN_COSTS[number]}). "), field
        else:
            assert "hidden cost" not in text.lower(), field  # a stale hand-written claim


def test_the_ledger_tags_each_line_item_with_its_fields_hidden_cost() -> None:
    ledger = build_ledger(proposal(), policy(), prices())
    items = [*ledger.finetune.line_items, *ledger.prompting.line_items]
    tagged = {item.id: item.hidden_cost for item in items if item.hidden_cost is not None}
    assert set(tagged) == set(COSTED_BY)
    for item_id, field in COSTED_BY.items():
        assert tagged[item_id] == FIELDS[field], item_id
