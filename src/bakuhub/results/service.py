"""Results frameworks: results -> indicators -> periods, with disaggregations and states.

Every function takes keyword arguments and a session; the caller owns the
transaction. Periods are versioned: an update names the version it is based on.
Each change writes its audit entry (``audit.service``) in the same transaction,
whoever calls: the API, the pages, the CLI or an import.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bakuhub.audit import service as audit
from bakuhub.db import utcnow
from bakuhub.errors import Conflict, InvalidInput, NotFound, StaleVersion, check_version, validated
from bakuhub.registry.models import Project
from bakuhub.results import models as m
from bakuhub.results.codes import (
    COUNT_MEASURES,
    EDITABLE_STATES,
    TRANSITIONS,
    Measure,
    PeriodState,
)
from bakuhub.results.rollup import period_status
from bakuhub.results.schemas import (
    DisaggregationIn,
    PeriodIn,
    PeriodUpdate,
    ResultIn,
    TransitionIn,
)

TOLERANCE = 1e-6


def fetch_project(session: Session, ref: str) -> Project:
    """The project with this ref, or NotFound."""
    project = session.scalar(select(Project).where(Project.ref == ref))
    if project is None:
        raise NotFound(
            f"There is no project with ref '{ref}'; check the ref (bakuhub registry list projects)."
        )
    return project


def fetch_period(session: Session, period_id: int) -> m.IndicatorPeriod:
    """The indicator period with this id, or NotFound."""
    period = session.get(m.IndicatorPeriod, period_id)
    if period is None:
        raise NotFound(f"There is no indicator period with id {period_id}.")
    return period


def check_disaggregations(
    *,
    measure: str,
    target: float | None,
    actual: float | None,
    items: list[DisaggregationIn],
    loc: list[str | int],
) -> None:
    """Refuse disaggregations that do not add up to their total.

    For count indicators (measure ``unit``) each dimension given for a side must
    cover the whole total: ``sum_c value(side, dimension, c) == total(side)``
    (within 1e-6 relative). Ratio and qualitative indicators have no sum rule.
    A category appears once per side and dimension.
    """
    errors: list[dict[str, Any]] = []
    totals = {"target": target, "actual": actual}
    groups: dict[tuple[str, str], list[DisaggregationIn]] = {}
    for item in items:
        groups.setdefault((item.side.value, item.dimension.value), []).append(item)
    for (side, dimension), group in groups.items():
        categories = [g.category for g in group]
        where = [*loc, "disaggregations"]
        if len(set(categories)) != len(categories):
            errors.append({"loc": where, "msg": f"{side} by {dimension} lists a category twice"})
        if Measure(measure) not in COUNT_MEASURES:
            continue
        total = totals[side]
        parts = sum(g.value for g in group)
        if total is None:
            errors.append(
                {"loc": where, "msg": f"{side} by {dimension} is given but the {side} is empty"}
            )
        elif abs(parts - total) > TOLERANCE * max(1.0, abs(total)):
            errors.append(
                {
                    "loc": where,
                    "msg": f"{side} by {dimension} adds up to {parts:g}, not to the {side} "
                    f"{total:g}; correct the parts or the total",
                }
            )
    if errors:
        text = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors)
        raise InvalidInput(
            f"Disaggregations do not add up: {text}. Nothing was changed.", details=errors
        )


def _period_row(
    data: PeriodIn, measure: str, author: str, loc: list[str | int]
) -> m.IndicatorPeriod:
    check_disaggregations(
        measure=measure, target=data.target, actual=data.actual, items=data.disaggregations, loc=loc
    )
    return m.IndicatorPeriod(
        start=data.start,
        end=data.end,
        target=data.target,
        actual=data.actual,
        target_comment=data.target_comment,
        actual_comment=data.actual_comment,
        evidence_url=data.evidence_url,
        weight=data.weight,
        state=PeriodState.draft.value,
        state_comment="",
        version=1,
        created_by=author,
        updated_by=author,
        disaggregations=[_disaggregation(d) for d in data.disaggregations],
    )


def _disaggregation(d: DisaggregationIn) -> m.Disaggregation:
    return m.Disaggregation(
        side=d.side.value, dimension=d.dimension.value, category=d.category, value=d.value
    )


def build_result(project: Project, data: ResultIn, position: int, author: str) -> m.Result:
    """A result row (with indicators and periods) from a validated payload."""
    indicators = []
    for i, ind in enumerate(data.indicators):
        periods = [
            _period_row(p, ind.measure.value, author, ["indicators", i, "periods", j])
            for j, p in enumerate(ind.periods)
        ]
        indicators.append(
            m.Indicator(
                position=i,
                code=ind.code,
                title=ind.title,
                description=ind.description,
                measure=ind.measure.value,
                unit=ind.unit,
                ascending=ind.ascending,
                baseline_year=ind.baseline_year,
                baseline_value=ind.baseline_value,
                baseline_comment=ind.baseline_comment,
                include_in_rollup=ind.include_in_rollup,
                periods=periods,
            )
        )
    return m.Result(
        project_id=project.id,
        position=position,
        kind=data.kind.value,
        title=data.title,
        description=data.description,
        created_by=author,
        indicators=indicators,
    )


def add_result(
    *, session: Session, project_ref: str, data: ResultIn, author: str
) -> dict[str, Any]:
    """Add a result (with its indicators and periods) to a project's framework."""
    project = fetch_project(session, project_ref)
    position = len(project_results(session, project.id))
    row = build_result(project, data, position, author)
    session.add(row)
    flush(session, f"result of project '{project_ref}'")
    out = read_result(row)
    log_change(session, author, "create", "results", result_ref(project.ref, row.id), None, out)
    return out


