"""The part-2 keys of a proposal (replicas, regions, autoscaling, a committed fleet, the hosted fine-tune's decline,
the cost of errors): their ranges and their rules between keys, each reported at its own line and column."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tco_gate.errors import Finding, InputError
from tco_gate.loader import load
from tco_gate.models import Proposal
from tco_gate.validation import validate

pytestmark = pytest.mark.usefixtures("yaml_parser")

SERVING_END = "    min_gpus: 1\n"
RESERVED = "    committed:\n      gpus: 4\n      monthly_usd_per_gpu: 1100\n"
OWNED = (
    "    committed:\n      gpus: 8\n      purchase_usd_per_gpu: 30000\n      depreciation_months: 36\n"
    "      watts_per_gpu: 700\n      pue: 1.3\n      usd_per_kwh: 0.12\n"
)


def with_serving(spec_text: str, extra: str, *, drop_hourly: bool = False) -> str:
    assert SERVING_END in spec_text
    text = spec_text.replace(SERVING_END, SERVING_END + extra)
    return text.replace("    gpu_hourly_usd: 0.80\n", "") if drop_hourly else text


def findings(text: str) -> list[Finding]:
    with pytest.raises(InputError) as caught:
        validate(load(text.encode()), Proposal)
    return list(caught.value.findings)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_specs_part_2_keys_are_valid_and_default_to_todays_fleet(spec_text: str) -> None:
    plain = validate(load(spec_text.encode()), Proposal).finetune.serving
    assert plain is not None
    assert (plain.gpus_per_replica, plain.regions, plain.autoscaling, plain.committed) == (1, 1, False, None)
    text = with_serving(spec_text, "    gpus_per_replica: 2\n    regions: 2\n    autoscaling: true\n" + RESERVED)
    serving = validate(load(text.encode()), Proposal).finetune.serving
    assert serving is not None and serving.committed is not None
    assert (serving.gpus_per_replica, serving.regions, serving.autoscaling) == (2, 2, True)
    assert not serving.committed.owned and serving.committed.monthly_usd_per_gpu == 1100
    owned = validate(load(with_serving(spec_text, OWNED, drop_hourly=True).encode()), Proposal).finetune.serving
    assert owned is not None and owned.committed is not None and owned.committed.owned and not owned.burst
    assert owned.committed.monthly_licence_usd_per_gpu == 0


@pytest.mark.parametrize(
    ("extra", "key", "needle"),
    [
        ("    gpus_per_replica: 0\n", "gpus_per_replica", "must be a whole number >= 1 and <= 1,024, got the number 0"),
        ("    gpus_per_replica: 1.5\n", "gpus_per_replica", "must be a whole number"),
        ("    regions: 0\n", "regions", "must be a whole number >= 1 and <= 100, got the number 0"),
        ("    autoscaling: yes\n", "autoscaling", "must be true or false, got the text `yes`"),
        ("    committed:\n      gpus: 0\n      monthly_usd_per_gpu: 1\n", "gpus", ">= 1 and <= 1,000,000"),
        ("    committed:\n      gpus: 2\n      monthly_usd_per_gpu: -1\n", "monthly_usd_per_gpu", ">= 0"),
        (OWNED.replace("pue: 1.3", "pue: 0.9"), "pue", "must be a number >= 1 and <= 10, got the number 0.9"),
        (OWNED.replace("watts_per_gpu: 700", "watts_per_gpu: 0"), "watts_per_gpu", "> 0 and <= 100,000"),
        (OWNED.replace("depreciation_months: 36", "depreciation_months: 0"), "depreciation_months", ">= 1"),
        (OWNED.replace("usd_per_kwh: 0.12", "usd_per_kwh: -0.1"), "usd_per_kwh", ">= 0 and <= 1,000"),
    ],
)
def test_each_new_serving_key_has_its_range_at_its_value(spec_text: str, extra: str, key: str, needle: str) -> None:
    text = with_serving(spec_text, extra)
    (finding,) = findings(text)
    assert finding.pointer.endswith(f"/{key}") and needle in finding.message, finding
    assert finding.line == line_of(text, f" {key}: ")


@pytest.mark.parametrize(
    ("extra", "drop_hourly", "key", "needle"),
    [
        (
            RESERVED + "      purchase_usd_per_gpu: 30000\n",
            False,
            "purchase_usd_per_gpu",
            "`purchase_usd_per_gpu` cannot go with `monthly_usd_per_gpu`: a committed fleet is either reserved",
        ),
        (
            "    committed:\n      gpus: 4\n",
            False,
            "committed",
            "say how the committed fleet is bought: `monthly_usd_per_gpu` (reserved), or `purchase_usd_per_gpu` "
            "with `depreciation_months`, `watts_per_gpu`, `pue`, `usd_per_kwh` (owned)",
        ),
        (
            RESERVED + "      pue: 1.2\n",
            False,
            "pue",
            "`pue` is for owned hardware (`purchase_usd_per_gpu`): a reserved price (`monthly_usd_per_gpu`) already",
        ),
        (
            RESERVED + "      monthly_licence_usd_per_gpu: 0\n",
            False,
            "monthly_licence_usd_per_gpu",
            "is for owned hardware",
        ),
        (OWNED.replace("      pue: 1.3\n", ""), True, "committed", "owned hardware needs `pue`"),
        (OWNED.replace("      depreciation_months: 36\n", ""), True, "committed", "needs `depreciation_months`"),
        ("", True, "serving", "`gpu_hourly_usd` is required: the on-demand price of one GPU an hour"),
    ],
)
def test_reserved_or_owned_and_the_on_demand_price(
    spec_text: str, extra: str, drop_hourly: bool, key: str, needle: str
) -> None:
    text = with_serving(spec_text, extra, drop_hourly=drop_hourly)
    (finding,) = findings(text)
    assert needle in finding.message, finding.message
    assert finding.line == line_of(text, f" {key}:"), finding  # the key itself, or its section when it is missing


def test_a_committed_fleet_without_an_on_demand_price_is_valid_and_bursts_nothing(spec_text: str) -> None:
    text = with_serving(spec_text, RESERVED, drop_hourly=True)
    serving = validate(load(text.encode()), Proposal).finetune.serving
    assert serving is not None and not serving.burst and serving.gpu_hourly_usd is None


def test_the_hosted_fine_tunes_decline_and_the_cost_of_errors(spec_text: str) -> None:
    text = spec_text.replace("  prompting_accuracy: 0.81\n", "  prompting_accuracy: 0.81\n  cost_per_error_usd: 0.4\n")
    evaluation = validate(load(text.encode()), Proposal).evaluation
    assert evaluation is not None and evaluation.cost_per_error_usd == Decimal("0.4")
    (finding,) = findings(text.replace("cost_per_error_usd: 0.4", "cost_per_error_usd: -1"))
    assert finding.pointer == "/evaluation/cost_per_error_usd" and ">= 0" in finding.message
    assert finding.line == line_of(text, "cost_per_error_usd")
    hosted = (
        "  hosted:\n    input_usd_per_mtok: 0.3\n    output_usd_per_mtok: 1.2\n    input_tokens_per_request: 300\n"
        "    output_tokens_per_request: 12\n    price_decline_pct_per_year: 100\n"
    )
    start, end = spec_text.index("  serving:\n"), spec_text.index("  monthly_eng_hours: 40")
    flawed = spec_text[:start] + hosted + spec_text[end:]
    (finding,) = findings(flawed)
    assert finding.pointer == "/finetune/hosted/price_decline_pct_per_year"
    assert "must be a number >= 0 and < 100, got the number 100" in finding.message
    assert finding.line == line_of(flawed, "price_decline_pct_per_year: 100")
    fine = validate(load(flawed.replace("year: 100", "year: 30").encode()), Proposal).finetune.hosted
    assert fine is not None and fine.price_decline_pct_per_year == 30


def test_part_2_keys_outside_sized_serving_are_unknown_there(spec_text: str) -> None:
    text = spec_text.replace("  monthly_eng_hours: 40\n", "  monthly_eng_hours: 40\n  regions: 2\n")
    (finding,) = findings(text)
    assert finding.message == "unknown key `regions` here: it belongs under `finetune.serving`"
