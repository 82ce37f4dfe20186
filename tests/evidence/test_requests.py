"""A proposal's `evidence:` section: the files it names, and what measure() makes of their bytes, per format."""

from __future__ import annotations

import json

from tco_gate.errors import Finding
from tco_gate.evidence.requests import EvidenceRead, measure, paths_named
from tests.evidence.writers import lm_eval_run, usage_days, usage_page, usage_row, vllm_file, vllm_result
from tests.paths import TESTS

DATA = TESTS / "evidence" / "data"


def read(written: str, data: bytes | None = None, problem: str = "") -> EvidenceRead:
    return EvidenceRead(written, f"shown/{written}", data, "0" * 64 if data is not None else None, problem)


def test_the_files_named_once_each_in_order() -> None:
    data = {
        "evidence": {
            "eval": {"format": "jsonl", "prompting": "p.jsonl", "finetuned": "f.jsonl"},
            "usage": {"format": "csv", "file": "p.jsonl"},
            "serving_benchmark": "not a mapping",
        }
    }
    assert paths_named(data) == ["p.jsonl", "f.jsonl"]
    assert paths_named({"evidence": None}) == [] and paths_named([1]) == []


def test_promptfoo_through_measure() -> None:
    data = (DATA / "promptfoo" / "results.json").read_bytes()
    section = {
        "format": "promptfoo",
        "file": "r.json",
        "prompting_provider": "openai:gpt-4.1-mini",
        "finetuned_provider": "vllm:triage-ft",
    }
    measured = measure({"evidence": {"eval": section}}, {"r.json": read("r.json", data)})
    assert measured.eval is not None and (measured.eval.b, measured.eval.c) == (1, 2)
    assert measured.kinds == ("eval",)
    assert [(kind, r.shown) for kind, r in measured.files] == [("eval", "shown/r.json")]
    section.pop("finetuned_provider")  # validation words the missing key; the reader is not run
    assert measure({"evidence": {"eval": section}}, {"r.json": read("r.json", data)}).eval is None


def test_lm_eval_and_an_inspect_warning_through_measure() -> None:
    files = {"p": read("p", lm_eval_run({0, 1})), "f": read("f", lm_eval_run({0, 2}))}
    entry = {"format": "lm-eval", "prompting": "p", "finetuned": "f", "scorer": "acc"}
    assert measure({"evidence": {"eval": entry}}, files).eval is not None
    limited = (DATA / "inspect" / "limited.json").read_bytes()
    inspect = {"format": "inspect", "prompting": "l", "finetuned": "m"}
    measured = measure({"evidence": {"eval": inspect}}, {"l": read("l", limited), "m": read("m", limited)})
    warnings = [f for f in measured.findings if f.level == "warning"]
    assert len(warnings) == 2 and warnings[0].pointer == "/evidence/eval"
    assert warnings[0].message.startswith("shown/l:")


def test_usage_csv_and_openai_through_measure_with_their_warnings() -> None:
    csv = b"month,requests,input_tokens,cached_input_tokens,output_tokens\n2026-02,10,20,0,5\n"
    measured = measure({"evidence": {"usage": {"format": "csv", "file": "u.csv"}}}, {"u.csv": read("u.csv", csv)})
    assert measured.usage is not None and measured.usage.days == 28
    page = usage_page(usage_days(1_793_491_200, 3, [usage_row(10, 100, 0, 10, "m")]))
    entry = {"format": "openai-usage", "file": "u.json", "model": "m"}
    measured = measure({"evidence": {"usage": entry}}, {"u.json": read("u.json", json.dumps(page).encode())})
    assert measured.usage is not None
    (warning,) = measured.findings
    assert warning.pointer == "/evidence/usage" and "fewer than 28" in warning.message
    unknown = {"format": "other", "file": "u.json"}
    assert measure({"evidence": {"usage": unknown}}, {"u.json": read("u.json", b"{}")}).usage is None


