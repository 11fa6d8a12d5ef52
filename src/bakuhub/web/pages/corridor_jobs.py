"""Run a corridor study from the page, as a job on Dask, and follow its progress."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub.config import Settings
from bakuhub.jobs import access, service
from bakuhub.jobs.retry import in_session
from bakuhub.jobs.runner import JobRunner
from bakuhub.jobs.schemas import detail_view
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.pages.common import form_text, redirect, render
from bakuhub.web.routes.jobs import JobId, runner_of

router = APIRouter(include_in_schema=False)


@router.post("/corridor/run")
async def run(
    request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    """Submit a shipped scenario as a job; the job's page shows its progress.

    Only the form is read on the event loop; loading the scenario and recording the
    job (database work) run in a worker thread.
    """
    who = access.check_may_submit(principal)
    form = await request.form()
    name = form_text(form, "scenario")
    resolution = form_text(form, "resolution") or None
    counterfactual = form.get("counterfactual") == "on"

    def submit() -> int:
        runner = runner_of(request.app)
        return _submit(session, runner, settings, who.username, name, resolution, counterfactual)

    job_id = await run_in_threadpool(submit)
    return redirect(f"/corridor/jobs/{job_id}")


def _submit(
    session: Session,
    runner: JobRunner,
    settings: Settings,
    user: str,
    name: str,
    resolution: str | None,
    counterfactual: bool,
) -> int:
    """Record the job of a shipped scenario (by name only); returns its id."""
    from bakuhub.corridor.scenario import shipped_scenario

    scenario = shipped_scenario(name)
    job = in_session(
        session,
        lambda: service.submit_study(
            session=session,
            scenario=scenario,
            runner=runner,
            resolution=resolution,
            counterfactual=counterfactual,
            created_by=user,
            quota=access.Quota(user, settings.jobs_per_user),
        ),
    )
    return job.id


@router.get("/corridor/jobs/{job_id}")
def job_page(
    job_id: JobId, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    """A job's state, progress and log; refreshes itself while the job runs. The public
    sees it redacted (no author, worker, inputs, log or error)."""
    full = access.full_view(principal)
    job = detail_view(service.get_job(session=session, job_id=job_id), full=full)
    active = job.state in ("queued", "running")
    return render(request, "corridor_job.html", {"job": job, "active": active, "full": full})
