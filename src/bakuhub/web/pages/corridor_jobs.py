"""Run a corridor study from the page, as a job on Dask, and follow its progress: its
state, its place in the queue while queued, and the link to its study once done."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub.accounts.permissions import Principal
from bakuhub.config import Settings
from bakuhub.errors import validated
from bakuhub.i18n import _
from bakuhub.jobs import access, service
from bakuhub.jobs.runner import JobRunner
from bakuhub.jobs.schemas import detail_view
from bakuhub.studies.of_job import study_of_job
from bakuhub.studies.schemas import RunIn
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.pages.common import form_text, redirect, render
from bakuhub.web.pages.corridor import link
from bakuhub.web.routes.corridor_scenarios import submit_study_job
from bakuhub.web.routes.jobs import JobId, runner_of

router = APIRouter(include_in_schema=False)


@router.post("/corridor/run")
async def run(
    request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    """Submit a shipped scenario as a job; the job's page shows its progress.

    Only the form is read on the event loop; loading the scenario and recording the
    job and its study (database work) run in a worker thread.
    """
    who = access.check_may_submit(principal)
    form = await request.form()
    name = form_text(form, "scenario")
    asked: dict[str, object] = {
        "resolution": form_text(form, "resolution") or None,
        "counterfactual": form.get("counterfactual") == "on",
    }

    def submit() -> int:
        runner = runner_of(request.app)
        return _submit(session, runner, settings, who, name, asked)

    job_id = await run_in_threadpool(submit)
    return redirect(f"/corridor/jobs/{job_id}")


def _submit(
    session: Session,
    runner: JobRunner,
    settings: Settings,
    who: Principal,
    name: str,
    asked: dict[str, object],
) -> int:
    """Record the job of a shipped scenario (by name only) and its study (origin
    ``page``); returns the job's id."""
    from bakuhub.corridor.scenario import shipped_scenario

    run = validated(RunIn, asked, what=_("Run a scenario"))
    job = submit_study_job(
        session=session,
        runner=runner,
        principal=who,
        settings=settings,
        scenario=shipped_scenario(name),
        scenario_ref=None,
        origin="page",
        run=run,
    )
    return int(job.id)


@router.get("/corridor/jobs/{job_id}")
def job_page(
    job_id: JobId,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    """A job's state, progress, place in the queue and log, and its study once done;
    refreshes itself while the job runs. The public sees it redacted (no author,
    worker, inputs, log or error)."""
    full = access.full_view(principal)
    row = service.get_job(session=session, job_id=job_id)
    job = detail_view(row, full=full)
    ahead = service.queue_positions(session=session, job_ids=[row.id]).get(row.id)
    location = row.result.location if row.result is not None else None
    study = study_of_job(
        session=session,
        principal=principal,
        job_id=row.id,
        location=location,
        data_dir=settings.data_dir,
    )
    context = {
        "job": job,
        "active": job.state in ("queued", "running"),
        "full": full,
        "ahead": ahead,
        "mine": principal is not None and row.created_by == principal.username,
        "study": None if study is None else {"name": study.name, "href": link(study.name)},
    }
    return render(request, "corridor_job.html", context)
