"""Status of an indicator from actual against target, and roll-up across projects.

Status (per period, and for a roll-up)
--------------------------------------
Progress ``p`` is the share of the way from the baseline ``B`` to the target
``T`` that the actual ``A`` has come::

    p = (A - B) / (T - B)                 baseline known, T != B
    p = A / T                             no baseline, higher is better (B = 0)
    p = 1 if A <= T else T / A            no baseline, lower is better

(with ``T == B``, or ``T == 0`` in the second form: ``p = 1`` when the actual has
reached the target in the right direction, else 0). Status: on track when
``p >= 0.9``, at risk when ``0.6 <= p < 0.9``, off track when ``p < 0.6``; no data
without a numeric target and actual (and for nominal, ordinal or qualitative
indicators).

Roll-up (indicators with the same code, from projects to their agreement)
-------------------------------------------------------------------------
Over the periods of every included project indicator that lie inside the window::

    counts (measure unit):        T = sum_i t_i,  A = sum_i a_i
    ratios (measure percentage):  T = sum_i w_i t_i / sum_i w_i,  A likewise

with ``w_i`` the period's weight (e.g. the people a percentage is of); a ratio
period without a weight is left out and listed. An indicator with
``include_in_rollup = false`` (the per-project opt-out) is left out and listed.
The roll-up status uses the no-baseline form of ``p``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.errors import InvalidInput, NotFound
from bakuhub.i18n import _
from bakuhub.registry.models import Agreement, Project
from bakuhub.results import models as m
from bakuhub.results.codes import COUNT_MEASURES, RATIO_MEASURES, Measure, PeriodState, Status

ON_TRACK = 0.9
AT_RISK = 0.6


def progress(*, target: float, actual: float, baseline: float | None, ascending: bool) -> float:
    """Share of the way from baseline to target (see the module docstring)."""
    reached = actual >= target if ascending else actual <= target
    if baseline is not None:
        if target == baseline:
            return 1.0 if reached else 0.0
        return (actual - baseline) / (target - baseline)
    if ascending:
        return actual / target if target != 0 else (1.0 if reached else 0.0)
    if reached:
        return 1.0
    return target / actual if actual != 0 else 0.0


def status_of(p: float | None) -> Status:
    """On track (p >= 0.9), at risk (0.6 <= p < 0.9) or off track (p < 0.6)."""
    if p is None:
        return Status.no_data
    if p >= ON_TRACK:
        return Status.on_track
    if p >= AT_RISK:
        return Status.at_risk
    return Status.off_track


def period_status(
    *,
    target: float | None,
    actual: float | None,
    baseline: float | None,
    ascending: bool,
    measure: str,
) -> Status:
    """Status of one period of an indicator."""
    if target is None or actual is None:
        return Status.no_data
    if Measure(measure) not in COUNT_MEASURES | RATIO_MEASURES:
        return Status.no_data
    return status_of(progress(target=target, actual=actual, baseline=baseline, ascending=ascending))


def agreement_tree(
    session: Session, agreement_ref: str, *, published_only: bool = False
) -> tuple[Agreement, list[int]]:
    """The agreement and the ids of it and every agreement below it (programmes).

    ``published_only`` (anonymous readers): a draft agreement is not found.
    """
    top = session.scalar(select(Agreement).where(Agreement.ref == agreement_ref))
    if top is None or (published_only and not top.published):
        raise NotFound(_("There is no agreement with ref '{ref}'.").format(ref=agreement_ref))
    ids = [top.id]
    frontier = [top.id]
    while frontier:
        children = list(
            session.scalars(select(Agreement.id).where(Agreement.parent_id.in_(frontier)))
        )
        frontier = [c for c in children if c not in ids]
        ids.extend(frontier)
    return top, ids


def _in_window(p: m.IndicatorPeriod, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or p.start >= start) and (end is None or p.end <= end)


def rollup(
    *,
    session: Session,
    agreement_ref: str,
    code: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    approved_only: bool = False,
    published_only: bool = False,
) -> dict[str, Any]:
    """Aggregate the indicator ``code`` from projects to an agreement or programme.

    ``approved_only`` leaves out periods not yet approved; ``published_only``
    (anonymous readers) leaves out draft projects, as if they did not exist.
    """
    agreement, ids = agreement_tree(session, agreement_ref, published_only=published_only)
    stmt = (
        select(m.Indicator, Project.ref)
        .join(m.Result, m.Result.id == m.Indicator.result_id)
        .join(Project, Project.id == m.Result.project_id)
        .where(Project.agreement_id.in_(ids), m.Indicator.code == code)
        .order_by(Project.ref, m.Indicator.id)
    )
    if published_only:
        stmt = stmt.where(Project.published.is_(True))
    rows = [(row[0], row[1]) for row in session.execute(stmt).unique().all()]
    if not rows:
        raise NotFound(
            _("No project under agreement '{ref}' has an indicator with code '{code}'.").format(
                ref=agreement_ref, code=code
            )
        )
    included = [(ind, ref) for ind, ref in rows if ind.include_in_rollup]
    excluded: list[dict[str, Any]] = [
        {"project": ref, "indicator": ind.id, "reason": _("the project opted out of the roll-up")}
        for ind, ref in rows
        if not ind.include_in_rollup
    ]
    kinds = {(ind.measure, ind.unit, ind.ascending) for ind, _ref in included}
    if len(kinds) > 1:
        listed = "; ".join(f"{ref}: {ind.measure} {ind.unit!r}" for ind, ref in included)
        raise InvalidInput(
            _(
                "Indicators with code '{code}' differ in measure, unit or direction ({listed}); "
                "make them the same indicator or give them different codes."
            ).format(code=code, listed=listed)
        )
    measure, unit, ascending = next(iter(kinds)) if kinds else ("unit", "", True)
    if Measure(measure) not in COUNT_MEASURES | RATIO_MEASURES:
        raise InvalidInput(
            _(
                "Indicators measured as {measure} cannot be rolled up; only unit or percentage."
            ).format(measure=measure)
        )
    ratio = Measure(measure) in RATIO_MEASURES
    parts: dict[str, list[tuple[float, float | None, float | None]]] = {}
    for ind, ref in included:
        for period in ind.periods:
            if not _in_window(period, start, end):
                continue
            if approved_only and period.state != PeriodState.approved.value:
                excluded.append(
                    {
                        "project": ref,
                        "period": period.id,
                        "reason": _("period is {state}").format(state=period.state),
                    }
                )
                continue
            if ratio and period.weight is None:
                excluded.append(
                    {
                        "project": ref,
                        "period": period.id,
                        "reason": _("ratio period has no weight"),
                    }
                )
                continue
            weight = period.weight if ratio and period.weight is not None else 1.0
            parts.setdefault(ref, []).append((weight, period.target, period.actual))
    everything = [x for items in parts.values() for x in items]
    target, actual = _combine(everything, ratio)
    projects = []
    for ref, items in parts.items():
        t, a = _combine(items, ratio)
        projects.append({"project": ref, "target": t, "actual": a, "periods": len(items)})
    p = None
    if target is not None and actual is not None:
        p = progress(target=target, actual=actual, baseline=None, ascending=ascending)
    return {
        "agreement": agreement.ref,
        "code": code,
        "measure": measure,
        "unit": unit,
        "ascending": ascending,
        "method": "weighted mean" if ratio else "sum",
        "target": target,
        "actual": actual,
        "progress": p,
        "status": status_of(p).value,
        "projects": projects,
        "excluded": excluded,
    }


def _combine(
    items: list[tuple[float, float | None, float | None]], ratio: bool
) -> tuple[float | None, float | None]:
    """(T, A): sums for counts, weight-averaged for ratios; None where no value."""
    out: list[float | None] = []
    for index in (1, 2):
        pairs = [(x[0], value) for x in items if (value := x[index]) is not None]
        if not pairs:
            out.append(None)
        elif ratio:
            out.append(sum(w * v for w, v in pairs) / sum(w for w, _v in pairs))
        else:
            out.append(sum(v for _w, v in pairs))
    return out[0], out[1]
