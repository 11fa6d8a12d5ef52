"""IATI details of a project: identifier, reporting organisation, sectors, markers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.errors import Conflict
from bakuhub.i18n import _
from bakuhub.registry.models import Party, Project
from bakuhub.registry.resources import shown
from bakuhub.results import models as m
from bakuhub.results.schemas import ProfileIn
from bakuhub.results.service import fetch_project, flush, log_change

HUB_ORG = ("BAKU-HUB", "15", "Baku Climate and Peace Action Hub")
"""Reporting organisation when a project names none (ref, IATI type, name)."""
ROLE_ORDER = ("accountable", "extending", "funding", "implementing")


@dataclass(frozen=True)
class Org:
    """An organisation as IATI names it."""

    ref: str
    type: str
    name: str


def party_org(party: Party) -> Org:
    """A registry party as an IATI organisation (countries: type 10, government)."""
    return Org(
        ref=party.iati_ref or party.ref, type=party.org_type or "10", name=party.name or party.ref
    )


def profile_of(session: Session, project: Project) -> m.ActivityProfile | None:
    """The project's IATI profile, if any."""
    return session.scalar(
        select(m.ActivityProfile).where(m.ActivityProfile.project_id == project.id)
    )


def reporting_org(
    project: Project, profile: m.ActivityProfile | None, *, published_only: bool = False
) -> Org:
    """The profile's reporting organisation, else the project's accountable (or first)
    organisation, else the Hub; ``published_only`` (the public) passes over draft parties."""
    if profile is not None and profile.reporting_org_ref:
        return Org(
            ref=profile.reporting_org_ref,
            type=profile.reporting_org_type or "90",
            name=profile.reporting_org_name or profile.reporting_org_ref,
        )
    for role in ROLE_ORDER:
        for org in project.organisations:
            if org.role == role and shown(org.party, published_only):
                return party_org(org.party)
    return Org(*HUB_ORG)


def identifier(
    project: Project, profile: m.ActivityProfile | None, *, published_only: bool = False
) -> str:
    """The IATI activity identifier: the profile's, else ``<reporting org ref>-<project ref>``
    (for the public, the reporting org is never a draft party)."""
    if profile is not None and profile.identifier:
        return profile.identifier
    org = reporting_org(project, profile, published_only=published_only)
    return f"{org.ref}-{project.ref}"


def store_profile(session: Session, project: Project, data: ProfileIn) -> m.ActivityProfile:
    """Create or overwrite the project's IATI profile row from a validated payload."""
    if data.identifier:
        other = session.scalar(
            select(m.ActivityProfile).where(
                m.ActivityProfile.identifier == data.identifier,
                m.ActivityProfile.project_id != project.id,
            )
        )
        if other is not None:
            raise Conflict(
                _(
                    "The IATI identifier '{identifier}' is already used by project "
                    "'{ref}'; an identifier names one activity."
                ).format(identifier=data.identifier, ref=other.project.ref)
            )
    row = profile_of(session, project) or m.ActivityProfile(project_id=project.id)
    row.identifier = data.identifier
    row.reporting_org_ref = data.reporting_org_ref
    row.reporting_org_type = data.reporting_org_type
    row.reporting_org_name = data.reporting_org_name
    row.default_currency = data.default_currency
    row.default_lang = data.default_lang
    row.humanitarian = data.humanitarian
    row.titles = dict(data.titles)
    row.descriptions = dict(data.descriptions)
    row.sectors = [s.model_dump() for s in data.sectors]
    row.policy_markers = [x.model_dump(mode="json") for x in data.policy_markers]
    row.humanitarian_scopes = [x.model_dump() for x in data.humanitarian_scopes]
    session.add(row)
    flush(session, _("IATI details of project '{ref}'").format(ref=project.ref))
    return row


def set_profile(
    *, session: Session, project_ref: str, data: ProfileIn, author: str
) -> dict[str, Any]:
    """Create or overwrite a project's IATI details."""
    project = fetch_project(session, project_ref)
    return write_profile(session, project, data, author)


def write_profile(
    session: Session, project: Project, data: ProfileIn, author: str
) -> dict[str, Any]:
    """Create or overwrite the project's IATI profile, with its audit entry."""
    old = profile_of(session, project)
    before = read_profile(old) if old is not None else None
    after = read_profile(store_profile(session, project, data))
    log_change(session, author, "update", "iati-profiles", project.ref, before, after)
    return after


def get_profile(
    *, session: Session, project_ref: str, published_only: bool = False
) -> dict[str, Any]:
    """A project's IATI details, with the identifier and reporting org it exports with
    (as the public export writes them when ``published_only``)."""
    project = fetch_project(session, project_ref)
    row = profile_of(session, project)
    out = read_profile(row) if row else ProfileIn().model_dump(mode="json")
    org = reporting_org(project, row, published_only=published_only)
    out["export_identifier"] = identifier(project, row, published_only=published_only)
    out["export_reporting_org"] = {"ref": org.ref, "type": org.type, "name": org.name}
    return out


def read_profile(row: m.ActivityProfile) -> dict[str, Any]:
    """A profile as the API returns it."""
    return {
        "identifier": row.identifier,
        "reporting_org_ref": row.reporting_org_ref,
        "reporting_org_type": row.reporting_org_type,
        "reporting_org_name": row.reporting_org_name,
        "default_currency": row.default_currency,
        "default_lang": row.default_lang,
        "humanitarian": row.humanitarian,
        "titles": dict(row.titles or {}),
        "descriptions": dict(row.descriptions or {}),
        "sectors": list(row.sectors or []),
        "policy_markers": list(row.policy_markers or []),
        "humanitarian_scopes": list(row.humanitarian_scopes or []),
    }


THEME_SECTOR_VOCABULARY = "99"
"""IATI SectorVocabulary 99, "Reporting Organisation": the Hub's own themes."""

THEME_NAMES: dict[str, str] = {
    "adaptation": "Climate adaptation",
    "mitigation-energy": "Climate mitigation: energy",
    "peacebuilding": "Peacebuilding",
    "migration-displacement": "Climate migration and displacement",
    "humanitarian": "Humanitarian relief and recovery",
}
"""Narratives of the Hub's themes (``registry.codes.Theme``) as exported sectors."""


def theme_shares(count: int) -> list[Decimal]:
    """Equal percentages for ``count`` themes, to two decimals, adding up to exactly 100
    (the last takes the remainder), as IATI rule 2.1.1 wants per vocabulary."""
    if count <= 0:
        return []
    part = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [part] * (count - 1) + [Decimal(100) - part * (count - 1)]


def theme_sectors(project: Project) -> list[dict[str, Any]]:
    """The project's Hub themes as IATI sectors of vocabulary 99 (code, name, percentage
    as text, None for a single theme), shared equally; [] without a known theme."""
    themes = [t for t in dict.fromkeys(project.themes or []) if t in THEME_NAMES]
    shares = theme_shares(len(themes))
    return [
        {
            "vocabulary": THEME_SECTOR_VOCABULARY,
            "code": theme,
            "name": THEME_NAMES[theme],
            "percentage": str(share) if len(themes) > 1 else None,
        }
        for theme, share in zip(themes, shares, strict=True)
    ]
