"""Finance: budgets, transactions, exchange rates, and totals in one currency.

Conversion
----------
A value ``v`` in currency ``C`` is converted to the chosen currency ``Q`` with
the user's rate table: the rate ``r(C->Q)`` with the latest ``valid_on`` on or
before the value date (the transaction's or budget's ``value_date``), else the
inverse of the latest ``r(Q->C)``::

    v_Q = v * r(C->Q)     or     v_Q = v / r(Q->C)

A value with no such rate makes the whole total fail with a list of the missing
rates (or, asked for ``partial`` totals, is left out and its rate named): totals
never mix currencies and never guess a rate.

Editing and removing budgets and transactions: ``results.finance_edit``; the rate
table: ``results.exchange``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.errors import InvalidInput, NotFound
from bakuhub.i18n import _
from bakuhub.registry.models import Agreement, Party, Project
from bakuhub.registry.refs import party_id
from bakuhub.registry.resources import shown
from bakuhub.results import models as m
from bakuhub.results.codes import TransactionKind
from bakuhub.results.exchange import RateTable, add_rate, list_rates, read_rate
from bakuhub.results.schemas import BudgetIn, OrgIn, TransactionIn
from bakuhub.results.service import fetch_project, flush, log_change

__all__ = [
    "GROUPINGS",
    "NOT_PUBLISHED",
    "RateTable",
    "add_budget",
    "add_rate",
    "add_transaction",
    "budget_row",
    "budget_values",
    "list_rates",
    "project_finance",
    "read_budget",
    "read_rate",
    "read_transaction",
    "totals",
    "transaction_row",
    "transaction_values",
]

GROUPINGS = ("project", "agreement", "funder", "country")
NOT_PUBLISHED = "(not published)"
"""The group key the public sees for a draft agreement or party."""


# ---- writing --------------------------------------------------------------------


def budget_values(data: BudgetIn) -> dict[str, Any]:
    """The stored columns of a budget from a validated payload."""
    return {
        "kind": data.kind.value,
        "status": data.status.value,
        "period_start": data.period_start,
        "period_end": data.period_end,
        "value": data.value,
        "currency": data.currency,
        "value_date": data.value_date or data.period_start,
    }


def budget_row(project: Project, data: BudgetIn, author: str) -> m.Budget:
    """A budget row from a validated payload."""
    return m.Budget(project_id=project.id, created_by=author, version=1, **budget_values(data))


def org_columns(session: Session, org: OrgIn | None, side: str) -> dict[str, Any]:
    """The provider or receiver columns (``side``) of a transaction, party resolved."""
    prefix = f"{side}_"
    empty = {f"{prefix}{k}": None for k in ("party_id", "ref", "type", "activity")}
    if org is None:
        return {**empty, f"{prefix}name": ""}
    pid = party_id(session, org.party, [side, "party"]) if org.party else None
    party = session.get(Party, pid) if pid is not None else None
    return {
        f"{prefix}party_id": pid,
        f"{prefix}ref": org.ref or (party.iati_ref if party else None),
        f"{prefix}name": org.name or (party.name if party else ""),
        f"{prefix}type": org.type or (party.org_type if party else None),
        f"{prefix}activity": org.activity,
    }


def transaction_values(session: Session, data: TransactionIn) -> dict[str, Any]:
    """The stored columns of a transaction from a validated payload (parties resolved)."""
    return {
        "ref": data.ref,
        "kind": data.kind.value,
        "date": data.date,
        "value": data.value,
        "currency": data.currency,
        "value_date": data.value_date or data.date,
        "description": data.description,
        **org_columns(session, data.provider, "provider"),
        **org_columns(session, data.receiver, "receiver"),
    }


def transaction_row(
    session: Session, project: Project, data: TransactionIn, author: str
) -> m.Transaction:
    """A transaction row from a validated payload (provider/receiver resolved)."""
    values = transaction_values(session, data)
    return m.Transaction(project_id=project.id, created_by=author, version=1, **values)


def add_budget(
    *, session: Session, project_ref: str, data: BudgetIn, author: str
) -> dict[str, Any]:
    """Record a budget of a project."""
    row = budget_row(fetch_project(session, project_ref), data, author)
    session.add(row)
    flush(session, _("budget of project '{ref}'").format(ref=project_ref))
    out = read_budget(row)
    log_change(session, author, "create", "budgets", f"{project_ref}/{row.id}", None, out)
    return out


def add_transaction(
    *, session: Session, project_ref: str, data: TransactionIn, author: str
) -> dict[str, Any]:
    """Record a transaction of a project."""
    row = transaction_row(session, fetch_project(session, project_ref), data, author)
    session.add(row)
    flush(session, _("transaction of project '{ref}'").format(ref=project_ref))
    out = read_transaction(row)
    log_change(session, author, "create", "transactions", f"{project_ref}/{row.id}", None, out)
    return out


def project_finance(
    *, session: Session, project_ref: str, published_only: bool = False
) -> dict[str, Any]:
    """A project's budgets and transactions.

    ``published_only`` (anonymous readers): a provider or receiver that is a draft
    party is left out (its name and IATI ref were copied from that draft).
    """
    project = fetch_project(session, project_ref)
    budgets = session.scalars(
        select(m.Budget).where(m.Budget.project_id == project.id).order_by(m.Budget.period_start)
    )
    transactions = session.scalars(
        select(m.Transaction)
        .where(m.Transaction.project_id == project.id)
        .order_by(m.Transaction.date, m.Transaction.id)
    )
    return {
        "project": project.ref,
        "budgets": [read_budget(b) for b in budgets],
        "transactions": [read_transaction(t, published_only=published_only) for t in transactions],
    }


# ---- conversion and totals -----------------------------------------------------------


def _name(record: Agreement | Party, public: bool) -> str:
    """A group key naming a record; a draft's ref stays hidden from the public."""
    return record.ref if shown(record, public) else NOT_PUBLISHED


