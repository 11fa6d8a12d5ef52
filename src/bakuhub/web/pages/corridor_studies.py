"""A corridor study's page and the comparison of studies.

- ``/corridor/studies/{name}``: key figures (rounded, with units), the counterfactual
  with differences, the report, the exact inputs and their hash, links to the
  scenario, "Run again" (analysts: a job, then its page), "Fork the scenario", the
  downloads (the service's fixed list) and the discussion thread.
- ``/corridor/compare?study=a&study=b``: 2 to 8 studies side by side, differences to
  the first, and a warning when resolution, weather or year differ.

Who sees a study is the service's rule (:mod:`bakuhub.studies.service`): one hidden
from the reader is not found. Roles are checked before a form is read (dependencies).
Plain ``def`` endpoints: FastAPI runs them off the event loop.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import yaml
from fastapi import APIRouter, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from bakuhub import i18n
from bakuhub.accounts.permissions import Principal, Role
from bakuhub.corridor.compare import FIGURES, clean, compare
from bakuhub.corridor.report_molecules import molecule_figures, molecules_section
from bakuhub.corridor.report_negotiation import negotiation_sections
from bakuhub.corridor.report_pathway import pathway_figure, pathway_section
from bakuhub.errors import BakuhubError, validated
from bakuhub.i18n import N_, _
from bakuhub.studies import service
from bakuhub.studies.comments import MAX_BODY
from bakuhub.studies.schemas import RunIn
from bakuhub.studies.service import MAX_COMPARED, TABLES
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.pages.common import redirect, render
from bakuhub.web.pages.corridor import ORIGIN_NAMES, link, number, signed
from bakuhub.web.routes.corridor_scenarios import AnalystDep, SignedInDep, submit_study_job
from bakuhub.web.routes.jobs import RunnerDep

router = APIRouter(include_in_schema=False)
NamePath = Annotated[str, PathParam(min_length=1, max_length=120, description="A study's name.")]
SINGLE = (
    ("summary.json", N_("Summary (JSON)")),
    ("scenario.yaml", N_("Scenario (YAML)")),
    ("network.nc", N_("PyPSA network (netCDF)")),
    ("report.html", N_("Report (HTML)")),
)
COUNTERFACTUAL = (
    (N_("Total system cost"), "bn EUR/a", "total_system_cost_eur_a", 1e-9),
    (N_("CO2 emitted"), "Mt/a", "co2_emitted_mt", 1.0),
    (N_("Export"), "TWh/a", "export_twh", 1.0),
    (N_("Unserved energy"), "TWh/a", "unserved_twh", 1.0),
)
"""The counterfactual's figures: label, unit, summary key, factor to the unit."""
IDENTITY = (
    ("scenario", N_("Scenario")),
    ("counterfactual", N_("Counterfactual")),
    ("year", N_("Year")),
    ("resolution", N_("Time resolution")),
    ("weather", N_("Weather")),
    ("author", N_("Author")),
    ("origin", N_("Started from")),
)
"""What a compared study is, shown above its key figures."""


def download_url(name: str, file: str) -> str:
    """A study's download, through the API's fixed list of files."""
    return f"/api/v1/corridor/studies/{quote(name, safe='')}/files/{file}"


def figure_rows(summary: dict[str, Any] | None, figures: dict[str, Any]) -> list[dict[str, str]]:
    """The key figures of one study (from its summary, else the stored figures)."""
    if summary is not None:
        return [
            {"label": _(r["label"]), "unit": r["unit"], "text": number(r["values"][0], r["unit"])}
            for r in compare([summary])
        ]
    return [
        {"label": _(f.label), "unit": f.unit, "text": number(figures.get(f.key), f.unit)}
        for f in FIGURES
    ]


def counterfactual_rows(summary: dict[str, Any] | None) -> list[dict[str, str]]:
    """The study against its counterfactual (no Caspian cable): values and differences."""
    other = (summary or {}).get("counterfactual")
    if not isinstance(other, dict) or summary is None:
        return []
    rows = []
    for label, unit, key, factor in COUNTERFACTUAL:
        mine, theirs = (
            _scaled(summary.get(key), factor, unit),
            _scaled(other.get(key), factor, unit),
        )
        if key == "unserved_twh" and not mine and not theirs:
            continue  # unserved energy only when there is some
        diff = None if mine is None or theirs is None else clean(mine - theirs, unit)
        rows.append(
            {
                "label": _(label),
                "unit": unit,
                "study": number(mine, unit),
                "counterfactual": number(theirs, unit),
                "difference": signed(diff, unit),
            }
        )
    return rows


