"""Measured figures into a loaded proposal: filled where left out, refused where a written one disagrees."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from fractions import Fraction

from tco_gate.evidence.apply import Measured, apply_measured
from tco_gate.evidence.stats import PairedFigures
from tco_gate.evidence.usage import UsageFigures
from tco_gate.evidence.vllm_bench import BenchFigures
from tco_gate.loader import load

EVAL = PairedFigures(n=400, prompting_correct=324, finetuned_correct=368, b=12, c=56)
USAGE = UsageFigures(
    3_000_000, 6_300_000_000, 4_500_000_000, 450_000_000, date(2026, 10, 1), date(2026, 10, 31), Fraction(30)
)
BENCH = BenchFigures(
    completed=1000, request_throughput=Decimal("12.5"), total_input_tokens=300_000, total_output_tokens=150_000
)

PROPOSAL = """\
workload:
  monthly_growth_pct: 4
prompting:
  model: gpt-4.1-mini
finetune:
  serving:
    gpu_hourly_usd: 1
"""


def applied(text: str, **measured: object) -> tuple[dict[str, object], list[tuple[str, str, str]], dict[str, str]]:
    result = apply_measured(load(text.encode()), Measured(**measured))  # type: ignore[arg-type]
    return result.document.data, [(f.level, f.pointer, f.message) for f in result.findings], result.measured


def test_left_out_figures_come_from_the_evidence_exactly() -> None:
    data, findings, measured = applied(
        PROPOSAL,
        eval=EVAL,
        eval_path="evals/p.jsonl",
        usage=USAGE,
        usage_path="u.json",
        bench=BENCH,
        bench_path="b.json",
    )
    assert findings == []
    assert data["evaluation"] == {
        "finetune_accuracy": Decimal("0.92"),
        "prompting_accuracy": Decimal("0.81"),
        "eval_set": "evals/p.jsonl",
    }
    assert data["workload"] == {"monthly_growth_pct": 4, "requests_per_month": Decimal("3043750")}
    assert data["prompting"] == {
        "model": "gpt-4.1-mini",
        "input_tokens_per_request": Decimal(2100),
        "cached_input_tokens_per_request": Decimal(1500),
        "output_tokens_per_request": Decimal(150),
    }
    assert data["finetune"] == {"serving": {"gpu_hourly_usd": 1, "requests_per_second_per_gpu": Decimal("12.5")}}
    assert measured == {
        "/evaluation/finetune_accuracy": "evals/p.jsonl",
        "/evaluation/prompting_accuracy": "evals/p.jsonl",
        "/workload/requests_per_month": "u.json",
        "/prompting/input_tokens_per_request": "u.json",
        "/prompting/cached_input_tokens_per_request": "u.json",
        "/prompting/output_tokens_per_request": "u.json",
        "/finetune/serving/requests_per_second_per_gpu": "b.json",
    }


def test_written_figures_that_agree_are_replaced_by_the_measured_ones() -> None:
    text = "evaluation:\n  eval_set: gold\n  finetune_accuracy: 0.9204\n  prompting_accuracy: 0.81\n"
    data, findings, _ = applied(text, eval=EVAL, eval_path="e")
    assert findings == []
    assert data["evaluation"] == {
        "eval_set": "gold",
        "finetune_accuracy": Decimal("0.92"),
        "prompting_accuracy": Decimal("0.81"),
    }


def test_a_written_accuracy_that_disagrees_is_an_error_at_its_pointer() -> None:
    text = "evaluation:\n  eval_set: gold\n  finetune_accuracy: 0.95\n  prompting_accuracy: 0.81\n"
    _, findings, _ = applied(text, eval=EVAL, eval_path="evals/f.jsonl")
    assert findings == [
        (
            "error",
            "/evaluation/finetune_accuracy",
            "`finetune_accuracy: 0.95` disagrees with the eval evidence: 0.920 (368 of 400 examples right in "
            "evals/f.jsonl); write 0.920 or leave the figure to the evidence",
        )
    ]


def test_written_volume_and_tokens_must_be_within_five_percent() -> None:
    text = (
        "workload:\n  requests_per_month: 3100000\n"
        "prompting:\n  input_tokens_per_request: 1200\n  cached_input_tokens_per_request: 1500\n"
        "  output_tokens_per_request: 157\n"
    )
    _, findings, _ = applied(text, usage=USAGE, usage_path="usage/oct.json")
    assert [(level, pointer) for level, pointer, _ in findings] == [("error", "/prompting/input_tokens_per_request")]
    assert findings[0][2] == (
        "`input_tokens_per_request: 1200` is more than 5% from the input tokens a request measured in "
        "usage/oct.json: 2,100.00 (-42.9%); write the measured value or leave the figure to the evidence"
    )


def test_written_throughput_of_any_form_is_held_to_the_load_test() -> None:
    agreeing = "finetune:\n  serving:\n    output_tokens_per_request: 150\n    output_tokens_per_second_per_gpu: 1850\n"
    data, findings, _ = applied(agreeing, bench=BENCH, bench_path="b.json")  # 1850/150 = 12.33 a second
    assert findings == []
    assert data["finetune"] == {"serving": {"requests_per_second_per_gpu": Decimal("12.5")}}
    slow = "finetune:\n  serving:\n    output_tokens_per_request: 150\n    output_tokens_per_second_per_gpu: 400\n"
    _, findings, _ = applied(slow, bench=BENCH, bench_path="bench/h100.json")
    assert findings == [
        (
            "error",
            "/finetune/serving/output_tokens_per_second_per_gpu",
            "the throughput written (2.67 requests a second per GPU) is more than 5% from the load test in "
            "bench/h100.json: 12.50; write the measured rate or leave the throughput to the evidence",
        )
    ]
    prefill = (
        "finetune:\n  serving:\n    output_tokens_per_request: 150\n    output_tokens_per_second_per_gpu: 3000\n"
        "    input_tokens_per_request: 300\n    input_tokens_per_second_per_gpu: 12000\n"
    )
    _, findings, _ = applied(prefill, bench=BENCH, bench_path="b")  # 1 / (0.05 + 0.025) = 13.33: 6.7% off
    assert findings[0][1] == "/finetune/serving/output_tokens_per_second_per_gpu"
    direct = "finetune:\n  serving:\n    requests_per_second_per_gpu: 12\n"
    assert applied(direct, bench=BENCH, bench_path="b")[1] == []


def test_several_gpus_and_replicas() -> None:
    text = "finetune:\n  serving:\n    gpus_per_replica: 2\n"
    data, findings, _ = applied(text, bench=BENCH, bench_path="b", bench_gpus=4)
    assert findings == []
    assert data["finetune"]["serving"]["requests_per_second_per_gpu"] == Decimal("6.25")  # type: ignore[index]
    _, findings, _ = applied(text, bench=BENCH, bench_path="b", bench_gpus=3)
    assert findings == [
        (
            "error",
            "/evidence/serving_benchmark/gpus",
            "the benchmarked server's 3 GPUs are not whole replicas of 2 GPUs",
        )
    ]


def test_a_load_test_of_another_request_shape_is_a_warning() -> None:
    text = (
        "finetune:\n  serving:\n    output_tokens_per_request: 40\n    output_tokens_per_second_per_gpu: 500\n"
        "    input_tokens_per_request: 300\n    input_tokens_per_second_per_gpu: 6000\n"
    )
    _, findings, _ = applied(text, bench=BENCH, bench_path="bench/b.json")
    warnings = [message for level, _, message in findings if level == "warning"]
    assert warnings == [
        "the load test in bench/b.json averaged 150 output tokens a request, the proposal 40: more than 25% apart, "
        "so it measured another request shape"
    ]


def test_a_benchmark_needs_sized_serving() -> None:
    _, findings, _ = applied("finetune:\n  monthly_serving_usd: 3000\n", bench=BENCH, bench_path="b")
    assert findings == [
        (
            "error",
            "/evidence/serving_benchmark",
            "a serving benchmark measures GPUs: it needs serving sized from the workload (`finetune.serving`)",
        )
    ]


def test_a_section_written_as_something_else_is_left_to_validation() -> None:
    data, findings, measured = applied(
        "evaluation: 3\nworkload: [1]\n", eval=EVAL, eval_path="e", usage=USAGE, usage_path="u"
    )
    assert data["evaluation"] == 3 and data["workload"] == [1]
    assert findings == [] and "/evaluation/finetune_accuracy" not in measured


def test_a_figure_written_as_text_is_left_for_validation_to_refuse() -> None:
    data, findings, measured = applied("evaluation:\n  finetune_accuracy: high\n", eval=EVAL, eval_path="e")
    assert data["evaluation"]["finetune_accuracy"] == "high"  # type: ignore[index]
    assert findings == [] and "/evaluation/finetune_accuracy" not in measured


def test_the_loaded_document_is_left_as_it_was_and_keeps_its_positions() -> None:
    document = load(PROPOSAL.encode())
    before = copy.deepcopy(document.data)
    result = apply_measured(document, Measured(eval=EVAL, eval_path="e", usage=USAGE, usage_path="u"))
    assert document.data == before  # the nested sections were filled in a copy
    assert result.document.data != before
    # A finding on a written key is placed at the key's own line, in the document the pass hands on.
    assert (result.document.values, result.document.keys) == (document.values, document.keys)


def test_a_rate_written_per_replica_is_held_to_the_load_test_per_replica() -> None:
    text = "finetune:\n  serving:\n    gpus_per_replica: 2\n    requests_per_second_per_gpu: 3\n"
    _, findings, _ = applied(text, bench=BENCH, bench_path="bench/2xh100.json", bench_gpus=4)
    assert findings == [
        (
            "error",
            "/finetune/serving/requests_per_second_per_gpu",
            "the throughput written (3.00 requests a second per replica) is more than 5% from the load test in "
            "bench/2xh100.json: 6.25; write the measured rate or leave the throughput to the evidence",
        )
    ]


def test_a_written_rate_counts_prefill_when_both_input_figures_are_written() -> None:
    # 150 tokens at 3,000 a second and 300 at 10,000: 0.05 + 0.03 s a request, 12.5 a second, as measured.
    # Decode alone would be 20 a second, 60% off.
    text = (
        "finetune:\n  serving:\n    output_tokens_per_request: 150\n    output_tokens_per_second_per_gpu: 3000\n"
        "    input_tokens_per_request: 300\n    input_tokens_per_second_per_gpu: 10000\n"
    )
    assert applied(text, bench=BENCH, bench_path="b")[1] == []


def test_the_request_shape_is_judged_on_both_sides_even_with_a_measured_rate() -> None:
    # With form (c) the serving has no output tokens of its own: prompting's are the proposal's request shape.
    text = (
        "prompting:\n  output_tokens_per_request: 40\n"
        "finetune:\n  serving:\n    requests_per_second_per_gpu: 12.5\n    input_tokens_per_request: 1000\n"
    )
    _, findings, _ = applied(text, bench=BENCH, bench_path="bench/b.json")
    assert findings == [
        (
            "warning",
            "/evidence/serving_benchmark",
            "the load test in bench/b.json averaged 150 output tokens a request, the proposal 40: more than 25% "
            "apart, so it measured another request shape",
        ),
        (
            "warning",
            "/evidence/serving_benchmark",
            "the load test in bench/b.json averaged 300 input tokens a request, the proposal 1000: more than 25% "
            "apart, so it measured another request shape",
        ),
    ]


def test_written_output_tokens_far_from_the_usage_say_what_was_measured() -> None:
    _, findings, _ = applied("prompting:\n  output_tokens_per_request: 300\n", usage=USAGE, usage_path="usage/oct.json")
    assert findings == [
        (
            "error",
            "/prompting/output_tokens_per_request",
            "`output_tokens_per_request: 300` is more than 5% from the output tokens a request measured in "
            "usage/oct.json: 150.00 (+100.0%); write the measured value or leave the figure to the evidence",
        )
    ]


def test_a_decode_rate_written_as_zero_is_left_for_validation_to_refuse() -> None:
    text = "finetune:\n  serving:\n    output_tokens_per_request: 150\n    output_tokens_per_second_per_gpu: 0\n"
    data, findings, _ = applied(text, bench=BENCH, bench_path="b")
    assert findings == []  # no rate to compare: not a division by zero
    assert data["finetune"] == {"serving": {"requests_per_second_per_gpu": Decimal("12.5")}}


def test_a_top_level_that_is_not_a_mapping_is_left_for_validation() -> None:
    result = apply_measured(load(b"- 1\n"), Measured(usage=USAGE, usage_path="u", bench=BENCH, bench_path="b"))
    assert (result.document.data, result.findings, result.measured) == ([1], (), {})
