"""The command line: parse, set the process up, dispatch to one function per command, and map what it
raises to exit codes through the one error handler (entry.handled).

Exit codes: 0 all clear, 1 a proposal failed, 2 invalid input or usage (any TcoGateError), 3 an internal
error (a bug: please report it), 130 interrupted. A traceback only with `--traceback`.

Nothing heavy is imported before `main` runs: the commands are imported when dispatched to, after
entry.for_a_run_of_the_tool has set the process up.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .commands.arguments import build_parser, run_options
from .entry import finished, for_a_run_of_the_tool, handled
from .errors import UsageError

if TYPE_CHECKING:
    from .report.model import Report


def _publish_on_a_runner(report: Report) -> None:
    """`--format github` in a workflow also fills the step summary and outputs (the face's choice of sinks): the
    whole report is kept for them. Elsewhere the report is written a proposal at a time, as other formats are."""
    from .github.step import publish
    from .report import RENDERERS

    publish(report, RENDERERS["markdown"](report))


def _on_a_runner() -> bool:
    from .github.step import on_a_runner

    return on_a_runner()


def _dispatch(args: argparse.Namespace, given: Sequence[str]) -> int:
    if args.command == "check":
        from .commands.check import check

        return check(
            run_options(args, given),
            format=args.format,
            output=args.output,
            show_config=args.show_config,
            publish=_publish_on_a_runner if args.format == "github" and _on_a_runner() else None,
        )
    if args.command == "report":
        from .commands.report import report, report_paths  # lazy, as the commands below: not the hook's path

        if args.source is None:
            return report_paths(run_options(args, given), format=args.format, output=args.output)
        if args.paths:
            raise UsageError("give PATHs to judge or --from a saved report, not both")
        return report(args.source, format=args.format, output=args.output)
    if args.command == "verify":
        from .commands.verify import verify  # lazy: hashing and evidence comparison are not the hook's path

        return verify(args.report_file)
    if args.command == "models":
        from .commands.models import models  # lazy: the catalog is never needed on the hook's path

        return models(args.provider)
    if args.command == "explain":
        from .commands.explain import explain  # lazy: never needed on the hook's path
        from .gate import Overrides
        from .options import RunOptions

        overrides = Overrides(horizon_months=args.horizon_months, min_savings_pct=args.min_savings_pct)
        options = RunOptions(paths=tuple(args.paths), policy=args.policy, overrides=overrides)
        return explain(options, format=args.format, output=args.output)
    if args.command == "init":
        from .commands.init import init  # lazy: the template generator is never needed on the hook's path

        return init(args.path, policy=args.policy, force=args.force)
    from .commands.schema import schema

    return schema(args.kind, path=args.path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    given = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(given)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exc.code or 0)
    for_a_run_of_the_tool()
    return handled(
        lambda: _dispatch(args, given),
        say=lambda line: print(line, file=sys.stderr),
        show_traceback=args.traceback,
    )


def run(argv: Sequence[str] | None = None) -> int:
    """The `tco-gate` program (its console script and `python -m tco_gate`): `main()` in a process that ends
    when it returns."""
    return finished(main(argv))
