"""How many Monte Carlo draws, from which seed: the flags' defaults and limits, in a leaf the command line
can read without loading the analysis; and how many of the nearest flips a report needs."""

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
    nearest_flips: int | None = None
    """Pin only the flips that can be among this many nearest (the text report shows three); None: every
    input's flip, as the formats that list them need."""


DEFAULT_SAMPLING = Sampling()
