"""Per-token prices: the proposal's own, else the genai-prices catalog bundled with the package.

One resolver serves both per-token models of a proposal: `prompting` and a provider-hosted fine-tune
(`finetune.hosted`), so the two are priced by the same rules.

genai-prices is imported only when a price is looked up, and only its bundled snapshot is read: its
updater, which would fetch fresh prices over the network, is never started, nor even imported (see
`bundled_snapshot`). A gate must give the same answer for the same commit, so prices are pinned by
`as_of` and the installed catalog version.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from .catalog_dating import first_dated_version, price_dating
from .errors import Finding, InputError
from .evidence_model import PriceRule
from .models import Proposal, TokenPriced

if TYPE_CHECKING:
    from genai_prices.data_snapshot import DataSnapshot

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
    """The three token prices a per-token model is costed with."""

    input: Price
    cached_input: Price
    output: Price
    warnings: tuple[Finding, ...] = ()
    """What a reviewer should know about the catalog lookup: another spelling, a date before the model."""


@dataclass(frozen=True)
class ProposalPrices:
    """Prompting's prices, and the provider-hosted fine-tune's when the proposal has one."""

    prompting: Prices
    hosted: Prices | None


@cache  # read from the package's metadata, a few milliseconds: once a run, not once a proposal
def catalog_version() -> str:
    """The installed genai-prices version, which pins the catalog's data."""
    from importlib.metadata import version  # what genai_prices.__version__ is read from, minus its package

    return version("genai_prices")


# The genai-prices modules a price lookup uses, some imported by genai-prices only when first needed.
_CATALOG_MODULES = ("data_snapshot", "data", "units", "data_units", "decompose", "validation")


@cache
def bundled_snapshot() -> DataSnapshot:
    """genai-prices' bundled price data, loaded without running the package's `__init__`.

    That `__init__` imports the price updater, and with it an HTTP client and asyncio (about 45 ms a run),
    for a network fetch a gate must never make. The data modules need their package only as a place to
    import from: an unexecuted module stands in for it while they load, then leaves `sys.modules`, so a
    later `import genai_prices` anywhere in the process runs the real one (which reuses these modules).
    Each later import genai-prices makes from inside a function (`from genai_prices.units import ...`) finds
    its module already loaded and does not need the package either.
    """
    if "genai_prices" not in sys.modules:
        spec = importlib.util.find_spec("genai_prices")
        assert spec is not None, "genai-prices is a dependency of tco-gate"
        stand_in = importlib.util.module_from_spec(spec)
        sys.modules["genai_prices"] = stand_in
        try:
            for name in _CATALOG_MODULES:
                importlib.import_module(f"genai_prices.{name}")
        finally:
            if sys.modules.get("genai_prices") is stand_in:
                del sys.modules["genai_prices"]
    from genai_prices.data_snapshot import get_snapshot

    return get_snapshot()


def resolve_prices(
    priced: TokenPriced,
    as_of: date | None,
    section: str = "/prompting",
    rule: PriceRule = "written-wins",
    today: date | None = None,
) -> Prices:
    """Explicit prices win field by field; the rest come from the catalog at `as_of`.

    `section` is where `priced` sits in the proposal (`/prompting` or `/finetune/hosted`). Raises
    InputError pointed at its `provider` or `model` when the catalog has no such provider or model,
    naming the closest ones it does have. A price written for a model the catalog knows is held to the
    catalog's (at `as_of`, else `today`): more than 10% away is a warning on its line; under the policy's
    `prices: catalog` any written price is an error.
    """
    explicit = {kind: getattr(priced, name) for kind, name in _FIELDS.items()}
    catalog: dict[str, Decimal | None] = {}
    source = PROPOSAL
    warnings: tuple[Finding, ...] = ()
    if priced.from_catalog:
        assert priced.provider is not None and priced.model is not None and as_of is not None
        catalog, source, warnings = _catalog_prices(
            priced.provider, priced.model, as_of, priced.input_tokens_per_request, section
        )
    elif priced.provider is not None and priced.model is not None and (when := as_of or today) is not None:
        try:  # every price is written: the catalog only checks them, so a model it lacks is no error
            catalog, source, _ = _catalog_prices(
                priced.provider, priced.model, when, priced.input_tokens_per_request, section
            )
        except InputError:
            catalog = {}
    warnings += _written_against_catalog(priced, explicit, catalog, source, section, rule)

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
                        f"the catalog has no {kind} price for `{priced.model}`; write `{_FIELDS[kind]}`",
                        f"{section}/model",
                    )
                ]
            )
    assert input_price is not None and output_price is not None
    # Without a cache-read price, cached tokens are billed as ordinary input.
    cached = pick("cached_input") or input_price
    return Prices(input=input_price, cached_input=cached, output=output_price, warnings=warnings)


def resolve_proposal_prices(
    proposal: Proposal, rule: PriceRule = "written-wins", today: date | None = None
) -> ProposalPrices:
    """Every per-token price the proposal needs, by one resolver; InputError with the findings of both."""
    findings: list[Finding] = []
    prompting = hosted = None
    try:
        prompting = resolve_prices(proposal.prompting, proposal.as_of, rule=rule, today=today)
    except InputError as exc:
        findings += exc.findings
    if proposal.finetune.hosted is not None:
        try:
            hosted = resolve_prices(proposal.finetune.hosted, proposal.as_of, "/finetune/hosted", rule, today)
        except InputError as exc:
            findings += exc.findings
    if findings:
        raise InputError(findings)
    assert prompting is not None
    return ProposalPrices(prompting, hosted)


