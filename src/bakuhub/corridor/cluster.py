"""The job's Dask cluster, as a ``concurrent.futures.Executor``, for work a study
spreads (coalitions, near-optimal ranges, side solves) when it runs inside a Dask task.

The study's own task leaves its worker's thread pool once while it waits
(``worker_client``), whatever the number of nested blocks that ask for the cluster.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from contextvars import ContextVar


@contextmanager
def cluster_executor() -> Iterator[Executor | None]:
    """The Dask cluster this code runs on, as an executor, when it runs inside a Dask
    task (a study job); None elsewhere.

    The job's own task leaves the worker's thread pool while it waits
    (``worker_client``), so its worker solves the tasks it spreads too.
    """
    with cluster() as (executor, _threads):
        yield executor


@contextmanager
def cluster() -> Iterator[tuple[Executor | None, int]]:
    """:func:`cluster_executor`, and how many tasks its workers run at once (0: none)."""
    held = _HELD.get()
    if held is not None:  # an outer block holds it already (a study's side solves)
        yield held
        return
    try:
        from distributed import get_worker, worker_client

        get_worker()
    except (ImportError, ValueError):
        yield None, 0
        return
    with worker_client() as client:
        held = (client.get_executor(), sum(client.nthreads().values()))
        token = _HELD.set(held)
        try:
            yield held
        finally:
            _HELD.reset(token)


_HELD: ContextVar[tuple[Executor, int] | None] = ContextVar("bakuhub_cluster", default=None)
"""The cluster executor of the outermost :func:`cluster` block, which inner blocks
reuse (a task leaves its worker's thread pool once, not once a block)."""
