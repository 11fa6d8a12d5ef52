"""How each record type maps between its schemas and its tables.

Each record type is a :class:`Resource`: its table, its schemas, how to write
a validated payload onto a row (``apply``), how to read a row back (``out``),
and which filters and sort keys its list accepts.

Reading for the public (``published_only=True``: anonymous readers) leaves out
every reference to a draft record: a published project names no draft agreement
or organisation, a published agreement no draft party or parent, a working group
no draft party or agreement. Staff reads (the default) show everything, and the
services' audit entries and merged updates always read the full record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pycountry
from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import Session

from bakuhub.i18n import _
from bakuhub.registry import models as m
from bakuhub.registry import schemas as s
from bakuhub.registry.dates import format_partial_date, parse_partial_date
from bakuhub.registry.refs import agreement_id, party_id
from bakuhub.timestamps import as_utc

Filter = Callable[[Select[Any], str], Select[Any]]


class Reader(Protocol):
    """Reads a row as the API returns it (drafts it refers to hidden when ``published_only``)."""

    def __call__(self, obj: Any, *, published_only: bool = False) -> dict[str, Any]: ...


def shown(record: Any, published_only: bool) -> bool:
    """Whether ``record`` may be named to this reader: drafts are hidden from the public."""
    return not published_only or record.published is not False


def public_ref(record: Any, published_only: bool) -> str | None:
    """The ref of a referenced record, or None when absent or hidden from this reader."""
    return record.ref if record is not None and shown(record, published_only) else None


@dataclass(frozen=True)
class Resource:
    """One record type of the registry."""

    name: str
    label: str
    model: type[Any]
    create: type[BaseModel]
    update: type[BaseModel]
    out: type[BaseModel]
    apply: Callable[[Session, Any, Any], None]
    read: Reader
    search: tuple[Any, ...]
    """Searchers: functions of ``(q, published_only)`` returning a SQL condition
    (built in ``catalog``), any of which matching finds the record."""
    sorts: dict[str, Any]
    filters: dict[str, Filter] = field(default_factory=dict)
    load: tuple[Any, ...] = ()
    """Loader options for reading rows (what ``read`` touches, nothing more)."""
    plural: str = ""
    """The record type's name in the plural, as a sentence says it ("working groups");
    ``label`` and ``plural`` are marked for translation (``_(resource.label)`` where shown)."""


def _date(text: str | None) -> tuple[Any, str | None]:
    if text is None:
        return None, None
    value, precision = parse_partial_date(text)
    return value, precision.value


def _replace(session: Session, obj: Any, attr: str, rows: list[Any]) -> None:
    """Replace a child collection (flush the removals first: unique keys)."""
    current = getattr(obj, attr)
    if current and obj.id is not None:
        current.clear()
        session.flush()
    current.extend(rows)


def _stamp(obj: Any) -> dict[str, Any]:
    return {
        "id": obj.id,
        "ref": obj.ref,
        "version": obj.version,
        "created_at": as_utc(obj.created_at),
        "updated_at": as_utc(obj.updated_at),
        "created_by": obj.created_by,
        "updated_by": obj.updated_by,
        "sources": list(obj.sources or []),
        "published": bool(obj.published) if obj.published is not None else True,
    }


# ---- parties ----------------------------------------------------------------


def apply_party(session: Session, obj: m.Party, data: s.PartyCreate) -> None:
    """Write a validated party onto its row."""
    obj.kind = data.kind.value
    obj.name = data.name
    obj.iso3 = data.iso3
    obj.org_type = data.org_type
    obj.iati_ref = data.iati_ref
    obj.hub_role = data.hub_role.value if data.hub_role else None
    obj.hub_joined_on, obj.hub_joined_precision = _date(data.hub_joined)
    obj.notes = data.notes
    obj.sources = list(data.sources)
    obj.published = data.published
    if not obj.ref:
        obj.ref = data.ref or data.iso3 or _slug(data.name)


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.strip()).strip("-")
    return "-".join(p for p in out.split("-") if p)[:100] or "party"


def read_party(obj: m.Party, *, published_only: bool = False) -> dict[str, Any]:
    """A party row as the API returns it (it refers to no other record)."""
    iso2 = None
    if obj.iso3:
        found = pycountry.countries.get(alpha_3=obj.iso3)
        iso2 = found.alpha_2 if found else None
    return {
        **_stamp(obj),
        "kind": obj.kind,
        "name": obj.name,
        "iso3": obj.iso3,
        "iso2": iso2,
        "org_type": obj.org_type,
        "iati_ref": obj.iati_ref,
        "hub_role": obj.hub_role,
        "hub_joined": format_partial_date(obj.hub_joined_on, obj.hub_joined_precision),
        "notes": obj.notes,
    }


# ---- agreements -------------------------------------------------------------


def apply_agreement(session: Session, obj: m.Agreement, data: s.AgreementCreate) -> None:
    """Write a validated agreement (with parties and ratifications) onto its row."""
    obj.ref = obj.ref or data.ref
    obj.title = data.title
    obj.kind = data.kind.value
    obj.place = data.place
    obj.signed_on, obj.signed_precision = _date(data.signed)
    obj.status = data.status.value
    obj.parent_id = agreement_id(session, data.parent, ["parent"])
    if obj.parent_id is not None and obj.parent_id == obj.id:
        raise s_invalid("parent", _("an agreement cannot be its own parent"))
    obj.summary = data.summary
    obj.sources = list(data.sources)
    obj.published = data.published
    parties = [
        m.AgreementParty(party_id=party_id(session, p.party, ["parties", i, "party"]), role=p.role)
        for i, p in enumerate(data.parties)
    ]
    ratifications = []
    for i, r in enumerate(data.ratifications):
        when, precision = _date(r.date)
        ratifications.append(
            m.Ratification(
                party_id=party_id(session, r.party, ["ratifications", i, "party"]),
                ratified_on=when,
                ratified_precision=precision,
                body=r.body,
                source=r.source,
            )
        )
    _replace(session, obj, "parties", parties)
    _replace(session, obj, "ratifications", ratifications)


def s_invalid(loc: str, msg: str) -> Exception:
    from bakuhub.errors import InvalidInput

    return InvalidInput(f"{loc}: {msg}", details=[{"loc": [loc], "msg": msg}])


def read_agreement(obj: m.Agreement, *, published_only: bool = False) -> dict[str, Any]:
    """An agreement row as the API returns it (draft parent and parties hidden if asked)."""
    return {
        **_stamp(obj),
        "title": obj.title,
        "kind": obj.kind,
        "place": obj.place,
        "signed": format_partial_date(obj.signed_on, obj.signed_precision),
        "status": obj.status,
        "parent": public_ref(obj.parent, published_only),
        "summary": obj.summary,
        "parties": [
            {"party": p.party.ref, "role": p.role}
            for p in obj.parties
            if shown(p.party, published_only)
        ],
        "ratifications": [
            {
                "party": r.party.ref,
                "date": format_partial_date(r.ratified_on, r.ratified_precision),
                "body": r.body,
                "source": r.source,
            }
            for r in obj.ratifications
            if shown(r.party, published_only)
        ],
        "documents": [read_document_record(d) for d in obj.documents],
    }


def read_document_record(d: m.Document) -> dict[str, Any]:
    """A document's record (not its bytes) as the API returns it."""
    return {
        "id": d.id,
        "filename": d.filename,
        "media_type": d.media_type,
        "size": d.size,
        "sha256": d.sha256,
        "uploaded_at": as_utc(d.uploaded_at),
        "uploaded_by": d.uploaded_by,
    }


