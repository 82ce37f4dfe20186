"""Pure: one valid proposal's decision analysis, from its exact ledger and the ranges it wrote."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..catalog import Prices
from ..ledger import Ledger
from ..models import Policy, Proposal
from .breakeven import BreakEvenVolume, break_even_volume
from .fastmodel import Setting
from .inputs import cost_inputs, written_inputs
from .ranges import Range
from .sampling import DEFAULT_SAMPLING, Sampling
from .sensitivity import InputSensitivity, sensitivity
from .uncertainty import Uncertainty, monte_carlo


@dataclass(frozen=True)
class Analysis:
    """What would have to be true for fine-tuning to win, and how sure the proposal's own figures are."""

    break_even: BreakEvenVolume
    sensitivity: tuple[InputSensitivity, ...]
    ranges: Mapping[str, Range] = field(default_factory=dict)
    uncertainty: Uncertainty | None = None  # only when the proposal writes a range


def analyze(
    proposal: Proposal,
    policy: Policy,
    prices: Prices,
    ledger: Ledger,
    *,
    hosted: Prices | None = None,
    ranges: Mapping[str, Range] | None = None,
    sampling: Sampling = DEFAULT_SAMPLING,
) -> Analysis:
    """Break-even volume, sensitivity and (with ranges) the Monte Carlo, for a proposal at its point estimate."""
    ranges = dict(ranges or {})
    inputs = cost_inputs(proposal, prices, hosted)
    setting = Setting.of(policy)
    volume = break_even_volume(proposal, policy, prices, ledger, hosted)
    moved = sensitivity(inputs, written_inputs(proposal), setting, volume, sampling.nearest_flips)
    drawn = monte_carlo(inputs, ranges, setting, draws=sampling.draws, seed=sampling.seed) if ranges else None
    return Analysis(volume, tuple(moved), ranges, drawn)
