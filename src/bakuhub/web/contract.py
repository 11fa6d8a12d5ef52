"""The API's contract as the OpenAPI document states it: one error body for every error
status an operation can answer, readable operation ids, the real media types of files
(:func:`file_response`: CSV, XML, HTML, YAML... not JSON).

``BakuhubAPI.openapi`` finishes FastAPI's document once: each ``/api/`` operation gets
the statuses every request can meet (401 for a bad token, 403 for a refused role or
CSRF check, 422 for a bad parameter or a NUL character), 400 where a body is read, 404
where the path names a record, 409 and 503 for writes (routes add theirs with
:data:`TOO_MANY_JOBS` and :data:`MAY_BE_MISSING`); FastAPI's ``HTTPValidationError`` is
replaced by :class:`ErrorBody`, the body ``web/errors.py`` really sends.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

ERROR_REF = "#/components/schemas/ErrorBody"
WRITES = frozenset({"post", "put", "patch", "delete"})
ALWAYS = {
    401: "The API token or session is not valid (or the operation needs one).",
    403: "The caller's role does not allow it (or, with a session cookie, the CSRF check failed).",
    422: "A parameter or the body is not valid: `errors` names each one.",
}
"""Statuses any operation can answer (the guard runs before every route)."""
WITH_BODY = {400: "The body could not be read (not JSON, or not UTF-8 text)."}
BY_PATH = {404: "No such record (or it is a draft and the caller may not see drafts)."}
BY_WRITE = {
    409: "The record changed since it was read (stale `version`), or the change clashes "
    "with another record (a taken ref, a record in use).",
    503: "The database stayed busy; nothing was saved. Try again after `Retry-After` seconds.",
}
TOO_MANY_JOBS: dict[int | str, Any] = {
    429: {
        "description": "The caller already has as many jobs (or a sweep) queued or running "
        "as allowed; wait for one to finish."
    }
}
"""``responses`` of the routes that submit corridor jobs."""
MAY_BE_MISSING: dict[int | str, Any] = {
    404: {"description": "A record named in the query does not exist (or there is none)."}
}
"""``responses`` of the routes without a path parameter that answer 404."""
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
    }
}
FASTAPI_ERRORS = ("HTTPValidationError", "ValidationError")
FASTAPI_DESCRIPTIONS = frozenset({"Validation Error", ""})
_PATH_PARAM = re.compile(r"{[^}]+}")


class ErrorDetail(BaseModel):
    """One input at fault: where (``loc``: path of the field; ``row``, ``column`` of a
    file) and why (``msg``). Some errors add other keys (a rule's name, a record's id)."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int] | None = None
    msg: str | None = None


class Health(BaseModel):
    """The answer of ``/api/v1/health``."""

    status: str = Field(description="ok while the server answers")
    version: str = Field(description="bakuhub's version")


class ErrorBody(BaseModel):
    """The body of every error answer of the API."""

    detail: str = Field(description="What went wrong and what to do, in one sentence.")
    errors: list[ErrorDetail] = Field(description="Each input at fault (may be empty).")


def error_response(status: int, description: str) -> dict[str, Any]:
    """An OpenAPI response whose body is :class:`ErrorBody` (503: with ``Retry-After``)."""
    schema = {"$ref": ERROR_REF}
    answer = {"description": description, "content": {"application/json": {"schema": schema}}}
    if status == 503:
        answer["headers"] = RETRY_AFTER
    return answer


def file_response(*media_types: str, description: str = "The file.") -> dict[int | str, Any]:
    """``responses`` of a route answering a file of one of ``media_types`` (not JSON)."""
    content = {m: {"schema": {"type": "string", "format": "binary"}} for m in media_types}
    return {200: {"description": description, "content": content}}


def operation_id(route: APIRoute) -> str:
    """The operation id of ``route``: its function's name (``list_parties``); the app's
    ``generate_unique_id_function`` (tests/web/test_api_contract.py checks they are unique)."""
    return route.name


def error_statuses(path: str, method: str, *, body: bool = False) -> dict[int, str]:
    """The error statuses an operation can answer, with what each means."""
    found = dict(ALWAYS)
    if body:
        found.update(WITH_BODY)
    if _PATH_PARAM.search(path):
        found.update(BY_PATH)
    if method in WRITES:
        found.update(BY_WRITE)
    return found


def add_errors(document: dict[str, Any]) -> None:
    """Declare :class:`ErrorBody` for every error status of every API operation."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_ERRORS:
        schemas.pop(name, None)
    for model in (ErrorDetail, ErrorBody):
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in found.pop("$defs", {}).items():
            schemas[name] = sub
        schemas[model.__name__] = found
    for path, operations in document.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            statuses = error_statuses(path, method, body="requestBody" in operation)
            for status, description in statuses.items():
                known = responses.get(str(status), {}).get("description", "")
                if known in FASTAPI_DESCRIPTIONS:
                    known = description
                responses[str(status)] = error_response(status, known)
            for code, answer in responses.items():
                if code.startswith(("4", "5")) and "content" not in answer:
                    responses[code] = error_response(int(code), answer.get("description", ""))


class BakuhubAPI(FastAPI):
    """FastAPI whose OpenAPI document states the real error bodies (see module doc)."""

    def openapi(self) -> dict[str, Any]:
        """The document, finished once and then served as is."""
        if self.openapi_schema is None:
            document = super().openapi()
            add_errors(document)
            self.openapi_schema = document
        return self.openapi_schema
