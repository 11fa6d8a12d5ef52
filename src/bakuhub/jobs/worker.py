"""What a Dask worker runs for a job: claim it, run its kind, store the result.

The worker talks to the database itself (through its own engine on the URL it is
given), so progress and results are recorded even when the process that submitted
the job has gone. Every write names the attempt it belongs to
(``WHERE state = 'running' AND attempts = n``): a cancelled job, or an attempt that
recovery has replaced, cannot be marked succeeded. Result files are written to a
temporary folder and renamed into place before the transaction that stores the
result and marks the job succeeded, so no job is succeeded without its result.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.db import make_engine, make_sessionmaker, utcnow
from bakuhub.errors import BakuhubError
from bakuhub.jobs.kinds import CORRIDOR_STUDY, expected_lines, runner_of
from bakuhub.jobs.models import ACTIVE, FAILED, RUNNING, SUCCEEDED, Job, JobResult
from bakuhub.jobs.retry import transaction

log = logging.getLogger(__name__)
_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


class Superseded(Exception):
    """The job was cancelled, or another attempt took it over: stop quietly."""


@dataclass(frozen=True)
class Claim:
    """The attempt a worker holds on a job."""

    job_id: int
    attempt: int
    kind: str
    inputs: dict[str, Any]
    input_hash: str


def session_factory(database_url: str) -> sessionmaker[Session]:
    """A session factory on one engine per database URL and worker process."""
    with _LOCK:
        engine = _ENGINES.get(database_url)
        if engine is None:
            engine = _ENGINES[database_url] = make_engine(database_url)
    return make_sessionmaker(engine)


def _whoami() -> str:
    try:
        from distributed import get_worker

        address = get_worker().address
    except (ImportError, ValueError):
        address = "in-process"
    return f"{address} ({socket.gethostname()}, pid {os.getpid()})"[:200]


def _active(job_id: int, attempt: int) -> Any:
    return (Job.id == job_id) & (Job.state == RUNNING) & (Job.attempts == attempt)


def claim(factory: sessionmaker[Session], job_id: int) -> Claim | None:
    """Start an attempt on a queued or running job; None when there is nothing to run.

    A job that has used up its attempts is marked failed here.
    """
    worker = _whoami()

    def start(session: Session) -> Claim | None:
        now = utcnow()
        started = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state.in_(ACTIVE), Job.attempts < Job.max_attempts)
            .values(
                state=RUNNING,
                attempts=Job.attempts + 1,
                started_at=now,
                finished_at=None,
                updated_at=now,
                progress=0.0,
                message="started",
                worker=worker,
            )
        )
        if started.rowcount == 0:  # type: ignore[attr-defined]
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.state.in_(ACTIVE))
                .values(
                    state=FAILED,
                    finished_at=now,
                    updated_at=now,
                    error="The job was given up after its last allowed attempt: each time, "
                    "the worker or server running it stopped before it finished. Check "
                    "the workers' memory and logs, then submit the job again.",
                )
            )
            return None
        job = session.execute(select(Job).where(Job.id == job_id)).scalar_one()
        job.log = (job.log or "") + f"{time.strftime('%H:%M:%S')} attempt {job.attempts}\n"
        return Claim(job.id, job.attempts, job.kind, dict(job.inputs), job.input_hash)

    return transaction(factory, start)


class Reporter:
    """The ``progress`` callback of a job: one line at a time into the job's row.

    Raises :class:`Superseded` when the job was cancelled or taken over, so the
    computation stops at its next stage.
    """

    def __init__(self, factory: sessionmaker[Session], held: Claim) -> None:
        self.factory = factory
        self.held = held
        self.seen = 0
        self.expected = expected_lines(held.kind, held.inputs)

    def __call__(self, line: str) -> None:
        self.seen += 1
        fraction = min(self.seen / self.expected, 0.99)
        stamp = time.strftime("%H:%M:%S")
        held = self.held

        def record(session: Session) -> None:
            done = session.execute(
                update(Job)
                .where(_active(held.job_id, held.attempt))
                .values(
                    progress=fraction,
                    message=line[:500],
                    log=Job.log + f"{stamp} {line}\n",
                    updated_at=utcnow(),
                )
            )
            if done.rowcount == 0:  # type: ignore[attr-defined]
                raise Superseded(held.job_id)

        transaction(self.factory, record)


def stored_result(session: Session, input_hash: str) -> JobResult | None:
    """The stored result of these inputs, when its files are still there."""
    found = session.scalars(select(JobResult).where(JobResult.input_hash == input_hash)).first()
    if found is None or not Path(found.location).is_dir():
        return None
    return found


def finish(
    factory: sessionmaker[Session],
    held: Claim,
    *,
    location: Path | None,
    summary: dict[str, Any] | None,
    seconds: float,
    cached: bool = False,
    data_dir: Path | None = None,
) -> bool:
    """Store the result (once per input hash) and mark the attempt succeeded, in one
    transaction. Returns False when the job was cancelled or taken over meanwhile.

    With ``data_dir``, a corridor study's result is registered in the study store in
    the same transaction (see :func:`register_study`).
    """

    def store(session: Session) -> bool:
        result = session.scalars(
            select(JobResult).where(JobResult.input_hash == held.input_hash)
        ).first()
        if result is not None and not Path(result.location).is_dir():
            session.delete(result)
            session.flush()
            result = None
        if result is None:
            if location is None or summary is None:
                raise RuntimeError("no stored result and none computed")
            result = _insert_result(session, held, location, summary, seconds)
        now = utcnow()
        done = session.execute(
            update(Job)
            .where(_active(held.job_id, held.attempt))
            .values(
                state=SUCCEEDED,
                result_id=result.id,
                cached=cached,
                progress=1.0,
                message="done",
                error=None,
                finished_at=now,
                updated_at=now,
                log=Job.log + f"{time.strftime('%H:%M:%S')} result stored\n",
            )
        )
        succeeded = bool(done.rowcount)  # type: ignore[attr-defined]
        if succeeded and data_dir is not None:
            register_study(session, held, result, data_dir)
        return succeeded

    return transaction(factory, store)


def register_study(session: Session, held: Claim, result: JobResult, data_dir: Path) -> None:
    """Record a succeeded corridor study in the study store (one study per result
    folder). A failure to register is logged, never undoes the job's success."""
    from bakuhub.studies.store import register_job_result

    if held.kind != CORRIDOR_STUDY:
        return
    job = session.get(Job, held.job_id)
    try:
        with session.begin_nested():
            register_job_result(
                session,
                data_dir=data_dir,
                job_id=held.job_id,
                location=Path(result.location),
                summary=result.summary,
                inputs=held.inputs,
                author=job.created_by if job is not None else "system",
                batch=job.batch if job is not None else None,
            )
    except Exception:
        log.exception("job %s: the study could not be registered", held.job_id)


