"""The Hub's IATI 2.03 organisation file through the API (``results.iati_org_export``)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from bakuhub.results.iati_org_export import export_organisation
from bakuhub.web.contract import file_response
from bakuhub.web.deps import PrincipalDep, SessionDep

router = APIRouter(prefix="/iati", tags=["iati"])


@router.get(
    "/organisation.xml",
    response_class=Response,
    responses=file_response("application/xml", description="An IATI 2.03 organisation file."),
    summary="The Hub's IATI 2.03 organisation file (total and recipient-country budgets)",
    description="Budgets of the projects the Hub reports, per calendar year; total "
    "expenditure from their disbursements and expenditures. Without `currency` each "
    "currency is reported on its own; with it every value is converted with the "
    "exchange-rate table (a missing rate refuses the file, 422, and names it). Without a "
    "token: published projects only.",
)
def export_iati_organisation(
    session: SessionDep,
    principal: PrincipalDep,
    currency: str | None = Query(
        None, max_length=3, description="ISO 4217 code to convert every value into"
    ),
) -> Response:
    result = export_organisation(
        session=session, published_only=principal is None, currency=currency
    )
    headers = {
        "Content-Disposition": 'attachment; filename="organisation.xml"',
        "X-Bakuhub-Notes": str(len(result.notes)),
        "X-Bakuhub-Projects": str(len(result.projects)),
    }
    return Response(result.xml, media_type="application/xml", headers=headers)
