"""The step's own files: the Markdown report appended to GITHUB_STEP_SUMMARY, the outputs to GITHUB_OUTPUT."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..report.model import Report
from ..result import Outcome
from .workflow import fit_summary, output_block

# Worst first: the run's verdict is the first of these that any proposal has.
_SEVERITY = (Outcome.INVALID, Outcome.FAIL, Outcome.WAIVED, Outcome.EXEMPT, Outcome.PASS)


def outputs(report: Report, report_path: Path | None) -> dict[str, str]:
    """The Action's outputs: the run's verdict, and the figures of the first proposal that has it."""
    verdicts = [result.verdict for result in report.results]
    worst = next((outcome for outcome in _SEVERITY if outcome in verdicts), None)
    values = {"verdict": worst.value if worst else "none", "proposal": ""}
    values |= {"finetune-total-usd": "", "prompting-total-usd": "", "savings-pct": "", "break-even-month": ""}
    deciding = next((result for result in report.results if result.verdict is worst), None)
    if deciding is not None:
        values["proposal"] = deciding.name or deciding.path
        if deciding.finetune is not None and deciding.prompting is not None:
            values["finetune-total-usd"] = f"{deciding.finetune.total_usd:.2f}"
            values["prompting-total-usd"] = f"{deciding.prompting.total_usd:.2f}"
        if deciding.savings_pct is not None:
            values["savings-pct"] = f"{deciding.savings_pct:.2f}"
        if deciding.break_even_month is not None:
            values["break-even-month"] = str(deciding.break_even_month)
    values["report"] = str(report_path) if report_path else ""
    return values


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def on_a_runner(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the runner asks for a step summary or outputs, which `publish` writes (nothing to do elsewhere)."""
    environ = os.environ if environ is None else environ
    return bool(environ.get("GITHUB_STEP_SUMMARY") or environ.get("GITHUB_OUTPUT"))


def publish(
    report: Report, markdown: str, report_path: Path | None = None, environ: Mapping[str, str] | None = None
) -> None:
    """Append the summary and write the outputs, where the runner asks for them (nothing outside a runner)."""
    environ = os.environ if environ is None else environ
    if summary := environ.get("GITHUB_STEP_SUMMARY"):
        _append(Path(summary), fit_summary(markdown))
    if output := environ.get("GITHUB_OUTPUT"):
        _append(Path(output), output_block(outputs(report, report_path)))
