"""Server-rendered pages (Jinja2), static files and offline charts.

Page routes take the same dependencies and checks as the JSON API; state-changing
forms pass the app-wide CSRF guard (``bakuhub.web.auth.guard``).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parents[1] / "static"


def plotly_js() -> Path:
    """plotly.js as shipped inside the installed ``plotly`` package (no CDN)."""
    return Path(str(files("plotly") / "package_data" / "plotly.min.js"))


def swagger_file(name: str) -> Path:
    """A Swagger UI file as shipped inside the installed ``swagger_ui_bundle`` (no CDN)."""
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path) / name


def install_pages(app: FastAPI) -> None:
    """Include every page router and serve the static files."""
    from bakuhub.web.pages import (
        account,
        audit,
        bulk,
        corridor,
        corridor_jobs,
        corridor_studies,
        corridor_sweeps,
        dashboards,
        finance,
        groups,
        home,
        iati,
        project,
        record_forms,
        records,
        risk,
        risk_audit,
        risk_sensitivity,
        risk_upload,
    )

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> FileResponse:
        return _vendored(plotly_js(), "text/javascript")

    @app.get("/static/swagger/swagger-ui-bundle.js", include_in_schema=False)
    def swagger_js() -> FileResponse:
        return _vendored(swagger_file("swagger-ui-bundle.js"), "text/javascript")

    @app.get("/static/swagger/swagger-ui.css", include_in_schema=False)
    def swagger_css() -> FileResponse:
        return _vendored(swagger_file("swagger-ui.css"), "text/css")

    from bakuhub.web.pages import (
        corridor_scenarios,  # issue 15: the scenario pages
        language,  # issue 19: the language switch
        record_texts,  # issue 19: records in several languages
    )

    pages = [home, account, audit, risk, risk_sensitivity, risk_audit, corridor, corridor_jobs]
    pages += [corridor_sweeps, corridor_studies, corridor_scenarios, risk_upload, project, bulk]
    pages += [finance, dashboards, iati, groups, record_forms, records]  # /new before /{ref}
    pages += [language, record_texts]
    for module in pages:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def _vendored(path: Path, media_type: str) -> FileResponse:
    """A file of an installed package, cached by the browser for a day."""
    return FileResponse(
        path, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"}
    )