# ---- working groups ---------------------------------------------------------


def apply_group(session: Session, obj: m.WorkingGroup, data: s.GroupCreate) -> None:
    """Write a validated working group (members, meetings, decisions...) onto its row."""
    obj.ref = obj.ref or data.ref
    obj.name = data.name
    obj.agreement_id = agreement_id(session, data.agreement, ["agreement"])
    obj.mandate = data.mandate
    obj.established_on, obj.established_precision = _date(data.established)
    obj.sources = list(data.sources)
    obj.published = data.published
    parties = [
        m.GroupParty(party_id=party_id(session, ref, ["parties", i]))
        for i, ref in enumerate(data.parties)
    ]
    _replace(session, obj, "parties", parties)
    _replace(session, obj, "members", [m.GroupMember(**x.model_dump()) for x in data.members])
    meetings = [m.Meeting(held_on=x.date, place=x.place, minutes=x.minutes) for x in data.meetings]
    _replace(session, obj, "meetings", meetings)
    decisions = [
        m.Decision(decided_on=x.date, text=x.text, texts=dict(x.texts)) for x in data.decisions
    ]
    _replace(session, obj, "decisions", decisions)
    items = [
        m.ActionItem(description=x.description, owner=x.owner, due_on=x.due, status=x.status)
        for x in data.action_items
    ]
    _replace(session, obj, "action_items", items)


