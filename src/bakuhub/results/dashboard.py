"""Dashboards: one country's or one funder's projects, results against targets and
money in one currency (read-only).

Money
-----
Each budget or transaction value ``v`` is converted to the chosen currency ``Q``
with the exchange-rate table (``finance.RateTable``: the rate in force on the value
date, or the inverse of the opposite pair), then attributed:

- country ``C``: ``v_Q * s_C / 100``, with ``s_C`` the project's share of ``C``
  (as ``finance.totals(by="country")``);
- funder ``F``: committed, disbursed and incoming funds whose provider is ``F``;
  budgets split evenly among the project's funding organisations, ``F``'s part (as
  ``finance.totals(by="funder")``); and, beside them, what the project spent from
  all sources (its expenditure transactions, whoever provided them).

A value whose rate is missing is left out, never guessed: the totals that can be
computed are given, the cells it would have counted in are marked incomplete, and
each missing pair is named with the earliest date a rate is needed for.

Readers: ``published_only`` (the public) counts published projects and approved
periods only, and names no draft party or agreement.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bakuhub.errors import InvalidInput, NotFound
from bakuhub.i18n import _
from bakuhub.registry.codes import activity_statuses
from bakuhub.registry.csvio import neutralise
from bakuhub.registry.models import Party, Project, ProjectCountry, ProjectOrganisation
from bakuhub.registry.resources import public_ref
from bakuhub.registry.schemas import country_name
from bakuhub.results import models as m
from bakuhub.results.codes import PeriodState, Status
from bakuhub.results.finance import RateTable, read_rate
from bakuhub.results.rollup import period_status, progress

MONEY_COLUMNS = ("budget", "commitment", "disbursement", "incoming-funds", "expenditure")
TABLES = ("projects", "results", "money", "rates")
KINDS = ("countries", "funders")
FUNDING = "funding"
FUNDING_ORGANISATION = "funding organisation"
PROVIDER = "provider of transactions"
"""A funder's roles in a project (``roles`` of a project row; the pages name them)."""
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
CENT = Decimal("0.01")


def check_currency(text: str) -> str:
    """A currency code as typed (``usd`` -> ``USD``), or InvalidInput saying what to type."""
    code = text.strip().upper()
    if not _CURRENCY.match(code):
        raise InvalidInput(
            _("'{typed}' is not a currency code; type three letters, e.g. USD or EUR.").format(
                typed=text[:20]
            )
        )
    return code


# ---- the index ------------------------------------------------------------------------


def _visible(published_only: bool) -> Any:
    return Project.published.is_(True) if published_only else Project.id.is_not(None)


def dashboard_index(*, session: Session, published_only: bool = False) -> dict[str, Any]:
    """Countries with projects and funders (with how many projects each)."""
    counted = (
        select(ProjectCountry.iso3, func.count(func.distinct(Project.id)))
        .join(Project, Project.id == ProjectCountry.project_id)
        .where(_visible(published_only))
        .group_by(ProjectCountry.iso3)
    )
    countries = [
        {"iso3": iso3, "name": country_name(iso3), "projects": n}
        for iso3, n in session.execute(counted)
    ]
    projects: dict[int, set[int]] = defaultdict(set)
    visible = select(Project.id).where(_visible(published_only))
    for party_id, project_id in session.execute(
        select(ProjectOrganisation.party_id, ProjectOrganisation.project_id).where(
            ProjectOrganisation.role == FUNDING, ProjectOrganisation.project_id.in_(visible)
        )
    ):
        projects[party_id].add(project_id)
    parties = {p.id: p for p in session.scalars(select(Party))}
    by_ref = {code: p.id for p in parties.values() for code in (p.ref, p.iati_ref) if code}
    provided = select(
        m.Transaction.provider_party_id, m.Transaction.provider_ref, m.Transaction.project_id
    ).where(m.Transaction.project_id.in_(visible))
    provider_id: int | None
    for provider_id, ref, project_id in session.execute(provided):
        found = provider_id if provider_id is not None else by_ref.get(ref or "")
        if found is not None:
            projects[found].add(project_id)
    funders = [
        {"ref": parties[pid].ref, "name": parties[pid].name, "projects": len(ids)}
        for pid, ids in projects.items()
        if public_ref(parties[pid], published_only)
    ]
    return {
        "countries": sorted(countries, key=lambda c: (-c["projects"], c["name"])),
        "funders": sorted(funders, key=lambda f: (-f["projects"], f["name"])),
    }


# ---- one dashboard ----------------------------------------------------------------------


