"""Dashboards: one page per country and per funder (projects, results against targets,
money in one currency), with offline charts and a CSV of each table."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bakuhub import i18n
from bakuhub.accounts.permissions import Principal
from bakuhub.errors import BakuhubError, NotFound
from bakuhub.i18n import N_, _, country_name
from bakuhub.results import dashboard
from bakuhub.results.codes import PeriodState
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import render

router = APIRouter(include_in_schema=False)
DEFAULT_CURRENCY = "USD"
STATUS_NAMES = {
    "on-track": N_("On track"),
    "at-risk": N_("At risk"),
    "off-track": N_("Off track"),
    "no-data": N_("No data"),
}
"""Each status of a result period (translate where shown)."""
STATE_NAMES = {
    PeriodState.draft.value: N_("draft"),
    PeriodState.submitted.value: N_("submitted"),
    PeriodState.approved.value: N_("approved"),
    PeriodState.returned.value: N_("returned"),
}
"""Each reporting state of a result period (translate where shown)."""
STATUS_COLOURS = {"on-track": "#1b7f3b", "at-risk": "#b07d00", "off-track": "#a4161a"}
SINGULAR = {"countries": "country", "funders": "funder"}
DOWNLOADS = {
    "projects": N_("Download the projects (CSV)"),
    "results": N_("Download the results against targets (CSV)"),
    "money": N_("Download the money by project (CSV)"),
    "rates": N_("Download the exchange rates used (CSV)"),
}
"""The link to each table's CSV (translate where shown)."""
ROLE_NAMES = {
    dashboard.FUNDING_ORGANISATION: N_("funding organisation"),
    dashboard.PROVIDER: N_("provider of transactions"),
}
"""A funder's roles in a project, as people read them."""


def money_labels(kind: str, name: str) -> dict[str, str]:
    """Column names of the money table: what each sum counts, for this dashboard (in the
    reader's language)."""
    if kind == "countries":
        return {
            "budget": _("Budget"),
            "commitment": _("Committed"),
            "disbursement": _("Disbursed"),
            "incoming-funds": _("Incoming funds"),
            "expenditure": _("Spent"),
        }
    return {
        "budget": _("Budget ({name}'s part)").format(name=name),
        "commitment": _("Committed by {name}").format(name=name),
        "disbursement": _("Disbursed by {name}").format(name=name),
        "incoming-funds": _("Received from {name} (incoming funds)").format(name=name),
        "expenditure": _("Spent by the projects (all sources)"),
    }


def _currency(request: Request) -> tuple[str, str, str]:
    """(currency used, what was typed, the error beside the field or '')."""
    typed = request.query_params.get("currency", DEFAULT_CURRENCY)[:40]
    try:
        return dashboard.check_currency(typed), typed, ""
    except BakuhubError as exc:
        return DEFAULT_CURRENCY, typed, exc.message


def _read(
    session: Session, principal: Principal | None, kind: str, key: str, currency: str
) -> dict[str, Any]:
    public = principal is None
    if kind == "countries":
        return dashboard.country_dashboard(
            session=session, iso3=key, currency=currency, published_only=public
        )
    if kind == "funders":
        return dashboard.funder_dashboard(
            session=session, party_ref=key, currency=currency, published_only=public
        )
    raise NotFound(
        _("There are dashboards of countries and funders, not of '{kind}'.").format(kind=kind[:40])
    )


