"""The inputs the analysis moves: which pointers a proposal writes, and the prices it reads."""

from __future__ import annotations

from tco_gate.analysis.inputs import written_inputs
from tests.factories import HOSTED_FINETUNE, proposal

PROMPTING_PRICES = [
    "/prompting/input_usd_per_mtok",
    "/prompting/cached_input_usd_per_mtok",
    "/prompting/output_usd_per_mtok",
]
HOSTED = {"monthly_serving_usd": None, "hosted": HOSTED_FINETUNE}


def test_a_proposal_served_on_its_own_gpus_reads_only_prompting_prices() -> None:
    written = written_inputs(proposal(finetune={"monthly_serving_usd": 3000}))
    # The written prices keep their place among the written numbers; the cached price, not written, comes last.
    assert [p for p in written if p.endswith("_usd_per_mtok")] == [
        "/prompting/input_usd_per_mtok",
        "/prompting/output_usd_per_mtok",
        "/prompting/cached_input_usd_per_mtok",
    ]
    assert not any(p.startswith("/finetune/hosted") for p in written)


def test_a_hosted_fine_tune_reads_its_own_three_prices_after_prompting() -> None:
    written = written_inputs(proposal(finetune=HOSTED))
    hosted_prices = [p.replace("/prompting", "/finetune/hosted") for p in PROMPTING_PRICES]
    assert [p for p in written if p.startswith("/finetune/hosted/") and p.endswith("_usd_per_mtok")] == [
        "/finetune/hosted/input_usd_per_mtok",
        "/finetune/hosted/output_usd_per_mtok",
        "/finetune/hosted/cached_input_usd_per_mtok",
    ]
    assert set(hosted_prices) <= set(written) and len(written) == len(set(written))
