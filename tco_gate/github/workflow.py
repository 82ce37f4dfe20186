"""The step's own files as GitHub's runner reads them: outputs in GITHUB_OUTPUT's heredoc form, and the step
summary cut to the size the runner keeps. Pure text builders. (Workflow commands in the log are rendered by
report/github.py, the room that writes the github format.)
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

# The step summary is refused whole (the step errors) past 1 MiB; stay clearly under it.
SUMMARY_LIMIT_BYTES = 1024 * 1024 - 4096


def output_block(outputs: Mapping[str, str], delimiter: str | None = None) -> str:
    """Step outputs in GITHUB_OUTPUT's heredoc form, one random delimiter that no value contains."""
    joined = "\n".join([*outputs.keys(), *outputs.values()])
    while delimiter is None or delimiter in joined:
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
    return "".join(f"{name}<<{delimiter}\n{value}\n{delimiter}\n" for name, value in outputs.items())


def fit_summary(markdown: str, limit: int = SUMMARY_LIMIT_BYTES) -> str:
    """The summary as is, or cut at a line under `limit` bytes with a note saying so."""
    data = markdown.encode("utf-8")
    if len(data) <= limit:
        return markdown
    note = "\n\n> **The report was cut here:** GitHub keeps 1 MiB of step summary. `--format json` has it all.\n"
    room = limit - len(note.encode("utf-8"))
    cut = data[:room].decode("utf-8", errors="ignore")
    cut = cut[: cut.rfind("\n") + 1] if "\n" in cut else cut
    if sum(1 for line in cut.splitlines() if line.startswith("```")) % 2:
        cut += "```\n"  # close a chart cut in half, or the note would render as code
    return cut + note
