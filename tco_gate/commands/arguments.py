"""The command line's grammar: the argparse parser, and the RunOptions a parsed `check` or `report` stands for.

Read by cli.py to dispatch, and by `verify` to run a filed report's command again exactly as it was given.
Light on purpose: building the parser loads no model, so `--help` and `--version` are instant and the entry
point can set the process up before anything else is imported.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.sampling import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, Sampling
from ..errors import InputError
from ..pool import MIN_ITEMS_FOR_WORKERS
from ..report import RENDERERS
from ..schema_files import SCHEMA_FILES
from ..version import __version__

if TYPE_CHECKING:
    from ..options import RunOptions

# Flags that choose how a report is shown or how many processes make it, not what is judged: a reproducing
# command leaves them out.
PRESENTATION_FLAGS = ("--format", "--output", "--jobs")


def _policy_flag(name: str) -> Callable[[str], Any]:
    """An argparse type that reads a policy value as the policy file would, with the file's errors."""

    def parse(text: str) -> Any:
        from ..gate import flag_value  # the policy model is loaded only when a flag is given

        try:
            return flag_value(name, text)
        except InputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = name  # argparse names the type in some messages
    return parse


CHECK_EPILOG = """\
policy:
  The root policy is .tco-gate.yml at the repository root (the first folder up that holds .git), or the
  file given with --policy, or the built-in defaults. Each .tco-gate.yml between the root and a proposal
  applies on top of it and may only tighten it. Flags beat every file, and every report says so.

exit codes:
  0  every proposal passed, was exempt or waived, or failed under `on_fail: warn`
  1  at least one proposal failed
  2  invalid input or usage (wins over 1); also no proposal found, unless --allow-empty
  3  internal error: a bug in tco-gate (add --traceback to see where)
"""


def _policy_arguments(parser: argparse.ArgumentParser) -> None:
    """The policy file and the flags over it: every command that judges takes them alike."""
    parser.add_argument("--policy", type=Path, metavar="FILE", help="use this policy file instead of .tco-gate.yml")
    parser.add_argument(
        "--horizon-months", type=_policy_flag("horizon_months"), metavar="N", help="override the policy's horizon"
    )
    parser.add_argument(
        "--min-savings-pct",
        type=_policy_flag("min_savings_pct"),
        metavar="X",
        help="override the required saving, in percent (10 means fine-tuning must cost 10%% less)",
    )


def _judging_arguments(parser: argparse.ArgumentParser) -> None:
    """What decides the verdicts: the paths, the policy, the flags over it. `check` and `report PATHS` share them."""
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders (default: every finetune-proposal.y*ml under the current folder)",
    )
    _policy_arguments(parser)
    parser.add_argument("--allow-empty", action="store_true", help="exit 0 when no proposal is found")
    parser.add_argument(
        "--draws",
        type=_whole("draws", 1, MAX_DRAWS),
        default=DEFAULT_DRAWS,
        metavar="N",
        help=f"Monte Carlo draws for proposals that write ranges (default: {DEFAULT_DRAWS:,})",
    )
    parser.add_argument(
        "--seed",
        type=_whole("seed", 0, 2**63 - 1),
        default=DEFAULT_SEED,
        metavar="N",
        help=f"the draws' seed: the same seed gives the same numbers (default: {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--jobs",
        type=_whole("jobs", 1, 1024),
        metavar="N",
        help="processes that judge the proposals; the report is the same (default: one a core for "
        f"{MIN_ITEMS_FOR_WORKERS} proposals or more, else 1)",
    )


