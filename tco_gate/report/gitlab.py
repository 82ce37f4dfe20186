"""`--format gitlab`: GitLab Code Quality JSON, so problems show in a merge request's diff.

A JSON array of issues as GitLab documents them (description, check_name, fingerprint, severity,
location.path and location.lines.begin), one per problem of report/problems.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from .model import BaseOut, Report, ResultOut
from .parts import Fragment, indented, json_items, whole
from .problems import Level, Problem, policy_problems, problems_of

# An enforced failure blocks the merge; a warning is worth a look; a note is information.
SEVERITY: dict[Level, str] = {"error": "blocker", "warning": "minor", "note": "info"}


def render(report: Report) -> str:
    """The Code Quality report as text, two-space indented, ending in a newline."""
    return whole(report, part, document)


def part(result: ResultOut, base: BaseOut | None) -> Fragment | None:
    """The issues of one proposal as items of the array; None when it has none."""
    return _issues(problems_of(result))


def document(shell: Report, parts: Sequence[Fragment | None]) -> Iterator[str]:
    """The array: each proposal's issues in order, then those of the policy files."""
    found = (part.text() for part in [*parts, _issues(policy_problems(shell))] if part is not None)
    yield from json_items(found, spaces=2)
    yield "\n"


def _issues(found: Sequence[Problem]) -> Fragment | None:
    items = [indented(json.dumps(_issue(problem), indent=2, ensure_ascii=False), 2) for problem in found]
    return Fragment.of(",\n".join(items)) if items else None


def _issue(problem: Problem) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": problem.rule,
        "description": f"{problem.proposal}: {problem.message}",
        "categories": ["Bug Risk"] if problem.level == "error" else ["Clarity"],
        "severity": SEVERITY[problem.level],
        "fingerprint": problem.fingerprint,
        "location": {"path": problem.file, "lines": {"begin": problem.line}},
    }
