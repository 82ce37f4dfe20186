"""The plain `{id, correct}` JSON Lines format."""

from __future__ import annotations

import pytest

from tco_gate.errors import InputError
from tco_gate.evidence.eval_pair import EvalFile, read_eval_pair
from tco_gate.evidence.plain_jsonl import read_jsonl


def jsonl(*lines: str) -> bytes:
    return "\n".join(lines).encode() + b"\n"


def refused(data: bytes) -> tuple[str, int | None, int | None]:
    with pytest.raises(InputError) as caught:
        read_jsonl(data, "evals/p.jsonl")
    (finding,) = caught.value.findings
    assert (finding.level, finding.path) == ("error", "evals/p.jsonl")  # every refusal names the file it is in
    return finding.message, finding.line, finding.column


def test_two_files_pair_on_their_ids_in_any_order() -> None:
    prompting = jsonl('{"id": "a", "correct": true}', '{"id": "b", "correct": false}', '{"id": "c", "correct": true}')
    finetuned = jsonl('{"id": "c", "correct": false}', '{"id": "a", "correct": true}', '{"id": "b", "correct": true}')
    figures = read_eval_pair("jsonl", EvalFile(prompting, "p"), EvalFile(finetuned, "f")).figures
    assert (figures.n, figures.b, figures.c) == (3, 1, 1)


def test_blank_lines_and_crlf_are_fine() -> None:
    assert read_jsonl(b'{"id": 1, "correct": true}\r\n\r\n{"id": 2, "correct": false}\r\n', "p").correct == {
        1: True,
        2: False,
    }


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            jsonl('{"id": 1, "correct": true}', '{"id": 1, "correct": false}'),
            ("duplicate example id 1: it appears first on line 1", 2, 8),
        ),
        (
            jsonl('{"id": 1, "correct": true}', '{"id": "2", "correct": false}'),
            (
                "ids of mixed types: id '2' is text but the first id, 1, is a number; an id 7 and an id \"7\" are "
                "different examples, so nothing is guessed",
                2,
                8,
            ),
        ),
        (jsonl('{"id": 1, "correct": 1}'), ("`correct` must be true or false, not 1", 1, 22)),
        (jsonl('{"id": 1, "correct": NaN}'), ("`correct` must be true or false, not nan", 1, 22)),
        (jsonl('{"id": null, "correct": true}'), ("an example id must be text or a whole number, not null", 1, 8)),
        (jsonl('{"id": true, "correct": true}'), ("an example id must be text or a whole number, not a boolean", 1, 8)),
        (jsonl('{"id": [1], "correct": true}'), ("an example id must be text or a whole number, not a list", 1, 8)),
        (jsonl('{"id": {}, "correct": true}'), ("an example id must be text or a whole number, not an object", 1, 8)),
        (jsonl('{"correct": true}'), ('each line must be an object {"id": ..., "correct": true|false}', 1, 1)),
        (jsonl('{"id": 1, "correct": true}', '{"id": 2, "correct": tru'), ("not valid JSON: Expecting value", 2, 22)),
        (
            jsonl('{"id": 1, "correct": true}', '{"id": 2, "correct": true'),
            ("not valid JSON: the file ends in the middle of the document (cut short?)", 2, 26),
        ),
        (b"", ("the file holds no examples: an empty eval is no evidence", None, None)),
        (b'{"id": 1, "correct": true}\n\xc3\x28\n', ("the file is not UTF-8 text", 2, 1)),
    ],
)
def test_hostile_lines_are_errors_at_their_line_and_column(data: bytes, expected: tuple[str, int, int]) -> None:
    assert refused(data) == expected


def test_different_id_sets_show_at_most_five() -> None:
    prompting = jsonl(*(f'{{"id": {i}, "correct": true}}' for i in range(20)))
    finetuned = jsonl(*(f'{{"id": {i}, "correct": true}}' for i in range(3, 20)))
    with pytest.raises(InputError) as caught:
        read_eval_pair("jsonl", EvalFile(prompting, "p"), EvalFile(finetuned, "f"))
    assert caught.value.findings[0].message == (
        "the two eval logs do not hold the same examples: 3 ids differ, 3 only in p (0, 1, 2)"
    )
    finetuned = jsonl(*(f'{{"id": {i}, "correct": true}}' for i in range(10, 30)))
    with pytest.raises(InputError) as caught:
        read_eval_pair("jsonl", EvalFile(prompting, "p"), EvalFile(finetuned, "f"))
    assert caught.value.findings[0].message == (
        "the two eval logs do not hold the same examples: 20 ids differ, 10 only in p (0, 1, 2, 3, 4, …); "
        "10 only in f (20, 21, 22, 23, 24, …)"
    )
    assert caught.value.findings[0].line == 1
