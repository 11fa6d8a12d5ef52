"""Job services: submit (with the result store), read, list, cancel, recover, wait.

Functions take keyword arguments and a session (the caller owns the transaction)
or, for the ones that wait or recover, a session factory. A submitted job is handed
to Dask only when the transaction that created it commits, so a worker never looks
for a job row it cannot see, and a rolled-back submission runs nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, false, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bakuhub import i18n
from bakuhub.db import session_scope, utcnow
from bakuhub.errors import Conflict, InvalidInput, NotFound
from bakuhub.i18n import _
from bakuhub.jobs.access import Quota, check_quota
from bakuhub.jobs.kinds import CORRIDOR_STUDY, input_hash, is_heavy, runner_of, study_inputs
from bakuhub.jobs.models import (
    ACTIVE,
    CANCELLED,
    FAILED,
    FINISHED,
    QUEUED,
    RUNNING,
    STATES,
    SUCCEEDED,
    Job,
)
from bakuhub.jobs.retry import transaction
from bakuhub.jobs.worker import stored_result

if TYPE_CHECKING:
    from bakuhub.corridor.scenario import Scenario
    from bakuhub.jobs.runner import JobRunner

PENDING = "bakuhub_jobs_after_commit"


def _after_commit(session: Session, action: Callable[[], object]) -> None:
    """Run ``action`` once the session's transaction commits (dropped on rollback)."""
    pending: list[Callable[[], object]] | None = session.info.get(PENDING)
    if pending is None:
        pending = session.info[PENDING] = []

        def committed(sess: Session) -> None:
            actions = list(sess.info.get(PENDING, []))
            sess.info[PENDING] = []
            for run in actions:
                run()

        def rolled_back(sess: Session) -> None:
            sess.info[PENDING] = []

        event.listen(session, "after_commit", committed)
        event.listen(session, "after_rollback", rolled_back)
    pending.append(action)


