"""The audit log page (secretariat and administrators): filters and pages in the address."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bakuhub.accounts.permissions import Role, require
from bakuhub.audit import service as audit
from bakuhub.i18n import N_, _
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import render
from bakuhub.web.pages.records import Control, canonical, read_view

router = APIRouter(include_in_schema=False)
RECORD_TYPES = (
    "parties",
    "agreements",
    "working-groups",
    "projects",
    "results",
    "periods",
    "budgets",
    "transactions",
    "exchange-rates",
    "documents",
    "iati-profiles",
    "users",
)
"""Suggestions for the record type field (any type typed is looked up)."""


def changed_fields(before: object, after: object) -> list[str]:
    """Top-level fields whose value differs between before and after."""
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}
    skip = {"version", "updated_at", "updated_by"}
    return sorted(k for k in set(a) | set(b) if k not in skip and a.get(k) != b.get(k))


@router.get("/audit")
def audit_page(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    """Changes, newest first, for one record type, record or person; a page at a time."""
    require(principal, Role.secretariat, N_("read the audit log"))
    controls = [
        Control("record_type", _("Record type"), kind="text", datalist=list(RECORD_TYPES)),
        Control("record_ref", _("Record"), kind="text", help=_("Its ref exactly, e.g. P-TCD.")),
        Control("actor", _("Who"), kind="text", help=_("A user name exactly, e.g. amina.")),
    ]
    newest = [("-at", _("Newest first"))]
    view = read_view(request, noun="changes", controls=controls, sorts=newest, default_sort="-at")
    shorter = canonical(request, view)
    if shorter is not None:
        return shorter
    filters = {c.name: c.value or None for c in controls}
    rows = []
    if not view.problem:
        offset = (view.page - 1) * view.per_page
        rows = audit.list_entries(
            session=session, **filters, limit=view.per_page + 1, offset=offset
        )
    more = len(rows) > view.per_page
    entries = [
        {
            **audit.read_entry(e),
            "changed": changed_fields(e.before, e.after),
            "before_text": json.dumps(e.before, indent=1, ensure_ascii=False) if e.before else "",
            "after_text": json.dumps(e.after, indent=1, ensure_ascii=False) if e.after else "",
        }
        for e in rows[: view.per_page]
    ]
    first = (view.page - 1) * view.per_page + 1
    context = {"entries": entries, "view": view, "more": more, "first": first}
    return render(request, "audit.html", context)
