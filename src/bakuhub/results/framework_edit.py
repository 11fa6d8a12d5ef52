"""Editing a results framework piece by piece: a result's own fields, indicators (with
their baselines), and periods added or deleted one at a time.

Results and indicators carry no version: a change replaces the fields it names.
Periods are versioned: deleting one names the version it was read at. Each change
writes its audit entry in the same transaction (record types ``results``,
``indicators``, ``periods``). Only draft or returned periods are deleted, and an
indicator is deleted only when none of its periods is submitted or approved.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bakuhub.errors import NotFound, validated
from bakuhub.i18n import _
from bakuhub.results import models as m
from bakuhub.results.checks import check_disaggregations, check_overlap, check_removable
from bakuhub.results.reads import read_indicator, read_period, read_result
from bakuhub.results.schemas import (
    DisaggregationIn,
    IndicatorFields,
    IndicatorIn,
    IndicatorUpdate,
    PeriodIn,
    ResultUpdate,
)
from bakuhub.results.service import (
    build_period,
    check_period_version,
    fetch_period,
    flush,
    log_change,
    result_ref,
)


def fetch_result(session: Session, result_id: int) -> m.Result:
    """The result with this id, or NotFound."""
    row = session.get(m.Result, result_id)
    if row is None:
        raise NotFound(_("There is no result with id {id}.").format(id=result_id))
    return row


def fetch_indicator(session: Session, indicator_id: int) -> m.Indicator:
    """The indicator with this id, or NotFound."""
    row = session.get(m.Indicator, indicator_id)
    if row is None:
        raise NotFound(_("There is no indicator with id {id}.").format(id=indicator_id))
    return row


def indicator_ref(indicator: m.Indicator) -> str:
    """How the audit log names an indicator: ``<project ref>/<indicator id>``."""
    return f"{indicator.result.project.ref}/{indicator.id}"


def project_of(
    session: Session,
    *,
    result_id: int | None = None,
    indicator_id: int | None = None,
    period_id: int | None = None,
) -> str:
    """The ref of the project a result, indicator or period belongs to (or NotFound)."""
    if result_id is not None:
        return fetch_result(session, result_id).project.ref
    if indicator_id is not None:
        return fetch_indicator(session, indicator_id).result.project.ref
    if period_id is not None:
        return fetch_period(session, period_id).indicator.result.project.ref
    raise NotFound(_("Name a result, an indicator or a period."))


def get_result(*, session: Session, result_id: int) -> dict[str, Any]:
    """One result with its indicators and periods."""
    return read_result(fetch_result(session, result_id))


def get_indicator(*, session: Session, indicator_id: int) -> dict[str, Any]:
    """One indicator with its periods and the result it measures."""
    row = fetch_indicator(session, indicator_id)
    out = read_indicator(row)
    out["result"] = {"id": row.result.id, "title": row.result.title, "kind": row.result.kind}
    return out


def update_result(
    *, session: Session, result_id: int, data: ResultUpdate, author: str
) -> dict[str, Any]:
    """Change a result's level, title or description."""
    row = fetch_result(session, result_id)
    before = read_result(row)
    changes = data.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            continue  # kind and title cannot be emptied; description None means unchanged
        setattr(row, name, value.value if name == "kind" else value)
    flush(session, _("result {id}").format(id=result_id))
    after = read_result(row)
    ref = result_ref(row.project.ref, row.id)
    log_change(session, author, "update", "results", ref, before, after)
    return after


def add_indicator(
    *, session: Session, result_id: int, data: IndicatorIn, author: str
) -> dict[str, Any]:
    """Add an indicator (with its baseline and any periods) to a result."""
    result = fetch_result(session, result_id)
    periods = [
        build_period(p, data.measure.value, author, ["periods", j])
        for j, p in enumerate(data.periods)
    ]
    _no_overlap_among(periods)
    fields = data.model_dump(exclude={"periods"})
    fields["measure"] = data.measure.value
    row = m.Indicator(position=len(result.indicators), periods=periods, **fields)
    result.indicators.append(row)
    flush(session, _("indicator of result {id}").format(id=result_id))
    out = read_indicator(row)
    log_change(session, author, "create", "indicators", indicator_ref(row), None, out)
    return out


def _no_overlap_among(periods: list[m.IndicatorPeriod]) -> None:
    for i, period in enumerate(periods):
        check_overlap(periods[:i], period.start, period.end)


def update_indicator(
    *, session: Session, indicator_id: int, data: IndicatorUpdate, author: str
) -> dict[str, Any]:
    """Change an indicator's fields; its periods must still add up under the new measure."""
    row = fetch_indicator(session, indicator_id)
    before = read_indicator(row)
    merged = {k: before[k] for k in IndicatorFields.model_fields}
    merged.update(data.model_dump(exclude_unset=True))
    for required in ("title", "measure", "ascending", "include_in_rollup"):
        if merged[required] is None:
            merged[required] = before[required]
    for text in ("description", "unit", "baseline_comment"):
        merged[text] = merged[text] or ""
    payload = validated(IndicatorFields, merged, what=_("Indicator {id}").format(id=indicator_id))
    for period in row.periods:
        check_disaggregations(
            measure=payload.measure.value,
            target=period.target,
            actual=period.actual,
            items=[_disaggregation_in(d) for d in period.disaggregations],
            loc=["periods", period.id],
        )
    for name, value in payload.model_dump().items():
        setattr(row, name, value)
    row.measure = payload.measure.value
    flush(session, _("indicator {id}").format(id=indicator_id))
    after = read_indicator(row)
    log_change(session, author, "update", "indicators", indicator_ref(row), before, after)
    return after


def _disaggregation_in(d: m.Disaggregation) -> DisaggregationIn:
    return DisaggregationIn.model_validate(
        {"side": d.side, "dimension": d.dimension, "category": d.category, "value": d.value}
    )


def delete_indicator(*, session: Session, indicator_id: int, author: str) -> None:
    """Delete an indicator with its periods (none of them submitted or approved)."""
    row = fetch_indicator(session, indicator_id)
    check_removable(list(row.periods), _("The indicator '{title}'").format(title=row.title))
    before, ref = read_indicator(row), indicator_ref(row)
    result = row.result
    result.indicators.remove(row)
    for position, other in enumerate(result.indicators):
        other.position = position
    flush(session, _("indicator {id}").format(id=indicator_id))
    log_change(session, author, "delete", "indicators", ref, before, None)


def add_period(
    *, session: Session, indicator_id: int, data: PeriodIn, author: str
) -> dict[str, Any]:
    """Add a reporting period (target, actual, disaggregations) to an indicator."""
    indicator = fetch_indicator(session, indicator_id)
    check_overlap(indicator.periods, data.start, data.end)
    row = build_period(data, indicator.measure, author, [])
    indicator.periods.append(row)
    flush(session, _("period of indicator {id}").format(id=indicator_id))
    out = read_period(row)
    log_change(session, author, "create", "periods", row.id, None, out)
    return out


def delete_period(*, session: Session, period_id: int, version: int, author: str) -> None:
    """Delete a draft or returned period read at ``version``."""
    period = fetch_period(session, period_id)
    check_period_version(period, version)
    what = _("The period {start} to {end}").format(start=period.start, end=period.end)
    check_removable([period], what)
    before = read_period(period)
    period.indicator.periods.remove(period)
    flush(session, _("indicator period {id}").format(id=period_id))
    log_change(session, author, "delete", "periods", period_id, before, None)
