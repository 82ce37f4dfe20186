"""The `vllm bench serve --save-result` JSON (tests/evidence/writers.py writes it as vLLM does)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest

from tco_gate.errors import InputError
from tco_gate.evidence.vllm_bench import read_vllm_bench, shape_differs
from tests.evidence.writers import vllm_file, vllm_result


def refused(data: bytes) -> tuple[str, int | None, int | None]:
    with pytest.raises(InputError) as caught:
        read_vllm_bench(data, "bench/h100.json")
    (finding,) = caught.value.findings
    assert finding.path == "bench/h100.json"
    return finding.message, finding.line, finding.column


def test_the_figures_of_one_run() -> None:
    data = vllm_file(vllm_result(completed=1000, duration=80.0, input_tokens=310_000, output_tokens=12_000))
    figures = read_vllm_bench(data, "b.json")
    assert figures.request_throughput == Decimal("12.5")
    assert (figures.completed, figures.mean_input_tokens, figures.mean_output_tokens) == (
        1000,
        Fraction(310),
        Fraction(12),
    )
    assert figures.model_id == "acme/triage-ft"
    assert figures.requests_per_second_per_gpu(1) == Decimal("12.5")
    assert figures.requests_per_second_per_gpu(4) == Decimal("3.125")
    assert figures.requests_per_second_per_gpu(4, gpus_per_replica=2) == Decimal("6.25")  # two replicas of two GPUs
    assert figures.warnings == ()


def test_the_rate_is_read_exactly_as_written() -> None:
    data = (
        b'{"completed": 3, "request_throughput": 11.834319526627219, "total_input_tokens": 9, "total_output_tokens": 3}'
    )
    assert read_vllm_bench(data, "b").request_throughput == Decimal("11.834319526627219")
    assert read_vllm_bench(data.replace(b"11.834319526627219", b"12"), "b").request_throughput == 12


def test_failed_requests_are_a_warning() -> None:
    data = vllm_file(vllm_result(completed=990, failed=10))
    (warning,) = read_vllm_bench(data, "b.json").warnings
    assert warning.message == "10 of 1000 requests failed in the load test; the rate counts completed ones"
    assert (warning.level, warning.path) == ("warning", "b.json")
    assert (warning.line, warning.column) == (1, data.decode().index('"failed": 10') + 11)


def test_a_rate_below_one_request_a_second_is_a_rate() -> None:
    data = vllm_file(vllm_result(completed=40, duration=80.0))
    assert read_vllm_bench(data, "b.json").request_throughput == Decimal("0.5")


def test_the_least_counts_are_accepted() -> None:
    data = vllm_file(vllm_result(completed=1, duration=2.0, input_tokens=0, output_tokens=0))
    figures = read_vllm_bench(data, "b.json")
    assert (figures.completed, figures.total_input_tokens, figures.total_output_tokens) == (1, 0, 0)


@pytest.mark.parametrize("model_id", [None, 7, ["acme/triage-ft"]])
def test_a_model_id_that_is_not_text_is_no_model_id(model_id: object) -> None:
    result = vllm_result()
    result["model_id"] = model_id
    assert read_vllm_bench(vllm_file(result), "b.json").model_id is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"request_throughput": float("nan")}, "`request_throughput` must be a number above 0, not NaN"),
        ({"request_throughput": 0}, "`request_throughput` must be a number above 0, not 0"),
        ({"request_throughput": "12"}, '`request_throughput` must be a number above 0, not "12"'),
        ({"completed": 0}, "`completed` must be a whole number of at least 1, not 0"),
        ({"completed": 10.0}, "`completed` must be a whole number of at least 1, not 10.0"),
        ({"total_output_tokens": None}, "`total_output_tokens` must be a whole number of at least 0, not null"),
    ],
)
def test_bad_figures_are_errors_at_their_place(change: dict[str, object], message: str) -> None:
    result = vllm_result()
    result.update(change)
    data = vllm_file(result)
    text, line, column = refused(data)
    assert text == message
    key = next(iter(change))
    assert (line, column) == (1, data.decode().index(f'"{key}": ') + len(key) + 5)


def test_not_a_bench_result_and_appended_results() -> None:
    assert (
        refused(b'{"completed": 3}')[0]
        == "not a `vllm bench serve --save-result` file: `request_throughput` is missing"
    )
    one = vllm_file(vllm_result())
    text, line, _ = refused(one + b"\n" + one)  # what `--append-result` writes
    assert text == "not valid JSON: more text after the document's end (two documents in one file?)" and line == 2
    result = vllm_result()
    del result["total_input_tokens"]
    assert refused(json.dumps(result).encode()) == (  # a missing key: the error is at the document's start
        "`total_input_tokens` must be a whole number of at least 0, not null",
        1,
        1,
    )


def test_a_load_test_of_another_request_shape() -> None:
    assert not shape_differs(Fraction(310), Decimal(300))
    assert not shape_differs(Fraction(375), Decimal(300))  # 25% exactly is the same shape
    assert shape_differs(Fraction(376), Decimal(300))
    assert shape_differs(Fraction(224), Decimal(300))
    assert shape_differs(Fraction(1), Decimal(0)) and not shape_differs(Fraction(0), Decimal(0))
