"""The IATI checks while a user edits: one project's activity, exported and checked
as on export, each finding tied to the record a form edits.

The project is exported as staff export it (``activity_element`` through
``export_activities``: every period, draft parties named), or as the public export
with ``public=True`` (published projects only, approved periods only; a draft is not
found). ``bakuhub.iati.rules.check_activities`` grades the file (schema, the
standard ruleset, the codelists); each finding's ``field`` (``transactions.1.currency``,
lists counted from 0 in export order) is turned into a ``Place``: the project, or the
budget, transaction, result, indicator or period by its database id, and the form
input that holds the value (``currency``), or None when no one input does.

Findings never block a save: a plan may be incomplete. They are shown after it.
Cost (``bench/iati_live.py``, shared 2-core machine): about 40 ms for a project of 10
transactions and 2 results, 80 ms for 100 and 5, 0.8 s for 1,000 and 20; the first
check of a process also reads the schema, ruleset and codelists (0.3 to 1.6 s).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.i18n import ngettext
from bakuhub.iati.findings import Finding, counts
from bakuhub.iati.rules import check_activities
from bakuhub.registry.models import Project
from bakuhub.results import models as m
from bakuhub.results.codes import PeriodState
from bakuhub.results.iati_export import export_activities, finite
from bakuhub.results.service import project_results

RecordKind = Literal["project", "budget", "transaction", "result", "indicator", "period"]
KINDS: tuple[RecordKind, ...] = (
    "project",
    "budget",
    "transaction",
    "result",
    "indicator",
    "period",
)

PROJECT_INPUTS = frozenset(
    {
        "title",
        "description",
        "status",
        "planned_start",
        "actual_start",
        "planned_end",
        "actual_end",
        "countries",
        "organisations",
    }
)
"""Fields of a finding that are inputs of the project form (lists: the whole list)."""
MONEY_INPUTS: dict[str, str] = {
    "kind": "kind",
    "status": "status",
    "period_start": "period_start",
    "period_end": "period_end",
    "date": "date",
    "value": "value",
    "currency": "currency",
    "value_date": "value_date",
    "description": "description",
    **{f"provider_{p}": "provider_party" for p in ("ref", "name", "type", "activity")},
    **{f"receiver_{p}": "receiver_party" for p in ("ref", "name", "type", "activity")},
}
"""A budget's or transaction's field -> the input of its form."""
RESULT_INPUTS = {"kind": "kind", "title": "title", "description": "description"}
INDICATOR_INPUTS = {
    "measure": "measure",
    "title": "title",
    "description": "description",
    "code": "code",
    "baseline_year": "baseline_year",
    "baseline_value": "baseline_value",
}
PERIOD_INPUTS = {"start": "start", "end": "end", "target": "target", "actual": "actual"}


@dataclass(frozen=True)
class Place:
    """The record a finding concerns (``id`` None: the project) and its form input."""

    kind: RecordKind
    id: int | None = None
    input: str | None = None


@dataclass(frozen=True)
class LiveFinding:
    """A finding of the export and the record it concerns."""

    finding: Finding
    place: Place

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data, with ``record``: kind, id and input."""
        place = {"kind": self.place.kind, "id": self.place.id, "input": self.place.input}
        return {**self.finding.as_dict(), "record": place}


