"""What the schemas and `tco-gate init` say about a field: its description, its unit and an example value.

Descriptions are the docstrings written under each field of the models, read from their source only when a
schema is generated. Units are read from the field's name (`_usd`, `_hours`, `_pct`, ...), the naming rule
every key follows, so a new key gets its unit without an entry here. Examples are the contract's own worked
proposal and policy; a key without one is shown by `init` as a commented line.
"""

from __future__ import annotations

import ast
import inspect
import sys
from functools import cache
from typing import Any

# Longest suffix first: `_usd_per_mtok` before `_usd`.
_UNITS: tuple[tuple[str, str], ...] = (
    ("_usd_per_mtok", "USD per million tokens"),
    ("_usd_per_gpu", "USD per GPU"),
    ("usd_per_kwh", "USD per kWh"),
    ("watts_per_gpu", "watts per GPU"),
    ("_per_second_per_gpu", "per second per GPU"),
    ("_hourly_usd", "USD an hour"),
    ("_pct_per_year", "percent a year"),
    ("_per_year", "a year"),
    ("_usd", "USD"),
    ("_hours", "hours"),
    ("_pct", "percent"),
    ("_months", "months"),
    ("_ms", "milliseconds"),
    ("_per_request", "tokens a request"),
    ("_per_month", "a month"),
    ("_gpus", "GPUs"),
    ("_accuracy", "fraction in (0, 1]"),
)

# Example values, keyed `section.key` as written in a file (`policy.` for the policy), from the SPEC's worked
# example: the support-triage proposal and the reviewers' default policy.
EXAMPLES: dict[str, Any] = {
    "version": 1,
    "name": "support-triage",
    "owner": "@acme/support-ml",
    "summary": "Fine-tune Llama 3.1 8B to triage support tickets.",
    "as_of": "2026-11-28",
    "workload.requests_per_month": 3000000,
    "workload.monthly_growth_pct": 4,
    "prompting.provider": "openai",
    "prompting.model": "gpt-4.1-mini",
    "prompting.input_usd_per_mtok": 0.40,
    "prompting.output_usd_per_mtok": 1.60,
    "prompting.cached_input_usd_per_mtok": 0.10,
    "prompting.input_tokens_per_request": 2000,
    "prompting.cached_input_tokens_per_request": 1500,
    "prompting.output_tokens_per_request": 150,
    "prompting.price_decline_pct_per_year": 25,
    "prompting.setup_eng_hours": 40,
    "prompting.monthly_eng_hours": 10,
    "prompting.batch_share_pct": 0,
    "prompting.batch_discount_pct": 50,
    "prompting.model_lifecycle_months": 12,
    "prompting.migration_eng_hours": 80,
    "finetune.base_model": "meta-llama/Llama-3.1-8B-Instruct",
    "finetune.training_run_usd": 200,
    "finetune.data_labeling_usd": 6000,
    "finetune.eval_set_build_hours": 160,
    "finetune.monthly_eval_hours": 8,
    "finetune.retrains_per_year": 4,
    "finetune.retrain_eng_hours": 24,
    "finetune.monthly_serving_usd": 3000,
    "finetune.monthly_eng_hours": 40,
    "finetune.monthly_monitoring_usd": 150,
    "finetune.base_model_lifecycle_months": 18,
    "finetune.rebuild_usd": 2000,
    "finetune.rebuild_eng_hours": 60,
    "serving.gpu_hourly_usd": 0.80,
    "serving.output_tokens_per_request": 150,
    "serving.output_tokens_per_second_per_gpu": 500,
    "serving.input_tokens_per_request": 300,
    "serving.input_tokens_per_second_per_gpu": 20000,
    "serving.requests_per_second_per_gpu": 45,
    "serving.target_utilization_pct": 60,
    "serving.peak_to_average": 3,
    "serving.failover_gpus": 1,
    "serving.min_gpus": 1,
    "serving.gpus_per_replica": 2,
    "serving.regions": 2,
    "serving.autoscaling": True,
    "committed.gpus": 4,
    "committed.monthly_usd_per_gpu": 1100,
    "committed.purchase_usd_per_gpu": 30000,
    "committed.depreciation_months": 36,
    "committed.watts_per_gpu": 700,
    "committed.pue": 1.3,
    "committed.usd_per_kwh": 0.12,
    "committed.monthly_licence_usd_per_gpu": 375,
    "hosted.provider": "openai",
    "hosted.model": "ft:gpt-4o-mini-2024-07-18",
    "hosted.input_usd_per_mtok": 0.80,
    "hosted.cached_input_usd_per_mtok": 0.20,
    "hosted.output_usd_per_mtok": 3.20,
    "hosted.input_tokens_per_request": 300,
    "hosted.cached_input_tokens_per_request": 0,
    "hosted.output_tokens_per_request": 12,
    "hosted.monthly_hosting_usd": 0,
    "hosted.price_decline_pct_per_year": 0,
    "evaluation.eval_set": "evals/triage.jsonl",
    "evaluation.finetune_accuracy": 0.92,
    "evaluation.prompting_accuracy": 0.81,
    "evaluation.prompting_accuracy_gain_per_year": 0.03,
    "evaluation.cost_per_error_usd": 0.40,
    "constraints.data_residency": "EU customer PII; no approved hosted provider in region",
    "constraints.max_latency_ms": 40,
    "eval.format": "inspect",
    "eval.prompting": "evals/prompting.json",
    "eval.finetuned": "evals/finetuned.json",
    "eval.file": "evals/results.json",
    "eval.prompting_provider": "openai:gpt-4.1-mini",
    "eval.finetuned_provider": "vllm:triage-ft",
    "eval.scorer": "match",
    "usage.format": "openai-usage",
    "usage.file": "usage/2026-q4.json",
    "usage.model": "gpt-4.1-mini",
    "serving_benchmark.format": "vllm-bench",
    "serving_benchmark.file": "bench/h100-triage.json",
    "serving_benchmark.gpus": 1,
    "policy.horizon_months": 24,
    "policy.min_savings_pct": 10,
    "policy.hourly_rate_usd": 150,
    "policy.discount_rate_pct_per_year": 0,
    "exemptions.latency_under_ms": 50,
    "exemptions.accuracy_gap_pct": 10,
    "waivers.proposal": "support-triage",
    "waivers.reason": "Pilot approved in ARB-142",
    "waivers.approved_by": "@acme/arch-review",
    "waivers.expires": "2027-03-31",
    "approvals.proposal": "discharge-coding-eu",
    "approvals.exemption": "data-residency",
    "approvals.reason": "Residency confirmed by legal, ARB-150",
    "approvals.approved_by": "@acme/arch-review",
    "approvals.expires": "2027-06-30",
}


