"""Hosted-model prices: the proposal's own, else the genai-prices catalog bundled with the package.

genai-prices is imported only when a price is looked up, and only its bundled snapshot is read: its
updater, which would fetch fresh prices over the network, is never started. A gate must give the same
answer for the same commit, so prices are pinned by `as_of` and the installed catalog version.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from .errors import Finding, InputError
from .models import Prompting

PROPOSAL = "proposal"
_FIELDS = {
    "input": "input_usd_per_mtok",
    "cached_input": "cached_input_usd_per_mtok",
    "output": "output_usd_per_mtok",
}


@dataclass(frozen=True)
class Price:
    """One USD-per-million-tokens price and where it came from."""

    usd_per_mtok: Decimal
    source: str


@dataclass(frozen=True)
class Prices:
    """The three token prices prompting is costed with."""

    input: Price
    cached_input: Price
    output: Price


def catalog_version() -> str:
    """The installed genai-prices version, which pins the catalog's data."""
    import genai_prices

    return str(genai_prices.__version__)


def resolve_prices(prompting: Prompting, as_of: date | None) -> Prices:
    """Explicit prices win field by field; the rest come from the catalog at `as_of`.

    Raises InputError pointed at `/prompting/provider` or `/prompting/model` when the catalog has no
    such provider or model, naming the closest ones it does have.
    """
    explicit = {kind: getattr(prompting, name) for kind, name in _FIELDS.items()}
    catalog: dict[str, Decimal | None] = {}
    source = PROPOSAL
    if prompting.from_catalog:
        assert prompting.provider is not None and prompting.model is not None and as_of is not None
        catalog, source = _catalog_prices(
            prompting.provider, prompting.model, as_of, prompting.input_tokens_per_request
        )

    def pick(kind: str) -> Price | None:
        if explicit[kind] is not None:
            return Price(explicit[kind], PROPOSAL)
        found = catalog.get(kind)
        return Price(found, source) if found is not None else None

    input_price, output_price = pick("input"), pick("output")
    for kind, price in (("input", input_price), ("output", output_price)):
        if price is None:
            raise InputError(
                [
                    Finding(
                        "error",
                        f"the catalog has no {kind} price for `{prompting.model}`; write `{_FIELDS[kind]}`",
                        "/prompting/model",
                    )
                ]
            )
    assert input_price is not None and output_price is not None
    # Without a cache-read price, cached tokens are billed as ordinary input.
    cached = pick("cached_input") or input_price
    return Prices(input=input_price, cached_input=cached, output=output_price)


def _catalog_prices(
    provider_id: str, model_ref: str, as_of: date, input_tokens: Decimal
) -> tuple[dict[str, Decimal | None], str]:
    from genai_prices import data_snapshot  # lazy: ~1.5 MB of price data, needed only here

    snapshot = data_snapshot.get_snapshot()
    try:
        provider = snapshot.find_provider(None, provider_id, None)
    except LookupError:
        names = sorted(p.id for p in snapshot.providers)
        raise InputError(
            [
                Finding(
                    "error",
                    f"provider `{provider_id}` is not in the genai-prices "
                    f"{catalog_version()} catalog{_closest(provider_id, names)}",
                    "/prompting/provider",
                )
            ]
        ) from None
    model = provider.find_model(model_ref, all_providers=snapshot.providers)
    if model is None:
        names = sorted(m.id for m in provider.models)
        raise InputError(
            [
                Finding(
                    "error",
                    f"model `{model_ref}` is not in the genai-prices "
                    f"{catalog_version()} catalog for `{provider.id}`"
                    f"{_closest(model_ref, names)}",
                    "/prompting/model",
                )
            ]
        )
    prices = model.get_prices(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC))
    found = {
        "input": _per_request_rate(prices.input_mtok, input_tokens),
        "cached_input": _per_request_rate(prices.cache_read_mtok, input_tokens),
        "output": _per_request_rate(prices.output_mtok, input_tokens),
    }
    return found, f"genai-prices {catalog_version()}: {provider.id}/{model.id} at {as_of.isoformat()}"


def _per_request_rate(price: Any, input_tokens: Decimal) -> Decimal | None:
    """A flat price, or the tier a request of `input_tokens` falls in (providers bill the whole request
    at the tier its input size crosses)."""
    if price is None or isinstance(price, Decimal):
        return price
    rate: Decimal = price.base
    for tier in price.tiers:  # sorted by start
        if input_tokens > tier.start:
            rate = tier.price
    return rate


def _closest(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    return f"; closest: {', '.join(f'`{n}`' for n in close)}" if close else ""
