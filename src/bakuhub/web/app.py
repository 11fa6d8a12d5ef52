"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bakuhub import __version__
from bakuhub.config import Settings, get_settings, secret_key_warning
from bakuhub.db import make_engine, make_sessionmaker
from bakuhub.web.answer_cache import AnswerCache, KeptReads, read_counter
from bakuhub.web.auth import guard
from bakuhub.web.contract import BakuhubAPI, Health, operation_id
from bakuhub.web.errors import RequestEdge, install_error_handlers
from bakuhub.web.locale import LocaleMiddleware

API_PREFIX = "/api/v1"
log = logging.getLogger(__name__)
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""Pages: scripts only from /static (no inline script); inline styles stay allowed
(plotly.js sets style attributes, the risk table sets a bar's width)."""
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""The API documentation (Swagger UI served by bakuhub itself, and its one inline script)."""
REPORT_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
"""A corridor report: one self-contained file (plotly inline) that fetches nothing."""


def content_security_policy(path: str) -> str:
    """The Content-Security-Policy of the answer to ``path``."""
    if path.startswith(f"{API_PREFIX}/docs"):
        return DOCS_CSP
    study_report = path.startswith(f"{API_PREFIX}/corridor/studies/") and path.endswith("/report")
    if path.endswith("/report.html") or study_report:
        return REPORT_CSP
    return PAGE_CSP


class SecurityHeaders:
    """ASGI middleware: no framing, a CSP, no MIME sniffing, a referrer policy, on every
    answer (a header the route set itself is kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fixed = {
            b"x-frame-options": b"DENY",
            b"content-security-policy": content_security_policy(scope["path"]).encode(),
            b"x-content-type-options": b"nosniff",
            b"referrer-policy": b"same-origin",
            b"cross-origin-opener-policy": b"same-origin",
        }

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in fixed.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def api_router() -> APIRouter:
    """Every JSON API router, under ``/api/v1``.

    One way to wire a router: a module in ``web/routes/`` with a ``router``, imported
    here by name and listed below (a renamed or broken module fails loudly, never
    silently drops its routes; ``tests/test_app_routes.py`` checks every prefix).
    Imported when the app is built, not when this module is, so ``bakuhub --help``
    stays light.
    """
    from bakuhub.web.routes import accounts, corridor, documents, finance, iati, jobs, results, risk
    from bakuhub.web.routes import bulk as bulk_routes
    from bakuhub.web.routes import csv as csv_routes
    from bakuhub.web.routes import iati_live as iati_live_routes
    from bakuhub.web.routes import iati_org as iati_org_routes
    from bakuhub.web.routes import sweeps as sweep_routes
    from bakuhub.web.routes.registry import registry_routers

    api = APIRouter(prefix=API_PREFIX)
    for router in registry_routers():
        api.include_router(router)
    modules = (csv_routes, documents, corridor, risk, results, finance, iati, accounts, jobs)
    for module in (*modules, iati_org_routes, bulk_routes, iati_live_routes, sweep_routes):
        api.include_router(module.router)
    return api


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web application for ``settings`` (the environment's by default)."""
    settings = settings or get_settings()
    warning = secret_key_warning(settings)
    if warning:
        log.warning(warning)
    engine = make_engine(settings.effective_database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = BakuhubAPI(
        title="bakuhub",
        version=__version__,
        summary="The COP29 Baku partnerships platform: the Hub's record and the energy corridor.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served below, with Swagger UI from the installed package
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(guard)],
        generate_unique_id_function=operation_id,
    )
    app.add_middleware(KeptReads, prefix=f"{API_PREFIX}/")  # innermost: the public's repeats
    app.add_middleware(RequestEdge)  # NUL characters refused, read-only requests marked
    app.add_middleware(LocaleMiddleware)  # inside the session: reads the chosen language
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie="bakuhub_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(SecurityHeaders)  # added last: outermost, so every answer carries them
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.answer_cache = AnswerCache(settings.answer_cache_entries)
    app.state.read_counter = partial(read_counter, engine)
    install_error_handlers(app)
    app.include_router(api_router())
    from bakuhub.web.pages import install_pages

    install_pages(app)

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{API_PREFIX}/openapi.json",
            title="bakuhub API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="data:,",  # no icon fetched from anywhere
        )

    @app.get(f"{API_PREFIX}/health", tags=["meta"], summary="Liveness and version")
    def get_health() -> Health:
        return Health(status="ok", version=__version__)

    return app
