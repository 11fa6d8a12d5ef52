"""Finance pages: add, edit and delete a project's budgets and transactions; the
exchange-rate table (everyone reads it, the secretariat keeps it); and the finance
parts of the project page (``_project_finance.html``) and of the home page
(``_home_finance.html``), with the rates each converted total used and the rates
it lacks.

Who may: a project's budgets and transactions are changed by those who may change
the project (``policy.project_for(write=True)``: its party's focal points, the
secretariat); exchange rates by the secretariat. The form posts are ``async`` only to
read the form; the database work runs in a worker thread.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub.accounts.permissions import Principal
from bakuhub.errors import BakuhubError, validated
from bakuhub.i18n import N_, _
from bakuhub.registry import service as registry
from bakuhub.registry.catalog import RESOURCES
from bakuhub.results import finance, finance_edit
from bakuhub.results.finance_schemas import BudgetUpdate, TransactionUpdate
from bakuhub.results.iati_live import RecordKind
from bakuhub.web import policy
from bakuhub.web.deps import IdPath, PrincipalDep, SessionDep
from bakuhub.web.pages import finance_forms as forms
from bakuhub.web.pages import finance_rates, iati_live
from bakuhub.web.pages.common import form_version, redirect, render, who
from bakuhub.web.pages.finance_forms import errors_of
from bakuhub.web.pages.finance_views import (
    confirm_page,
    finance_chart,
    home_missing,
    rate_links,
)

router = APIRouter(include_in_schema=False)
router.include_router(finance_rates.router)
CURRENCY = "USD"
"""The currency of the converted totals on the home and project pages."""


@dataclass(frozen=True)
class Kind:
    """Budgets or transactions: their services and words."""

    name: str
    one: str
    id_name: str
    add_title: str
    edit_title: str
    add: Callable[..., dict[str, Any]]
    get: Callable[..., dict[str, Any]]
    update: Callable[..., dict[str, Any]]
    delete: Callable[..., None]
    change: type[BaseModel]


KINDS = {
    "budgets": Kind(
        "budgets",
        "budget",
        "budget_id",
        N_("Add a budget"),
        N_("Edit budget {id}"),
        finance.add_budget,
        finance_edit.get_budget,
        finance_edit.update_budget,
        finance_edit.delete_budget,
        BudgetUpdate,
    ),
    "transactions": Kind(
        "transactions",
        "transaction",
        "transaction_id",
        N_("Add a transaction"),
        N_("Edit transaction {id}"),
        finance.add_transaction,
        finance_edit.get_transaction,
        finance_edit.update_transaction,
        finance_edit.delete_transaction,
        TransactionUpdate,
    ),
}


# ---- the project and home pages --------------------------------------------------------


def project_finance_context(
    session: Session, principal: Principal | None, project: dict[str, Any]
) -> dict[str, Any]:
    """What ``_project_finance.html`` shows on a project's page."""
    public = principal is None
    money = finance.project_finance(
        session=session, project_ref=project["ref"], published_only=public
    )
    converted = finance.totals(
        session=session,
        by="project",
        currency=CURRENCY,
        project_ref=project["ref"],
        published_only=public,
        partial=True,
    )
    sums = converted["groups"][0] if converted["groups"] else {}
    return {
        "finance": money,
        "finance_names": forms.names(),
        "finance_chart": finance_chart(money),
        "finance_totals": {
            "currency": CURRENCY,
            "sums": sums,
            "rates": rate_links(converted["rates_used"]),
            "missing": home_missing(converted["missing"], principal),
        },
        "can_edit_finance": principal is not None
        and policy.belongs(principal, "projects", project),
    }


def home_finance(
    session: Session, principal: Principal | None, currency: str = CURRENCY
) -> dict[str, Any]:
    """Committed and disbursed over the projects the reader sees (public: published).

    Values without an exchange rate are left out, never guessed; the missing rates
    are named as the reader may act on them (``finance_views.home_missing``).
    """
    table = finance.totals(
        session=session,
        by="project",
        currency=currency,
        published_only=principal is None,
        partial=True,
    )
    sums: dict[str, Decimal] = {"commitment": Decimal(0), "disbursement": Decimal(0)}
    for group in table["groups"]:
        for kind in sums:
            sums[kind] += Decimal(str(group.get(kind, 0)))
    return {
        "currency": currency,
        "committed": sums["commitment"],
        "disbursed": sums["disbursement"],
        "rates": rate_links(table["rates_used"]),
        "missing": home_missing(table["missing"], principal),
    }


# ---- budget and transaction forms -----------------------------------------------------


def _parties(session: Session) -> list[tuple[str, str]]:
    page = registry.list_records(session=session, resource=RESOURCES["parties"], limit=500)
    return [(p["ref"], f"{p['name']} ({p['ref']})") for p in page.items]


def _item_page(
    request: Request,
    session: Session,
    kind: Kind,
    project: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str],
    item: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    base = f"/projects/{project['ref']}/{kind.name}"
    parties = _parties(session) if kind.name == "transactions" else None
    inputs = forms.inputs(kind.name, values, errors, parties)
    context = {
        "title": _(kind.edit_title).format(id=item["id"]) if item else _(kind.add_title),
        "one": kind.one,
        "project": project,
        "item": item,
        "inputs": inputs,
        "form_error": errors.get(forms.FORM, ""),
        "action": f"{base}/{item['id']}/edit" if item else f"{base}/new",
        "version": values.get("version") or (item or {}).get("version", ""),
        "back": f"/projects/{project['ref']}#finance",
        "reload": f"{base}/{item['id']}/edit" if item else "",
    }
    if item is not None and not errors:  # the user's own errors come first
        record: RecordKind = "budget" if kind.name == "budgets" else "transaction"
        names = {i.name for i in inputs}
        context["iati"] = iati_live.for_form(session, project["ref"], record, item["id"], names)
    return render(request, "finance_form.html", context, status_code=status_code)


