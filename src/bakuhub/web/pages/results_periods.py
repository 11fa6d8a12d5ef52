"""Pages of one reporting period: add one to an indicator, edit its dates, target,
actual, notes, evidence and disaggregation rows, delete it (draft or returned only).

A period is versioned: each form carries the version it was opened at, and a change
made meanwhile by someone else is refused with a sentence saying to reload.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub.accounts.permissions import Principal
from bakuhub.errors import validated
from bakuhub.i18n import _
from bakuhub.results import framework_edit as edit
from bakuhub.results import service as results
from bakuhub.results.schemas import PeriodIn, PeriodUpdate
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages import iati_live
from bakuhub.web.pages import results_forms as rf
from bakuhub.web.pages.common import form_text, form_version, redirect, who
from bakuhub.web.pages.results_pages import attempt, confirmed, page, writable

router = APIRouter(include_in_schema=False)


def period_page(
    request: Request,
    ref: str,
    indicator: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    period: dict[str, Any] | None = None,
    rows: list[dict[str, Any]] | None = None,
    status: int = 200,
    session: Session | None = None,
) -> Response:
    """The form of a new period of ``indicator``, or of ``period`` (with ``session``:
    just opened, its IATI findings beside the inputs)."""
    if indicator.get("unit"):
        subheading = _("of the indicator “{title}” ({unit})").format(
            title=indicator["title"], unit=indicator["unit"]
        )
    else:
        subheading = _("of the indicator “{title}”").format(title=indicator["title"])
    context: dict[str, Any] = {
        "heading": _("Add a period") if period is None else _("Edit the period"),
        "subheading": subheading,
        "project": ref,
        "action": f"/indicators/{indicator['id']}/periods/new"
        if period is None
        else f"/periods/{period['id']}/edit",
        "button": _("Add period") if period is None else _("Save period"),
        "sections": [("", rf.period_inputs(values, errors, indicator["measure"]))],
        "rows": rf.rows_of(rows or [], errors),
        "rows_error": errors.get("disaggregations", ""),
        "sides": rf.translated(rf.SIDES),
        "dimensions": rf.translated(rf.DIMENSIONS),
        "form_error": errors.get("_form", ""),
        "counts_add_up": indicator["measure"] == "unit",
    }
    if indicator.get("baseline_value") is not None:
        context["baseline"] = (indicator["baseline_value"], indicator.get("baseline_year"))
    if period is not None:
        context["version"] = period["version"]
        context["period"] = period
        context["delete_action"] = f"/periods/{period['id']}/delete"
        context["delete_what"] = _("Yes, delete this period")
        context["delete_error"] = errors.get("confirm", "")
        if session is not None:
            context = iati_live.with_sections(context, session, ref, "period", period["id"])
    return page(request, context, status)


def _typed(form: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What was typed: the plain inputs, and the disaggregation rows."""
    values = {k: form_text(form, k) for k in form if not k.startswith("d-")}
    return values, rf.typed_rows(form)


@router.get("/indicators/{indicator_id}/periods/new")
def new_period(
    indicator_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    ref = writable(session, principal, edit.project_of(session, indicator_id=indicator_id))
    indicator = edit.get_indicator(session=session, indicator_id=indicator_id)
    return period_page(request, ref, indicator, {}, {})


@router.post("/indicators/{indicator_id}/periods/new")
async def add_period(
    indicator_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_add_period, indicator_id, request, form, session, principal)


def _add_period(
    indicator_id: int, request: Request, form: Any, session: Session, principal: Principal | None
) -> Response:
    ref = writable(session, principal, edit.project_of(session, indicator_id=indicator_id))
    body = rf.period_body(form)

    def save() -> str:
        data = validated(PeriodIn, body, what=_("The period"))
        with session.begin_nested():
            made = edit.add_period(
                session=session, indicator_id=indicator_id, data=data, author=who(principal)
            )
        return f"/projects/{ref}#period-{made['id']}"

    where, errors = attempt(save, {}, "start")
    if where:
        return redirect(where)
    indicator = edit.get_indicator(session=session, indicator_id=indicator_id)
    values, rows = _typed(form)
    return period_page(request, ref, indicator, values, errors, rows=rows, status=422)


@router.get("/periods/{period_id}/edit")
def edit_period_form(
    period_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    ref = writable(session, principal, edit.project_of(session, period_id=period_id))
    period = results.get_period(session=session, period_id=period_id)
    indicator = _indicator_of(session, period_id)
    values = rf.stored_values(period)
    rows = period["disaggregations"]
    return period_page(
        request, ref, indicator, values, {}, period=period, rows=rows, session=session
    )


def _indicator_of(session: Session, period_id: int) -> dict[str, Any]:
    indicator_id = results.fetch_period(session, period_id).indicator_id
    return edit.get_indicator(session=session, indicator_id=indicator_id)


@router.post("/periods/{period_id}/edit")
async def edit_period(
    period_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(save_period, period_id, request, form, session, principal)


def save_period(
    period_id: int, request: Request, form: Any, session: Session, principal: Principal | None
) -> Response:
    """Save a period's form (the full form, or the values row of the project page)."""
    ref = writable(session, principal, edit.project_of(session, period_id=period_id))
    full = form_text(form, "full") == "1"
    body = rf.period_body(form) if full else _values_only(form)

    def save() -> str:
        data = validated(
            PeriodUpdate, {**body, "version": form_version(form)}, what=_("The period")
        )
        with session.begin_nested():
            results.update_period(
                session=session, period_id=period_id, data=data, author=who(principal)
            )
        return f"/projects/{ref}#period-{period_id}"

    where, errors = attempt(save, {}, "start")
    if where:
        return redirect(where)
    period = results.get_period(session=session, period_id=period_id)
    indicator = _indicator_of(session, period_id)
    if full:
        values, rows = _typed(form)
    else:  # the row of the project page: its values on the full form
        values = {**rf.stored_values(period), **{k: form_text(form, k) for k in form}}
        rows = period["disaggregations"]
    return period_page(
        request, ref, indicator, values, errors, period=period, rows=rows, status=422
    )


def _values_only(form: Any) -> dict[str, Any]:
    """The target, actual and note of the project page's row (other fields unchanged)."""
    body: dict[str, Any] = {}
    for name in ("target", "actual"):
        if name in form:
            body[name] = rf.number(form_text(form, name))
    if "actual_comment" in form:
        body["actual_comment"] = form_text(form, "actual_comment")
    return body


@router.post("/periods/{period_id}/delete")
async def delete_period(
    period_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_delete_period, period_id, request, form, session, principal)


def _delete_period(
    period_id: int, request: Request, form: Any, session: Session, principal: Principal | None
) -> Response:
    ref = writable(session, principal, edit.project_of(session, period_id=period_id))
    period = results.get_period(session=session, period_id=period_id)
    indicator = _indicator_of(session, period_id)
    errors = confirmed(form)
    if not errors:

        def save() -> str:
            with session.begin_nested():
                edit.delete_period(
                    session=session,
                    period_id=period_id,
                    version=form_version(form),
                    author=who(principal),
                )
            return f"/projects/{ref}#indicator-{indicator['id']}"

        where, errors = attempt(save, {}, "confirm")
        if where:
            return redirect(where)
    errors = {"confirm": errors.get("confirm") or errors.get("_form", "")}
    values = rf.stored_values(period)
    rows = period["disaggregations"]
    return period_page(
        request, ref, indicator, values, errors, period=period, rows=rows, status=422
    )
