"""Forms for one member, meeting, decision or action item of a working group.

Each item is added, edited or removed on its own (``/working-groups/<ref>/<part>/new``,
``/<part>/<n>/edit``, ``/<part>/<n>/delete``, ``n`` counting from 1 in the order
shown). The change is written as an update of the whole working group through the
registry service, so it is versioned, validated, audited, and allowed by the same
policy as the group's edit form and the API: the secretariat, or a focal point of a
party listed on the group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub import i18n
from bakuhub.accounts.permissions import Principal
from bakuhub.audit import service as audit
from bakuhub.db import utcnow
from bakuhub.errors import BakuhubError, InvalidInput, NotFound, plain_words, validated
from bakuhub.i18n import N_, _
from bakuhub.registry import service
from bakuhub.registry.catalog import GROUPS
from bakuhub.registry.codes import ItemStatus
from bakuhub.registry.schemas import ActionItemIn, DecisionIn, MeetingIn, MemberIn
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages import forms
from bakuhub.web.pages.common import bind, form_text, form_version, redirect, render, who
from bakuhub.web.pages.forms import Field

router = APIRouter(include_in_schema=False)
UNDO_MINUTES = 30
"""How long after removing an item its remover can put it back with one click."""


@dataclass(frozen=True)
class Input:
    """One input of an item form: (name, label, kind, help); label and help are marked
    for translation (translated where shown)."""

    name: str
    label: str
    kind: str = "text"
    help: str = ""
    language: str = ""
    """For a text in another language: its code (the label names the language)."""


@dataclass(frozen=True)
class Part:
    """A list of items on a working group (members, meetings...); ``label`` is marked for
    translation."""

    field: str
    label: str
    schema: type[BaseModel]
    inputs: tuple[Input, ...]

    @property
    def one(self) -> str:
        """The label with its article, in the reader's language: 'a meeting', 'an action
        item'."""
        return _(ONE[self.field])


ONE = {
    "members": N_("a member"),
    "meetings": N_("a meeting"),
    "decisions": N_("a decision"),
    "action_items": N_("an action item"),
}
"""Each part's label with its article (the forms' headings say "Add a meeting")."""


PARTS: dict[str, Part] = {
    "members": Part(
        "members",
        N_("member"),
        MemberIn,
        (
            Input("name", N_("Name")),
            Input("organisation", N_("Organisation")),
            Input("country", N_("Country"), "country"),
            Input("role", N_("Role in the group"), help=N_("e.g. chair, member, observer")),
        ),
    ),
    "meetings": Part(
        "meetings",
        N_("meeting"),
        MeetingIn,
        (
            Input("date", N_("Date"), "date"),
            Input("place", N_("Place")),
            Input("minutes", N_("Minutes"), "textarea", N_("what was discussed and agreed")),
        ),
    ),
    "decisions": Part(
        "decisions",
        N_("decision"),
        DecisionIn,
        (
            Input("date", N_("Date"), "date"),
            Input("text", N_("Decision"), "textarea", N_("as it was taken, in its language")),
            *(
                Input(f"texts.{code}", N_("The decision in {language}"), "textarea", "", code)
                for code in i18n.LANGUAGES
            ),
        ),
    ),
    "action-items": Part(
        "action_items",
        N_("action item"),
        ActionItemIn,
        (
            Input("description", N_("What is to be done"), "textarea"),
            Input("owner", N_("Who does it")),
            Input("due", N_("Due"), "date"),
            Input("status", N_("Status"), "select"),
        ),
    ),
}


def _part(name: str) -> Part:
    if name not in PARTS:
        raise NotFound(
            _("A working group has no '{name}'; use {allowed}.").format(
                name=name, allowed=", ".join(PARTS)
            )
        )
    return PARTS[name]


def _group(session: Session, principal: Principal | None, ref: str) -> dict[str, Any]:
    """The working group (as JSON values) if the principal may change it, else 401/403."""
    record = service.get_record(session=session, resource=GROUPS, ref=ref)
    policy.check_update(principal, GROUPS, record, GROUPS.update(version=record["version"]))
    plain: dict[str, Any] = GROUPS.out.model_validate(record).model_dump(mode="json")
    return plain


def _items(group: dict[str, Any], part: Part) -> list[dict[str, Any]]:
    return list(group.get(part.field) or [])


def _index(group: dict[str, Any], part: Part, number: int) -> int:
    items = _items(group, part)
    if not 1 <= number <= len(items):
        raise NotFound(
            _("The working group '{ref}' has no {item} number {number} (it has {count}).").format(
                ref=group["ref"], item=_(part.label), number=number, count=len(items)
            )
        )
    return number - 1


