"""What the bundled genai-prices catalog lists: its providers, and each model's flat prices on a day.

`tco-gate models` shows it, so a proposal can name a model the catalog prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from .catalog import bundled_snapshot, catalog_version, closest
from .errors import Finding, InputError


@dataclass(frozen=True)
class CatalogModel:
    """One model of the catalog and its flat prices on a day (None where the catalog has none)."""

    id: str
    name: str
    input: Decimal | None
    cached_input: Decimal | None
    output: Decimal | None


def catalog_providers() -> list[tuple[str, str, int]]:
    """Every provider of the bundled catalog: id, name and how many models it prices."""
    snapshot = bundled_snapshot()
    return sorted((p.id, p.name, len(p.models)) for p in snapshot.providers)


def catalog_models(provider_id: str, on: date) -> list[CatalogModel]:
    """The provider's models with their prices on `on`; a tiered price shows its base tier.

    Raises InputError naming the closest providers when the catalog has no `provider_id`.
    """
    snapshot = bundled_snapshot()
    try:
        provider = snapshot.find_provider(None, provider_id, None)
    except LookupError:
        names = sorted(p.id for p in snapshot.providers)
        message = f"provider `{provider_id}` is not in the genai-prices {catalog_version()} catalog"
        raise InputError([Finding("error", message + closest(provider_id, names))]) from None
    when = datetime(on.year, on.month, on.day, tzinfo=UTC)
    listed = []
    for model in sorted(provider.models, key=lambda m: m.id):
        prices = model.get_prices(when)
        listed.append(
            CatalogModel(
                model.id,
                model.name or model.id,
                _base(prices.input_mtok),
                _base(prices.cache_read_mtok),
                _base(prices.output_mtok),
            )
        )
    return listed


def _base(price: Any) -> Decimal | None:
    if price is None or isinstance(price, Decimal):
        return price
    base: Decimal = price.base
    return base
