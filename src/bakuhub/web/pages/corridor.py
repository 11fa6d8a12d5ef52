"""The corridor page: every study of the one store (run in the browser, by the API, by
the command line against the data directory, or the reference study at startup),
filtered and paged by the URL, with checkboxes to compare two or more; the form that
runs a shipped scenario as a job, the recent runs with their place in the queue, and
the shipped scenarios. Also each study's report, served inline under its own strict
Content-Security-Policy (the path ends in ``/report.html``).

Plain ``def`` endpoints: FastAPI runs them off the event loop.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from bakuhub import i18n
from bakuhub.accounts.permissions import Principal, Role
from bakuhub.corridor.compare import DECIMALS
from bakuhub.corridor.study_store import studies_dir
from bakuhub.i18n import N_, _
from bakuhub.jobs.access import full_view
from bakuhub.jobs.kinds import CORRIDOR_STUDY
from bakuhub.jobs.schemas import listed_view
from bakuhub.jobs.service import list_jobs, queue_positions
from bakuhub.studies import service
from bakuhub.studies.service import StudyFilter
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.pages.common import redirect, render

router = APIRouter(include_in_schema=False)
PER_PAGE = 25
ORIGINS = (
    ("page", N_("a page of bakuhub")),
    ("api", N_("the API")),
    ("cli", N_("the command line")),
    ("startup", N_("the reference study (at startup)")),
    ("sweep", N_("a sweep")),
)
"""Who started a study, as the filter says it (the service checks the value)."""
ORIGIN_NAMES = {
    "page": N_("page"),
    "api": "api",
    "cli": "cli",
    "startup": N_("startup"),
    "sweep": N_("sweep"),
}
"""Who started a study, as a column of the list says it (translated where shown)."""
STATE_NAMES = {
    "queued": N_("queued"),
    "running": N_("running"),
    "succeeded": N_("succeeded"),
    "failed": N_("failed"),
    "cancelled": N_("cancelled"),
    "ready": N_("ready"),
    "unknown": N_("unknown"),
    "shipped": N_("shipped"),
    "published": N_("published"),
    "draft": N_("draft"),
}
"""The states of jobs, studies and scenarios (the templates write ``_(state)``)."""
Short = Annotated[str | None, Query(max_length=120)]


def number(value: float | None, unit: str) -> str:
    """A figure already rounded by ``corridor.compare.clean``, written with the decimals
    of its unit and without trailing zeros (``20``, ``61.5``, ``2,000`` in English, in
    the reader's locale's digits and signs); n/a for None."""
    if value is None:
        return _("n/a")
    from babel.numbers import format_decimal

    digits = DECIMALS.get(unit, 3)
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    rounded = round(value, digits) or 0.0  # no "-0"
    return format_decimal(rounded, format=pattern, locale=i18n.current())


def signed(value: float | None, unit: str) -> str:
    """A difference with its sign (``+5``, ``-2,000``, ``0``); n/a for None."""
    text = number(value, unit)
    positive = value is not None and round(value, DECIMALS.get(unit, 3)) > 0
    return f"+{text}" if positive else text


def link(name: str) -> str:
    """The page of a study (its name quoted as one path segment)."""
    return f"/corridor/studies/{quote(name, safe='')}"


def listed(study: dict[str, Any]) -> dict[str, Any]:
    """A study of the list with what the page writes of it."""
    figures = study.get("figures") or {}
    created = study["created_at"]
    return {
        **study,
        "href": link(study["name"]),
        "date": i18n.datetime(created, "short") if created is not None else "",
        "cost": number(figures.get("total_system_cost"), "bn EUR/a"),
        "export": number(figures.get("export"), "TWh/a"),
    }


def _filters(values: dict[str, str | None]) -> dict[str, str]:
    return {k: v.strip()[:120] for k, v in values.items() if v and v.strip()}


def _page_link(filters: dict[str, str], page: int) -> str:
    query = urlencode({**filters, **({"page": page} if page > 1 else {})})
    return f"/corridor?{query}" if query else "/corridor"


def studies_listed(
    session: Session,
    principal: Principal | None,
    data_dir: Path,
    filters: dict[str, str],
    page: int,
) -> tuple[list[dict[str, Any]], bool]:
    """One page of the studies ``principal`` may read, and whether there is a next one;
    on the first page of the unfiltered list, the study folders still being solved (or
    failed) too."""
    where = StudyFilter(
        scenario=filters.get("scenario"),
        resolution=filters.get("resolution"),
        author=filters.get("author"),
        origin=filters.get("origin"),
        limit=PER_PAGE + 1,
        offset=(page - 1) * PER_PAGE,
    )
    rows = service.list_studies(
        session=session, principal=principal, data_dir=data_dir, where=where
    )
    out = [listed(service.study_out(r)) for r in rows[:PER_PAGE]]
    if page == 1 and not filters:
        known = {s["name"] for s in out}
        out += [s for s in unsolved(data_dir) if s["name"] not in known]
    return out, len(rows) > PER_PAGE


def unsolved(data_dir: Path) -> list[dict[str, Any]]:
    """The study folders of the data directory without a summary yet: being solved (the
    reference study at startup) or failed, as their ``status.json`` says."""
    root = studies_dir(data_dir)
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        if (folder / "summary.json").is_file():
            continue  # solved: in the store
        out.append({"name": folder.name, "pending": True, **_status(folder / "status.json")})
    return out


def _status(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"state": "unknown", "error": None}
    if not isinstance(data, dict):
        return {"state": "unknown", "error": None}
    return {"state": str(data.get("state", "unknown"))[:20], "error": data.get("error")}


def recent_jobs(session: Session, principal: Principal | None) -> list[dict[str, Any]]:
    """The last corridor-study jobs, with how many queued jobs are ahead of each queued one."""
    jobs = list_jobs(session=session, kind=CORRIDOR_STUDY, limit=10)
    ahead = queue_positions(session=session, job_ids=[j.id for j in jobs])
    full = full_view(principal)
    return [
        {"view": listed_view(j, full=full), "ahead": ahead.get(j.id), "mine": _mine(j, principal)}
        for j in jobs
    ]


def _mine(job: Any, principal: Principal | None) -> bool:
    return principal is not None and job.created_by == principal.username


def shipped() -> list[dict[str, Any]]:
    """The shipped scenarios: name, year and description (from their YAML files)."""
    from bakuhub.corridor.scenario import shipped_scenario, shipped_scenarios

    out = []
    for name in shipped_scenarios():
        spec = shipped_scenario(name)
        out.append({"name": name, "year": spec.year, "about": spec.description})
    return out


@router.get("/corridor")
def corridor(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    principal: PrincipalDep,
    scenario: Short = None,
    resolution: Annotated[str | None, Query(max_length=32)] = None,
    author: Short = None,
    origin: Annotated[str | None, Query(max_length=12)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    compare: list[str] = Query(default=[], max_length=20),
) -> Response:
    """The list of studies; ``compare`` (the older links) goes to the comparison."""
    asked = [c[:120] for c in dict.fromkeys(compare) if c]
    if len(asked) >= 2:
        return redirect("/corridor/compare?" + urlencode([("study", n) for n in asked]))
    filters = _filters(
        {"scenario": scenario, "resolution": resolution, "author": author, "origin": origin}
    )
    found, more = studies_listed(session, principal, settings.data_dir, filters, page)
    context = {
        "studies": found,
        "filters": filters,
        "origins": ORIGINS,
        "origin_names": ORIGIN_NAMES,
        "page": page,
        "previous": _page_link(filters, page - 1) if page > 1 else None,
        "next": _page_link(filters, page + 1) if more else None,
        "compare_error": bool(asked),
        "scenarios": shipped(),
        "jobs": recent_jobs(session, principal),
        "may_run": principal is not None and principal.at_least(Role.focal_point),
        "jobs_per_user": settings.jobs_per_user,
    }
    return render(request, "corridor.html", context)


@router.get("/corridor/studies/{name}/report.html")
def report(
    name: Annotated[str, PathParam(min_length=1, max_length=120)],
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    """A study's report (self-contained HTML), for whoever may read the study."""
    path, media = service.study_file(
        session=session,
        principal=principal,
        data_dir=settings.data_dir,
        name=name,
        file="report.html",
    )
    return FileResponse(path, media_type=media)
