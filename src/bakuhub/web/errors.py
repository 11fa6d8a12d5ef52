"""Turn domain errors, validation errors and database refusals into clear answers,
and refuse input no database can store (a NUL character) at the edge."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bakuhub.db import read_only
from bakuhub.errors import (
    BakuhubError,
    Busy,
    Conflict,
    InvalidInput,
    StaleVersion,
    pydantic_message,
)
from bakuhub.i18n import N_, _

RETRY_AFTER_S = 2
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NUL_MESSAGE = N_(
    "The {where} contains a NUL character (\\u0000), which cannot be stored; "
    "remove it and send the request again."
)
NUL_PLACES = {
    "path": N_("address (path)"),
    "query": N_("query string"),
    "body": N_("request body"),
}
"""Where a NUL character was found, in the words of :data:`NUL_MESSAGE`."""
TITLES = {
    401: N_("Please sign in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    409: N_("Conflict"),
}
"""The heading of an error page by status (others: "That did not work")."""
_ESCAPED_NUL = re.compile(rb"\\u0000", re.IGNORECASE)


def is_page(request: Request) -> bool:
    """Whether the request is for a page (HTML), not the JSON API."""
    return not request.url.path.startswith("/api/")


def _page_error(request: Request, exc: BakuhubError) -> Response:
    from bakuhub.web.pages.common import render

    if exc.status_code == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    title = _(TITLES[exc.status_code]) if exc.status_code in TITLES else _("That did not work")
    context = {"title": title, "message": exc.message}
    return render(request, "error.html", context, status_code=exc.status_code)


def _bakuhub_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BakuhubError)
    if is_page(request):
        response = _page_error(request, exc)
    else:
        response = JSONResponse(
            status_code=exc.status_code, content={"detail": exc.message, "errors": exc.details}
        )
    if exc.status_code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for e in exc.errors():
        loc = [p for p in e["loc"] if p != "body"]
        errors.append({"loc": loc, "msg": pydantic_message(e)})
    detail = "; ".join(
        f"{'.'.join(str(p) for p in x['loc']) or _('body')}: {x['msg']}" for x in errors
    )
    return JSONResponse(status_code=422, content={"detail": detail, "errors": errors})


async def _http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's own refusals (a body it cannot read, 400; an unknown path, 404; a method
    the path does not take, 405) in the API's one error body; pages keep FastAPI's."""
    assert isinstance(exc, HTTPException)
    if is_page(request):
        return await http_exception_handler(request, exc)
    return JSONResponse(
        status_code=exc.status_code,
        content={"detail": str(exc.detail), "errors": []},
        headers=exc.headers,
    )


def database_refusal(exc: Exception) -> BakuhubError:
    """The user's view of a refusal by the database (lost race, lock, value it cannot hold)."""
    if isinstance(exc, StaleDataError):
        return StaleVersion(
            _(
                "The record was changed by someone else at the same time; reload it and apply "
                "your change again."
            )
        )
    if isinstance(exc, IntegrityError):
        return Conflict(
            _(
                "The change clashes with a change someone else saved at the same time (a "
                "duplicate ref, or a record in use); reload and try again."
            )
        )
    if isinstance(exc, DataError):
        return InvalidInput(
            _(
                "A value in the request is too long or out of range for the database; shorten "
                "the text or use a smaller number and send it again."
            )
        )
    return Busy(
        _("The database is busy with other changes; nothing was saved. Try again in a moment.")
    )


def _database_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, OperationalError) and not _is_lock(exc):
        raise exc
    return _bakuhub_error(request, database_refusal(exc))


def _is_lock(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    words = ("database is locked", "database is busy", "deadlock", "could not serialize")
    return any(w in text for w in words) or "lock" in type(exc.orig).__name__.lower()


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _body_has_nul(content_type: str, body: bytes) -> bool:
    """Whether a JSON, form or text body carries a NUL character (files are not checked)."""
    if "json" in content_type:
        if b"\x00" in body:
            return True
        if not _ESCAPED_NUL.search(body):
            return False
        try:
            return _has_nul(json.loads(body))
        except ValueError:
            return False  # not JSON: the route's own validation answers
    if "x-www-form-urlencoded" in content_type:
        return b"\x00" in unquote_to_bytes(body.replace(b"+", b" "))
    return b"\x00" in body


def _checks_body(content_type: str) -> bool:
    kinds = ("json", "x-www-form-urlencoded", "text/", "xml")
    return any(k in content_type for k in kinds)


class RequestEdge:
    """ASGI middleware: refuse NUL characters in the path, query and JSON/form/text
    bodies with 422, and mark read-only requests for the database (``db.read_only``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"]:
            await _refuse(scope, send, "path")
            return
        if b"\x00" in unquote_to_bytes(scope.get("query_string", b"").replace(b"+", b" ")):
            await _refuse(scope, send, "query")
            return
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        if scope["method"] not in READ_METHODS and _checks_body(content_type):
            body, receive = await _buffered(receive)
            if _body_has_nul(content_type, body):
                await _refuse(scope, send, "body")
                return
        token = read_only.set(scope["method"] in READ_METHODS)
        try:
            await self.app(scope, receive, send)
        finally:
            read_only.reset(token)


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a ``receive`` that hands it on to the app."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def _refuse(scope: Scope, send: Send, where: str) -> None:
    message = _(NUL_MESSAGE).format(where=_(NUL_PLACES[where]))
    if scope["path"].startswith("/api/"):
        response: Response = JSONResponse(
            status_code=422, content={"detail": message, "errors": [{"loc": [], "msg": message}]}
        )
    else:
        response = Response(message, status_code=422, media_type="text/plain; charset=utf-8")

    async def no_body() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, no_body, send)


def install_error_handlers(app: FastAPI) -> None:
    """Map BakuhubError to its status, request validation errors to 422, database
    refusals (lost races, locks, values too large) to 409/503/422 (``create_app`` installs
    ``RequestEdge`` inside the security headers)."""
    app.add_exception_handler(BakuhubError, _bakuhub_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    for kind in (StaleDataError, IntegrityError, DataError, OperationalError):
        app.add_exception_handler(kind, _database_error)
