"""Corridor studies over the API: scenarios (shipped and saved, in
:mod:`bakuhub.web.routes.corridor_scenarios`), studies from the one store (whatever
started them), their downloads, "run again", comparisons and comments.

Plain ``def`` endpoints: FastAPI runs them off the event loop.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from pydantic import BaseModel

from bakuhub.corridor.study_store import list_studies as study_folders
from bakuhub.jobs.schemas import JobDetail, job_detail
from bakuhub.studies import service
from bakuhub.studies.schemas import (
    CommentIn,
    CommentOut,
    ComparisonOut,
    RunIn,
    StudyDetail,
    StudyOut,
)
from bakuhub.studies.service import FILES, StudyFilter
from bakuhub.web.contract import MAY_BE_MISSING, TOO_MANY_JOBS, file_response
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.routes.corridor_scenarios import (
    AnalystDep,
    SignedInDep,
    scenario_routes,
    submit_study_job,
)
from bakuhub.web.routes.jobs import RunnerDep

router = APIRouter(prefix="/corridor", tags=["corridor"])
router.include_router(scenario_routes)
NamePath = Annotated[str, PathParam(min_length=1, max_length=120, description="A study's name.")]
Short = Annotated[str | None, Query(max_length=120)]


class StudyState(BaseModel):
    """A study folder still being solved, or failed, before it is in the store."""

    name: str
    state: str
    error: str | None = None


@router.get(
    "/studies",
    summary="Corridor studies you may read, newest first (filters; paged)",
    response_model=list[StudyOut | StudyState],
    response_model_exclude_unset=True,
)
def list_studies(
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    scenario: Short = None,
    resolution: Annotated[str | None, Query(max_length=32)] = None,
    author: Short = None,
    origin: Annotated[str | None, Query(max_length=12)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> list[dict[str, Any]]:
    where = StudyFilter(scenario, resolution, author, origin, limit, offset)
    rows = service.list_studies(
        session=session, principal=principal, data_dir=settings.data_dir, where=where
    )
    out = [service.study_out(r) for r in rows]
    if offset == 0 and not any((scenario, resolution, author, origin)):
        known = {r.name for r in rows}  # folders still being solved, or failed, at startup
        out += [
            s
            for s in study_folders(settings.data_dir)
            if s["state"] != "ready" and s["name"] not in known
        ]
    return out


@router.get("/studies/{name}", summary="A study: inputs and hash, downloads, summary")
def get_study(
    name: NamePath, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> StudyDetail:
    row = service.get_study(
        session=session, principal=principal, name=name, data_dir=settings.data_dir
    )
    return StudyDetail(**service.study_detail(row, principal, settings.data_dir))


@router.get(
    "/studies/{name}/files/{file}",
    summary=f"One download of a study: {', '.join(FILES)}",
    response_class=FileResponse,
    responses=file_response(*sorted({media for _file, media in FILES.values()})),
)
def download_study_file(
    name: NamePath,
    file: Annotated[str, PathParam(max_length=40)],
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> FileResponse:
    path, media = service.study_file(
        session=session, principal=principal, data_dir=settings.data_dir, name=name, file=file
    )
    return FileResponse(path, media_type=media, filename=f"{name}-{file}")


@router.get(
    "/studies/{name}/report",
    summary="The study's self-contained HTML report",
    response_class=FileResponse,
    responses=file_response("text/html", description="The report (HTML)."),
)
def get_study_report(
    name: NamePath, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> FileResponse:
    service.get_study(session=session, principal=principal, name=name, data_dir=settings.data_dir)
    path, media = service.study_file(
        session=session,
        principal=principal,
        data_dir=settings.data_dir,
        name=name,
        file="report.html",
    )
    return FileResponse(path, media_type=media)


@router.post(
    "/studies/{name}/rerun",
    summary="Run a study's exact scenario again",
    status_code=202,
    responses=TOO_MANY_JOBS,
)
def rerun_study(
    name: NamePath,
    body: RunIn,
    session: SessionDep,
    principal: AnalystDep,
    runner: RunnerDep,
    settings: SettingsDep,
) -> JobDetail:
    scenario, ref = service.rerun_scenario(session=session, principal=principal, name=name)
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


@router.get(
    "/compare",
    summary="Two or more studies side by side, with differences",
    responses=MAY_BE_MISSING,
)
def compare_studies(
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    study: Annotated[list[str], Query(max_length=8, description="2 to 8 study names")],
) -> ComparisonOut:
    result = service.compare_studies(
        session=session,
        principal=principal,
        data_dir=settings.data_dir,
        names=[s[:120] for s in study],
    )
    return ComparisonOut(**result)


@router.get("/studies/{name}/comments", summary="The discussion on a study")
def list_study_comments(
    name: NamePath, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> list[CommentOut]:
    service.get_study(session=session, principal=principal, name=name, data_dir=settings.data_dir)
    rows = service.thread(session=session, principal=principal, target_type="study", target=name)
    return [CommentOut(**r) for r in rows]


@router.post("/studies/{name}/comments", summary="Comment on a study", status_code=201)
def comment_study(
    name: NamePath, body: CommentIn, session: SessionDep, principal: SignedInDep
) -> CommentOut:
    row = service.comment_on(
        session=session, principal=principal, target_type="study", target=name, body=body.body
    )
    return CommentOut(**row)