def new_item(
    kind: str, ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    project = policy.project_for(session, principal, ref, write=True)
    defaults = {"kind": "original", "status": "indicative"} if kind == "budgets" else {}
    return _item_page(request, session, KINDS[kind], project, defaults, {})


async def add_item(
    kind: str, ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_save, KINDS[kind], ref, None, request, form, session, principal)


def edit_item(
    kind: str,
    ref: str,
    item_id: IdPath,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    project = policy.project_for(session, principal, ref, write=True)
    spec = KINDS[kind]
    item = spec.get(session=session, project_ref=ref, **{spec.id_name: item_id})
    values = forms.stored_values(kind, item)
    return _item_page(request, session, spec, project, values, {}, item)


async def change_item(
    kind: str,
    ref: str,
    item_id: IdPath,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    form = await request.form()
    spec = KINDS[kind]
    return await run_in_threadpool(_save, spec, ref, item_id, request, form, session, principal)


def _save(
    kind: Kind,
    ref: str,
    item_id: int | None,
    request: Request,
    form: Any,
    session: Session,
    principal: Principal | None,
) -> Response:
    """Add (``item_id`` None) or change a budget or transaction from its form."""
    project = policy.project_for(session, principal, ref, write=True)
    ids = {kind.id_name: item_id} if item_id is not None else {}
    item = kind.get(session=session, project_ref=ref, **ids) if item_id is not None else None
    payload, values, errors = forms.decode(kind.name, form, item)
    values["version"] = str(form_version(form)) if item else ""
    if payload is not None:
        try:
            with session.begin_nested():
                if item is None:
                    kind.add(session=session, project_ref=ref, data=payload, author=who(principal))
                    done = "added"
                else:
                    body = {**payload.model_dump(mode="json"), "version": form_version(form)}
                    change = validated(kind.change, body)
                    kind.update(
                        session=session, data=change, author=who(principal), project_ref=ref, **ids
                    )
                    done = "saved"
            return redirect(f"/projects/{ref}?finance={kind.one}-{done}#finance")
        except BakuhubError as exc:
            errors = errors_of(kind.name, exc)
    return _item_page(request, session, kind, project, values, errors, item, 422)


def confirm_item(
    kind: str,
    ref: str,
    item_id: IdPath,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    project = policy.project_for(session, principal, ref, write=True)
    spec = KINDS[kind]
    item = spec.get(session=session, project_ref=ref, **{spec.id_name: item_id})
    return confirm_page(request, spec.one, project, item, f"/projects/{ref}/{kind}", "")


async def delete_item(
    kind: str,
    ref: str,
    item_id: IdPath,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    form = await request.form()
    spec = KINDS[kind]
    return await run_in_threadpool(_delete, spec, ref, item_id, request, form, session, principal)


def _delete(
    kind: Kind,
    ref: str,
    item_id: int,
    request: Request,
    form: Any,
    session: Session,
    principal: Principal | None,
) -> Response:
    project = policy.project_for(session, principal, ref, write=True)
    ids = {kind.id_name: item_id}
    item = kind.get(session=session, project_ref=ref, **ids)
    try:
        with session.begin_nested():
            kind.delete(
                session=session,
                version=form_version(form),
                author=who(principal),
                project_ref=ref,
                **ids,
            )
    except BakuhubError as exc:
        message = errors_of(kind.name, exc).popitem()[1]
        base = f"/projects/{ref}/{kind.name}"
        return confirm_page(request, kind.one, project, item, base, message, exc.status_code)
    return redirect(f"/projects/{ref}?finance={kind.one}-deleted#finance")


# ---- wiring: one set of routes per kind, the id named after it -------------------------


def _endpoint(handler: Callable[..., Any], kind: str, id_name: str) -> Callable[..., Any]:
    """``handler`` with ``kind`` fixed and its ``item_id`` parameter named ``id_name``."""
    signature = inspect.signature(handler)
    params = [
        p.replace(name=id_name) if p.name == "item_id" else p
        for p in signature.parameters.values()
        if p.name != "kind"
    ]

    def arguments(given: dict[str, Any]) -> dict[str, Any]:
        if id_name in given:
            given["item_id"] = given.pop(id_name)
        return {**given, "kind": kind}

    call: Any
    if inspect.iscoroutinefunction(handler):

        async def call_async(**given: Any) -> Any:
            return await handler(**arguments(given))

        call = call_async
    else:

        def call_sync(**given: Any) -> Any:
            return handler(**arguments(given))

        call = call_sync
    call.__signature__ = signature.replace(parameters=params)
    call.__name__ = f"{handler.__name__}_{kind}"
    call.__wrapped__ = handler  # reviewers (tests/security/test_event_loop.py) read the handler
    return call  # type: ignore[no-any-return]


for _kind in KINDS.values():
    _base = f"/projects/{{ref}}/{_kind.name}"
    _item = f"{_base}/{{{_kind.id_name}}}"
    for _path, _method, _handler in (
        (f"{_base}/new", "GET", new_item),
        (f"{_base}/new", "POST", add_item),
        (f"{_item}/edit", "GET", edit_item),
        (f"{_item}/edit", "POST", change_item),
        (f"{_item}/delete", "GET", confirm_item),
        (f"{_item}/delete", "POST", delete_item),
    ):
        _call = _endpoint(_handler, _kind.name, _kind.id_name)
        router.add_api_route(_path, _call, methods=[_method])