def submit(
    *,
    session: Session,
    kind: str,
    inputs: dict[str, Any],
    title: str,
    runner: JobRunner | None,
    batch: str | None = None,
    created_by: str = "system",
    quota: Quota | None = None,
    join_other_batches: bool = True,
) -> Job:
    """Record a job and hand it to ``runner`` when the transaction commits.

    Inputs already computed return a new job that is succeeded at once with the
    stored result (``cached``); inputs that a queued or running job is computing
    return that job (with ``join_other_batches`` False, only a job of the same
    ``batch``: a sweep's runs are then all rows of its batch). Only new work is
    checked against ``quota`` (``TooManyJobs``).
    """
    runner_of(kind)
    digest = input_hash(kind, inputs)
    now = utcnow()
    stored = stored_result(session, digest)
    if stored is not None:
        job = Job(
            kind=kind,
            title=title[:200],
            batch=batch,
            inputs=inputs,
            input_hash=digest,
            state=SUCCEEDED,
            progress=1.0,
            message="result taken from the store",
            log=f"{time.strftime('%H:%M:%S')} result taken from the store\n",
            cached=True,
            result_id=stored.id,
            created_by=created_by,
            created_at=now,
            started_at=now,
            finished_at=now,
            updated_at=now,
        )
        session.add(job)
        session.flush()
        return job
    same = select(Job).where(Job.input_hash == digest, Job.state.in_(ACTIVE))
    if not join_other_batches:
        same = same.where(Job.batch == batch if batch is not None else false())
    running = session.scalars(same.order_by(Job.id)).first()
    if running is not None:
        return running
    if quota is not None:
        check_quota(session, quota, heavy=is_heavy(kind, inputs))
    job = Job(
        kind=kind,
        title=title[:200],
        batch=batch,
        inputs=inputs,
        input_hash=digest,
        state=QUEUED,
        progress=0.0,
        message="queued",
        log="",
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    session.flush()
    if runner is not None:
        job_id = job.id
        _after_commit(session, lambda: runner.submit([job_id]))
    return job


def submit_study(
    *,
    session: Session,
    scenario: Scenario,
    runner: JobRunner | None,
    resolution: str | None = None,
    counterfactual: bool = False,
    batch: str | None = None,
    title: str | None = None,
    created_by: str = "system",
    quota: Quota | None = None,
    join_other_batches: bool = True,
) -> Job:
    """Submit a corridor study of ``scenario`` (see :func:`submit`); its report is also
    written in the language of the request that submits it."""
    inputs = study_inputs(scenario, resolution=resolution, counterfactual=counterfactual)
    if i18n.current() != i18n.DEFAULT:
        inputs["language"] = i18n.current()
    return submit(
        session=session,
        kind=CORRIDOR_STUDY,
        inputs=inputs,
        title=title or scenario.name,
        runner=runner,
        batch=batch,
        created_by=created_by,
        quota=quota,
        join_other_batches=join_other_batches,
    )


def get_job(*, session: Session, job_id: int) -> Job:
    """A job, or ``NotFound``."""
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(
            _(
                "There is no job {job}; list jobs with 'bakuhub jobs list' or GET /api/v1/jobs."
            ).format(job=job_id)
        )
    return job


def list_jobs(
    *,
    session: Session,
    state: str | None = None,
    kind: str | None = None,
    batch: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Job]:
    """Jobs, newest first, optionally of one state, kind or batch."""
    if state is not None and state not in STATES:
        raise InvalidInput(
            _("state '{state}' is not a job state; use one of {states}.").format(
                state=state, states=", ".join(STATES)
            )
        )
    query = select(Job).order_by(Job.id.desc()).limit(limit).offset(offset)
    if state is not None:
        query = query.where(Job.state == state)
    if kind is not None:
        query = query.where(Job.kind == kind)
    if batch is not None:
        query = query.where(Job.batch == batch)
    return list(session.scalars(query))


def queue_positions(*, session: Session, job_ids: Iterable[int]) -> dict[int, int]:
    """For each queued job of ``job_ids``: how many queued jobs are ahead of it.

    Jobs are handed to Dask in the order they were submitted, so the jobs ahead are
    the queued ones with a smaller id, whoever submitted them. Jobs that are not
    queued (running, finished) have no place and are left out.
    """
    wanted = set(job_ids)
    if not wanted:
        return {}
    queued = session.scalars(
        select(Job.id).where(Job.state == QUEUED, Job.id <= max(wanted)).order_by(Job.id)
    )
    return {job_id: ahead for ahead, job_id in enumerate(queued) if job_id in wanted}


def count_active(*, session: Session) -> int:
    """How many jobs are queued or running (what a restarted server must pick up)."""
    return int(session.scalar(select(func.count()).where(Job.state.in_(ACTIVE))) or 0)


def count_jobs(*, session: Session) -> dict[str, int]:
    """How many jobs are in each state."""
    rows = session.execute(select(Job.state, func.count()).group_by(Job.state)).all()
    counts = dict.fromkeys(STATES, 0)
    counts.update({state: int(n) for state, n in rows})
    return counts


def cancel(
    *, session: Session, job_id: int, runner: JobRunner | None = None, by: str = "system"
) -> Job:
    """Cancel a queued or running job; its Dask task is dropped once this commits.

    A running computation stops at its next progress line (a solver run in progress
    finishes first); it can no longer mark the job succeeded.
    """
    job = get_job(session=session, job_id=job_id)
    if job.state not in ACTIVE:
        raise Conflict(
            _(
                "Job {job} has already {state}; only queued or running jobs can be cancelled."
            ).format(job=job_id, state=_(job.state))
        )
    now = utcnow()
    job.state = CANCELLED
    job.finished_at = now
    job.updated_at = now
    job.message = f"cancelled by {by}"
    job.log = (job.log or "") + f"{time.strftime('%H:%M:%S')} cancelled by {by}\n"
    session.flush()
    if runner is not None:
        _after_commit(session, lambda: runner.cancel(job_id))
    return job


def recover(*, session_factory: sessionmaker[Session], runner: JobRunner) -> list[int]:
    """After a restart: re-run the jobs left queued or running, within their attempts.

    A job that a remote scheduler still runs is only watched again. Returns the ids
    handed to Dask.
    """

    def requeue(session: Session) -> list[int]:
        active = list(session.scalars(select(Job).where(Job.state.in_(ACTIVE)).order_by(Job.id)))
        resubmit = []
        for job in active:
            if runner.attach(job.id):
                continue
            if job.state == RUNNING and job.attempts >= job.max_attempts:
                job.state = FAILED
                job.finished_at = utcnow()
                job.error = (
                    f"The job was interrupted on each of its {job.max_attempts} attempts "
                    "(server or worker stopped); submit it again once the cause is fixed."
                )
                continue
            if job.state == RUNNING:
                job.state = QUEUED
                job.message = f"re-queued after a restart (attempt {job.attempts} interrupted)"
                job.log = (job.log or "") + f"{time.strftime('%H:%M:%S')} {job.message}\n"
            job.updated_at = utcnow()
            resubmit.append(job.id)
        return resubmit

    resubmit = transaction(session_factory, requeue)
    if resubmit:
        runner.submit(resubmit)
    return resubmit


def wait(
    *,
    session_factory: sessionmaker[Session],
    job_ids: Iterable[int],
    timeout: float | None = None,
    poll: float = 0.25,
    on_change: Callable[[Job], None] | None = None,
) -> list[Job]:
    """Block until every job has finished; ``on_change`` sees each new state or line.

    Raises ``TimeoutError`` when ``timeout`` seconds pass first.
    """
    ids = list(job_ids)
    deadline = None if timeout is None else time.monotonic() + timeout
    seen: dict[int, tuple[str, str]] = {}
    while True:
        with session_scope(session_factory) as session:
            jobs = list(session.scalars(select(Job).where(Job.id.in_(ids)).order_by(Job.id)))
            session.expunge_all()
        for job in jobs:
            mark = (job.state, job.message)
            if on_change is not None and seen.get(job.id) != mark:
                on_change(job)
            seen[job.id] = mark
        if len(jobs) == len(ids) and all(j.state in FINISHED for j in jobs):
            return jobs
        if deadline is not None and time.monotonic() > deadline:
            unfinished = [j.id for j in jobs if j.state not in FINISHED]
            raise TimeoutError(f"jobs {unfinished} have not finished after {timeout} s")
        time.sleep(poll)


def cancel_many(*, session_factory: sessionmaker[Session], job_ids: Iterable[int]) -> int:
    """Cancel every job of ``job_ids`` that is still active (e.g. on Ctrl-C)."""
    now = utcnow()
    ids = list(job_ids)

    def stop(session: Session) -> int:
        done = session.execute(
            update(Job)
            .where(Job.id.in_(ids), Job.state.in_(ACTIVE))
            .values(state=CANCELLED, finished_at=now, updated_at=now, message="cancelled")
        )
        return int(done.rowcount)  # type: ignore[attr-defined]

    return transaction(session_factory, stop)


def result_folder(*, session: Session, job_id: int) -> Path:
    """The folder of a succeeded job's result files, or a sentence why there is none."""
    job = get_job(session=session, job_id=job_id)
    if job.state != SUCCEEDED or job.result is None:
        raise Conflict(
            _("Job {job} is {state}; only a succeeded job has a result.").format(
                job=job_id, state=_(job.state)
            )
        )
    folder = Path(job.result.location)
    if not folder.is_dir():
        raise NotFound(  # the folder is not named: a server path is not for the public
            _(
                "The result files of job {job} are no longer on the server; submit the job "
                "again to recompute them."
            ).format(job=job_id)
        )
    return folder


def result_file(*, session: Session, job_id: int, name: str) -> Path:
    """One file of a job's result (``report.html``, ``tables/capacities.csv``...); the
    report in the reader's language where the job wrote it (``report.<lang>.html``)."""
    folder = result_folder(session=session, job_id=job_id).resolve()
    path = (folder / name).resolve()
    if name == "report.html" and (folder / f"report.{i18n.current()}.html").is_file():
        path = folder / f"report.{i18n.current()}.html"
    if not path.is_relative_to(folder) or not path.is_file():
        raise NotFound(_("Job {job}'s result has no file '{file}'.").format(job=job_id, file=name))
    return path