def _scaled(value: Any, factor: float, unit: str) -> float | None:
    return clean(float(value) * factor, unit) if isinstance(value, int | float) else None


def downloads(name: str, files: list[str]) -> dict[str, Any]:
    """The study's downloads: single files, and each table as CSV and Parquet."""
    single = [(_(label), download_url(name, f)) for f, label in SINGLE if f in files]
    tables = [
        {
            "name": t,
            "csv": download_url(name, f"{t}.csv") if f"{t}.csv" in files else None,
            "parquet": download_url(name, f"{t}.parquet") if f"{t}.parquet" in files else None,
        }
        for t in TABLES
        if f"{t}.csv" in files or f"{t}.parquet" in files
    ]
    return {"single": single, "tables": tables}


def scenario_links(study: dict[str, Any]) -> dict[str, str | None]:
    """The page of the study's scenario (saved or shipped) and the editor that forks it
    into a new draft (:mod:`bakuhub.web.pages.corridor_scenarios`); none for a scenario
    sent inline."""
    ref = study["scenario_ref"] or study["shipped"]
    if not ref:
        return {"page": None, "fork": None}
    return {
        "page": f"/corridor/scenarios/{quote(ref, safe='')}",
        "fork": f"/corridor/scenarios/new?{urlencode({'from': ref})}",
    }


log = logging.getLogger(__name__)


def _section_html(
    summary: dict[str, Any] | None, make: Callable[[dict[str, Any]], str], what: str
) -> Markup:
    """One of the study's sections made by ``make`` (the report's own, built from escaped
    text), or nothing; a summary whose part is not as this version writes it is logged
    and left out, never an error page."""
    if not summary:
        return Markup("")
    try:
        return Markup(make(summary))  # every text in it is escaped
    except (KeyError, TypeError, ValueError, AttributeError):
        log.warning("the %s tables of a study summary could not be read", what, exc_info=True)
        return Markup("")


