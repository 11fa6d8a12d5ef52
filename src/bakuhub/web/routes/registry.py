"""JSON API of the registry: one set of CRUD routes per record type.

This module deliberately does not use ``from __future__ import annotations``:
the routes are built per record type, and FastAPI reads their body types from
the annotations at definition time.
"""

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import TypeAdapter

from bakuhub.db import MAX_ID
from bakuhub.registry import service
from bakuhub.registry.catalog import FILTER_TYPES, RESOURCES
from bakuhub.registry.resources import Resource
from bakuhub.registry.schemas import Page
from bakuhub.web import policy
from bakuhub.web.answer_cache import json_answer
from bakuhub.web.deps import AuthorDep, PrincipalDep, SessionDep, SettingsDep

RESERVED = {"limit", "offset", "sort", "q"}
MAX_FILTER = 200
"""The longest value of a free-text filter (characters)."""


def filter_params(resource: Resource) -> Callable[..., Awaitable[dict[str, str]]]:
    """A dependency reading the resource's filters as typed, optional query parameters.

    Code-list filters are enums in the schema (a value outside the list is a 422
    naming the parameter); free-text ones are bounded strings.
    """
    params = []
    for name, kind in sorted(FILTER_TYPES.get(resource.name, {}).items()):
        about = f"Only {resource.name} with this {name}."
        bound = MAX_FILTER if kind is str else None
        params.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[kind | None, Query(description=about, max_length=bound)],
            )
        )

    async def read(**values: Any) -> dict[str, str]:  # no I/O: no thread hop for it
        return {k: str(v) for k, v in values.items() if v is not None}

    read.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return read


def make_router(resource: Resource) -> APIRouter:
    """List, get, create, update and delete routes for one record type."""
    router = APIRouter(prefix=f"/{resource.name}", tags=[resource.name])
    create_schema: Any = resource.create
    update_schema: Any = resource.update
    out_schema: Any = resource.out
    filters = ", ".join(sorted(resource.filters)) or "none"
    sorts = ", ".join(sorted(resource.sorts))

    typed_filters = filter_params(resource)
    page_answer: Any = TypeAdapter(Page[out_schema])
    one_answer: Any = TypeAdapter(out_schema)
    plural = resource.name.replace("-", "_")
    single = resource.label.replace(" ", "_")

    @router.get(
        "",
        summary=f"List {resource.name}",
        operation_id=f"list_{plural}",
        response_model=Page[out_schema],
        description=f"Filters (query parameters): {filters}. Sort keys: {sorts} "
        "(prefix '-' for descending, comma-separated). `q` searches, case-insensitively, "
        "refs, names or titles and descriptions (projects also by the names of their "
        "countries and organisations). `total` counts every match; `limit` (at most the "
        "server's page size, 500 by default: the answer's `limit` says what was used) and "
        "`offset` page through them. A bad value is a 422 naming the parameter.",
    )
    def list_(
        request: Request,
        session: SessionDep,
        settings: SettingsDep,
        principal: PrincipalDep,
        chosen: Annotated[dict[str, str], Depends(typed_filters)],
        limit: int = Query(50, ge=1, le=MAX_ID, description="How many records (at most 500)."),
        offset: int = Query(0, ge=0, le=MAX_ID, description="How many matches to skip."),
        sort: str | None = Query(None, max_length=MAX_FILTER, description=f"Sort keys: {sorts}."),
        q: str | None = Query(None, max_length=service.MAX_SEARCH, description="Search text."),
    ) -> Response:
        limit = min(limit, settings.page_size_max)
        unknown = {
            k: v for k, v in request.query_params.items() if k not in RESERVED and k not in chosen
        }
        filters = {**chosen, **unknown}
        published_only = principal is None
        key = (resource.name, published_only, limit, offset, sort, q, *sorted(filters.items()))
        return json_answer(
            request.app.state.answer_cache,
            session,
            key,
            page_answer,
            lambda: service.list_records(
                session=session,
                resource=resource,
                filters=filters,
                q=q,
                sort=sort,
                limit=limit,
                offset=offset,
                published_only=published_only,
            ).model_dump(),
            public=request.scope if published_only else None,
        )

    @router.get(
        "/{ref}",
        summary=f"Get one {resource.label}",
        operation_id=f"get_{single}",
        response_model=out_schema,
    )
    def get(request: Request, ref: str, session: SessionDep, principal: PrincipalDep) -> Response:
        published_only = principal is None
        return json_answer(
            request.app.state.answer_cache,
            session,
            (resource.name, published_only, ref),
            one_answer,
            lambda: service.get_record(
                session=session, resource=resource, ref=ref, published_only=published_only
            ),
            public=request.scope if published_only else None,
        )

    @router.post(
        "",
        status_code=201,
        summary=f"Create a {resource.label}",
        operation_id=f"create_{single}",
        response_model=out_schema,
    )
    def create(
        data: create_schema, session: SessionDep, principal: PrincipalDep, author: AuthorDep
    ) -> dict[str, Any]:
        allowed = policy.check_create(principal, resource, data)
        return service.create_record(
            session=session, resource=resource, data=allowed, author=author
        )

    @router.patch(
        "/{ref}",
        summary=f"Update a {resource.label}",
        operation_id=f"update_{single}",
        description="Send `version` (the one you read) and the fields to change; lists "
        "given here replace the stored lists. A stale version is refused with 409.",
        response_model=out_schema,
    )
    def update(
        ref: str,
        data: update_schema,
        session: SessionDep,
        principal: PrincipalDep,
        author: AuthorDep,
    ) -> dict[str, Any]:
        before = service.get_record(session=session, resource=resource, ref=ref)
        allowed = policy.check_update(principal, resource, before, data)
        return service.update_record(
            session=session, resource=resource, ref=ref, data=allowed, author=author
        )

    @router.delete(
        "/{ref}",
        status_code=204,
        summary=f"Delete a {resource.label}",
        operation_id=f"delete_{single}",
    )
    def delete(
        ref: str,
        session: SessionDep,
        principal: PrincipalDep,
        author: AuthorDep,
        version: int | None = Query(None, ge=1, le=MAX_ID),
    ) -> Response:
        policy.check_delete(principal, resource)
        service.delete_record(
            session=session, resource=resource, ref=ref, version=version, author=author
        )
        return Response(status_code=204)

    return router


def registry_routers() -> list[APIRouter]:
    """One router per record type of the registry."""
    return [make_router(resource) for resource in RESOURCES.values()]
