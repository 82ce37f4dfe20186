"""The report's evidence of one proposal, as pydantic models: the files read, what they measured, and the
inputs table (each figure the verdict turned on, with where it came from).

Derived statistics keep their full float precision (a p-value of 3.2e-11 stays 3.2e-11): a report rounds them
only where it shows them in words.
"""

# No `from __future__ import annotations`: pydantic builds these models at import (see report/model.py).

from typing import Literal

from pydantic import Field

from .model_out import Out as _Out

InputSource = Literal["evidence", "catalog", "policy", "flag", "default", "claimed"]


class EvidenceFileOut(_Out):
    kind: Literal["eval", "usage", "serving_benchmark"]
    path: str = Field(description="As the report names it (the proposal's `evidence:` paths, from the run's folder).")
    sha256: str | None = Field(description="Of the bytes judged; `verify` hashes the file again.")


class EvalStatsOut(_Out):
    n: int = Field(description="Examples paired on their ids.")
    prompting_accuracy: float
    finetune_accuracy: float
    b: int = Field(description="Examples prompting got right and the fine-tuned model wrong.")
    c: int = Field(description="Examples the fine-tuned model got right and prompting wrong.")
    p_value: float = Field(description="McNemar's exact two-sided p-value, min(1, 2 P[X <= min(b, c)]).")
    gain: float = Field(description="The fine-tuned model's accuracy gain, (c - b)/n.")
    gain_lower_bound: float = Field(description="The gain's one-sided 95% lower bound.")
    significant: bool = Field(description="p < 0.05.")


class UsageStatsOut(_Out):
    start: str = Field(description="The first day covered (UTC).")
    end: str = Field(description="The day after the last one covered.")
    days: float
    requests: int
    requests_per_month: float = Field(description="requests / days covered × 30.4375.")
    input_tokens_per_request: float
    cached_input_tokens_per_request: float
    output_tokens_per_request: float


class BenchStatsOut(_Out):
    completed: int
    request_throughput: float = Field(description="Requests a second, for the whole benchmarked server.")
    gpus: int
    mean_input_tokens: float
    mean_output_tokens: float


class EvidenceOut(_Out):
    files: list[EvidenceFileOut]
    eval: EvalStatsOut | None = None
    usage: UsageStatsOut | None = None
    serving_benchmark: BenchStatsOut | None = None


class InputOut(_Out):
    key: str = Field(description="The figure's dotted path in the proposal, or `policy.<key>`.")
    value: float | None
    source: InputSource = Field(
        description="evidence (a file), catalog (the price catalog), policy or flag (the reviewers'), default "
        "(not written: the built-in value) or claimed (written in the proposal, checked by nothing)."
    )
    detail: str = Field(description="The file and its sha256, the catalog and its version, the policy file, or ''.")
