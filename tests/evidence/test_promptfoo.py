"""promptfoo results files, as promptfoo 0.121.20 wrote them (tests/evidence/data/promptfoo/), and hostile ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tco_gate.errors import InputError
from tco_gate.evidence.eval_pair import EvalFile, read_eval_promptfoo
from tco_gate.evidence.promptfoo import read_promptfoo

DATA = Path(__file__).parent / "data" / "promptfoo"
PROMPTING, FINETUNED = "openai:gpt-4.1-mini", "vllm:triage-ft"


def results(name: str = "results.json") -> bytes:
    return (DATA / name).read_bytes()


def refused(data: bytes, prompting: str = PROMPTING, finetuned: str = FINETUNED) -> str:
    with pytest.raises(InputError) as caught:
        read_promptfoo(data, "evals/results.json", prompting, finetuned)
    (finding,) = caught.value.findings
    assert finding.path == "evals/results.json"
    return finding.message


def test_both_providers_of_one_file_pair_on_the_test_index() -> None:
    evidence = read_eval_promptfoo(EvalFile(results(), "r.json"), PROMPTING, FINETUNED)
    figures = evidence.figures
    # promptfooconfig.yaml: prompting answers tests 1, 2, 3, 5; the fine-tune 1, 2, 4, 5, 6 (testIdx 0..5)
    assert (figures.n, figures.prompting_correct, figures.finetuned_correct, figures.b, figures.c) == (6, 4, 5, 1, 2)
    prompting, finetuned = read_promptfoo(results(), "r.json", PROMPTING, FINETUNED)
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


def test_a_provider_missing_from_the_file_is_named_with_those_present() -> None:
    message = refused(results(), finetuned="vllm:other")
    assert message == "no rows of provider 'vllm:other' (the providers here: 'openai:gpt-4.1-mini', 'vllm:triage-ft')"
    assert refused(results(), PROMPTING, PROMPTING) == "both systems name provider 'openai:gpt-4.1-mini'"


def test_other_results_versions_are_refused() -> None:
    document = json.loads(results())
    document["results"]["version"] = 2
    assert "promptfoo results version 2: tco-gate reads version 3" in refused(json.dumps(document).encode())


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"provider": {}, "testIdx": 0, "success": True}, "must name its provider"),
        ({"provider": {"id": PROMPTING}, "testIdx": "0", "success": True}, "`testIdx`, a whole number"),
        ({"provider": {"id": PROMPTING}, "testIdx": 0, "success": "yes"}, "`success` must be true or false"),
    ],
)
def test_malformed_rows(row: dict[str, object], message: str) -> None:
    document = {"results": {"version": 3, "results": [row]}}
    assert message in refused(json.dumps(document).encode())


def test_not_a_results_file() -> None:
    assert "not a promptfoo results file" in refused(b'{"evalId": null}')
    assert "cut short" in refused(results()[:-40])
