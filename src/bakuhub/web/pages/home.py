"""The home page: the partnerships at a glance."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Principal
from bakuhub.errors import BakuhubError
from bakuhub.i18n import _
from bakuhub.registry import service
from bakuhub.registry.catalog import RESOURCES
from bakuhub.registry.schemas import country_name
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import render
from bakuhub.web.pages.finance import home_finance
from bakuhub.web.pages.maps import count_scale, point_map

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
TOP = 10


def _all(session: Session, principal: Principal | None, kind: str) -> list[dict[str, Any]]:
    page = service.list_records(
        session=session,
        resource=RESOURCES[kind],
        limit=10_000,
        published_only=principal is None,
        sort="-updated_at" if "updated_at" in RESOURCES[kind].sorts else None,
    )
    return page.items


def _risk_top(session: Session) -> list[dict[str, Any]]:
    from bakuhub.risk import service as risk

    try:
        run = risk.rank(session=session, preset="hub")
    except BakuhubError as exc:
        log.warning("risk ranking unavailable: %s", exc.message)
        return []
    rows = sorted((s for s in run.scores if s.rank is not None), key=lambda s: s.rank or 0)
    return [{"iso3": s.iso3, "name": s.name, "score": s.score, "rank": s.rank} for s in rows[:TOP]]


@router.get("/")
def home(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    records = {kind: _all(session, principal, kind) for kind in RESOURCES}
    projects = records["projects"]
    shares: Counter[str] = Counter()
    for p in projects:
        for c in p["countries"]:
            shares[c["country"]] += 1
    recent = sorted(
        ((kind, r) for kind, rows in records.items() for r in rows),
        key=lambda kr: kr[1]["updated_at"],
        reverse=True,
    )[:8]
    scale = count_scale(dict(shares), _("Projects per country"), "Blues")
    figure = point_map(dict(shares), title="", label=_("project(s)"), zoom=True, scale=scale)
    context = {
        "counts": {kind: len(rows) for kind, rows in records.items()},
        "countries": sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])),
        "country_name": country_name,
        "map": figure,
        "legend": scale.legend(),
        "finance": home_finance(session, principal),
        "risk": _risk_top(session),
        "recent": recent,
        "agreements": sorted(
            records["agreements"], key=lambda a: str(a.get("signed") or ""), reverse=True
        )[:5],
    }
    return render(request, "home.html", context)
