"""A Result's evidence and inputs table -> the report model: which figures decided the verdict, from where.

Each decisive figure (volume, tokens, prices, accuracies, throughput, the GPU price, the hourly rate and the
largest engineering hours) is labelled with its source: evidence (the file and its sha256), the catalog (its
name and version), the policy or a flag, a built-in default, or claimed: written in the proposal and checked
by nothing. A reviewer sees at a glance which numbers nobody checked.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..catalog import Price
from ..evidence.requests import Measurement
from ..evidence_model import value_at
from ..models import Proposal
from ..result import PolicySettings, Result
from .model_evidence import (
    BenchStatsOut,
    EvalStatsOut,
    EvidenceFileOut,
    EvidenceOut,
    InputOut,
    InputSource,
    UsageStatsOut,
)

_HOURS = (  # (key, how many times the horizon counts it: "month" a month, "once", "retrain", "rebuild")
    ("prompting.setup_eng_hours", "once"),
    ("prompting.monthly_eng_hours", "month"),
    ("finetune.eval_set_build_hours", "once"),
    ("finetune.monthly_eval_hours", "month"),
    ("finetune.monthly_eng_hours", "month"),
    ("finetune.retrain_eng_hours", "retrain"),
    ("finetune.rebuild_eng_hours", "rebuild"),
)
_LARGEST_HOURS = 3
_THROUGHPUT = (
    "requests_per_second_per_gpu",
    "output_tokens_per_second_per_gpu",
    "output_tokens_per_request",
    "input_tokens_per_second_per_gpu",
    "input_tokens_per_request",
)


def evidence_out(result: Result) -> EvidenceOut | None:
    """The files the proposal's evidence named and what they measured; None without evidence."""
    evidence = result.evidence
    if evidence is None:
        return None
    files = [EvidenceFileOut(kind=kind, path=read.shown, sha256=read.sha256) for kind, read in evidence.files]
    figures, usage, bench = evidence.eval, evidence.usage, evidence.bench
    return EvidenceOut(
        files=files,
        eval=None
        if figures is None
        else EvalStatsOut(
            n=figures.n,
            prompting_accuracy=float(figures.prompting_accuracy),
            finetune_accuracy=float(figures.finetuned_accuracy),
            b=figures.b,
            c=figures.c,
            p_value=figures.p_value,
            gain=float(figures.gain),
            gain_lower_bound=float(figures.gain_lower_bound),
            significant=figures.significant,
        ),
        usage=None
        if usage is None
        else UsageStatsOut(
            start=usage.start.isoformat(),
            end=usage.end.isoformat(),
            days=float(usage.days),
            requests=usage.requests,
            requests_per_month=float(usage.requests_per_month),
            input_tokens_per_request=float(usage.input_tokens_per_request),
            cached_input_tokens_per_request=float(usage.cached_input_tokens_per_request),
            output_tokens_per_request=float(usage.output_tokens_per_request),
        ),
        serving_benchmark=None
        if bench is None
        else BenchStatsOut(
            completed=bench.completed,
            request_throughput=float(bench.request_throughput),
            gpus=evidence.measured.bench_gpus,
            mean_input_tokens=float(bench.mean_input_tokens),
            mean_output_tokens=float(bench.mean_output_tokens),
        ),
    )


