"""Resolve references between records (by ``ref``) inside a session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _
from bakuhub.registry.models import Agreement, Party


class UnknownRef(InvalidInput):
    """A reference to a record that does not exist (``kind``: party or agreement)."""

    def __init__(self, message: str, *, details: list[dict[str, object]], kind: str, ref: str):
        super().__init__(message, details=details)
        self.kind = kind
        self.ref = ref


def _missing(kind: str, ref: str, loc: list[str | int]) -> UnknownRef:
    field = ".".join(str(p) for p in loc)
    if kind == "party":
        message = _(
            "{field}: there is no party with ref '{ref}'; create it first or correct the ref"
        )
        detail = _("unknown party '{ref}'")
    else:
        message = _(
            "{field}: there is no agreement with ref '{ref}'; create it first or correct the ref"
        )
        detail = _("unknown agreement '{ref}'")
    return UnknownRef(
        message.format(field=field, ref=ref),
        details=[{"loc": loc, "msg": detail.format(ref=ref)}],
        kind=kind,
        ref=ref,
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
