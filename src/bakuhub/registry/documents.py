"""Documents attached to agreements, stored once per SHA-256 checksum."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.orm import Session

from bakuhub.audit import service as audit
from bakuhub.errors import InvalidInput, NotFound
from bakuhub.i18n import _, number
from bakuhub.registry import models as m
from bakuhub.registry.catalog import AGREEMENTS
from bakuhub.registry.resources import read_document_record
from bakuhub.registry.service import fetch

MAX_BYTES = 50 * 1024 * 1024
MAX_NAME = 255
"""The longest file name stored (the column's width); longer names are shortened."""


def safe_filename(filename: str) -> str:
    """The file's base name without control characters, at most ``MAX_NAME`` characters
    (shortened before its extension, which is kept)."""
    name = "".join(c for c in filename.replace("\\", "/") if c.isprintable())
    name = Path(name).name.strip() or "document"
    if len(name) <= MAX_NAME:
        return name
    suffix = Path(name).suffix
    if len(suffix) > 20:
        suffix = ""
    return name[: MAX_NAME - len(suffix)] + suffix


def _media_type(text: str) -> str:
    kept = "".join(c for c in text if c.isascii() and c.isprintable())[:100]
    return kept or "application/octet-stream"


def content_disposition(filename: str) -> str:
    """An ``attachment`` header for any file name: an ASCII fallback and the exact
    UTF-8 name (RFC 6266 / RFC 5987 ``filename*``)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def stored_path(root: Path, sha256: str) -> Path:
    """Where the bytes with this checksum live under ``root``."""
    return root / sha256[:2] / sha256


def attach_document(
    *,
    session: Session,
    root: Path,
    agreement_ref: str,
    filename: str,
    media_type: str,
    content: bytes,
    author: str,
) -> m.Document:
    """Store ``content`` under its checksum and attach it to the agreement (audited)."""
    filename = safe_filename(filename)
    if not content:
        raise InvalidInput(
            _("The document '{filename}' is empty; attach a file with content.").format(
                filename=filename
            )
        )
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            _(
                "The document '{filename}' is {size} MB; the limit is {limit} MB. Attach a "
                "smaller file or a link in sources."
            ).format(
                filename=filename, size=number(len(content) / 1e6, 1), limit=number(MAX_BYTES / 1e6)
            )
        )
    agreement = fetch(session=session, resource=AGREEMENTS, ref=agreement_ref)
    digest = hashlib.sha256(content).hexdigest()
    path = stored_path(root, digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(content)
        tmp.replace(path)
    doc = m.Document(
        filename=filename,
        media_type=_media_type(media_type),
        size=len(content),
        sha256=digest,
        uploaded_by=author,
    )
    agreement.documents.append(doc)
    session.flush()
    audit.record(
        session=session,
        actor=author,
        action="create",
        record_type="documents",
        record_ref=f"{agreement.ref}/{doc.id}",
        after=read_document_record(doc),
    )
    return doc


def read_document(
    *, session: Session, root: Path, document_id: int, published_only: bool = False
) -> tuple[m.Document, bytes]:
    """A document's record and its bytes, checked against the stored checksum.

    With ``published_only`` (anonymous readers), a document of an unpublished agreement
    does not exist.
    """
    doc = session.get(m.Document, document_id)
    if doc is None:
        raise NotFound(_("There is no document with id {id}.").format(id=document_id))
    if published_only:
        agreement = session.get(m.Agreement, doc.agreement_id)
        if agreement is None or not agreement.published:
            raise NotFound(_("There is no document with id {id}.").format(id=document_id))
    path = stored_path(root, doc.sha256)
    if not path.exists():
        raise NotFound(
            _("The file of document {id} ({filename}) is missing.").format(
                id=document_id, filename=doc.filename
            )
        )
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != doc.sha256:
        raise InvalidInput(
            _(
                "The stored file of document {id} no longer matches its checksum; upload it again."
            ).format(id=document_id)
        )
    return doc, content
