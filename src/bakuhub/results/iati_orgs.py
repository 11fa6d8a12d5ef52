"""The organisations of an IATI file being imported: matched once per file, created
when the person chose so (or by default for an unknown identifier), each with its
entry in the report."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.registry.catalog import PARTIES
from bakuhub.registry.codes import IATI_ORGANISATION_TYPES
from bakuhub.registry.models import Party
from bakuhub.registry.schemas import PartyCreate
from bakuhub.registry.service import create_record
from bakuhub.results.iati_match import SKIP, Choices, OrgMatch, Prepared, apply_choice, match_org
from bakuhub.results.iati_match import org_key as key_of


def slug(text: str) -> str:
    """A registry ref from an IATI identifier or name."""
    text = re.sub(r"^[a-zA-Z]+://", "", text.strip())
    out = re.sub(r"[^A-Za-z0-9._:-]+", "-", text).strip("-._:")
    return out[:100] or "iati-activity"


def free_ref(session: Session, model: type, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... the first ref no row of ``model`` has."""
    ref, n = base, 1
    while session.scalar(select(model.id).where(model.ref == ref)):  # type: ignore[attr-defined]
        n += 1
        ref = f"{base[:95]}-{n}"
    return ref


@dataclass
class _Seen:
    ref: str | None
    name: str
    type: str | None
    roles: list[str] = field(default_factory=list)
    choosable: bool = False


def _gather(prepared: list[Prepared]) -> dict[str, _Seen]:
    """Every organisation the kept activities name, with its roles."""
    seen: dict[str, _Seen] = {}

    def add(ref: str | None, name: str, type_: str | None, role: str, choosable: bool) -> None:
        if not (ref or name.strip()):
            return
        entry = seen.setdefault(key_of(ref, name), _Seen(ref, name, type_))
        if role not in entry.roles:
            entry.roles.append(role)
        entry.choosable = entry.choosable or choosable

    for p in prepared:
        if p.target.action == SKIP:
            continue
        profile = p.act.profile
        funder = p.target.action == "funder"
        add(
            profile.reporting_org_ref,
            profile.reporting_org_name or "",
            profile.reporting_org_type,
            "reporting",
            funder,
        )
        for org in p.act.organisations:
            add(org.ref, org.name, org.type, org.role, True)
        for t in p.act.transactions:
            for side, o in (("provider", t.provider), ("receiver", t.receiver)):
                if o is not None:
                    add(o.ref, o.name, o.type, side, False)
    return seen


class OrgBook:
    """The file's organisations: how each matched, and its party once decided."""

    def __init__(self, matches: dict[str, OrgMatch]) -> None:
        self.matches = matches
        self.created: list[str] = []

    @classmethod
    def collect(cls, session: Session, prepared: list[Prepared], choices: Choices) -> OrgBook:
        """Match every organisation of the file; apply the person's choices."""
        matches = {}
        for key, seen in _gather(prepared).items():
            found = match_org(session, seen.ref, seen.name, seen.type, seen.choosable)
            found.roles = seen.roles
            apply_choice(found, choices.orgs.get(key))
            matches[key] = found
        return cls(matches)

    def party_for(self, session: Session, ref: str | None, name: str, author: str) -> str | None:
        """The party ref of an organisation of the file (created if chosen), or None."""
        found = self.matches.get(key_of(ref, name))
        if found is None or found.action in ("skip", "text"):
            return None
        if found.action == "create":
            return self._create(session, found, author)
        return found.party

    def _create(self, session: Session, found: OrgMatch, author: str) -> str:
        if found.party and session.scalar(select(Party.id).where(Party.ref == found.party)):
            return found.party  # made earlier in this import
        ref = free_ref(session, Party, slug(found.ref or found.name))
        org_type = found.type if found.type in IATI_ORGANISATION_TYPES else "90"
        data = PartyCreate(
            kind="organisation",
            ref=ref,
            name=(found.name or found.ref or ref)[:300],
            org_type=org_type,
            iati_ref=(found.ref or None) and found.ref[:100],
            notes="Created by an IATI import.",
        )
        create_record(session=session, resource=PARTIES, data=data, author=author)
        found.party = ref
        if ref not in self.created:
            self.created.append(ref)
        return ref
