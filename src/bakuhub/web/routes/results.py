"""JSON API of results frameworks, finance, exchange rates and the corridor link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query, Response

from bakuhub.accounts.permissions import Principal, Role, require
from bakuhub.i18n import N_
from bakuhub.results import corridor_link, finance, framework_edit, profile, review, rollup, service
from bakuhub.results.answers import CorridorActualsOut, ProfileOut, RollupOut, TotalsOut
from bakuhub.results.codes import PeriodState
from bakuhub.results.finance_schemas import BudgetOut, FinanceOut, RateOut, TransactionOut
from bakuhub.results.schemas import (
    BudgetIn,
    FrameworkOut,
    FrameworkResultOut,
    IndicatorDetailOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorUpdate,
    PeriodIn,
    PeriodOut,
    PeriodUpdate,
    ProfileIn,
    RateIn,
    ResultIn,
    ResultUpdate,
    ReviewIn,
    ReviewPeriodOut,
    ScenarioSummary,
    TransactionIn,
    TransitionIn,
)
from bakuhub.web import policy
from bakuhub.web.contract import MAY_BE_MISSING
from bakuhub.web.deps import AuthorDep, IdPath, PrincipalDep, SessionDep

router = APIRouter(tags=["results"])


# Who may change a result, indicator or period is checked in a dependency, so a refusal
# (401/403) comes before the body is read: a caller without the right learns nothing
# from the validation of what it sent.


def _result_writable(result_id: IdPath, session: SessionDep, principal: PrincipalDep) -> None:
    ref = framework_edit.project_of(session, result_id=result_id)
    policy.project_for(session, principal, ref, write=True)


def _indicator_writable(indicator_id: IdPath, session: SessionDep, principal: PrincipalDep) -> None:
    ref = framework_edit.project_of(session, indicator_id=indicator_id)
    policy.project_for(session, principal, ref, write=True)


def _period_writable(period_id: IdPath, session: SessionDep, principal: PrincipalDep) -> None:
    ref = framework_edit.project_of(session, period_id=period_id)
    policy.project_for(session, principal, ref, write=True)


def _reviewer(principal: PrincipalDep) -> None:
    policy.require_staff(principal, N_("approve or return result periods"))


ResultWritable = Depends(_result_writable)
IndicatorWritable = Depends(_indicator_writable)
PeriodWritable = Depends(_period_writable)
Reviewer = Depends(_reviewer)


@router.get(
    "/projects/{ref}/results",
    summary="A project's results framework, with statuses",
    response_model=FrameworkOut,
)
def get_framework(ref: str, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    policy.project_for(session, principal, ref)
    return service.get_framework(session=session, project_ref=ref, approved_only=principal is None)


def _period_project(session: SessionDep, period_id: int) -> str:
    return service.fetch_period(session, period_id).indicator.result.project.ref


@router.post(
    "/projects/{ref}/results",
    status_code=201,
    summary="Add a result to a project",
    response_model=FrameworkResultOut,
)
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


@router.get(
    "/results/{result_id}",
    summary="One result with its indicators and periods",
    response_model=FrameworkResultOut,
)
def get_result(result_id: IdPath, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    policy.project_for(session, principal, framework_edit.project_of(session, result_id=result_id))
    out = framework_edit.get_result(session=session, result_id=result_id)
    if principal is None:
        for indicator in out["indicators"]:
            indicator["periods"] = [p for p in indicator["periods"] if p["state"] == "approved"]
    return out


@router.patch(
    "/results/{result_id}",
    summary="Change a result's level, title or description",
    dependencies=[ResultWritable],
    response_model=FrameworkResultOut,
)
def update_result(
    result_id: IdPath, data: ResultUpdate, session: SessionDep, author: AuthorDep
) -> dict[str, Any]:
    return framework_edit.update_result(
        session=session, result_id=result_id, data=data, author=author
    )


@router.post(
    "/results/{result_id}/indicators",
    status_code=201,
    summary="Add an indicator (baseline, periods) to a result",
    dependencies=[ResultWritable],
    response_model=IndicatorOut,
)
def add_indicator(
    result_id: IdPath, data: IndicatorIn, session: SessionDep, author: AuthorDep
) -> dict[str, Any]:
    return framework_edit.add_indicator(
        session=session, result_id=result_id, data=data, author=author
    )


@router.get(
    "/indicators/{indicator_id}",
    summary="One indicator with its periods",
    response_model=IndicatorDetailOut,
)
def get_indicator(
    indicator_id: IdPath, session: SessionDep, principal: PrincipalDep
) -> dict[str, Any]:
    ref = framework_edit.project_of(session, indicator_id=indicator_id)
    policy.project_for(session, principal, ref)
    out = framework_edit.get_indicator(session=session, indicator_id=indicator_id)
    if principal is None:
        out["periods"] = [p for p in out["periods"] if p["state"] == "approved"]
    return out


@router.patch(
    "/indicators/{indicator_id}",
    summary="Change an indicator: title, code, measure, unit, direction, baseline",
    description="Send only the fields to change. Changing the measure to `unit` is refused "
    "(422) while a period's disaggregations do not add up to its total.",
    dependencies=[IndicatorWritable],
    response_model=IndicatorOut,
)
def update_indicator(
    indicator_id: IdPath, data: IndicatorUpdate, session: SessionDep, author: AuthorDep
) -> dict[str, Any]:
    return framework_edit.update_indicator(
        session=session, indicator_id=indicator_id, data=data, author=author
    )


@router.delete(
    "/indicators/{indicator_id}",
    status_code=204,
    summary="Delete an indicator with its periods (none submitted or approved)",
    dependencies=[IndicatorWritable],
)
def delete_indicator(indicator_id: IdPath, session: SessionDep, author: AuthorDep) -> Response:
    framework_edit.delete_indicator(session=session, indicator_id=indicator_id, author=author)
    return Response(status_code=204)


@router.post(
    "/indicators/{indicator_id}/periods",
    status_code=201,
    summary="Add a reporting period (target, actual, disaggregations) to an indicator",
    description="Periods of one indicator do not overlap (422 names the one in the way).",
    dependencies=[IndicatorWritable],
    response_model=PeriodOut,
)
def add_period(
    indicator_id: IdPath, data: PeriodIn, session: SessionDep, author: AuthorDep
) -> dict[str, Any]:
    return framework_edit.add_period(
        session=session, indicator_id=indicator_id, data=data, author=author
    )


@router.delete(
    "/periods/{period_id}",
    status_code=204,
    summary="Delete a draft or returned period",
    description="Send the `version` you read as a query parameter (409 when it changed).",
    dependencies=[PeriodWritable],
)
def delete_period(
    period_id: IdPath,
    session: SessionDep,
    author: AuthorDep,
    version: int = Query(description="The version of the period you read"),
) -> Response:
    framework_edit.delete_period(
        session=session, period_id=period_id, version=version, author=author
    )
    return Response(status_code=204)


@router.get(
    "/review",
    summary="Periods waiting for review (submitted), or in another state",
    description="Signed-in readers only. Each period names its indicator, result and project.",
    response_model=list[ReviewPeriodOut],
)
def list_review(
    session: SessionDep,
    principal: PrincipalDep,
    state: PeriodState = PeriodState.submitted,
) -> list[dict[str, Any]]:
    require(principal, Role.viewer, N_("read the periods waiting for review"))
    return review.list_periods(session=session, states=(state,))


@router.post(
    "/review",
    summary="Approve or return several submitted periods at once: all or none",
    description="Send each period's `id` and the `version` you read. When one cannot move "
    "(changed since, not submitted), none moves and the answer names each one.",
    dependencies=[Reviewer],
    response_model=list[PeriodOut],
    responses=MAY_BE_MISSING,
)
def review_periods(data: ReviewIn, session: SessionDep, author: AuthorDep) -> list[dict[str, Any]]:
    return review.review(session=session, data=data, author=author)


@router.get("/periods/{period_id}", summary="One indicator period", response_model=PeriodOut)
def get_period(period_id: IdPath, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    period = service.fetch_period(session, period_id)
    policy.project_for(session, principal, period.indicator.result.project.ref)
    return service.get_period(session=session, period_id=period_id, approved_only=principal is None)


@router.patch(
    "/periods/{period_id}",
    summary="Change a period's target, actual or disaggregations",
    description="Send the `version` you read. Disaggregations of a count indicator must add "
    "up to the total (else 422, nothing changed); only draft or returned periods change.",
    response_model=PeriodOut,
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
    response_model=PeriodOut,
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
    response_model=RollupOut,
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


@router.get(
    "/projects/{ref}/finance",
    summary="A project's budgets and transactions",
    response_model=FinanceOut,
)
def get_finance(ref: str, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    policy.project_for(session, principal, ref)
    return finance.project_finance(
        session=session, project_ref=ref, published_only=principal is None
    )


@router.post(
    "/projects/{ref}/budgets", status_code=201, summary="Add a budget", response_model=BudgetOut
)
def add_budget(
    ref: str, data: BudgetIn, session: SessionDep, principal: PrincipalDep, author: AuthorDep
) -> dict[str, Any]:
    policy.project_for(session, principal, ref, write=True)
    return finance.add_budget(session=session, project_ref=ref, data=data, author=author)


@router.post(
    "/projects/{ref}/transactions",
    status_code=201,
    summary="Add a transaction",
    response_model=TransactionOut,
)
def add_transaction(
    ref: str,
    data: TransactionIn,
    session: SessionDep,
    principal: PrincipalDep,
    author: AuthorDep,
) -> dict[str, Any]:
    policy.project_for(session, principal, ref, write=True)
    return finance.add_transaction(session=session, project_ref=ref, data=data, author=author)


@router.get("/exchange-rates", summary="The exchange-rate table", response_model=list[RateOut])
def list_rates(session: SessionDep) -> list[dict[str, Any]]:
    return finance.list_rates(session=session)


@router.post(
    "/exchange-rates",
    status_code=201,
    summary="Add a dated, cited exchange rate",
    response_model=RateOut,
)
def add_rate(
    data: RateIn, session: SessionDep, principal: PrincipalDep, author: AuthorDep
) -> dict[str, Any]:
    policy.require_staff(principal, N_("add exchange rates"))
    return finance.add_rate(session=session, data=data, author=author)


@router.get(
    "/finance/totals",
    responses=MAY_BE_MISSING,
    summary="Budgets and transactions per project, agreement, funder or country",
    description="All values converted to `currency` with the exchange-rate table; a missing "
    "rate refuses the total (422) and names it. Without a token the totals count published "
    "projects only.",
    response_model=TotalsOut,
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


@router.get("/projects/{ref}/iati", summary="A project's IATI details", response_model=ProfileOut)
def get_profile(ref: str, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    policy.project_for(session, principal, ref)
    return profile.get_profile(session=session, project_ref=ref, published_only=principal is None)


@router.put(
    "/projects/{ref}/iati", summary="Set a project's IATI details", response_model=ProfileOut
)
def put_profile(
    ref: str, data: ProfileIn, session: SessionDep, principal: PrincipalDep, author: AuthorDep
) -> dict[str, Any]:
    policy.project_for(session, principal, ref, write=True)
    profile.set_profile(session=session, project_ref=ref, data=data, author=author)
    return profile.get_profile(session=session, project_ref=ref)


@router.post(
    "/projects/{ref}/corridor-actuals",
    summary="Set an energy project's actuals from a corridor scenario summary",
    response_model=CorridorActualsOut,
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
