"""Measured figures into a loaded proposal: fill what the author left out, refuse what disagrees, note the source.

The pass runs between the loader (after ranges are read out) and validation, like the ranges pass: the models,
the ledger and every analysis then see one plain proposal whose figures came from the evidence, and never know
that evidence exists. A written figure must agree with the measured one (accuracies to 3 decimals; volume,
tokens and throughput within 5%): otherwise an error at the written value's pointer. Whatever agrees is replaced
by the measured figure, exact, so the costing reads the evidence and not a rounded copy of it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..errors import Finding
from ..loader import Document
from .agreement import accuracy_agrees, accuracy_message, as_decimal, relative_message, shown, within_five_percent
from .stats import PairedFigures
from .usage import UsageFigures
from .vllm_bench import BenchFigures, shape_differs


@dataclass(frozen=True)
class Measured:
    """What a proposal's evidence files gave, each kind with the path(s) a message names it by."""

    eval: PairedFigures | None = None
    eval_path: str = ""
    """The file both systems' results came from, or the prompting system's where each has its own."""
    eval_finetuned_path: str = ""
    """The fine-tuned model's own file, where each system has one."""
    usage: UsageFigures | None = None
    usage_path: str = ""
    bench: BenchFigures | None = None
    bench_path: str = ""
    bench_gpus: int = 1


@dataclass(frozen=True)
class Applied:
    """The proposal with the measured figures in it, the problems found, and which figures were measured."""

    document: Document
    findings: tuple[Finding, ...]
    measured: dict[str, str] = field(default_factory=dict)
    """JSON pointer of each figure that now comes from evidence -> the file it came from."""


_THROUGHPUT = (
    "output_tokens_per_second_per_gpu",
    "input_tokens_per_second_per_gpu",
    "requests_per_second_per_gpu",
    "output_tokens_per_request",
    "input_tokens_per_request",
)


def apply_measured(document: Document, measured: Measured) -> Applied:
    """The document with every measured figure in place of (or beside) the written one."""
    if not isinstance(document.data, dict) or not (measured.eval or measured.usage or measured.bench):
        return Applied(document, ())
    data = copy.deepcopy(document.data)
    work = _Work(data)
    if measured.eval is not None:
        _apply_eval(work, measured.eval, measured.eval_path, measured.eval_finetuned_path or measured.eval_path)
    if measured.usage is not None:
        _apply_usage(work, measured.usage, measured.usage_path)
    if measured.bench is not None:
        _apply_bench(work, measured.bench, measured.bench_path, measured.bench_gpus)
    return Applied(Document(data, document.values, document.keys), tuple(work.findings), work.measured)


@dataclass
class _Work:
    data: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    measured: dict[str, str] = field(default_factory=dict)

    def section(self, *keys: str) -> dict[str, Any] | None:
        """The mapping at `keys`, made when absent; None when something other than a mapping is written there."""
        node: Any = self.data
        for key in keys:
            if key not in node or node[key] is None:
                node[key] = {}
            node = node[key]
            if not isinstance(node, dict):
                return None
        return node if isinstance(node, dict) else None

    def put(self, keys: tuple[str, ...], value: Decimal, path: str) -> None:
        """The measured value at `keys`, unless something other than a number is written there (validation's)."""
        *parents, key = keys
        section = self.section(*parents)
        if section is not None and (key not in section or self.written(keys) is not None):
            section[key] = value
            self.measured["/" + "/".join(keys)] = path

    def error(self, keys: tuple[str, ...], message: str) -> None:
        self.findings.append(Finding("error", message, "/" + "/".join(keys)))

    def warning(self, keys: tuple[str, ...], message: str) -> None:
        self.findings.append(Finding("warning", message, "/" + "/".join(keys)))

    def written(self, keys: tuple[str, ...]) -> Decimal | None:
        """The number written at `keys`, or None (absent, or not a number: validation words that)."""
        node: Any = self.data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        if isinstance(node, bool) or not isinstance(node, int | Decimal):
            return None
        return Decimal(node)


def _apply_eval(work: _Work, figures: PairedFigures, path: str, finetuned_path: str) -> None:
    sides = (
        ("finetune_accuracy", figures.finetuned_accuracy, figures.finetuned_correct, finetuned_path),
        ("prompting_accuracy", figures.prompting_accuracy, figures.prompting_correct, path),
    )
    for key, accuracy, correct, path in sides:
        keys = ("evaluation", key)
        written = work.written(keys)
        if written is not None and not accuracy_agrees(written, accuracy):
            work.error(keys, accuracy_message(key, written, accuracy, correct, figures.n, path))
        work.put(keys, as_decimal(accuracy), path)
    evaluation = work.section("evaluation")
    if evaluation is not None and "eval_set" not in evaluation:
        evaluation["eval_set"] = path