def _keys(
    t: m.Transaction | m.Budget, by: str, project: Project, public: bool
) -> list[tuple[str, Decimal]]:
    """Group keys of a value and the share (0-1) of it each key gets."""
    one = Decimal(1)
    if by == "project":
        return [(project.ref, one)]
    if by == "agreement":
        if project.agreement is None:
            return [("(no agreement)", one)]
        return [(_name(project.agreement, public), one)]
    if by == "country":
        if not project.countries:
            return [("(no country)", one)]
        return [(c.iso3, Decimal(str(c.share)) / 100) for c in project.countries]
    if isinstance(t, m.Transaction):
        if t.provider_party is not None:
            return [(_name(t.provider_party, public), one)]
        return [(t.provider_ref or t.provider_name or "(no provider)", one)]
    funders = [_name(o.party, public) for o in project.organisations if o.role == "funding"]
    if not funders:
        return [("(no funder)", one)]
    return [(f, one / len(funders)) for f in funders]


def totals(
    *,
    session: Session,
    by: str,
    currency: str,
    agreement_ref: str | None = None,
    project_ref: str | None = None,
    published_only: bool = False,
    partial: bool = False,
) -> dict[str, Any]:
    """Budgets and transactions per project, agreement, funder or country, in ``currency``.

    Per group ``g`` and transaction kind ``k``: ``total(g, k) = sum_t share(t, g) * v_Q(t)``,
    where ``share`` is 1, except for countries (the project's country share / 100) and
    for budgets by funder (split evenly among the project's funding organisations).
    A funder of a transaction is its provider.

    ``published_only`` (anonymous readers) counts published projects only, and names
    a draft agreement or funder ``(not published)``. A value with no exchange rate
    refuses the whole total (InvalidInput naming each rate), unless ``partial``: then
    it is left out and ``missing`` names, per currency pair, the earliest date a rate
    is needed on (``RateTable.missing_rates``).
    """
    if by not in GROUPINGS:
        raise InvalidInput(
            _("Totals can be grouped by {groupings}, not by '{by}'.").format(
                groupings=", ".join(GROUPINGS), by=by
            )
        )
    projects = _projects(session, agreement_ref, project_ref, published_only)
    table = RateTable(session)
    groups: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows: list[m.Budget | m.Transaction] = [
        *session.scalars(select(m.Budget).where(m.Budget.project_id.in_(projects))),
        *session.scalars(select(m.Transaction).where(m.Transaction.project_id.in_(projects))),
    ]
    for row in rows:
        converted = table.convert(row.value, row.currency, currency, row.value_date)
        if converted is None:
            continue
        column = "budget" if isinstance(row, m.Budget) else row.kind
        for key, share in _keys(row, by, projects[row.project_id], published_only):
            groups[key][column] += converted * share
    if table.missing and not partial:
        listed = ", ".join(
            _("{currency}->{quote} on or before {day}").format(currency=c, quote=q, day=d)
            for c, q, d in sorted(table.missing)
        )
        raise InvalidInput(
            _(
                "Totals in {currency} need exchange rates that are not in the table: {listed}. "
                "The secretariat adds them with their source on the exchange-rates page "
                "(/exchange-rates); totals never mix currencies."
            ).format(currency=currency, listed=listed)
        )
    columns = ["budget", *(k.value for k in TransactionKind)]
    return {
        "by": by,
        "currency": currency,
        "groups": [
            {"key": key, **{c: _money(values.get(c, Decimal(0))) for c in columns}}
            for key, values in sorted(groups.items())
        ],
        "rates_used": table.used_rates(),
        "missing": table.missing_rates(),
    }