def result_ref(project_ref: str, result_id: int) -> str:
    """How the audit log names a result: ``<project ref>/<result id>``."""
    return f"{project_ref}/{result_id}"


def log_change(
    session: Session,
    author: str,
    action: str,
    kind: str,
    ref: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Write the audit entry of one change of a results or finance record."""
    audit.record(
        session=session,
        actor=author,
        action=action,
        record_type=kind,
        record_ref=str(ref),
        before=before,
        after=after,
    )


def project_results(session: Session, project_id: int) -> list[m.Result]:
    """A project's results in framework order."""
    stmt = select(m.Result).where(m.Result.project_id == project_id)
    return list(session.scalars(stmt.order_by(m.Result.position, m.Result.id)))


def get_framework(
    *, session: Session, project_ref: str, approved_only: bool = False
) -> dict[str, Any]:
    """A project's results framework with the status of each period.

    ``approved_only`` (anonymous readers) keeps approved periods only.
    """
    project = fetch_project(session, project_ref)
    results = [read_result(r) for r in project_results(session, project.id)]
    if approved_only:
        for result in results:
            for indicator in result["indicators"]:
                indicator["periods"] = [
                    p for p in indicator["periods"] if p["state"] == PeriodState.approved.value
                ]
    return {"project": project.ref, "results": results}


def get_period(*, session: Session, period_id: int, approved_only: bool = False) -> dict[str, Any]:
    """One indicator period as the API returns it (``approved_only``: NotFound unless
    it is approved, for anonymous readers)."""
    period = fetch_period(session, period_id)
    if approved_only and period.state != PeriodState.approved.value:
        raise NotFound(f"There is no indicator period with id {period_id}.")
    return read_period(period)


def result_project_ref(*, session: Session, result_id: int) -> str | None:
    """The ref of the project a result belongs to (None: there is no such result)."""
    row = session.get(m.Result, result_id)
    return None if row is None else row.project.ref


def delete_result(*, session: Session, result_id: int, author: str) -> None:
    """Delete a result with its indicators and periods."""
    row = session.get(m.Result, result_id)
    if row is None:
        raise NotFound(f"There is no result with id {result_id}.")
    before, ref = read_result(row), result_ref(row.project.ref, result_id)
    session.delete(row)
    flush(session, f"result {result_id}")
    log_change(session, author, "delete", "results", ref, before, None)


def update_period(
    *, session: Session, period_id: int, data: PeriodUpdate, author: str
) -> dict[str, Any]:
    """Change a period's values; refused if stale, not editable or not adding up.

    The whole change is validated before the stored period is touched, so a
    refused update leaves the period as it was.
    """
    period = fetch_period(session, period_id)
    _check_version(period, data.version)
    state = PeriodState(period.state)
    if state not in EDITABLE_STATES:
        raise Conflict(
            f"Indicator period {period_id} is {state.value}; only draft or returned periods can "
            "be changed. Return it first (transition to 'returned') to correct it."
        )
    current = read_period(period)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    merged = {k: current[k] for k in PeriodIn.model_fields}
    merged.update(changes)
    payload = validated(PeriodIn, merged, what=f"Indicator period {period_id}")
    write_period(session, period, payload, author)
    after = read_period(period)
    log_change(session, author, "update", "periods", period_id, current, after)
    return after


def write_period(
    session: Session,
    period: m.IndicatorPeriod,
    payload: PeriodIn,
    author: str,
    source: dict[str, Any] | None = None,
) -> None:
    """Overwrite a period's values with a validated payload and bump its version."""
    check_disaggregations(
        measure=period.indicator.measure,
        target=payload.target,
        actual=payload.actual,
        items=payload.disaggregations,
        loc=["period", period.id],
    )
    if source is not None:
        period.value_source = source
    elif payload.actual != period.actual:
        period.value_source = None  # a value typed in replaces one taken from a scenario
    period.start, period.end = payload.start, payload.end
    period.target, period.actual = payload.target, payload.actual
    period.target_comment, period.actual_comment = payload.target_comment, payload.actual_comment
    period.evidence_url, period.weight = payload.evidence_url, payload.weight
    if period.disaggregations:
        period.disaggregations.clear()
        session.flush()
    period.disaggregations.extend(_disaggregation(d) for d in payload.disaggregations)
    _bump(period, author)
    flush(session, f"indicator period {period.id}")


def move_period(
    *, session: Session, period_id: int, data: TransitionIn, author: str
) -> dict[str, Any]:
    """Move a period to another reporting state (see ``codes.TRANSITIONS``)."""
    period = fetch_period(session, period_id)
    _check_version(period, data.version)
    here = PeriodState(period.state)
    if data.to not in TRANSITIONS[here]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[here]))
        raise Conflict(
            f"Indicator period {period_id} is {here.value}; it can move to {allowed}, "
            f"not to {data.to.value}."
        )
    if data.to == PeriodState.returned and not data.comment:
        raise InvalidInput(
            "comment: a period is returned with a comment that says what to correct.",
            details=[{"loc": ["comment"], "msg": "required when returning a period"}],
        )
    if data.to == PeriodState.submitted and period.actual is None and period.target is None:
        raise InvalidInput(f"Indicator period {period_id} has no target or actual to submit.")
    before = read_period(period)
    period.state = data.to.value
    period.state_comment = data.comment
    _bump(period, author)
    flush(session, f"indicator period {period_id}")
    after = read_period(period)
    log_change(session, author, f"move to {data.to.value}", "periods", period_id, before, after)
    return after


