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


def install_pages(app: FastAPI) -> None:
    """Include every page router and serve the static files."""
    from bakuhub.web.pages import (
        account,
        audit,
        corridor,
        corridor_jobs,
        groups,
        home,
        project,
        records,
        risk,
    )

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> FileResponse:
        return FileResponse(
            plotly_js(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    for module in (home, account, audit, risk, corridor, corridor_jobs, project, groups, records):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
