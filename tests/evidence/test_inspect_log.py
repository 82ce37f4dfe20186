"""Inspect AI JSON logs, as inspect-ai 0.3.285 wrote them (tests/evidence/data/inspect/README.md), and hostile ones."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tco_gate.errors import Finding, InputError
from tco_gate.evidence.eval_pair import EvalFile, read_eval_pair
from tco_gate.evidence.inspect_log import read_inspect
from tests.evidence.writers import graded, inspect_json, small_log

DATA = Path(__file__).parent / "data" / "inspect"


def log(name: str) -> bytes:
    return (DATA / name).read_bytes()


def line_of(data: bytes, pattern: str, nth: int = 0) -> int:
    """The 1-based line of the nth match of `pattern` in the file's text."""
    text = data.decode()
    match = list(re.finditer(pattern, text, re.MULTILINE))[nth]
    return text.count("\n", 0, match.start()) + 1


def refused(data: bytes, name: str = "evals/log.json", scorer: str | None = None) -> Finding:
    with pytest.raises(InputError) as caught:
        read_inspect(data, name, scorer)
    (finding,) = caught.value.findings
    assert finding.level == "error" and finding.path == name
    return finding


def place_of(data: bytes, pattern: str, nth: int = 0) -> tuple[int, int]:
    """The 1-based line and column of the nth match of `pattern` (of its first group, if it has one)."""
    text = data.decode()
    match = list(re.finditer(pattern, text, re.MULTILINE))[nth]
    start = match.start(1) if match.re.groups else match.start()
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


HINT = "convert it with `inspect log convert --to json` (or run the eval with `--log-format json`)"


def sample_id(data: bytes, old: int, new: str) -> bytes:
    """The log with sample `old`'s id written as `new` (the sample's own id, not the dataset summary's)."""
    before = f'\n      "id": {old},\n      "epoch": 1'.encode()
    assert data.count(before) == 1
    return data.replace(before, f'\n      "id": {new},\n      "epoch": 1'.encode())


def test_two_real_logs_pair_into_the_figures() -> None:
    evidence = read_eval_pair(
        "inspect", EvalFile(log("prompting.json"), "p.json"), EvalFile(log("finetuned.json"), "f.json")
    )
    figures = evidence.figures
    # prompting answers tickets 1, 2, 3, 5; the fine-tune 1, 2, 4, 5, 6 (triage_task.txt)
    assert (figures.n, figures.prompting_correct, figures.finetuned_correct) == (6, 4, 5)
    assert (figures.b, figures.c) == (1, 2)
    assert figures.p_value == 1.0
    assert evidence.warnings == ()


def test_each_sample_is_read_with_its_place() -> None:
    data = log("prompting.json")
    outcomes = read_inspect(data, "p.json")
    assert outcomes.correct == {1: True, 2: True, 3: True, 4: False, 5: True, 6: False}
    line, column = outcomes.places[4].document.where(outcomes.places[4].tokens)
    assert (line, column) == (line_of(data, r'^      "id": 4,') - 1, 5)  # the sample's opening brace


def test_a_limit_is_a_warning_at_its_line() -> None:
    data = log("limited.json")
    outcomes = read_inspect(data, "l.json")
    (warning,) = outcomes.warnings
    assert warning.level == "warning"
    assert warning.message == (
        "eval.config.limit is 6: the log scores a subset of the dataset (--limit), "
        "so the figures describe that subset only"
    )
    assert (warning.line, warning.column) == (line_of(data, r'^      "limit": 6'), 16)


def test_more_than_one_epoch_is_an_error() -> None:
    data = log("epochs.json")
    finding = refused(data)
    assert "ran 2 epochs" in finding.message and "--epochs 1" in finding.message
    assert finding.line == line_of(data, r'^      "epochs": 2')


def test_a_sample_from_a_second_epoch_is_an_error_even_without_the_config() -> None:
    data = log("epochs.json").replace(b'"epochs": 2,', b'"epochs": 1,')
    finding = refused(data)
    assert "is from epoch 2" in finding.message
    assert finding.line == line_of(data, r'^      "epoch": 2')


