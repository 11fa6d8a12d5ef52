"""Resolve references between records (by ``ref``) inside a session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.errors import InvalidInput
from bakuhub.registry.models import Agreement, Party


def _missing(kind: str, ref: str, loc: list[str | int]) -> InvalidInput:
    field = ".".join(str(p) for p in loc)
    return InvalidInput(
        f"{field}: there is no {kind} with ref '{ref}'; create it first or correct the ref",
        details=[{"loc": loc, "msg": f"unknown {kind} '{ref}'"}],
    )


def party_id(session: Session, ref: str, loc: list[str | int]) -> int:
    """Database id of the party ``ref``; InvalidInput naming ``loc`` if unknown."""
    found = session.scalar(select(Party.id).where(Party.ref == ref))
    if found is None:
        raise _missing("party", ref, loc)
    return found


def agreement_id(session: Session, ref: str | None, loc: list[str | int]) -> int | None:
    """Database id of the agreement ``ref`` (None passes through)."""
    if ref is None:
        return None
    found = session.scalar(select(Agreement.id).where(Agreement.ref == ref))
    if found is None:
        raise _missing("agreement", ref, loc)
    return found
