"""Upload and download documents attached to agreements."""

from __future__ import annotations

from fastapi import APIRouter, Path, UploadFile
from fastapi.responses import Response

from bakuhub.db import MAX_ID
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _, number
from bakuhub.registry.documents import (
    MAX_BYTES,
    attach_document,
    content_disposition,
    read_document,
)
from bakuhub.registry.schemas import DocumentOut
from bakuhub.web.contract import file_response
from bakuhub.web.deps import AuthorDep, PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.policy import require_staff

router = APIRouter(tags=["agreements"])


@router.post(
    "/agreements/{ref}/documents",
    status_code=201,
    response_model=DocumentOut,
    summary="Attach a document to an agreement (stored with its SHA-256 checksum)",
)
def upload_document(
    ref: str,
    file: UploadFile,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    author: AuthorDep,
) -> DocumentOut:
    require_staff(principal, _("attach documents"))
    content = file.file.read(MAX_BYTES + 1)  # a plain def: runs in the threadpool
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            _(
                "The document '{filename}' is over the limit of {limit} MB; attach a smaller "
                "file or a link in sources."
            ).format(filename=file.filename, limit=number(MAX_BYTES / 1e6))
        )
    doc = attach_document(
        session=session,
        root=settings.documents_dir,
        agreement_ref=ref,
        filename=file.filename or "document",
        media_type=file.content_type or "application/octet-stream",
        content=content,
        author=author,
    )
    return DocumentOut.model_validate(doc, from_attributes=True)


@router.get(
    "/documents/{document_id}",
    summary="Download an attached document",
    response_class=Response,
    responses=file_response(
        "*/*", description="The file, with the media type it was uploaded with."
    ),
)
def download_document(
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    document_id: int = Path(ge=1, le=MAX_ID),
) -> Response:
    doc, content = read_document(
        session=session,
        root=settings.documents_dir,
        document_id=document_id,
        published_only=principal is None,
    )
    headers = {"Content-Disposition": content_disposition(doc.filename), "ETag": f'"{doc.sha256}"'}
    return Response(content, media_type=doc.media_type, headers=headers)
