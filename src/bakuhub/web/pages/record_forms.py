"""Create and edit forms of the record (parties, agreements, working groups, projects).

The forms apply the same checks as the JSON API (``bakuhub.web.policy``); the posts
are ``async`` only to read the form, the database work runs in a worker thread.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub.accounts.permissions import Principal
from bakuhub.errors import BakuhubError, NotFound
from bakuhub.registry import service
from bakuhub.registry.catalog import AGREEMENTS, RESOURCES
from bakuhub.registry.resources import Resource
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages import forms
from bakuhub.web.pages.common import bind, form_version, redirect, render

router = APIRouter(include_in_schema=False)
KINDS = ("parties", "agreements", "working-groups", "projects")


def resource_named(kind: str) -> Resource:
    """The record type of a page's path segment (404 for an unknown one)."""
    if kind not in RESOURCES:
        raise NotFound(f"There is no page '{kind}'.")
    return RESOURCES[kind]


def record_refs(session: Session, published_only: bool = False) -> dict[str, list[str]]:
    """The refs a form's reference fields choose from."""
    agreements = service.list_refs(
        session=session, resource=AGREEMENTS, published_only=published_only
    )
    return {"agreement": agreements, "parent": agreements}


def _form_page(
    request: Request,
    session: Session,
    principal: Principal | None,
    resource: Resource,
    values: dict[str, Any],
    errors: dict[str, str],
    record: dict[str, Any] | None,
    status_code: int = 200,
) -> Response:
    staff = bool(principal and principal.is_staff)
    inputs = forms.fields(
        resource, values, errors, creating=record is None, staff=staff, refs=record_refs(session)
    )
    context = {
        "resource": resource,
        "inputs": inputs,
        "record": record,
        "form_error": errors.get("_form", ""),
        "action": f"/{resource.name}/{record['ref']}/edit" if record else f"/{resource.name}/new",
    }
    return render(request, "form.html", context, status_code=status_code)


def new_form(kind: str, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    resource = resource_named(kind)
    policy.check_may_create(principal, resource)
    values: dict[str, Any] = {"published": True}
    if principal is not None and not principal.is_staff and kind == "projects":
        values["organisations"] = f"{principal.party_ref}:implementing"
    return _form_page(request, session, principal, resource, values, {}, None)


async def create(
    kind: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_create, kind, request, session, principal, form)


def _create(
    kind: str, request: Request, session: Session, principal: Principal | None, form: Any
) -> Response:
    resource = resource_named(kind)
    policy.check_may_create(principal, resource)
    payload, values, errors = forms.decode(resource, form)
    if payload is not None:
        try:
            allowed = policy.check_create(principal, resource, payload)
            with session.begin_nested():
                out = service.create_record(
                    session=session, resource=resource, data=allowed, author=_who(principal)
                )
            return redirect(f"/{kind}/{out['ref']}")
        except BakuhubError as exc:
            if exc.status_code in (401, 403):
                raise
            errors = _errors_of(exc)
    return _form_page(request, session, principal, resource, values, errors, None, 422)


def _who(principal: Principal | None) -> str:
    return principal.username if principal else "anonymous"


def _errors_of(exc: BakuhubError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for d in exc.details:
        loc = d.get("loc") or []
        errors.setdefault(str(loc[0]) if loc else "_form", str(d.get("msg", exc.message)))
    return errors or {"_form": exc.message}


def edit_form(
    kind: str, ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    resource = resource_named(kind)
    record = service.get_record(session=session, resource=resource, ref=ref)
    policy.check_update(principal, resource, record, resource.update(version=record["version"]))
    values = forms.encode(resource, record)
    return _form_page(request, session, principal, resource, values, {}, record)


async def edit(
    kind: str, ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_edit, kind, ref, request, session, principal, form)


def _edit(
    kind: str, ref: str, request: Request, session: Session, principal: Principal | None, form: Any
) -> Response:
    resource = resource_named(kind)
    record = service.get_record(session=session, resource=resource, ref=ref)
    policy.check_update(principal, resource, record, resource.update(version=record["version"]))
    keep: dict[str, Any] = {"ref": ref}
    if not (principal and principal.is_staff):
        keep["published"] = record["published"]
    items = forms.EDITED_BY_ITEM.get(kind, frozenset())
    if items:
        plain = resource.out.model_validate(record).model_dump(mode="json")
        keep.update({name: plain[name] for name in items})
    payload, values, errors = forms.decode(resource, form, keep=keep)
    if payload is not None:
        try:
            changes = {**payload.model_dump(exclude={"ref"}), "version": record["version"]}
            policy.check_update(principal, resource, record, resource.update(**changes))
            with session.begin_nested():
                row = service.fetch(session=session, resource=resource, ref=ref)
                service.replace_record(
                    session=session,
                    resource=resource,
                    row=row,
                    data=payload,
                    author=_who(principal),
                    version=form_version(form),
                )
            return redirect(f"/{kind}/{ref}")
        except BakuhubError as exc:
            if exc.status_code in (401, 403):
                raise
            errors = _errors_of(exc)
    return _form_page(request, session, principal, resource, values, errors, record, 422)


for _kind in KINDS:
    router.add_api_route(f"/{_kind}/new", bind(new_form, kind=_kind), methods=["GET"])
    router.add_api_route(f"/{_kind}/new", bind(create, kind=_kind), methods=["POST"])
    router.add_api_route(f"/{_kind}/{{ref}}/edit", bind(edit_form, kind=_kind), methods=["GET"])
    router.add_api_route(f"/{_kind}/{{ref}}/edit", bind(edit, kind=_kind), methods=["POST"])
