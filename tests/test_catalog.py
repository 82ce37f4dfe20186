"""Against the real genai-prices catalog installed with the package (its bundled snapshot, no network)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tco_gate.catalog import PROPOSAL, Price, catalog_version, resolve_prices, resolve_proposal_prices
from tco_gate.catalog_listing import CatalogModel, catalog_models
from tco_gate.errors import Finding, InputError
from tco_gate.models import HostedFinetune, Prompting, Proposal

from .factories import proposal_data

AS_OF = date(2026, 11, 28)


def prompting(**fields: object) -> Prompting:
    base: dict[str, object] = {
        "provider": "openai",
        "model": "gpt-4.1-mini",
        "input_tokens_per_request": 2000,
        "output_tokens_per_request": 150,
    }
    return Prompting.model_validate(base | fields)


def catalog_model(provider: str, model: str) -> object:
    from genai_prices import data_snapshot

    snapshot = data_snapshot.get_snapshot()
    return snapshot.find_provider_model(model, None, provider, None)[1].get_prices(datetime(2026, 11, 28, tzinfo=UTC))


def test_prices_come_from_the_catalog_with_their_source() -> None:
    expected = catalog_model("openai", "gpt-4.1-mini")
    prices = resolve_prices(prompting(), AS_OF)
    assert prices.input.usd_per_mtok == expected.input_mtok  # type: ignore[attr-defined]
    assert prices.output.usd_per_mtok == expected.output_mtok  # type: ignore[attr-defined]
    assert prices.cached_input.usd_per_mtok == expected.cache_read_mtok  # type: ignore[attr-defined]
    # The catalog keeps today's price for it, undated: the source must not claim it was in force on as_of.
    assert prices.input.source == (
        f"genai-prices {catalog_version()}: openai/gpt-4.1-mini, undated: the catalog cannot vouch for it on 2026-11-28"
    )


def test_explicit_prices_override_the_catalog_field_by_field() -> None:
    prices = resolve_prices(prompting(output_usd_per_mtok=Decimal("9.99")), AS_OF)
    assert prices.output == prices.output.__class__(Decimal("9.99"), PROPOSAL)
    assert prices.input.source.startswith("genai-prices ")


def test_all_explicit_prices_never_open_the_catalog() -> None:
    p = prompting(input_usd_per_mtok=Decimal(1), output_usd_per_mtok=Decimal(2), cached_input_usd_per_mtok=Decimal(0))
    prices = resolve_prices(p, None)
    assert {prices.input.source, prices.output.source, prices.cached_input.source} == {PROPOSAL}


def test_cached_price_defaults_to_the_input_price_without_a_catalog() -> None:
    p = Prompting.model_validate(
        {
            "input_usd_per_mtok": Decimal(3),
            "output_usd_per_mtok": Decimal(15),
            "input_tokens_per_request": 10,
            "output_tokens_per_request": 1,
        }
    )
    assert resolve_prices(p, None).cached_input.usd_per_mtok == Decimal(3)


def test_tiered_prices_pick_the_tier_the_request_falls_in() -> None:
    base = resolve_prices(prompting(provider="anthropic", model="claude-sonnet-4-5"), AS_OF)
    long = resolve_prices(
        prompting(provider="anthropic", model="claude-sonnet-4-5", input_tokens_per_request=250_000), AS_OF
    )
    assert long.input.usd_per_mtok > base.input.usd_per_mtok


def test_unknown_model_names_the_closest() -> None:
    with pytest.raises(InputError) as caught:
        resolve_prices(prompting(model="gpt-4.1-minii-x"), AS_OF)
    (finding,) = caught.value.findings
    assert finding.pointer == "/prompting/model"
    assert "model `gpt-4.1-minii-x` is not in the genai-prices" in finding.message
    assert "closest: `gpt-4.1-mini`" in finding.message


def test_unknown_provider_names_the_closest() -> None:
    with pytest.raises(InputError) as caught:
        resolve_prices(prompting(provider="opnai"), AS_OF)
    (finding,) = caught.value.findings
    assert (finding.level, finding.pointer) == ("error", "/prompting/provider")
    assert "`openai`" in finding.message


def test_importing_tco_gate_does_not_import_the_catalog() -> None:
    code = "import sys, tco_gate.cli; print('genai_prices' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_catalog_updater_is_never_started() -> None:
    import threading

    from genai_prices import data_snapshot

    before = {thread.name for thread in threading.enumerate()}
    resolve_prices(prompting(), AS_OF)
    assert {thread.name for thread in threading.enumerate()} == before
    snapshot = data_snapshot.get_snapshot()
    assert snapshot.from_auto_update is False  # the bundled snapshot, not one fetched over the network


# --- The provider-hosted fine-tune goes through the same resolver ---


def hosted(**fields: object) -> HostedFinetune:
    base: dict[str, object] = {
        "provider": "openai",
        "model": "ft:gpt-4o-mini-2024-07-18",
        "input_tokens_per_request": 300,
        "output_tokens_per_request": 12,
    }
    return HostedFinetune.model_validate(base | fields)


def test_a_fine_tuned_model_is_priced_from_the_catalog() -> None:
    expected = catalog_model("openai", "ft:gpt-4o-mini-2024-07-18")
    prices = resolve_prices(hosted(), AS_OF, "/finetune/hosted")
    assert prices.input.usd_per_mtok == expected.input_mtok == Decimal("0.3")  # type: ignore[attr-defined]
    assert prices.output.usd_per_mtok == expected.output_mtok == Decimal("1.2")  # type: ignore[attr-defined]
    # The catalog lists no cache-read price for it, so cached tokens cost the input price.
    assert prices.cached_input == prices.input
    assert prices.input.source == (
        f"genai-prices {catalog_version()}: openai/ft:gpt-4o-mini, undated: the catalog cannot vouch for it on "
        "2026-11-28"
    )


def test_explicit_hosted_prices_override_the_catalog_field_by_field() -> None:
    prices = resolve_prices(hosted(cached_input_usd_per_mtok=Decimal("0.15")), AS_OF, "/finetune/hosted")
    assert prices.cached_input.usd_per_mtok == Decimal("0.15") and prices.cached_input.source == PROPOSAL
    assert prices.input.source.startswith("genai-prices")
    explicit = hosted(provider=None, model=None, input_usd_per_mtok=Decimal("0.8"), output_usd_per_mtok=Decimal("3.2"))
    assert resolve_prices(explicit, None, "/finetune/hosted").input == Price(Decimal("0.8"), PROPOSAL)


def test_a_hosted_fine_tunes_written_prices_are_held_to_the_catalogs_on_today_without_as_of() -> None:
    # Its catalog output price is $1.20 (test_the_proposal_resolver_reports_both_sections_at_once): $2.40 is
    # twice it, which the resolver can only say with a date to read the catalog at.
    written = {"input_usd_per_mtok": 0.3, "output_usd_per_mtok": 2.4, "cached_input_usd_per_mtok": 0.15}
    hosted_section = {"provider": "openai", "model": "ft:gpt-4o-mini-2024-07-18", **TOKENS, **written}
    p = Proposal.model_validate(proposal_data(finetune={"monthly_serving_usd": None, "hosted": hosted_section}))
    assert p.as_of is None
    checked = resolve_proposal_prices(p, today=date(2026, 11, 28)).hosted
    assert checked is not None and "/finetune/hosted/output_usd_per_mtok" in [w.pointer for w in checked.warnings]
    unchecked = resolve_proposal_prices(p).hosted
    assert unchecked is not None and unchecked.warnings == ()


def test_an_unknown_fine_tuned_model_points_into_finetune_hosted() -> None:
    with pytest.raises(InputError) as caught:
        resolve_prices(hosted(model="ft:gpt-4.1-mini-2025-04-14"), AS_OF, "/finetune/hosted")
    (finding,) = caught.value.findings
    assert finding.pointer == "/finetune/hosted/model"
    assert "`ft:gpt-4.1-mini-2025-04-14` is not in the genai-prices" in finding.message


def test_the_proposal_resolver_reports_both_sections_at_once() -> None:
    data = proposal_data(
        as_of="2026-11-28",
        prompting={"provider": "openai", "model": "gpt-9-imaginary"},
        finetune={"monthly_serving_usd": None, "hosted": {"provider": "nobody", "model": "ft:x", **TOKENS}},
    )
    with pytest.raises(InputError) as caught:
        resolve_proposal_prices(Proposal.model_validate(data))
    assert [f.pointer for f in caught.value.findings] == ["/prompting/model", "/finetune/hosted/provider"]
    fine = proposal_data(
        as_of="2026-11-28",
        finetune={
            "monthly_serving_usd": None,
            "hosted": {"provider": "openai", "model": "ft:gpt-4o-mini-2024-07-18", **TOKENS},
        },
    )
    both = resolve_proposal_prices(Proposal.model_validate(fine))
    assert both.prompting.input.source == PROPOSAL
    assert both.hosted is not None and both.hosted.output.usd_per_mtok == Decimal("1.2")
    assert resolve_proposal_prices(Proposal.model_validate(proposal_data())).hosted is None


TOKENS = {"input_tokens_per_request": 300, "output_tokens_per_request": 12}


# --- Back-dated prices: the catalog vouches for a price on a day only where it dates the price ---


def test_a_dated_price_in_force_on_as_of_is_labelled_at_as_of_with_its_start() -> None:
    # o3's price in the catalog: an undated price, then a dated one from 2025-06-10 (OpenAI cut it 80% that day).
    model = prompting(model="o3", input_tokens_per_request=Decimal(1000))
    prices = resolve_prices(model, date(2025, 7, 1))
    assert (
        prices.input.source == f"genai-prices {catalog_version()}: openai/o3 at 2025-07-01 (in force since 2025-06-10)"
    )
    assert prices.input.usd_per_mtok == 2
    assert not [w for w in prices.warnings if w.pointer == "/as_of"]


def test_before_the_first_dated_price_the_undated_one_is_used_and_the_warning_names_both() -> None:
    prices = resolve_prices(prompting(model="o3"), date(2025, 5, 1))
    assert prices.input.usd_per_mtok == 10  # the undated price the catalog lists before 2025-06-10
    assert "undated: the catalog cannot vouch for it on 2025-05-01" in prices.input.source
    (warning,) = [w for w in prices.warnings if w.pointer == "/as_of"]
    assert warning.level == "warning"
    assert warning.message == (
        f"`as_of: 2025-05-01`: the genai-prices {catalog_version()} catalog dates `o3`'s prices only from "
        "2025-06-10; tco-gate used the undated price it lists before that ($10.00 input, $40.00 output per Mtok), "
        "which may not be what was charged on 2025-05-01. Write the prices published then (`input_usd_per_mtok`, "
        "`output_usd_per_mtok`) to cost that day's"
    )


def test_an_undated_price_is_warned_about_whatever_the_day() -> None:
    # The case: GPT-3.5 fine-tuning opened on 2023-08-22 at $12 / $16 per Mtok for `ft:gpt-3.5-turbo`;
    # the catalog lists today's $3 / $6, undated, and the report must say so instead of "at 2023-08-22".
    launch = date(2023, 8, 22)
    prices = resolve_prices(hosted(model="ft:gpt-3.5-turbo-0613"), launch, "/finetune/hosted")
    assert prices.input.usd_per_mtok == 3 and prices.output.usd_per_mtok == 6
    assert "at 2023-08-22" not in prices.input.source
    messages = [w.message for w in prices.warnings if w.pointer == "/as_of"]
    assert len(messages) == 1 and "does not date `ft:gpt-3.5-turbo-`'s price" in messages[0]
    assert "($3.00 input, $6.00 output per Mtok)" in messages[0]


# What `tco-gate models` lists


def test_models_lists_a_tiered_price_at_its_base_tier() -> None:
    # Google prices Gemini 2.5 Pro at $1.25 / $10 per Mtok up to 200k prompt tokens, twice that above
    (gemini,) = [model for model in catalog_models("google", AS_OF) if model.id == "gemini-2.5-pro"]
    assert gemini == CatalogModel("gemini-2.5-pro", "Gemini 2.5 Pro", Decimal("1.25"), Decimal("0.125"), Decimal("10"))


def test_models_names_a_model_without_a_name_by_its_id() -> None:
    (ada,) = [model for model in catalog_models("openai", AS_OF) if model.id == "ada"]
    assert ada.name == "ada"


@pytest.mark.parametrize(
    ("provider", "closest"), [("gogle", "; closest: `google`"), ("zzzz", "")], ids=["near-miss", "nothing-close"]
)
def test_models_of_an_unknown_provider_is_an_error_naming_the_closest(provider: str, closest: str) -> None:
    with pytest.raises(InputError) as caught:
        catalog_models(provider, AS_OF)
    assert caught.value.findings == (
        Finding("error", f"provider `{provider}` is not in the genai-prices {catalog_version()} catalog{closest}"),
    )


def test_a_model_is_warned_about_only_before_its_first_dated_version() -> None:
    on_the_day = resolve_prices(prompting(), date(2025, 4, 14))  # gpt-4.1-mini's first dated version
    assert not any("existed" in w.message for w in on_the_day.warnings)
    (before,) = [w for w in resolve_prices(prompting(), date(2025, 4, 13)).warnings if "existed" in w.message]
    assert (before.pointer, before.message) == (
        "/as_of",
        "`as_of: 2025-04-13` is before `gpt-4.1-mini` existed (its first dated version is 2025-04-14): its prices "
        "at that date are not what anyone paid",
    )


def test_a_provider_that_serves_another_providers_models_is_priced_by_them() -> None:
    # Azure lists few models of its own; the catalog prices the OpenAI models it serves at OpenAI's prices.
    azure = resolve_prices(prompting(provider="azure"), AS_OF)
    openai = resolve_prices(prompting(), AS_OF)
    assert (azure.input.usd_per_mtok, azure.output.usd_per_mtok) == (
        openai.input.usd_per_mtok,
        openai.output.usd_per_mtok,
    )
    assert f"genai-prices {catalog_version()}: azure/gpt-4.1-mini" in azure.input.source


@pytest.mark.parametrize(
    ("written", "apart"),
    [("0.8", "2× it"), ("0.76", "+90%"), ("0.2", "0.5× it"), ("0.3", "-25%")],
)
def test_a_written_price_far_from_the_catalogs_says_how_far(written: str, apart: str) -> None:
    # The catalog's input price for gpt-4.1-mini is $0.40: twice or half of it is said as a multiple.
    prices = resolve_prices(prompting(input_usd_per_mtok=Decimal(written)), AS_OF)
    (warning,) = [w for w in prices.warnings if w.pointer == "/prompting/input_usd_per_mtok"]
    assert warning.message.startswith(
        f"`input_usd_per_mtok: {written}` is more than 10% from the catalog's price for `gpt-4.1-mini`: {apart} (0.4 "
    )


WRITTEN = {
    "input_usd_per_mtok": Decimal("0.8"),
    "output_usd_per_mtok": Decimal("1.6"),
    "cached_input_usd_per_mtok": Decimal("0.1"),
}


@pytest.mark.parametrize(("as_of", "today"), [(AS_OF, None), (None, AS_OF)])
def test_every_price_written_is_still_held_to_the_catalogs_on_as_of_or_today(
    as_of: date | None, today: date | None
) -> None:
    prices = resolve_prices(prompting(**WRITTEN), as_of, today=today)
    assert {prices.input.source, prices.output.source, prices.cached_input.source} == {PROPOSAL}
    assert [w.pointer for w in prices.warnings] == ["/prompting/input_usd_per_mtok"]  # twice the catalog's $0.40


def test_every_price_written_for_a_model_the_catalog_lacks_is_no_error() -> None:
    prices = resolve_prices(prompting(model="in-house-9", **WRITTEN), AS_OF)
    assert (prices.input.usd_per_mtok, prices.warnings) == (Decimal("0.8"), ())


@pytest.mark.parametrize(
    ("provider", "model", "missing"),
    [("aws", "amazon.titan-embed-text-v2:0", "output"), ("azure", "mai-ds-r1:free", "input")],
)
def test_a_catalog_model_without_a_price_asks_for_it_to_be_written(provider: str, model: str, missing: str) -> None:
    with pytest.raises(InputError) as caught:
        resolve_prices(prompting(provider=provider, model=model), AS_OF)
    (finding,) = caught.value.findings
    assert (finding.level, finding.pointer, finding.message) == (
        "error",
        "/prompting/model",
        f"the catalog has no {missing} price for `{model}`; write `{missing}_usd_per_mtok`",
    )
