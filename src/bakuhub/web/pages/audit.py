"""The audit log page (secretariat and administrators)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bakuhub.accounts.permissions import Role, require
from bakuhub.audit import service as audit
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import render

router = APIRouter(include_in_schema=False)


def changed_fields(before: object, after: object) -> list[str]:
    """Top-level fields whose value differs between before and after."""
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}
    skip = {"version", "updated_at", "updated_by"}
    return sorted(k for k in set(a) | set(b) if k not in skip and a.get(k) != b.get(k))


@router.get("/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    record_type: str = "",
    record_ref: str = "",
    actor: str = "",
    offset: int = 0,
) -> Response:
    require(principal, Role.secretariat, "read the audit log")
    rows = audit.list_entries(
        session=session,
        record_type=record_type or None,
        record_ref=record_ref or None,
        actor=actor or None,
        limit=100,
        offset=max(0, offset),
    )
    entries = [
        {
            **audit.read_entry(e),
            "changed": changed_fields(e.before, e.after),
            "before_text": json.dumps(e.before, indent=1, ensure_ascii=False) if e.before else "",
            "after_text": json.dumps(e.after, indent=1, ensure_ascii=False) if e.after else "",
        }
        for e in rows
    ]
    filters = {"record_type": record_type, "record_ref": record_ref, "actor": actor}
    return render(request, "audit.html", {"entries": entries, "filters": filters, "offset": offset})
