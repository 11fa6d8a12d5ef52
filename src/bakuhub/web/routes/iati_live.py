"""The IATI checks of one project through the API (``results.iati_live``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from bakuhub.results import iati_live
from bakuhub.results.answers import ProjectFindingsOut
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep

router = APIRouter(tags=["iati"])
ProjectRef = Annotated[str, Path(min_length=1, max_length=100, description="A project's ref")]


@router.get(
    "/projects/{ref}/iati-findings",
    summary="The IATI findings of one project, each tied to the record it concerns",
    description="The project's activity as exported, checked against the IATI 2.03 schema, "
    "the standard ruleset and the codelists (severities critical, error, warning: the "
    "IATI Validator's grades). Each finding names its `record` (kind project, budget, "
    "transaction, result, indicator or period, its `id`, and the form `input` holding the "
    "value, when one does). Findings never block a save. Without a token: published "
    "projects only (a draft is not found, 404), as the public export (approved periods).",
    response_model=ProjectFindingsOut,
)
def get_project_iati_findings(
    ref: ProjectRef, session: SessionDep, principal: PrincipalDep
) -> dict[str, Any]:
    policy.project_for(session, principal, ref)
    check = iati_live.check_project(session=session, project_ref=ref, public=principal is None)
    return {**check.as_dict(), "summary": iati_live.count_text(check.counts)}
