"""Inspect AI eval logs written with `--log-format json`: each sample's id, input, target and one scorer's grade.

Field names are Inspect's own (UKGovernmentBEIS/inspect_ai, src/inspect_ai/log/_log.py: EvalLog has `status`,
`eval` (EvalSpec, whose `config` is an EvalConfig with `limit`, `sample_id` and `epochs`) and `samples`
(EvalSample: `id`, `epoch`, `input`, `target`, `scores`, `error`); src/inspect_ai/scorer/_metric.py: a Score's
`value`, where CORRECT is "C"). The `.eval` format is a zip archive and is not read: it has a JSON twin.
"""

from __future__ import annotations

import json
import math
from typing import Any

from ..errors import Finding, InputError
from .jsontext import JsonText, Token, parse_json, shown
from .pairing import Outcomes, OutcomesBuilder, Place

ZIP_MAGIC = b"PK\x03\x04"
CONVERT_HINT = "convert it with `inspect log convert --to json` (or run the eval with `--log-format json`)"


def read_inspect(data: bytes, path: str, scorer: str | None = None) -> Outcomes:
    """One system's per-sample results from an Inspect JSON log, graded by `scorer` (default: the only one)."""
    if data.startswith(ZIP_MAGIC) or path.endswith(".eval"):
        raise InputError(
            [Finding("error", f"this is an Inspect `.eval` archive, not a JSON log: {CONVERT_HINT}", path=path)]
        )
    log = parse_json(data, path)
    if not isinstance(log.data, dict) or "eval" not in log.data or "status" not in log.data:
        raise log.error([], "not an Inspect eval log: a JSON object with `status`, `eval` and `samples` is expected")
    _check_status(log)
    builder = OutcomesBuilder(path, fingerprint_name="input or target")
    builder.warnings.extend(_check_config(log))
    samples = log.data.get("samples")
    if not isinstance(samples, list):
        why = (
            "null or missing: the log was written without samples (`--no-log-samples`?)"
            if samples is None
            else "not a list"
        )
        raise log.error(["samples"], f"no per-sample results: `samples` is {why}")
    if not samples:
        raise log.error(["samples"], "the log holds no samples: an empty eval is no evidence")
    for index, sample in enumerate(samples):
        _check_sample(log, index, sample)
    chosen = scorer or _only_scorer(log, samples)
    for index, sample in enumerate(samples):
        builder.add(sample["id"], _grade(log, index, sample, chosen), Place(log, ("samples", index)), _asked(sample))
    return builder.build(log.finding("error", ["samples"], "the log holds no samples"))


def _check_status(log: JsonText) -> None:
    status = log.data.get("status")
    if status == "success":
        return
    error = log.data.get("error")
    message = error.get("message") if isinstance(error, dict) else None
    first_line = (message.strip().splitlines() or [""])[0][:200] if isinstance(message, str) else ""
    detail = f" (its error: {first_line})" if first_line else ""
    raise log.error(
        ["status"], f"the eval's status is {status!r}, not 'success': only a finished eval is evidence{detail}"
    )


def _check_config(log: JsonText) -> list[Finding]:
    spec = log.data["eval"]
    config = spec.get("config") if isinstance(spec, dict) else None
    if not isinstance(config, dict):
        return []
    epochs = config.get("epochs")
    if isinstance(epochs, int) and not isinstance(epochs, bool) and epochs > 1:
        raise log.error(
            ["eval", "config", "epochs"],
            f"the eval ran {epochs} epochs: each example must be scored once (run it with `--epochs 1`)",
        )
    warnings = []
    for key, what in (("limit", "--limit"), ("sample_id", "--sample-id")):
        if config.get(key) is not None:
            warnings.append(
                log.finding(
                    "warning",
                    ["eval", "config", key],
                    f"eval.config.{key} is {shown(config[key])}: the log scores a subset of the dataset ({what}), "
                    "so the figures describe that subset only",
                )
            )
    return warnings


def _check_sample(log: JsonText, index: int, sample: Any) -> None:
    """A sample is an object with an id, from the first epoch, that ended in an answer rather than an error."""
    if not isinstance(sample, dict) or "id" not in sample:
        raise log.error(["samples", index], "a sample must be an object with an `id`")
    key, epoch = sample["id"], sample.get("epoch", 1)
    if epoch != 1:
        raise log.error(
            ["samples", index, "epoch"],
            f"sample {key!r} is from epoch {epoch}: each example must be scored once (`--epochs 1`)",
        )
    if sample.get("error") is not None:
        error = sample["error"]
        message = error.get("message", "") if isinstance(error, dict) else str(error)
        detail = str(message).strip()[:120] or "no message"
        raise log.error(
            ["samples", index, "error"],
            f"sample {key!r} ended in an error, not an answer ({detail}): rerun it or drop it from both logs",
        )


def _only_scorer(log: JsonText, samples: list[Any]) -> str:
    names: list[str] = []
    for sample in samples:
        scores = sample.get("scores") if isinstance(sample, dict) else None
        if isinstance(scores, dict):
            names.extend(name for name in scores if name not in names)
    if len(names) == 1:
        return names[0]
    if not names:
        raise log.error(["samples"], "no sample holds a score: the log was not scored")
    raise log.error(
        ["samples", 0, "scores"],
        f"the log holds {len(names)} scorers ({', '.join(names)}): say which one decides with `scorer:`",
    )


def _grade(log: JsonText, index: int, sample: dict[str, Any], scorer: str) -> bool:
    """Whether the sample is correct: a value of "C", 1 or true is; anything else that is one grade is not."""
    key = sample["id"]
    scores = sample.get("scores")
    if not isinstance(scores, dict) or scorer not in scores:
        present = ", ".join(scores) if isinstance(scores, dict) and scores else "none"
        raise log.error(
            ["samples", index, "scores"], f"sample {key!r} has no score from scorer {scorer!r} (scores: {present})"
        )
    score = scores[scorer]
    if not isinstance(score, dict) or "value" not in score:
        raise log.error(["samples", index, "scores", scorer], f"sample {key!r}: the score has no `value`")
    value = score["value"]
    where: list[Token] = ["samples", index, "scores", scorer, "value"]
    if isinstance(value, float) and not math.isfinite(value):
        raise log.error(where, f"sample {key!r} is scored {value}: a grade must be a finite value")
    if value is None or isinstance(value, dict | list):
        raise log.error(where, f"sample {key!r}: scorer {scorer!r} gives {shown(value)}, not one grade per sample")
    return value == "C" or value is True or (not isinstance(value, bool | str) and value == 1)


def _asked(sample: dict[str, Any]) -> str:
    """The sample's input and target, without the message ids Inspect draws afresh on every run."""
    asked = sample.get("input")
    if isinstance(asked, list):
        asked = [
            {key: value for key, value in message.items() if key != "id"} if isinstance(message, dict) else message
            for message in asked
        ]
    return json.dumps([asked, sample.get("target")], sort_keys=True)
