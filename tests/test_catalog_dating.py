"""When the catalog vouches for a price: read from genai-prices' own dated constraints."""

from __future__ import annotations

from datetime import date, time
from types import SimpleNamespace

from genai_prices.types import StartDateConstraint, TimeOfDateConstraint

from tco_gate.catalog import bundled_snapshot
from tco_gate.catalog_dating import Dating, first_dated_version, price_dating


def test_price_dating_reads_the_catalogs_constraints() -> None:
    openai = bundled_snapshot().find_provider(None, "openai", None)
    o3 = openai.find_model("o3")
    assert o3 is not None
    assert price_dating(o3, date(2025, 6, 9)) == Dating(None, date(2025, 6, 10))
    assert price_dating(o3, date(2025, 6, 10)) == Dating(date(2025, 6, 10), None)  # a start is in force that day
    single = openai.find_model("gpt-4.1-mini")
    assert single is not None and price_dating(single, date(2026, 1, 1)) == Dating(None, None)


def test_a_models_first_dated_version_is_the_earliest_real_date_in_its_aliases() -> None:
    openai = bundled_snapshot().find_provider(None, "openai", None)
    model = openai.find_model("gpt-4.1-mini")
    assert model is not None and first_dated_version(model) == date(2025, 4, 14)


def test_an_impossible_date_in_one_alias_does_not_hide_the_real_dates_after_it() -> None:
    model = SimpleNamespace(match="equals: m-2025-02-30 or equals: m-20251120 or equals: m-2025-06-01")
    assert first_dated_version(model) == date(2025, 6, 1)


def test_prices_by_the_time_of_day_alone_date_nothing() -> None:
    deepseek = bundled_snapshot().find_provider(None, "deepseek", None)
    chat = deepseek.find_model("deepseek-chat")
    assert chat is not None and price_dating(chat, date(2026, 1, 1)) == Dating(None, None)


def test_a_time_of_day_price_in_force_on_a_start_day_leaves_that_start_out_of_next_change() -> None:
    def price(constraint: object) -> SimpleNamespace:
        return SimpleNamespace(constraint=constraint)

    model = SimpleNamespace(
        prices=[
            price(None),
            price(StartDateConstraint(start_date=date(2025, 6, 10))),
            price(StartDateConstraint(start_date=date(2025, 9, 1))),
            price(TimeOfDateConstraint(start_time=time(0), end_time=time(1))),
        ]
    )
    # Midnight UTC on the start day: the later-listed time-of-day price wins, and it is undated.
    assert price_dating(model, date(2025, 6, 10)) == Dating(None, date(2025, 9, 1))
