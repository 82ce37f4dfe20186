"""The Markdown report against a base commit (`check --base`): what checking against it means, said once, and
each proposal against itself at the base."""

from __future__ import annotations

from .markdown_text import text
from .model import BaseOut, ProposalChangeOut, ResultOut
from .phrases import money as usd


def _signed(amount: float) -> str:
    return f"+{usd(amount)}" if amount > 0 else usd(amount)


def change(found: ProposalChangeOut | None, now: ResultOut) -> list[str]:
    """The proposal against the base commit: new, or what moved and whether the verdict did."""
    if found is None:
        return []
    if found.status == "new":
        return ["**Against the base:** new in this change.", ""]
    assert found.base_verdict is not None
    verdict = (
        f"the verdict moved from {found.base_verdict.value} to **{now.verdict.value}**"
        if found.verdict_changed
        else f"the verdict is unchanged ({found.base_verdict.value})"
    )
    if found.status == "unchanged":
        return [f"**Against the base:** the file is unchanged; re-checked because its policy changed; {verdict}.", ""]
    totals = []
    for label, moved in (("fine-tuning", found.finetune_change_usd), ("prompting", found.prompting_change_usd)):
        if moved is not None:
            totals.append(f"{label} {_signed(moved)}" if moved else f"{label} unchanged")
    lines = [f"**Against the base:** {verdict}; {', '.join(totals) or 'totals not comparable'}.", ""]
    if found.line_items:
        lines += ["| moved | base | now | change |", "| --- | ---: | ---: | ---: |"]
        for item in found.line_items:
            side = "fine-tuning" if item.option == "finetune" else "prompting"
            was = usd(item.base_usd) if item.base_usd is not None else "—"
            total = usd(item.total_usd) if item.total_usd is not None else "—"
            lines.append(f"| {side}: {text(item.label)} | {was} | {total} | {_signed(item.change_usd)} |")
        lines.append("")
    return lines


def base_notes(base: BaseOut | None) -> list[str]:
    """What checking against a base commit means for this report, said once at the top."""
    if base is None:
        return []
    lines = [f"Checked against the base commit `{text(base.commit[:12])}`: every policy was read from it.", ""]
    if base.policies_changed:
        edited = ", ".join(f"`{text(name)}`" for name in base.policies_changed)
        lines.append(
            f"> [!IMPORTANT]\n> This change edits {edited}. A change cannot loosen its own gate: the proposals "
            "below are judged by the base commit's policy, and the edit applies once it is merged."
        )
    if base.removed:
        lines.append("")
        lines.append("Removed in this change:")
        lines += [
            f"- `{text(gone.path)}` ({text(gone.name or 'unnamed')}, {gone.base_verdict.value} at the base)"
            for gone in base.removed
        ]
    return [*lines, ""]


# The base a report was last asked about, indexed by path: a run has one base and many proposals to look up.
_indexed: list[tuple[BaseOut, dict[str, ProposalChangeOut]]] = []


def change_of(result: ResultOut, base: BaseOut | None) -> ProposalChangeOut | None:
    if base is None:
        return None
    if not _indexed or _indexed[0][0] is not base:
        _indexed[:] = [(base, {found.path: found for found in base.changes})]
    return _indexed[0][1].get(result.path)