def read_group(obj: m.WorkingGroup, *, published_only: bool = False) -> dict[str, Any]:
    """A working group row as the API returns it (draft agreement and parties hidden if asked)."""
    return {
        **_stamp(obj),
        "name": obj.name,
        "agreement": public_ref(obj.agreement, published_only),
        "mandate": obj.mandate,
        "established": format_partial_date(obj.established_on, obj.established_precision),
        "parties": [p.party.ref for p in obj.parties if shown(p.party, published_only)],
        "members": [
            {"name": x.name, "organisation": x.organisation, "country": x.country, "role": x.role}
            for x in obj.members
        ],
        "meetings": [
            {"date": x.held_on, "place": x.place, "minutes": x.minutes} for x in obj.meetings
        ],
        "decisions": [
            {"date": x.decided_on, "text": x.text, "texts": dict(x.texts or {})}
            for x in obj.decisions
        ],
        "action_items": [
            {"description": x.description, "owner": x.owner, "due": x.due_on, "status": x.status}
            for x in obj.action_items
        ],
    }


# ---- projects ---------------------------------------------------------------


def apply_project(session: Session, obj: m.Project, data: s.ProjectCreate) -> None:
    """Write a validated project (countries, organisations, milestones) onto its row."""
    obj.ref = obj.ref or data.ref
    obj.title = data.title
    obj.description = data.description
    obj.agreement_id = agreement_id(session, data.agreement, ["agreement"])
    obj.status = data.status
    obj.themes = [t.value for t in data.themes]
    obj.planned_start, obj.actual_start = data.planned_start, data.actual_start
    obj.planned_end, obj.actual_end = data.planned_end, data.actual_end
    obj.latitude, obj.longitude = data.latitude, data.longitude
    obj.sources = list(data.sources)
    obj.published = data.published
    countries = [m.ProjectCountry(iso3=c.country, share=c.share) for c in data.countries]
    orgs = [
        m.ProjectOrganisation(
            party_id=party_id(session, o.party, ["organisations", i, "party"]), role=o.role
        )
        for i, o in enumerate(data.organisations)
    ]
    milestones = [
        m.Milestone(title=x.title, due_on=x.due, done_on=x.done, status=x.status)
        for x in data.milestones
    ]
    _replace(session, obj, "countries", countries)
    _replace(session, obj, "organisations", orgs)
    _replace(session, obj, "milestones", milestones)


def read_project(obj: m.Project, *, published_only: bool = False) -> dict[str, Any]:
    """A project row as the API returns it (draft agreement and organisations hidden if asked)."""
    return {
        **_stamp(obj),
        "title": obj.title,
        "description": obj.description,
        "agreement": public_ref(obj.agreement, published_only),
        "status": obj.status,
        "themes": list(obj.themes or []),
        "planned_start": obj.planned_start,
        "actual_start": obj.actual_start,
        "planned_end": obj.planned_end,
        "actual_end": obj.actual_end,
        "latitude": obj.latitude,
        "longitude": obj.longitude,
        "countries": [{"country": c.iso3, "share": c.share} for c in obj.countries],
        "organisations": [
            {"party": o.party.ref, "role": o.role}
            for o in obj.organisations
            if shown(o.party, published_only)
        ],
        "milestones": [
            {"title": x.title, "due": x.due_on, "done": x.done_on, "status": x.status}
            for x in obj.milestones
        ],
    }
