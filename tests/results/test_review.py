"""Reviewing submitted periods: who approved or returned when, several at once, all or
none, and the periods waiting for the secretariat."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from bakuhub.audit.service import list_entries
from bakuhub.errors import InvalidInput, StaleVersion
from bakuhub.results import review
from bakuhub.results.codes import PeriodState
from bakuhub.results.schemas import ResultIn, ReviewIn, TransitionIn
from bakuhub.results.service import add_result, get_period, move_period

from .conftest import count_indicator, make_project

YEARS = [
    {"start": f"{y}-01-01", "end": f"{y}-12-31", "target": 100, "actual": 80}
    for y in (2023, 2024, 2025)
]


def _submitted(session: Session) -> list[dict[str, Any]]:
    make_project(session, "P-1")
    data = ResultIn.model_validate(count_indicator("PEOPLE", YEARS))
    result = add_result(session=session, project_ref="P-1", data=data, author="fp")
    out = []
    for period in result["indicators"][0]["periods"]:
        move = TransitionIn.model_validate({"to": "submitted", "version": period["version"]})
        out.append(move_period(session=session, period_id=period["id"], data=move, author="fp"))
    return out


def _bulk(periods: list[dict[str, Any]], to: str, comment: str = "") -> ReviewIn:
    refs = [{"id": p["id"], "version": p["version"]} for p in periods]
    return ReviewIn.model_validate({"to": to, "periods": refs, "comment": comment})


def test_the_secretariat_approves_several_at_once_and_is_named(session: Session) -> None:
    periods = _submitted(session)
    assert [p["id"] for p in review.list_periods(session=session)] == [p["id"] for p in periods]
    moved = review.review(session=session, data=_bulk(periods[:2], "approved"), author="sec")
    assert [m["state"] for m in moved] == ["approved", "approved"]
    for p in periods[:2]:
        stored = get_period(session=session, period_id=p["id"])
        assert stored["reviewed_by"] == "sec" and stored["reviewed_at"] is not None
    assert get_period(session=session, period_id=periods[2]["id"])["reviewed_by"] is None
    assert [p["id"] for p in review.list_periods(session=session)] == [periods[2]["id"]]
    actions = [e.action for e in list_entries(session=session, record_type="periods")]
    assert actions.count("move to approved") == 2


def test_one_stale_period_moves_none(session: Session) -> None:
    periods = _submitted(session)
    stale = [*periods[:2], {**periods[2], "version": periods[2]["version"] - 1}]
    with pytest.raises(StaleVersion, match="No period was approved") as caught:
        review.review(session=session, data=_bulk(stale, "approved"), author="sec")
    assert [d["period"] for d in caught.value.details] == [periods[2]["id"]]
    states = [get_period(session=session, period_id=p["id"])["state"] for p in periods]
    assert states == ["submitted"] * 3
    assert not [
        e for e in list_entries(session=session, record_type="periods") if "approved" in e.action
    ]


def test_returning_needs_a_comment_the_focal_point_then_reads(session: Session) -> None:
    periods = _submitted(session)
    with pytest.raises(InvalidInput, match="comment"):
        review.review(session=session, data=_bulk(periods, "returned"), author="sec")
    review.review(
        session=session, data=_bulk(periods[:1], "returned", "Attach the survey"), author="sec"
    )
    back = review.list_periods(session=session, states=(PeriodState.returned,))
    assert [(p["state_comment"], p["reviewed_by"]) for p in back] == [("Attach the survey", "sec")]
    assert back[0]["project"]["ref"] == "P-1" and back[0]["indicator"]["title"]


def test_a_single_approval_records_the_reviewer_too(session: Session) -> None:
    period = _submitted(session)[0]
    move = TransitionIn.model_validate({"to": "approved", "version": period["version"]})
    out = move_period(session=session, period_id=period["id"], data=move, author="sec")
    assert out["reviewed_by"] == "sec" and out["reviewed_at"] is not None