def _check_version(period: m.IndicatorPeriod, based_on: int) -> None:
    check_version(what=f"Indicator period {period.id}", current=period.version, based_on=based_on)


def _bump(period: m.IndicatorPeriod, author: str) -> None:
    period.version = period.version + 1
    period.updated_by = author
    period.updated_at = utcnow()


def flush(session: Session, what: str) -> None:
    """Flush in a savepoint, turning database refusals into user errors."""
    try:
        with session.begin_nested():
            session.flush()
    except StaleDataError:
        raise StaleVersion(
            f"The {what} was changed by someone else at the same time; reload it and try again."
        ) from None
    except IntegrityError as exc:
        reason = str(exc.orig).splitlines()[0][:200] if exc.orig else str(exc)[:200]
        raise Conflict(
            f"The {what} cannot be saved: it clashes with other records ({reason})."
        ) from None


def read_period(p: m.IndicatorPeriod) -> dict[str, Any]:
    """A period as the API returns it, with its status."""
    ind = p.indicator
    return {
        "id": p.id,
        "version": p.version,
        "start": p.start,
        "end": p.end,
        "target": p.target,
        "actual": p.actual,
        "target_comment": p.target_comment,
        "actual_comment": p.actual_comment,
        "evidence_url": p.evidence_url,
        "weight": p.weight,
        "disaggregations": [
            {"side": d.side, "dimension": d.dimension, "category": d.category, "value": d.value}
            for d in p.disaggregations
        ],
        "state": p.state,
        "state_comment": p.state_comment,
        "value_source": p.value_source,
        "status": period_status(
            target=p.target,
            actual=p.actual,
            baseline=ind.baseline_value,
            ascending=ind.ascending,
            measure=ind.measure,
        ).value,
        "updated_at": p.updated_at,
        "updated_by": p.updated_by,
    }


def read_indicator(i: m.Indicator) -> dict[str, Any]:
    """An indicator with its periods."""
    return {
        "id": i.id,
        "code": i.code,
        "title": i.title,
        "description": i.description,
        "measure": i.measure,
        "unit": i.unit,
        "ascending": i.ascending,
        "baseline_year": i.baseline_year,
        "baseline_value": i.baseline_value,
        "baseline_comment": i.baseline_comment,
        "include_in_rollup": i.include_in_rollup,
        "periods": [read_period(p) for p in i.periods],
    }


def read_result(r: m.Result) -> dict[str, Any]:
    """A result with its indicators."""
    return {
        "id": r.id,
        "kind": r.kind,
        "title": r.title,
        "description": r.description,
        "indicators": [read_indicator(i) for i in r.indicators],
    }
