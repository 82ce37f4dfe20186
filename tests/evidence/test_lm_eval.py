"""lm-evaluation-harness `--log_samples` files (tests/evidence/writers.py writes them as the harness does)."""

from __future__ import annotations

import json

import pytest

from tco_gate.errors import Finding, InputError
from tco_gate.evidence.eval_pair import EvalFile, read_eval_pair
from tco_gate.evidence.lm_eval import read_lm_eval
from tests.evidence.writers import lm_eval_file, lm_eval_run, lm_eval_sample

PATH = "samples_triage.jsonl"


def refusal(data: bytes, scorer: str | None = None) -> Finding:
    with pytest.raises(InputError) as caught:
        read_lm_eval(data, PATH, scorer)
    (finding,) = caught.value.findings
    return finding


def column_of(line: str, key: str) -> int:
    """The 1-based column of the value of `key` in one line of JSON."""
    return line.index(f'"{key}": ') + len(f'"{key}": ') + 1


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
    assert refusal(data) == Finding(
        "error",
        "the samples were logged under 2 filters: choose one with `scorer:` "
        "(`exact_match,strict-match`, `exact_match,flexible-extract`)",
        path=PATH,
    )
    assert read_lm_eval(data, "s.jsonl", "exact_match,strict-match").correct == {0: True, 1: False}
    assert read_lm_eval(data, "s.jsonl", "exact_match,flexible-extract").correct == {0: True, 1: True}
    assert refusal(data, "exact_match,none") == Finding(
        "error", "no sample under filter 'none' (the filters here: strict-match, flexible-extract)", path=PATH
    )


def test_a_filter_logged_as_a_number_is_chosen_by_its_text() -> None:
    lines = [lm_eval_sample(0, "q", 0, ["a"], True), lm_eval_sample(1, "r", 0, ["a"], False)]
    for line in lines:
        line["filter"] = 5
    data = lm_eval_file(lines)
    assert read_lm_eval(data, "s.jsonl").correct == {0: True, 1: False}
    assert read_lm_eval(data, "s.jsonl", "acc,5").correct == {0: True, 1: False}


def test_a_metric_not_logged_is_named_with_those_that_are() -> None:
    assert refusal(lm_eval_run({1}), "f1") == Finding(
        "error", "the samples hold no metric 'f1' (they log: acc, acc_norm); choose with `scorer:`", path=PATH
    )
    data = lm_eval_run({1}, metrics=("f1", "bleu"))
    assert refusal(data) == Finding(
        "error", "the samples hold no metric 'acc' (they log: f1, bleu); choose with `scorer:`", path=PATH
    )


@pytest.mark.parametrize("metrics", ["acc", {"acc": 1}, 1, None])
def test_metrics_that_are_not_a_list_of_names_log_none(metrics: object) -> None:
    sample = lm_eval_sample(0, "q", 0, ["a"], True)
    sample["metrics"] = metrics
    assert refusal(lm_eval_file([sample])) == Finding(
        "error", "the samples hold no metric 'acc' (they log: none); choose with `scorer:`", path=PATH
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.5, "document 1 scores 0.5 on 'acc': each example must score 0 or 1 (right or wrong)"),
        (float("nan"), "document 1 scores nan on 'acc': a score must be finite"),
        ("1", "document 1 scores '1' on 'acc': each example must score 0 or 1 (right or wrong)"),
        (None, "document 1 scores None on 'acc': each example must score 0 or 1 (right or wrong)"),
    ],
)
def test_each_example_must_score_zero_or_one(value: object, message: str) -> None:
    lines = [lm_eval_sample(0, "q", 0, ["a"], True), lm_eval_sample(1, "r", 0, ["a"], True)]
    lines[1]["acc"] = value
    data = lm_eval_file(lines)
    column = column_of(data.decode().splitlines()[1], "acc")
    assert refusal(data) == Finding("error", message, line=2, column=column, path=PATH)


def test_a_missing_score_is_refused_at_its_sample() -> None:
    lines = [lm_eval_sample(0, "q", 0, ["a"], True), lm_eval_sample(1, "r", 0, ["a"], True)]
    del lines[1]["acc"]
    assert refusal(lm_eval_file(lines)) == Finding(
        "error",
        "document 1 scores None on 'acc': each example must score 0 or 1 (right or wrong)",
        line=2,
        column=1,
        path=PATH,
    )


@pytest.mark.parametrize("field", ["doc_hash", "target_hash"])
def test_a_changed_document_or_target_names_the_first_id(field: str) -> None:
    prompting = lm_eval_run({0}, count=3)
    changed = [json.loads(line) for line in lm_eval_run({0}, count=3).splitlines()]
    changed[1][field] = "0" * 64
    finetuned = lm_eval_file(changed)
    with pytest.raises(InputError) as caught:
        read_eval_pair("lm-eval", EvalFile(prompting, "p.jsonl"), EvalFile(finetuned, "f.jsonl"))
    (finding,) = caught.value.findings
    assert finding.message.startswith(
        "example 1 differs from the same id in p.jsonl (line 2): its doc_hash or target_hash"
    )
    column = column_of(finetuned.decode().splitlines()[1], "doc_id")
    assert (finding.path, finding.line, finding.column) == ("f.jsonl", 2, column)


EMPTY = "the file holds no samples: an empty eval is no evidence"
NO_HASHES = "a sample needs its `doc_hash` and `target_hash` (written by `--log_samples`)"
NOT_A_SAMPLE = "not an lm-evaluation-harness sample: each line needs a `doc_id` (`--log_samples`)"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", Finding("error", EMPTY, path=PATH)),
        (b"\n\n", Finding("error", EMPTY, path=PATH)),
        (b'{"doc_id": 0, "metrics": ["acc"], "acc": 1}\n', Finding("error", NO_HASHES, line=1, column=1, path=PATH)),
        (b'\n  {"id": 0}\n', Finding("error", NOT_A_SAMPLE, line=2, column=3, path=PATH)),
        (b"[1]\n", Finding("error", NOT_A_SAMPLE, line=1, column=1, path=PATH)),
    ],
)
def test_malformed_files(data: bytes, expected: Finding) -> None:
    assert refusal(data) == expected


@pytest.mark.parametrize(("field", "value"), [("doc_hash", 5), ("target_hash", ""), ("doc_hash", None)])
def test_each_hash_must_be_text(field: str, value: object) -> None:
    lines = [lm_eval_sample(0, "q", 0, ["a"], True), lm_eval_sample(1, "r", 0, ["a"], True)]
    lines[1][field] = value
    assert refusal(lm_eval_file(lines)) == Finding("error", NO_HASHES, line=2, column=1, path=PATH)


def test_duplicate_doc_ids_and_truncation() -> None:
    lines = lm_eval_run({0}, count=3).splitlines(keepends=True)
    duplicated = lines[0] + lines[1] + lines[1].replace(b'"doc_id": 1', b'"doc_id": 0')
    column = column_of(duplicated.decode().splitlines()[2], "doc_id")
    assert refusal(duplicated) == Finding(
        "error", "duplicate example id 0: it appears first on line 1", line=3, column=column, path=PATH
    )
    cut = refusal(lines[0] + lines[1][:50])
    assert "cut short" in cut.message and (cut.path, cut.line) == (PATH, 2)
