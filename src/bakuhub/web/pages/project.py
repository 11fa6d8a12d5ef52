"""Project detail extras and the results pages: add a result, enter period values,
submit, approve, return with a comment.

The form posts are ``async`` only to read the form; the database work then runs in
a worker thread (``run_in_threadpool``), never on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from bakuhub.accounts.permissions import Principal, Role
from bakuhub.errors import BakuhubError, validated
from bakuhub.results import service as results
from bakuhub.results.codes import ResultKind
from bakuhub.results.schemas import PeriodUpdate, ResultIn, TransitionIn
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages import finance as finance_pages
from bakuhub.web.pages.common import form_text, redirect, render
from bakuhub.web.routes.results import transition

router = APIRouter(include_in_schema=False)


def project_context(
    session: Session, principal: Principal | None, project: dict[str, Any]
) -> dict[str, Any]:
    """Results, finance and what the principal may do on a project's page."""
    framework = results.get_framework(
        session=session, project_ref=project["ref"], approved_only=principal is None
    )
    owner = principal is not None and policy.belongs(principal, "projects", project)
    return {
        "framework": framework,
        **finance_pages.project_finance_context(session, principal, project),
        "can_report": owner,
        "can_approve": principal is not None and principal.at_least(Role.secretariat),
        "result_kinds": [k.value for k in ResultKind],
    }


def _fail(request: Request, exc: BakuhubError, back: str) -> Response:
    if exc.status_code in (401, 403):
        raise exc
    context = {"title": "That did not work", "message": exc.message, "back": back}
    return render(request, "error.html", context, status_code=exc.status_code)


@router.post("/projects/{ref}/results/new")
async def add_result(
    ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_add_result, ref, request, form, session, principal)


def _add_result(
    ref: str, request: Request, form: FormData, session: Session, principal: Principal | None
) -> Response:
    """Add a result from the page's form (in a worker thread)."""
    policy.project_for(session, principal, ref, write=True)
    number = form_text(form, "target")
    body = {
        "kind": form_text(form, "kind") or "output",
        "title": form_text(form, "title"),
        "indicators": [
            {
                "title": form_text(form, "indicator") or form_text(form, "title"),
                "unit": form_text(form, "unit"),
                "periods": [
                    {
                        "start": form_text(form, "start"),
                        "end": form_text(form, "end"),
                        "target": number or None,
                    }
                ],
            }
        ],
    }
    try:
        data = validated(ResultIn, body, what="The result")
        with session.begin_nested():
            results.add_result(session=session, project_ref=ref, data=data, author=_who(principal))
    except BakuhubError as exc:
        return _fail(request, exc, f"/projects/{ref}")
    return redirect(f"/projects/{ref}#results")


def _who(principal: Principal | None) -> str:
    return principal.username if principal else "anonymous"


PeriodChange = Callable[[int, str, FormData, Session, Principal | None], None]
"""Change a period (id, its project's ref) from a page's form; raises BakuhubError."""


@router.post("/periods/{period_id}/values")
async def period_values(
    period_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(
        _on_period, _save_values, period_id, request, form, session, principal
    )


@router.post("/periods/{period_id}/move")
async def period_move(
    period_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_on_period, _move, period_id, request, form, session, principal)


def _on_period(
    change: PeriodChange,
    period_id: int,
    request: Request,
    form: FormData,
    session: Session,
    principal: Principal | None,
) -> Response:
    """Apply ``change`` to a period (in a worker thread): back to it on its project's page."""
    ref = results.fetch_period(session, period_id).indicator.result.project.ref
    try:
        change(period_id, ref, form, session, principal)
    except BakuhubError as exc:
        return _fail(request, exc, f"/projects/{ref}")
    return redirect(f"/projects/{ref}#period-{period_id}")


def _save_values(
    period_id: int, ref: str, form: FormData, session: Session, principal: Principal | None
) -> None:
    """Save a period's target, actual and comment (a focal point of the project, or staff)."""
    policy.project_for(session, principal, ref, write=True)
    changes: dict[str, Any] = {"version": form_text(form, "version")}
    for name in ("target", "actual", "actual_comment"):
        if name in form:
            text = form_text(form, name)
            changes[name] = text if text or name == "actual_comment" else None
    data = validated(PeriodUpdate, changes, what="The period")
    with session.begin_nested():
        results.update_period(
            session=session, period_id=period_id, data=data, author=_who(principal)
        )


def _move(
    period_id: int, ref: str, form: FormData, session: Session, principal: Principal | None
) -> None:
    """Move a period to another state (``transition`` checks who may)."""
    fields = {
        "to": form_text(form, "to"),
        "version": form_text(form, "version"),
        "comment": form_text(form, "comment"),
    }
    data = validated(TransitionIn, fields, what="The change of state")
    with session.begin_nested():
        transition(session, principal, _who(principal), period_id, data)
