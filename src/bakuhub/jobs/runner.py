"""Hand jobs to Dask: an in-process ``LocalCluster`` started on first use, or a remote
scheduler (``BAKUHUB_DASK_SCHEDULER=tcp://host:8786``) and its workers.

Each job is one Dask task, ``bakuhub.jobs.worker.run_job(job_id, database_url,
results_dir)``, under the key ``bakuhub-job-<database tag>-<id>``. Dask re-runs a
task whose worker died; the worker records state, progress and result in the
database itself. Tasks are submitted fire-and-forget, so a remote cluster finishes
them even when the submitting server stops. Nothing starts at import time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Iterable
from concurrent.futures import Future as Pending
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, update

from bakuhub.db import make_engine, make_sessionmaker, utcnow
from bakuhub.jobs.models import ACTIVE, FAILED, QUEUED, RUNNING, Job
from bakuhub.jobs.retry import transaction
from bakuhub.jobs.worker import run_job

if TYPE_CHECKING:
    from bakuhub.config import Settings

log = logging.getLogger(__name__)


def _distributed() -> Any:
    """The ``distributed`` module, imported on first use (its API is only partly typed)."""
    import distributed

    return distributed


def _scheduler_has(key: str, dask_scheduler: Any = None) -> bool:
    return key in dask_scheduler.tasks


class JobRunner:
    """Submits jobs to a Dask cluster and watches their futures.

    ``scheduler``: address of a running scheduler; None starts a ``LocalCluster``
    of ``workers`` processes (one thread each; default: one per CPU) on loopback the
    first time a job is submitted. ``client``: an existing Dask client to use (not
    closed by :meth:`close`). ``database_url`` and ``results_dir`` must mean the
    same database and folder on every worker.
    """

    def __init__(
        self,
        *,
        database_url: str,
        results_dir: Path,
        scheduler: str | None = None,
        workers: int | None = None,
        client: Any = None,
    ) -> None:
        self.database_url = database_url
        self.results_dir = results_dir.resolve()
        self.scheduler = scheduler
        self.workers = workers
        self._client = client
        self._owns_client = client is None
        self._cluster: Any = None
        self._futures: dict[int, Any] = {}
        self._lock = threading.Lock()
        self._dispatch = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bakuhub-jobs")
        self._tag = hashlib.sha256(database_url.encode()).hexdigest()[:8]
        self._engine = make_engine(database_url)
        self.factory = make_sessionmaker(self._engine)

    @classmethod
    def from_settings(cls, settings: Settings, *, workers: int | None = None) -> JobRunner:
        """A runner on the settings' database, results under ``<data dir>/jobs``."""
        return cls(
            database_url=settings.effective_database_url,
            results_dir=results_dir(settings),
            scheduler=settings.dask_scheduler or None,
            workers=workers,
        )

    # -- the cluster -------------------------------------------------------------

    @property
    def started(self) -> bool:
        """Whether a Dask client exists (a local cluster is only started on use)."""
        return self._client is not None

    def client(self) -> Any:
        """The Dask client, connecting or starting the local cluster on first call."""
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self) -> Any:
        from bakuhub.errors import InvalidInput
        from bakuhub.i18n import _

        dask = _distributed()
        if self.scheduler:
            try:
                return dask.Client(self.scheduler, timeout="20s", set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise InvalidInput(
                    _(
                        "Could not reach the Dask scheduler at {scheduler} ({error}); check "
                        "BAKUHUB_DASK_SCHEDULER (or --scheduler) and that the scheduler runs."
                    ).format(scheduler=self.scheduler, error=exc)
                ) from None
        self._cluster = dask.LocalCluster(
            n_workers=self.workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
        return dask.Client(self._cluster, set_as_default=False)

    def describe(self) -> str:
        """Where jobs run, in words."""
        if self.scheduler:
            return f"Dask scheduler {self.scheduler}"
        if self._cluster is not None:
            return f"local Dask cluster of {len(self._cluster.workers)} worker processes"
        return "local Dask cluster (started on first job)"

    # -- jobs --------------------------------------------------------------------

    def key(self, job_id: int) -> str:
        """The Dask key of a job."""
        return f"bakuhub-job-{self._tag}-{job_id}"

    def submit(self, job_ids: Iterable[int]) -> Pending[None]:
        """Hand jobs to Dask in the background (the first call starts the cluster)."""
        ids = list(job_ids)
        return self._dispatch.submit(self._submit_now, ids)

    def _submit_now(self, job_ids: list[int]) -> None:
        try:
            client = self.client()
        except Exception as exc:
            message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            log.error("could not start Dask: %s", message)
            self._mark_failed(job_ids, message, states=(QUEUED,))
            return
        fire_and_forget = _distributed().fire_and_forget
        for n, job_id in enumerate(job_ids):
            try:
                future = client.submit(
                    run_job,
                    job_id,
                    self.database_url,
                    str(self.results_dir),
                    key=self.key(job_id),
                    pure=False,
                    retries=0,
                )
                fire_and_forget(future)
            except Exception as exc:
                log.exception("could not submit job %s to Dask", job_id)
                self._mark_failed(
                    job_ids[n:],
                    f"Dask refused the job ({type(exc).__name__}: {exc}); check the "
                    "scheduler's log, then submit the job again.",
                    states=(QUEUED,),
                )
                return
            self._watch(job_id, future)

    def _watch(self, job_id: int, future: Any) -> None:
        with self._lock:
            self._futures[job_id] = future
        future.add_done_callback(lambda f: self._done(job_id, f))

    def _done(self, job_id: int, future: Any) -> None:
        with self._lock:
            if self._futures.get(job_id) is future:
                del self._futures[job_id]
        if future.status != "error":
            return
        exc = future.exception()
        self._mark_failed(
            [job_id],
            f"Dask could not run the job ({type(exc).__name__}: {exc}); the workers "
            "running it stopped repeatedly. Check their memory and logs.",
            states=ACTIVE,
        )

    def _mark_failed(self, job_ids: list[int], message: str, *, states: tuple[str, ...]) -> None:
        now = utcnow()
        transaction(
            self.factory,
            lambda session: session.execute(
                update(Job)
                .where(Job.id.in_(job_ids), Job.state.in_(states))
                .values(state=FAILED, error=message, finished_at=now, updated_at=now)
            ),
        )

    def attach(self, job_id: int) -> bool:
        """Watch a job the scheduler still runs (after a restart); False if it is unknown."""
        if not self.scheduler and self._client is None:
            return False  # a new local cluster knows nothing of earlier jobs
        client = self.client()
        key = self.key(job_id)
        if not client.run_on_scheduler(_scheduler_has, key):
            return False
        self._watch(job_id, _distributed().Future(key, client=client))
        return True

    def cancel(self, job_id: int) -> None:
        """Ask Dask to drop a job's task (a running one stops at its next progress line)."""
        with self._lock:
            future = self._futures.pop(job_id, None)
        if future is not None:
            future.cancel(force=True)
        elif self.scheduler:
            client = self.client()
            client.cancel([_distributed().Future(self.key(job_id), client=client)], force=True)

    def pending(self) -> list[int]:
        """Ids of the jobs this runner submitted that have not finished."""
        with self._lock:
            return sorted(self._futures)

    def close(self) -> None:
        """Stop watching; a local cluster is shut down and its unfinished jobs queued
        again (without using up an attempt) for the next start."""
        self._dispatch.shutdown(wait=True)
        try:
            if self._client is not None and self._owns_client:
                if self._cluster is not None:
                    # first in the database: the attempts being stopped can no longer
                    # write (their attempt number is gone), so none fails on the way out
                    self._requeue(self.pending())
                self._client.close()
                if self._cluster is not None:
                    self._cluster.close()
        finally:
            self._client = None
            self._cluster = None
            self._engine.dispose()

    def _requeue(self, job_ids: list[int]) -> None:
        if not job_ids:
            return
        transaction(
            self.factory,
            lambda session: session.execute(
                update(Job)
                .where(Job.id.in_(job_ids), Job.state.in_(ACTIVE))
                .values(
                    state=QUEUED,
                    attempts=case((Job.state == RUNNING, Job.attempts - 1), else_=Job.attempts),
                    message="interrupted by a shutdown; resumes on the next start",
                    updated_at=utcnow(),
                )
            ),
        )


def results_dir(settings: Settings) -> Path:
    """Where job results are stored: ``<data dir>/jobs/<input hash>/``."""
    return settings.data_dir / "jobs"
