"""JSON API of results frameworks, finance, exchange rates and the corridor link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query, Response

from bakuhub.accounts.permissions import Principal
from bakuhub.results import corridor_link, finance, profile, rollup, service
from bakuhub.results.schemas import (
    BudgetIn,
    PeriodUpdate,
    ProfileIn,
    RateIn,
    ResultIn,
    ScenarioSummary,
    TransactionIn,
    TransitionIn,
)
from bakuhub.web import policy
from bakuhub.web.deps import AuthorDep, IdPath, PrincipalDep, SessionDep

router = APIRouter(tags=["results"])


@router.get("/projects/{ref}/results", summary="A project's results framework, with statuses")
def get_framework(ref: str, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    policy.project_for(session, principal, ref)
    return service.get_framework(session=session, project_ref=ref, approved_only=principal is None)


def _period_project(session: SessionDep, period_id: int) -> str:
    return service.fetch_period(session, period_id).indicator.result.project.ref


@router.post("/projects/{ref}/results", status_code=201, summary="Add a result to a project")
def add_result(
    ref: str, data: ResultIn, session: SessionDep, principal: PrincipalDep, author: AuthorDep
) -> dict[str, Any]:
    policy.project_for(session, principal, ref, write=True)
    return service.add_result(session=session, project_ref=ref, data=data, author=author)


@router.delete("/results/{result_id}", status_code=204, summary="Delete a result")
def delete_result(
    result_id: IdPath, session: SessionDep, principal: PrincipalDep, author: AuthorDep
) -> Response:
    project_ref = service.result_project_ref(session=session, result_id=result_id)
    if project_ref is not None:
        policy.project_for(session, principal, project_ref, write=True)
    service.delete_result(session=session, result_id=result_id, author=author)
    return Response(status_code=204)


@router.get("/periods/{period_id}", summary="One indicator period")
def get_period(period_id: IdPath, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    period = service.fetch_period(session, period_id)
    policy.project_for(session, principal, period.indicator.result.project.ref)
    return service.get_period(session=session, period_id=period_id, approved_only=principal is None)


@router.patch(
    "/periods/{period_id}",
    summary="Change a period's target, actual or disaggregations",
    description="Send the `version` you read. Disaggregations of a count indicator must add "
    "up to the total (else 422, nothing changed); only draft or returned periods change.",
)
def update_period(
    period_id: IdPath,
    data: PeriodUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
) -> dict[str, Any]:
    policy.project_for(session, principal, _period_project(session, period_id), write=True)
    return service.update_period(session=session, period_id=period_id, data=data, author=author)


@router.post(
    "/periods/{period_id}/transitions",
    summary="Move a period between draft, submitted, approved and returned",
)
def move_period(
    period_id: IdPath,
    data: TransitionIn,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
) -> dict[str, Any]:
    return transition(session, principal, author, period_id, data)


def transition(
    session: SessionDep,
    principal: Principal | None,
    author: str,
    period_id: int,
    data: TransitionIn,
) -> dict[str, Any]:
    """Move a period after the role checks (API and pages)."""
    policy.check_transition(principal, data.to)
    policy.project_for(session, principal, _period_project(session, period_id), write=True)
    return service.move_period(session=session, period_id=period_id, data=data, author=author)


@router.get(
    "/rollups/{agreement}/{code}",
    summary="Roll an indicator up to an agreement",
    description="Without a token: approved periods of published projects only.",
)
def get_rollup(
    agreement: str,
    code: str,
    session: SessionDep,
    principal: PrincipalDep,
    start: dt.date | None = None,
    end: dt.date | None = None,
    approved_only: bool = False,
) -> dict[str, Any]:
    return rollup.rollup(
        session=session,
        agreement_ref=agreement,
        code=code,
        start=start,
        end=end,
        approved_only=approved_only or principal is None,
        published_only=principal is None,
    )


@router.get("/projects/{ref}/finance", summary="A project's budgets and transactions")
def get_finance(ref: str, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    policy.project_for(session, principal, ref)
    return finance.project_finance(
        session=session, project_ref=ref, published_only=principal is None
    )


@router.post("/projects/{ref}/budgets", status_code=201, summary="Add a budget")
def add_budget(
    ref: str, data: BudgetIn, session: SessionDep, principal: PrincipalDep, author: AuthorDep
) -> dict[str, Any]:
    policy.project_for(session, principal, ref, write=True)
    return finance.add_budget(session=session, project_ref=ref, data=data, author=author)


@router.post("/projects/{ref}/transactions", status_code=201, summary="Add a transaction")
def add_transaction(
    ref: str,
    data: TransactionIn,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
) -> dict[str, Any]:
    policy.project_for(session, principal, ref, write=True)
    return finance.add_transaction(session=session, project_ref=ref, data=data, author=author)


@router.get("/exchange-rates", summary="The exchange-rate table")
def list_rates(session: SessionDep) -> list[dict[str, Any]]:
    return finance.list_rates(session=session)


@router.post("/exchange-rates", status_code=201, summary="Add a dated, cited exchange rate")
def add_rate(
    data: RateIn, session: SessionDep, principal: PrincipalDep, author: AuthorDep
) -> dict[str, Any]:
    policy.require_staff(principal, "add exchange rates")
    return finance.add_rate(session=session, data=data, author=author)


@router.get(
    "/finance/totals",
    summary="Budgets and transactions per project, agreement, funder or country",
    description="All values converted to `currency` with the exchange-rate table; a missing "
    "rate refuses the total (422) and names it. Without a token the totals count published "
    "projects only.",
)
def get_totals(
    session: SessionDep,
    principal: PrincipalDep,
    by: str = Query("project", description="project, agreement, funder or country"),
    currency: str = Query("EUR", min_length=3, max_length=3),
    agreement: str | None = None,
) -> dict[str, Any]:
    return finance.totals(
        session=session,
        by=by,
        currency=currency.upper(),
        agreement_ref=agreement,
        published_only=principal is None,
    )


@router.get("/projects/{ref}/iati", summary="A project's IATI details")
def get_profile(ref: str, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    policy.project_for(session, principal, ref)
    return profile.get_profile(session=session, project_ref=ref, published_only=principal is None)


@router.put("/projects/{ref}/iati", summary="Set a project's IATI details")
def put_profile(
    ref: str, data: ProfileIn, session: SessionDep, principal: PrincipalDep, author: AuthorDep
) -> dict[str, Any]:
    policy.project_for(session, principal, ref, write=True)
    profile.set_profile(session=session, project_ref=ref, data=data, author=author)
    return profile.get_profile(session=session, project_ref=ref)


@router.post(
    "/projects/{ref}/corridor-actuals",
    summary="Set an energy project's actuals from a corridor scenario summary",
)
def corridor_actuals(
    ref: str,
    data: ScenarioSummary,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
) -> dict[str, Any]:
    policy.project_for(session, principal, ref, write=True)
    return corridor_link.apply_scenario_summary(
        session=session, project_ref=ref, summary=data, author=author
    )
