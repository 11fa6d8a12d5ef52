"""Create and edit forms of the record (parties, agreements, working groups, projects).

The forms apply the same checks as the JSON API (``bakuhub.web.policy``); the posts
are ``async`` only to read the form, the database work runs in a worker thread.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub.accounts.permissions import Forbidden, Principal
from bakuhub.errors import BakuhubError, NotFound, RefTaken, as_sentence
from bakuhub.i18n import _
from bakuhub.registry import service
from bakuhub.registry.catalog import RESOURCES
from bakuhub.registry.refs import UnknownRef
from bakuhub.registry.resources import Resource
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages import forms, iati_live
from bakuhub.web.pages.common import bind, form_version, redirect, render, who

router = APIRouter(include_in_schema=False)
KINDS = ("parties", "agreements", "working-groups", "projects")
OWN_PARTY_LIST = {"projects": "organisations", "working-groups": "parties"}
"""The list a focal point's own party is filled into on a new record (shown, removable)."""


def resource_named(kind: str) -> Resource:
    """The record type of a page's path segment (404 for an unknown one)."""
    if kind not in RESOURCES:
        raise NotFound(_("There is no page '{name}'.").format(name=kind))
    return RESOURCES[kind]


def choices(session: Session) -> forms.Choices:
    """The pickers' options: parties and agreements as "Name (ref)", sorted by name."""
    out: forms.Choices = {}
    for source, kind, text in (
        ("parties", "parties", "name"),
        ("agreements", "agreements", "title"),
    ):
        page = service.list_records(session=session, resource=RESOURCES[kind], limit=100_000)
        named = sorted((str(r.get(text) or r["ref"]), str(r["ref"])) for r in page.items)
        out[source] = [(ref, f"{name} ({ref})") for name, ref in named]
    return out


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
    """The form; an unchanged project's form (no errors) with its IATI findings as saved."""
    staff = bool(principal and principal.is_staff)
    notes = _notes(principal, resource) if record is None else {}
    inputs = forms.fields(
        resource,
        values,
        errors,
        creating=record is None,
        staff=staff,
        choices=choices(session),
        notes=notes,
    )
    context = {
        "resource": resource,
        "inputs": inputs,
        "record": record,
        "errors": forms.summary(inputs),
        "form_error": errors.get("_form", ""),
        "action": f"/{resource.name}/{record['ref']}/edit" if record else f"/{resource.name}/new",
    }
    if record is not None and resource.name == "projects" and not errors:
        names = {f.name for f in inputs}
        context["iati"] = iati_live.for_form(session, record["ref"], "project", inputs=names)
    return render(request, "form.html", context, status_code=status_code)


