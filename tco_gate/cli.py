"""The command line: parse, dispatch to one function per command, map errors to exit codes.

The only module that touches stdout, stderr, files and the clock. Exit codes: 0 all clear, 1 a proposal
failed, 2 invalid input or usage, 3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pydantic import BaseModel

from . import __version__
from .discovery import display_path, find_policy, find_proposals
from .errors import Finding, InputError, TcoGateError, UsageError
from .gate import Overrides, evaluate, invalid, invalid_policy, settle_policy
from .models import Policy, Proposal, json_schema
from .report import RENDERERS
from .report.json_report import Report
from .report.text import finding_line
from .result import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, PolicySettings, Result, exit_code

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "proposal": (Proposal, "finetune-proposal.schema.json"),
    "policy": (Policy, "policy.schema.json"),
    "report": (Report, "report.schema.json"),
}


def _horizon(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of months") from None
    if not 1 <= value <= 120:
        raise argparse.ArgumentTypeError(f"{value} is outside 1..120 months")
    return value


def _savings(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value.is_finite() or not -1000 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is outside -1000..100")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tco-gate",
        description="Fail the build when fine-tuning does not beat "
        "prompting a hosted model by the margin your reviewers set.",
    )
    parser.add_argument("--version", action="version", version=f"tco-gate {__version__}")
    parser.add_argument("--traceback", action="store_true", help="show the traceback of an internal error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate, cost and judge proposals")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders (default: every finetune-proposal.y*ml under the current folder)",
    )
    check.add_argument("--policy", type=Path, metavar="FILE", help="use this policy file instead of .tco-gate.yml")
    check.add_argument("--format", choices=sorted(RENDERERS), default="text", help="report format (default: text)")
    check.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    check.add_argument("--horizon-months", type=_horizon, metavar="N", help="override the policy's horizon")
    check.add_argument("--min-savings-pct", type=_savings, metavar="X", help="override the required saving")
    check.add_argument("--allow-empty", action="store_true", help="exit 0 when no proposal is found")

    schema = commands.add_parser("schema", help="print a JSON Schema")
    schema.add_argument("kind", choices=sorted(SCHEMAS), nargs="?", default="proposal")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exc.code or 0)
    try:
        if args.command == "check":
            return check(args)
        return schema(args.kind)
    except TcoGateError as exc:
        print(f"tco-gate: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:
        if args.traceback:
            traceback.print_exc()
        print(
            f"tco-gate: internal error: {type(exc).__name__}: {exc}\nThis is a bug in tco-gate "
            f"{__version__} (Python {sys.version.split()[0]}); please report it with the command you ran "
            "(add --traceback for details).",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def schema_text(kind: str) -> str:
    """A JSON Schema as committed under schemas/: two-space indented, with a final newline."""
    model, file_name = SCHEMAS[kind]
    return json.dumps(json_schema(model, file_name), indent=2, ensure_ascii=False) + "\n"


def schema(kind: str) -> int:
    sys.stdout.write(schema_text(kind))
    return EXIT_OK


def check(args: argparse.Namespace) -> int:
    proposals = find_proposals(args.paths or [Path()])
    if not proposals and not args.allow_empty:
        where = ", ".join(str(p) for p in args.paths) or "the current folder"
        raise UsageError(f"no finetune-proposal.yml or .yaml found under {where} (use --allow-empty to allow this)")
    overrides = Overrides(horizon_months=args.horizon_months, min_savings_pct=args.min_savings_pct)
    today = datetime.now(UTC).date()
    policies: dict[Path | None, PolicySettings | InputError] = {}
    results: list[Result] = []
    for proposal in proposals:
        policy_file = args.policy if args.policy is not None else find_policy(proposal)
        if policy_file not in policies:
            policies[policy_file] = _settle(policy_file, overrides)
        settings = policies[policy_file]
        path = display_path(proposal)
        if isinstance(settings, InputError):
            results.append(invalid_policy(path, display_path(policy_file) if policy_file else "", settings.findings))
            continue
        try:
            data = proposal.read_bytes()
        except OSError as exc:
            results.append(invalid(path, [Finding("error", f"cannot read the file: {exc.strerror}")]))
            continue
        results.append(evaluate(data, path, settings, today))

    _write(RENDERERS[args.format](results), args.output)
    if args.format != "text" and args.output is None:
        _echo_errors(results)  # machine output went to stdout; a person still sees what broke
    return exit_code(results)


def _settle(policy_file: Path | None, overrides: Overrides) -> PolicySettings | InputError:
    if policy_file is None:
        return settle_policy(None, None, overrides)
    label = display_path(policy_file)
    try:
        data = policy_file.read_bytes()
    except OSError as exc:
        if policy_file.exists():
            return InputError([Finding("error", f"cannot read the policy file: {exc.strerror}", path=label)])
        raise UsageError(f"{policy_file}: no such policy file") from None
    try:
        return settle_policy(data, label, overrides)
    except InputError as exc:
        return exc


def _echo_errors(results: list[Result]) -> None:
    for result in results:
        for finding in result.findings:
            if finding.level == "error":
                print(finding_line(finding, result.path), file=sys.stderr)


def _write(text: str, output: Path | None) -> None:
    """To stdout, or to a file atomically: a reader never sees half a report."""
    if output is None:
        sys.stdout.write(text)
        return
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=output.parent, prefix=f".{output.name}.", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(text)
        temporary.replace(output)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None
