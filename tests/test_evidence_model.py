"""The `evidence:` section's rules and the policy's `bounds`, each refused at its line."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import pytest

from tco_gate.errors import InputError
from tco_gate.evidence_model import _leaf_types, numeric_paths
from tco_gate.loader import load
from tco_gate.models import Policy, Proposal
from tco_gate.validation import validate
from tests.paths import EXAMPLES

MEASURED = (EXAMPLES / "support-triage-measured" / "finetune-proposal.yml").read_text(encoding="utf-8")
EVAL = "  eval:                                # both systems on the same 400 gold tickets, one line per ticket\n"


def refused(text: str, wanted: str) -> int | None:
    """The line of the finding that says `wanted` (the example leaves its measured figures to the evidence, so
    validated alone it also misses them)."""
    with pytest.raises(InputError) as caught:
        validate(load(text.encode()), Proposal)
    (line,) = [finding.line for finding in caught.value.findings if wanted in finding.message]
    return line


def with_eval(lines: str) -> str:
    start = MEASURED.index(EVAL) + len(EVAL)
    end = MEASURED.index("  usage:")
    return MEASURED[:start] + lines + MEASURED[end:]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("    format: promptfoo\n    prompting: p.json\n", "`prompting` does not go with `format: promptfoo`"),
        ("    format: jsonl\n    prompting: p.jsonl\n", "`format: jsonl` needs `prompting` and `finetuned`"),
        (
            "    format: promptfoo\n    file: r.json\n    prompting_provider: a\n",
            "`format: promptfoo` needs `file`, `prompting_provider` and `finetuned_provider`",
        ),
        (
            "    format: jsonl\n    prompting: p\n    finetuned: f\n    scorer: match\n",
            "`scorer` chooses among an inspect log's scorers or lm-eval's metrics, not jsonl's",
        ),
    ],
)
def test_eval_evidence_keys_go_with_their_format(lines: str, message: str) -> None:
    assert refused(with_eval(lines), message) is not None


def test_usage_model_goes_with_the_api_export_and_gpus_are_whole() -> None:
    csv = MEASURED.replace("    format: openai-usage ", "    format: csv ")
    assert refused(csv, "`model` picks rows of an openai-usage export") == 19  # the `model:` line
    assert refused(MEASURED.replace("    gpus: 1", "    gpus: 0"), "`gpus`") == 23
    promptfoo = with_eval(
        "    format: promptfoo\n    file: r.json\n    prompting_provider: a\n    finetuned_provider: b\n"
    )
    with pytest.raises(InputError) as caught:  # only the figures the evidence would measure are missing
        validate(load(promptfoo.encode()), Proposal)
    assert caught.value.findings and not [f for f in caught.value.findings if f.pointer.startswith("/evidence")]


@pytest.mark.parametrize(
    ("bound", "message"),
    [("{}", "a bound needs `min`, `max` or both"), ("{min: 5, max: 4}", "`max: 4` is below `min: 5`")],
)
def test_a_bound_is_a_range(bound: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        validate(load(f"version: 1\nbounds:\n  prompting.monthly_eng_hours: {bound}\n".encode(), kind="policy"), Policy)
    (finding,) = caught.value.findings
    assert message in finding.message and finding.line == 3


def test_bounds_may_name_every_number_of_a_proposal() -> None:
    paths = numeric_paths(Proposal)
    assert paths["workload.requests_per_month"] is not None
    assert "finetune.serving.committed.gpus" in paths and "name" not in paths and "finetune.base_model" not in paths


def test_the_leaf_types_of_an_annotation_look_through_annotated_and_unions_only() -> None:
    # Annotated's metadata and a Literal's values are not types the field may hold.
    assert _leaf_types(Annotated[int, "a bound"]) == [int]
    assert _leaf_types(Annotated[Decimal, "a bound"] | None) == [Decimal, type(None)]
    assert _leaf_types(Literal["reserved", "owned"]) == [Literal["reserved", "owned"]]
    assert _leaf_types(Literal["a"] | int) == [Literal["a"], int]
