"""Change and remove a project's budgets and transactions, with the version check.

A change names the version it was read at (``BudgetUpdate.version``); the fields sent
replace the stored ones, the whole record is validated again (``BudgetIn``,
``TransactionIn``) before anything is written, the version goes up by one and the
change is written to the audit log (before and after) in the same transaction. The
database refuses a concurrent writer too (SQLAlchemy ``version_id_col``).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy.orm import Session, object_session

from bakuhub.db import utcnow
from bakuhub.errors import NotFound, check_version, validated
from bakuhub.i18n import _
from bakuhub.registry.models import Project
from bakuhub.results import models as m
from bakuhub.results.finance import (
    budget_values,
    read_budget,
    read_transaction,
    transaction_values,
)
from bakuhub.results.finance_schemas import BudgetUpdate, TransactionUpdate
from bakuhub.results.schemas import BudgetIn, TransactionIn
from bakuhub.results.service import flush, log_change

Row = m.Budget | m.Transaction


def _fetch(session: Session, table: type[Row], item_id: int, project_ref: str | None) -> Row:
    """The row with this id (of project ``project_ref`` when given), or NotFound."""
    row = cast(Row | None, session.get(table, item_id))
    if row is None or (project_ref is not None and _project_ref(row) != project_ref):
        raise NotFound(_missing(table, project_ref).format(id=item_id, ref=project_ref))
    return row


def _missing(table: type[Row], project_ref: str | None) -> str:
    """The message for a budget or transaction that is not there (``{id}``, ``{ref}``)."""
    if table is m.Budget:
        if project_ref:
            return _(
                "There is no budget with id {id} of project '{ref}'; it may have been deleted "
                "(reload the project's page)."
            )
        return _(
            "There is no budget with id {id}; it may have been deleted (reload the project's page)."
        )
    if project_ref:
        return _(
            "There is no transaction with id {id} of project '{ref}'; it may have been deleted "
            "(reload the project's page)."
        )
    return _(
        "There is no transaction with id {id}; it may have been deleted "
        "(reload the project's page)."
    )


def _project_ref(row: Row) -> str:
    """The ref of the project a budget or transaction belongs to."""
    session = object_session(row)
    project = session.get(Project, row.project_id) if session is not None else None
    return project.ref if project is not None else ""


def budget_project_ref(*, session: Session, budget_id: int) -> str:
    """The ref of the project a budget belongs to (NotFound if none)."""
    return _project_ref(_fetch(session, m.Budget, budget_id, None))


def transaction_project_ref(*, session: Session, transaction_id: int) -> str:
    """The ref of the project a transaction belongs to (NotFound if none)."""
    return _project_ref(_fetch(session, m.Transaction, transaction_id, None))


def get_budget(
    *, session: Session, budget_id: int, project_ref: str | None = None
) -> dict[str, Any]:
    """One budget as the API reads it."""
    row = _fetch(session, m.Budget, budget_id, project_ref)
    assert isinstance(row, m.Budget)
    return read_budget(row)


def get_transaction(
    *,
    session: Session,
    transaction_id: int,
    project_ref: str | None = None,
    published_only: bool = False,
) -> dict[str, Any]:
    """One transaction as the API reads it (a draft provider or receiver hidden if asked)."""
    row = _fetch(session, m.Transaction, transaction_id, project_ref)
    assert isinstance(row, m.Transaction)
    return read_transaction(row, published_only=published_only)


def _check(row: Row, based_on: int | None) -> None:
    if isinstance(row, m.Budget):
        what = _("The budget {id} of project '{ref}'")
    else:
        what = _("The transaction {id} of project '{ref}'")
    what = what.format(id=row.id, ref=_project_ref(row))
    check_version(
        what=what, current=row.version, based_on=based_on, then=_("apply your change again")
    )


def _bump(row: Row, author: str) -> None:
    row.version = row.version + 1
    row.updated_by = author
    row.updated_at = utcnow()


def update_budget(
    *,
    session: Session,
    budget_id: int,
    data: BudgetUpdate,
    author: str,
    project_ref: str | None = None,
) -> dict[str, Any]:
    """Change a budget; refused if stale or invalid as a whole (nothing changed then)."""
    row = _fetch(session, m.Budget, budget_id, project_ref)
    assert isinstance(row, m.Budget)
    _check(row, data.version)
    before = read_budget(row)
    merged = {k: before[k] for k in BudgetIn.model_fields}
    merged.update(data.model_dump(exclude_unset=True, exclude={"version"}))
    payload = validated(BudgetIn, merged, what=_("Budget {id}").format(id=budget_id))
    for name, value in budget_values(payload).items():
        setattr(row, name, value)
    _bump(row, author)
    flush(session, _("budget {id}").format(id=budget_id))
    after = read_budget(row)
    ref = f"{_project_ref(row)}/{budget_id}"
    log_change(session, author, "update", "budgets", ref, before, after)
    return after


def update_transaction(
    *,
    session: Session,
    transaction_id: int,
    data: TransactionUpdate,
    author: str,
    project_ref: str | None = None,
) -> dict[str, Any]:
    """Change a transaction; refused if stale or invalid as a whole (nothing changed then)."""
    row = _fetch(session, m.Transaction, transaction_id, project_ref)
    assert isinstance(row, m.Transaction)
    _check(row, data.version)
    before = read_transaction(row)
    merged = {k: before[k] for k in TransactionIn.model_fields}
    merged.update(data.model_dump(exclude_unset=True, exclude={"version"}))
    payload = validated(TransactionIn, merged, what=_("Transaction {id}").format(id=transaction_id))
    for name, value in transaction_values(session, payload).items():
        setattr(row, name, value)
    _bump(row, author)
    flush(session, _("transaction {id}").format(id=transaction_id))
    session.expire(row, ["provider_party", "receiver_party"])
    after = read_transaction(row)
    ref = f"{_project_ref(row)}/{transaction_id}"
    log_change(session, author, "update", "transactions", ref, before, after)
    return after


def delete_budget(
    *,
    session: Session,
    budget_id: int,
    version: int | None,
    author: str,
    project_ref: str | None = None,
) -> None:
    """Remove a budget (refused if ``version`` is given and stale)."""
    row = _fetch(session, m.Budget, budget_id, project_ref)
    assert isinstance(row, m.Budget)
    _remove(session, row, version, author, read_budget(row), "budgets")


def delete_transaction(
    *,
    session: Session,
    transaction_id: int,
    version: int | None,
    author: str,
    project_ref: str | None = None,
) -> None:
    """Remove a transaction (refused if ``version`` is given and stale)."""
    row = _fetch(session, m.Transaction, transaction_id, project_ref)
    assert isinstance(row, m.Transaction)
    _remove(session, row, version, author, read_transaction(row), "transactions")


def _remove(
    session: Session, row: Row, version: int | None, author: str, before: dict[str, Any], kind: str
) -> None:
    _check(row, version)
    ref = f"{_project_ref(row)}/{row.id}"
    session.delete(row)
    named = _("budget {id}") if isinstance(row, m.Budget) else _("transaction {id}")
    flush(session, named.format(id=row.id))
    log_change(session, author, "delete", kind, ref, before, None)