def _insert_result(
    session: Session, held: Claim, location: Path, summary: dict[str, Any], seconds: float
) -> JobResult:
    row = JobResult(
        kind=held.kind,
        input_hash=held.input_hash,
        location=str(location),
        summary=summary,
        compute_seconds=round(seconds, 3),
        job_id=held.job_id,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another job with the same inputs stored it first
        return session.scalars(
            select(JobResult).where(JobResult.input_hash == held.input_hash)
        ).one()
    return row


def fail(factory: sessionmaker[Session], held: Claim, error: str) -> None:
    """Mark the attempt failed with a message for the user (and its study, if one was
    noted at submission)."""
    from bakuhub.studies.store import mark_failed

    now = utcnow()

    def record(session: Session) -> None:
        done = session.execute(
            update(Job)
            .where(_active(held.job_id, held.attempt))
            .values(state=FAILED, error=error, finished_at=now, updated_at=now)
        )
        if done.rowcount:  # type: ignore[attr-defined]
            mark_failed(session, job_id=held.job_id, error=error)

    transaction(factory, record)


def _publish(scratch: Path, final: Path) -> Path:
    """Move a complete result folder into place (an existing one is kept)."""
    try:
        scratch.rename(final)
    except OSError:
        if not (final / "summary.json").is_file():
            raise
    return final


def run_job(job_id: int, database_url: str, results_dir: str) -> str:
    """Run one job to its end; returns the state it reached (or 'skipped')."""
    factory = session_factory(database_url)
    held = claim(factory, job_id)
    if held is None:
        return "skipped"
    root = Path(results_dir)
    data_dir = root.parent  # results_dir is <data_dir>/jobs (jobs.runner.results_dir)
    cached = transaction(factory, lambda s: stored_result(s, held.input_hash) is not None)
    if cached:
        finish(
            factory,
            held,
            location=None,
            summary=None,
            seconds=0.0,
            cached=True,
            data_dir=data_dir,
        )
        return SUCCEEDED
    scratch = root / f".{held.input_hash}.{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    try:
        root.mkdir(parents=True, exist_ok=True)
        summary = runner_of(held.kind)(held.inputs, scratch, Reporter(factory, held))
        location = _publish(scratch, root / held.input_hash)
        stored = finish(
            factory,
            held,
            location=location,
            summary=summary,
            seconds=time.perf_counter() - started,
            data_dir=data_dir,
        )
        return SUCCEEDED if stored else "superseded"
    except Superseded:
        return "superseded"
    except BakuhubError as exc:
        fail(factory, held, exc.message)
        return FAILED
    except Exception as exc:
        log.exception("job %s failed", job_id)
        fail(factory, held, f"{type(exc).__name__}: {exc} (the worker's log has the traceback)")
        return FAILED
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