def test_a_changed_target_names_the_first_id_that_differs() -> None:
    with pytest.raises(InputError) as caught:
        read_eval_pair("inspect", EvalFile(log("prompting.json"), "p.json"), EvalFile(log("retargeted.json"), "f.json"))
    (finding,) = caught.value.findings
    assert finding.path == "f.json"
    assert finding.message.startswith("example 4 differs from the same id in p.json")
    assert "input or target changed" in finding.message
    assert finding.line == line_of(log("retargeted.json"), r'^      "id": 4,') - 1


def test_a_changed_input_is_refused_too() -> None:
    changed = log("finetuned.json").replace(b'"input": "Route this ticket: login fails"', b'"input": "Route: login"')
    assert changed != log("finetuned.json")
    with pytest.raises(InputError, match="example 4 differs"):
        read_eval_pair("inspect", EvalFile(log("prompting.json"), "p.json"), EvalFile(changed, "f.json"))


def test_message_ids_drawn_afresh_do_not_count_as_a_changed_input() -> None:
    prompting, finetuned = json.loads(log("prompting.json")), json.loads(log("finetuned.json"))
    for number, document in enumerate((prompting, finetuned)):
        for sample in document["samples"]:
            sample["input"] = [{"id": f"drawn-{number}", "role": "user", "content": sample["input"]}]
    evidence = read_eval_pair(
        "inspect", EvalFile(json.dumps(prompting).encode(), "p"), EvalFile(json.dumps(finetuned).encode(), "f")
    )
    assert evidence.figures.n == 6


def test_two_scorers_need_a_choice() -> None:
    data = log("two-scorers.json")
    finding = refused(data)
    assert finding.message == "the log holds 2 scorers (match, includes): say which one decides with `scorer:`"
    assert (finding.line, finding.column) == (line_of(data, r'^      "scores": \{'), 17)  # the first sample's
    assert read_inspect(data, "t.json", "includes").correct == read_inspect(data, "t.json", "match").correct
    missing = refused(data, scorer="f1")
    assert missing.message == "sample 1 has no score from scorer 'f1' (scores: match, includes)"


def test_an_eval_that_did_not_finish_is_refused() -> None:
    data = log("errored.json")
    finding = refused(data)
    assert finding.message == (
        "the eval's status is 'error', not 'success': only a finished eval is evidence "
        "(its error: RuntimeError('upstream timeout'))"
    )
    assert (finding.line, finding.column) == (line_of(data, r'^  "status"'), 13)


def test_an_eval_archive_gets_the_hint_to_convert_it() -> None:
    finding = refused(log("finetuned.eval"), "evals/finetuned.eval")
    assert finding.message == f"this is an Inspect `.eval` archive, not a JSON log: {HINT}"
    assert (finding.line, finding.column) == (None, None)
    # the archive is recognised by its bytes, whatever its name
    assert "inspect log convert" in refused(log("finetuned.eval"), "evals/renamed.json").message


