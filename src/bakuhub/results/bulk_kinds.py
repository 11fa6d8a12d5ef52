"""What each bulk-import kind does with a row: its payload and schema, the key that
finds the record it updates, and how it adds and updates (through the services that
the forms and the API use, so a bulk row is checked like a single edit).

Transactions and budgets are added in bulk (one insert, one audit insert: their
checks are all made before writing); results, indicators and periods go through the
per-record services (framework rules such as overlapping periods and disaggregations
that add up are checked there, row by row).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bakuhub.audit.models import AuditEntry
from bakuhub.db import utcnow
from bakuhub.i18n import _
from bakuhub.registry.models import Party, Project
from bakuhub.results import finance, finance_edit, framework_edit, service
from bakuhub.results import models as m
from bakuhub.results.finance_schemas import BudgetUpdate, TransactionUpdate
from bakuhub.results.reads import read_indicator
from bakuhub.results.schemas import (
    BudgetIn,
    IndicatorIn,
    IndicatorUpdate,
    PeriodIn,
    PeriodUpdate,
    ResultIn,
    ResultUpdate,
    TransactionIn,
)

Key = tuple[str, ...]
SIDES = ("provider", "receiver")
ORG_FIELDS = ("party", "ref", "name", "type", "activity")
PARENTS = {"indicators": ("result",), "periods": ("result", "indicator")}
"""Columns that name the record a row belongs to (not fields of the schema)."""


@dataclass
class Item:
    """One valid row: what it adds or updates."""

    row: int
    data: Any
    key: Key | None
    parent: Any = None
    target: Any = None
    what: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        return "add" if self.target is None else "update"


@dataclass(frozen=True)
class Spec:
    """The parts of one kind."""

    schema: type[BaseModel]
    key: Callable[[Item], Key | None]
    what: Callable[[Item], str]
    existing: Callable[[Session, Project], dict[Key, list[Any]]]
    fingerprint: Callable[[Any], str]
    add: Callable[[Session, Project, list[Item], str], None]
    update: Callable[[Session, Project, Item, str], None]
    per_row: bool
    """Whether the preview runs the writes (then rolls back) to check the service rules."""


def payload(kind: str, cells: dict[str, str]) -> dict[str, Any]:
    """The schema payload of a row's cells (provider_* and receiver_* as organisations)."""
    body: dict[str, Any] = {k: v for k, v in cells.items() if k not in PARENTS.get(kind, ())}
    if kind == "transactions":
        for side in ("provider", "receiver"):
            org = {f: body.pop(f"{side}_{f}") for f in ORG_FIELDS if f"{side}_{f}" in body}
            if org:
                body[side] = org
    return body


def _json(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, default=str)


def _audit_many(session: Session, author: str, kind: str, done: list[tuple[str, Any]]) -> None:
    """One ``create`` audit entry per added record, written in one executemany insert."""
    now = utcnow()
    rows = [
        {
            "at": now,
            "actor": author[:120],
            "action": "create",
            "record_type": kind,
            "record_ref": ref[:200],
            "after": json.loads(_json(after)),
        }
        for ref, after in done
    ]
    session.execute(insert(AuditEntry), rows)


# ---- transactions ----------------------------------------------------------------------


def _transactions(session: Session, project: Project) -> dict[Key, list[Any]]:
    rows = session.scalars(
        select(m.Transaction).where(
            m.Transaction.project_id == project.id, m.Transaction.ref.is_not(None)
        )
    )
    found: dict[Key, list[Any]] = {}
    for row in rows:
        found.setdefault((str(row.ref),), []).append(row)
    return found


def _transaction(
    session: Session, project: Project, data: TransactionIn, author: str, orgs: dict[Any, Any]
) -> m.Transaction:
    """A row as ``finance.transaction_row`` makes it, each distinct organisation resolved once."""
    values = finance.transaction_values(session, data.model_copy(update=dict.fromkeys(SIDES)))
    for side in SIDES:
        org = getattr(data, side)
        key = (side, org.model_dump_json() if org is not None else None)
        if key not in orgs:
            orgs[key] = finance.org_columns(session, org, side)
        values.update(orgs[key])
    return m.Transaction(project_id=project.id, created_by=author, version=1, **values)


def _add_transactions(session: Session, project: Project, items: list[Item], author: str) -> None:
    orgs: dict[Any, Any] = {}
    rows = [_transaction(session, project, i.data, author, orgs) for i in items]
    session.add_all(rows)
    service.flush(session, _("transactions of project '{ref}'").format(ref=project.ref))
    done = [(f"{project.ref}/{r.id}", finance.read_transaction(r)) for r in rows]
    _audit_many(session, author, "transactions", done)


def _update_transaction(session: Session, project: Project, item: Item, author: str) -> None:
    body = {**item.data.model_dump(), "version": item.target.version}
    finance_edit.update_transaction(
        session=session,
        transaction_id=item.target.id,
        data=TransactionUpdate.model_validate(body),
        author=author,
        project_ref=project.ref,
    )


def _transaction_what(i: Item) -> str:
    d = i.data
    values = {"kind": d.kind.value, "value": d.value, "currency": d.currency, "date": d.date}
    if d.ref:
        return _("{ref}: {kind} of {value} {currency} on {date}").format(ref=d.ref, **values)
    return _("{kind} of {value} {currency} on {date}").format(**values)


def _budget_what(i: Item) -> str:
    d = i.data
    return _("{kind} budget {start} to {end}: {value} {currency}").format(
        kind=d.kind.value,
        start=d.period_start,
        end=d.period_end,
        value=d.value,
        currency=d.currency,
    )


# ---- budgets ---------------------------------------------------------------------------


