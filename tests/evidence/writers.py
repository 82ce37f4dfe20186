"""Evidence files written the way the tools write them, for tools too heavy to run in the tests.

- lm-evaluation-harness (needs torch): one JSON line per document and filter, built as lm_eval/evaluator.py builds
  a logged sample and lm_eval/loggers/evaluation_tracker.py writes it (`arguments` as gen_args_N/arg_M, hashes
  as sha256 of the document dumped with indent=2 and ensure_ascii=False, of the first prompt, of str(target)).
- vLLM (needs a GPU server): the `--save-result` JSON, keys in the order vllm/benchmarks/serve.py sets them,
  written with json.dump (one line), per-request lists dropped as they are without `--save-detailed`.
- OpenAI Usage API: completions pages as the API reference's response example shows them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lm_eval_sample(
    doc_id: int,
    question: str,
    answer: int,
    choices: Sequence[str],
    correct: bool,
    *,
    filter_name: str = "none",
    metrics: Sequence[str] = ("acc", "acc_norm"),
) -> dict[str, Any]:
    """One multiple-choice document as `--log_samples` logs it."""
    doc = {"question": question, "choices": list(choices), "answer": answer}
    context = f"Question: {question}\nAnswer:"
    arguments = {f"gen_args_{i}": {"arg_0": context, "arg_1": f" {choice}"} for i, choice in enumerate(choices)}
    picked = answer if correct else (answer + 1) % len(choices)
    resps = [[[-1.0 - abs(i - picked), i == picked]] for i in range(len(choices))]
    sample: dict[str, Any] = {
        "doc_id": doc_id,
        "doc": doc,
        "target": str(answer),
        "arguments": arguments,
        "resps": resps,
        "filtered_resps": [pair[0] for pair in resps],
        "filter": filter_name,
        "metrics": list(metrics),
        "doc_hash": _sha256(json.dumps(doc, indent=2, ensure_ascii=False)),
        "prompt_hash": _sha256(context),
        "target_hash": _sha256(str(answer)),
    }
    for metric in metrics:
        sample[metric] = 1.0 if correct else 0.0
    return sample


def lm_eval_file(samples: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(sample, ensure_ascii=False) + "\n" for sample in samples).encode()


def lm_eval_run(right: set[int], count: int = 6, **options: Any) -> bytes:
    """A run over `count` documents that gets the ids in `right` right."""
    return lm_eval_file(
        lm_eval_sample(
            i, f"Which team handles ticket {i}?", i % 4, ["billing", "tech", "sales", "legal"], i in right, **options
        )
        for i in range(count)
    )


def vllm_result(
    *,
    completed: int = 1000,
    failed: int = 0,
    duration: float = 84.5,
    input_tokens: int = 310_000,
    output_tokens: int = 12_400,
    gpus_note: str | None = None,
) -> dict[str, Any]:
    """A `vllm bench serve --save-result` result against one server."""
    result: dict[str, Any] = {
        "date": "20261120-101500",
        "endpoint_type": "openai",
        "backend": "openai",
        "label": None,
        "model_id": "acme/triage-ft",
        "tokenizer_id": "acme/triage-ft",
        "num_prompts": completed + failed,
        "request_rate": "inf",
        "burstiness": 1.0,
        "max_concurrency": 64,
        "duration": duration,
        "completed": completed,
        "failed": failed,
        "total_input_tokens": input_tokens,
        "total_output_tokens": output_tokens,
        "request_throughput": completed / duration,
        "request_goodput": None,
        "output_throughput": output_tokens / duration,
        "total_token_throughput": (input_tokens + output_tokens) / duration,
        "max_output_tokens_per_s": 2210.0,
        "max_concurrent_requests": 64,
        "rtfx": 0.0,
        "mean_ttft_ms": 151.2,
        "median_ttft_ms": 120.7,
        "std_ttft_ms": 88.1,
        "p99_ttft_ms": 410.9,
        "mean_tpot_ms": 21.4,
        "median_tpot_ms": 20.9,
        "std_tpot_ms": 3.2,
        "p99_tpot_ms": 33.0,
        "mean_itl_ms": 21.1,
        "median_itl_ms": 19.8,
        "std_itl_ms": 6.5,
        "p99_itl_ms": 45.2,
    }
    if gpus_note is not None:
        result["gpus"] = gpus_note  # `--metadata gpus=...` lands as a top-level key
    return result


def vllm_file(result: dict[str, Any]) -> bytes:
    return json.dumps(result).encode()


DAY = 86_400


def usage_bucket(start: int, rows: Sequence[dict[str, Any]], width: int = DAY) -> dict[str, Any]:
    return {"object": "bucket", "start_time": start, "end_time": start + width, "results": list(rows)}


def usage_row(requests: int, input_tokens: int, cached: int, output: int, model: str | None = None) -> dict[str, Any]:
    return {
        "object": "organization.usage.completions.result",
        "input_tokens": input_tokens,
        "output_tokens": output,
        "input_cached_tokens": cached,
        "input_audio_tokens": 0,
        "output_audio_tokens": 0,
        "num_model_requests": requests,
        "project_id": None,
        "user_id": None,
        "api_key_id": None,
        "model": model,
        "batch": None,
    }


def usage_page(buckets: Sequence[dict[str, Any]], has_more: bool = False) -> dict[str, Any]:
    return {
        "object": "page",
        "data": list(buckets),
        "has_more": has_more,
        "next_page": "page_AAAA" if has_more else None,
    }


def usage_days(start: int, days: int, per_day: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """`days` daily buckets from `start`, each holding `per_day`."""
    return [usage_bucket(start + day * DAY, per_day) for day in range(days)]


def inspect_json(document: dict[str, Any]) -> bytes:
    """An Inspect log as Inspect writes it: indented JSON, one key a line."""
    return json.dumps(document, indent=2).encode()


def small_log(*samples: Any, **fields: Any) -> dict[str, Any]:
    """A finished Inspect log holding `samples`, with `fields` added or replaced at the top level."""
    return {"status": "success", "eval": {}, "samples": list(samples), **fields}


def graded(key: object, value: Any = "C", **fields: Any) -> dict[str, Any]:
    """An Inspect sample graded `value` by the scorer `match` (`fields` added or replaced)."""
    sample = {
        "id": key,
        "epoch": 1,
        "input": f"ticket {key}",
        "target": "billing",
        "scores": {"match": {"value": value}},
    }
    return sample | fields
