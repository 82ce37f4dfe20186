"""The numeric inputs a costing reads, by JSON pointer, as floats: what the analysis moves or draws.

Pointers are the proposal's own (`/finetune/serving/gpu_hourly_usd`), so a sensitivity entry or a
range names the line a person wrote. The prompting prices are inputs too, wherever they came from:
`/prompting/input_usd_per_mtok` is the catalog's price when the proposal does not write one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ..catalog import Prices
from ..models import Proposal
from .fleet_model import AUTOSCALING

# Numbers that do not enter either total: the costing cannot move with them. The accuracies do once an error
# has a price (`evaluation.cost_per_error_usd`); until then they only judge the accuracy-gap exemption.
_NOT_COSTS = ("/version", "/constraints/")
_EVALUATION = "/evaluation/"


def _numbers(model: BaseModel, pointer: str, written_only: bool) -> Iterator[tuple[str, Any]]:
    written = model.model_fields_set
    for name in type(model).model_fields:  # declared order, so every report lists inputs alike
        if written_only and name not in written:
            continue
        value = getattr(model, name)
        here = f"{pointer}/{name}"
        if isinstance(value, BaseModel):
            yield from _numbers(value, here, written_only)
        elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            yield here, value


def _costs(proposal: Proposal) -> Callable[[str], bool]:
    """Whether the number at a pointer enters a total of this proposal."""
    evaluation = proposal.evaluation
    priced = evaluation is not None and "cost_per_error_usd" in evaluation.model_fields_set
    skipped = _NOT_COSTS if priced else (*_NOT_COSTS, _EVALUATION)
    return lambda pointer: not any(pointer == p or pointer.startswith(p) for p in skipped)


_PRICE_KEYS = ("input_usd_per_mtok", "cached_input_usd_per_mtok", "output_usd_per_mtok")


def price_inputs(prices: Prices, section: str = "/prompting") -> dict[str, float]:
    """The three prices in force, under the pointers of the proposal keys that set them."""
    amounts = (prices.input, prices.cached_input, prices.output)
    return {f"{section}/{key}": float(price.usd_per_mtok) for key, price in zip(_PRICE_KEYS, amounts, strict=True)}


def cost_inputs(proposal: Proposal, prices: Prices, hosted: Prices | None = None) -> dict[str, float]:
    """Every number the costing reads (defaults included), pointer -> value, prices resolved."""
    costs = _costs(proposal)
    found = {p: float(v) for p, v in _numbers(proposal, "", written_only=False) if costs(p)}
    serving = proposal.finetune.serving
    if serving is not None and serving.autoscaling:
        found[AUTOSCALING] = 1.0  # a switch, not a number: the float model reads whether it is there
    found.update(price_inputs(prices))
    if hosted is not None:
        found.update(price_inputs(hosted, "/finetune/hosted"))
    return found


def written_inputs(proposal: Proposal) -> list[str]:
    """Pointers of the numbers the proposal writes that enter a total, then the prices it reads, in order."""
    costs = _costs(proposal)
    written = [p for p, _ in _numbers(proposal, "", written_only=True) if costs(p)]
    sections = ["/prompting"] + (["/finetune/hosted"] if proposal.finetune.hosted is not None else [])
    prices = [f"{section}/{key}" for section in sections for key in _PRICE_KEYS]
    return written + [p for p in prices if p not in written]
