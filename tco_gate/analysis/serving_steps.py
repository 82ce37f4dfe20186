"""Pure: sized serving's on-demand cost as a step function of the monthly volume, counted exactly, and the most
volume a committed fleet without burst can serve.

Month m's on-demand GPUs at a month-1 volume R: the billed fleet, regions × gpus_per_replica × (max(min,
ceil(a_m·R)) + failover), with a_m one request's replicas in one region (the billed load over the regions, times
the growth to month m). Beside a committed fleet of C GPUs only what exceeds it is rented: max(0, that − C) =
regions × gpus_per_replica × (max(min, C/(regions × gpus_per_replica) − failover, ceil(a_m·R)) + failover) − C,
the same steps with a fractional floor and a constant taken off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..growth import monthly_factor
from ..ledger import discount_factors
from ..models import Policy, Proposal
from ..sizing import replica_load, servable_requests
from ..units import HOURS_PER_MONTH


@dataclass(frozen=True)
class Steps:
    """S(R) = Σ_m w_m·(max(least, ceil(a_m·R)) + spare): on-demand serving's cost over the horizon.

    Held as integers over two common denominators (a_m = rates[m]/rate_scale, w_m = weights[m]/weight_scale),
    so a count is one integer division and a cost one fraction: Fraction arithmetic on the 60-digit
    discount factors would cost milliseconds a step. `least` is whole, except beside a committed fleet, where
    it is the committed replicas a region less failover (see `serving_steps`).
    """

    rates: tuple[int, ...]
    rate_scale: int
    weights: tuple[int, ...]
    weight_scale: int
    least: int | Fraction
    spare: int

    @classmethod
    def of(cls, rates: list[Fraction], weights: list[Fraction], least: int | Fraction, spare: int) -> Steps:
        rate_scale = math.lcm(*(r.denominator for r in rates))
        weight_scale = math.lcm(*(w.denominator for w in weights))
        return cls(
            tuple(r.numerator * (rate_scale // r.denominator) for r in rates),
            rate_scale,
            tuple(w.numerator * (weight_scale // w.denominator) for w in weights),
            weight_scale,
            int(least) if least == int(least) else least,
            spare,
        )

    def cost(self, requests: int) -> Fraction:
        scale, least = self.rate_scale, self.least
        counts = (max(least, -(-rate * requests // scale)) + self.spare for rate in self.rates)
        return Fraction(sum(w * n for w, n in zip(self.weights, counts, strict=True)), self.weight_scale)

    def envelope(self, above: bool) -> tuple[list[Fraction], list[tuple[Fraction, Fraction]]]:
        """S with each ceiling replaced by its bound (x + 1 from above, x from below), as lines between kinks.

        Returns the kinks in order and one (intercept, slope) per stretch: before the first kink, then
        from each kink on. A month's count, max(least, a·R + lift), is flat at `least` up to its kink
        (least − lift)/a and a line after it, so each kink passed adds that month's line.
        """
        lift = 1 if above else 0
        scale = self.weight_scale * self.rate_scale
        constant, slope = sum(self.weights) * (self.least + self.spare) * self.rate_scale, 0  # both over `scale`
        # Every kink has the same numerator, so the busiest month's comes first. A month with no load
        # stays at `least` (lift <= least).
        joins = sorted(((w, r) for w, r in zip(self.weights, self.rates, strict=True) if r > 0), key=lambda j: -j[1])
        lines = [(Fraction(constant, scale), Fraction(0))]
        for weight, rate in joins:
            constant += weight * (lift - self.least) * self.rate_scale
            slope += weight * rate
            lines.append((Fraction(constant, scale), Fraction(slope, scale)))
        return [Fraction((self.least - lift) * self.rate_scale, rate) for _, rate in joins], lines

    def piece_end(self, requests: int) -> int | None:
        """The last volume with every month's count as at `requests` (None: it never changes).

        A fractional `least` L holds while a·R <= floor(L): the count is then L, and ceil(a·R) after.
        """
        scale, least = self.rate_scale, math.floor(self.least)
        ends = [max(least, -(-rate * requests // scale)) * scale // rate for rate in self.rates if rate > 0]
        return min(ends) if ends else None


def serving_steps(proposal: Proposal, policy: Policy) -> tuple[Steps, Fraction] | None:
    """The on-demand steps S(R) and the constant K to take off them (the committed GPUs' share of S, when the
    burst is what is rented): on-demand serving costs S(R) − K. None without on-demand GPUs (flat or hosted
    serving, or a committed fleet with no on-demand price)."""
    serving = proposal.finetune.serving
    if serving is None or serving.gpu_hourly_usd is None:
        return None
    per_replica = serving.regions * serving.gpus_per_replica
    step = monthly_factor(proposal.workload.monthly_growth_pct)
    load = replica_load(serving, at_peak=False) / serving.regions
    rates = [load * step ** (m - 1) for m in range(1, policy.horizon_months + 1)]
    hourly = Fraction(serving.gpu_hourly_usd * HOURS_PER_MONTH)
    weights = [hourly * Fraction(factor) * per_replica for factor in discount_factors(policy)]
    least: int | Fraction = serving.min_gpus
    taken_off = Fraction(0)
    if serving.committed is not None:
        share = Fraction(serving.committed.gpus, per_replica)  # committed replicas a region
        least = max(Fraction(serving.min_gpus), share - serving.failover_gpus)
        taken_off = sum(weights, Fraction(0)) * share
    return Steps.of(rates, weights, least, serving.failover_gpus), taken_off


def capacity_limit(proposal: Proposal, horizon: int) -> int | None:
    """The most month-1 requests whose every month the committed fleet serves at the peak (0: none); None when
    nothing limits the volume (no committed fleet, or on-demand GPUs beyond it)."""
    serving = proposal.finetune.serving
    if serving is None or serving.committed is None or serving.gpu_hourly_usd is not None:
        return None
    busiest = max(
        monthly_factor(proposal.workload.monthly_growth_pct) ** (m - 1) for m in (1, horizon)
    )  # growth is monotone
    return servable_requests(serving, serving.committed.gpus, replica_load(serving) * busiest)


def with_volume(proposal: Proposal, requests: Decimal) -> Proposal:
    """The proposal with another month-1 volume, all else as written."""
    workload = proposal.workload.model_copy(update={"requests_per_month": requests})
    return proposal.model_copy(update={"workload": workload})
