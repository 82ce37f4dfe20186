"""A load test of the fine-tuned model's server: the JSON that `vllm bench serve --save-result` writes.

Field names are vLLM's own (vllm-project/vllm, vllm/benchmarks/serve.py: the result of `benchmark()` has
`completed`, `failed`, `total_input_tokens`, `total_output_tokens` and `request_throughput` in requests per
second; `main` adds `model_id`, `request_rate` and `max_concurrency` before `--save-result` writes it).
The measured rate is the server's; serving form (c) wants one GPU's (or one replica's) share of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..errors import Finding
from .jsontext import JsonText, parse_json, shown

SHAPE_TOLERANCE = Fraction(1, 4)
"""A load test whose mean request differs from the proposal's by more than this measured another workload."""


@dataclass(frozen=True)
class BenchFigures:
    """What the load test measured, for the whole server it ran against."""

    completed: int
    request_throughput: Decimal
    """Requests per second, as vLLM wrote it."""
    total_input_tokens: int
    total_output_tokens: int
    model_id: str | None = None
    warnings: tuple[Finding, ...] = ()

    @property
    def mean_input_tokens(self) -> Fraction:
        return Fraction(self.total_input_tokens, self.completed)

    @property
    def mean_output_tokens(self) -> Fraction:
        return Fraction(self.total_output_tokens, self.completed)

    def requests_per_second_per_gpu(self, gpus: int, gpus_per_replica: int = 1) -> Decimal:
        """Serving form (c): the server's rate / its GPUs, or / its replicas when a replica is several GPUs."""
        return self.request_throughput / (Decimal(gpus) / gpus_per_replica)


def read_vllm_bench(data: bytes, path: str) -> BenchFigures:
    """The figures of one `--save-result` file (one run: `--append-result` files hold several and are refused)."""
    result = parse_json(data, path, exact=True)
    if not isinstance(result.data, dict) or "request_throughput" not in result.data:
        raise result.error([], "not a `vllm bench serve --save-result` file: `request_throughput` is missing")
    completed = _whole(result, "completed", least=1)
    throughput = result.data["request_throughput"]
    if isinstance(throughput, int) and not isinstance(throughput, bool):
        throughput = Decimal(throughput)
    if not isinstance(throughput, Decimal) or not throughput.is_finite() or throughput <= 0:
        raise result.error(
            ["request_throughput"], f"`request_throughput` must be a number above 0, not {shown(throughput)}"
        )
    warnings: list[Finding] = []
    failed = result.data.get("failed")
    if isinstance(failed, int) and not isinstance(failed, bool) and failed > 0:
        message = f"{failed} of {failed + completed} requests failed in the load test; the rate counts completed ones"
        warnings.append(result.finding("warning", ["failed"], message))
    model_id = result.data.get("model_id")
    return BenchFigures(
        completed,
        throughput,
        _whole(result, "total_input_tokens"),
        _whole(result, "total_output_tokens"),
        model_id if isinstance(model_id, str) else None,
        tuple(warnings),
    )


def shape_differs(measured: Fraction, proposed: Fraction | Decimal) -> bool:
    """Whether a load test's mean tokens a request is more than 25% away from the proposal's."""
    proposed = Fraction(proposed)
    if proposed == 0:
        return measured != 0
    return abs(measured - proposed) / proposed > SHAPE_TOLERANCE


def _whole(result: JsonText, key: str, least: int = 0) -> int:
    value = result.data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise result.error([key], f"`{key}` must be a whole number of at least {least}, not {shown(value)}")
    return value
