"""Reviewing reported periods: the periods waiting for the secretariat, and approving
or returning several at once, all of them or none.

Each move is the same as one made alone (``service.apply_move``): it checks the
version the reviewer read, records who reviewed it and when (``reviewed_by``,
``reviewed_at``) and writes its audit entry. A bulk review runs in one savepoint:
when one period cannot move (changed since it was read, no longer submitted), none
moves and the error names each period at fault.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.errors import BakuhubError, Conflict, InvalidInput, NotFound, StaleVersion
from bakuhub.i18n import _
from bakuhub.registry.models import Project
from bakuhub.results import models as m
from bakuhub.results.codes import PeriodState
from bakuhub.results.reads import read_period
from bakuhub.results.schemas import ReviewIn, TransitionIn
from bakuhub.results.service import apply_move

MAX_LISTED = 500


def list_periods(
    *, session: Session, states: tuple[PeriodState, ...] = (PeriodState.submitted,)
) -> list[dict[str, Any]]:
    """Periods in these states across projects, oldest change first, with where they belong."""
    stmt = (
        select(m.IndicatorPeriod)
        .join(m.Indicator, m.Indicator.id == m.IndicatorPeriod.indicator_id)
        .join(m.Result, m.Result.id == m.Indicator.result_id)
        .join(Project, Project.id == m.Result.project_id)
        .where(m.IndicatorPeriod.state.in_([s.value for s in states]))
        .order_by(m.IndicatorPeriod.updated_at, m.IndicatorPeriod.id)
        .limit(MAX_LISTED)
    )
    return [_located(p) for p in session.scalars(stmt).unique()]


def _located(period: m.IndicatorPeriod) -> dict[str, Any]:
    """A period with its indicator, result and project named."""
    indicator = period.indicator
    result = indicator.result
    return {
        **read_period(period),
        "indicator": {
            "id": indicator.id,
            "title": indicator.title,
            "unit": indicator.unit,
            "measure": indicator.measure,
            "baseline_value": indicator.baseline_value,
            "baseline_year": indicator.baseline_year,
        },
        "result": {"id": result.id, "title": result.title, "kind": result.kind},
        "project": {"ref": result.project.ref, "title": result.project.title},
    }


def project_refs(*, session: Session, period_ids: list[int]) -> dict[int, str]:
    """The project ref of each period (a period that does not exist is left out)."""
    stmt = (
        select(m.IndicatorPeriod.id, Project.ref)
        .join(m.Indicator, m.Indicator.id == m.IndicatorPeriod.indicator_id)
        .join(m.Result, m.Result.id == m.Indicator.result_id)
        .join(Project, Project.id == m.Result.project_id)
        .where(m.IndicatorPeriod.id.in_(period_ids))
    )
    return {row[0]: row[1] for row in session.execute(stmt)}


def review(*, session: Session, data: ReviewIn, author: str) -> list[dict[str, Any]]:
    """Approve or return every listed period, or none (the errors name each one)."""
    if data.to == PeriodState.returned and not data.comment:
        raise InvalidInput(
            _(
                "comment: periods are returned with a comment that says what to correct; "
                "write it and return them again."
            ),
            details=[{"loc": ["comment"], "msg": _("required when returning periods")}],
        )
    problems: list[dict[str, Any]] = []
    kinds: list[type[BakuhubError]] = []
    moved: list[dict[str, Any]] = []
    savepoint = session.begin_nested()
    for i, ref in enumerate(data.periods):
        period = session.get(m.IndicatorPeriod, ref.id)
        if period is None:
            problems.append(
                _problem(i, ref.id, _("there is no period with id {id}").format(id=ref.id))
            )
            kinds.append(NotFound)
            continue
        move = TransitionIn(to=data.to, version=ref.version, comment=data.comment)
        try:
            moved.append(apply_move(session, period, move, author))
        except BakuhubError as exc:
            problems.append(_problem(i, ref.id, exc.message))
            kinds.append(type(exc))
    if problems:
        savepoint.rollback()
        raise _refusal(data, problems, kinds)
    savepoint.commit()
    return moved


def _problem(index: int, period_id: int, message: str) -> dict[str, Any]:
    return {"loc": ["periods", index], "period": period_id, "msg": message}


def _refusal(
    data: ReviewIn, problems: list[dict[str, Any]], kinds: list[type[BakuhubError]]
) -> BakuhubError:
    """One error for the whole refused review, of the kind of its problems (a missing
    period first, then a stale one, else a conflict)."""
    listed = " ".join(p["msg"].rstrip(".") + "." for p in problems)
    if data.to == PeriodState.approved:
        text = _("No period was approved: {problems}").format(problems=listed)
    else:
        text = _("No period was returned: {problems}").format(problems=listed)
    if any(issubclass(k, NotFound) for k in kinds):
        return NotFound(text, details=problems)
    if any(issubclass(k, StaleVersion) for k in kinds):
        return StaleVersion(text, details=problems)
    return Conflict(text, details=problems)
