"""The exchange-rate pages: the table with each rate's date and source (everyone), and
the forms that add, change and delete a rate (the secretariat). Included in the finance
pages' router (``pages.finance``). The secretariat also sees the rates the totals lack,
each with a link to this form filled in.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub.accounts.permissions import Principal
from bakuhub.errors import BakuhubError, validated
from bakuhub.i18n import _
from bakuhub.results import exchange
from bakuhub.results.finance_schemas import STAMP, RateUpdate
from bakuhub.results.schemas import RateIn
from bakuhub.web import policy
from bakuhub.web.deps import IdPath, PrincipalDep, SessionDep
from bakuhub.web.pages import finance_forms as forms
from bakuhub.web.pages.common import form_text, redirect, render, who
from bakuhub.web.pages.finance_forms import errors_of
from bakuhub.web.pages.finance_views import confirm_page, rate_links, staff_missing

router = APIRouter(include_in_schema=False)
CURRENCY = "USD"
"""The currency whose missing rates the secretariat is shown (that of the home page)."""


# ---- exchange rates --------------------------------------------------------------------


@router.get("/exchange-rates")
def rates_page(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    staff = principal is not None and principal.is_staff
    context = {
        "title": _("Exchange rates"),
        "rates": rate_links(exchange.list_rates(session=session)),
        "can_edit": staff,
        "missing": staff_missing(session, CURRENCY) if staff else [],
        "changed": form_text(request.query_params, "changed"),
        "currency": CURRENCY,
    }
    return render(request, "finance_rates.html", context)


def _rate_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    rate: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "title": _("Edit exchange rate {id}").format(id=rate["id"])
        if rate
        else _("Add an exchange rate"),
        "inputs": forms.inputs("exchange-rates", values, errors),
        "form_error": errors.get(forms.FORM, ""),
        "action": f"/exchange-rates/{rate['id']}/edit" if rate else "/exchange-rates/new",
        "stamp": values.get("stamp") or (rate or {}).get("stamp", ""),
        "back": "/exchange-rates",
        "reload": f"/exchange-rates/{rate['id']}/edit" if rate else "",
        "item": rate,
        "one": "exchange rate",
    }
    return render(request, "finance_form.html", context, status_code=status_code)


@router.get("/exchange-rates/new")
def new_rate(request: Request, principal: PrincipalDep) -> Response:
    policy.require_staff(principal, _("add exchange rates"))
    asked = request.query_params
    values = {k: form_text(asked, k)[:10] for k in ("currency", "quote", "valid_on")}
    return _rate_page(request, values, {})


@router.post("/exchange-rates/new")
async def add_rate(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    form = await request.form()
    return await run_in_threadpool(_save_rate, None, request, form, session, principal)


@router.get("/exchange-rates/{rate_id}/edit")
def edit_rate(
    rate_id: IdPath, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    policy.require_staff(principal, _("change exchange rates"))
    rate = exchange.get_rate(session=session, rate_id=rate_id)
    return _rate_page(request, forms.stored_values("exchange-rates", rate), {}, rate)


@router.post("/exchange-rates/{rate_id}/edit")
async def change_rate(
    rate_id: IdPath, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_save_rate, rate_id, request, form, session, principal)


def _save_rate(
    rate_id: int | None, request: Request, form: Any, session: Session, principal: Principal | None
) -> Response:
    """Add (``rate_id`` None) or change an exchange rate from its form."""
    policy.require_staff(principal, _("add or change exchange rates"))
    rate = exchange.get_rate(session=session, rate_id=rate_id) if rate_id is not None else None
    payload, values, errors = forms.decode("exchange-rates", form)
    values["stamp"] = form_text(form, "stamp")[:STAMP] if rate else ""
    if payload is not None:
        try:
            with session.begin_nested():
                if rate is None:
                    assert isinstance(payload, RateIn)
                    out = exchange.add_rate(session=session, data=payload, author=who(principal))
                else:
                    stamp = values["stamp"] or "-" * STAMP  # no stamp: refused as stale
                    body = {**payload.model_dump(mode="json"), "stamp": stamp}
                    out = exchange.update_rate(
                        session=session,
                        rate_id=rate["id"],
                        data=validated(RateUpdate, body),
                        author=who(principal),
                    )
            return redirect(f"/exchange-rates?changed={out['id']}#rate-{out['id']}")
        except BakuhubError as exc:
            errors = errors_of("exchange-rates", exc)
    return _rate_page(request, values, errors, rate, 422)


@router.get("/exchange-rates/{rate_id}/delete")
def confirm_rate(
    rate_id: IdPath, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    policy.require_staff(principal, _("delete exchange rates"))
    rate = exchange.get_rate(session=session, rate_id=rate_id)
    return confirm_page(request, "exchange rate", None, rate, "/exchange-rates", "")


@router.post("/exchange-rates/{rate_id}/delete")
async def delete_rate(
    rate_id: IdPath, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_delete_rate, rate_id, request, form, session, principal)


def _delete_rate(
    rate_id: int, request: Request, form: Any, session: Session, principal: Principal | None
) -> Response:
    policy.require_staff(principal, _("delete exchange rates"))
    rate = exchange.get_rate(session=session, rate_id=rate_id)
    stamp = form_text(form, "stamp")[:STAMP] or "-" * STAMP
    try:
        with session.begin_nested():
            exchange.delete_rate(
                session=session, rate_id=rate_id, stamp=stamp, author=who(principal)
            )
    except BakuhubError as exc:
        message = errors_of("exchange-rates", exc).popitem()[1]
        base = "/exchange-rates"
        return confirm_page(request, "exchange rate", None, rate, base, message, exc.status_code)
    return redirect("/exchange-rates?changed=deleted")
