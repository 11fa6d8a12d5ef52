"""The bulk-import pages of a project: templates to download, upload, preview, commit.

``/projects/{ref}/bulk`` lists the kinds (their columns and the key that makes a row
an update) with their CSV and Excel templates, and takes a file. The preview page says
what the file adds and updates, or lists every bad row (row, column, reason); its
commit form carries the read file (``bulk_files.pack``) and the preview's digest, so
what is committed is what was previewed, and a record changed in between refuses the
commit. Who may: those who may change the project (``policy.project_for(write=True)``).
The handlers are plain ``def``: FastAPI reads the form, then runs them in a thread.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bakuhub.errors import BakuhubError, InvalidInput
from bakuhub.i18n import _, ngettext
from bakuhub.results import bulk
from bakuhub.results.bulk_files import MAX_BYTES, MAX_ROWS, pack, unpack
from bakuhub.results.bulk_templates import COLUMNS, KEYS, kind_name
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import redirect, render, who
from bakuhub.web.routes.bulk import upload_table

router = APIRouter(include_in_schema=False)

KindField = Annotated[str, Form(max_length=20)]
ANCHOR = {"transactions": "finance", "budgets": "finance"}
"""Where on the project page the imported rows are shown (else #results)."""


def _page(
    request: Request,
    project: dict[str, Any],
    kind: str = "transactions",
    problem: BakuhubError | None = None,
) -> Response:
    context = {
        "title": _("Bulk import into {project}").format(project=project["title"]),
        "project": project,
        "kinds": [
            {"name": k, "columns": [c.name for c in cols], "key": KEYS[k]}
            for k, cols in COLUMNS.items()
        ],
        "kind": kind if kind in COLUMNS else "transactions",
        "problem": _problem_line(problem),
        "problems": problem.details if problem else [],
        "max_mb": MAX_BYTES // 1_000_000,
        "max_rows": MAX_ROWS,
    }
    status = problem.status_code if problem else 200
    return render(request, "bulk.html", context, status_code=status)


def _problem_line(problem: BakuhubError | None) -> str:
    """The sentence above the problems table (the table names each row)."""
    if problem is None:
        return ""
    if problem.details and all("row" in d for d in problem.details):
        count = len(problem.details)
        return ngettext(
            "Nothing was imported: the file has {count} problem, listed below.",
            "Nothing was imported: the file has {count} problems, listed below.",
            count,
        ).format(count=count)
    return problem.message


@router.get("/projects/{ref}/bulk")
def bulk_page(ref: str, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    project = policy.project_for(session, principal, ref, write=True)
    kind = request.query_params.get("kind", "transactions")
    return _page(request, project, kind)


@router.post("/projects/{ref}/bulk/preview")
def bulk_preview(
    ref: str,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    kind: KindField = "transactions",
    file: UploadFile | None = None,
) -> Response:
    project = policy.project_for(session, principal, ref, write=True)
    try:
        with session.begin_nested():
            table = upload_table(kind, file)
            shown = bulk.preview(
                session=session, project_ref=ref, table=table, author=who(principal)
            )
            packed = pack(table)
    except BakuhubError as exc:
        return _page(request, project, kind, exc)
    context = {
        "title": _("Preview: {rows} {kind} into {project}").format(
            rows=shown["rows"], kind=kind_name(kind), project=project["title"]
        ),
        "project": project,
        "preview": shown,
        "packed": packed,
        "filename": file.filename if file else _("upload"),
    }
    return render(request, "bulk_preview.html", context)


@router.post("/projects/{ref}/bulk/commit")
def bulk_commit(
    ref: str,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    kind: KindField = "transactions",
    rows: Annotated[str, Form(max_length=1_000_000)] = "",
    digest: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    project = policy.project_for(session, principal, ref, write=True)
    try:
        with session.begin_nested():
            done = _commit(session, ref, kind, rows, digest, who(principal))
    except BakuhubError as exc:
        return _page(request, project, kind, exc)
    anchor = ANCHOR.get(kind, "results")
    query = f"imported={kind}&added={done['added']}&updated={done['updated']}"
    return redirect(f"/projects/{ref}?{query}#{anchor}")


def _commit(
    session: Session, ref: str, kind: str, rows: str, digest: str, author: str
) -> dict[str, Any]:
    if not digest or not rows:
        raise InvalidInput(_("Preview the file first: the commit needs the previewed file."))
    table = unpack(kind, rows)
    return bulk.commit(session=session, project_ref=ref, table=table, digest=digest, author=author)
