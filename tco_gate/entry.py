"""What every entry point shares: the one error handler, and the process settings a run of the tool needs.

The command line, the pre-commit hook (which is the command line) and the Action each run their work
through `handled`: a TcoGateError is the user's to fix (exit 2, one line); anything else is a bug in
tco-gate (exit 3, one line that says so and asks for a report, the traceback only when asked for); Ctrl-C
is 130. Library code raises; only these entry points decide what a failure prints and returns.
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
import types
from collections.abc import Callable

from .errors import TcoGateError
from .result import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_INVALID
from .version import __version__

Say = Callable[[str], None]


def for_a_run_of_the_tool() -> None:
    """Settings for a process that IS tco-gate (never for a program importing it as a library).

    A verdict must rest on tco-gate's own validation alone. pydantic hands each validator it builds to every
    plugin any installed package registers (the `pydantic` entry-point group); a plugin sees each proposal,
    policy and report as it is validated and could change or fail it, so the answer would depend on what else
    happens to be installed beside the gate. pydantic's documented switch is this variable, read as each
    validator is built, so it is set before the models are first imported. It also spares every run a scan of
    all installed packages' metadata.
    """
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    # pydantic asks its plugin loader for the plugins as it builds each validator. The loader's module imports
    # importlib.metadata (and with it `email` and their regular expressions: 4% of a one-proposal check) only to
    # find plugins that the variable above switches off, so under it the loader's answer is always "none". The
    # tool hands pydantic that answer as the loader, unless pydantic has loaded its own already
    # (tests/test_startup.py holds the real loader to the same answer).
    sys.modules.setdefault("pydantic.plugin._loader", _no_plugins())


def _no_plugins() -> types.ModuleType:
    loader = types.ModuleType("pydantic.plugin._loader", "pydantic's plugin loader, with every plugin switched off.")
    loader.get_plugins = tuple  # type: ignore[attr-defined]  # get_plugins() -> (): no plugin
    return loader


def finished(code: int) -> int:
    """`code`, once the process is ready to end quickly: every object alive is frozen, so the collection Python
    runs as it shuts down skips the models and modules the run loaded (4% of a one-proposal check). For a
    process that IS tco-gate and ends now, never for a program importing it."""
    gc.freeze()
    return code


def internal_error_text(exc: BaseException) -> str:
    """The one line (two, wrapped) that reports a bug in tco-gate."""
    return (
        f"tco-gate: internal error: {type(exc).__name__}: {exc}\nThis is a bug in tco-gate {__version__} "
        f"(Python {sys.version.split()[0]}); please report it with the command you ran (add --traceback for details)."
    )


def handled(work: Callable[[], int], *, say: Say, show_traceback: bool = False) -> int:
    """`work()`'s exit code, or the exit code of what it raised, said in one line through `say`."""
    try:
        return work()
    except TcoGateError as exc:
        say(f"tco-gate: error: {exc}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        say("tco-gate: interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:
        if show_traceback:
            traceback.print_exc()
        say(internal_error_text(exc))
        return EXIT_INTERNAL
