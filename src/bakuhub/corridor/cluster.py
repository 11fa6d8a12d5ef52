"""The job's Dask cluster, as a ``concurrent.futures.Executor``, for work a study
spreads (coalitions, near-optimal ranges) when it runs inside a Dask task.

The study's own task leaves its worker's thread pool only while it waits for that work
(``worker_client``): a task that left it for longer would let the cluster start more
jobs than it has threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager


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
    if not in_dask_task():
        yield None, 0
        return
    from distributed import worker_client

    with worker_client() as client:
        yield client.get_executor(), sum(client.nthreads().values())


def in_dask_task() -> bool:
    """Whether this code runs inside a Dask task (a job on the job cluster)."""
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True