def test_truncated_json_is_an_error_at_the_end() -> None:
    data = log("prompting.json")
    cut = data[: len(data) // 2]
    finding = refused(cut)
    assert "cut short" in finding.message
    assert finding.line == cut.decode().count("\n") + 1


def test_a_nan_score_is_an_error_at_its_value() -> None:
    data = log("prompting.json").replace(b'"value": "I"', b'"value": NaN', 1)
    finding = refused(data)
    assert "sample 4 is scored nan" in finding.message
    assert (finding.line, finding.column) == (line_of(data, r'"value": NaN'), 20)


def test_a_score_that_is_not_one_grade_is_an_error() -> None:
    data = log("prompting.json").replace(b'"value": "I"', b'"value": {"a": "C"}', 1)
    finding = refused(data)
    assert finding.message == """sample 4: scorer 'match' gives {"a": "C"}, not one grade per sample"""
    assert (finding.line, finding.column) == (line_of(data, r'"value": \{"a"'), 20)


@pytest.mark.parametrize(
    ("value", "correct"),
    [
        ('"C"', True),
        ("1", True),
        ("1.0", True),
        ("true", True),
        ('"I"', False),
        ('"P"', False),
        ("0.5", False),
        ("0", False),
        ("false", False),
        ('"1"', False),
    ],
)
def test_what_counts_as_correct(value: str, correct: bool) -> None:
    data = log("prompting.json").replace(b'"value": "I"', f'"value": {value}'.encode(), 1)
    assert read_inspect(data, "p.json").correct[4] is correct  # the first sample graded "I" is sample 4


def test_duplicate_ids_are_an_error_at_the_second() -> None:
    data = sample_id(log("prompting.json"), 2, "1")
    finding = refused(data)
    assert finding.message == "duplicate example id 1: it appears first on line " + str(
        line_of(data, r'^      "id": 1,') - 1
    )
    assert finding.line == line_of(data, r'^      "id": 1,', nth=1) - 1


def test_ids_of_mixed_types_are_an_error() -> None:
    finding = refused(sample_id(log("prompting.json"), 2, '"2"'))
    assert finding.message.startswith("ids of mixed types: id '2' is text but the first id, 1, is a number")


def test_ids_of_mixed_types_across_the_two_logs_are_an_error() -> None:
    finetuned = log("finetuned.json")
    for number in range(1, 7):
        finetuned = sample_id(finetuned, number, f'"{number}"')
    with pytest.raises(InputError, match=r"ids of mixed types: p\.json names its examples with a number"):
        read_eval_pair("inspect", EvalFile(log("prompting.json"), "p.json"), EvalFile(finetuned, "f.json"))


def test_different_sets_of_ids_name_how_many_and_the_first_few() -> None:
    finetuned = sample_id(sample_id(log("finetuned.json"), 5, "15"), 6, "16")
    with pytest.raises(InputError) as caught:
        read_eval_pair("inspect", EvalFile(log("prompting.json"), "p.json"), EvalFile(finetuned, "f.json"))
    (finding,) = caught.value.findings
    assert finding.message == (
        "the two eval logs do not hold the same examples: 4 ids differ, 2 only in p.json (5, 6); "
        "2 only in f.json (15, 16)"
    )
    assert finding.path == "p.json"


@pytest.mark.parametrize(
    ("samples", "message"),
    [
        ("[]", "the log holds no samples: an empty eval is no evidence"),
        (
            "null",
            "no per-sample results: `samples` is null or missing: the log was written without samples "
            "(`--no-log-samples`?)",
        ),
        ('"x"', "no per-sample results: `samples` is not a list"),
    ],
)
def test_an_empty_log_is_an_error(samples: str, message: str) -> None:
    document = json.loads(log("prompting.json"))
    document["samples"] = "SAMPLES"
    data = json.dumps(document, indent=2).replace('"SAMPLES"', samples).encode()
    finding = refused(data)
    assert finding.message == message
    assert (finding.line, finding.column) == (line_of(data, r'^  "samples"'), 14)


def test_a_log_without_samples_is_an_error_at_its_start() -> None:
    document = json.loads(log("prompting.json"))
    del document["samples"]
    finding = refused(json.dumps(document, indent=2).encode())
    assert finding.message == (
        "no per-sample results: `samples` is null or missing: the log was written without samples (`--no-log-samples`?)"
    )
    assert (finding.line, finding.column) == (1, 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[1, 2]", "not an Inspect eval log"),
        (b'{"status": "success"}', "not an Inspect eval log"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b'{"status": "success", "eval": {}, "samples": [{"no": 1}]}', "an object with an `id`"),
        (b'{"status": "success", "eval": {}, "samples": [{"id": 1, "scores": {}}]}', "no sample holds a score"),
        (
            b'{"status": "started", "eval": {}, "samples": []}',
            "status is 'started', not 'success': only a finished eval",
        ),
        (b'{"status": "error", "eval": {}, "error": {"message": " "}}', "only a finished eval is evidence"),
        (
            b'{"status": "success", "eval": {"config": {"epochs": 1}}, "samples": '
            b'[{"id": 1, "scores": null}, {"id": 2, "scores": {"m": {"value": "C"}}}]}',
            "sample 1 has no score from scorer 'm' (scores: none)",
        ),
        (
            b'{"status": "success", "eval": {}, "samples": [{"id": 1.5, "scores": {"m": {"value": "C"}}}]}',
            "text or a whole number, not a fractional number",
        ),
        (
            b'{"status": "success", "eval": {}, "samples": [{"id": 1, "scores": {"m": {"v": "C"}}}]}',
            "the score has no `value`",
        ),
        (
            b'{"status": "success", "eval": {}, "samples": [{"id": 1, "error": {"message": "boom"}, "scores": {}}]}',
            "sample 1 ended in an error, not an answer (boom)",
        ),
    ],
)
def test_other_malformed_logs(data: bytes, message: str) -> None:
    assert message in refused(data).message


