"""Rules a results framework keeps: parts that add up, periods that do not overlap,
reported periods that are not deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from bakuhub.errors import Conflict, InvalidInput
from bakuhub.i18n import _
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
            twice = _("{side} by {dimension} lists a category twice")
            errors.append({"loc": where, "msg": twice.format(side=side, dimension=dimension)})
        if Measure(measure) not in COUNT_MEASURES:
            continue
        total = totals[side]
        parts = sum(g.value for g in group)
        if total is None:
            empty = _("{side} by {dimension} is given but the {side} is empty")
            errors.append({"loc": where, "msg": empty.format(side=side, dimension=dimension)})
        elif abs(parts - total) > TOLERANCE * max(1.0, abs(total)):
            errors.append(
                {
                    "loc": where,
                    "msg": _(
                        "{side} by {dimension} adds up to {parts}, not to the {side} {total}; "
                        "correct the parts or the total"
                    ).format(
                        side=side, dimension=dimension, parts=f"{parts:g}", total=f"{total:g}"
                    ),
                }
            )
    if errors:
        text = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors)
        raise InvalidInput(
            _("Disaggregations do not add up: {problems}. Nothing was changed.").format(
                problems=text
            ),
            details=errors,
        )


def check_removable(periods: list[m.IndicatorPeriod], what: str) -> None:
    """Refuse to delete reported periods: only draft or returned ones go (``what`` names
    the record in the reader's language, as a sentence starts)."""
    locked = [p for p in periods if PeriodState(p.state) not in EDITABLE_STATES]
    if locked:
        listed = ", ".join(
            _("{start} to {end} ({state})").format(start=p.start, end=p.end, state=p.state)
            for p in locked
        )
        raise Conflict(
            _(
                "{what} cannot be deleted: it has periods submitted or approved ({listed}). "
                "The secretariat returns them first; then delete it."
            ).format(what=what, listed=listed)
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
                _(
                    "start: the indicator already has a period from {other_start} to "
                    "{other_end}, which overlaps {start} to {end}; choose dates outside it or "
                    "change that period."
                ).format(other_start=other.start, other_end=other.end, start=start, end=end),
                details=[
                    {
                        "loc": ["start"],
                        "msg": _(
                            "it overlaps the period from {start} to {end}; choose dates outside it"
                        ).format(start=other.start, end=other.end),
                    }
                ],
            )
