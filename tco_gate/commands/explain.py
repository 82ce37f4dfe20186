"""`tco-gate explain PATH`: the ledger in words, month by month and line by line, or as CSV."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import UsageError
from ..explain import explain_csv, explain_text
from ..options import RunOptions
from ..result import exit_code
from ..run import whole_result
from ..service import judge
from ..sinks import write


def explain(options: RunOptions, *, format: str, output: Path | None) -> int:
    """Every proposal the options name explained in `format` (text or csv); the exit code `check` would give."""
    results = judge(replace(options, allow_empty=True), whole_result).kept
    if not results:
        where = ", ".join(str(p) for p in options.paths) or "the current folder"
        raise UsageError(f"no finetune-proposal.yml or .yaml found under {where}")
    text = explain_csv(results) if format == "csv" else "\n".join(explain_text(result) for result in results)
    write(text, output)
    return exit_code(results)
