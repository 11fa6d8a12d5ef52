"""Finance API: read, change and delete budgets, transactions (version checked) and
exchange rates (secretariat; the stamp read guards against a race)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from bakuhub.i18n import _
from bakuhub.results import exchange, finance_edit
from bakuhub.results.finance_schemas import (
    STAMP,
    BudgetOut,
    BudgetUpdate,
    RateOut,
    RateUpdate,
    TransactionOut,
    TransactionUpdate,
)
from bakuhub.web import policy
from bakuhub.web.deps import AuthorDep, IdPath, PrincipalDep, SessionDep

router = APIRouter(tags=["finance"])

VersionQuery = Annotated[
    int | None,
    Query(ge=1, description="The version you read; a stale one is refused (409)"),
]
StampQuery = Annotated[
    str | None,
    Query(min_length=STAMP, max_length=STAMP, description="The rate's stamp as you read it"),
]


def _budget_project(session: SessionDep, budget_id: int) -> str:
    return finance_edit.budget_project_ref(session=session, budget_id=budget_id)


def _transaction_project(session: SessionDep, transaction_id: int) -> str:
    return finance_edit.transaction_project_ref(session=session, transaction_id=transaction_id)


@router.get(
    "/budgets/{budget_id}", summary="One budget, with its version", response_model=BudgetOut
)
def get_budget(budget_id: IdPath, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    policy.project_for(session, principal, _budget_project(session, budget_id))
    return finance_edit.get_budget(session=session, budget_id=budget_id)


@router.patch(
    "/budgets/{budget_id}",
    summary="Change a budget",
    description="Send the `version` you read and the fields to change; the budget is "
    "validated as a whole (422, nothing changed) and a stale version is refused (409).",
    response_model=BudgetOut,
)
def update_budget(
    budget_id: IdPath,
    data: BudgetUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
) -> dict[str, Any]:
    policy.project_for(session, principal, _budget_project(session, budget_id), write=True)
    return finance_edit.update_budget(
        session=session, budget_id=budget_id, data=data, author=author
    )


@router.delete("/budgets/{budget_id}", status_code=204, summary="Delete a budget")
def delete_budget(
    budget_id: IdPath,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
    version: VersionQuery = None,
) -> Response:
    policy.project_for(session, principal, _budget_project(session, budget_id), write=True)
    finance_edit.delete_budget(session=session, budget_id=budget_id, version=version, author=author)
    return Response(status_code=204)


@router.get(
    "/transactions/{transaction_id}",
    summary="One transaction, with its version",
    response_model=TransactionOut,
)
def get_transaction(
    transaction_id: IdPath, session: SessionDep, principal: PrincipalDep
) -> dict[str, Any]:
    policy.project_for(session, principal, _transaction_project(session, transaction_id))
    return finance_edit.get_transaction(
        session=session, transaction_id=transaction_id, published_only=principal is None
    )


@router.patch(
    "/transactions/{transaction_id}",
    summary="Change a transaction",
    description="Send the `version` you read and the fields to change (`provider: null` "
    "removes the provider); validated as a whole (422) and refused when stale (409).",
    response_model=TransactionOut,
)
def update_transaction(
    transaction_id: IdPath,
    data: TransactionUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
) -> dict[str, Any]:
    ref = _transaction_project(session, transaction_id)
    policy.project_for(session, principal, ref, write=True)
    return finance_edit.update_transaction(
        session=session, transaction_id=transaction_id, data=data, author=author
    )


@router.delete("/transactions/{transaction_id}", status_code=204, summary="Delete a transaction")
def delete_transaction(
    transaction_id: IdPath,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
    version: VersionQuery = None,
) -> Response:
    ref = _transaction_project(session, transaction_id)
    policy.project_for(session, principal, ref, write=True)
    finance_edit.delete_transaction(
        session=session, transaction_id=transaction_id, version=version, author=author
    )
    return Response(status_code=204)


@router.get(
    "/exchange-rates/{rate_id}", summary="One exchange rate, with its stamp", response_model=RateOut
)
def get_rate(rate_id: IdPath, session: SessionDep) -> dict[str, Any]:
    return exchange.get_rate(session=session, rate_id=rate_id)


@router.patch(
    "/exchange-rates/{rate_id}",
    summary="Change an exchange rate (secretariat)",
    description="Send the `stamp` you read and the fields to change; every total converted "
    "with the rate changes too.",
    response_model=RateOut,
)
def update_rate(
    rate_id: IdPath,
    data: RateUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
) -> dict[str, Any]:
    policy.require_staff(principal, _("change exchange rates"))
    return exchange.update_rate(session=session, rate_id=rate_id, data=data, author=author)


@router.delete(
    "/exchange-rates/{rate_id}", status_code=204, summary="Delete an exchange rate (secretariat)"
)
def delete_rate(
    rate_id: IdPath,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
    stamp: StampQuery = None,
) -> Response:
    policy.require_staff(principal, _("delete exchange rates"))
    exchange.delete_rate(session=session, rate_id=rate_id, stamp=stamp, author=author)
    return Response(status_code=204)
