"""What a run is asked to do, as one value: the paths, the policy and the flags over it, the base commit,
the sampling and the workers. Every face fills one RunOptions; the run layer reads it, nobody forwards its
fields by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .analysis.sampling import DEFAULT_SAMPLING, Sampling
from .gate import Overrides


@dataclass(frozen=True)
class RunOptions:
    paths: tuple[Path, ...] = ()
    """Files or folders to check; none means the current folder."""
    policy: Path | None = None
    """`--policy`: stands in for the root policy."""
    overrides: Overrides = field(default_factory=Overrides)
    """Policy values given as flags; they beat every file."""
    base: str | None = None
    """`--base`: read every policy from this commit and compare each proposal with it."""
    changed_only: bool = False
    """`--changed`: only proposals that differ from the base, or whose policy does."""
    sampling: Sampling = DEFAULT_SAMPLING
    jobs: int | None = None
    """Processes that judge the proposals; None: one a core for a large run."""
    allow_empty: bool = False
    """Finding no proposal is not an error."""
    command: tuple[str, ...] = ()
    """The `tco-gate ...` command line that judges as this run does, for the report's evidence block."""

    @property
    def searched(self) -> tuple[Path, ...]:
        """The paths to search: the current folder when none were given."""
        return self.paths or (Path(),)
