"""Pages that edit a results framework piece by piece: add or edit a result, an
indicator (with its baseline), a period (target, actual, disaggregations), and delete
each after a confirmation tick.

Who may: the secretariat, or a focal point of the project's party (``policy``), the
same check as the JSON API. Form posts are ``async`` only to read the form; the work
runs in a worker thread. A refused form comes back with every error beside its input
and what was typed kept (HTTP 422).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub.accounts.permissions import Principal
from bakuhub.errors import BakuhubError, InvalidInput, validated
from bakuhub.i18n import _
from bakuhub.results import framework_edit as edit
from bakuhub.results import service as results
from bakuhub.results.schemas import IndicatorIn, IndicatorUpdate, ResultIn, ResultUpdate
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages import iati_live
from bakuhub.web.pages import results_forms as rf
from bakuhub.web.pages.common import form_text, redirect, render, who

router = APIRouter(include_in_schema=False)
INDICATOR_NAMES = {"title": "indicator"}
"""Inputs named differently from the API field on the add-result form."""


def writable(session: Session, principal: Principal | None, ref: str) -> str:
    """The project's ref, when the principal may change its results (else 401/403)."""
    policy.project_for(session, principal, ref, write=True)
    return ref


# ---- rendering -----------------------------------------------------------------------


def page(request: Request, context: dict[str, Any], status_code: int = 200) -> Response:
    """The results form page (``results_form.html``) with these inputs."""
    base = {"form_error": "", "rows": None, "delete_action": None, "delete_error": ""}
    full = {**base, **context}
    inputs = [i for _title, group in full["sections"] for i in group]
    full["has_errors"] = bool(
        any(i.error for i in inputs)
        or full.get("rows_error")
        or any(r.error for r in full["rows"] or [])
    )
    return render(request, "results_form.html", full, status_code=status_code)


def _refused(exc: BakuhubError, names: dict[str, str], fallback: str) -> dict[str, str]:
    """Errors per input from a refused change (401/403 raised on)."""
    if exc.status_code in (401, 403):
        raise exc
    if isinstance(exc, InvalidInput) and exc.details:
        return rf.errors_by_input(exc.details, names, fallback)
    return {"_form": exc.message}


Save = Callable[[], str]
"""Make the change; the address to go to after it."""


def attempt(save: Save, names: dict[str, str], fallback: str) -> tuple[str | None, dict[str, str]]:
    """(where to go, {}) after a saved change, or (None, errors per input)."""
    try:
        return save(), {}
    except BakuhubError as exc:
        return None, _refused(exc, names, fallback)


# ---- a result ---------------------------------------------------------------------------