def _located(
    session: Session, principal: Principal | None, part: str, ref: str, number: int
) -> tuple[Part, dict[str, Any], int]:
    """The part, the group (if the principal may change it) and the item's list index."""
    spec = _part(part)
    group = _group(session, principal, ref)
    return spec, group, _index(group, spec, number)


def _inputs(part: Part, values: dict[str, Any], errors: dict[str, str]) -> list[Field]:
    required = {n for n, f in part.schema.model_fields.items() if f.is_required()}
    out = []
    for spec in part.inputs:
        value = values.get(spec.name)
        label = _(spec.label)
        if spec.language:
            label = label.format(language=i18n.LANGUAGES[spec.language])
        field = Field(
            name=spec.name,
            label=label,
            kind=spec.kind,
            value="" if value is None else value,
            required=spec.name in required,
            help=_(spec.help) if spec.help else "",
            error=errors.get(spec.name, ""),
            rows=4,
        )
        if spec.kind == "select":
            field.options = [(s.value, s.value.replace("-", " ").capitalize()) for s in ItemStatus]
        if spec.kind == "country":
            field.kind, field.options = "select", forms.countries()
            field.options = forms.with_current(field.options, field.value)
        out.append(field)
    return out


def _decode(part: Part, form: Any) -> tuple[dict[str, Any] | None, dict[str, str], dict[str, str]]:
    """(the item as JSON values, or None; the values typed; errors per input)."""
    values = {spec.name: form_text(form, spec.name) for spec in part.inputs}
    given: dict[str, Any] = {k: v for k, v in values.items() if v != "" and "." not in k}
    texts = {k.split(".", 1)[1]: v for k, v in values.items() if v and k.startswith("texts.")}
    if texts:
        given["texts"] = texts
    labels = {spec.name: _(spec.label) for spec in part.inputs}
    try:
        item = part.schema.model_validate(given)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for e in exc.errors():
            name = str(e["loc"][0]) if e["loc"] else "_form"
            errors.setdefault(name, plain_words(dict(e), labels.get(name, name)))
        return None, values, errors
    return item.model_dump(mode="json"), values, {}


def _save(
    session: Session,
    principal: Principal | None,
    group: dict[str, Any],
    part: Part,
    items: list[dict[str, Any]],
    form: Any,
) -> None:
    """Write the changed list onto the group: a partial update of the group, based on the
    version the form was opened at (the registry service checks it, merges and validates)."""
    change = validated(GROUPS.update, {"version": form_version(form), part.field: items})
    policy.check_update(principal, GROUPS, group, change)
    with session.begin_nested():
        service.update_record(
            session=session, resource=GROUPS, ref=group["ref"], data=change, author=who(principal)
        )


def _page(
    request: Request,
    group: dict[str, Any],
    part_name: str,
    values: dict[str, Any],
    errors: dict[str, str],
    number: int | None = None,
    status_code: int = 200,
) -> Response:
    part = PARTS[part_name]
    texts = values.get("texts")
    if isinstance(texts, dict):  # an item's other languages, one input each
        values = {**values, **{f"texts.{k}": v for k, v in texts.items()}}
    inputs = _inputs(part, values, errors)
    action = (
        f"/working-groups/{group['ref']}/{part_name}/new"
        if number is None
        else f"/working-groups/{group['ref']}/{part_name}/{number}/edit"
    )
    context = {
        "group": group,
        "part": part,
        "part_name": part_name,
        "number": number,
        "inputs": inputs,
        "errors": forms.summary(inputs),
        "form_error": errors.get("_form", ""),
        "action": action,
    }
    return render(request, "group_item.html", context, status_code=status_code)


def _handle(
    request: Request,
    session: Session,
    principal: Principal | None,
    group: dict[str, Any],
    part_name: str,
    form: Any,
    index: int | None,
) -> Response:
    part = PARTS[part_name]
    item, values, errors = _decode(part, form)
    if item is not None:
        items = _items(group, part)
        if index is None:
            items.append(item)
        else:
            items[index] = item
        try:
            _save(session, principal, group, part, items, form)
            return redirect(f"/working-groups/{group['ref']}#{part_name}")
        except BakuhubError as exc:
            if exc.status_code in (401, 403):
                raise
            errors = {"_form": exc.message}
    number = None if index is None else index + 1
    return _page(request, group, part_name, values, errors, number, 422)


