"""What the review document says beyond pass or fail, as plain text rows both Markdown and HTML lay out. Pure.

What is proposed (owner, models, prices and where they came from, cost per request, GPUs), then break-even
volume, the sensitivity table, the uncertainty band, and the checklist of the conditions under which
fine-tuning is the right call, each marked from the proposal's own data or "not stated". The words
are written once here; markdown.py and html.py only escape them and choose the markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import ResultOut
from .model_analysis import SensitivityOut
from .phrases import fleet, gpus, hosted_trend, money, per_request, percent, prices_line

LATENCY_BAR_MS = 50  # the latency under which a hosted model's round trip rarely fits (the seed's figure)
STABLE_RETRAINS_PER_YEAR = 4  # at most quarterly: the task holds still long enough to pay a training run back
SENSITIVITY_ROWS = 10  # the inputs with the largest swing; the JSON report lists every one

Status = Literal["yes", "no", "not stated"]


@dataclass(frozen=True)
class Condition:
    """One line of the checklist: a condition under which fine-tuning is right, and what the proposal shows."""

    condition: str
    status: Status
    evidence: str


_SERVING = {
    "flat": "a flat monthly figure (`monthly_serving_usd`)",
    "hosted": "by a provider (`finetune.hosted`)",
}


def proposed(result: ResultOut) -> list[tuple[str, str]]:
    """(label, words) rows on what is proposed, by whom, at which prices from where: what a review document opens
    with, before any verdict is argued. Empty for a proposal that could not be read."""
    facts = result.proposal
    if facts is None:
        return []
    rows = [("owner", facts.owner)]
    if facts.summary:
        rows.append(("summary", facts.summary))
    rows.append(("fine-tune", facts.base_model))
    serving = result.serving
    if serving is not None:
        if serving.gpus_monthly and result.policy is not None:
            rows.append(("serving", f"GPUs: {gpus(serving, result.policy.horizon_months)}"))
            layout = fleet(serving)
            if layout:
                rows.append(("GPU fleet", layout))
        else:
            rows.append(("serving", _SERVING.get(serving.kind, serving.kind)))
    if facts.prompting_provider and facts.prompting_model:
        rows.append(("prompting model", f"{facts.prompting_provider}/{facts.prompting_model}"))
    else:
        rows.append(("prompting model", "not named: its prices are written in the proposal"))
    if facts.as_of:
        rows.append(("prices as of", facts.as_of))
    if result.prompting_prices is not None:
        rows.append(("prompting prices", prices_line(result.prompting_prices)))
    if result.finetune_hosted_prices is not None:
        rows.append(("fine-tune prices", prices_line(result.finetune_hosted_prices) + hosted_trend(result)))
    per = result.usd_per_request
    if per is not None:
        rows.append(
            (
                "cost per request",
                f"fine-tuning {per_request(per.finetune_usd)}, prompting {per_request(per.prompting_usd)}",
            )
        )
        if per.finetune_usd_per_mtok is not None and per.prompting_usd_per_mtok is not None:
            rows.append(
                (
                    f"cost per 1M tokens (the workload's {per.tokens_per_request or 0:,.0f} a request)",
                    f"fine-tuning {money(per.finetune_usd_per_mtok)}, prompting {money(per.prompting_usd_per_mtok)}",
                )
            )
    return rows


def _count(number: float) -> str:
    return f"{number:,.0f}"


def number(value: float) -> str:
    """An input's value as a person writes it: `110,000,000`, `3.78`, `0.0769`; never an exponent."""
    if abs(value) >= 1000 or value == int(value):
        return f"{value:,.0f}"
    digits = 2 if abs(value) >= 1 else 4
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def break_even_volume(result: ResultOut) -> list[str]:
    """Sentences on the monthly volume at which fine-tuning beats prompting by the margin; [] without a costing."""
    volume = result.break_even_volume
    if volume is None:
        return []
    own = f"the proposal's own volume is {_count(volume.requests_per_month)} requests a month"
    if not volume.bands:
        limit = ", the most the committed fleet serves through the horizon" if volume.capacity is not None else ""
        return [
            f"No monthly volume up to {_count(volume.searched_to)} requests{limit} makes fine-tuning win by the "
            f"margin; {own}."
        ]
    spans = []
    for band in volume.bands:
        high = f"{_count(band.high)}" if band.high is not None else f"{_count(volume.searched_to)} (as far as searched)"
        spans.append(f"{_count(band.low)} to {high}")
    lines = [f"Fine-tuning wins by the margin at {'; '.join(spans)} requests a month; {own}."]
    if volume.bands_total > len(volume.bands):
        lines.append(
            f"GPU steps split the volumes into {volume.bands_total} bands; the {len(volume.bands)} nearest are listed."
        )
    if not volume.complete:
        lines.append(
            "The search stopped early (too many GPU steps): the volumes listed qualify, but not every volume outside "
            "them was walked, so fine-tuning may also win below or between them."
        )
    if volume.capacity is not None:
        lines.append(
            f"No volume past {_count(volume.capacity)} requests a month counts: the committed fleet cannot serve more "
            "through the horizon, and nothing pays for GPUs beyond it."
        )
    return lines


def _input_name(pointer: str) -> str:
    return pointer.lstrip("/").replace("/", ".")


def _flip(entry: SensitivityOut) -> str:
    flip = entry.flip
    if flip is None:
        return "cannot flip it"
    change = f"{percent(flip.change_pct)} " if flip.change_pct is not None else ""
    return f"{flip.verdict} at {number(flip.value)} ({change}from {number(entry.value)})"