PRICE_TOLERANCE = Decimal("0.10")


def _written_against_catalog(
    priced: TokenPriced,
    explicit: dict[str, Decimal | None],
    catalog: dict[str, Decimal | None],
    source: str,
    section: str,
    rule: PriceRule,
) -> tuple[Finding, ...]:
    """A written price beside the catalog's for the same model: a warning past 10%, an error under `catalog`."""
    found: list[Finding] = []
    errors: list[Finding] = []
    for kind, name in _FIELDS.items():
        mine, theirs = explicit[kind], catalog.get(kind)
        if mine is None or theirs is None:
            continue
        pointer = f"{section}/{name}"
        shown = f"{theirs.normalize():f} USD per Mtok, {source}"
        if rule == "catalog":
            message = (
                f"`{name}: {mine}` is written for `{priced.model}`, a model the catalog prices ({shown}); "
                "the policy says `prices: catalog`: remove it and the catalog's price is used"
            )
            errors.append(Finding("error", message, pointer))
        elif abs(mine - theirs) > PRICE_TOLERANCE * theirs:
            found.append(
                Finding(
                    "warning",
                    f"`{name}: {mine}` is more than 10% from the catalog's price for `{priced.model}`: "
                    f"{_apart(mine, theirs)} ({shown})",
                    pointer,
                )
            )
    if errors:
        raise InputError(errors)
    return tuple(found)


def _apart(mine: Decimal, theirs: Decimal) -> str:
    if theirs == 0:
        return "the catalog's is 0"
    ratio = mine / theirs
    if ratio >= 2 or ratio <= Decimal("0.5"):
        return f"{float(ratio):,.3g}× it"
    return f"{(ratio - 1) * 100:+.0f}%"


def _catalog_prices(
    provider_id: str, model_ref: str, as_of: date, input_tokens: Decimal, section: str
) -> tuple[dict[str, Decimal | None], str, tuple[Finding, ...]]:
    snapshot = bundled_snapshot()  # lazy: ~1.5 MB of price data, needed only here
    try:
        provider = snapshot.find_provider(None, provider_id, None)
    except LookupError:
        names = sorted(p.id for p in snapshot.providers)
        raise InputError(
            [
                Finding(
                    "error",
                    f"provider `{provider_id}` is not in the genai-prices "
                    f"{catalog_version()} catalog{closest(provider_id, names)}",
                    f"{section}/provider",
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
                    f"{closest(model_ref, names)}",
                    f"{section}/model",
                )
            ]
        )
    prices = model.get_prices(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC))
    found = {
        "input": _per_request_rate(prices.input_mtok, input_tokens),
        "cached_input": _per_request_rate(prices.cache_read_mtok, input_tokens),
        "output": _per_request_rate(prices.output_mtok, input_tokens),
    }
    dated = price_dating(model, as_of)
    named = f"genai-prices {catalog_version()}: {provider.id}/{model.id}"
    if dated.since is not None:  # the catalog vouches for this price on as_of
        source = f"{named} at {as_of.isoformat()} (in force since {dated.since.isoformat()})"
    else:
        source = f"{named}, undated: the catalog cannot vouch for it on {as_of.isoformat()}"
    warnings = _lookup_warnings(model_ref, model, as_of, section)
    if dated.since is None:
        listed = ", ".join(
            f"{_per_mtok(found[kind])} {kind}" for kind in ("input", "output") if found[kind] is not None
        )
        warnings.append(Finding("warning", _undated(model.id, as_of, dated.next_change, listed), "/as_of"))
    return found, source, tuple(warnings)


def _undated(model_id: str, as_of: date, next_change: date | None, listed: str) -> str:
    """The warning on `as_of` when the catalog cannot vouch for the price it gives on that day."""
    day = as_of.isoformat()
    if next_change is not None:
        used = (
            f"the genai-prices {catalog_version()} catalog dates `{model_id}`'s prices only from "
            f"{next_change.isoformat()}; tco-gate used the undated price it lists before that ({listed} per Mtok)"
        )
    else:
        used = (
            f"the genai-prices {catalog_version()} catalog does not date `{model_id}`'s price; tco-gate used the "
            f"one it lists ({listed} per Mtok)"
        )
    return (
        f"`as_of: {day}`: {used}, which may not be what was charged on {day}. Write the prices published then "
        "(`input_usd_per_mtok`, `output_usd_per_mtok`) to cost that day's"
    )


def _per_mtok(price: Decimal | None) -> str:
    """`$0.50`, or every digit where cents would round it (`$0.075`)."""
    assert price is not None
    return f"${price:,.2f}" if price == price.quantize(Decimal("0.01")) else f"${price.normalize():f}"


def _lookup_warnings(model_ref: str, model: Any, as_of: date, section: str) -> list[Finding]:
    warnings = []
    if model.id != model_ref:
        message = f"`{model_ref}` is priced as `{model.id}` in the genai-prices {catalog_version()} catalog"
        warnings.append(Finding("warning", message, f"{section}/model"))
    first = first_dated_version(model)
    if first is not None and as_of < first:
        message = (
            f"`as_of: {as_of.isoformat()}` is before `{model.id}` existed (its first dated version is "
            f"{first.isoformat()}): its prices at that date are not what anyone paid"
        )
        warnings.append(Finding("warning", message, "/as_of"))
    return warnings


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


def closest(name: str, names: list[str]) -> str:
    from difflib import get_close_matches  # here: only a name the catalog lacks needs it

    close = get_close_matches(name, names, n=3, cutoff=0.5)
    return f"; closest: {', '.join(f'`{n}`' for n in close)}" if close else ""