def _projects(
    session: Session, agreement_ref: str | None, project_ref: str | None, published_only: bool
) -> dict[int, Project]:
    """The projects a total counts, by id."""
    stmt = select(Project)
    if published_only:
        stmt = stmt.where(Project.published.is_(True))
    if agreement_ref is not None:
        agreement = session.scalar(select(Agreement).where(Agreement.ref == agreement_ref))
        if agreement is None or (published_only and not agreement.published):
            raise NotFound(_("There is no agreement with ref '{ref}'.").format(ref=agreement_ref))
        stmt = stmt.where(Project.agreement_id == agreement.id)
    if project_ref is not None:
        stmt = stmt.where(Project.ref == project_ref)
    return {p.id: p for p in session.scalars(stmt)}


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


# ---- reading ---------------------------------------------------------------------------


def read_budget(b: m.Budget) -> dict[str, Any]:
    """A budget as the API returns it."""
    return {
        "id": b.id,
        "kind": b.kind,
        "status": b.status,
        "period_start": b.period_start,
        "period_end": b.period_end,
        "value": b.value,
        "currency": b.currency,
        "value_date": b.value_date,
        "version": b.version,
    }


def _read_org(t: m.Transaction, side: str, published_only: bool) -> dict[str, Any] | None:
    party: Party | None = getattr(t, f"{side}_party")
    ref, name = getattr(t, f"{side}_ref"), getattr(t, f"{side}_name")
    if party is None and not ref and not name:
        return None
    if party is not None and not shown(party, published_only):
        return None
    return {
        "party": party.ref if party else None,
        "ref": ref,
        "name": name,
        "type": getattr(t, f"{side}_type"),
        "activity": getattr(t, f"{side}_activity"),
    }


def read_transaction(t: m.Transaction, *, published_only: bool = False) -> dict[str, Any]:
    """A transaction as the API returns it (a draft provider or receiver hidden if asked)."""
    return {
        "id": t.id,
        "ref": t.ref,
        "kind": t.kind,
        "date": t.date,
        "value": t.value,
        "currency": t.currency,
        "value_date": t.value_date,
        "description": t.description,
        "provider": _read_org(t, "provider", published_only),
        "receiver": _read_org(t, "receiver", published_only),
        "version": t.version,
    }