def charts(summary: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The study's charts drawn on its page (``app.js``, offline), the report's own: the
    pathway's capacity built each year and the molecules' (title and plotly figure); a
    summary whose part is not as this version writes it is logged and left out."""
    if not summary:
        return []
    try:
        made = [pathway_figure(summary), *molecule_figures(summary)]
    except (KeyError, TypeError, ValueError, AttributeError):
        log.warning("the charts of a study summary could not be made", exc_info=True)
        return []
    return [
        {"title": str(fig.layout.title.text), "figure": json.loads(fig.to_json())}
        for fig in made
        if fig is not None
    ]


def study_context(
    session: Session, principal: Principal | None, data_dir: Path, name: str
) -> dict[str, Any]:
    """What the study page shows (``NotFound`` for a study the reader may not see)."""
    row = service.get_study(session=session, principal=principal, name=name, data_dir=data_dir)
    study = service.study_detail(row, principal, data_dir)
    summary = study["summary"]
    thread = service.thread(
        session=session, principal=principal, target_type="study", target=row.name
    )
    return {
        "study": study,
        "href": link(row.name),
        "date": i18n.datetime(row.created_at, "short"),
        "figures": figure_rows(summary, study["figures"]),
        "versus": counterfactual_rows(summary),
        "negotiation": _section_html(summary, negotiation_sections, "negotiation"),
        "pathway": _section_html(summary, pathway_section, "pathway"),
        "molecules": _section_html(summary, molecules_section, "molecule"),
        "charts": charts(summary),
        "inputs_yaml": yaml.safe_dump(study["inputs"], sort_keys=False, allow_unicode=True),
        "downloads": downloads(row.name, study["files"]),
        "report": f"{link(row.name)}/report.html" if "report.html" in study["files"] else None,
        "links": scenario_links(study),
        "origin_names": ORIGIN_NAMES,
        "may_run": principal is not None and principal.at_least(Role.focal_point),
        "run_form": {"resolution": study["resolution"], "counterfactual": bool(row.counterfactual)},
        "errors": {},
        # the thread, for _comments.html (context names documented at its top)
        "comments": thread,
        "comment_action": f"{link(row.name)}/comments",
        "may_comment": principal is not None,
        "comment_body": "",
        "comment_error": "",
        "max_body": MAX_BODY,
    }


@router.get("/corridor/studies/{name}")
def study_page(
    name: NamePath,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    context = study_context(session, principal, settings.data_dir, name)
    return render(request, "corridor_study.html", context)


@router.post("/corridor/studies/{name}/rerun")
def rerun(
    name: NamePath,
    request: Request,
    session: SessionDep,
    principal: AnalystDep,
    runner: RunnerDep,
    settings: SettingsDep,
    resolution: Annotated[str, Form(max_length=400)] = "",
    counterfactual: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Run the study's exact scenario again as a job; its page follows the job."""
    try:
        run = validated(
            RunIn,
            {"resolution": resolution.strip() or None, "counterfactual": counterfactual == "on"},
            what=_("Run again"),
        )
        scenario, ref = service.rerun_scenario(session=session, principal=principal, name=name)
        job = submit_study_job(
            session=session,
            runner=runner,
            principal=principal,
            settings=settings,
            scenario=scenario,
            scenario_ref=ref,
            origin="page",
            run=run,
        )
    except BakuhubError as exc:
        if exc.status_code == 404:
            raise
        context = study_context(session, principal, settings.data_dir, name)
        context["errors"] = {"run": exc.message}
        context["run_form"] = {
            "resolution": resolution[:40],
            "counterfactual": counterfactual == "on",
        }
        return render(request, "corridor_study.html", context, status_code=exc.status_code)
    return redirect(f"/corridor/jobs/{job.id}")


@router.post("/corridor/studies/{name}/comments")
def comment(
    name: NamePath,
    request: Request,
    session: SessionDep,
    principal: SignedInDep,
    settings: SettingsDep,
    body: Annotated[str, Form(max_length=4 * MAX_BODY)] = "",
) -> Response:
    """Add the reader's comment to the study's thread (markdown; rendered safely)."""
    try:
        said = service.comment_on(
            session=session, principal=principal, target_type="study", target=name, body=body
        )
    except BakuhubError as exc:
        if exc.status_code == 404:
            raise
        context = study_context(session, principal, settings.data_dir, name)
        context.update(comment_error=exc.message, comment_body=body)
        return render(request, "corridor_study.html", context, status_code=exc.status_code)
    return redirect(f"{link(name)}#comment-{said['id']}")


def comparison(
    session: Session, principal: Principal | None, data_dir: Path, names: list[str]
) -> dict[str, Any]:
    """The comparison's page context: who is compared, their figures as text, warnings."""
    result = service.compare_studies(
        session=session, principal=principal, data_dir=data_dir, names=names
    )
    studies = result["studies"]
    identity = []
    for key, label in IDENTITY:
        values = [_shown(key, s[key]) for s in studies]
        identity.append({"label": _(label), "values": values, "differs": len(set(values)) > 1})
    rows = [
        {
            "label": _(r["label"]),
            "unit": r["unit"],
            "text": [number(v, r["unit"]) for v in r["values"]],
            "differences": [signed(d, r["unit"]) for d in r["differences"][1:]],
        }
        for r in result["rows"]
    ]
    return {
        "studies": [{**s, "href": link(s["name"])} for s in studies],
        "identity": identity,
        "rows": rows,
        "warnings": result["warnings"],
    }


def _shown(key: str, value: Any) -> str:
    """One identity cell of a compared study (who started it in the reader's words)."""
    if value is None:
        return _("not solved")
    return _(ORIGIN_NAMES.get(str(value), str(value))) if key == "origin" else str(value)


@router.get("/corridor/compare")
def compare_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    study: list[str] = Query(default=[], max_length=4 * MAX_COMPARED),
) -> Response:
    """2 to 8 studies side by side; a missing or hidden one is named in the page."""
    names = [n[:120] for n in dict.fromkeys(s.strip() for s in study) if n]
    try:
        context = comparison(session, principal, settings.data_dir, names)
    except BakuhubError as exc:
        context = {"error": exc.message, "asked": names, "max": MAX_COMPARED}
        return render(request, "corridor_compare.html", context, status_code=exc.status_code)
    return render(request, "corridor_compare.html", {**context, "error": None})
