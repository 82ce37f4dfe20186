"""Pairing two systems' results on their example ids (the plain JSON Lines reader feeds most of these)."""

from __future__ import annotations

import pytest

from tco_gate.errors import Finding, InputError
from tco_gate.evidence.eval_pair import EvalFile, read_eval_pair
from tco_gate.evidence.jsontext import parse_json
from tco_gate.evidence.pairing import Outcomes, OutcomesBuilder, Place, pair
from tco_gate.evidence.plain_jsonl import read_jsonl


def jsonl(*ids: object) -> bytes:
    return "".join(f'{{"id": {key}, "correct": true}}\n' for key in ids).encode()


def refused(prompting: bytes, finetuned: bytes) -> Finding:
    with pytest.raises(InputError) as caught:
        read_eval_pair("jsonl", EvalFile(prompting, "p.jsonl"), EvalFile(finetuned, "f.jsonl"))
    (finding,) = caught.value.findings
    assert finding.level == "error"
    return finding


def asked(path: str, questions: dict[int, str]) -> Outcomes:
    """A side that records what each example asked, as Inspect's and lm-evaluation-harness's readers do."""
    document = parse_json(f"[{', '.join(str(key) for key in questions)}]".encode(), path)
    builder = OutcomesBuilder(path, fingerprint_name="input or target")
    for index, (key, question) in enumerate(questions.items()):
        builder.add(key, True, Place(document, (index,)), question)
    return builder.build(Finding("error", "empty", path=path))


def test_ids_of_another_type_than_the_other_files_are_an_error_at_its_first_id() -> None:
    finding = refused(jsonl(1, 2), jsonl('"1"', '"2"'))
    assert finding.message == (
        "ids of mixed types: p.jsonl names its examples with a number (first 1), this file with text (first '1')"
    )
    assert (finding.path, finding.line, finding.column) == ("f.jsonl", 1, 8)


def test_five_differing_ids_are_all_shown_without_an_ellipsis() -> None:
    finding = refused(jsonl(*range(8)), jsonl(*range(5, 8)))
    assert finding.message == (
        "the two eval logs do not hold the same examples: 5 ids differ, 5 only in p.jsonl (0, 1, 2, 3, 4)"
    )
    assert (finding.path, finding.line, finding.column) == ("p.jsonl", 1, 8)


def test_ids_only_in_the_finetuned_file_are_an_error_at_the_first_of_them() -> None:
    finding = refused(jsonl(1, 2), jsonl(1, 2, 30, 40))
    assert finding.message == (
        "the two eval logs do not hold the same examples: 2 ids differ, 2 only in f.jsonl (30, 40)"
    )
    assert (finding.path, finding.line, finding.column) == ("f.jsonl", 3, 8)


def test_a_plain_jsonl_file_records_no_fingerprint() -> None:
    outcomes = read_jsonl(jsonl(1, 2), "p.jsonl")
    assert (outcomes.fingerprint_name, outcomes.fingerprints) == ("", {})


def test_a_side_without_fingerprints_is_paired_on_its_ids_alone() -> None:
    with_questions = asked("p.json", {1: "2+2?", 2: "3+3?"})
    without = read_jsonl(jsonl(1, 2), "f.jsonl")
    assert pair(with_questions, without).n == 2
    assert pair(without, with_questions).n == 2


def test_a_changed_question_is_an_error_at_the_finetuned_example() -> None:
    with pytest.raises(InputError) as caught:
        pair(asked("p.json", {1: "2+2?", 2: "3+3?"}), asked("f.json", {1: "2+2?", 2: "3+4?"}))
    (finding,) = caught.value.findings
    assert finding.message == (
        "example 2 differs from the same id in p.json (line 1): its input or target changed, so the two systems "
        "were not scored on the same eval set"
    )
    assert (finding.level, finding.path, finding.line, finding.column) == ("error", "f.json", 1, 5)
