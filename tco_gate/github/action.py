"""The Action's one step: check the pull request against its base, then annotate, summarise, output, comment.

Run as `python -m tco_gate.github` by action.yml. The verdict and the exit code come from the check alone:
the comment is a courtesy that a fork's read-only token, a 403 or an unreachable API can skip (with one
notice), never a reason to pass or fail.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from ..entry import handled
from ..errors import InputError, UsageError
from ..gate import Overrides, flag_value, settle_policy
from ..models import Policy
from ..options import RunOptions
from ..report import RENDERERS
from ..report.build import entry
from ..report.github import Annotation, command
from ..report.model import Report
from ..result import EXIT_FAIL, EXIT_OK, exit_code_of
from ..service import judge, report_of
from ..sinks import write
from ..sources import POLICY_NAME, GitRef
from .comment import comment_body
from .context import Context, read_context
from .loosening import looser_inputs, uses_this_action
from .rest import Client, CommentForbidden, RestError
from .step import publish
from .sticky import post

WORKFLOWS = ".github/workflows"


def _say(out: TextIO, level: str, message: str) -> None:
    out.write(
        command(
            Annotation(
                "notice" if level == "notice" else "warning" if level == "warning" else "error",
                message,
                title="tco-gate",
            )
        )
        + "\n"
    )


def _paths(context: Context) -> list[Path]:
    """The `proposals` input as paths: each glob expanded in the workspace; a pattern matching nothing kept
    as written, so the check names it."""
    found: list[Path] = []
    for pattern in context.inputs.paths:
        matches: list[Path] = []
        if glob.has_magic(pattern):
            try:
                matches = sorted(Path().glob(pattern))
            except (NotImplementedError, ValueError):
                raise UsageError(f"input `proposals`: {pattern!r} is not a glob relative to the repository") from None
        found += matches or [Path(pattern)]
    return found


def _overrides(context: Context) -> Overrides:
    inputs = context.inputs
    try:
        return Overrides(
            horizon_months=flag_value("horizon_months", inputs.horizon_months) if inputs.horizon_months else None,
            min_savings_pct=flag_value("min_savings_pct", inputs.min_savings_pct) if inputs.min_savings_pct else None,
        )
    except InputError as exc:
        raise UsageError(f"an input does not fit the policy: {exc}") from None


def _base_policy(base: GitRef, policy_input: str | None) -> Policy:
    """The root policy at the base commit (or the `policy` input's file there), or the built-in defaults."""
    where = Path(policy_input) if policy_input else base.root / POLICY_NAME
    try:
        data = base.read(where)
    except FileNotFoundError:
        data = None
    try:
        return settle_policy(data, base.display(where), Overrides()).policy
    except InputError:
        return Policy()  # the check itself reports the invalid policy, on every proposal it governs


def warnings_at_top(context: Context, base: GitRef | None, repo: Path) -> list[str]:
    """Everything the pull request does through its own workflow that the base policy did not ask for."""
    if base is None or context.pull_request is None:
        return []
    inputs, overrides = context.inputs, _overrides(context)
    found = looser_inputs(
        min_savings_pct=overrides.min_savings_pct,
        horizon_months=overrides.horizon_months,
        on_fail=inputs.on_fail,
        policy=inputs.policy,
        base=_base_policy(base, inputs.policy),
    )
    for name in base.changed_files(WORKFLOWS):
        texts = [(repo / name).read_text(encoding="utf-8", errors="replace") if (repo / name).is_file() else ""]
        with contextlib.suppress(FileNotFoundError):
            texts.append(base.read(repo / name).decode("utf-8", "replace"))
        if any(uses_this_action(text, context.action_repository) for text in texts):
            found.insert(
                0,
                f"This pull request changes `{name}`, a workflow that runs tco-gate: its inputs are the "
                "pull request's own. Review that change before trusting this result.",
            )
    return found


def _warning_block(warnings: list[str]) -> str:
    if not warnings:
        return ""
    lines = ["> [!WARNING]", "> **This pull request can change how it is gated.**"]
    lines += [f"> - {warning}" for warning in warnings]
    return "\n".join(lines) + "\n\n"


def _comment(context: Context, markdown: str, out: TextIO) -> None:
    pull, inputs = context.pull_request, context.inputs
    if pull is None or inputs.comment == "off":
        return
    if pull.from_fork or not inputs.token:
        _say(
            out,
            "notice",
            "No pull-request comment: a fork's pull request has a read-only token. "
            "The job summary has the report; the verdict is unaffected.",
        )
        return
    client = Client(context.api_url, inputs.token, context.repository)
    try:
        post(client, pull.number, comment_body(markdown, context.run_url), inputs.comment, inputs.comment_author)
    except CommentForbidden:
        _say(
            out,
            "notice",
            "No pull-request comment: the token may not write to this pull request (HTTP 403; "
            "grant `pull-requests: write`). The job summary has the report; the verdict is unaffected.",
        )
    except RestError as exc:
        _say(out, "warning", f"No pull-request comment: {exc}. The verdict is unaffected.")


def run_action(environ: Mapping[str, str], out: TextIO) -> int:
    """The whole step; returns its exit code."""
    context = read_context(environ)
    repo = context.workspace.resolve()
    os.chdir(repo)
    inputs, pull = context.inputs, context.pull_request
    # The base commit is fetched with the step's token, as actions/checkout fetches (which may not have kept it).
    base = (
        GitRef.fetched(pull.base_sha, repo, server=context.server_url, token=inputs.token or None)
        if pull is not None
        else None
    )
    warnings = warnings_at_top(context, base, repo)
    options = _options(context, base)
    report = report_of(judge(options, entry), options, provenance=True)
    report_dir = context.temp / "tco-gate"
    report_dir.mkdir(parents=True, exist_ok=True)
    report_path = report_dir / "report.json"
    write(RENDERERS["json"](report), report_path)
    out.write(RENDERERS["github"](report))
    for warning in warnings:
        _say(out, "warning", warning)
    markdown = _warning_block(warnings) + RENDERERS["markdown"](report)
    publish(report, markdown, report_path, environ)
    _comment(context, markdown, out)
    return _exit_code(report, results_code=_code(report), on_fail=inputs.on_fail, out=out)


def _options(context: Context, base: GitRef | None) -> RunOptions:
    """What the step asks of the run: the inputs, read as `tco-gate check` reads its flags. Nothing found is
    not an error here: the Action reports an empty run as such."""
    inputs = context.inputs
    paths = _paths(context)
    changed_only = base is not None and inputs.proposals == "changed"
    return RunOptions(
        paths=tuple(paths),
        policy=Path(inputs.policy) if inputs.policy else None,
        overrides=_overrides(context),
        base=base.commit if base else None,
        changed_only=changed_only,
        allow_empty=True,
        command=_command(context, base, paths, changed_only),
    )


def _command(context: Context, base: GitRef | None, paths: list[Path], changed_only: bool) -> tuple[str, ...]:
    """The `tco-gate check` command line that judges as this step did, for the report's evidence block."""
    inputs = context.inputs
    argv = ["tco-gate", "check"]
    argv += ["--base", base.commit] if base else []
    argv += ["--changed"] if changed_only else []
    argv += ["--policy", inputs.policy] if inputs.policy else []
    argv += ["--min-savings-pct", inputs.min_savings_pct] if inputs.min_savings_pct else []
    argv += ["--horizon-months", inputs.horizon_months] if inputs.horizon_months else []
    return (*argv, *(["--"] if paths else []), *map(str, paths))


def _code(report: Report) -> int:
    return exit_code_of((r.verdict, r.enforced) for r in report.results)


def _exit_code(report: Report, *, results_code: int, on_fail: str, out: TextIO) -> int:
    if results_code == EXIT_FAIL and on_fail == "warn":
        _say(out, "warning", "A proposal fails the gate; `on-fail: warn` lets the step pass.")
        return EXIT_OK
    return results_code


def main(environ: Mapping[str, str] | None = None, out: TextIO | None = None) -> int:
    """Exit 0, 1 or 2 as `tco-gate check` does, 3 for a bug; an error is one `::error::` line, never a
    traceback (unless the run is re-run with debug logging, RUNNER_DEBUG=1)."""
    out = out or sys.stdout
    environ = os.environ if environ is None else environ
    return handled(
        lambda: run_action(environ, out),
        say=lambda line: _say(out, "error", line),
        show_traceback=environ.get("RUNNER_DEBUG") == "1",
    )
