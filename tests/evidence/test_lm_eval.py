"""lm-evaluation-harness `--log_samples` files (tests/evidence/writers.py writes them as the harness does)."""

from __future__ import annotations

import json

import pytest

from tco_gate.errors import InputError
from tco_gate.evidence.eval_pair import EvalFile, read_eval_pair
from tco_gate.evidence.lm_eval import read_lm_eval
from tests.evidence.writers import lm_eval_file, lm_eval_run, lm_eval_sample


def refused(data: bytes, scorer: str | None = None) -> tuple[str, int | None]:
    with pytest.raises(InputError) as caught:
        read_lm_eval(data, "samples_triage.jsonl", scorer)
    (finding,) = caught.value.findings
    assert finding.path == "samples_triage.jsonl"
    return finding.message, finding.line


def test_two_runs_pair_on_doc_id() -> None:
    evidence = read_eval_pair(
        "lm-eval",
        EvalFile(lm_eval_run({0, 1, 2, 4}), "samples_p.jsonl"),
        EvalFile(lm_eval_run({0, 1, 3, 4, 5}), "samples_f.jsonl"),
    )
    figures = evidence.figures
    assert (figures.n, figures.prompting_correct, figures.finetuned_correct, figures.b, figures.c) == (6, 4, 5, 1, 2)


def test_acc_is_the_default_and_another_metric_can_be_chosen() -> None:
    lines = [lm_eval_sample(0, "q", 0, ["a", "b"], True), lm_eval_sample(1, "r", 1, ["a", "b"], False)]
    lines[0]["acc_norm"] = 0.0
    data = lm_eval_file(lines)
    assert read_lm_eval(data, "s.jsonl").correct == {0: True, 1: False}
    assert read_lm_eval(data, "s.jsonl", "acc_norm").correct == {0: False, 1: False}


def test_the_one_metric_logged_is_used_without_a_choice() -> None:
    data = lm_eval_run({1}, count=3, metrics=("exact_match",))
    assert read_lm_eval(data, "s.jsonl").correct == {0: False, 1: True, 2: False}


def test_several_filters_need_a_choice_in_the_harness_notation() -> None:
    strict = [
        lm_eval_sample(i, "q", 0, ["a"], i == 0, filter_name="strict-match", metrics=("exact_match",)) for i in range(2)
    ]
    flexible = [
        lm_eval_sample(i, "q", 0, ["a"], True, filter_name="flexible-extract", metrics=("exact_match",))
        for i in range(2)
    ]
    data = lm_eval_file(strict + flexible)
    message, _ = refused(data)
    assert message == (
        "the samples were logged under 2 filters: choose one with `scorer:` "
        "(`exact_match,strict-match`, `exact_match,flexible-extract`)"
    )
    assert read_lm_eval(data, "s.jsonl", "exact_match,strict-match").correct == {0: True, 1: False}
    assert read_lm_eval(data, "s.jsonl", "exact_match,flexible-extract").correct == {0: True, 1: True}
    assert refused(data, "exact_match,none")[0] == (
        "no sample under filter 'none' (the filters here: strict-match, flexible-extract)"
    )


def test_a_metric_not_logged_is_named_with_those_that_are() -> None:
    assert (
        refused(lm_eval_run({1}), "f1")[0]
        == "the samples hold no metric 'f1' (they log: acc, acc_norm); choose with `scorer:`"
    )
    data = lm_eval_run({1}, metrics=("f1", "bleu"))
    assert refused(data)[0].startswith("the samples hold no metric 'acc' (they log: f1, bleu)")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.5, "scores 0.5 on 'acc'"),
        (float("nan"), "scores nan on 'acc'"),
        ("1", "scores '1' on 'acc'"),
        (None, "scores None on 'acc'"),
    ],
)
def test_each_example_must_score_zero_or_one(value: object, message: str) -> None:
    lines = [lm_eval_sample(0, "q", 0, ["a"], True), lm_eval_sample(1, "r", 0, ["a"], True)]
    lines[1]["acc"] = value
    text, line = refused(lm_eval_file(lines))
    assert message in text and line == 2


def test_a_changed_document_or_target_names_the_first_id() -> None:
    prompting = lm_eval_run({0}, count=3)
    changed = [json.loads(line) for line in lm_eval_run({0}, count=3).splitlines()]
    changed[1]["target_hash"] = "0" * 64
    with pytest.raises(InputError) as caught:
        read_eval_pair("lm-eval", EvalFile(prompting, "p.jsonl"), EvalFile(lm_eval_file(changed), "f.jsonl"))
    (finding,) = caught.value.findings
    assert finding.message.startswith(
        "example 1 differs from the same id in p.jsonl (line 2): its doc_hash or target_hash"
    )
    assert (finding.path, finding.line) == ("f.jsonl", 2)


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "holds no samples", None),
        (b"\n\n", "holds no samples", None),
        (b'{"doc_id": 0, "metrics": ["acc"], "acc": 1}\n', "needs its `doc_hash` and `target_hash`", 1),
        (b'{"id": 0}\n', "each line needs a `doc_id`", 1),
        (b"[1]\n", "each line needs a `doc_id`", 1),
    ],
)
def test_malformed_files(data: bytes, message: str, line: int | None) -> None:
    text, at = refused(data)
    assert message in text and at == line


def test_duplicate_doc_ids_and_truncation() -> None:
    lines = lm_eval_run({0}, count=3).splitlines(keepends=True)
    duplicated = lines[0] + lines[1] + lines[1].replace(b'"doc_id": 1', b'"doc_id": 0')
    assert refused(duplicated) == ("duplicate example id 0: it appears first on line 1", 3)
    text, line = refused(lines[0] + lines[1][:50])
    assert "cut short" in text and line == 2
