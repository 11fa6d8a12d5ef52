"""The record types of the registry, with their list filters, search and sort keys.

Text search (``q``) is case-insensitive in any alphabet and the same on SQLite and
PostgreSQL (:class:`fold`); projects are also found by the names of their recipient
countries and participating organisations.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal

import pycountry
from sqlalchemy import ColumnElement, Select, String, cast, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.functions import FunctionElement

from bakuhub.i18n import N_, _
from bakuhub.registry import models as m
from bakuhub.registry import resources as r
from bakuhub.registry import schemas as s
from bakuhub.registry.codes import (
    IATI_ACTIVITY_STATUS,
    IATI_ORGANISATION_TYPES,
    AgreementKind,
    AgreementStatus,
    HubRole,
    PartyKind,
    Theme,
)
from bakuhub.registry.schemas import country_iso3

Searcher = Callable[[str, bool], ColumnElement[bool]]
"""``(q, published_only)`` -> the condition of a record matching the search text."""
ESCAPE = "\\"
SQLITE_FOLD = "bakuhub_fold"


class fold(FunctionElement[str]):
    """Text lower-cased in every alphabet (SQLite's own ``lower`` knows only ASCII)."""

    type = String()
    inherit_cache = True
    name = "fold"


@compiles(fold)
def _fold_lower(element: fold, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(fold, "sqlite")
def _fold_sqlite(element: fold, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FOLD}({compiler.process(element.clauses, **kw)})"


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def prepare_search(session: Session) -> None:
    """Make :class:`fold` callable on this session's connection (SQLite: a Python function)."""
    if session.get_bind().dialect.name == "sqlite":
        raw = session.connection().connection.driver_connection
        raw.create_function(SQLITE_FOLD, 1, _lower, deterministic=True)  # type: ignore[union-attr]


def like_pattern(q: str) -> str:
    """``%q%`` lower-cased, with LIKE's wildcards in ``q`` taken literally (escape ``\\``)."""
    text = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{text}%"


def _text(*columns: Any) -> Searcher:
    def match(q: str, published_only: bool) -> ColumnElement[bool]:
        pattern = like_pattern(q)
        return or_(*(fold(col).like(pattern, escape=ESCAPE) for col in columns))

    return match


@functools.cache
def _country_names() -> tuple[tuple[str, str], ...]:
    """``(iso3, lower-cased names and code)`` of every ISO 3166 country."""
    rows = []
    for c in pycountry.countries:
        names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
        rows.append((str(c.alpha_3), " | ".join(sorted(n.lower() for n in names))))
    return tuple(rows)


def countries_matching(q: str) -> list[str]:
    """ISO alpha-3 codes of the countries whose name contains ``q`` or whose code is ``q``."""
    text = q.strip().lower()
    if not text:
        return []
    return [iso3 for iso3, names in _country_names() if text in names or text == iso3.lower()]


def country_code(value: str) -> str:
    """A country given by ISO code (TCD, TD) or by name (Chad), as its alpha-3 code."""
    try:
        return country_iso3(value)
    except ValueError:
        pass
    text = value.strip().lower()
    for iso3, names in _country_names():
        if text and text in names.split(" | "):
            return iso3
    raise ValueError(
        _(
            "'{value}' is not a country name or ISO code; type a name such as Chad or a code "
            "such as TCD"
        ).format(value=value.strip())
    )


def _project_search(q: str, published_only: bool) -> ColumnElement[bool]:
    """Ref, title, description, recipient country names, organisation names and refs."""
    pattern = like_pattern(q)
    in_country = select(m.ProjectCountry.id).where(
        m.ProjectCountry.project_id == m.Project.id,
        m.ProjectCountry.iso3.in_(countries_matching(q)),
    )
    org = (
        select(m.ProjectOrganisation.id)
        .join(m.Party, m.Party.id == m.ProjectOrganisation.party_id)
        .where(
            m.ProjectOrganisation.project_id == m.Project.id,
            or_(
                fold(m.Party.name).like(pattern, escape=ESCAPE),
                fold(m.Party.ref).like(pattern, escape=ESCAPE),
            ),
        )
    )
    if published_only:
        org = org.where(m.Party.published.is_(True))
    text = _text(m.Project.ref, m.Project.title, m.Project.description)(q, published_only)
    return or_(text, in_country.exists(), org.exists())


def _eq(column: Any) -> r.Filter:
    def apply(stmt: Select[Any], value: str) -> Select[Any]:
        return stmt.where(column == value)

    return apply


def _agreement_ref(column: Any) -> r.Filter:
    def apply(stmt: Select[Any], value: str) -> Select[Any]:
        sub = select(m.Agreement.id).where(m.Agreement.ref == value).scalar_subquery()
        return stmt.where(column == sub)

    return apply


def _has_party(link: Any, owner: Any, fk: str) -> r.Filter:
    """Records linked (through table ``link``, column ``fk``) to the party with that ref;
    for the public, to a published party only (a draft party's ref finds nothing)."""

    def apply(stmt: Select[Any], value: str, published_only: bool = False) -> Select[Any]:
        party = select(link.id).join(m.Party, m.Party.id == link.party_id)
        party = party.where(m.Party.ref == value, getattr(link, fk) == owner)
        if published_only:
            party = party.where(m.Party.published.is_(True))
        return stmt.where(party.exists())

    apply.published_aware = True  # type: ignore[attr-defined]
    return apply


def _country(stmt: Select[Any], value: str) -> Select[Any]:
    iso3 = country_code(value)
    exists = (
        select(m.ProjectCountry.id)
        .where(m.ProjectCountry.project_id == m.Project.id, m.ProjectCountry.iso3 == iso3)
        .exists()
    )
    return stmt.where(exists)


def _theme(stmt: Select[Any], value: str) -> Select[Any]:
    return stmt.where(cast(m.Project.themes, String).like(f'%"{value}"%'))


def _literal(values: Any) -> Any:
    """A ``Literal`` of the allowed values (an enum in the API's schema)."""
    return Literal[tuple(str(getattr(v, "value", v)) for v in values)]


RefText = str
"""A free reference typed by the reader; bounded by the API's query parameter."""

FILTER_TYPES: dict[str, dict[str, Any]] = {
    "parties": {
        "kind": _literal(PartyKind),
        "hub_role": _literal(HubRole),
        "org_type": _literal(IATI_ORGANISATION_TYPES),
        "iso3": RefText,
    },
    "agreements": {
        "kind": _literal(AgreementKind),
        "status": _literal(AgreementStatus),
        "party": RefText,
    },
    "working-groups": {"agreement": RefText, "party": RefText},
    "projects": {
        "status": _literal(IATI_ACTIVITY_STATUS),
        "theme": _literal(Theme),
        "country": RefText,
        "agreement": RefText,
        "organisation": RefText,
    },
}
"""The type of each list filter, for the JSON API's query parameters (enums where the
values are a code list; free text elsewhere)."""

PARTIES = r.Resource(
    name="parties",
    label=N_("party"),
    plural=N_("parties"),
    model=m.Party,
    create=s.PartyCreate,
    update=s.PartyUpdate,
    out=s.PartyOut,
    apply=r.apply_party,
    read=r.read_party,
    search=(_text(m.Party.ref, m.Party.name, m.Party.iso3, m.Party.notes),),
    sorts={
        "ref": m.Party.ref,
        "name": fold(m.Party.name),
        "kind": m.Party.kind,
        "hub_joined": m.Party.hub_joined_on,
        "updated_at": m.Party.updated_at,
        "id": m.Party.id,
    },
    filters={
        "kind": _eq(m.Party.kind),
        "hub_role": _eq(m.Party.hub_role),
        "org_type": _eq(m.Party.org_type),
        "iso3": _eq(m.Party.iso3),
    },
)

AGREEMENTS = r.Resource(
    name="agreements",
    label=N_("agreement"),
    plural=N_("agreements"),
    model=m.Agreement,
    create=s.AgreementCreate,
    update=s.AgreementUpdate,
    out=s.AgreementOut,
    apply=r.apply_agreement,
    read=r.read_agreement,
    search=(_text(m.Agreement.ref, m.Agreement.title, m.Agreement.place, m.Agreement.summary),),
    sorts={
        "ref": m.Agreement.ref,
        "title": fold(m.Agreement.title),
        "signed": m.Agreement.signed_on,
        "status": m.Agreement.status,
        "updated_at": m.Agreement.updated_at,
        "id": m.Agreement.id,
    },
    load=(joinedload(m.Agreement.parent).lazyload("*"),),
    filters={
        "kind": _eq(m.Agreement.kind),
        "status": _eq(m.Agreement.status),
        "party": _has_party(m.AgreementParty, m.Agreement.id, fk="agreement_id"),
    },
)

GROUPS = r.Resource(
    name="working-groups",
    label=N_("working group"),
    plural=N_("working groups"),
    model=m.WorkingGroup,
    create=s.GroupCreate,
    update=s.GroupUpdate,
    out=s.GroupOut,
    apply=r.apply_group,
    read=r.read_group,
    search=(_text(m.WorkingGroup.ref, m.WorkingGroup.name, m.WorkingGroup.mandate),),
    sorts={
        "ref": m.WorkingGroup.ref,
        "name": fold(m.WorkingGroup.name),
        "established": m.WorkingGroup.established_on,
        "updated_at": m.WorkingGroup.updated_at,
        "id": m.WorkingGroup.id,
    },
    load=(joinedload(m.WorkingGroup.agreement).lazyload("*"),),
    filters={
        "agreement": _agreement_ref(m.WorkingGroup.agreement_id),
        "party": _has_party(m.GroupParty, m.WorkingGroup.id, fk="group_id"),
    },
)

PROJECTS = r.Resource(
    name="projects",
    label=N_("project"),
    plural=N_("projects"),
    model=m.Project,
    create=s.ProjectCreate,
    update=s.ProjectUpdate,
    out=s.ProjectOut,
    apply=r.apply_project,
    read=r.read_project,
    search=(_project_search,),
    sorts={
        "ref": m.Project.ref,
        "title": fold(m.Project.title),
        "status": m.Project.status,
        "planned_start": m.Project.planned_start,
        "planned_end": m.Project.planned_end,
        "updated_at": m.Project.updated_at,
        "id": m.Project.id,
    },
    load=(joinedload(m.Project.agreement).lazyload("*"),),
    filters={
        "status": _eq(m.Project.status),
        "theme": _theme,
        "country": _country,
        "agreement": _agreement_ref(m.Project.agreement_id),
        "organisation": _has_party(m.ProjectOrganisation, m.Project.id, fk="project_id"),
    },
)

RESOURCES: dict[str, r.Resource] = {x.name: x for x in (PARTIES, AGREEMENTS, GROUPS, PROJECTS)}

SORT_CHOICES: dict[str, list[tuple[str, str]]] = {
    "parties": [
        ("name", N_("Name (A to Z)")),
        ("-name", N_("Name (Z to A)")),
        ("ref", N_("Ref")),
        ("kind", N_("Kind")),
        ("-hub_joined", N_("Joined the Hub (latest first)")),
        ("hub_joined", N_("Joined the Hub (earliest first)")),
        ("-updated_at", N_("Changed most recently")),
    ],
    "agreements": [
        ("signed", N_("Signed (earliest first)")),
        ("-signed", N_("Signed (latest first)")),
        ("title", N_("Title (A to Z)")),
        ("ref", N_("Ref")),
        ("status", N_("Status")),
        ("-updated_at", N_("Changed most recently")),
    ],
    "working-groups": [
        ("name", N_("Name (A to Z)")),
        ("-name", N_("Name (Z to A)")),
        ("-established", N_("Established (latest first)")),
        ("established", N_("Established (earliest first)")),
        ("-updated_at", N_("Changed most recently")),
    ],
    "projects": [
        ("title", N_("Title (A to Z)")),
        ("-title", N_("Title (Z to A)")),
        ("ref", N_("Ref")),
        ("status", N_("Status")),
        ("-planned_start", N_("Planned start (latest first)")),
        ("planned_start", N_("Planned start (earliest first)")),
        ("planned_end", N_("Planned end (earliest first)")),
        ("-updated_at", N_("Changed most recently")),
    ],
}
"""The orders a list page offers by name, the first its default (any sort key works);
the names are marked for translation (``_(name)`` where shown)."""
SEARCH_HELP = {
    "parties": N_("Words in a party's name, ref, ISO code or notes."),
    "agreements": N_("Words in an agreement's title, ref, place or summary."),
    "working-groups": N_("Words in a group's name, ref or mandate."),
    "projects": N_(
        "Words in a project's title, ref or description, or a country or "
        "organisation name (e.g. Chad)."
    ),
}
"""What the search field of each list looks in, for its help text."""
