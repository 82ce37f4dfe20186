"""The `evidence:` section of a proposal and what a policy asks of evidence and claims, as pydantic models.

A proposal names machine-written files (eval logs, a usage export, a load test) whose figures the gate reads
instead of the typed ones; a policy may require kinds of evidence, bound the figures still claimed, and hold
written prices to the catalog's.
"""

# No `from __future__ import annotations` here: pydantic builds these models at import (see model_base.py).

from decimal import Decimal
from typing import Annotated, Any, Literal, Self, get_args, get_origin

from pydantic import BaseModel, Field, model_validator

from .model_base import AS_DECIMAL, NonEmptyText, StrictModel, cross_field

EvalFormat = Literal["inspect", "promptfoo", "lm-eval", "jsonl"]
_TWO_FILES = ("prompting", "finetuned")
_ONE_FILE = ("file", "prompting_provider", "finetuned_provider")


class EvalEvidence(StrictModel):
    format: EvalFormat
    """The tool that wrote the eval logs: inspect, promptfoo, lm-eval or jsonl."""
    prompting: NonEmptyText | None = None
    """The prompting system's log, relative to this file (inspect, lm-eval, jsonl)."""
    finetuned: NonEmptyText | None = None
    """The fine-tuned model's log, relative to this file (inspect, lm-eval, jsonl)."""
    file: NonEmptyText | None = None
    """promptfoo: the one results file holding both systems, relative to this file."""
    prompting_provider: NonEmptyText | None = None
    """promptfoo: the prompting system's provider label (else its id)."""
    finetuned_provider: NonEmptyText | None = None
    """promptfoo: the fine-tuned model's provider label (else its id)."""
    scorer: NonEmptyText | None = None
    """inspect: the scorer that decides; lm-eval: the metric (`acc`, or `metric,filter`). Default: the only one."""

    @model_validator(mode="after")
    def _files_of_the_format(self) -> Self:
        needed, refused = (_ONE_FILE, _TWO_FILES) if self.format == "promptfoo" else (_TWO_FILES, _ONE_FILE)
        for key in refused:
            if getattr(self, key) is not None:
                raise cross_field(key, f"`{key}` does not go with `format: {self.format}`: give {_listed(needed)}")
        for key in needed:
            if getattr(self, key) is None:
                raise cross_field("format", f"`format: {self.format}` needs {_listed(needed)}")
        if self.scorer is not None and self.format not in ("inspect", "lm-eval"):
            raise cross_field(
                "scorer", f"`scorer` chooses among an inspect log's scorers or lm-eval's metrics, not {self.format}'s"
            )
        return self


class UsageEvidence(StrictModel):
    format: Literal["openai-usage", "csv"]
    """openai-usage (the Usage API's completions pages, JSON) or csv (month,requests,input_tokens,...)."""
    file: NonEmptyText
    """The export, relative to this file."""
    model: NonEmptyText | None = None
    """openai-usage: only this model's rows (and its dated snapshots); default all rows."""

    @model_validator(mode="after")
    def _model_only_for_the_api(self) -> Self:
        if self.model is not None and self.format != "openai-usage":
            raise cross_field("model", "`model` picks rows of an openai-usage export; a csv has one model's rows")
        return self


class ServingBenchmark(StrictModel):
    format: Literal["vllm-bench"]
    """vllm-bench: the JSON that `vllm bench serve --save-result` writes."""
    file: NonEmptyText
    """The result file, relative to this file."""
    gpus: Annotated[int, Field(ge=1, le=10_000)] = 1
    """GPUs the benchmarked server used."""


class Evidence(StrictModel):
    """Machine-written files the gate reads figures from, instead of trusting the ones typed above."""

    eval: EvalEvidence | None = None
    """Both systems' per-example results on the same eval set."""
    usage: UsageEvidence | None = None
    """The prompting system's traffic today: replaces the volume and prompting's tokens a request."""
    serving_benchmark: ServingBenchmark | None = None
    """A load test of the fine-tuned model's server: replaces the GPU throughput."""


def _listed(keys: tuple[str, ...]) -> str:
    return ", ".join(f"`{key}`" for key in keys[:-1]) + f" and `{keys[-1]}`"


EvidenceKind = Literal["eval", "usage", "serving_benchmark"]
PriceRule = Literal["written-wins", "catalog"]


class PolicyEvidence(StrictModel):
    require: list[EvidenceKind] = Field(default_factory=list)
    """Kinds of evidence every proposal must carry (eval, usage, serving_benchmark); missing: it fails."""


class Bound(StrictModel):
    min: Annotated[Decimal, AS_DECIMAL] | None = None
    """The least a claimed figure may be."""
    max: Annotated[Decimal, AS_DECIMAL] | None = None
    """The most a claimed figure may be."""

    @model_validator(mode="after")
    def _a_range(self) -> Self:
        if self.min is None and self.max is None:
            raise cross_field("min", "a bound needs `min`, `max` or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise cross_field("max", f"`max: {self.max}` is below `min: {self.min}`")
        return self


def value_at(model: BaseModel, path: str) -> Any:
    """The value at a dotted path (`prompting.monthly_eng_hours`) of a loaded proposal; None where a section or
    the key is absent."""
    node: Any = model
    for name in path.split("."):
        node = getattr(node, name, None)
        if node is None:
            return None
    return node


def numeric_paths(proposal: type[BaseModel]) -> dict[str, type]:
    """Every number a proposal can claim, by dotted path (`prompting.monthly_eng_hours`): what bounds may name."""
    found: dict[str, type] = {}

    def visit(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            for kind in _leaf_types(field.annotation):
                if isinstance(kind, type) and issubclass(kind, BaseModel):
                    visit(kind, f"{prefix}{name}.")
                elif kind in (int, Decimal):
                    found[f"{prefix}{name}"] = kind

    visit(proposal, "")
    return found


def _leaf_types(annotation: Any) -> list[Any]:
    """The plain types an annotation may hold: through Optional, unions and Annotated."""
    if get_origin(annotation) is Annotated:
        return _leaf_types(get_args(annotation)[0])
    if get_args(annotation) and get_origin(annotation) is not Literal:
        return [leaf for arg in get_args(annotation) for leaf in _leaf_types(arg)]
    return [annotation]
