"""`--format gitlab`: GitLab Code Quality JSON, so problems show in a merge request's diff.

A JSON array of issues as GitLab documents them (description, check_name, fingerprint, severity,
location.path and location.lines.begin), one per problem of report/problems.py.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Report
from .problems import Level, Problem, problems

# An enforced failure blocks the merge; a warning is worth a look; a note is information.
SEVERITY: dict[Level, str] = {"error": "blocker", "warning": "minor", "note": "info"}


def render(report: Report) -> str:
    """The Code Quality report as text, two-space indented, ending in a newline."""
    return json.dumps([_issue(problem) for problem in problems(report)], indent=2, ensure_ascii=False) + "\n"


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
