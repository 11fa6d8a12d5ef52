"""Saved corridor scenarios over the API: list (with the shipped ones), read, save,
change (version-checked), fork, publish, delete, YAML export and import, run as a job,
and their comments. Included by :mod:`bakuhub.web.routes.corridor` under
``/api/v1/corridor``. Plain ``def`` endpoints: FastAPI runs them off the event loop.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi import Path as PathParam
from fastapi.responses import Response

from bakuhub.accounts.permissions import Principal, Role, require
from bakuhub.config import Settings
from bakuhub.corridor.scenario import Scenario
from bakuhub.i18n import _
from bakuhub.jobs import access
from bakuhub.jobs import service as jobs
from bakuhub.jobs.retry import in_session
from bakuhub.jobs.runner import JobRunner
from bakuhub.jobs.schemas import JobDetail, job_detail
from bakuhub.studies import scenarios, service
from bakuhub.studies.schemas import (
    CommentIn,
    CommentOut,
    ForkIn,
    ImportIn,
    PublishIn,
    RunIn,
    ScenarioChange,
    ScenarioIn,
    ScenarioListed,
    ScenarioOut,
)
from bakuhub.studies.store import note_submission
from bakuhub.web.contract import TOO_MANY_JOBS, file_response
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.routes.jobs import RunnerDep


def _analyst(principal: PrincipalDep) -> Principal:
    return require(principal, Role.focal_point, _("save, change or run corridor scenarios"))


def _signed_in(principal: PrincipalDep) -> Principal:
    return require(principal, Role.viewer, _("comment"))


AnalystDep = Annotated[Principal, Depends(_analyst)]
"""Checked before the body is read: focal points and above (owners checked after)."""
SignedInDep = Annotated[Principal, Depends(_signed_in)]

scenario_routes = APIRouter()
"""Included by web.routes.corridor (under its prefix); not an app router of its own."""
RefPath = Annotated[str, PathParam(min_length=1, max_length=80, description="A saved scenario.")]


def submit_study_job(
    *,
    session: Any,
    runner: JobRunner,
    principal: Principal | None,
    settings: Settings,
    scenario: Scenario,
    scenario_ref: str | None,
    origin: str,
    run: RunIn,
) -> Any:
    """Submit ``scenario`` as a corridor-study job (roles and quotas of jobs.access) and
    note its study (origin ``page`` or ``api``); the pages reuse this."""
    who = access.check_may_submit(principal)

    def submit() -> Any:
        job = jobs.submit_study(
            session=session,
            scenario=scenario,
            runner=runner,
            resolution=run.resolution,
            counterfactual=run.counterfactual,
            created_by=who.username,
            quota=access.Quota(who.username, settings.jobs_per_user),
        )
        location = job.result.location if job.result is not None else None
        solved = (
            scenario
            if run.resolution is None
            else scenario.model_copy(update={"resolution": job.inputs["scenario"]["resolution"]})
        )
        note_submission(
            session,
            job_id=job.id,
            scenario=solved,
            author=who.username,
            origin=origin,
            scenario_ref=scenario_ref,
            result_location=location,
            data_dir=settings.data_dir,
        )
        return job

    return in_session(session, submit)


@scenario_routes.get(
    "/scenarios",
    summary="The shipped scenarios, then the saved ones you may read (drafts: yours)",
    response_model=list[ScenarioListed],
)
def list_scenarios(
    session: SessionDep,
    principal: PrincipalDep,
    author: str | None = Query(None, max_length=120),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=2**31 - 1),
) -> list[dict[str, Any]]:
    from bakuhub.corridor.scenario import shipped_scenario, shipped_scenarios

    out: list[dict[str, Any]] = []
    if author is None and offset == 0:
        for name in shipped_scenarios():
            spec = shipped_scenario(name)
            title = (spec.description.splitlines() or [name])[0][:200] or name
            about = {"year": spec.year, "description": spec.description, "hash": spec.digest()}
            out.append({"kind": "shipped", "name": name, "title": title, **about})
    rows = scenarios.list_scenarios(
        session=session, principal=principal, author=author, limit=limit, offset=offset
    )
    for row in rows:
        out.append(
            {
                "kind": "saved",
                "name": row.ref,
                "title": row.title,
                "year": int(row.spec.get("year", 0)),
                "description": row.description,
                "hash": row.digest,
                "author": row.author,
                "version": row.version,
                "published": row.published,
                "parent": row.parent,
            }
        )
    return out


@scenario_routes.post("/scenarios", summary="Save a scenario (a draft)", status_code=201)
def create_scenario(body: ScenarioIn, session: SessionDep, principal: AnalystDep) -> ScenarioOut:
    row = scenarios.create_scenario(
        session=session,
        principal=principal,
        ref=body.ref,
        title=body.title,
        description=body.description,
        spec=body.scenario,
    )
    return ScenarioOut(**scenarios.scenario_out(row))


@scenario_routes.post(
    "/scenarios/import", summary="Save a scenario YAML file as a draft", status_code=201
)
def import_scenario_yaml(body: ImportIn, session: SessionDep, principal: AnalystDep) -> ScenarioOut:
    row = scenarios.import_yaml(
        session=session, principal=principal, text=body.yaml, ref=body.ref, title=body.title
    )
    return ScenarioOut(**scenarios.scenario_out(row))


@scenario_routes.get(
    "/scenarios/{ref}.yaml",
    summary="A saved scenario as a YAML file (for bakuhub corridor solve)",
    response_class=Response,
    responses=file_response("application/yaml", description="The scenario (YAML)."),
)
def export_scenario_yaml(ref: RefPath, session: SessionDep, principal: PrincipalDep) -> Response:
    text = scenarios.export_yaml(session=session, principal=principal, ref=ref)
    headers = {"Content-Disposition": f'attachment; filename="{ref}.yaml"'}
    return Response(text, media_type="application/yaml", headers=headers)


@scenario_routes.get("/scenarios/{ref}", summary="A saved scenario")
def get_scenario(ref: RefPath, session: SessionDep, principal: PrincipalDep) -> ScenarioOut:
    row = scenarios.get_scenario(session=session, principal=principal, ref=ref)
    return ScenarioOut(**scenarios.scenario_out(row))


@scenario_routes.put("/scenarios/{ref}", summary="Change a saved scenario (version-checked)")
def update_scenario(
    ref: RefPath, body: ScenarioChange, session: SessionDep, principal: AnalystDep
) -> ScenarioOut:
    row = scenarios.update_scenario(
        session=session,
        principal=principal,
        ref=ref,
        version=body.version,
        title=body.title,
        description=body.description,
        spec=body.scenario,
    )
    return ScenarioOut(**scenarios.scenario_out(row))


@scenario_routes.delete(
    "/scenarios/{ref}", summary="Delete a saved scenario no study uses", status_code=204
)
def delete_scenario(
    ref: RefPath,
    session: SessionDep,
    principal: AnalystDep,
    version: int | None = Query(None, ge=1, le=2**31 - 1),
) -> Response:
    scenarios.delete_scenario(session=session, principal=principal, ref=ref, version=version)
    return Response(status_code=204)


@scenario_routes.post(
    "/scenarios/{ref}/fork",
    summary="Fork a saved or shipped scenario into a draft of yours",
    status_code=201,
)
def fork_scenario(
    ref: RefPath, body: ForkIn, session: SessionDep, principal: AnalystDep
) -> ScenarioOut:
    row = scenarios.fork_scenario(
        session=session, principal=principal, source=ref, ref=body.ref, title=body.title
    )
    return ScenarioOut(**scenarios.scenario_out(row))


@scenario_routes.post(
    "/scenarios/{ref}/publish", summary="Publish a saved scenario, or unpublish it"
)
def publish_scenario(
    ref: RefPath, body: PublishIn, session: SessionDep, principal: AnalystDep
) -> ScenarioOut:
    row = scenarios.set_published(
        session=session,
        principal=principal,
        ref=ref,
        published=body.published,
        version=body.version,
    )
    return ScenarioOut(**scenarios.scenario_out(row))


@scenario_routes.post(
    "/scenarios/{ref}/run",
    summary="Run a saved scenario as a job",
    status_code=202,
    responses=TOO_MANY_JOBS,
)
def run_scenario(
    ref: RefPath,
    body: RunIn,
    session: SessionDep,
    principal: AnalystDep,
    runner: RunnerDep,
    settings: SettingsDep,
) -> JobDetail:
    scenario = scenarios.run_spec(session=session, principal=principal, ref=ref)
    job = submit_study_job(
        session=session,
        runner=runner,
        principal=principal,
        settings=settings,
        scenario=scenario,
        scenario_ref=ref,
        origin="api",
        run=body,
    )
    return job_detail(job)


@scenario_routes.get("/scenarios/{ref}/comments", summary="The discussion on a saved scenario")
def list_scenario_comments(
    ref: RefPath, session: SessionDep, principal: PrincipalDep
) -> list[CommentOut]:
    rows = service.thread(session=session, principal=principal, target_type="scenario", target=ref)
    return [CommentOut(**r) for r in rows]


@scenario_routes.post(
    "/scenarios/{ref}/comments", summary="Comment on a saved scenario", status_code=201
)
def comment_scenario(
    ref: RefPath, body: CommentIn, session: SessionDep, principal: SignedInDep
) -> CommentOut:
    row = service.comment_on(
        session=session, principal=principal, target_type="scenario", target=ref, body=body.body
    )
    return CommentOut(**row)