def _budget_key(i: Item) -> Key:
    d = i.data
    return (d.kind.value, d.period_start.isoformat(), d.period_end.isoformat())


def _budgets(session: Session, project: Project) -> dict[Key, list[Any]]:
    found: dict[Key, list[Any]] = {}
    for row in session.scalars(select(m.Budget).where(m.Budget.project_id == project.id)):
        key = (row.kind, row.period_start.isoformat(), row.period_end.isoformat())
        found.setdefault(key, []).append(row)
    return found


def _add_budgets(session: Session, project: Project, items: list[Item], author: str) -> None:
    rows = [finance.budget_row(project, i.data, author) for i in items]
    session.add_all(rows)
    service.flush(session, _("budgets of project '{ref}'").format(ref=project.ref))
    done = [(f"{project.ref}/{r.id}", finance.read_budget(r)) for r in rows]
    _audit_many(session, author, "budgets", done)


def _update_budget(session: Session, project: Project, item: Item, author: str) -> None:
    body = {**item.data.model_dump(), "version": item.target.version}
    finance_edit.update_budget(
        session=session,
        budget_id=item.target.id,
        data=BudgetUpdate.model_validate(body),
        author=author,
        project_ref=project.ref,
    )


def _version(row: Any) -> str:
    return f"{row.id}:{row.version}"


# ---- results, indicators, periods ------------------------------------------------------


def _results(session: Session, project: Project) -> dict[Key, list[Any]]:
    found: dict[Key, list[Any]] = {}
    for row in service.project_results(session, project.id):
        found.setdefault((row.title,), []).append(row)
    return found


def _indicators(session: Session, project: Project) -> dict[Key, list[Any]]:
    found: dict[Key, list[Any]] = {}
    for result in service.project_results(session, project.id):
        for row in result.indicators:
            found.setdefault((result.title, row.title), []).append(row)
    return found


def _periods(session: Session, project: Project) -> dict[Key, list[Any]]:
    found: dict[Key, list[Any]] = {}
    for (result, indicator), rows in _indicators(session, project).items():
        for row in (p for i in rows for p in i.periods):
            key = (result, indicator, row.start.isoformat(), row.end.isoformat())
            found.setdefault(key, []).append(row)
    return found


def _add_results(session: Session, project: Project, items: list[Item], author: str) -> None:
    for i in items:
        service.add_result(session=session, project_ref=project.ref, data=i.data, author=author)


def _update_result(session: Session, project: Project, item: Item, author: str) -> None:
    change = ResultUpdate.model_validate(item.data.model_dump(exclude={"indicators"}))
    framework_edit.update_result(
        session=session, result_id=item.target.id, data=change, author=author
    )


def _add_indicators(session: Session, project: Project, items: list[Item], author: str) -> None:
    for i in items:
        framework_edit.add_indicator(
            session=session, result_id=i.parent.id, data=i.data, author=author
        )


def _update_indicator(session: Session, project: Project, item: Item, author: str) -> None:
    change = IndicatorUpdate.model_validate(item.data.model_dump(exclude={"periods"}))
    framework_edit.update_indicator(
        session=session, indicator_id=item.target.id, data=change, author=author
    )


def _add_periods(session: Session, project: Project, items: list[Item], author: str) -> None:
    for i in items:
        framework_edit.add_period(
            session=session, indicator_id=i.parent.id, data=i.data, author=author
        )


def _update_period(session: Session, project: Project, item: Item, author: str) -> None:
    body = item.data.model_dump(exclude={"disaggregations"})  # the stored parts are kept
    change = PeriodUpdate.model_validate({**body, "version": item.target.version})
    service.update_period(session=session, period_id=item.target.id, data=change, author=author)


def _indicator_print(row: m.Indicator) -> str:
    fields = read_indicator(row)
    fields.pop("periods")
    return _json(fields)


def _parent_key(i: Item) -> Key:
    return tuple(i.extra.values())  # in the order of PARENTS


SPECS: dict[str, Spec] = {
    "transactions": Spec(
        TransactionIn,
        lambda i: (i.data.ref,) if i.data.ref else None,
        _transaction_what,
        _transactions,
        _version,
        _add_transactions,
        _update_transaction,
        per_row=False,
    ),
    "budgets": Spec(
        BudgetIn,
        _budget_key,
        _budget_what,
        _budgets,
        _version,
        _add_budgets,
        _update_budget,
        per_row=False,
    ),
    "results": Spec(
        ResultIn,
        lambda i: (i.data.title,),
        lambda i: f"{i.data.kind.value} '{i.data.title}'",
        _results,
        lambda r: _json({"id": r.id, "kind": r.kind, "title": r.title, "text": r.description}),
        _add_results,
        _update_result,
        per_row=True,
    ),
    "indicators": Spec(
        IndicatorIn,
        lambda i: (*_parent_key(i), i.data.title),
        lambda i: _("'{indicator}' of '{result}'").format(
            indicator=i.data.title, result=i.extra["result"]
        ),
        _indicators,
        _indicator_print,
        _add_indicators,
        _update_indicator,
        per_row=True,
    ),
    "periods": Spec(
        PeriodIn,
        lambda i: (*_parent_key(i), i.data.start.isoformat(), i.data.end.isoformat()),
        lambda i: _("{start} to {end} of '{indicator}'").format(
            start=i.data.start, end=i.data.end, indicator=i.extra["indicator"]
        ),
        _periods,
        _version,
        _add_periods,
        _update_period,
        per_row=True,
    ),
}


def parties(session: Session, refs: set[str]) -> set[str]:
    """Those of ``refs`` that are parties of the registry (one query)."""
    if not refs:
        return set()
    return set(session.scalars(select(Party.ref).where(Party.ref.in_(refs))))
