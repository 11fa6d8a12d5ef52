"""IATI 2.03 exchange through the API: export projects, import activities files."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from bakuhub.i18n import N_
from bakuhub.iati.findings import counts
from bakuhub.iati.rules import check_activities
from bakuhub.results.answers import IatiCheckOut, IatiImportOut
from bakuhub.results.iati_export import export_activities
from bakuhub.results.iati_import import import_activities
from bakuhub.web.contract import MAY_BE_MISSING, file_response
from bakuhub.web.deps import AuthorDep, PrincipalDep, SessionDep
from bakuhub.web.policy import require_staff

router = APIRouter(prefix="/iati", tags=["iati"])


@router.get(
    "/activities.xml",
    summary="Export projects as an IATI 2.03 activities file",
    response_class=Response,
    responses={
        **file_response("application/xml", description="An IATI 2.03 activities file."),
        **MAY_BE_MISSING,
    },
    description="`project` (repeatable) picks projects by ref; without it every project. "
    "Without a token: published projects and approved result periods only (a draft "
    "named is not found).",
)
def export_iati_activities(
    session: SessionDep, principal: PrincipalDep, project: list[str] | None = Query(None)
) -> Response:
    result = export_activities(
        session=session,
        project_refs=project,
        approved_only=principal is None,
        published_only=principal is None,
    )
    headers = {
        "Content-Disposition": 'attachment; filename="activities.xml"',
        "X-Bakuhub-Notes": str(len(result.notes)),
    }
    return Response(result.xml, media_type="application/xml", headers=headers)


@router.get(
    "/check",
    summary="Check the IATI export against the schema, the standard ruleset and codelists",
    responses=MAY_BE_MISSING,
    description="The findings (critical, error, warning: the IATI Validator's grades) for "
    "the export of every project, or of each `project` ref. Each names the activity, "
    "the element, the bakuhub field when known, and what to do. Without a token: "
    "published projects and approved result periods only, as the public export.",
    response_model=IatiCheckOut,
)
def check_iati_activities(
    session: SessionDep,
    principal: PrincipalDep,
    project: list[str] | None = Query(None, max_length=100),
) -> dict[str, Any]:
    result = export_activities(
        session=session,
        project_refs=project,
        approved_only=principal is None,
        published_only=principal is None,
    )
    findings = check_activities(result.xml)
    tally = counts(findings)
    return {
        "activities": result.activities,
        "valid": tally["critical"] == 0,
        "counts": tally,
        "findings": [f.as_dict() for f in findings],
        "notes": result.notes,
    }


@router.post(
    "/activities",
    summary="Import an IATI activities file (all activities or none)",
    description="Body: the XML (Content-Type application/xml). Known identifiers update "
    "their project. The answer lists, per activity, what was mapped, skipped (and why).",
    response_model=IatiImportOut,
    response_model_exclude_unset=True,  # a funder's entries alone say what their money became
)
async def import_iati_activities(
    request: Request, session: SessionDep, principal: PrincipalDep, author: AuthorDep
) -> dict[str, Any]:
    require_staff(principal, N_("import IATI files"))
    body = await request.body()
    # Parsing XML and writing projects: off the event loop.
    report = await run_in_threadpool(import_activities, session=session, xml=body, author=author)
    return report.as_dict()
