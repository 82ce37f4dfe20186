"""lm-evaluation-harness `--log_samples` files (samples_<task>_<date>.jsonl): one line per document and filter.

Field names are the harness's own (EleutherAI/lm-evaluation-harness, lm_eval/evaluator.py, where each logged
sample gets `doc_id`, `filter`, `metrics` (the names), `doc_hash`, `prompt_hash`, `target_hash` and one key per
metric; lm_eval/result_schema.py documents them). A metric is chosen as the harness names it in its results,
`metric,filter` (e.g. `exact_match,strict-match`); by default `acc`, else the one metric logged, under the one
filter logged. Each example must score 0 or 1: a graded metric (an F1, a BLEU) is not a right-or-wrong answer.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import Finding, InputError
from .jsontext import JsonText, parse_json_lines
from .pairing import Outcomes, OutcomesBuilder, Place

DEFAULT_METRIC = "acc"


def read_lm_eval(data: bytes, path: str, scorer: str | None = None) -> Outcomes:
    """One run's per-document results, graded by `scorer` (`metric` or `metric,filter`; default `acc`)."""
    lines = list(parse_json_lines(data, path))
    for line in lines:
        if not isinstance(line.data, dict) or "doc_id" not in line.data:
            raise line.error([], "not an lm-evaluation-harness sample: each line needs a `doc_id` (`--log_samples`)")
    if not lines:
        raise InputError([Finding("error", "the file holds no samples: an empty eval is no evidence", path=path)])
    metric, wanted_filter = _choose(lines, path, scorer)
    builder = OutcomesBuilder(path, fingerprint_name="doc_hash or target_hash")
    for line in lines:
        sample = line.data
        if str(sample.get("filter", "none")) != wanted_filter:
            continue
        builder.add(sample["doc_id"], _grade(line, metric), Place(line, ("doc_id",)), _hashes(line))
    return builder.build(Finding("error", f"no sample under filter {wanted_filter!r}", path=path))


def _choose(lines: list[JsonText], path: str, scorer: str | None) -> tuple[str, str]:
    filters: list[str] = []
    metrics: list[str] = []
    for line in lines:
        name = str(line.data.get("filter", "none"))
        filters.extend([name] if name not in filters else [])
        logged = line.data.get("metrics")
        names = [str(m) for m in logged] if isinstance(logged, list) else []
        metrics.extend(m for m in names if m not in metrics)
    metric, _, wanted = (scorer or "").partition(",")
    if not metric:
        metric = DEFAULT_METRIC if DEFAULT_METRIC in metrics or len(metrics) != 1 else metrics[0]
    if metric not in metrics:
        choices = ", ".join(metrics) or "none"
        raise InputError(
            [
                Finding(
                    "error",
                    f"the samples hold no metric {metric!r} (they log: {choices}); choose with `scorer:`",
                    path=path,
                )
            ]
        )
    if not wanted:
        if len(filters) > 1:
            named = ", ".join(f"`{metric},{name}`" for name in filters)
            raise InputError(
                [
                    Finding(
                        "error",
                        f"the samples were logged under {len(filters)} filters: choose one with `scorer:` ({named})",
                        path=path,
                    )
                ]
            )
        wanted = filters[0]
    elif wanted not in filters:
        raise InputError(
            [Finding("error", f"no sample under filter {wanted!r} (the filters here: {', '.join(filters)})", path=path)]
        )
    return metric, wanted


def _grade(line: JsonText, metric: str) -> bool:
    sample = line.data
    value: Any = sample.get(metric)
    key = sample["doc_id"]
    if isinstance(value, float) and not math.isfinite(value):
        raise line.error([metric], f"document {key!r} scores {value} on {metric!r}: a score must be finite")
    if value not in (0, 1):  # None, text, a list, an object and any other number alike (true and false are 1 and 0)
        raise line.error(
            [metric],  # a metric the line lacks is placed at the line's start
            f"document {key!r} scores {value!r} on {metric!r}: each example must score 0 or 1 (right or wrong)",
        )
    return bool(value == 1)


def _hashes(line: JsonText) -> tuple[str, str]:
    hashes = (line.data.get("doc_hash"), line.data.get("target_hash"))
    if not all(isinstance(value, str) and value for value in hashes):
        raise line.error([], "a sample needs its `doc_hash` and `target_hash` (written by `--log_samples`)")
    return (str(hashes[0]), str(hashes[1]))
