"""Small builders for valid proposals and policies, so each test states only what it is about."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tco_gate.catalog import Price, Prices
from tco_gate.models import Policy, Proposal
from tests.paths import EXAMPLES

FAILING = EXAMPLES / "support-triage" / "finetune-proposal.yml"  # loses by ~255% under the defaults

# One GPU at $1/h is $730 a month, $17,520 over 24 months. 2,628 output tokens at 700 tokens/s is
# 3.754 s a request, so one GPU at 100% serves 730·3600/3.754 = 700,000 requests a month.
GPU_700K: dict[str, Any] = {
    "gpu_hourly_usd": 1,
    "output_tokens_per_request": 2628,
    "output_tokens_per_second_per_gpu": 700,
    "target_utilization_pct": 100,
    "peak_to_average": 1,
    "failover_gpus": 0,
    "min_gpus": 1,
}

MINIMAL: dict[str, Any] = {
    "version": 1,
    "name": "test-proposal",
    "owner": "@acme/ml",
    "workload": {"requests_per_month": 1_000_000},
    "prompting": {
        "input_usd_per_mtok": Decimal("1"),
        "output_usd_per_mtok": Decimal("2"),
        "input_tokens_per_request": 1000,
        "output_tokens_per_request": 100,
        "price_decline_pct_per_year": 0,
    },
    "finetune": {
        "base_model": "meta-llama/Llama-3.1-8B-Instruct",
        "training_run_usd": 0,
        "eval_set_build_hours": 0,
        "retrains_per_year": 0,
        "monthly_serving_usd": 0,
        "monthly_eng_hours": 0,
        "base_model_lifecycle_months": 1200,
    },
}


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _decimals(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def proposal_data(**sections: Any) -> dict[str, Any]:
    """MINIMAL with sections merged in; a value of None removes that key."""
    return _merge(MINIMAL, _decimals(sections))


def proposal(**sections: Any) -> Proposal:
    return Proposal.model_validate(proposal_data(**sections))


def policy(**fields: Any) -> Policy:
    return Policy.model_validate(_decimals(fields))


def prices(input_: str = "1", cached: str | None = None, output: str = "2") -> Prices:
    return Prices(
        input=Price(Decimal(input_), "proposal"),
        cached_input=Price(Decimal(cached if cached is not None else input_), "proposal"),
        output=Price(Decimal(output), "proposal"),
    )


# GPUs sized by decode alone: 400 output tokens a second, 150 a request, at three times the average at peak.
DECODE_SIZED: dict[str, Any] = {
    "gpu_hourly_usd": 1.006,
    "output_tokens_per_request": 150,
    "output_tokens_per_second_per_gpu": 400,
    "peak_to_average": 3,
}

# A provider-hosted fine-tune billed per token, with a monthly hosting fee.
HOSTED_FINETUNE: dict[str, Any] = {
    "input_usd_per_mtok": 0.8,
    "output_usd_per_mtok": 3.2,
    "input_tokens_per_request": 300,
    "output_tokens_per_request": 12,
    "monthly_hosting_usd": 40,
}

# How fine-tuning is served, one of each form: flat monthly, sized by decode, by decode and prefill (with failover
# and a floor), by a measured request rate, and a provider-hosted fine-tune; then the fleets of part 2: replicas
# of two GPUs in two regions, autoscaled; a reserved fleet with burst beyond it; an owned fleet with nothing beyond
# it (so capacity can fail); and a hosted fine-tune whose price falls. For property tests over the models.
SERVING_FORMS: st.SearchStrategy[dict[str, Any]] = st.sampled_from(
    [
        {"monthly_serving_usd": 2500},
        {"monthly_serving_usd": None, "serving": DECODE_SIZED},
        {
            "monthly_serving_usd": None,
            "serving": {
                "gpu_hourly_usd": 2.5,
                "output_tokens_per_request": 12,
                "output_tokens_per_second_per_gpu": 1500,
                "input_tokens_per_request": 300,
                "input_tokens_per_second_per_gpu": 20000,
                "failover_gpus": 2,
                "min_gpus": 2,
                "target_utilization_pct": 75,
            },
        },
        {"monthly_serving_usd": None, "serving": {"gpu_hourly_usd": 3.78, "requests_per_second_per_gpu": 45}},
        {
            "monthly_serving_usd": None,
            "hosted": {
                "input_usd_per_mtok": 0.8,
                "output_usd_per_mtok": 3.2,
                "cached_input_usd_per_mtok": 0.2,
                "input_tokens_per_request": 300,
                "cached_input_tokens_per_request": 100,
                "output_tokens_per_request": 12,
                "monthly_hosting_usd": 40,
            },
        },
        {
            "monthly_serving_usd": None,
            "serving": {
                "gpu_hourly_usd": 2.2,
                "requests_per_second_per_gpu": 9,
                "gpus_per_replica": 2,
                "regions": 2,
                "min_gpus": 2,
                "peak_to_average": 2.5,
                "autoscaling": True,
            },
        },
        {
            "monthly_serving_usd": None,
            "serving": {
                "gpu_hourly_usd": 3.1,
                "output_tokens_per_request": 150,
                "output_tokens_per_second_per_gpu": 900,
                "peak_to_average": 2,
                "committed": {"gpus": 3, "monthly_usd_per_gpu": 1400},
            },
        },
        {
            "monthly_serving_usd": None,
            "serving": {
                "requests_per_second_per_gpu": 10,
                "regions": 3,
                "peak_to_average": 1.5,
                "target_utilization_pct": 80,
                "committed": {
                    "gpus": 12,
                    "purchase_usd_per_gpu": 28000,
                    "depreciation_months": 30,
                    "watts_per_gpu": 1100,
                    "pue": 1.35,
                    "usd_per_kwh": 0.11,
                    "monthly_licence_usd_per_gpu": 375,
                },
            },
        },
        {"monthly_serving_usd": None, "hosted": {**HOSTED_FINETUNE, "price_decline_pct_per_year": 35}},
    ]
)
# What an error costs, for the property tests: none written, or a price on each option's wrong answers.
ERROR_PRICES: st.SearchStrategy[dict[str, Any] | None] = st.sampled_from(
    [
        None,
        {"eval_set": "e", "finetune_accuracy": 0.93, "prompting_accuracy": 0.81, "cost_per_error_usd": 0.05},
        {
            "eval_set": "e",
            "finetune_accuracy": 0.9,
            "prompting_accuracy": 0.84,
            "prompting_accuracy_gain_per_year": 0.07,
            "cost_per_error_usd": 0.4,
        },
    ]
)


def with_constraints(tmp_path: Path, constraints: str) -> Path:
    """The failing example with a `constraints:` section appended (its last line, so its lines are known)."""
    path = tmp_path / "finetune-proposal.yml"
    path.write_text(FAILING.read_text(encoding="utf-8") + f"\nconstraints:\n{constraints}", encoding="utf-8")
    return path


def line_of(path: Path, key: str) -> int:
    """The 1-based line on which `key:` is first written."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.lstrip().startswith(f"{key}:"))
