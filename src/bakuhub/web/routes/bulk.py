"""Bulk import API: templates per kind (CSV, XLSX), preview and commit of a file.

A file is previewed (``POST .../preview``: what it adds and updates, or every bad row
by row, column and reason) and then committed with the preview's ``digest``: a record
the file touches that changed in between refuses the commit (409), nothing written.
Who may: those who may change the project (its party's focal points, the secretariat).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, UploadFile
from fastapi.responses import Response

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _
from bakuhub.results import bulk
from bakuhub.results.answers import BulkCommitted, BulkPreview
from bakuhub.results.bulk_files import MAX_BYTES, Table, read_table
from bakuhub.results.bulk_templates import XLSX_TYPE, template_csv, template_xlsx
from bakuhub.web import policy
from bakuhub.web.contract import file_response
from bakuhub.web.deps import AuthorDep, PrincipalDep, SessionDep

router = APIRouter(tags=["bulk import"])

KindPath = Annotated[
    str,
    Path(max_length=20, description="transactions, budgets, results, indicators or periods"),
]
Digest = Annotated[
    str | None,
    Form(
        min_length=32,
        max_length=32,
        pattern=r"^[0-9a-f]{32}$",
        description="The digest the preview answered",
    ),
]


def upload_table(kind: str, file: UploadFile | None) -> Table:
    """An uploaded file read (at most ``MAX_BYTES`` are read)."""
    if file is None or not file.filename:
        raise InvalidInput(
            _("No file came with the request; choose a CSV or Excel file (form field 'file').")
        )
    content = file.file.read(MAX_BYTES + 1)  # callers are plain defs: in the threadpool
    return read_table(kind, file.filename or "upload", content)


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get(
    "/bulk/templates/{kind}.csv",
    summary="The CSV template of a bulk-import kind",
    response_class=Response,
    responses=file_response("text/csv", description="The template (CSV, UTF-8)."),
)
def get_bulk_template_csv(kind: KindPath) -> Response:
    text = template_csv(kind)
    headers = _attachment(f"bakuhub-{kind}.csv")
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


@router.get(
    "/bulk/templates/{kind}.xlsx",
    summary="The Excel template of a bulk-import kind",
    response_class=Response,
    responses=file_response(XLSX_TYPE, description="The template (Excel)."),
)
def get_bulk_template_xlsx(kind: KindPath) -> Response:
    content = template_xlsx(kind)
    return Response(content, media_type=XLSX_TYPE, headers=_attachment(f"bakuhub-{kind}.xlsx"))


@router.post(
    "/projects/{ref}/bulk/{kind}/preview",
    summary="Preview a bulk-import file: what it adds and updates (writes nothing)",
    description="Multipart form with `file` (CSV or XLSX). Answers the rows to add and "
    "update and a `digest` to commit with; a bad file is refused (422) with every bad row "
    "in `details` (row, column, msg).",
    response_model=BulkPreview,
)
def preview_bulk_import(
    ref: str,
    kind: KindPath,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
    file: UploadFile | None = None,
) -> dict[str, Any]:
    policy.project_for(session, principal, ref, write=True)
    table = upload_table(kind, file)
    return bulk.preview(session=session, project_ref=ref, table=table, author=author)


@router.post(
    "/projects/{ref}/bulk/{kind}",
    summary="Commit a previewed bulk-import file: every row or none",
    description="Multipart form with the same `file` and the preview's `digest`. A record "
    "the file touches that changed since the preview refuses the whole file (409).",
    response_model=BulkCommitted,
)
def commit_bulk_import(
    ref: str,
    kind: KindPath,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
    file: UploadFile | None = None,
    digest: Digest = None,
) -> dict[str, Any]:
    policy.project_for(session, principal, ref, write=True)
    if digest is None:
        raise InvalidInput(_("digest: send the digest the preview answered (form field 'digest')."))
    table = upload_table(kind, file)
    return bulk.commit(session=session, project_ref=ref, table=table, digest=digest, author=author)
