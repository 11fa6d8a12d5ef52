"""Pages of the record: lists with filters and details (forms: ``record_forms``).

The forms apply the same checks as the JSON API (``bakuhub.web.policy``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Principal, Role
from bakuhub.errors import BakuhubError
from bakuhub.registry import service
from bakuhub.registry.catalog import RESOURCES
from bakuhub.registry.codes import IATI_ACTIVITY_STATUS, Theme
from bakuhub.registry.schemas import country_name
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import bind, render
from bakuhub.web.pages.record_forms import KINDS, record_refs, resource_named

router = APIRouter(include_in_schema=False)
LIST_FILTERS = {"projects": ("country", "theme", "status", "agreement")}


def _list(session: Session, principal: Principal | None, kind: str, **filters: str) -> Any:
    return service.list_records(
        session=session,
        resource=RESOURCES[kind],
        filters={k: v for k, v in filters.items() if v},
        limit=500,
        published_only=principal is None,
        sort="signed" if kind == "agreements" else None,
    )


def list_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    country: str = "",
    theme: str = "",
    status: str = "",
    agreement: str = "",
) -> Response:
    kind = request.url.path.strip("/").split("/")[0]
    chosen = {"country": country, "theme": theme, "status": status, "agreement": agreement}
    filters = {k: v for k, v in chosen.items() if k in LIST_FILTERS.get(kind, ())}
    error = ""
    try:
        page = _list(session, principal, kind, **filters)
    except BakuhubError as exc:
        error, page = exc.message, _list(session, principal, kind)
    context = {
        "kind": kind,
        "resource": RESOURCES[kind],
        "items": page.items,
        "total": page.total,
        "chosen": chosen,
        "error": error,
        "statuses": IATI_ACTIVITY_STATUS,
        "themes": [t.value for t in Theme],
        "agreements": record_refs(session, published_only=principal is None)["agreement"],
        "can_create": principal is not None and principal.at_least(Role.focal_point),
        "country_name": country_name,
    }
    return render(request, f"list_{kind.replace('-', '_')}.html", context)


def detail(
    kind: str, ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    resource = resource_named(kind)
    record = service.get_record(
        session=session, resource=resource, ref=ref, published_only=principal is None
    )
    context: dict[str, Any] = {"record": record, "resource": resource, "kind": kind}
    context["can_edit"] = principal is not None and (
        principal.is_staff or policy.belongs(principal, kind, record)
    )
    context["country_name"] = country_name
    context["statuses"] = IATI_ACTIVITY_STATUS
    if kind == "projects":
        from bakuhub.web.pages.project import project_context

        context.update(project_context(session, principal, record))
    if kind == "parties":
        context["projects"] = _party_projects(session, principal, record)
    template = f"{kind.replace('-', '_')[:-1] if kind != 'parties' else 'party'}.html"
    return render(request, template, context)


def _party_projects(
    session: Session, principal: Principal | None, party: dict[str, Any]
) -> list[dict[str, Any]]:
    items = _list(session, principal, "projects", organisation=party["ref"]).items
    if party.get("iso3"):
        items += _list(session, principal, "projects", country=party["iso3"]).items
    seen: dict[str, dict[str, Any]] = {p["ref"]: p for p in items}
    return list(seen.values())


for _kind in KINDS:
    router.add_api_route(f"/{_kind}", list_page, methods=["GET"])
    router.add_api_route(f"/{_kind}/{{ref}}", bind(detail, kind=_kind), methods=["GET"])
