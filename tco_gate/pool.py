"""A large run across the machine's cores: one function mapped over many items in worker processes, the
answers in the items' order, so the output is the serial run's byte for byte.

Only the edge of the run uses this: the function it maps is pure (judging one proposal), so where it runs
changes nothing but the time. On Linux workers are forked: they start with every module the parent imported
and with the run's shared context (sources, policies, the date) already in memory, so only each item and
its answer cross between processes. Elsewhere they are spawned and the context is pickled once a worker.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

Item = TypeVar("Item")
Answer = TypeVar("Answer")

# Below this many items a run stays in one process: starting workers costs more than a few proposals do.
MIN_ITEMS_FOR_WORKERS = 32
# Items per worker below this are not worth another worker: each one costs a fork and its own warm-up.
MIN_ITEMS_PER_WORKER = 16
# Items sent to a worker at a time: few round trips, yet every worker stays busy to the end.
_CHUNKS_PER_WORKER = 8
_MAX_CHUNK = 64


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform has one, e.g. in a container)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def workers_for(items: int, jobs: int | None) -> int:
    """How many processes judge `items` items: `jobs` when given (1: in this process), else one a core,
    none beyond what the items keep busy, and none at all for a small run."""
    if jobs is not None:
        return max(1, min(jobs, items))
    if items < MIN_ITEMS_FOR_WORKERS:
        return 1
    return max(1, min(cores(), items // MIN_ITEMS_PER_WORKER))


def map_in_order(
    function: Callable[[Item], Answer],
    items: Iterable[Item],
    *,
    workers: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
) -> Iterator[Answer]:
    """`function` over `items`, answers in the items' order. With one worker, in this process (after
    `initializer(*initargs)`, as every worker runs it); otherwise across `workers` processes.

    An exception raised by `function` is raised here, as it would be in one process.
    """
    listed = list(items)
    if workers <= 1:
        initializer(*initargs)
        yield from map(function, listed)
        return
    # Imported here: a small run (the hook's) never starts a worker and should not pay for the machinery.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(_MAX_CHUNK, len(listed) // (workers * _CHUNKS_PER_WORKER)))
    # Forked on Linux; elsewhere the platform's default (spawn), where forking a process is not safe.
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=initializer, initargs=initargs)
    try:
        yield from executor.map(function, listed, chunksize=chunk)
    finally:
        # On an interruption or an error, queued work is dropped rather than finished.
        executor.shutdown(wait=True, cancel_futures=True)