def country_dashboard(
    *, session: Session, iso3: str, currency: str = "USD", published_only: bool = False
) -> dict[str, Any]:
    """A country's projects, results against targets and its share of their money."""
    code = iso3.upper()
    if not _ISO3.match(code) or country_name(code) == code:
        raise NotFound(_("There is no country with ISO 3166 code '{code}'.").format(code=iso3[:10]))
    stmt = (
        select(Project, ProjectCountry.share)
        .join(ProjectCountry, ProjectCountry.project_id == Project.id)
        .where(ProjectCountry.iso3 == code, _visible(published_only))
        .order_by(Project.ref)
    )
    shares = {project: Decimal(str(share)) / 100 for project, share in session.execute(stmt)}
    projects = list(shares)
    money = _Money(session, currency)
    for project in projects:
        cell = money.row(project)
        for row in _money_rows(session, project):
            column = "budget" if isinstance(row, m.Budget) else row.kind
            money.add(cell, column, row, shares[project])
    rows = [
        {**_project(p, published_only), "share": float(shares[p] * 100), "roles": []}
        for p in projects
    ]
    name = country_name(code)
    return _dashboard("countries", code, name, rows, projects, money, session, published_only)


def _party(session: Session, ref: str, published_only: bool) -> Party:
    party = session.scalar(select(Party).where(Party.ref == ref))
    if party is None or not public_ref(party, published_only):
        raise NotFound(_("There is no party with ref '{ref}'.").format(ref=ref[:100]))
    return party


def _provided_by(party: Party) -> Any:
    refs = [code for code in (party.ref, party.iati_ref) if code]
    unlinked = and_(m.Transaction.provider_party_id.is_(None), m.Transaction.provider_ref.in_(refs))
    return or_(m.Transaction.provider_party_id == party.id, unlinked)


def funder_dashboard(
    *, session: Session, party_ref: str, currency: str = "USD", published_only: bool = False
) -> dict[str, Any]:
    """A funder's projects, their results against targets, and the money it provided."""
    party = _party(session, party_ref, published_only)
    funded = select(ProjectOrganisation.project_id).where(
        ProjectOrganisation.party_id == party.id, ProjectOrganisation.role == FUNDING
    )
    provided = select(m.Transaction.project_id).where(_provided_by(party))
    stmt = (
        select(Project)
        .where(or_(Project.id.in_(funded), Project.id.in_(provided)), _visible(published_only))
        .order_by(Project.ref)
    )
    projects = list(session.scalars(stmt).unique())
    money = _Money(session, currency)
    mine = list(session.scalars(select(m.Transaction).where(_provided_by(party))))
    mine_ids = {t.id for t in mine}
    providing = {t.project_id for t in mine}
    rows = []
    for project in projects:
        cell = money.row(project)
        funders = [o.party_id for o in project.organisations if o.role == FUNDING]
        for row in _money_rows(session, project):
            if isinstance(row, m.Budget):
                if party.id in funders:
                    money.add(cell, "budget", row, Decimal(1) / len(funders))
            elif row.kind == "expenditure" or row.id in mine_ids:
                money.add(cell, row.kind, row, Decimal(1))
        roles = [FUNDING_ORGANISATION] if party.id in funders else []
        if project.id in providing:
            roles.append(PROVIDER)
        rows.append({**_project(project, published_only), "share": None, "roles": roles})
    return _dashboard(
        "funders", party.ref, party.name, rows, projects, money, session, published_only
    )


def _money_rows(session: Session, project: Project) -> list[m.Budget | m.Transaction]:
    return [
        *session.scalars(select(m.Budget).where(m.Budget.project_id == project.id)),
        *session.scalars(
            select(m.Transaction)
            .where(m.Transaction.project_id == project.id)
            .order_by(m.Transaction.date, m.Transaction.id)
        ),
    ]


def _project(p: Project, published_only: bool) -> dict[str, Any]:
    return {
        "ref": p.ref,
        "title": p.title,
        "status": p.status,
        "status_name": activity_statuses().get(p.status, p.status),
        "published": p.published,
        "agreement": public_ref(p.agreement, published_only),
    }


def _dashboard(
    kind: str,
    key: str,
    name: str,
    rows: list[dict[str, Any]],
    projects: list[Project],
    money: _Money,
    session: Session,
    published_only: bool,
) -> dict[str, Any]:
    """The parts every dashboard has (the public sees approved periods only)."""
    results = _results(session, [p.id for p in projects], approved_only=published_only)
    counts = {s.value: 0 for s in Status}
    for r in results:
        counts[r["status"]] += 1
    return {
        "kind": kind,
        "key": key,
        "name": name,
        "currency": money.currency,
        "projects": rows,
        "results": results,
        "status_counts": counts,
        "money": money.read(),
    }


# ---- results against targets ----------------------------------------------------------


