"""Project detail extras and the results rows of its page: enter period values,
submit, approve, return with a comment. Adding and editing results, indicators and
periods are their own pages (``results_pages``, ``results_periods``), and so is the
review of submitted periods (``results_review``); their routers are included here.

The form posts are ``async`` only to read the form; the database work then runs in
a worker thread (``run_in_threadpool``), never on the event loop.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from bakuhub.accounts.permissions import Principal, Role
from bakuhub.errors import BakuhubError, InvalidInput, validated
from bakuhub.i18n import _
from bakuhub.results import service as results
from bakuhub.results.codes import ResultKind
from bakuhub.results.schemas import TransitionIn
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages import finance as finance_pages
from bakuhub.web.pages import (
    iati_live,
    record_texts,
    results_pages,
    results_periods,
    results_review,
)
from bakuhub.web.pages.common import form_text, redirect, render, who
from bakuhub.web.pages.results_forms import measures
from bakuhub.web.routes.results import transition

router = APIRouter(include_in_schema=False)
for _pages in (results_pages, results_periods, results_review):
    router.include_router(_pages.router)


def project_context(
    session: Session, principal: Principal | None, project: dict[str, Any]
) -> dict[str, Any]:
    """Results, finance, the IATI check (signed-in readers) and what the principal may
    do on a project's page."""
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
        "measures": measures(),
        "iati_check": iati_live.summary(session, principal, project),
        **record_texts.project_texts(session, principal, project),
    }


def _fail(request: Request, exc: BakuhubError, back: str) -> Response:
    if exc.status_code in (401, 403):
        raise exc
    context = {"title": _("That did not work"), "message": exc.message, "back": back}
    return render(request, "error.html", context, status_code=exc.status_code)


@router.post("/periods/{period_id}/values")
async def period_values(
    period_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(
        results_periods.save_period, period_id, request, form, session, principal
    )


@router.post("/periods/{period_id}/move")
async def period_move(
    period_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_move, period_id, request, form, session, principal)


def _move(
    period_id: int, request: Request, form: FormData, session: Session, principal: Principal | None
) -> Response:
    """Move a period to another state (``transition`` checks who may); back to its row."""
    ref = results.fetch_period(session, period_id).indicator.result.project.ref
    fields = {
        "to": form_text(form, "to"),
        "version": form_text(form, "version"),
        "comment": form_text(form, "comment"),
    }
    try:
        data = validated(TransitionIn, fields, what=_("The change of state"))
        with session.begin_nested():
            transition(session, principal, who(principal), period_id, data)
    except InvalidInput as exc:
        if exc.status_code in (401, 403) or not any("comment" in d["loc"] for d in exc.details):
            return _fail(request, exc, f"/projects/{ref}")
        period = results.get_period(session=session, period_id=period_id)
        context = {"period": period, "project": ref, "error": exc.details[0]["msg"]}
        return render(request, "results_return.html", context, status_code=422)
    except BakuhubError as exc:
        return _fail(request, exc, f"/projects/{ref}")
    return redirect(f"/projects/{ref}#period-{period_id}")
