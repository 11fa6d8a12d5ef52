"""Saved corridor scenarios: records with an author, a version, the parent they were
forked from, draft or published.

Every scenario that enters here, from a form, the API or an uploaded YAML file, is
validated by :func:`bakuhub.corridor.scenario.parse_scenario` with ``trusted=False``
(no server paths); its errors keep the path of the field in ``details[].loc``
(``["resolution"]``, ``["links", "CASPIAN", "p_nom_mw"]``) so a form shows each one
beside its field. Who may do what:

- anyone reads published scenarios; a signed-in user also reads its own drafts; the
  secretariat and administrators read all;
- analysts (focal point and above) save and fork;
- the author or the secretariat change, publish, unpublish and delete.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Forbidden, Principal, Role, require
from bakuhub.audit import service as audit
from bakuhub.corridor.safe_yaml import parse_yaml
from bakuhub.corridor.scenario import (
    Scenario,
    parse_scenario,
    shipped_scenario,
    shipped_scenario_path,
)
from bakuhub.db import utcnow
from bakuhub.errors import Conflict, InvalidInput, NotFound, check_version
from bakuhub.i18n import N_, _
from bakuhub.studies.models import SavedScenario, Study
from bakuhub.timestamps import as_utc

REF = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
REF_RULE = N_("2 to 80 lower-case letters, digits and dashes, starting with a letter or digit")
MAX_TITLE = 200
MAX_DESCRIPTION = 4000
MAX_PAGE = 200


def visible(principal: Principal | None) -> ColumnElement[bool]:
    """Which saved scenarios ``principal`` may read (published; own drafts; staff: all)."""
    if principal is not None and principal.is_staff:
        return true()
    if principal is None:
        return SavedScenario.published.is_(True)
    return or_(SavedScenario.published.is_(True), SavedScenario.author == principal.username)


def may_change(principal: Principal | None, row: SavedScenario, what: str) -> Principal:
    """The principal if it may ``what`` the scenario (its author or staff), else 401/403."""
    who = require(principal, Role.focal_point, what)
    if not who.is_staff and row.author != who.username:
        raise Forbidden(
            _(
                "The scenario '{ref}' is {author}'s; only its author or the secretariat "
                "can {what}. Fork it to make your own version."
            ).format(ref=row.ref, author=row.author, what=what)
        )
    return who


def _problem(field: str, message: str) -> InvalidInput:
    return InvalidInput(
        _("{field}: {message}.").format(field=field, message=message),
        details=[{"loc": [field], "msg": message}],
    )


def check_ref(ref: str) -> str:
    """``ref`` if it is a valid, free-to-take scenario reference, else ``InvalidInput``."""
    if not REF.fullmatch(ref):
        raise _problem(
            "ref",
            _("'{ref}' is not a scenario reference; use {rule}").format(
                ref=ref[:80], rule=_(REF_RULE)
            ),
        )
    if shipped_scenario_path(ref) is not None:
        raise _problem(
            "ref", _("'{ref}' is the name of a shipped scenario; choose another").format(ref=ref)
        )
    return ref


def slug(text: str) -> str:
    """A reference made of ``text`` (lower case, dashes), at least two characters."""
    made = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    return made if len(made) >= 2 else "scenario"


def validate_spec(data: Any, *, ref: str, source: str = "you sent") -> Scenario:
    """The scenario ``data`` validated as from outside (no server paths), named ``ref``
    (the name of its studies' folders)."""
    if isinstance(data, dict):
        data = {**data, "name": ref}
    return parse_scenario(data, source, trusted=False)


def _texts(title: str, description: str) -> tuple[str, str]:
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise _problem(
            "title", _("give a title of 1 to {limit} characters").format(limit=MAX_TITLE)
        )
    if len(description) > MAX_DESCRIPTION:
        raise _problem(
            "description",
            _("write at most {limit} characters").format(limit=MAX_DESCRIPTION),
        )
    return title, description


def list_scenarios(
    *,
    session: Session,
    principal: Principal | None,
    author: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[SavedScenario]:
    """The saved scenarios ``principal`` may read, newest change first."""
    query = select(SavedScenario).where(visible(principal))
    if author is not None:
        query = query.where(SavedScenario.author == author[:120])
    query = query.order_by(SavedScenario.updated_at.desc(), SavedScenario.id.desc())
    return list(session.scalars(query.limit(min(limit, MAX_PAGE)).offset(offset)))


def get_scenario(*, session: Session, principal: Principal | None, ref: str) -> SavedScenario:
    """A saved scenario ``principal`` may read, else ``NotFound`` (a draft of someone
    else is not found: its existence is not told)."""
    row = session.scalars(
        select(SavedScenario).where(SavedScenario.ref == ref[:80], visible(principal))
    ).first()
    if row is None:
        raise NotFound(
            _(
                "There is no saved scenario '{ref}' you can see; list them at "
                "/api/v1/corridor/scenarios."
            ).format(ref=ref[:80])
        )
    return row


def create_scenario(
    *,
    session: Session,
    principal: Principal | None,
    ref: str,
    title: str,
    spec: Any,
    description: str = "",
    parent: str | None = None,
) -> SavedScenario:
    """Save a new scenario as a draft of ``principal``."""
    who = require(principal, Role.focal_point, _("save a corridor scenario"))
    check_ref(ref)
    title, description = _texts(title, description)
    scenario = validate_spec(spec, ref=ref)
    if session.scalars(select(SavedScenario.id).where(SavedScenario.ref == ref)).first():
        raise Conflict(
            _("A saved scenario '{ref}' exists already; choose another reference.").format(ref=ref)
        )
    now = utcnow()
    row = SavedScenario(
        ref=ref,
        title=title,
        description=description,
        author=who.username,
        version=1,
        parent=parent,
        published=False,
        spec=scenario.model_dump(mode="json"),
        digest=scenario.digest(),
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=who.username,
        action="create",
        record_type="corridor_scenario",
        record_ref=ref,
        after={"title": title, "parent": parent, "digest": row.digest},
    )
    return row


def update_scenario(
    *,
    session: Session,
    principal: Principal | None,
    ref: str,
    version: int,
    title: str | None = None,
    description: str | None = None,
    spec: Any = None,
) -> SavedScenario:
    """Change a saved scenario based on ``version`` (``StaleVersion`` when it moved on)."""
    row = get_scenario(session=session, principal=principal, ref=ref)
    who = may_change(principal, row, "change it")
    check_version(what=f"The scenario '{ref}'", current=row.version, based_on=version)
    before = {"title": row.title, "digest": row.digest, "version": row.version}
    row.title, row.description = _texts(
        row.title if title is None else title,
        row.description if description is None else description,
    )
    if spec is not None:
        scenario = validate_spec(spec, ref=ref)
        row.spec, row.digest = scenario.model_dump(mode="json"), scenario.digest()
    row.version += 1
    row.updated_at = utcnow()
    session.flush()
    audit.record(
        session=session,
        actor=who.username,
        action="update",
        record_type="corridor_scenario",
        record_ref=ref,
        before=before,
        after={"title": row.title, "digest": row.digest, "version": row.version},
    )
    return row


def source_spec(
    *, session: Session, principal: Principal | None, source: str
) -> tuple[dict[str, Any], str, str]:
    """What a fork starts from: (scenario JSON, title, description) of a saved scenario
    ``principal`` may read, or of a shipped scenario by name."""
    saved = session.scalars(
        select(SavedScenario).where(SavedScenario.ref == source[:80], visible(principal))
    ).first()
    if saved is not None:
        return dict(saved.spec), saved.title, saved.description
    if shipped_scenario_path(source) is not None:
        spec = shipped_scenario(source)
        data = spec.model_dump(mode="json")
        first_line = (spec.description.splitlines() or [source])[0][:MAX_TITLE]
        return data, first_line or source, spec.description
    raise NotFound(
        _(
            "There is no saved or shipped scenario '{ref}' you can see to start from; "
            "list them at /api/v1/corridor/scenarios."
        ).format(ref=source[:80])
    )


def free_ref(session: Session, wanted: str) -> str:
    """``wanted`` or, when taken, ``wanted-2``, ``wanted-3``... (a fork's default)."""
    base = slug(wanted)[:74]
    taken = set(
        session.scalars(select(SavedScenario.ref).where(SavedScenario.ref.startswith(base)))
    )
    candidate, n = base, 1
    while candidate in taken or shipped_scenario_path(candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def fork_scenario(
    *,
    session: Session,
    principal: Principal | None,
    source: str,
    ref: str | None = None,
    title: str | None = None,
) -> SavedScenario:
    """A new draft of ``principal`` copied from a saved or shipped scenario; its
    ``parent`` records where it came from."""
    who = require(principal, Role.focal_point, _("fork a corridor scenario"))
    data, source_title, description = source_spec(
        session=session, principal=principal, source=source
    )
    new_ref = ref or free_ref(session, f"{source}-{who.username}")
    # the copy is validated as from outside (a shipped scenario's server paths refused)
    return create_scenario(
        session=session,
        principal=principal,
        ref=new_ref,
        title=title or f"{source_title} (fork)"[:MAX_TITLE],
        description=description,
        spec=data,
        parent=source[:120],
    )


def set_published(
    *,
    session: Session,
    principal: Principal | None,
    ref: str,
    published: bool,
    version: int | None = None,
) -> SavedScenario:
    """Publish (everyone may read it and its studies) or return to draft."""
    row = get_scenario(session=session, principal=principal, ref=ref)
    who = may_change(principal, row, "publish or unpublish it")
    check_version(what=f"The scenario '{ref}'", current=row.version, based_on=version)
    if row.published != published:
        row.published = published
        row.version += 1
        row.updated_at = utcnow()
        session.flush()
        audit.record(
            session=session,
            actor=who.username,
            action="publish" if published else "unpublish",
            record_type="corridor_scenario",
            record_ref=ref,
        )
    return row


def delete_scenario(
    *, session: Session, principal: Principal | None, ref: str, version: int | None = None
) -> None:
    """Delete a saved scenario and its comments; refused (``Conflict``) while a study
    uses it: its studies must keep the record of their inputs."""
    from bakuhub.studies.comments import delete_thread

    row = get_scenario(session=session, principal=principal, ref=ref)
    who = may_change(principal, row, _("delete it"))
    check_version(
        what=_("The scenario '{ref}'").format(ref=ref), current=row.version, based_on=version
    )
    used = session.scalars(select(Study.name).where(Study.scenario_ref == ref).limit(3)).all()
    if used:
        raise Conflict(
            _(
                "The scenario '{ref}' is the input of studies ({studies}); it cannot be "
                "deleted. Unpublish it instead, or fork it to change it."
            ).format(ref=ref, studies=", ".join(used))
        )
    delete_thread(session=session, target_type="scenario", target=ref)
    session.delete(row)
    session.flush()
    audit.record(
        session=session,
        actor=who.username,
        action="delete",
        record_type="corridor_scenario",
        record_ref=ref,
        before={"title": row.title, "digest": row.digest},
    )


def export_yaml(*, session: Session, principal: Principal | None, ref: str) -> str:
    """The scenario as a YAML file (what ``bakuhub corridor solve FILE`` reads)."""
    import yaml

    row = get_scenario(session=session, principal=principal, ref=ref)
    text: str = yaml.safe_dump(row.spec, sort_keys=False, allow_unicode=True)
    return text


def import_yaml(
    *,
    session: Session,
    principal: Principal | None,
    text: str,
    ref: str | None = None,
    title: str | None = None,
) -> SavedScenario:
    """Save an uploaded YAML scenario (plain YAML, bounded size) as a new draft, with
    the same validation as a form."""
    require(principal, Role.focal_point, _("save a corridor scenario"))
    data = parse_yaml(text, _("The uploaded scenario"))
    if not isinstance(data, dict):
        raise InvalidInput(_("The uploaded scenario must be a YAML mapping of fields."))
    name = str(data.get("name") or "scenario")
    new_ref = ref or free_ref(session, name)
    return create_scenario(
        session=session,
        principal=principal,
        ref=new_ref,
        title=title or name[:MAX_TITLE],
        description=str(data.get("description") or ""),
        spec=data,
    )


def scenario_out(row: SavedScenario) -> dict[str, Any]:
    """A saved scenario as the API and the pages show it."""
    return {
        "ref": row.ref,
        "title": row.title,
        "description": row.description,
        "author": row.author,
        "version": row.version,
        "parent": row.parent,
        "published": row.published,
        "digest": row.digest,
        "scenario": row.spec,
        "created_at": as_utc(row.created_at),
        "updated_at": as_utc(row.updated_at),
    }


def published_refs() -> Any:
    """A subquery of the refs of published scenarios (for study visibility)."""
    return select(SavedScenario.ref).where(SavedScenario.published.is_(True))


def run_spec(*, session: Session, principal: Principal | None, ref: str) -> Scenario:
    """The saved scenario ``ref`` as a validated scenario, ready to submit as a job."""
    row = get_scenario(session=session, principal=principal, ref=ref)
    return validate_spec(row.spec, ref=row.ref, source=f"'{ref}' (saved)")
