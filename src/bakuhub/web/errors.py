"""Turn domain errors and validation errors into clear JSON answers."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response

from bakuhub.errors import BakuhubError


def is_page(request: Request) -> bool:
    """Whether the request is for a page (HTML), not the JSON API."""
    return not request.url.path.startswith("/api/")


def _page_error(request: Request, exc: BakuhubError) -> Response:
    from bakuhub.web.pages.common import render

    if exc.status_code == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    titles = {401: "Please sign in", 403: "Not allowed", 404: "Not found", 409: "Conflict"}
    title = titles.get(exc.status_code, "That did not work")
    context = {"title": title, "message": exc.message}
    return render(request, "error.html", context, status_code=exc.status_code)


def _bakuhub_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BakuhubError)
    if is_page(request):
        return _page_error(request, exc)
    return JSONResponse(
        status_code=exc.status_code, content={"detail": exc.message, "errors": exc.details}
    )


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for e in exc.errors():
        loc = [p for p in e["loc"] if p != "body"]
        errors.append({"loc": loc, "msg": e["msg"]})
    detail = "; ".join(
        f"{'.'.join(str(p) for p in x['loc']) or 'body'}: {x['msg']}" for x in errors
    )
    return JSONResponse(status_code=422, content={"detail": detail, "errors": errors})


def install_error_handlers(app: FastAPI) -> None:
    """Map BakuhubError to its status and request validation errors to 422."""
    app.add_exception_handler(BakuhubError, _bakuhub_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
