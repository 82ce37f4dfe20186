"""promptfoo results files, as promptfoo 0.121.20 wrote them (tests/evidence/data/promptfoo/), and hostile ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tco_gate.errors import Finding, InputError
from tco_gate.evidence.eval_pair import EvalFile, read_eval_promptfoo
from tco_gate.evidence.promptfoo import read_promptfoo

DATA = Path(__file__).parent / "data" / "promptfoo"
PROMPTING, FINETUNED = "openai:gpt-4.1-mini", "vllm:triage-ft"


def results(name: str = "results.json") -> bytes:
    return (DATA / name).read_bytes()


def refusal(data: bytes, prompting: str = PROMPTING, finetuned: str = FINETUNED) -> Finding:
    with pytest.raises(InputError) as caught:
        read_promptfoo(data, "evals/results.json", prompting, finetuned)
    (finding,) = caught.value.findings
    assert finding.path == "evals/results.json"
    return finding


def refused(data: bytes, prompting: str = PROMPTING, finetuned: str = FINETUNED) -> str:
    return refusal(data, prompting, finetuned).message


def error_at(line: int | None, column: int | None, message: str) -> Finding:
    return Finding("error", message, line=line, column=column, path="evals/results.json")


def rows_file(*rows: object, version: object = 3) -> bytes:
    """A results file with one row a line: row i on line i + 2 at column 3; the rows' `[` at line 1, column 39."""
    body = ",\n".join("  " + json.dumps(row) for row in rows)
    return f'{{"results": {{"version": {json.dumps(version)}, "results": [\n{body}\n]}}}}\n'.encode()


def row(provider: str, test: object = 0, success: object = True, **fields: object) -> dict[str, object]:
    return {"provider": {"id": provider}, "testIdx": test, "success": success, **fields}


def test_both_providers_of_one_file_pair_on_the_test_index() -> None:
    evidence = read_eval_promptfoo(EvalFile(results(), "r.json"), PROMPTING, FINETUNED)
    figures = evidence.figures
    # promptfooconfig.yaml: prompting answers tests 1, 2, 3, 5; the fine-tune 1, 2, 4, 5, 6 (testIdx 0..5)
    assert (figures.n, figures.prompting_correct, figures.finetuned_correct, figures.b, figures.c) == (6, 4, 5, 1, 2)
    prompting, finetuned = read_promptfoo(results(), "r.json", PROMPTING, FINETUNED)
    assert (prompting.path, finetuned.path) == ("r.json", "r.json")
    assert prompting.correct == {0: True, 1: True, 2: True, 3: False, 4: True, 5: False}
    assert finetuned.correct == {0: True, 1: True, 2: False, 3: True, 4: True, 5: True}


def test_a_provider_is_named_by_its_id_when_it_has_no_label() -> None:
    document = json.loads(results())
    for row in document["results"]["results"]:
        row["provider"] = {"id": row["provider"]["label"].replace("openai:", "openai:chat:")}
    prompting, _ = read_promptfoo(json.dumps(document).encode(), "r.json", "openai:chat:gpt-4.1-mini", FINETUNED)
    assert len(prompting.correct) == 6


def test_an_errored_row_is_an_error_not_a_wrong_answer() -> None:
    data = results("errored.json")
    with pytest.raises(InputError) as caught:
        read_promptfoo(data, "r.json", PROMPTING, FINETUNED)
    (finding,) = caught.value.findings
    assert "ended in an error, not an answer (upstream timeout)" in finding.message
    assert finding.message.startswith("test 2 of provider")
    text = data.decode()
    row_start = text.rfind("\n      {", 0, text.index('"failureReason": 2'))  # the row's opening brace
    assert (finding.line, finding.column) == (text.count("\n", 0, row_start) + 2, 7)


def test_two_prompts_give_a_provider_two_rows_per_test() -> None:
    message = refused(results("two-prompts.json"))
    assert message.startswith("duplicate example id")
    assert "more than one prompt or `--repeat`" in message


def test_a_fine_tune_run_twice_is_refused_with_the_same_hint() -> None:
    data = rows_file(row(PROMPTING), row(FINETUNED), row(FINETUNED))
    assert refusal(data) == error_at(
        4,
        3,
        "duplicate example id 0: it appears first on line 3 for this provider (more than one prompt or `--repeat`: "
        "give each provider one prompt and run each test once)",
    )


