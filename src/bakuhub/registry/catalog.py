"""The record types of the registry, with their list filters and sort keys."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, String, cast, select
from sqlalchemy.orm import joinedload

from bakuhub.registry import models as m
from bakuhub.registry import resources as r
from bakuhub.registry import schemas as s
from bakuhub.registry.schemas import country_iso3


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
    """Records linked (through table ``link``, column ``fk``) to the party with that ref."""

    def apply(stmt: Select[Any], value: str) -> Select[Any]:
        exists = (
            select(link.id)
            .join(m.Party, m.Party.id == link.party_id)
            .where(m.Party.ref == value, getattr(link, fk) == owner)
            .exists()
        )
        return stmt.where(exists)

    return apply


def _country(stmt: Select[Any], value: str) -> Select[Any]:
    iso3 = country_iso3(value)
    exists = (
        select(m.ProjectCountry.id)
        .where(m.ProjectCountry.project_id == m.Project.id, m.ProjectCountry.iso3 == iso3)
        .exists()
    )
    return stmt.where(exists)


def _theme(stmt: Select[Any], value: str) -> Select[Any]:
    return stmt.where(cast(m.Project.themes, String).like(f'%"{value}"%'))


PARTIES = r.Resource(
    name="parties",
    label="party",
    model=m.Party,
    create=s.PartyCreate,
    update=s.PartyUpdate,
    out=s.PartyOut,
    apply=r.apply_party,
    read=r.read_party,
    search=(m.Party.name, m.Party.ref),
    sorts={
        "ref": m.Party.ref,
        "name": m.Party.name,
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
    label="agreement",
    model=m.Agreement,
    create=s.AgreementCreate,
    update=s.AgreementUpdate,
    out=s.AgreementOut,
    apply=r.apply_agreement,
    read=r.read_agreement,
    search=(m.Agreement.title, m.Agreement.ref),
    sorts={
        "ref": m.Agreement.ref,
        "title": m.Agreement.title,
        "signed": m.Agreement.signed_on,
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
    label="working group",
    model=m.WorkingGroup,
    create=s.GroupCreate,
    update=s.GroupUpdate,
    out=s.GroupOut,
    apply=r.apply_group,
    read=r.read_group,
    search=(m.WorkingGroup.name, m.WorkingGroup.ref),
    sorts={
        "ref": m.WorkingGroup.ref,
        "name": m.WorkingGroup.name,
        "established": m.WorkingGroup.established_on,
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
    label="project",
    model=m.Project,
    create=s.ProjectCreate,
    update=s.ProjectUpdate,
    out=s.ProjectOut,
    apply=r.apply_project,
    read=r.read_project,
    search=(m.Project.title, m.Project.ref),
    sorts={
        "ref": m.Project.ref,
        "title": m.Project.title,
        "status": m.Project.status,
        "planned_start": m.Project.planned_start,
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