def _apply_usage(work: _Work, usage: UsageFigures, path: str) -> None:
    figures = (
        ("workload", "requests_per_month", "requests a month", usage.requests_per_month),
        ("prompting", "input_tokens_per_request", "input tokens a request", usage.input_tokens_per_request),
        (
            "prompting",
            "cached_input_tokens_per_request",
            "cached input tokens a request",
            usage.cached_input_tokens_per_request,
        ),
        ("prompting", "output_tokens_per_request", "output tokens a request", usage.output_tokens_per_request),
    )
    for section, key, what, value in figures:
        written = work.written((section, key))
        if written is not None and not within_five_percent(written, value):
            work.error((section, key), relative_message(key, written, value, what, path))
        work.put((section, key), as_decimal(value), path)


def _apply_bench(work: _Work, bench: BenchFigures, path: str, gpus: int) -> None:
    serving = work.data.get("finetune", {}).get("serving") if isinstance(work.data.get("finetune"), dict) else None
    if not isinstance(serving, dict):
        work.error(
            ("evidence", "serving_benchmark"),
            "a serving benchmark measures GPUs: it needs serving sized from the workload (`finetune.serving`)",
        )
        return
    per_replica = serving.get("gpus_per_replica")  # 1 unless a whole number is written (validation judges the rest)
    per_replica = per_replica if isinstance(per_replica, int) and not isinstance(per_replica, bool) else 1
    if per_replica < 1 or gpus % per_replica:
        work.error(
            ("evidence", "serving_benchmark", "gpus"),
            f"the benchmarked server's {gpus} GPUs are not whole replicas of {per_replica} GPUs",
        )
        return
    rate = bench.requests_per_second_per_gpu(gpus, per_replica)
    written_rate, key = _written_rate(work)
    if written_rate is not None and not within_five_percent(written_rate, rate):
        work.error(
            ("finetune", "serving", key),
            f"the throughput written ({written_rate.quantize(Decimal('0.01'))} requests a second per "
            f"{'replica' if per_replica > 1 else 'GPU'}) is more than 5% from the load test in {path}: "
            f"{shown(rate, 2)}; write the measured rate or leave the throughput to the evidence",
        )
    _shape_warnings(work, bench, serving, path)
    for name in _THROUGHPUT:
        serving.pop(name, None)  # form (c) alone: the measured rate, no token keys beside it
    work.put(("finetune", "serving", "requests_per_second_per_gpu"), rate, path)


def _written_rate(work: _Work) -> tuple[Decimal | None, str]:
    """The request rate per GPU (or replica) the written throughput keys imply, and the key to point at."""
    base = ("finetune", "serving")
    rate = work.written((*base, "requests_per_second_per_gpu"))
    if rate is not None:
        return rate, "requests_per_second_per_gpu"
    out_tokens, out_rate = (
        work.written((*base, "output_tokens_per_request")),
        work.written((*base, "output_tokens_per_second_per_gpu")),
    )
    if out_tokens is None or out_rate is None or out_rate == 0:
        return None, ""
    seconds = Fraction(out_tokens) / Fraction(out_rate)
    in_tokens, in_rate = (
        work.written((*base, "input_tokens_per_request")),
        work.written((*base, "input_tokens_per_second_per_gpu")),
    )
    if in_tokens is not None and in_rate:
        seconds += Fraction(in_tokens) / Fraction(in_rate)
    return (as_decimal(1 / seconds) if seconds else None), "output_tokens_per_second_per_gpu"


def _shape_warnings(work: _Work, bench: BenchFigures, serving: dict[str, Any], path: str) -> None:
    """A load test of requests unlike the proposal's measured another workload: say so, on the benchmark key."""
    written = work.data.get("prompting")
    prompting: dict[str, Any] = written if isinstance(written, dict) else {}
    shapes = (
        (
            "output",
            bench.mean_output_tokens,
            serving.get("output_tokens_per_request", prompting.get("output_tokens_per_request")),
        ),
        ("input", bench.mean_input_tokens, serving.get("input_tokens_per_request")),
    )
    for side, measured, proposed in shapes:
        if (
            isinstance(proposed, int | Decimal)
            and not isinstance(proposed, bool)
            and shape_differs(measured, Decimal(proposed))
        ):
            work.warning(
                ("evidence", "serving_benchmark"),
                f"the load test in {path} averaged {shown(measured, 0)} {side} tokens a request, the proposal "
                f"{proposed}: more than 25% apart, so it measured another request shape",
            )