def test_a_json_log_named_dot_eval_is_taken_for_an_archive() -> None:
    finding = refused(log("prompting.json"), "evals/prompting.eval")
    assert finding.message == f"this is an Inspect `.eval` archive, not a JSON log: {HINT}"
    assert read_inspect(log("prompting.json"), "evals/prompting.evaluated.json").correct[1] is True


@pytest.mark.parametrize("data", [b"[1, 2]", b'{"status": "success"}', b'{"eval": {}, "samples": []}'])
def test_a_document_that_is_not_a_log_is_an_error_at_its_start(data: bytes) -> None:
    finding = refused(data)
    assert finding.message == ("not an Inspect eval log: a JSON object with `status`, `eval` and `samples` is expected")
    assert (finding.line, finding.column) == (1, 1)


@pytest.mark.parametrize(
    ("error", "detail"),
    [
        ({"message": "RuntimeError('boom')\nTraceback (most recent call last):"}, " (its error: RuntimeError('boom'))"),
        ({"message": "\n  quota exceeded  \n"}, " (its error: quota exceeded)"),
        ({"message": "x" * 250}, f" (its error: {'x' * 200})"),
        ({"message": " \n "}, ""),
        ({"message": 7}, ""),
        ({"traceback": "..."}, ""),
        ("boom", ""),
        (None, ""),
    ],
)
def test_an_unfinished_eval_names_the_first_line_of_its_error(error: Any, detail: str) -> None:
    data = inspect_json(small_log(graded(1), status="error", error=error))
    finding = refused(data)
    assert finding.message == (f"the eval's status is 'error', not 'success': only a finished eval is evidence{detail}")
    assert (finding.line, finding.column) == place_of(data, r'^  "status": (")')


def test_a_subset_by_sample_id_is_a_warning_its_long_value_cut_short() -> None:
    ids = list(range(1, 31))
    data = inspect_json(small_log(graded(1), eval={"config": {"limit": 3, "sample_id": ids}}))
    limit, subset = read_inspect(data, "l.json").warnings
    assert limit.message == (
        "eval.config.limit is 3: the log scores a subset of the dataset (--limit), "
        "so the figures describe that subset only"
    )
    assert (limit.level, limit.line, limit.column) == ("warning", *place_of(data, r'"limit": (3)'))
    assert subset.message == (
        "eval.config.sample_id is [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,…: "
        "the log scores a subset of the dataset (--sample-id), so the figures describe that subset only"
    )
    assert (subset.level, subset.line, subset.column) == ("warning", *place_of(data, r'"sample_id": (\[)'))


def test_an_eval_that_is_not_an_object_has_no_config_to_check() -> None:
    outcomes = read_inspect(inspect_json(small_log(graded(1), eval="triage")), "l.json")
    assert (outcomes.correct, outcomes.warnings) == ({1: True}, ())