def inputs_out(result: Result) -> list[InputOut]:
    """The inputs table of a costed proposal (empty for one that could not be costed)."""
    proposal, settings = result.proposal, result.settings
    if proposal is None or settings is None or result.ledger is None:
        return []
    table = _Table(proposal, result.evidence)
    table.figure("workload.requests_per_month")
    table.figure("workload.monthly_growth_pct")
    for key in ("input_tokens_per_request", "cached_input_tokens_per_request", "output_tokens_per_request"):
        table.figure(f"prompting.{key}")
    if result.prices is not None:
        for kind, price in (
            ("input", result.prices.input),
            ("cached_input", result.prices.cached_input),
            ("output", result.prices.output),
        ):
            table.price(f"prompting.{kind}_usd_per_mtok", price)
    hosted = result.ledger.hosted_prices
    if hosted is not None:
        for key in ("input_tokens_per_request", "cached_input_tokens_per_request", "output_tokens_per_request"):
            table.figure(f"finetune.hosted.{key}")
        for kind, price in (("input", hosted.input), ("cached_input", hosted.cached_input), ("output", hosted.output)):
            table.price(f"finetune.hosted.{kind}_usd_per_mtok", price)
    if proposal.evaluation is not None:
        table.figure("evaluation.finetune_accuracy")
        table.figure("evaluation.prompting_accuracy")
    serving = proposal.finetune.serving
    if serving is not None:
        table.figure("finetune.serving.gpu_hourly_usd")
        for key in _THROUGHPUT:
            if getattr(serving, key) is not None:
                table.figure(f"finetune.serving.{key}")
        table.figure("finetune.serving.target_utilization_pct")
        table.figure("finetune.serving.peak_to_average")
    elif proposal.finetune.monthly_serving_usd is not None:
        table.figure("finetune.monthly_serving_usd")
    table.policy("hourly_rate_usd", settings)
    for key in _largest_hours(proposal, settings):
        table.figure(key)
    return table.rows


class _Table:
    def __init__(self, proposal: Proposal, evidence: Measurement | None) -> None:
        self.proposal = proposal
        self.measured = evidence.pointers if evidence is not None else {}
        self.hashes = {read.shown: read.sha256 for _, read in evidence.files} if evidence is not None else {}
        self.rows: list[InputOut] = []

    def figure(self, key: str) -> None:
        value = value_at(self.proposal, key)
        pointer = "/" + key.replace(".", "/")
        source: InputSource
        if pointer in self.measured:
            file = self.measured[pointer]
            sha = self.hashes.get(file)
            source, detail = "evidence", f"{file} (sha256 {sha[:12]}…)" if sha else file
        elif _written(self.proposal, key):
            source, detail = "claimed", ""
        else:
            source, detail = "default", ""
        self.rows.append(InputOut(key=key, value=_number(value), source=source, detail=detail))

    def price(self, key: str, price: Price) -> None:
        if price.source == "proposal":
            self.rows.append(InputOut(key=key, value=float(price.usd_per_mtok), source="claimed", detail=""))
        else:
            self.rows.append(InputOut(key=key, value=float(price.usd_per_mtok), source="catalog", detail=price.source))

    def policy(self, key: str, settings: PolicySettings) -> None:
        origin = settings.sources.get(key, "default")
        value = getattr(settings.policy, key)
        source: InputSource = "flag" if origin == "flag" else "default" if origin == "default" else "policy"
        detail = settings.file or "" if source == "policy" else ("built-in defaults" if source == "default" else "")
        self.rows.append(InputOut(key=f"policy.{key}", value=_number(value), source=source, detail=detail))


def _largest_hours(proposal: Proposal, settings: PolicySettings) -> list[str]:
    months = settings.policy.horizon_months
    retrains = (proposal.finetune.retrains_per_year or 0) * months // 12
    lifecycle = proposal.finetune.base_model_lifecycle_months
    rebuilds = months // lifecycle if lifecycle else 0
    times = {"once": 1, "month": months, "retrain": retrains, "rebuild": rebuilds}
    weighed = []
    for key, per in _HOURS:
        value = value_at(proposal, key)
        if value:
            weighed.append((Decimal(value) * times[per], key))
    weighed.sort(key=lambda item: item[0], reverse=True)
    return [key for hours, key in weighed[:_LARGEST_HOURS] if hours > 0]


def _written(proposal: Proposal, key: str) -> bool:
    *sections, name = key.split(".")
    node: Any = proposal
    for section in sections:
        node = getattr(node, section, None)
        if node is None:
            return False
    return name in node.model_fields_set


def _number(value: Any) -> float | None:
    return None if value is None or isinstance(value, bool) else float(value)
