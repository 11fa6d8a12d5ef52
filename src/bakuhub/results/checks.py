"""Rules a results framework keeps: parts that add up, periods that do not overlap,
reported periods that are not deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from bakuhub.errors import Conflict, InvalidInput
from bakuhub.results import models as m
from bakuhub.results.codes import COUNT_MEASURES, EDITABLE_STATES, Measure, PeriodState
from bakuhub.results.schemas import DisaggregationIn

TOLERANCE = 1e-6


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


def check_removable(periods: list[m.IndicatorPeriod], what: str) -> None:
    """Refuse to delete reported periods: only draft or returned ones go."""
    locked = [p for p in periods if PeriodState(p.state) not in EDITABLE_STATES]
    if locked:
        listed = ", ".join(f"{p.start} to {p.end} ({p.state})" for p in locked)
        raise Conflict(
            f"{what} cannot be deleted: it has periods submitted or approved ({listed}). "
            "The secretariat returns them first; then delete it."
        )


def check_overlap(
    periods: Iterable[m.IndicatorPeriod], start: dt.date, end: dt.date, *, skip: int | None = None
) -> None:
    """Refuse a period that overlaps another period of the same indicator.

    Two periods overlap when ``start <= other.end`` and ``other.start <= end``; a
    roll-up over a window would count their values twice.
    """
    for other in periods:
        if other.id != skip and start <= other.end and other.start <= end:
            raise InvalidInput(
                f"start: the indicator already has a period from {other.start} to {other.end}, "
                f"which overlaps {start} to {end}; choose dates outside it or change that period.",
                details=[
                    {
                        "loc": ["start"],
                        "msg": f"it overlaps the period from {other.start} to {other.end}; "
                        "choose dates outside it",
                    }
                ],
            )
