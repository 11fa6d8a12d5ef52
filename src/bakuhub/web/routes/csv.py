"""CSV export and import of each record type."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from bakuhub.errors import InvalidInput, NotFound
from bakuhub.i18n import _
from bakuhub.registry.catalog import RESOURCES
from bakuhub.registry.csvio import export_csv, import_csv
from bakuhub.registry.resources import Resource
from bakuhub.results.answers import CsvImported
from bakuhub.web.contract import file_response
from bakuhub.web.deps import AuthorDep, PrincipalDep, SessionDep
from bakuhub.web.policy import require_staff

router = APIRouter(prefix="/csv", tags=["csv"])


def _resource(name: str) -> Resource:
    if name not in RESOURCES:
        raise NotFound(
            _("There is no record type '{name}'; use {allowed}.").format(
                name=name, allowed=", ".join(RESOURCES)
            )
        )
    return RESOURCES[name]


@router.get(
    "/{name}",
    summary="Export every record of one type as CSV",
    response_class=Response,
    responses=file_response("text/csv", description="The records as CSV (UTF-8)."),
)
def export_records_csv(name: str, session: SessionDep, principal: PrincipalDep) -> Response:
    text = export_csv(session=session, resource=_resource(name), published_only=principal is None)
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


@router.post(
    "/{name}",
    summary="Import a CSV of one record type (all rows or none)",
    description="Body: the CSV text (Content-Type text/csv). Rows whose ref exists update "
    "that record; others are created. Any bad row refuses the whole file (422) and the "
    "answer lists every bad row and column.",
    response_model=CsvImported,
)
async def import_records_csv(
    name: str, request: Request, session: SessionDep, principal: PrincipalDep, author: AuthorDep
) -> dict[str, int]:
    require_staff(principal, _("import CSV files"))
    resource = _resource(name)
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            _("The CSV is not UTF-8 text; save it as UTF-8 and try again.")
        ) from None
    # Parsing and writing take seconds for a large file: off the event loop.
    report = await run_in_threadpool(
        import_csv, session=session, resource=resource, text=text, author=author
    )
    return {"created": report.created, "updated": report.updated}