def new_form(
    part: str, ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    _part(part)
    group = _group(session, principal, ref)
    defaults = {"role": "member", "status": ItemStatus.open.value}
    return _page(request, group, part, defaults, {})


async def add(
    part: str, ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_add, part, ref, request, session, principal, form)


def _add(
    part: str, ref: str, request: Request, session: Session, principal: Principal | None, form: Any
) -> Response:
    _part(part)
    group = _group(session, principal, ref)
    return _handle(request, session, principal, group, part, form, None)


def edit_form(
    part: str,
    ref: str,
    number: int,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    spec, group, index = _located(session, principal, part, ref, number)
    return _page(request, group, part, _items(group, spec)[index], {}, number)


async def edit(
    part: str,
    ref: str,
    number: int,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_edit, part, ref, number, request, session, principal, form)


def _edit(
    part: str,
    ref: str,
    number: int,
    request: Request,
    session: Session,
    principal: Principal | None,
    form: Any,
) -> Response:
    _spec, group, index = _located(session, principal, part, ref, number)
    return _handle(request, session, principal, group, part, form, index)


async def remove(
    part: str,
    ref: str,
    number: int,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_remove, part, ref, number, session, principal, form)


def _remove(
    part: str, ref: str, number: int, session: Session, principal: Principal | None, form: Any
) -> Response:
    spec, group, index = _located(session, principal, part, ref, number)
    items = _items(group, spec)
    del items[index]
    _save(session, principal, group, spec, items, form)
    entry = audit.list_entries(
        session=session, record_type=GROUPS.name, record_ref=ref, actor=who(principal), limit=1
    )
    undo = f"?removed={part}&entry={entry[0].id}" if entry else ""
    return redirect(f"/working-groups/{ref}{undo}#{part if not undo else 'undo'}")


def confirm_form(
    part: str,
    ref: str,
    number: int,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    """Ask before removing an item: what it is, and a button that removes it."""
    spec, group, index = _located(session, principal, part, ref, number)
    item = _items(group, spec)[index]
    shown = [(_(i.label), item.get(i.name)) for i in spec.inputs if item.get(i.name)]
    context = {
        "group": group,
        "part": spec,
        "part_name": part,
        "number": number,
        "confirm": shown,
        "action": f"/working-groups/{ref}/{part}/{number}/delete",
        "undo_minutes": UNDO_MINUTES,
    }
    return render(request, "group_item.html", context)


async def restore(
    part: str, ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_restore, part, ref, session, principal, form)


def _restore(
    part: str, ref: str, session: Session, principal: Principal | None, form: Any
) -> Response:
    """Put back an item removed a short while ago, from the audit entry of its removal."""
    spec = _part(part)
    group = _group(session, principal, ref)
    item, index = _removed_item(session, principal, spec, ref, form_text(form, "entry"))
    items = _items(group, spec)
    items.insert(min(index, len(items)), item)
    _save(session, principal, group, spec, items, form)
    return redirect(f"/working-groups/{ref}#{part}")


def _removed_item(
    session: Session, principal: Principal | None, spec: Part, ref: str, entry: str
) -> tuple[dict[str, Any], int]:
    """(the item an audit entry of this user removed from the group, its place in the list)."""
    found = [
        audit.read_entry(e)
        for e in audit.list_entries(
            session=session, record_type=GROUPS.name, record_ref=ref, actor=who(principal)
        )
        if entry.isdigit() and e.id == int(entry)
    ]
    late = _(
        "This removal can no longer be undone here (undo works for {minutes} minutes, for "
        "your own removals); add the {item} again, its text is in the audit log."
    ).format(minutes=UNDO_MINUTES, item=_(spec.label))
    if not found:
        raise NotFound(late)
    at = found[0]["at"] if found[0]["at"].tzinfo else found[0]["at"].replace(tzinfo=dt.UTC)
    before = (found[0]["before"] or {}).get(spec.field) or []
    after = (found[0]["after"] or {}).get(spec.field) or []
    if utcnow() - at > dt.timedelta(minutes=UNDO_MINUTES) or len(before) != len(after) + 1:
        raise InvalidInput(late)
    index = next((i for i, (b, a) in enumerate(zip(before, after, strict=False)) if b != a), -1)
    index = len(after) if index < 0 else index
    return validated(spec.schema, before[index]).model_dump(mode="json"), index


for _name in PARTS:
    _base = f"/working-groups/{{ref}}/{_name}"
    router.add_api_route(f"{_base}/new", bind(new_form, part=_name), methods=["GET"])
    router.add_api_route(f"{_base}/new", bind(add, part=_name), methods=["POST"])
    router.add_api_route(f"{_base}/{{number}}/edit", bind(edit_form, part=_name), methods=["GET"])
    router.add_api_route(f"{_base}/{{number}}/edit", bind(edit, part=_name), methods=["POST"])
    router.add_api_route(f"{_base}/{{number}}/delete", bind(confirm_form, part=_name))
    router.add_api_route(f"{_base}/{{number}}/delete", bind(remove, part=_name), methods=["POST"])
    router.add_api_route(f"{_base}/restore", bind(restore, part=_name), methods=["POST"])
