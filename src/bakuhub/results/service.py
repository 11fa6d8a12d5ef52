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
from bakuhub.i18n import _
from bakuhub.registry.models import Project
from bakuhub.results import models as m
from bakuhub.results.checks import check_disaggregations as check_disaggregations
from bakuhub.results.checks import check_overlap, check_removable
from bakuhub.results.codes import (
    EDITABLE_STATES,
    TRANSITIONS,
    Measure,
    PeriodState,
)
from bakuhub.results.reads import read_period as read_period
from bakuhub.results.reads import read_result as read_result
from bakuhub.results.schemas import (
    DisaggregationIn,
    PeriodIn,
    PeriodUpdate,
    ResultIn,
    TransitionIn,
)


def fetch_project(session: Session, ref: str) -> Project:
    """The project with this ref, or NotFound."""
    project = session.scalar(select(Project).where(Project.ref == ref))
    if project is None:
        raise NotFound(
            _(
                "There is no project with ref '{ref}'; check the ref "
                "(bakuhub registry list projects)."
            ).format(ref=ref)
        )
    return project


def fetch_period(session: Session, period_id: int) -> m.IndicatorPeriod:
    """The indicator period with this id, or NotFound."""
    period = session.get(m.IndicatorPeriod, period_id)
    if period is None:
        raise NotFound(_("There is no indicator period with id {id}.").format(id=period_id))
    return period


def build_period(
    data: PeriodIn, measure: str, author: str, loc: list[str | int]
) -> m.IndicatorPeriod:
    """A new draft period row from a validated payload (its parts checked)."""
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
            build_period(p, ind.measure.value, author, ["indicators", i, "periods", j])
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
    flush(session, _("result of project '{ref}'").format(ref=project_ref))
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
        raise NotFound(_("There is no indicator period with id {id}.").format(id=period_id))
    return read_period(period)


def result_project_ref(*, session: Session, result_id: int) -> str | None:
    """The ref of the project a result belongs to (None: there is no such result)."""
    row = session.get(m.Result, result_id)
    return None if row is None else row.project.ref


def delete_result(*, session: Session, result_id: int, author: str) -> None:
    """Delete a result with its indicators and periods."""
    row = session.get(m.Result, result_id)
    if row is None:
        raise NotFound(_("There is no result with id {id}.").format(id=result_id))
    periods = [p for i in row.indicators for p in i.periods]
    check_removable(periods, _("The result '{title}'").format(title=row.title))
    before, ref = read_result(row), result_ref(row.project.ref, result_id)
    session.delete(row)
    flush(session, _("result {id}").format(id=result_id))
    log_change(session, author, "delete", "results", ref, before, None)


def update_period(
    *, session: Session, period_id: int, data: PeriodUpdate, author: str
) -> dict[str, Any]:
    """Change a period's values; refused if stale, not editable or not adding up.

    The whole change is validated before the stored period is touched, so a
    refused update leaves the period as it was.
    """
    period = fetch_period(session, period_id)
    check_period_version(period, data.version)
    state = PeriodState(period.state)
    if state not in EDITABLE_STATES:
        raise Conflict(
            _(
                "Indicator period {id} is {state}; only draft or returned periods can "
                "be changed. Return it first (transition to 'returned') to correct it."
            ).format(id=period_id, state=state.value)
        )
    current = read_period(period)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    merged = {k: current[k] for k in PeriodIn.model_fields}
    merged.update(changes)
    payload = validated(PeriodIn, merged, what=_("Indicator period {id}").format(id=period_id))
    if (payload.start, payload.end) != (period.start, period.end):
        check_overlap(period.indicator.periods, payload.start, payload.end, skip=period.id)
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
    flush(session, _("indicator period {id}").format(id=period.id))


def move_period(
    *, session: Session, period_id: int, data: TransitionIn, author: str
) -> dict[str, Any]:
    """Move a period to another reporting state (see ``codes.TRANSITIONS``)."""
    period = fetch_period(session, period_id)
    return apply_move(session, period, data, author)


def apply_move(
    session: Session, period: m.IndicatorPeriod, data: TransitionIn, author: str
) -> dict[str, Any]:
    """Check and make one move of a period; approving or returning records the reviewer."""
    check_period_version(period, data.version)
    here = PeriodState(period.state)
    if data.to not in TRANSITIONS[here]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[here]))
        raise Conflict(
            _("Indicator period {id} is {state}; it can move to {allowed}, not to {to}.").format(
                id=period.id, state=here.value, allowed=allowed, to=data.to.value
            )
        )
    if data.to == PeriodState.returned and not data.comment:
        raise InvalidInput(
            _("comment: a period is returned with a comment that says what to correct."),
            details=[{"loc": ["comment"], "msg": _("required when returning a period")}],
        )
    if data.to == PeriodState.submitted and not _has_values(period):
        raise InvalidInput(
            _("Indicator period {id} has no target or actual to submit; enter them first.").format(
                id=period.id
            )
        )
    before = read_period(period)
    period.state = data.to.value
    period.state_comment = data.comment
    if data.to in (PeriodState.approved, PeriodState.returned):
        period.reviewed_by, period.reviewed_at = author, utcnow()
    _bump(period, author)
    flush(session, _("indicator period {id}").format(id=period.id))
    after = read_period(period)
    log_change(session, author, f"move to {data.to.value}", "periods", period.id, before, after)
    return after


def _has_values(period: m.IndicatorPeriod) -> bool:
    """A target or actual, or (qualitative indicators) a written one."""
    if period.actual is not None or period.target is not None:
        return True
    qualitative = period.indicator.measure == Measure.qualitative.value
    return qualitative and bool(period.actual_comment or period.target_comment)


def check_period_version(period: m.IndicatorPeriod, based_on: int) -> None:
    """Refuse a change based on another version of the period (StaleVersion)."""
    check_version(
        what=_("Indicator period {id}").format(id=period.id),
        current=period.version,
        based_on=based_on,
    )


def _bump(period: m.IndicatorPeriod, author: str) -> None:
    period.version = period.version + 1
    period.updated_by = author
    period.updated_at = utcnow()


def flush(session: Session, what: str) -> None:
    """Flush in a savepoint, turning database refusals into user errors.

    ``what`` names the record in the reader's language (``_("result {id}")``).
    """
    try:
        with session.begin_nested():
            session.flush()
    except StaleDataError:
        raise StaleVersion(
            _(
                "The {what} was changed by someone else at the same time; reload it and try again."
            ).format(what=what)
        ) from None
    except IntegrityError as exc:
        reason = str(exc.orig).splitlines()[0][:200] if exc.orig else str(exc)[:200]
        raise Conflict(
            _("The {what} cannot be saved: it clashes with other records ({reason}).").format(
                what=what, reason=reason
            )
        ) from None