def sensitivity_rows(result: ResultOut) -> list[tuple[str, str, str, str, str]]:
    """(input, value, what flips the verdict, totals at −20%, totals at +20%), the largest swing first."""
    rows = []
    for entry in result.sensitivity[:SENSITIVITY_ROWS]:
        low, high = entry.low, entry.high
        rows.append(
            (
                _input_name(entry.input),
                number(entry.value),
                _flip(entry),
                f"{money(low.finetune_total_usd)} vs {money(low.prompting_total_usd)}",
                f"{money(high.finetune_total_usd)} vs {money(high.prompting_total_usd)}",
            )
        )
    return rows


def sensitivity_note(result: ResultOut) -> str:
    """How many inputs the table leaves out, if any."""
    left = len(result.sensitivity) - SENSITIVITY_ROWS
    return f"{left} more input(s) move the totals less; the JSON report lists them all." if left > 0 else ""


def uncertainty_rows(result: ResultOut) -> list[tuple[str, str, str, str]]:
    """(option, P10, P50, P90) of both totals; [] when the proposal writes no range."""
    found = result.uncertainty
    if found is None:
        return []
    return [
        (name, money(spread.p10), money(spread.p50), money(spread.p90))
        for name, spread in (("fine-tuning", found.finetune_total_usd), ("prompting", found.prompting_total_usd))
    ]


def uncertainty_lines(result: ResultOut) -> list[str]:
    """How the band was drawn, and the probability that fine-tuning wins by the margin."""
    found = result.uncertainty
    if found is None:
        return []
    ranges = ", ".join(
        f"{_input_name(r.input)} {number(r.low)} / {number(r.likely)} / {number(r.high)}" for r in found.inputs
    )
    chance = percent(round(found.probability_pass * 100, 2))
    decided = (
        f"The policy requires {percent(found.min_confidence_pct)} confidence: the verdict is judged on the draws."
        if found.decided_by == "probability" and found.min_confidence_pct is not None
        else "The verdict is judged on the likely values (the point estimate)."
    )
    return [
        f"Fine-tuning beats prompting by the margin in {chance} of {found.draws:,} draws (PERT, seed {found.seed}).",
        decided,
        f"Ranges (low / likely / high): {ranges}.",
    ]


def checklist(result: ResultOut) -> list[Condition]:
    """The five conditions under which fine-tuning is right, each marked from the proposal's own data."""
    return [_perimeter(result), _latency(result), _accuracy(result), _stable(result), _volume(result)]


def _perimeter(result: ResultOut) -> Condition:
    name = "Data cannot leave the perimeter"
    facts = result.proposal
    if facts is None or facts.data_residency is None:
        return Condition(name, "not stated", "The proposal writes no constraints.data_residency.")
    return Condition(name, "yes", f"“{facts.data_residency}”")


def _latency(result: ResultOut) -> Condition:
    name = f"Latency under {LATENCY_BAR_MS} ms"
    facts = result.proposal
    if facts is None or facts.max_latency_ms is None:
        return Condition(name, "not stated", "The proposal writes no constraints.max_latency_ms.")
    needed = f"{number(facts.max_latency_ms)} ms end to end"
    if facts.max_latency_ms < LATENCY_BAR_MS:
        return Condition(name, "yes", f"It needs {needed}.")
    return Condition(name, "no", f"It needs {needed}, which a hosted model can meet.")


def _accuracy(result: ResultOut) -> Condition:
    name = "Prompting measurably failed on the eval set"
    if result.accuracy_gap_pct is None:
        return Condition(name, "not stated", "The proposal writes no evaluation of both on one eval set.")
    gap = result.accuracy_gap_pct
    later = result.accuracy_gap_at_horizon_pct
    horizon = f" ({percent(later)} by the horizon's end)" if later is not None and later != gap else ""
    claimed = any(claim.kind == "accuracy-gap" for claim in result.exemption_claims)
    if gap <= 0:
        return Condition(name, "no", f"Prompting is as accurate as the fine-tuned model or better{horizon}.")
    words = f"Prompting is {percent(gap)} less accurate than the fine-tuned model{horizon}"
    if claimed:
        return Condition(name, "yes", f"{words}, past the policy's bar.")
    return Condition(name, "no", f"{words}, within the policy's bar.")


def _stable(result: ResultOut) -> Condition:
    name = "Narrow and stable use case"
    facts = result.proposal
    if facts is None or facts.retrains_per_year is None:
        return Condition(name, "not stated", "The proposal writes no finetune.retrains_per_year.")
    times = f"{facts.retrains_per_year} retrain(s) a year"
    if facts.retrains_per_year <= STABLE_RETRAINS_PER_YEAR:
        return Condition(name, "yes", f"Stable: {times}. How narrow the task is, the proposal does not say.")
    return Condition(name, "no", f"Not stable: {times}; the task keeps moving.")


def _volume(result: ResultOut) -> Condition:
    name = "Volume high enough"
    volume = result.break_even_volume
    if volume is None:
        return Condition(name, "not stated", "No costing: the proposal could not be judged.")
    own = volume.requests_per_month
    inside = any(band.low <= own and (band.high is None or own <= band.high) for band in volume.bands)
    if inside:
        return Condition(name, "yes", f"{_count(own)} requests a month is inside a volume band where fine-tuning wins.")
    if result.break_even_requests_per_month is not None:
        need = _count(result.break_even_requests_per_month)
        return Condition(name, "no", f"{_count(own)} requests a month; fine-tuning wins by the margin from {need}.")
    return Condition(name, "no", f"{_count(own)} requests a month; no volume makes fine-tuning win by the margin.")
