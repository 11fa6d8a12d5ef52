"""Results frameworks: disaggregations that must add up, versions, reporting states."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from bakuhub.errors import Conflict, InvalidInput, StaleVersion
from bakuhub.results.schemas import PeriodUpdate, ResultIn, TransitionIn
from bakuhub.results.service import add_result, get_framework, move_period, update_period

from .conftest import count_indicator, make_project


def _period(session: Session) -> dict[str, Any]:
    make_project(session, "P-1")
    periods = [
        {
            "start": "2025-01-01",
            "end": "2025-12-31",
            "target": 100,
            "actual": 40,
            "disaggregations": [
                {"side": "actual", "dimension": "sex", "category": "female", "value": 25},
                {"side": "actual", "dimension": "sex", "category": "male", "value": 15},
            ],
        }
    ]
    data = ResultIn.model_validate(count_indicator("PEOPLE", periods))
    result = add_result(session=session, project_ref="P-1", data=data, author="t")
    period: dict[str, Any] = result["indicators"][0]["periods"][0]
    return period


def _stored(session: Session) -> dict[str, Any]:
    framework = get_framework(session=session, project_ref="P-1")
    period: dict[str, Any] = framework["results"][0]["indicators"][0]["periods"][0]
    return period


def test_a_new_result_refuses_parts_that_do_not_add_up(session: Session) -> None:
    make_project(session, "P-1")
    periods = [
        {
            "start": "2025-01-01",
            "end": "2025-12-31",
            "actual": 40,
            "disaggregations": [
                {"side": "actual", "dimension": "age", "category": "0-17", "value": 30},
                {"side": "actual", "dimension": "age", "category": "18+", "value": 20},
            ],
        }
    ]
    with pytest.raises(InvalidInput, match="actual by age adds up to 50, not to the actual 40"):
        add_result(
            session=session,
            project_ref="P-1",
            data=ResultIn.model_validate(count_indicator("PEOPLE", periods)),
            author="t",
        )
    assert get_framework(session=session, project_ref="P-1")["results"] == []


def test_update_whose_parts_do_not_add_up_is_refused_and_changes_nothing(
    session: Session,
) -> None:
    before = _period(session)
    assert before["version"] == 1
    bad = PeriodUpdate.model_validate(
        {
            "version": 1,
            "actual": 50,
            "disaggregations": [
                {"side": "actual", "dimension": "sex", "category": "female", "value": 30},
                {"side": "actual", "dimension": "sex", "category": "male", "value": 15},
                {"side": "actual", "dimension": "displacement", "category": "idp", "value": 50},
            ],
        }
    )
    with pytest.raises(InvalidInput) as refused:
        update_period(session=session, period_id=before["id"], data=bad, author="t")
    assert "actual by sex adds up to 45, not to the actual 50" in refused.value.message
    session.expire_all()
    after = _stored(session)
    assert after["actual"] == 40
    assert after["version"] == 1
    assert after["disaggregations"] == before["disaggregations"]
    # changing the total alone breaks the stored parts: refused too
    with pytest.raises(InvalidInput, match="adds up to 40, not to the actual 41"):
        update_period(
            session=session,
            period_id=before["id"],
            data=PeriodUpdate(version=1, actual=41),
            author="t",
        )
    good = PeriodUpdate.model_validate(
        {
            "version": 1,
            "actual": 45,
            "disaggregations": [
                {"side": "actual", "dimension": "sex", "category": "female", "value": 30},
                {"side": "actual", "dimension": "sex", "category": "male", "value": 15},
            ],
        }
    )
    changed = update_period(session=session, period_id=before["id"], data=good, author="t")
    assert changed["actual"] == 45 and changed["version"] == 2


def test_stale_update_is_refused(session: Session) -> None:
    period = _period(session)
    update_period(
        session=session,
        period_id=period["id"],
        data=PeriodUpdate(version=1, target=120),
        author="t",
    )
    with pytest.raises(StaleVersion, match="version 2, your change is based on version 1"):
        update_period(
            session=session,
            period_id=period["id"],
            data=PeriodUpdate(version=1, target=130),
            author="t",
        )
    assert _stored(session)["target"] == 120


def test_reporting_states_and_transitions(session: Session) -> None:
    period = _period(session)
    pid = period["id"]
    with pytest.raises(Conflict, match="it can move to submitted, not to approved"):
        move_period(
            session=session, period_id=pid, data=TransitionIn(to="approved", version=1), author="t"
        )
    submitted = move_period(
        session=session, period_id=pid, data=TransitionIn(to="submitted", version=1), author="t"
    )
    assert submitted["state"] == "submitted" and submitted["version"] == 2
    with pytest.raises(Conflict, match="only draft or returned periods"):
        update_period(
            session=session, period_id=pid, data=PeriodUpdate(version=2, actual=41), author="t"
        )
    with pytest.raises(InvalidInput, match="returned with a comment"):
        move_period(
            session=session, period_id=pid, data=TransitionIn(to="returned", version=2), author="t"
        )
    returned = move_period(
        session=session,
        period_id=pid,
        data=TransitionIn(to="returned", version=2, comment="Add the evidence link."),
        author="reviewer",
    )
    assert returned["state"] == "returned"
    assert returned["state_comment"] == "Add the evidence link."
    fixed = update_period(
        session=session,
        period_id=pid,
        data=PeriodUpdate(version=3, evidence_url="https://example.org/evidence.pdf"),
        author="t",
    )
    again = move_period(
        session=session,
        period_id=pid,
        data=TransitionIn(to="submitted", version=fixed["version"]),
        author="t",
    )
    approved = move_period(
        session=session,
        period_id=pid,
        data=TransitionIn(to="approved", version=again["version"]),
        author="r",
    )
    assert approved["state"] == "approved" and approved["version"] == 6


def test_period_status_from_actual_against_target(session: Session) -> None:
    make_project(session, "P-1")
    # baseline 20, target 120: actual 110 -> p = 0.9 on track; 80 -> 0.6 at risk; 70 -> 0.5 off
    periods = [
        {"start": f"{y}-01-01", "end": f"{y}-12-31", "target": 120, "actual": a}
        for y, a in ((2025, 110), (2026, 80), (2027, 70))
    ] + [{"start": "2028-01-01", "end": "2028-12-31", "target": 120}]
    data = ResultIn.model_validate(
        count_indicator("P", periods, baseline_year=2024, baseline_value=20)
    )
    result = add_result(session=session, project_ref="P-1", data=data, author="t")
    statuses = [p["status"] for p in result["indicators"][0]["periods"]]
    assert statuses == ["on-track", "at-risk", "off-track", "no-data"]