def new_form(kind: str, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    resource = resource_named(kind)
    policy.check_may_create(principal, resource)
    values: dict[str, Any] = {"published": True}
    if principal is not None and not principal.is_staff and principal.party_ref:
        if kind == "projects":
            values["organisations"] = [{"party": principal.party_ref, "role": "implementing"}]
        if kind == "working-groups":
            values["parties"] = [{"party": principal.party_ref}]
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
    payload, values, errors = _decode(resource, form)
    status = 422
    if payload is not None:
        try:
            allowed = policy.check_create(principal, resource, payload)
            with session.begin_nested():
                out = service.create_record(
                    session=session, resource=resource, data=allowed, author=who(principal)
                )
            return redirect(f"/{kind}/{out['ref']}")
        except Forbidden as exc:
            if principal is None or principal.is_staff:
                raise
            errors, status = _not_yours(principal, resource), exc.status_code
        except BakuhubError as exc:
            if exc.status_code in (401, 403):
                raise
            errors = _errors_of(resource, exc)
    return _form_page(request, session, principal, resource, values, errors, None, status)


def _number(text: Any) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _date(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return None


def cross_checks(kind: str, payload: dict[str, Any]) -> dict[str, str]:
    """The schema's rules across fields, checked on what was typed, in plain words.

    The schema checks them only once every field is valid (and stops at the first);
    here they are all reported in the same answer, beside the input to change.
    """
    out: dict[str, str] = {}
    if kind == "projects":
        rows = payload.get("countries") or []
        shares = [_number(r.get("share")) for r in rows]
        if rows and None not in shares:
            total = sum(s or 0 for s in shares)
            if abs(total - 100.0) > 0.01:
                out["countries"] = _(
                    "Countries: the shares add up to {total} %, not 100 %; change them so that "
                    "they add up to 100."
                ).format(total=f"{total:g}")
        codes = [r.get("country") for r in rows if r.get("country")]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            out.setdefault(
                "countries",
                _("Countries: {codes} is listed twice; keep one row each.").format(
                    codes=", ".join(twice)
                ),
            )
        lat, lon = payload.get("latitude"), payload.get("longitude")
        if bool(lat) != bool(lon):
            if lat:
                out["longitude"] = _(
                    "Longitude is missing; give both latitude and longitude, or neither."
                )
            else:
                out["latitude"] = _(
                    "Latitude is missing; give both latitude and longitude, or neither."
                )
        start, end = _date(payload.get("planned_start")), _date(payload.get("planned_end"))
        if start and end and end < start:
            out["planned_end"] = _(
                "Planned end ({end}) is before planned start ({start}); correct one of them."
            ).format(end=end, start=start)
    if kind == "parties":
        if payload.get("kind") == "country" and not payload.get("iso3"):
            out["iso3"] = _("Country is required for a party of kind country; choose it.")
        if payload.get("kind") == "organisation":
            if not payload.get("name"):
                out["name"] = _("Name is required for an organisation; fill it in.")
            if not payload.get("org_type"):
                out["org_type"] = _("Organisation type is required for an organisation; choose it.")
    return out


def _decode(
    resource: Resource, form: Any, keep: dict[str, Any] | None = None
) -> tuple[BaseModel | None, dict[str, Any], dict[str, str]]:
    """``forms.decode`` with the rules across fields, so every error comes at once."""
    payload, values, errors = forms.decode(resource, form, keep=keep)
    for key, message in cross_checks(resource.name, values).items():
        errors.setdefault(key, message)
    return (None if errors else payload), values, errors


def _notes(principal: Principal | None, resource: Resource) -> dict[str, str]:
    """A note beside the list a focal point's own party is filled into."""
    party = principal.party_ref if principal and not principal.is_staff else None
    if not party or resource.name not in OWN_PARTY_LIST:
        return {}
    name = OWN_PARTY_LIST[resource.name]
    if principal and principal.party_iso3:
        note = _(
            "Your party, {party}, is filled in below. Remove that row if it does not take "
            "part in this {what}; the {what} must still name {party} here or as a recipient "
            "country, as only the secretariat creates records of other parties."
        )
    else:
        note = _(
            "Your party, {party}, is filled in below. Remove that row if it does not take "
            "part in this {what}; the {what} must still name {party} here, as only the "
            "secretariat creates records of other parties."
        )
    return {name: note.format(party=party, what=_(resource.label))}


def _not_yours(principal: Principal, resource: Resource) -> dict[str, str]:
    """The error beside the party list when a focal point's party is left out."""
    party = principal.party_ref or _("your party")
    if principal.party_iso3:
        text = _(
            "Your party, {party}, is not named in this {what}: add {party} in a row here or "
            "choose it as a recipient country. As focal point you can only save {records} your "
            "party takes part in."
        )
    else:
        text = _(
            "Your party, {party}, is not named in this {what}: add {party} in a row here. As "
            "focal point you can only save {records} your party takes part in."
        )
    return {
        OWN_PARTY_LIST.get(resource.name, "_form"): text.format(
            party=party, what=_(resource.label), records=_(resource.plural)
        )
    }


def _errors_of(resource: Resource, exc: BakuhubError) -> dict[str, str]:
    """A service's refusal beside the inputs it names (unknown refs, a taken ref...)."""
    errors: dict[str, str] = {}
    for d in exc.details:
        key, label = forms.where(resource, list(d.get("loc") or []))
        msg = str(d.get("msg", exc.message))
        if isinstance(exc, UnknownRef) and exc.kind == "party":
            msg = _("{label}: there is no party '{ref}'; choose one from the list").format(
                label=label, ref=exc.ref
            )
        elif isinstance(exc, UnknownRef):
            msg = _("{label}: there is no agreement '{ref}'; choose one from the list").format(
                label=label, ref=exc.ref
            )
        errors.setdefault(key, forms.sentence(msg) if key == "_form" else as_sentence(msg))
    if not errors and isinstance(exc, RefTaken) and "ref" in resource.create.model_fields:
        errors["ref"] = as_sentence(
            _("Ref: {message}").format(message=f"{exc.message[:1].lower()}{exc.message[1:]}")
        )
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
    payload, values, errors = _decode(resource, form, keep)
    status = 422
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
                    author=who(principal),
                    version=form_version(form),
                )
            return redirect(f"/{kind}/{ref}")
        except Forbidden as exc:  # the record may be edited: the change gives it away
            if principal is None or principal.is_staff:
                raise
            errors, status = _not_yours(principal, resource), exc.status_code
        except BakuhubError as exc:
            if exc.status_code in (401, 403):
                raise
            errors = _errors_of(resource, exc)
    return _form_page(request, session, principal, resource, values, errors, record, status)


for _kind in KINDS:
    router.add_api_route(f"/{_kind}/new", bind(new_form, kind=_kind), methods=["GET"])
    router.add_api_route(f"/{_kind}/new", bind(create, kind=_kind), methods=["POST"])
    router.add_api_route(f"/{_kind}/{{ref}}/edit", bind(edit_form, kind=_kind), methods=["GET"])
    router.add_api_route(f"/{_kind}/{{ref}}/edit", bind(edit, kind=_kind), methods=["POST"])