def test_rows_of_other_providers_are_passed_over() -> None:
    data = rows_file(row("openai:gpt-4o"), row(PROMPTING), row("openai:gpt-4o", 1), row(FINETUNED, success=False))
    prompting, finetuned = read_promptfoo(data, "r.json", PROMPTING, FINETUNED)
    assert (prompting.correct, finetuned.correct) == ({0: True}, {0: False})


def test_an_errored_row_without_a_message_says_so() -> None:
    data = rows_file(row(PROMPTING), row(FINETUNED, 4, False, failureReason=2))
    assert refusal(data) == error_at(
        3,
        3,
        "test 4 of provider 'vllm:triage-ft' ended in an error, not an answer (no message): rerun it or drop the test",
    )


def test_an_errored_rows_message_is_cut_to_120_characters() -> None:
    error = "  " + "a" * 119 + "bcd  "
    data = rows_file(row(PROMPTING, 4, False, failureReason=2, error=error))
    assert refused(data) == (
        f"test 4 of provider 'openai:gpt-4.1-mini' ended in an error, not an answer ({'a' * 119}b): "
        "rerun it or drop the test"
    )


def test_a_provider_missing_from_the_file_is_named_with_those_present() -> None:
    message = refused(results(), finetuned="vllm:other")
    assert message == "no rows of provider 'vllm:other' (the providers here: 'openai:gpt-4.1-mini', 'vllm:triage-ft')"
    assert refused(results(), PROMPTING, PROMPTING) == "both systems name provider 'openai:gpt-4.1-mini'"


def test_a_provider_missing_is_an_error_at_the_rows() -> None:
    assert refusal(rows_file(row(PROMPTING), row("openai:gpt-4o"))) == error_at(
        1, 39, "no rows of provider 'vllm:triage-ft' (the providers here: 'openai:gpt-4.1-mini', 'openai:gpt-4o')"
    )
    assert refusal(rows_file()) == error_at(
        1, 39, "no rows of provider 'openai:gpt-4.1-mini' (the providers here: none)"
    )


def test_both_systems_naming_one_provider_is_an_error_about_the_file() -> None:
    assert refusal(results(), FINETUNED, FINETUNED) == error_at(
        None, None, "both systems name provider 'vllm:triage-ft'"
    )


def test_other_results_versions_are_refused() -> None:
    document = json.loads(results())
    document["results"]["version"] = 2
    assert "promptfoo results version 2: tco-gate reads version 3" in refused(json.dumps(document).encode())


def test_another_results_version_is_an_error_at_the_version() -> None:
    assert refusal(rows_file(row(PROMPTING), row(FINETUNED), version="2")) == error_at(
        1,
        25,
        "promptfoo results version '2': tco-gate reads version 3, what `promptfoo eval -o results.json` writes today",
    )


NAMELESS = "a row must name its provider (`provider.label` or `provider.id`)"
NO_TEST_INDEX = "a row must carry its test's `testIdx`, a whole number"


@pytest.mark.parametrize(
    ("bad", "pointed_at", "message"),
    [
        ({"provider": {}, "testIdx": 0, "success": True}, "", NAMELESS),
        ("a row", "", NAMELESS),
        (row(FINETUNED, "0"), "", NO_TEST_INDEX),
        (row(FINETUNED, True), "", NO_TEST_INDEX),
        (row(FINETUNED, 0, "yes"), '"yes"', "`success` must be true or false"),
    ],
)
def test_malformed_rows_are_errors_at_the_row_or_its_field(bad: object, pointed_at: str, message: str) -> None:
    column = 3 + json.dumps(bad).index(pointed_at)  # the second row's text starts at column 3
    assert refusal(rows_file(row(PROMPTING), bad)) == error_at(3, column, message)


def test_not_a_results_file() -> None:
    message = "not a promptfoo results file: `results.results[]` is expected (`promptfoo eval -o`)"
    assert refusal(b'{"evalId": null}') == error_at(1, 1, message)
    assert refusal(b"[1, 2]") == error_at(1, 1, message)
    assert refusal(b'{"results": {"version": 3}}') == error_at(1, 1, message)
    assert "cut short" in refused(results()[:-40])
