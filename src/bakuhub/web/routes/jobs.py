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

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.responses import FileResponse

from bakuhub.accounts.permissions import Unauthenticated
from bakuhub.db import read_only
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _
from bakuhub.jobs import access, service
from bakuhub.jobs.retry import in_session
from bakuhub.jobs.runner import JobRunner
from bakuhub.jobs.schemas import (
    STATES,
    JobCounts,
    JobDetail,
    JobOut,
    JobPublic,
    JobPublicDetail,
    JobResultOut,
    StudyJobIn,
    detail_view,
    job_detail,
    job_out,
    listed_view,
)
from bakuhub.web.contract import TOO_MANY_JOBS, file_response
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep

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
JobId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The job's id.")]


def recover_on_start(app: FastAPI) -> list[int]:
    """Re-run the jobs a stopped server left queued or running (none: nothing starts)."""
    reading = read_only.set(True)  # a deferred transaction on SQLite: waits for no writer
    try:
        with app.state.sessionmaker() as session:
            active = service.count_active(session=session)
    finally:
        read_only.reset(reading)
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


@router.post(
    "",
    summary="Submit a corridor study as a job",
    status_code=202,
    responses=TOO_MANY_JOBS,
)
def submit_job(
    body: StudyJobIn,
    session: SessionDep,
    runner: RunnerDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> JobDetail:
    from bakuhub.corridor.scenario import parse_scenario, shipped_scenario

    who = access.check_may_submit(principal)
    if isinstance(body.scenario, str):
        scenario = shipped_scenario(body.scenario)  # names only: no server paths
    else:
        scenario = parse_scenario(body.scenario, "in the request")  # no server paths
    job = in_session(
        session,
        lambda: service.submit_study(
            session=session,
            scenario=scenario,
            runner=runner,
            resolution=body.resolution,
            counterfactual=body.counterfactual,
            batch=body.batch,
            created_by=who.username,
            quota=access.Quota(who.username, settings.jobs_per_user),
        ),
    )
    return job_detail(job)


@router.get(
    "",
    summary="Jobs, newest first (redacted for anonymous readers)",
    response_model=list[JobOut | JobPublic],
)
def list_jobs(
    session: SessionDep,
    principal: PrincipalDep,
    state: str | None = Query(None, description=f"One of {', '.join(STATES)}."),
    kind: str | None = Query(None, description="e.g. corridor.study"),
    batch: str | None = Query(None, description="Jobs of one batch (a sweep)."),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=2**31 - 1),
) -> list[JobOut | JobPublic]:
    jobs = service.list_jobs(
        session=session, state=state, kind=kind, batch=batch, limit=limit, offset=offset
    )
    full = access.full_view(principal)
    return [listed_view(j, full=full) for j in jobs]


@router.get("/counts", summary="How many jobs are in each state", response_model=JobCounts)
def count_jobs(session: SessionDep) -> dict[str, int]:
    return service.count_jobs(session=session)


@router.get(
    "/{job_id}",
    summary="A job: inputs, state, progress log, result (redacted for anonymous readers)",
    response_model=JobDetail | JobPublicDetail,
)
def get_job(job_id: JobId, session: SessionDep, principal: PrincipalDep) -> Any:
    job = service.get_job(session=session, job_id=job_id)
    return detail_view(job, full=access.full_view(principal))


@router.post(
    "/{job_id}/cancel",
    summary="Cancel a queued or running job (your own; the secretariat any)",
)
def cancel_job(
    job_id: JobId, session: SessionDep, runner: RunnerDep, principal: PrincipalDep
) -> JobOut:
    who = access.check_may_cancel(principal, service.get_job(session=session, job_id=job_id))
    job = in_session(
        session,
        lambda: service.cancel(session=session, job_id=job_id, runner=runner, by=who.username),
    )
    return job_out(job)


INPUT_FILES = frozenset({"scenario.yaml"})
"""Result files that hold the job's exact inputs: for signed-in readers only."""


@router.get(
    "/{job_id}/result",
    summary="A succeeded job's summary and the names of its files",
    response_model=JobResultOut,
)
def get_job_result(job_id: JobId, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    folder = service.result_folder(session=session, job_id=job_id)
    job = service.get_job(session=session, job_id=job_id)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    if not access.full_view(principal):
        files = [f for f in files if f not in INPUT_FILES]
    summary = job.result.summary if job.result is not None else {}
    return {"job_id": job_id, "summary": summary, "files": files}


@router.get(
    "/{job_id}/result/{name:path}",
    summary="One result file (e.g. report.html)",
    response_class=FileResponse,
    responses=file_response("*/*", description="The file (media type from its name)."),
)
def get_job_result_file(
    job_id: JobId, name: str, session: SessionDep, principal: PrincipalDep
) -> FileResponse:
    if not name:
        raise InvalidInput(_("Name a result file, e.g. report.html or tables/capacities.csv."))
    if name in INPUT_FILES and not access.full_view(principal):
        raise Unauthenticated(
            _("Sign in (or send an API token) to read a job's {file}.").format(file=name)
        )
    return FileResponse(service.result_file(session=session, job_id=job_id, name=name))
