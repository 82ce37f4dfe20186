"""Both systems' eval files read in one call: the chosen scorer grades each file, and findings name the file."""

from __future__ import annotations

from typing import Any

import pytest

from tco_gate.errors import Finding, InputError
from tco_gate.evidence.eval_pair import EvalFile, read_eval_pair, read_eval_promptfoo
from tests.evidence.writers import graded, inspect_json, lm_eval_file, lm_eval_sample, small_log


def inspect_log(strict: set[int], lenient: set[int], count: int = 6) -> bytes:
    """An Inspect log whose samples two scorers grade: `strict` right on the ids in `strict`, `lenient` on `lenient`."""
    samples = [
        graded(
            key,
            scores={
                "strict": {"value": "C" if key in strict else "I"},
                "lenient": {"value": "C" if key in lenient else "I"},
            },
        )
        for key in range(1, count + 1)
    ]
    return inspect_json(small_log(*samples))


def lm_eval_scored(acc: set[int], acc_norm: set[int], count: int = 6) -> bytes:
    """An lm-eval run right on the ids in `acc` by `acc` and on those in `acc_norm` by `acc_norm`."""
    samples = []
    for doc_id in range(count):
        sample = lm_eval_sample(doc_id, f"Which team handles ticket {doc_id}?", 0, ["billing", "tech"], doc_id in acc)
        sample["acc_norm"] = 1.0 if doc_id in acc_norm else 0.0
        samples.append(sample)
    return lm_eval_file(samples)


def counts(prompting: EvalFile, finetuned: EvalFile, form: Any, scorer: str) -> tuple[int, int, int]:
    figures = read_eval_pair(form, prompting, finetuned, scorer).figures
    return figures.n, figures.prompting_correct, figures.finetuned_correct


def test_the_chosen_inspect_scorer_grades_both_logs() -> None:
    prompting = EvalFile(inspect_log(strict={1, 2}, lenient={1, 2, 3, 4}), "p.json")
    finetuned = EvalFile(inspect_log(strict={1, 2, 3}, lenient={1, 2, 3, 4, 5, 6}), "f.json")
    assert counts(prompting, finetuned, "inspect", "strict") == (6, 2, 3)
    assert counts(prompting, finetuned, "inspect", "lenient") == (6, 4, 6)


def test_the_chosen_lm_eval_metric_grades_both_runs() -> None:
    prompting = EvalFile(lm_eval_scored(acc={0, 1, 2, 3}, acc_norm={0, 1}), "samples_p.jsonl")
    finetuned = EvalFile(lm_eval_scored(acc={0, 1, 2, 3, 4, 5}, acc_norm={0, 1, 2}), "samples_f.jsonl")
    assert counts(prompting, finetuned, "lm-eval", "acc_norm") == (6, 2, 3)
    assert counts(prompting, finetuned, "lm-eval", "acc") == (6, 4, 6)


def test_a_promptfoo_finding_names_the_results_file() -> None:
    data = b'{"results": {"version": 2, "results": []}}\n'
    with pytest.raises(InputError) as caught:
        read_eval_promptfoo(EvalFile(data, "evals/results.json"), "openai:gpt-4.1-mini", "vllm:triage-ft")
    assert caught.value.findings == (
        Finding(
            "error",
            "promptfoo results version 2: tco-gate reads version 3, what `promptfoo eval -o results.json` writes today",
            line=1,
            column=data.index(b"2,") + 1,  # the version's value
            path="evals/results.json",
        ),
    )