def _new_result_page(
    request: Request, ref: str, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    context = {
        "heading": _("Add a result"),
        "project": ref,
        "action": f"/projects/{ref}/results/new",
        "button": _("Add result"),
        "sections": [
            (_("The result"), rf.result_inputs(values, errors)),
            (_("Its first indicator"), rf.indicator_inputs(values, errors, title_name="indicator")),
            (_("The indicator's first period (optional)"), _first_period(values, errors)),
        ],
        "form_error": errors.get("_form", ""),
        "full": True,
    }
    return page(request, context, status)


def _first_period(values: dict[str, Any], errors: dict[str, str]) -> list[rf.Input]:
    inputs = rf.period_inputs(values, errors, values.get("measure") or "unit")
    return [i for i in inputs if i.name in ("start", "end", "target", "target_comment")]


@router.get("/projects/{ref}/results/new")
def new_result(
    ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    writable(session, principal, ref)
    defaults = {"kind": "output", "measure": "unit", "direction": "higher"}
    return _new_result_page(request, ref, {**defaults, "include_in_rollup": True}, {})


@router.post("/projects/{ref}/results/new")
async def add_result(
    ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_add_result, ref, request, form, session, principal)


def _add_result(
    ref: str, request: Request, form: Any, session: Session, principal: Principal | None
) -> Response:
    """Add a result with its first indicator and, when dated, its first period."""
    writable(session, principal, ref)
    body = rf.result_body(form)
    indicator = rf.indicator_body(form, title_name="indicator")
    indicator["title"] = indicator["title"] or body["title"]
    period = rf.period_body(form)
    dated = period["start"] or period["end"] or period.get("target") is not None
    indicator["periods"] = [period] if dated else []
    body["indicators"] = [indicator]

    def save() -> str:
        data = validated(ResultIn, body, what=_("The result"))
        with session.begin_nested():
            results.add_result(session=session, project_ref=ref, data=data, author=who(principal))
        return f"/projects/{ref}#results"

    names = {**INDICATOR_NAMES, "description": "description"}
    where, errors = attempt(save, names, "title")
    if where:
        return redirect(where)
    values = {k: form_text(form, k) for k in form}
    values["include_in_rollup"] = indicator["include_in_rollup"]
    return _new_result_page(request, ref, values, errors, 422)


@router.get("/results/{result_id}/edit")
def edit_result_form(
    result_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    ref = writable(session, principal, edit.project_of(session, result_id=result_id))
    result = edit.get_result(session=session, result_id=result_id)
    return _result_page(request, ref, result, rf.stored_values(result), {}, session=session)


def _result_page(
    request: Request,
    ref: str,
    result: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    session: Session | None = None,
) -> Response:
    """A result's form; with ``session`` (a form just opened) its IATI findings too."""
    context = {
        "heading": _("Edit the result “{title}”").format(title=result["title"]),
        "project": ref,
        "action": f"/results/{result['id']}/edit",
        "button": _("Save result"),
        "sections": [("", rf.result_inputs(values, errors))],
        "form_error": errors.get("_form", ""),
        "delete_action": f"/results/{result['id']}/delete",
        "delete_what": _("Yes, delete this result, its indicators and their periods"),
        "delete_error": errors.get("confirm", ""),
    }
    if session is not None:
        context = iati_live.with_sections(context, session, ref, "result", result["id"])
    return page(request, context, status)


@router.post("/results/{result_id}/edit")
async def edit_result(
    result_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_edit_result, result_id, request, form, session, principal)


def _edit_result(
    result_id: int, request: Request, form: Any, session: Session, principal: Principal | None
) -> Response:
    ref = writable(session, principal, edit.project_of(session, result_id=result_id))
    body = rf.result_body(form)

    def save() -> str:
        data = validated(ResultUpdate, body, what=_("The result"))
        with session.begin_nested():
            edit.update_result(
                session=session, result_id=result_id, data=data, author=who(principal)
            )
        return f"/projects/{ref}#result-{result_id}"

    where, errors = attempt(save, {}, "title")
    if where:
        return redirect(where)
    result = edit.get_result(session=session, result_id=result_id)
    return _result_page(request, ref, result, body, errors, 422)


@router.post("/results/{result_id}/delete")
async def delete_result(
    result_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_delete_result, result_id, request, form, session, principal)


def _delete_result(
    result_id: int, request: Request, form: Any, session: Session, principal: Principal | None
) -> Response:
    ref = writable(session, principal, edit.project_of(session, result_id=result_id))
    result = edit.get_result(session=session, result_id=result_id)
    errors = confirmed(form)
    if not errors:

        def save() -> str:
            with session.begin_nested():
                results.delete_result(session=session, result_id=result_id, author=who(principal))
            return f"/projects/{ref}#results"

        where, errors = attempt(save, {}, "confirm")
        if where:
            return redirect(where)
    errors = {"confirm": errors.get("confirm") or errors.get("_form", "")}
    return _result_page(request, ref, result, rf.stored_values(result), errors, 422)


def confirmed(form: Any) -> dict[str, str]:
    """No error when the deletion was confirmed by its tick."""
    if form_text(form, "confirm") == "yes":
        return {}
    return {"confirm": _("Tick the box to confirm the deletion; nothing was deleted.")}


# ---- an indicator ------------------------------------------------------------------------


def _indicator_page(
    request: Request,
    ref: str,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    result: dict[str, Any],
    indicator: dict[str, Any] | None = None,
    status: int = 200,
    session: Session | None = None,
) -> Response:
    """An indicator's form; with ``session`` (a form just opened) its IATI findings too."""
    sections = [("", rf.indicator_inputs(values, errors))]
    if indicator is None:
        sections.append((_("Its first period (optional)"), _first_period(values, errors)))
    context = {
        "heading": _("Add an indicator") if indicator is None else _("Edit the indicator"),
        "subheading": _("of the result “{title}”").format(title=result["title"]),
        "project": ref,
        "action": f"/results/{result['id']}/indicators/new"
        if indicator is None
        else f"/indicators/{indicator['id']}/edit",
        "button": _("Add indicator") if indicator is None else _("Save indicator"),
        "sections": sections,
        "form_error": errors.get("_form", ""),
        "full": True,
    }
    if indicator is not None:
        context["delete_action"] = f"/indicators/{indicator['id']}/delete"
        context["delete_what"] = _("Yes, delete this indicator and its periods")
        context["delete_error"] = errors.get("confirm", "")
        if session is not None:
            context = iati_live.with_sections(context, session, ref, "indicator", indicator["id"])
    return page(request, context, status)


@router.get("/results/{result_id}/indicators/new")
def new_indicator(
    result_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    ref = writable(session, principal, edit.project_of(session, result_id=result_id))
    result = edit.get_result(session=session, result_id=result_id)
    defaults = {"measure": "unit", "direction": "higher", "include_in_rollup": True}
    return _indicator_page(request, ref, defaults, {}, result=result)


@router.post("/results/{result_id}/indicators/new")
async def add_indicator(
    result_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_add_indicator, result_id, request, form, session, principal)


def _add_indicator(
    result_id: int, request: Request, form: Any, session: Session, principal: Principal | None
) -> Response:
    ref = writable(session, principal, edit.project_of(session, result_id=result_id))
    body = rf.indicator_body(form)
    period = rf.period_body(form)
    dated = period["start"] or period["end"] or period.get("target") is not None
    body["periods"] = [period] if dated else []

    def save() -> str:
        data = validated(IndicatorIn, body, what=_("The indicator"))
        with session.begin_nested():
            edit.add_indicator(
                session=session, result_id=result_id, data=data, author=who(principal)
            )
        return f"/projects/{ref}#result-{result_id}"

    where, errors = attempt(save, {}, "title")
    if where:
        return redirect(where)
    result = edit.get_result(session=session, result_id=result_id)
    values = {
        **{k: form_text(form, k) for k in form},
        "include_in_rollup": body["include_in_rollup"],
    }
    return _indicator_page(request, ref, values, errors, result=result, status=422)


@router.get("/indicators/{indicator_id}/edit")
def edit_indicator_form(
    indicator_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    ref = writable(session, principal, edit.project_of(session, indicator_id=indicator_id))
    indicator = edit.get_indicator(session=session, indicator_id=indicator_id)
    values = rf.stored_values(indicator)
    return _indicator_page(
        request, ref, values, {}, result=indicator["result"], indicator=indicator, session=session
    )


@router.post("/indicators/{indicator_id}/edit")
async def edit_indicator(
    indicator_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_edit_indicator, indicator_id, request, form, session, principal)


def _edit_indicator(
    indicator_id: int, request: Request, form: Any, session: Session, principal: Principal | None
) -> Response:
    ref = writable(session, principal, edit.project_of(session, indicator_id=indicator_id))
    body = rf.indicator_body(form)

    def save() -> str:
        data = validated(IndicatorUpdate, body, what=_("The indicator"))
        with session.begin_nested():
            edit.update_indicator(
                session=session, indicator_id=indicator_id, data=data, author=who(principal)
            )
        return f"/projects/{ref}#indicator-{indicator_id}"

    where, errors = attempt(save, {}, "title")
    if where:
        return redirect(where)
    indicator = edit.get_indicator(session=session, indicator_id=indicator_id)
    values = {
        **{k: form_text(form, k) for k in form},
        "include_in_rollup": body["include_in_rollup"],
    }
    return _indicator_page(
        request, ref, values, errors, result=indicator["result"], indicator=indicator, status=422
    )


@router.post("/indicators/{indicator_id}/delete")
async def delete_indicator(
    indicator_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(
        _delete_indicator, indicator_id, request, form, session, principal
    )


def _delete_indicator(
    indicator_id: int, request: Request, form: Any, session: Session, principal: Principal | None
) -> Response:
    ref = writable(session, principal, edit.project_of(session, indicator_id=indicator_id))
    indicator = edit.get_indicator(session=session, indicator_id=indicator_id)
    errors = confirmed(form)
    if not errors:

        def save() -> str:
            with session.begin_nested():
                edit.delete_indicator(
                    session=session, indicator_id=indicator_id, author=who(principal)
                )
            return f"/projects/{ref}#result-{indicator['result']['id']}"

        where, errors = attempt(save, {}, "confirm")
        if where:
            return redirect(where)
    errors = {"confirm": errors.get("confirm") or errors.get("_form", "")}
    values = rf.stored_values(indicator)
    return _indicator_page(
        request, ref, values, errors, result=indicator["result"], indicator=indicator, status=422
    )