def _whole(name: str, least: int, most: int) -> Callable[[str], int]:
    """An argparse type for a whole number in [least, most]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"`{text}` is not a whole number") from None
        if not least <= value <= most:
            raise argparse.ArgumentTypeError(f"{value} is outside {least:,}..{most:,}")
        return value

    parse.__name__ = name
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tco-gate",
        description="Fail the build when fine-tuning does not beat "
        "prompting a hosted model by the margin your reviewers set.",
    )
    parser.add_argument("--version", action="version", version=f"tco-gate {__version__}")
    parser.add_argument("--traceback", action="store_true", help="show the traceback of an internal error")
    # Accepted after the command too, where the internal-error message tells people to add it. SUPPRESS keeps a
    # subcommand's unset flag from overwriting one given before the command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--traceback", action="store_true", default=argparse.SUPPRESS, help="show the traceback of an internal error"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check_parser = commands.add_parser(
        "check",
        parents=[common],
        help="validate, cost and judge proposals",
        description="Validate each proposal, cost fine-tuning against prompting month by month, and judge it "
        "under the reviewers' policy.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _judging_arguments(check_parser)
    check_parser.add_argument(
        "--base",
        metavar="REF",
        help="read every policy from this commit, not the work tree, and compare each proposal with it",
    )
    check_parser.add_argument(
        "--changed",
        action="store_true",
        help="with --base: only proposals that differ from it or whose policy does (none changed: exit 0)",
    )
    check_parser.add_argument(
        "--format", choices=sorted(RENDERERS), default="text", help="report format (default: text)"
    )
    check_parser.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    check_parser.add_argument(
        "--show-config",
        action="store_true",
        help="print every effective policy value, its source, and the proposals each policy governs; judge nothing",
    )

    report_parser = commands.add_parser(
        "report",
        parents=[common],
        help="write one review document for many proposals, or render a saved JSON report",
        description="With PATHs: judge them as check does and write one document, a portfolio table first; exit 0 "
        "once written (the gate is check's exit code). With --from: render a saved JSON report.",
    )
    _judging_arguments(report_parser)
    report_parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="FILE",
        help="a report written by `check --format json` (- for stdin), instead of PATHs",
    )
    report_parser.add_argument(
        "--format", choices=sorted(RENDERERS), default="text", help="report format (default: text)"
    )
    report_parser.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")

    verify_parser = commands.add_parser(
        "verify",
        parents=[common],
        help="check that a filed JSON report still holds: its files unchanged and its verdicts the same",
        description="Hash every file the report names and run its command again, from the folder it ran in. "
        "Exit 0 when nothing changed and every verdict holds, 1 (saying what changed) otherwise, 2 when the "
        "report cannot be read.",
    )
    verify_parser.add_argument("report_file", type=Path, metavar="REPORT", help="a report from check --format json")

    models_parser = commands.add_parser(
        "models", parents=[common], help="list the price catalog's providers, or one provider's models and prices"
    )
    models_parser.add_argument("provider", nargs="?", metavar="PROVIDER", help="e.g. openai")

    schema_parser = commands.add_parser("schema", parents=[common], help="print a JSON Schema")
    schema_parser.add_argument("kind", choices=sorted(SCHEMA_FILES), nargs="?", default="proposal")
    schema_parser.add_argument(
        "--path", action="store_true", help="print where the installed package keeps the schema, for editors"
    )

    explain_parser = commands.add_parser(
        "explain", parents=[common], help="every cost in words, month by month, and what decides the verdict"
    )
    explain_parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="proposal files or folders")
    _policy_arguments(explain_parser)
    explain_parser.add_argument(
        "--format",
        choices=("text", "csv"),
        default="text",
        help="text, or csv: one row per month, option and line item (default: text)",
    )
    explain_parser.add_argument("--output", type=Path, metavar="FILE", help="write here instead of stdout")

    init_parser = commands.add_parser(
        "init", parents=[common], help="write a commented proposal (or policy) to start from, valid as written"
    )
    init_parser.add_argument(
        "path", nargs="?", type=Path, metavar="PATH", help="file or folder (default: ./finetune-proposal.yml)"
    )
    init_parser.add_argument("--policy", action="store_true", help="write a commented .tco-gate.yml instead")
    init_parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


def judging_command(argv: Sequence[str]) -> tuple[str, ...]:
    """`tco-gate` and the arguments given, less the presentation flags and their values."""
    kept: list[str] = []
    skip_next = False
    for argument in argv:
        if skip_next:
            skip_next = False
        elif argument in PRESENTATION_FLAGS:
            skip_next = True
        elif not argument.startswith(tuple(f"{flag}=" for flag in PRESENTATION_FLAGS)):
            kept.append(argument)
    return ("tco-gate", *kept)


def run_options(args: argparse.Namespace, argv: Sequence[str]) -> RunOptions:
    """What a parsed `check` or `report PATHS` asks the run to do; `argv` is the command line as given."""
    from ..gate import Overrides
    from ..options import RunOptions

    return RunOptions(
        paths=tuple(args.paths),
        policy=args.policy,
        overrides=Overrides(horizon_months=args.horizon_months, min_savings_pct=args.min_savings_pct),
        base=getattr(args, "base", None),
        changed_only=getattr(args, "changed", False),
        sampling=Sampling(args.draws, args.seed),
        jobs=args.jobs,
        allow_empty=args.allow_empty,
        command=judging_command(argv),
    )
