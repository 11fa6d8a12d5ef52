"""Turn domain errors and validation errors into clear JSON answers."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from bakuhub.errors import BakuhubError


def _bakuhub_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BakuhubError)
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