@router.get("/dashboards")
def dashboards_index(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    found = dashboard.dashboard_index(session=session, published_only=principal is None)
    return render(request, "dashboard_index.html", found)


def _page(
    request: Request, session: Session, principal: Principal | None, kind: str, key: str
) -> Response:
    currency, typed, error = _currency(request)
    dash = _read(session, principal, kind, key, currency)
    if kind == "countries":
        dash["name"] = country_name(dash["key"], dash["name"])
    labels = money_labels(kind, dash["name"])
    for project in dash["projects"]:
        project["role_names"] = [
            _(ROLE_NAMES[r]) if r in ROLE_NAMES else r for r in project["roles"]
        ]
    context = {
        "d": dash,
        "labels": labels,
        "typed_currency": typed,
        "currency_error": error,
        "status_names": {code: _(name) for code, name in STATUS_NAMES.items()},
        "state_names": {code: _(name) for code, name in STATE_NAMES.items()},
        "downloads": {table: _(text) for table, text in DOWNLOADS.items()},
        "decimal": i18n.decimal,
        "money_chart": money_chart(dash, labels),
        "results_chart": results_chart(dash),
        "query": f"?currency={currency}",
        "base": f"/dashboards/{kind}/{dash['key']}",
        "file_stem": f"{SINGULAR[kind]}-{dash['key']}",
    }
    return render(request, "dashboard.html", context, status_code=422 if error else 200)


@router.get("/dashboards/countries/{iso3}")
def country_page(
    iso3: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _page(request, session, principal, "countries", iso3)


@router.get("/dashboards/funders/{ref}")
def funder_page(
    ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _page(request, session, principal, "funders", ref)


@router.get("/dashboards/{kind}/{key}/{table}.csv")
def table_csv(
    kind: str, key: str, table: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    """One table of a dashboard as CSV (the same rows the reader sees on the page)."""
    typed = request.query_params.get("currency", DEFAULT_CURRENCY)[:40]
    currency = dashboard.check_currency(typed)
    dash = _read(session, principal, kind, key, currency)
    text = dashboard.table_csv(dash, table)
    name = f"{SINGULAR[kind]}-{dash['key']}-{table}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


# ---- charts (plotly figures drawn by dashboards.js, offline) -------------------------------


def money_chart(dash: dict[str, Any], labels: dict[str, str]) -> dict[str, Any] | None:
    """Budget, committed, disbursed and spent per project, in the dashboard's currency."""
    rows = dash["money"]["rows"]
    if not any(float(r[c]) for r in rows for c in labels):
        return None
    currency = dash["currency"]
    return {
        "data": [
            {
                "type": "bar",
                "name": label,
                "x": [r["project"] for r in rows],
                "y": [float(r[column]) for r in rows],
                "hovertemplate": f"%{{x}}<br>{label}: %{{y:,.2f}} {currency}<extra></extra>",
            }
            for column, label in labels.items()
        ],
        "layout": {
            "title": {
                "text": _("Money by project ({currency})").format(currency=currency),
                "x": 0,
                "xanchor": "left",
            },
            "separators": i18n.separators(),
            "barmode": "group",
            "height": 360,
            "margin": {"l": 70, "r": 10, "t": 50, "b": 90},
            "yaxis": {"title": {"text": currency}, "tickformat": ",.0f"},
            "xaxis": {"automargin": True},
            "legend": {"orientation": "h", "y": -0.3},
        },
    }


def _label(row: dict[str, Any]) -> str:
    """A bar's label on two short lines: the project, then the indicator and year."""
    indicator = row["indicator"] if len(row["indicator"]) <= 28 else row["indicator"][:27] + "…"
    return f"{row['project']}<br>{indicator} ({row['end'].year})"


def results_chart(dash: dict[str, Any]) -> dict[str, Any] | None:
    """Each period's progress towards its target (percent), coloured by status."""
    rows = [r for r in dash["results"] if r["progress"] is not None]
    if not rows:
        return None
    high = max(110.0, *(r["progress"] + 10 for r in rows))
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [r["progress"] for r in rows],
                "y": [_label(r) for r in rows],
                "marker": {"color": [STATUS_COLOURS.get(r["status"], "#5b6673") for r in rows]},
                "text": [_(STATUS_NAMES[r["status"]]) for r in rows],
                "hovertemplate": "%{y}<br>"
                + _("{progress} of the way to the target: {status}").format(
                    progress="%{x:.1f}%", status="%{text}"
                )
                + "<extra></extra>",
            }
        ],
        "layout": {
            "title": {"text": _("Progress to target (%)"), "x": 0, "xanchor": "left"},
            "separators": i18n.separators(),
            "height": 130 + 46 * len(rows),
            "margin": {"l": 10, "r": 10, "t": 50, "b": 40},
            "xaxis": {
                "title": {"text": _("% of the way from baseline to target")},
                "range": [min(0, *(r["progress"] for r in rows)) - 5, high],
            },
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "shapes": [
                {
                    "type": "line",
                    "x0": 100,
                    "x1": 100,
                    "yref": "paper",
                    "y0": 0,
                    "y1": 1,
                    "line": {"dash": "dot", "color": "#1b2430"},
                }
            ],
        },
    }
