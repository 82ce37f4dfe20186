"""The evidence and the inputs table in words, for every format that shows them (text, Markdown, HTML).

The statistics are rounded here and only here: a p-value to 2 significant digits in words (the JSON report
keeps all of them), accuracies and the gain to two decimals of a percentage point.
"""

from __future__ import annotations

from .model_evidence import BenchStatsOut, EvalStatsOut, EvidenceOut, InputOut, UsageStatsOut
from .phrases import percent

SOURCE_WORDS = {
    "evidence": "evidence",
    "catalog": "catalog",
    "policy": "policy",
    "flag": "flag",
    "default": "default",
    "claimed": "claimed",
}


def eval_words(stats: EvalStatsOut) -> str:
    """n, both accuracies, b and c, the p-value and the gain's lower bound, and whether the gap is significant."""
    verdict = "significant at the 5% level" if stats.significant else "not significant at the 5% level"
    return (
        f"n {stats.n:,}: fine-tuned {percent(round(stats.finetune_accuracy * 100, 2))}, prompting "
        f"{percent(round(stats.prompting_accuracy * 100, 2))}; "
        f"b {stats.b:,}, c {stats.c:,}; McNemar p = {p_value(stats.p_value)}; gain {stats.gain * 100:+.2f} points, "
        f"95% lower bound {stats.gain_lower_bound * 100:+.2f} points: the difference is {verdict}"
    )


def p_value(value: float) -> str:
    """A p-value as a reviewer reads it: 2 significant digits, never rounded to 0."""
    if value == 0:
        return "< 1e-300"
    return f"{value:.2g}" if value < 0.001 else f"{value:.3f}"


def usage_words(usage: UsageStatsOut) -> str:
    return (
        f"{usage.requests:,} requests from {usage.start} to {usage.end} ({usage.days:g} days): "
        f"{usage.requests_per_month:,.0f} a month; {usage.input_tokens_per_request:,.1f} input "
        f"({usage.cached_input_tokens_per_request:,.1f} cached) and {usage.output_tokens_per_request:,.1f} output "
        "tokens a request"
    )


def bench_words(bench: BenchStatsOut) -> str:
    return (
        f"{bench.request_throughput:,.3f} requests a second on {bench.gpus} GPU{'s' if bench.gpus != 1 else ''} "
        f"({bench.completed:,} completed; {bench.mean_input_tokens:,.0f} input and {bench.mean_output_tokens:,.0f} "
        "output tokens a request)"
    )


def evidence_lines(evidence: EvidenceOut) -> list[tuple[str, str]]:
    """(label, words) for each kind of evidence the proposal carried."""
    lines = []
    if evidence.eval is not None:
        lines.append(("eval evidence", eval_words(evidence.eval)))
    if evidence.usage is not None:
        lines.append(("usage evidence", usage_words(evidence.usage)))
    if evidence.serving_benchmark is not None:
        lines.append(("load test", bench_words(evidence.serving_benchmark)))
    return lines


def value_words(row: InputOut) -> str:
    """An input's value, as exact as a table cell needs."""
    if row.value is None:
        return "none"
    if abs(row.value) >= 1000:
        return f"{row.value:,.2f}".removesuffix(".00")
    return f"{row.value:.6g}"


def source_words(row: InputOut) -> str:
    """The source and its detail: `evidence: usage/q4.json (sha256 …)`, `claimed`."""
    return f"{row.source}: {row.detail}" if row.detail else row.source