def _results(session: Session, ids: list[int], *, approved_only: bool) -> list[dict[str, Any]]:
    """Every period of the projects' indicators with its target, actual and status."""
    if not ids:
        return []
    stmt = (
        select(m.IndicatorPeriod, Project.ref)
        .join(m.Indicator, m.Indicator.id == m.IndicatorPeriod.indicator_id)
        .join(m.Result, m.Result.id == m.Indicator.result_id)
        .join(Project, Project.id == m.Result.project_id)
        .where(Project.id.in_(ids))
        .order_by(Project.ref, m.Result.position, m.Result.id, m.Indicator.position)
        .order_by(m.Indicator.id, m.IndicatorPeriod.start, m.IndicatorPeriod.id)
    )
    if approved_only:
        stmt = stmt.where(m.IndicatorPeriod.state == PeriodState.approved.value)
    out = []
    for period, ref in session.execute(stmt).unique():
        ind = period.indicator
        status = period_status(
            target=period.target,
            actual=period.actual,
            baseline=ind.baseline_value,
            ascending=ind.ascending,
            measure=ind.measure,
        )
        share = None
        if status is not Status.no_data and period.target is not None and period.actual is not None:
            share = progress(
                target=period.target,
                actual=period.actual,
                baseline=ind.baseline_value,
                ascending=ind.ascending,
            )
        out.append(
            {
                "project": ref,
                "period": period.id,
                "result": ind.result.title,
                "indicator": ind.title,
                "unit": ind.unit,
                "baseline": ind.baseline_value,
                "start": period.start,
                "end": period.end,
                "target": period.target,
                "actual": period.actual,
                "progress": None if share is None else round(share * 100, 1),
                "status": status.value,
                "state": period.state,
            }
        )
    return out


# ---- money -------------------------------------------------------------------------------


class _Money:
    """Converted sums per project and column; what could not be converted, and why."""

    def __init__(self, session: Session, currency: str) -> None:
        self.currency = currency
        self.table = RateTable(session)
        self.rows: dict[str, dict[str, Any]] = {}
        self.left_out: dict[str, Decimal] = defaultdict(Decimal)

    def row(self, project: Project) -> dict[str, Any]:
        """The (new) sums of one project."""
        cell: dict[str, Any] = {c: Decimal(0) for c in MONEY_COLUMNS}
        cell.update(project=project.ref, incomplete=set())
        self.rows[project.ref] = cell
        return cell

    def add(
        self, cell: dict[str, Any], column: str, row: m.Budget | m.Transaction, share: Decimal
    ) -> None:
        """Count ``share`` of a value in ``column`` (left out and noted without a rate)."""
        if column not in MONEY_COLUMNS:
            return
        converted = self.table.convert(row.value, row.currency, self.currency, row.value_date)
        if converted is None:
            cell["incomplete"].add(column)
            self.left_out[row.currency] += row.value * share
            return
        cell[column] += converted * share

    def read(self) -> dict[str, Any]:
        """Rows, total, the rates used and the rates missing."""
        rows = [_cents(cell) for cell in self.rows.values()]
        total: dict[str, Any] = {c: sum((r[c] for r in rows), Decimal(0)) for c in MONEY_COLUMNS}
        total["incomplete"] = sorted({c for r in rows for c in r["incomplete"]})
        earliest: dict[tuple[str, str], Any] = {}
        for cur, quote, on in self.table.missing:
            earliest[(cur, quote)] = min(on, earliest.get((cur, quote), on))
        return {
            "currency": self.currency,
            "rows": rows,
            "total": total,
            "rates_used": [
                read_rate(r) for r in sorted(self.table.used.values(), key=lambda r: r.id)
            ],
            "missing": [
                {"currency": c, "quote": q, "on_or_before": on}
                for (c, q), on in sorted(earliest.items())
            ],
            "left_out": [
                {"currency": c, "value": v.quantize(CENT)} for c, v in sorted(self.left_out.items())
            ],
        }


def _cents(cell: dict[str, Any]) -> dict[str, Any]:
    out = {c: cell[c].quantize(CENT) for c in MONEY_COLUMNS}
    return {"project": cell["project"], **out, "incomplete": sorted(cell["incomplete"])}


# ---- CSV -----------------------------------------------------------------------------------


def table_csv(dashboard: dict[str, Any], table: str) -> str:
    """One table of a dashboard as CSV text (formula cells neutralised)."""
    if table not in TABLES:
        raise NotFound(
            _("A dashboard has no table '{table}'; use {tables}.").format(
                table=table[:40], tables=", ".join(TABLES)
            )
        )
    money = dashboard["money"]
    header: list[str]
    if table == "projects":
        header = ["ref", "title", "status", "published", "agreement", "share_percent", "roles"]
        rows = [{**r, "roles": "; ".join(r["roles"])} for r in dashboard["projects"]]
        rows = [{**r, "share_percent": r["share"]} for r in rows]
    elif table == "results":
        header = ["project", "result", "indicator", "unit", "start", "end", "baseline"]
        header += ["target", "actual", "progress", "status", "state"]
        rows = dashboard["results"]
    elif table == "money":
        header = ["project", *MONEY_COLUMNS, "currency", "incomplete"]
        rows = [
            {**r, "currency": money["currency"], "incomplete": " ".join(r["incomplete"])}
            for r in money["rows"]
        ]
    else:
        header = ["currency", "quote", "rate", "valid_on", "source"]
        rows = money["rates_used"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in header])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return neutralise(str(value))
