"""Match an IATI file to the record before importing it: organisations by their
organisation identifier, activities to projects, and the choices a person makes
about what did not match.

Organisations are matched by identifier only (the IATI ref stored on a party, or the
party's ref). A party that merely shares the name of an organisation is never taken
silently: when the file gives no identifier the party of that name is the default
(``name``, said in the report); when the file gives an identifier and the party has
none, linking it by name is offered but not the default; when the party has another
identifier it is not offered at all. An unknown organisation is created by default,
one whose name clashes is skipped by default. An activity goes to the project with the same
identifier (an update of that project), else to the Hub project the file links it to
(``related-activity``, ``other-identifier``, a transaction's receiver activity, or an
earlier import of the same activity: the funder's report for a Hub project), else to a
new project; the person may choose another project, a new one, or none.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bakuhub.i18n import _
from bakuhub.registry.models import Party, Project
from bakuhub.results import models as m
from bakuhub.results.iati_activity import Activity
from bakuhub.results.profile import identifier
from bakuhub.results.schemas import ResultIn

NEW, SKIP = "new", "skip"
"""Project choices besides a project ref: a new project, or leave the activity out."""
ORG_CHOICES = ("create", "skip", "name")
"""What a person may do with an organisation that matched no party by identifier."""
LINK_ELEMENTS = ("related-activity", "other-identifier")


@dataclass(frozen=True)
class Choices:
    """What a person chose in the preview: per organisation key (``OrgMatch.key``)
    ``create``, ``skip`` or ``name``; per activity identifier a project ref, ``new``
    or ``skip``. Anything not named takes its default."""

    orgs: dict[str, str] = field(default_factory=dict)
    projects: dict[str, str] = field(default_factory=dict)


def org_key(ref: str | None, name: str) -> str:
    """How the report and the choices name an organisation of the file."""
    return f"ref:{ref}" if ref else f"name:{' '.join(name.split()).casefold()}"


@dataclass
class OrgMatch:
    """An organisation of the file and what becomes of it.

    ``action``: ``link`` (a party has its identifier), ``name`` (linked to the party
    of the same name; the file gives no identifier), ``create`` (a party is made),
    ``skip`` (left out of the project), ``text`` (a transaction's organisation kept
    as written)."""

    key: str
    ref: str | None
    name: str
    type: str | None
    roles: list[str]
    party: str | None = None
    matched_by: str | None = None
    same_name: str | None = None
    action: str = "text"
    choosable: bool = False
    options: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The match as plain data (API, CLI, pages)."""
        return {
            "key": self.key,
            "ref": self.ref,
            "name": self.name,
            "type": self.type,
            "roles": self.roles,
            "party": self.party,
            "matched_by": self.matched_by,
            "same_name": self.same_name,
            "action": self.action,
            "options": list(self.options),
        }


def party_by_identifier(session: Session, ref: str) -> Party | None:
    stmt = select(Party).where(or_(Party.iati_ref == ref, Party.ref == ref))
    return session.scalars(stmt.order_by(Party.id).limit(1)).first()


def _party_by_name(session: Session, name: str) -> Party | None:
    if not name.strip():
        return None
    stmt = select(Party).where(func.lower(Party.name) == " ".join(name.split()).lower())
    return session.scalars(stmt.order_by(Party.id).limit(1)).first()


def match_org(
    session: Session, ref: str | None, name: str, type_: str | None, choosable: bool
) -> OrgMatch:
    """Match one organisation by identifier; say what a name match would be."""
    found = OrgMatch(org_key(ref, name), ref, name, type_, [], choosable=choosable)
    party = party_by_identifier(session, ref) if ref else None
    if party is not None:
        found.party, found.matched_by, found.action = party.ref, "identifier", "link"
        found.choosable = False
        return found
    named = _party_by_name(session, name)
    found.same_name = named.ref if named is not None else None
    if not choosable:
        return found
    if named is None:
        found.options, found.action = ("create", "skip"), "create"
    elif not ref:
        found.options, found.action = ("name", "create", "skip"), "name"
    elif not named.iati_ref:
        found.options, found.action = ("name", "create", "skip"), "skip"
    else:
        found.options, found.action = ("create", "skip"), "skip"
    return found


def apply_choice(found: OrgMatch, choice: str | None) -> None:
    """Take the person's choice when it is one offered for this organisation."""
    if choice in found.options:
        found.action = choice
    if found.action == "name":
        found.party, found.matched_by = found.same_name, "name"


def links(el: ET.Element, act: Activity) -> list[tuple[str, str]]:
    """``(where, activity identifier)`` of every Hub-side activity the file names."""
    out = [(tag, r) for tag in LINK_ELEMENTS for e in el.findall(tag) if (r := e.get("ref"))]
    out += [
        ("receiver-activity", t.receiver.activity)
        for t in act.transactions
        if t.receiver is not None and t.receiver.activity
    ]
    return out


@dataclass
class Target:
    """Where an activity goes: ``create`` a project, ``update`` the project with its
    identifier, ``funder`` (another publisher's activity for a Hub project: its
    money to the project is recorded there), or ``skip``."""

    action: str
    project: Project | None = None
    matched_by: str | None = None
    problem: str | None = None


def known_identifiers(session: Session) -> dict[str, Project]:
    """Every project by the IATI identifier it exports with (stored or derived)."""
    profiles = {p.project_id: p for p in session.scalars(select(m.ActivityProfile))}
    return {
        identifier(project, profiles.get(project.id)): project
        for project in session.scalars(select(Project))
    }


def _earlier_import(session: Session, activity_id: str) -> Project | None:
    stmt = select(m.Transaction.project_id).where(m.Transaction.provider_activity == activity_id)
    pid = session.scalars(stmt.limit(1)).first()
    return session.get(Project, pid) if pid is not None else None


def target_for(
    session: Session,
    act: Activity,
    found_links: list[tuple[str, str]],
    known: dict[str, Project],
    choice: str | None,
) -> Target:
    """Where the activity goes: the person's choice, else what the file matches."""
    own = known.get(act.identifier)
    if choice == SKIP:
        return Target(SKIP)
    if choice == NEW:
        if own is not None:
            return Target(
                "create",
                problem=_(
                    "'{identifier}' is already the identifier of project '{project}'; choose "
                    "that project instead of a new one"
                ).format(identifier=act.identifier, project=own.ref),
            )
        return Target("create", matched_by="choice")
    if choice:
        project = session.scalars(select(Project).where(Project.ref == choice)).first()
        if project is None:
            return Target(
                "skip", problem=_("there is no project '{project}'").format(project=choice)
            )
        action = "update" if project is own else "funder"
        return Target(action, project, "choice")
    if own is not None:
        return Target("update", own, "identifier")
    for where, ref in found_links:
        if ref in known:
            return Target("funder", known[ref], where)
    earlier = _earlier_import(session, act.identifier)
    if earlier is not None:
        return Target("funder", earlier, "an earlier import")
    return Target("create")


@dataclass
class Prepared:
    """An activity read from the file, its results, the links it names, its target."""

    act: Activity
    results: list[ResultIn]
    links: list[tuple[str, str]]
    target: Target = field(default_factory=lambda: Target("create"))
