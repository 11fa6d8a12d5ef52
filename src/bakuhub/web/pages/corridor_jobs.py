"""Run a corridor study from the page, as a job on Dask, and follow its progress."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bakuhub.accounts.permissions import Role, require
from bakuhub.errors import InvalidInput
from bakuhub.jobs import service
from bakuhub.jobs.retry import in_session
from bakuhub.jobs.schemas import job_detail
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import form_text, redirect, render
from bakuhub.web.routes.jobs import runner_of

router = APIRouter(include_in_schema=False)


@router.post("/corridor/run")
async def run(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    """Submit a shipped scenario as a job; the job's page shows its progress."""
    from bakuhub.corridor.scenario import load_scenario, shipped_scenario_path

    who = require(principal, Role.viewer, "run a corridor study")
    form = await request.form()
    name = form_text(form, "scenario")
    if shipped_scenario_path(name) is None:
        raise InvalidInput(f"scenario: '{name}' is not a shipped scenario; pick one from the list.")
    resolution = form_text(form, "resolution") or None
    scenario = load_scenario(name)
    runner = runner_of(request.app)
    job = in_session(
        session,
        lambda: service.submit_study(
            session=session,
            scenario=scenario,
            runner=runner,
            resolution=resolution,
            counterfactual=form.get("counterfactual") == "on",
            created_by=who.username,
        ),
    )
    return redirect(f"/corridor/jobs/{job.id}")


@router.get("/corridor/jobs/{job_id}")
def job_page(job_id: int, request: Request, session: SessionDep) -> Response:
    """A job's state, progress and log; refreshes itself while the job runs."""
    job = job_detail(service.get_job(session=session, job_id=job_id))
    active = job.state in ("queued", "running")
    return render(request, "corridor_job.html", {"job": job, "active": active})