def unit(key: str) -> str | None:
    """The unit a key's value is in, read from its name; None for a key without one (a name, a date)."""
    for suffix, words in _UNITS:
        if key.endswith(suffix):
            return words
    return None


# Headings a key's words cannot give: abbreviations keep their capitals.
_TITLES = {
    "gpus": "GPUs",
    "gpus_per_replica": "GPUs per replica",
    "pue": "PUE (power usage effectiveness)",
    "usd_per_kwh": "Electricity (USD per kWh)",
    "watts_per_gpu": "Power draw (watts per GPU)",
}


def title(key: str) -> str:
    """A key as a heading: `training_run_usd` -> `Training run (USD)`."""
    if key in _TITLES:
        return _TITLES[key]
    words = key
    unit_words = unit(key)
    for suffix, _ in _UNITS:
        if key.endswith(suffix) and suffix not in ("_per_request", "_accuracy", "_gpus"):
            words = key.removesuffix(suffix)
            break
    text = words.replace("_", " ").strip().capitalize()
    return f"{text} ({unit_words})" if unit_words else text


# The `section.` an example key starts with, by model: the key the section is written under in a file.
_PREFIXES = {
    "Proposal": "",
    "Workload": "workload",
    "Prompting": "prompting",
    "Finetune": "finetune",
    "Serving": "serving",
    "Committed": "committed",
    "HostedFinetune": "hosted",
    "Evaluation": "evaluation",
    "Constraints": "constraints",
    "EvalEvidence": "eval",
    "UsageEvidence": "usage",
    "ServingBenchmark": "serving_benchmark",
    "Policy": "policy",
    "Exemptions": "exemptions",
    "Waiver": "waivers",
    "Approval": "approvals",
}


def example_prefix(model_name: str) -> str | None:
    """The prefix of a model's keys in EXAMPLES; None for a model with no examples (the report's)."""
    return _PREFIXES.get(model_name)


def attribute_doc(cls: type, name: str) -> str | None:
    """The docstring written under attribute `name` in the class that declares it (`cls` or a base), cleaned
    as `inspect.cleandoc` does; None when it has none or its source cannot be read.

    The models' schema descriptions come from here, as pydantic's `use_attribute_docstrings` would give them,
    but only when a schema is generated (`tco-gate schema`, `init`, explaining an invalid file). With that
    option pydantic reads and parses each model's source while building the class, on every run of every
    command: about a seventh of the start-up of a check that never shows a description.
    """
    for owner in cls.__mro__:
        if name in inspect.get_annotations(owner):  # its own annotations, not inherited ones
            return _class_docs(owner.__module__).get(owner.__qualname__, {}).get(name)
    return None


@cache
def _class_docs(module: str) -> dict[str, dict[str, str]]:
    """Each top-level class of `module` -> its attributes' docstrings: a string statement right after an
    annotated assignment to a plain name, the rule pydantic follows."""
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (KeyError, OSError, TypeError):  # no source shipped: no descriptions, as with pydantic's option
        return {}
    docs: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            docs[node.name] = {
                before.target.id: inspect.cleandoc(after.value.value)
                for before, after in zip(node.body, node.body[1:], strict=False)
                if isinstance(before, ast.AnnAssign)
                and isinstance(before.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            }
    return docs
