"""JSON API of jobs: submit a corridor study, list, inspect, cancel, fetch results.

The Dask runner is made on first use (a local cluster starts with the first job,
or the client connects to ``BAKUHUB_DASK_SCHEDULER``). On startup, jobs left
queued or running by a stopped server are re-run; on shutdown the runner closes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import FileResponse
from sqlalchemy import func, select

from bakuhub.errors import InvalidInput
from bakuhub.jobs import service
from bakuhub.jobs.models import ACTIVE, STATES, Job
from bakuhub.jobs.retry import in_session
from bakuhub.jobs.runner import JobRunner
from bakuhub.jobs.schemas import JobDetail, JobOut, StudyJobIn, job_detail, job_out
from bakuhub.web.deps import AuthorDep, SessionDep

log = logging.getLogger(__name__)
_LOCK = threading.Lock()


def runner_of(app: FastAPI) -> JobRunner:
    """The app's job runner (``app.state.job_runner``), made on first use."""
    with _LOCK:
        runner: JobRunner | None = getattr(app.state, "job_runner", None)
        if runner is None:
            runner = JobRunner.from_settings(app.state.settings)
            app.state.job_runner = runner
        return runner


def get_runner(request: Request) -> JobRunner:
    """Request dependency: the app's job runner."""
    return runner_of(request.app)


RunnerDep = Annotated[JobRunner, Depends(get_runner)]


def recover_on_start(app: FastAPI) -> list[int]:
    """Re-run the jobs a stopped server left queued or running (none: nothing starts)."""
    with app.state.sessionmaker() as session:
        active = session.scalar(select(func.count()).where(Job.state.in_(ACTIVE)))
    if not active:
        return []
    ids = service.recover(session_factory=app.state.sessionmaker, runner=runner_of(app))
    log.info("re-running %d job(s) left unfinished: %s", len(ids), ids)
    return ids


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Recover unfinished jobs on startup; close the runner on shutdown."""
    try:
        recover_on_start(app)
    except Exception:  # a server must start even when recovery cannot run
        log.exception("could not recover unfinished jobs")
    yield
    runner: JobRunner | None = getattr(app.state, "job_runner", None)
    if runner is not None:
        runner.close()
        app.state.job_runner = None


router = APIRouter(prefix="/jobs", tags=["jobs"], lifespan=lifespan)


@router.post("", summary="Submit a corridor study as a job", status_code=202)
def submit(
    body: StudyJobIn, session: SessionDep, runner: RunnerDep, author: AuthorDep
) -> JobDetail:
    from bakuhub.corridor.scenario import (
        load_scenario,
        parse_scenario,
        shipped_scenario_path,
        shipped_scenarios,
    )

    if isinstance(body.scenario, str):
        if shipped_scenario_path(body.scenario) is None:  # names only: no server paths
            raise InvalidInput(
                f"scenario: there is no shipped scenario '{body.scenario}'; give one of "
                f"{', '.join(shipped_scenarios())} or the scenario itself as a mapping."
            )
        scenario = load_scenario(body.scenario)
    else:
        scenario = parse_scenario(body.scenario, "in the request")
    job = in_session(
        session,
        lambda: service.submit_study(
            session=session,
            scenario=scenario,
            runner=runner,
            resolution=body.resolution,
            counterfactual=body.counterfactual,
            batch=body.batch,
            created_by=author,
        ),
    )
    return job_detail(job)


@router.get("", summary="Jobs, newest first", response_model=list[JobOut])
def list_jobs(
    session: SessionDep,
    state: str | None = Query(None, description=f"One of {', '.join(STATES)}."),
    kind: str | None = Query(None, description="e.g. corridor.study"),
    batch: str | None = Query(None, description="Jobs of one batch (a sweep)."),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> list[JobOut]:
    jobs = service.list_jobs(
        session=session, state=state, kind=kind, batch=batch, limit=limit, offset=offset
    )
    return [job_out(j) for j in jobs]


@router.get("/counts", summary="How many jobs are in each state")
def counts(session: SessionDep) -> dict[str, int]:
    return service.count_jobs(session=session)


@router.get("/{job_id}", summary="A job: inputs, state, progress log, result")
def get_job(job_id: int, session: SessionDep) -> JobDetail:
    return job_detail(service.get_job(session=session, job_id=job_id))


@router.post("/{job_id}/cancel", summary="Cancel a queued or running job")
def cancel(job_id: int, session: SessionDep, runner: RunnerDep, author: AuthorDep) -> JobOut:
    job = in_session(
        session,
        lambda: service.cancel(session=session, job_id=job_id, runner=runner, by=author),
    )
    return job_out(job)


@router.get("/{job_id}/result", summary="A succeeded job's summary and the names of its files")
def result(job_id: int, session: SessionDep) -> dict[str, Any]:
    folder = service.result_folder(session=session, job_id=job_id)
    job = service.get_job(session=session, job_id=job_id)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    summary = job.result.summary if job.result is not None else {}
    return {"job_id": job_id, "summary": summary, "files": files}


@router.get("/{job_id}/result/{name:path}", summary="One result file (e.g. report.html)")
def result_file(job_id: int, name: str, session: SessionDep) -> FileResponse:
    if not name:
        raise InvalidInput("Name a result file, e.g. report.html or tables/capacities.csv.")
    return FileResponse(service.result_file(session=session, job_id=job_id, name=name))