@pytest.mark.parametrize("bad", [{"input": "no id"}, "a sample", None])
def test_a_sample_that_is_not_an_object_with_an_id_is_an_error_at_it(bad: Any) -> None:
    data = inspect_json(small_log(graded(1), bad))
    finding = refused(data)
    assert finding.message == "a sample must be an object with an `id`"
    assert (finding.line, finding.column) == place_of(data, r"^    \},\n    (\S)")  # the second sample


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        ({"message": "  boom\n"}, "boom"),
        ({"message": "x" * 130}, "x" * 120),
        ({"message": 7}, "7"),
        ({"traceback": "..."}, "no message"),
        ({"message": " \n"}, "no message"),
        ("timed out", "timed out"),
        (["a", 1], "['a', 1]"),
    ],
)
def test_a_sample_that_ended_in_an_error_is_an_error_at_it(error: Any, shown: str) -> None:
    data = inspect_json(small_log(graded(1), graded(2, error=error)))
    finding = refused(data)
    assert finding.message == (
        f"sample 2 ended in an error, not an answer ({shown}): rerun it or drop it from both logs"
    )
    assert (finding.line, finding.column) == place_of(data, r'"error": (\S)')


def test_a_log_no_sample_of_which_is_scored_is_an_error_at_its_samples() -> None:
    data = inspect_json(small_log(graded(1) | {"scores": {}}, graded(2) | {"scores": None}))
    finding = refused(data)
    assert finding.message == "no sample holds a score: the log was not scored"
    assert (finding.line, finding.column) == place_of(data, r'^  "samples": (\[)')


@pytest.mark.parametrize("scores", [{}, None, "match"])
def test_a_sample_without_the_scorers_score_is_an_error_at_its_scores(scores: Any) -> None:
    data = inspect_json(small_log(graded(1), graded(2) | {"scores": scores}))
    finding = refused(data)
    assert finding.message == "sample 2 has no score from scorer 'match' (scores: none)"
    assert (finding.line, finding.column) == place_of(data, r'"scores": (\S)', nth=1)


def test_a_score_without_a_value_is_an_error_at_the_score() -> None:
    data = inspect_json(small_log(graded(1), graded(2) | {"scores": {"match": {"answer": "C"}}}))
    finding = refused(data)
    assert finding.message == "sample 2: the score has no `value`"
    assert (finding.line, finding.column) == place_of(data, r'"match": (\{)', nth=1)


def test_a_score_that_is_a_long_list_is_shown_cut_short() -> None:
    data = inspect_json(small_log(graded(1), graded(2, value=list(range(30)))))
    finding = refused(data)
    assert finding.message == (
        "sample 2: scorer 'match' gives [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, …, "
        "not one grade per sample"
    )
    assert (finding.line, finding.column) == place_of(data, r'"value": (\[)')


def pair_of(prompting: list[dict[str, Any]], finetuned: list[dict[str, Any]]) -> int:
    """How many examples two small logs holding these samples pair on."""
    evidence = read_eval_pair(
        "inspect",
        EvalFile(inspect_json(small_log(*prompting)), "p.json"),
        EvalFile(inspect_json(small_log(*finetuned)), "f.json"),
    )
    return evidence.figures.n


def chat(*messages: Any) -> list[dict[str, Any]]:
    return [graded(1), graded(2, input=list(messages))]


def test_a_changed_chat_message_is_a_changed_input() -> None:
    with pytest.raises(InputError) as caught:
        pair_of(chat({"role": "user", "content": "refund"}), chat({"role": "user", "content": "refund now"}))
    (finding,) = caught.value.findings
    assert finding.message.startswith("example 2 differs from the same id in p.json")


def test_the_order_of_a_chat_messages_keys_does_not_count_as_a_changed_input() -> None:
    assert pair_of(chat({"role": "user", "content": "refund"}), chat({"content": "refund", "role": "user"})) == 2


def test_an_input_list_holding_text_rather_than_messages_is_compared_as_it_is() -> None:
    assert pair_of(chat({"role": "user"}, "refund"), chat({"role": "user"}, "refund")) == 2
    with pytest.raises(InputError, match="example 2 differs"):
        pair_of(chat({"role": "user"}, "refund"), chat({"role": "user"}, "refund now"))
