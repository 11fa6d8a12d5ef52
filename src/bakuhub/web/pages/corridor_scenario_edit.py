"""The scenario editor: a new scenario by fork of a shipped or saved one
(``/corridor/scenarios/new?from=REF``), and a change of a saved one
(``/corridor/scenarios/{ref}/edit``, its author or the secretariat). Every field of the
scenario is an input; every mistake is shown beside its input at once, with every
value kept; a change made meanwhile by someone else is told, not overwritten.

The two POSTs are ``async``: they await the form (its inputs are many and named by
row), then do every other step in a worker thread (``run_in_threadpool``). Included by
:mod:`bakuhub.web.pages.corridor_scenarios` before its ``/{ref}`` routes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub.accounts.permissions import Principal, Role, require
from bakuhub.errors import BakuhubError, Conflict, InvalidInput, StaleVersion
from bakuhub.i18n import _
from bakuhub.studies import scenarios
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages import corridor_scenario_form as sf
from bakuhub.web.pages.common import form_text, form_version, redirect, render

router = APIRouter(include_in_schema=False)
RefPath = Annotated[str, PathParam(min_length=1, max_length=80)]
BASE = "/corridor/scenarios"


def analyst(principal: PrincipalDep) -> Principal:
    """Dependency: a focal point or above (fork, upload, save, run)."""
    return require(principal, Role.focal_point, _("save, change or run corridor scenarios"))


def signed_in(principal: PrincipalDep) -> Principal:
    """Dependency: any signed-in user (comment)."""
    return require(principal, Role.viewer, _("comment"))


AnalystDep = Annotated[Principal, Depends(analyst)]
SignedInDep = Annotated[Principal, Depends(signed_in)]


@router.get(f"{BASE}/new")
def new_page(
    request: Request,
    session: SessionDep,
    who: AnalystDep,
    source: Annotated[str, Query(alias="from", min_length=1, max_length=120)] = "reference-2030",
) -> Response:
    """The editor of a new scenario, filled from a shipped or saved one (a fork)."""
    spec, title, description = scenarios.source_spec(session=session, principal=who, source=source)
    values = sf.form_of({**spec, "description": description})
    meta = {
        "ref": scenarios.free_ref(session, f"{source}-{who.username}"),
        "title": _("{title} (fork)").format(title=title if len(title) <= 80 else source),
        "from": source,
    }
    return _editor(request, values, meta)


# -- the editor -----------------------------------------------------------------------


def _editor(
    request: Request,
    values: sf.Values,
    meta: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
    **extra: Any,
) -> Response:
    errors = dict(errors or {})
    form_error = errors.pop("", "")
    context = {
        "values": values,
        "meta": meta,
        "errors": errors,
        "form_error": extra.pop("form_error", "") or form_error,
        "inputs": sf.shown_inputs(),
        "groups": sf.groups(),
        "nodes": sf.nodes(),
        "techs": [(t, _(sf.TECH_LABELS[t])) for t in sf.EXTENDABLE],
        "link_rows": sf.link_rows(values, errors),
        "limit_rows": sf.limit_rows(values, errors),
        "target_rows": sf.target_rows(values, errors),
        "demand_rows": sf.demand_rows(values, errors),
        "pathway_rows": sf.target_year_rows(values, errors),
        "levels": sf.cable_levels(),
        "conflict_version": None,
    }
    return render(request, "corridor_scenario_form.html", {**context, **extra}, status)


def _checked(values: sf.Values, ref: str, title: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The scenario data of the form and every error found (input name -> sentence)."""
    errors: dict[str, str] = {}
    try:
        scenarios.check_ref(ref)
        name = ref
    except InvalidInput as exc:
        errors.update(sf.place(exc.details or [], values))
        name = "scenario"
    spec, found = sf.spec_of(values, ref=name)
    errors.update(found)
    if not title or len(title) > scenarios.MAX_TITLE:
        errors["title"] = _("Title: give a title of 1 to {limit} characters.").format(
            limit=scenarios.MAX_TITLE
        )
    try:
        scenarios.validate_spec(spec, ref=name)
    except InvalidInput as exc:
        for key, message in sf.place(exc.details or [], values).items():
            errors.setdefault(key, message)
    return spec, errors