def test_a_bench_warning_and_an_unknown_bench_format() -> None:
    from tests.evidence.writers import vllm_file, vllm_result

    data = vllm_file(vllm_result(completed=99, failed=1))
    entry = {"format": "vllm-bench", "file": "b.json", "gpus": 2}
    measured = measure({"evidence": {"serving_benchmark": entry}}, {"b.json": read("b.json", data)})
    assert measured.bench is not None and measured.measured.bench_gpus == 2
    assert [f.pointer for f in measured.findings] == ["/evidence/serving_benchmark"]
    entry["format"] = "other"
    assert measure({"evidence": {"serving_benchmark": entry}}, {"b.json": read("b.json", data)}).bench is None


def test_a_file_that_could_not_be_read_and_one_that_is_refused() -> None:
    entry = {"format": "jsonl", "prompting": "p", "finetuned": "f"}
    files = {"p": read("p", problem="no such file"), "f": read("f", b'{"id": 1, "correct": tru\n')}
    measured = measure({"evidence": {"eval": entry}}, files)
    assert measured.eval is None
    assert [(f.pointer, f.message) for f in measured.findings] == [
        ("/evidence/eval/prompting", "shown/p: no such file"),
    ]
    files["p"] = read("p", b'{"id": 1, "correct": true}\n')
    (finding,) = measure({"evidence": {"eval": entry}}, files).findings
    assert finding.pointer == "/evidence/eval/finetuned" and finding.message.startswith("shown/f:1:22: not valid JSON")
    assert measure({"evidence": {"eval": {"format": 3}}}, files).eval is None
    assert measure({"evidence": {"eval": {"format": "jsonl"}}}, files).eval is None


def jsonl_pair() -> dict[str, EvidenceRead]:
    return {"p": read("p", b'{"id": 1, "correct": true}\n'), "f": read("f", b'{"id": 1, "correct": false}\n')}


def test_the_paths_each_figure_came_from() -> None:
    eval_entry = {"format": "jsonl", "prompting": "p", "finetuned": "f"}
    bench = {"format": "vllm-bench", "file": "b.json"}
    files = {**jsonl_pair(), "b.json": read("b.json", vllm_file(vllm_result()))}
    measured = measure({"evidence": {"eval": eval_entry, "serving_benchmark": bench}}, files).measured
    assert (measured.eval_path, measured.eval_finetuned_path) == ("shown/p", "shown/f")
    assert (measured.bench_path, measured.usage_path) == ("shown/b.json", "")
    nothing = measure({"evidence": {}}, files).measured
    assert (nothing.eval_path, nothing.eval_finetuned_path, nothing.bench_path) == ("", "", "")


def test_the_gpus_of_a_benchmark_default_to_one_and_must_be_a_whole_number_from_one() -> None:
    files = {"b.json": read("b.json", vllm_file(vllm_result()))}

    def gpus(**entry: object) -> int:
        bench = {"format": "vllm-bench", "file": "b.json", **entry}
        return measure({"evidence": {"serving_benchmark": bench}}, files).measured.bench_gpus

    assert gpus() == 1 and gpus(gpus=1) == 1 and gpus(gpus=4) == 4
    assert gpus(gpus=0) == 1 and gpus(gpus=-2) == 1 and gpus(gpus=True) == 1 and gpus(gpus="2") == 1
    assert measure({"evidence": {"serving_benchmark": "b.json"}}, files).measured.bench_gpus == 1


def test_a_file_the_run_did_not_hand_over_is_listed_as_written_and_reported() -> None:
    entry = {"format": "jsonl", "prompting": "p", "finetuned": "f"}
    measured = measure({"evidence": {"eval": entry}}, {"f": jsonl_pair()["f"]})
    assert measured.files[0] == ("eval", EvidenceRead("p", "p", problem="not read: no file given"))
    assert measured.findings == (Finding("error", "p: not read: no file given", "/evidence/eval/prompting"),)


def test_a_file_with_a_problem_is_not_read_even_with_bytes() -> None:
    files = jsonl_pair()
    files["p"] = read("p", files["p"].data, problem="larger than the limit")
    entry = {"format": "jsonl", "prompting": "p", "finetuned": "f"}
    measured = measure({"evidence": {"eval": entry}}, files)
    assert measured.eval is None
    assert measured.findings == (Finding("error", "shown/p: larger than the limit", "/evidence/eval/prompting"),)


