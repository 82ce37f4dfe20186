"""The pull-request comment's body: pure text, apart from the code that posts it (rest.py).

The body is the Markdown report with a hidden marker on its first line, so the next run finds and updates
this comment and no other; @mentions taken from proposals are neutralised so a comment pings nobody.
"""

from __future__ import annotations

import re

MARKER = "<!-- tco-gate: sticky report; edited by each run -->"
# GitHub refuses a comment body of 65,536 characters or more.
COMMENT_LIMIT = 65_535
_MENTION = re.compile(r"(?<![\w`/])@(?=[A-Za-z0-9])")
ZERO_WIDTH_JOINER = "\u200d"


def neutralise_mentions(markdown: str) -> str:
    """Every `@name` as `@\u200dname`: it reads the same, and GitHub neither links nor notifies it."""
    return _MENTION.sub("@" + ZERO_WIDTH_JOINER, markdown)


def comment_body(markdown: str, summary_url: str | None, limit: int = COMMENT_LIMIT) -> str:
    """The marker, then the report; cut at a line with a pointer to the job summary when it is too long."""
    body = f"{MARKER}\n{neutralise_mentions(markdown)}"
    if len(body) <= limit:
        return body
    where = f"[the job summary]({summary_url})" if summary_url else "the job summary"
    note = f"\n\n> **This comment was cut to fit GitHub's 65,536-character limit.** The full report is in {where}.\n"
    cut = body[: limit - len(note) - len("```\n")]
    cut = cut[: cut.rfind("\n") + 1]
    if sum(1 for line in cut.splitlines() if line.startswith("```")) % 2:
        cut += "```\n"
    return cut + note


def is_ours(body: str) -> bool:
    """Whether a comment's body starts with our marker (the author is checked by the caller)."""
    return body.startswith(MARKER)