@dataclass(frozen=True)
class ProjectCheck:
    """Every finding of one project's activity, tied to records."""

    project_ref: str
    findings: list[LiveFinding] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """How many findings of each severity (zeros included)."""
        return counts(f.finding for f in self.findings)

    def of(self, kind: RecordKind, record_id: int | None = None) -> list[LiveFinding]:
        """The findings of one record (``kind`` "project": of the project itself)."""
        return [f for f in self.findings if f.place.kind == kind and f.place.id == record_id]

    def by_input(self, kind: RecordKind, record_id: int | None = None) -> dict[str, list[Finding]]:
        """One record's findings per form input; "" holds those of no one input."""
        out: dict[str, list[Finding]] = {}
        for f in self.of(kind, record_id):
            out.setdefault(f.place.input or "", []).append(f.finding)
        return out

    def as_dict(self) -> dict[str, Any]:
        """The check as the API answers it."""
        return {
            "project": self.project_ref,
            "counts": self.counts,
            "findings": [f.as_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class Order:
    """The database ids of a project's listed records, in the export's order."""

    budgets: list[int]
    transactions: list[int]
    results: list[int]
    indicators: list[list[int]]
    periods: list[list[list[int]]]


def export_order(session: Session, project: Project, *, public: bool = False) -> Order:
    """The ids in the order ``iati_export.activity_element`` writes them: budgets by
    period start, transactions by date (both by id next, non-finite values left out),
    results by position, indicators and periods as listed (public: approved periods)."""
    budgets = session.scalars(
        select(m.Budget)
        .where(m.Budget.project_id == project.id)
        .order_by(m.Budget.period_start, m.Budget.id)
    )
    transactions = session.scalars(
        select(m.Transaction)
        .where(m.Transaction.project_id == project.id)
        .order_by(m.Transaction.date, m.Transaction.id)
    )
    results = project_results(session, project.id)
    approved = PeriodState.approved.value
    return Order(
        budgets=[b.id for b in budgets if finite(b.value)],
        transactions=[t.id for t in transactions if finite(t.value)],
        results=[r.id for r in results],
        indicators=[[i.id for i in r.indicators] for r in results],
        periods=[
            [[p.id for p in i.periods if not public or p.state == approved] for i in r.indicators]
            for r in results
        ],
    )


def check_project(*, session: Session, project_ref: str, public: bool = False) -> ProjectCheck:
    """The findings of a project's IATI activity, each tied to the record it concerns.

    ``public``: as the public export (a draft project is not found, NotFound).
    """
    exported = export_activities(
        session=session, project_refs=[project_ref], approved_only=public, published_only=public
    )
    project = session.scalars(select(Project).where(Project.ref == project_ref)).one()
    order = export_order(session, project, public=public)
    findings = check_activities(exported.xml)
    return ProjectCheck(project_ref, [LiveFinding(f, place_of(f.field, order)) for f in findings])


def place_of(name: str | None, order: Order) -> Place:
    """The record and input of a finding's bakuhub field (the project when unknown)."""
    parts = (name or "").split(".")
    head = parts[0]
    try:
        if head in ("budgets", "transactions") and len(parts) > 1:
            ids = order.budgets if head == "budgets" else order.transactions
            kind: RecordKind = "budget" if head == "budgets" else "transaction"
            return Place(kind, ids[int(parts[1])], _sub(parts[2:], MONEY_INPUTS))
        if head == "results" and len(parts) > 1:
            return _result_place(parts[1:], order)
    except (IndexError, ValueError):
        return Place("project")
    return Place("project", None, head if head in PROJECT_INPUTS else None)


def _result_place(parts: list[str], order: Order) -> Place:
    r = int(parts[0])
    if len(parts) < 3 or parts[1] != "indicators":
        return Place("result", order.results[r], _sub(parts[1:], RESULT_INPUTS))
    i = int(parts[2])
    if len(parts) < 5 or parts[3] != "periods":
        return Place("indicator", order.indicators[r][i], _sub(parts[3:], INDICATOR_INPUTS))
    p = int(parts[4])
    return Place("period", order.periods[r][i][p], _sub(parts[5:], PERIOD_INPUTS))


def _sub(rest: list[str], inputs: dict[str, str]) -> str | None:
    return inputs.get(rest[0]) if rest else None


def count_text(tally: dict[str, int]) -> str:
    """ "2 errors, 1 warning" (critical findings named first, only when there are some)."""
    parts = []
    if tally.get("critical"):
        n = tally["critical"]
        parts.append(ngettext("{count} critical", "{count} critical", n).format(count=n))
    errors, warnings = tally.get("error", 0), tally.get("warning", 0)
    parts.append(ngettext("{count} error", "{count} errors", errors).format(count=errors))
    parts.append(ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings))
    return ", ".join(parts)
