"""What the run is about, read from the runner's environment and the event payload, once, at the edge.

Inputs reach the Action's script only as `TCO_GATE_*` variables (action.yml maps each `with:` input to one),
so a value is never pasted into a shell script. Each is checked here; a bad one is a usage error naming it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import UsageError
from .sticky import COMMENT_MODES, CommentMode

OnFail = Literal["fail", "warn"]


@dataclass(frozen=True)
class PullRequest:
    number: int
    base_sha: str
    head_sha: str
    base_repository: str
    head_repository: str

    @property
    def from_fork(self) -> bool:
        """A fork's pull request runs with a read-only token and no secrets."""
        return self.head_repository.lower() != self.base_repository.lower()


@dataclass(frozen=True)
class Inputs:
    proposals: str  # "changed", "all", or paths and globs
    policy: str | None
    min_savings_pct: str | None  # as written; checked by the policy model, as the flags are
    horizon_months: str | None
    on_fail: OnFail
    comment: CommentMode
    comment_author: str
    token: str

    @property
    def paths(self) -> list[str]:
        """The paths and globs of `proposals`, when it is neither `changed` nor `all`."""
        return [] if self.proposals in ("changed", "all") else self.proposals.split()


@dataclass(frozen=True)
class Context:
    workspace: Path
    repository: str
    api_url: str
    server_url: str
    """GitHub's web and git address (GITHUB_SERVER_URL): the one host the token is sent to for a fetch."""
    summary_file: Path | None
    output_file: Path | None
    run_url: str | None
    temp: Path
    action_repository: str
    pull_request: PullRequest | None
    inputs: Inputs


def _get(environ: Mapping[str, str], name: str) -> str:
    return environ.get(name, "").strip()


def _choice(environ: Mapping[str, str], name: str, input_name: str, allowed: tuple[str, ...], default: str) -> str:
    value = _get(environ, name) or default
    if value not in allowed:
        raise UsageError(f"input `{input_name}` is {value!r}; it must be one of {', '.join(allowed)}")
    return value


def read_inputs(environ: Mapping[str, str]) -> Inputs:
    """The Action's inputs from their `TCO_GATE_*` variables, checked."""
    on_fail = _choice(environ, "TCO_GATE_ON_FAIL", "on-fail", ("fail", "warn"), "fail")
    comment = _choice(environ, "TCO_GATE_COMMENT", "comment", COMMENT_MODES, "update")
    return Inputs(
        proposals=" ".join(_get(environ, "TCO_GATE_PROPOSALS").split()) or "changed",
        policy=_get(environ, "TCO_GATE_POLICY") or None,
        min_savings_pct=_get(environ, "TCO_GATE_MIN_SAVINGS_PCT") or None,
        horizon_months=_get(environ, "TCO_GATE_HORIZON_MONTHS") or None,
        on_fail="warn" if on_fail == "warn" else "fail",
        comment=next(mode for mode in COMMENT_MODES if mode == comment),
        comment_author=_get(environ, "TCO_GATE_COMMENT_AUTHOR") or "github-actions[bot]",
        token=environ.get("TCO_GATE_TOKEN", ""),
    )


def _pull_request(event: Mapping[str, Any], repository: str) -> PullRequest | None:
    found = event.get("pull_request")
    if not isinstance(found, dict):
        return None
    try:
        base, head = found["base"], found["head"]
        base_repo = (base.get("repo") or {}).get("full_name") or repository
        head_repo = (head.get("repo") or {}).get("full_name") or base_repo
        return PullRequest(int(found["number"]), str(base["sha"]), str(head["sha"]), base_repo, head_repo)
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"the pull_request event payload lacks {exc}") from None


def read_context(environ: Mapping[str, str]) -> Context:
    """The run's context from the runner's variables; the event payload is read from GITHUB_EVENT_PATH."""
    event: dict[str, Any] = {}
    event_path = _get(environ, "GITHUB_EVENT_PATH")
    if event_path and _get(environ, "GITHUB_EVENT_NAME") in ("pull_request", "pull_request_target"):
        try:
            event = json.loads(Path(event_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read the event payload {event_path}: {exc}") from None
    repository = _get(environ, "GITHUB_REPOSITORY")
    server = _get(environ, "GITHUB_SERVER_URL") or "https://github.com"
    run_id = _get(environ, "GITHUB_RUN_ID")
    summary, output = _get(environ, "GITHUB_STEP_SUMMARY"), _get(environ, "GITHUB_OUTPUT")
    return Context(
        workspace=Path(_get(environ, "GITHUB_WORKSPACE") or "."),
        repository=repository,
        api_url=_get(environ, "GITHUB_API_URL") or "https://api.github.com",
        server_url=server,
        summary_file=Path(summary) if summary else None,
        output_file=Path(output) if output else None,
        run_url=f"{server}/{repository}/actions/runs/{run_id}" if repository and run_id else None,
        temp=Path(_get(environ, "RUNNER_TEMP") or "."),
        action_repository=_get(environ, "GITHUB_ACTION_REPOSITORY"),
        pull_request=_pull_request(event, repository),
        inputs=read_inputs(environ),
    )
