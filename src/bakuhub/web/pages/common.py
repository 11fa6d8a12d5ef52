"""Shared plumbing of the pages: templates, rendering, redirects."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from bakuhub import __version__
from bakuhub.accounts.permissions import Principal
from bakuhub.web.auth import CSRF_FIELD, csrf_token

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
NAV = (
    ("/", "Home"),
    ("/parties", "Parties"),
    ("/agreements", "Agreements"),
    ("/working-groups", "Working groups"),
    ("/projects", "Projects"),
    ("/dashboards", "Dashboards"),
    ("/risk", "Risk"),
    ("/corridor", "Corridor"),
)


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    """The Jinja2 templates (autoescaped), made on first use."""
    return Jinja2Templates(directory=str(TEMPLATES))


def principal_of(request: Request) -> Principal | None:
    """The principal resolved for this request (None: anonymous)."""
    found: Principal | None = getattr(request.state, "principal", None)
    return found


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a template with the navigation, the principal and the CSRF token."""
    principal = principal_of(request)
    base = {
        "nav": NAV,
        "principal": principal,
        "is_staff": bool(principal and principal.is_staff),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "version": __version__,
        "path": request.url.path,
    }
    return templates().TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def who(principal: Principal | None) -> str:
    """The author the audit log records for a change made from a page."""
    return principal.username if principal else "anonymous"


def redirect(url: str) -> RedirectResponse:
    """A redirect after a successful form (POST -> GET)."""
    return RedirectResponse(url, status_code=303)


def form_text(form: Any, name: str) -> str:
    """A form field as stripped text ('' when missing)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def form_version(form: Any) -> int:
    """The record version an edit form was opened at (its hidden ``version`` field).

    A form without a readable version cannot say what it changes: 0, which no record
    has (versions start at 1), so the service refuses it as stale and the person
    reloads the form.
    """
    text = form_text(form, "version")
    return int(text) if text.isdigit() and len(text) < 12 else 0


def bind(handler: Any, **fixed: str) -> Any:
    """``handler`` with some parameters fixed (FastAPI reads the remaining ones).

    The wrapper is sync for a sync handler (FastAPI then runs it in a worker thread)
    and async only for an async one, so no blocking work lands on the event loop.
    """
    import functools
    import inspect

    bound: Any
    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def bound_async(*args: Any, **kwargs: Any) -> Any:
            return await handler(*args, **fixed, **kwargs)

        bound = bound_async
    else:

        @functools.wraps(handler)
        def bound_sync(*args: Any, **kwargs: Any) -> Any:
            return handler(*args, **fixed, **kwargs)

        bound = bound_sync
    signature = inspect.signature(handler)
    params = [p for name, p in signature.parameters.items() if name not in fixed]
    bound.__signature__ = signature.replace(parameters=params)
    return bound
