"""Shared plumbing of the pages: templates, rendering, redirects."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from bakuhub import __version__, i18n
from bakuhub.accounts.permissions import Principal
from bakuhub.registry.codes import label
from bakuhub.web.auth import CSRF_FIELD, csrf_token

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
NAV = (
    ("/", i18n.N_("Home")),
    ("/parties", i18n.N_("Parties")),
    ("/agreements", i18n.N_("Agreements")),
    ("/working-groups", i18n.N_("Working groups")),
    ("/projects", i18n.N_("Projects")),
    ("/dashboards", i18n.N_("Dashboards")),
    ("/risk", i18n.N_("Risk")),
    ("/corridor", i18n.N_("Corridor")),
)
ROLE_NAMES = {
    "viewer": i18n.N_("viewer"),
    "focal_point": i18n.N_("focal point"),
    "secretariat": i18n.N_("secretariat"),
    "administrator": i18n.N_("administrator"),
}
FILTERS = {
    "number": i18n.number,
    "percent": i18n.percent,
    "money": i18n.money,
    "date": i18n.date,
    "datetime": i18n.datetime,
    "country": i18n.country_name,
    "code": label,
}
"""Locale-aware formatting in templates: ``{{ x|number(1) }}``, ``{{ amount|money('USD')
}}``, ``{{ day|date }}``, ``{{ 'TCD'|country }}``."""


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    """The Jinja2 templates (autoescaped, with gettext in the request's language and the
    locale's formats), made on first use."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
    )
    env.globals["_"] = env.globals["gettext"] = template_gettext
    env.filters.update(FILTERS)
    return Jinja2Templates(env=env)


@jinja2.pass_context
def template_gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
    """Jinja's new-style ``_()``, except that a message without variables is not
    %-formatted: ``{{ _(label) }}`` of a label holding a lone ``%`` ("Share %") must not
    fail. ``%%`` (how Jinja writes a literal ``%`` in messages) still reads ``%``."""
    text = i18n.gettext(message)
    shown = Markup(text) if context.eval_ctx.autoescape else text
    if variables:
        return shown % variables
    return shown.replace("%%", "%")


def theme_names() -> dict[str, str]:
    """The Hub's themes in words, in the reader's language."""
    from bakuhub.registry.codes import Theme

    return {theme.value: label(theme.value) for theme in Theme}


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
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "lang": i18n.current(),
        "text_dir": "rtl" if i18n.is_rtl() else "ltr",
        "languages": i18n.LANGUAGES,
        "role_names": {role: i18n.gettext(name) for role, name in ROLE_NAMES.items()},
        "theme_names": theme_names(),
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
