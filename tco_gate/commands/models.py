"""`tco-gate models [PROVIDER]`: what the bundled price catalog knows, so a proposal can name it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from ..catalog import catalog_version
from ..catalog_listing import catalog_models, catalog_providers
from ..result import EXIT_OK
from ..sinks import write


def models(provider: str | None) -> int:
    """Without a provider, every provider; with one, its models and today's prices per million tokens."""
    today = datetime.now(UTC).date()
    if provider is None:
        rows: list[tuple[str, ...]] = [(pid, name, str(count)) for pid, name, count in catalog_providers()]
        lines = _table(("provider", "name", "models"), rows)
        lines.append(f"\nprices from genai-prices {catalog_version()}; `tco-gate models PROVIDER` lists its models")
    else:
        found = catalog_models(provider, today)
        rows = [(m.id, _usd(m.input), _usd(m.cached_input), _usd(m.output)) for m in found]
        lines = _table(("model", "input", "cached input", "output"), rows)
        lines.append(
            f"\nUSD per million tokens on {today.isoformat()}, from genai-prices {catalog_version()}; "
            f"name one in a proposal as `provider: {provider}` and `model: ID`"
        )
    write("\n".join(lines) + "\n", None)
    return EXIT_OK


def _usd(price: Decimal | None) -> str:
    """Cents where that is exact ($0.40), every digit where it is not ($0.075); `-` where there is none."""
    if price is None:
        return "-"
    return f"${price:,.2f}" if price == price.quantize(Decimal("0.01")) else f"${price.normalize():f}"


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
