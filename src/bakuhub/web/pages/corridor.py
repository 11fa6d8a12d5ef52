"""Corridor pages: the studies found under ``<data_dir>/studies/*/summary.json``, a
comparison of two (the key figures of ``bakuhub corridor compare``), and each study's
``report.html``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response

from bakuhub.accounts.permissions import Role
from bakuhub.errors import NotFound
from bakuhub.jobs.access import full_view
from bakuhub.jobs.schemas import listed_view
from bakuhub.jobs.service import list_jobs
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.pages.common import render

router = APIRouter(include_in_schema=False)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
IDENTITY = (("scenario", "Scenario"), ("year", "Year"), ("resolution", "Time resolution"))
"""What a compared study is, shown above its key figures."""


def studies(root: Path) -> list[dict[str, Any]]:
    """Each study folder with a readable summary.json, newest first."""
    found = []
    for summary in sorted(root.glob("*/summary.json")):
        try:
            data = json.loads(summary.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        folder = summary.parent
        found.append(
            {
                "name": folder.name,
                "summary": data,
                "has_report": (folder / "report.html").is_file(),
                "mtime": summary.stat().st_mtime,
            }
        )
    return sorted(found, key=lambda s: -s["mtime"])


def scenarios() -> list[dict[str, Any]]:
    """The shipped scenarios: name, year and description (from their YAML files)."""
    from bakuhub.corridor.scenario import shipped_scenario, shipped_scenarios

    out = []
    for name in shipped_scenarios():
        spec = shipped_scenario(name)
        out.append({"name": name, "year": spec.year, "about": spec.description})
    return out


def key_figures(summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The comparison of ``bakuhub corridor compare``, with numbers as text."""
    from bakuhub.corridor.compare import compare

    rows = compare(summaries)
    for row in rows:
        row["text"] = [_number(v) for v in row["values"]]
        diff = row["difference"]
        row["difference_text"] = "" if diff is None else f"{'+' if diff > 0 else ''}{_number(diff)}"
    return rows


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _value(summary: dict[str, Any], key: str) -> str:
    value = summary.get(key)
    if isinstance(value, float):
        return _number(value)
    return "" if value is None else str(value)


@router.get("/corridor")
def corridor(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    principal: PrincipalDep,
    compare: list[str] = Query(default=[], max_length=20),
) -> Response:
    found = studies(settings.data_dir / "studies")
    by_name = {s["name"]: s for s in found}
    chosen = [by_name[n] for n in dict.fromkeys(compare) if n in by_name]
    pair = chosen if len(chosen) == 2 else []
    context = {
        "studies": found,
        "chosen": pair,
        "ticked": [s["name"] for s in chosen],
        "asked": bool(compare),
        "identity": [
            {"label": label, "values": [_value(s["summary"], key) for s in pair]}
            for key, label in IDENTITY
        ],
        "table": key_figures([s["summary"] for s in pair]) if pair else [],
        "value": _value,
        "scenarios": scenarios(),
        "jobs": [
            listed_view(job, full=full_view(principal))
            for job in list_jobs(session=session, kind="corridor.study", limit=10)
        ],
        "may_run": principal is not None and principal.at_least(Role.focal_point),
        "jobs_per_user": settings.jobs_per_user,
    }
    return render(request, "corridor.html", context)


@router.get("/corridor/studies/{name}/report.html")
def report(name: str, settings: SettingsDep) -> Response:
    root = (settings.data_dir / "studies").resolve()
    path = (root / name / "report.html").resolve()
    if not NAME.match(name) or path.parent.parent != root or not path.is_file():
        raise NotFound(f"There is no report of a study '{name}'.")
    return FileResponse(path, media_type="text/html")
