"""Write and read the audit log (keyword arguments; the caller owns the transaction)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.audit.models import AuditEntry
from bakuhub.timestamps import as_utc


def _plain(value: Any) -> Any:
    """JSON-safe copy (dates and decimals as text)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))


def record(
    *,
    session: Session,
    actor: str,
    action: str,
    record_type: str,
    record_ref: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one audit entry (in the caller's transaction: a refused change leaves none)."""
    entry = AuditEntry(
        actor=actor[:120],
        action=action,
        record_type=record_type,
        record_ref=str(record_ref)[:200],
        before=_plain(before),
        after=_plain(after),
    )
    session.add(entry)
    session.flush()
    return entry


def list_entries(
    *,
    session: Session,
    record_type: str | None = None,
    record_ref: str | None = None,
    actor: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEntry]:
    """Audit entries, newest first, optionally for one record type, record or actor."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    if record_type:
        stmt = stmt.where(AuditEntry.record_type == record_type)
    if record_ref:
        stmt = stmt.where(AuditEntry.record_ref == record_ref)
    if actor:
        stmt = stmt.where(AuditEntry.actor == actor)
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def read_entry(e: AuditEntry) -> dict[str, Any]:
    """An audit entry as the API returns it."""
    return {
        "id": e.id,
        "at": as_utc(e.at),
        "actor": e.actor,
        "action": e.action,
        "record_type": e.record_type,
        "record_ref": e.record_ref,
        "before": e.before,
        "after": e.after,
    }
