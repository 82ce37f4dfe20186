"""`tco-gate explain PATH`: the ledger in words, month by month and line by line, or as CSV."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from ..errors import UsageError
from ..explain import explain_csv, explain_text
from ..gate import Overrides
from ..result import exit_code
from ..run import run
from .output import write


def explain(paths: Sequence[Path], *, policy: Path | None, format: str, output: Path | None) -> int:
    """Every proposal under `paths` explained in `format` (text or csv); the exit code `check` would give."""
    results = run(paths, today=datetime.now(UTC).date(), overrides=Overrides(), policy_file=policy)
    if not results:
        where = ", ".join(str(p) for p in paths) or "the current folder"
        raise UsageError(f"no finetune-proposal.yml or .yaml found under {where}")
    text = explain_csv(results) if format == "csv" else "\n".join(explain_text(result) for result in results)
    write(text, output)
    return exit_code(results)