@router.post(f"{BASE}/new")
async def create(request: Request, session: SessionDep, who: AnalystDep) -> Response:
    """Save the new scenario (a draft of the user) and show it; or show the editor again
    with each mistake beside its input and every value kept; nothing is saved then."""
    form = await request.form()

    def work() -> Response:
        values = sf.values_of(form)
        meta = {k: form_text(form, k)[:200] for k in ("ref", "title", "from")}
        spec, errors = _checked(values, meta["ref"], meta["title"])
        if not errors:
            parent = _parent(session, who, meta["from"])
            try:
                row = scenarios.create_scenario(
                    session=session,
                    principal=who,
                    ref=meta["ref"],
                    title=meta["title"],
                    description=str(values.get("description", "")),
                    spec=spec,
                    parent=parent,
                )
                return redirect(f"{BASE}/{row.ref}")
            except Conflict as exc:
                session.rollback()
                errors["ref"] = _("Reference: {message}").format(message=exc.message)
        return _editor(request, values, meta, errors, 422)

    return await run_in_threadpool(work)


def _parent(session: Session, who: Principal, source: str) -> str | None:
    """The fork's source if the user may read it (else none is recorded)."""
    if not source:
        return None
    try:
        scenarios.source_spec(session=session, principal=who, source=source)
    except BakuhubError:  # a source gone or hidden is simply not recorded
        return None
    return source


@router.get(f"{BASE}/{{ref}}/edit")
def edit_page(ref: RefPath, request: Request, session: SessionDep, who: AnalystDep) -> Response:
    """The editor of a saved scenario (its author or the secretariat)."""
    row = scenarios.get_scenario(session=session, principal=who, ref=ref)
    scenarios.may_change(who, row, _("change it"))
    values = sf.form_of({**row.spec, "description": row.description})
    meta = {"ref": row.ref, "title": row.title, "version": row.version}
    return _editor(request, values, meta, edit=True)


@router.post(f"{BASE}/{{ref}}/edit")
async def save(ref: RefPath, request: Request, session: SessionDep, who: AnalystDep) -> Response:
    """Save a change (version-checked): a change made meanwhile by someone else is
    told, with the user's values kept, and replaced only when the user says so."""
    form = await request.form()

    def work() -> Response:
        row = scenarios.get_scenario(session=session, principal=who, ref=ref)
        scenarios.may_change(who, row, _("change it"))
        values = sf.values_of(form)
        based_on = form_version(form)
        replace = form_text(form, "replace")
        if replace.isdigit() and len(replace) < 12:
            based_on = int(replace)
        title = form_text(form, "title")[:300]
        meta: dict[str, Any] = {"ref": row.ref, "title": title, "version": based_on}
        spec, errors = _checked(values, row.ref, title)
        if errors:
            return _editor(request, values, meta, errors, 422, edit=True)
        try:
            scenarios.update_scenario(
                session=session,
                principal=who,
                ref=row.ref,
                version=based_on,
                title=title,
                description=str(values.get("description", "")),
                spec=spec,
            )
            return redirect(f"{BASE}/{row.ref}")
        except StaleVersion:
            session.rollback()
            now = scenarios.get_scenario(session=session, principal=who, ref=ref)
            message = _(
                "The scenario '{ref}' was changed by someone else since you opened it (it is "
                "now at version {version}; your form is based on version {based_on}). "
                "Nothing was saved; your values are kept below. Open the scenario's page in "
                "another tab to see the newer version, then save again with 'Replace the "
                "newer version' ticked, or leave."
            ).format(ref=ref, version=now.version, based_on=based_on)
            return _editor(
                request,
                values,
                meta,
                {},
                409,
                edit=True,
                form_error=message,
                conflict_version=now.version,
            )

    return await run_in_threadpool(work)