def test_the_scorer_chooses_the_lm_eval_metric_and_is_ignored_unless_text() -> None:
    no_acc = {
        "p": read("p", lm_eval_run({0}, metrics=("exact", "f1"))),
        "f": read("f", lm_eval_run({1}, metrics=("exact", "f1"))),
    }
    entry = {"format": "lm-eval", "prompting": "p", "finetuned": "f", "scorer": "f1"}
    measured = measure({"evidence": {"eval": entry}}, no_acc)
    assert measured.findings == () and measured.eval is not None and (measured.eval.b, measured.eval.c) == (1, 1)
    files = {"p": read("p", lm_eval_run({0})), "f": read("f", lm_eval_run({1}))}
    measured = measure({"evidence": {"eval": {**entry, "scorer": 3}}}, files)
    assert measured.findings == () and measured.eval is not None


def test_an_eval_whose_files_do_not_fit_its_format_gives_no_figures_and_no_finding() -> None:
    files = {**jsonl_pair(), "r": read("r", (DATA / "promptfoo" / "results.json").read_bytes())}
    providers = {"prompting_provider": "openai:gpt-4.1-mini", "finetuned_provider": "vllm:triage-ft"}
    unfit = [
        {"format": "promptfoo", "prompting": "p", "finetuned": "f", **providers},
        {"format": "promptfoo", "file": "r", "prompting_provider": "openai:gpt-4.1-mini"},
        {"format": "jsonl", "finetuned": "f"},
        {"format": "other", "prompting": "p", "finetuned": "f"},
    ]
    for entry in unfit:
        measured = measure({"evidence": {"eval": entry}}, files)
        assert (measured.eval, measured.findings) == (None, ())


def test_an_openai_usage_model_is_ignored_unless_text() -> None:
    page = usage_page(usage_days(1_793_491_200, 28, [usage_row(10, 100, 0, 10, "m")]))
    entry = {"format": "openai-usage", "file": "u.json", "model": 3}
    measured = measure({"evidence": {"usage": entry}}, {"u.json": read("u.json", json.dumps(page).encode())})
    assert measured.findings == () and measured.usage is not None and measured.usage.requests == 280


def test_a_refused_usage_csv_is_reported_at_its_own_line_and_column() -> None:
    entry = {"format": "csv", "file": "u.csv"}
    measured = measure({"evidence": {"usage": entry}}, {"u.csv": read("u.csv", b"month,requests\n")})
    assert measured.usage is None
    message = (
        "shown/u.csv:1:1: the header must name the columns "
        "`month,requests,input_tokens,cached_input_tokens,output_tokens`"
    )
    assert measured.findings == (Finding("error", message, "/evidence/usage/file"),)


def test_a_finding_with_a_line_but_no_column_names_the_line_only() -> None:
    files = jsonl_pair()
    files["f"] = read("f", b"[" * 100_000 + b"\n")
    entry = {"format": "jsonl", "prompting": "p", "finetuned": "f"}
    (finding,) = measure({"evidence": {"eval": entry}}, files).findings
    assert finding == Finding("error", "shown/f:1: not valid JSON: nested too deeply", "/evidence/eval/finetuned")


def test_a_usage_file_written_as_a_list_is_left_to_validation() -> None:
    entry = {"format": "csv", "file": ["u.csv"]}
    measured = measure({"evidence": {"usage": entry}}, {"u.csv": read("u.csv", b"")})
    assert (measured.usage, measured.findings, measured.measured.usage_path) == (None, (), "")


def test_a_finding_with_no_place_keeps_its_message_bare() -> None:
    files = {"p": EvidenceRead("p", "", b"PK\x03\x04", "0" * 64), "f": read("f", b"PK\x03\x04")}
    entry = {"format": "inspect", "prompting": "p", "finetuned": "f"}
    (finding,) = measure({"evidence": {"eval": entry}}, files).findings
    message = (
        "this is an Inspect `.eval` archive, not a JSON log: "
        "convert it with `inspect log convert --to json` (or run the eval with `--log-format json`)"
    )
    assert finding == Finding("error", message, "/evidence/eval/prompting")
