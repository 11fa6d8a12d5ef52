"""The IATI page (``/iati``): the export links for everyone (the public's files hold
published records only), the findings of the Standard's checks on the export for
focal points and the secretariat, and for the secretariat the import of an activities
file: upload, a preview that says what matched and what did not (with the choices for
what did not), then the import. The uploaded file waits under the data directory
(``results.iati_uploads``) between the preview and the import."""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from bakuhub.accounts.permissions import Principal, Role
from bakuhub.config import Settings
from bakuhub.errors import BakuhubError, InvalidInput, NotFound
from bakuhub.i18n import N_, _
from bakuhub.registry.catalog import PROJECTS
from bakuhub.registry.service import list_labels
from bakuhub.results import iati_uploads as uploads
from bakuhub.results.iati_export import export_activities
from bakuhub.results.iati_import import Choices, import_activities
from bakuhub.results.iati_match import NEW, SKIP
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.pages.common import form_text, render

router = APIRouter(include_in_schema=False)
API = "/api/v1/iati"
SHOWN_FINDINGS = 200
"""At most this many findings are listed on the page (all are counted)."""
MAX_CHOICE = 300
"""Longest form key or value read as a choice (organisation keys, project refs)."""


def _folder(settings: Settings) -> Path:
    return settings.data_dir / "iati-uploads"


def _checker() -> Any:
    """``bakuhub.iati.rules.check_activities`` where it is installed, else None."""
    try:
        module = importlib.import_module("bakuhub.iati.rules")
    except ImportError:
        return None
    return getattr(module, "check_activities", None)


def _findings(session: Session) -> dict[str, Any] | None:
    """The Standard's findings on the export of every project (None: no checker)."""
    check = _checker()
    if check is None:
        return None
    try:
        xml = export_activities(session=session).xml
    except NotFound:  # no project yet: nothing to check
        return None
    found = [f.as_dict() for f in check(xml)]
    return {"shown": found[:SHOWN_FINDINGS], "total": len(found), "counts": _counts(found)}


def _counts(found: list[dict[str, Any]]) -> dict[str, int]:
    tally = Counter(f["severity"] for f in found)
    return {s: tally.get(s, 0) for s in ("critical", "error", "warning")}


def _has_route(request: Request, path: str) -> bool:
    return any(getattr(r, "path", None) == path for r in request.app.routes)


def _page(
    request: Request, session: Session, principal: Principal | None, **extra: Any
) -> dict[str, Any]:
    reader = principal is not None and principal.at_least(Role.focal_point)
    return {
        "title": _("IATI exchange"),
        "activities_url": f"{API}/activities.xml",
        "organisation_url": (
            f"{API}/organisation.xml" if _has_route(request, f"{API}/organisation.xml") else None
        ),
        "public": principal is None,
        "findings": _findings(session) if reader else None,
        "can_import": principal is not None and principal.is_staff,
        "max_mb": uploads.MAX_BYTES // 1024 // 1024,
        "error": "",
        **extra,
    }


@router.get("/iati")
def iati_page(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    return render(request, "iati.html", _page(request, session, principal))


@router.post("/iati/preview")
async def upload(
    request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_upload, request, form, session, principal, settings)


def _upload(
    request: Request, form: Any, session: Session, principal: Principal | None, settings: Settings
) -> Response:
    """Keep the uploaded file and show what importing it would do."""
    who = policy.require_staff(principal, N_("import IATI files"))
    sent = form.get("file")
    try:
        if not isinstance(sent, UploadFile) or not sent.filename:
            raise InvalidInput(_("Choose an IATI activities file (XML) to upload."))
        content = sent.file.read(uploads.MAX_BYTES + 1)
        uploads.check_size(content, sent.filename)
        digest = uploads.keep(_folder(settings), content)
        upload = Upload(digest, sent.filename[:255], content)
        return _report(request, session, upload, Choices(), who.username, dry_run=True)
    except BakuhubError as exc:
        context = _page(request, session, principal, error=exc.message)
        return render(request, "iati.html", context, status_code=422)


@router.post("/iati/import")
async def import_file(
    request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_import, request, form, session, principal, settings)


def _choices(form: Any) -> Choices:
    """The choices of the preview form (``org:<key>``, ``project:<identifier>``)."""
    orgs: dict[str, str] = {}
    projects: dict[str, str] = {}
    for name, value in form.multi_items():
        if not isinstance(value, str) or len(name) > MAX_CHOICE or len(value) > MAX_CHOICE:
            continue
        kind, _sep, key = name.partition(":")
        if kind == "org" and key:
            orgs[key] = value
        elif kind == "project" and key:
            projects[key] = value
    return Choices(orgs=orgs, projects=projects)


def _import(
    request: Request, form: Any, session: Session, principal: Principal | None, settings: Settings
) -> Response:
    """Preview again with the choices made, or import the waiting file with them."""
    who = policy.require_staff(principal, N_("import IATI files"))
    digest, name = form_text(form, "upload"), form_text(form, "filename")[:255]
    dry_run = form_text(form, "do") != "import"
    try:
        content = uploads.load(_folder(settings), digest)
    except BakuhubError as exc:
        context = _page(request, session, principal, error=exc.message)
        return render(request, "iati.html", context, status_code=422)
    upload = Upload(digest, name, content)
    response = _report(request, session, upload, _choices(form), who.username, dry_run=dry_run)
    if not dry_run and response.status_code == 200:
        uploads.drop(_folder(settings), digest)
    return response


@dataclass(frozen=True)
class Upload:
    """A file waiting for its import: its digest, the name it was sent with, its bytes."""

    digest: str
    name: str
    content: bytes


def _report(
    request: Request,
    session: Session,
    upload: Upload,
    choices: Choices,
    author: str,
    *,
    dry_run: bool,
) -> Response:
    """The import's report (a preview when ``dry_run``), or the file's problems."""
    context: dict[str, Any] = {
        "title": _("Preview of the IATI import") if dry_run else _("IATI import done"),
        "upload": upload.digest,
        "filename": upload.name,
        "dry_run": dry_run,
        "projects": list_labels(session=session, resource=PROJECTS),
        "NEW": NEW,
        "SKIP": SKIP,
        "chosen": choices,
    }
    try:
        report = import_activities(
            session=session, xml=upload.content, author=author, choices=choices, dry_run=dry_run
        )
    except BakuhubError as exc:
        context.update(error=exc.message, problems=exc.details, report=None)
        return render(request, "iati_import.html", context, status_code=422)
    return render(request, "iati_import.html", {**context, "report": report.as_dict()})
