"""How many Monte Carlo draws, from which seed: the flags' defaults and limits, in a leaf the command line
can read without loading the analysis."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 0
MAX_DRAWS = 1_000_000


@dataclass(frozen=True)
class Sampling:
    """How many Monte Carlo draws, from which seed (`--draws`, `--seed`)."""

    draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED


DEFAULT_SAMPLING = Sampling()
