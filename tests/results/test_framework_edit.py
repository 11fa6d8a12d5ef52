"""Editing a results framework piece by piece: results, indicators (baselines), periods
added and deleted, each audited; refusals leave the framework as it was."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from bakuhub.audit.service import list_entries
from bakuhub.errors import Conflict, InvalidInput, StaleVersion
from bakuhub.results import framework_edit as edit
from bakuhub.results.schemas import (
    IndicatorIn,
    IndicatorUpdate,
    PeriodIn,
    ResultIn,
    ResultUpdate,
    TransitionIn,
)
from bakuhub.results.service import add_result, get_framework, move_period

from .conftest import count_indicator, make_project

YEAR = {"start": "2025-01-01", "end": "2025-12-31", "target": 100}


def _result(session: Session) -> dict[str, Any]:
    make_project(session, "P-1")
    data = ResultIn.model_validate(count_indicator("PEOPLE", [YEAR]))
    return add_result(session=session, project_ref="P-1", data=data, author="t")


def _indicator(session: Session) -> dict[str, Any]:
    indicator: dict[str, Any] = get_framework(session=session, project_ref="P-1")["results"][0][
        "indicators"
    ][0]
    return indicator


def _actions(session: Session, kind: str) -> list[str]:
    return [e.action for e in reversed(list_entries(session=session, record_type=kind))]


def test_an_indicator_gets_a_second_period_with_parts_that_add_up(session: Session) -> None:
    result = _result(session)
    indicator_id = result["indicators"][0]["id"]
    second = PeriodIn.model_validate(
        {
            "start": "2026-01-01",
            "end": "2026-12-31",
            "target": 150,
            "actual": 40,
            "disaggregations": [
                {"side": "actual", "dimension": "sex", "category": "female", "value": 30},
                {"side": "actual", "dimension": "sex", "category": "male", "value": 10},
            ],
        }
    )
    made = edit.add_period(session=session, indicator_id=indicator_id, data=second, author="t")
    periods = _indicator(session)["periods"]
    assert [(str(p["start"]), p["target"]) for p in periods] == [
        ("2025-01-01", 100),
        ("2026-01-01", 150),
    ]
    assert made["state"] == "draft" and len(made["disaggregations"]) == 2
    assert _actions(session, "periods") == ["create"]


def test_a_period_that_overlaps_another_or_does_not_add_up_is_refused(session: Session) -> None:
    indicator_id = _result(session)["indicators"][0]["id"]
    overlapping = PeriodIn.model_validate({"start": "2025-06-01", "end": "2026-05-31"})
    with pytest.raises(InvalidInput, match="overlaps 2025-06-01 to 2026-05-31"):
        edit.add_period(session=session, indicator_id=indicator_id, data=overlapping, author="t")
    wrong = PeriodIn.model_validate(
        {
            "start": "2026-01-01",
            "end": "2026-12-31",
            "actual": 40,
            "disaggregations": [
                {"side": "actual", "dimension": "age", "category": "0-17", "value": 10}
            ],
        }
    )
    with pytest.raises(InvalidInput, match="adds up to 10, not to the actual 40"):
        edit.add_period(session=session, indicator_id=indicator_id, data=wrong, author="t")
    assert len(_indicator(session)["periods"]) == 1
    assert _actions(session, "periods") == []


def test_an_indicator_with_a_baseline_is_added_edited_and_deleted(session: Session) -> None:
    result = _result(session)
    data = IndicatorIn.model_validate(
        {
            "title": "Share of girls enrolled",
            "measure": "percentage",
            "unit": "%",
            "baseline_year": 2024,
            "baseline_value": 35,
            "periods": [{"start": "2025-01-01", "end": "2025-12-31", "target": 50}],
        }
    )
    added = edit.add_indicator(session=session, result_id=result["id"], data=data, author="t")
    assert added["baseline_value"] == 35 and added["periods"][0]["target"] == 50
    change = IndicatorUpdate.model_validate({"baseline_value": 38, "ascending": True})
    changed = edit.update_indicator(
        session=session, indicator_id=added["id"], data=change, author="t"
    )
    assert changed["baseline_value"] == 38 and changed["title"] == "Share of girls enrolled"
    edit.delete_indicator(session=session, indicator_id=added["id"], author="t")
    titles = [
        i["title"]
        for i in get_framework(session=session, project_ref="P-1")["results"][0]["indicators"]
    ]
    assert titles == ["Indicator PEOPLE"]
    assert _actions(session, "indicators") == ["create", "update", "delete"]


def test_a_baseline_value_without_its_year_is_refused(session: Session) -> None:
    result = _result(session)
    indicator_id = result["indicators"][0]["id"]
    with pytest.raises(InvalidInput, match="needs its year"):
        edit.update_indicator(
            session=session,
            indicator_id=indicator_id,
            data=IndicatorUpdate.model_validate({"baseline_value": 3}),
            author="t",
        )
    assert _indicator(session)["baseline_value"] is None


def test_a_result_is_renamed_and_audited(session: Session) -> None:
    result = _result(session)
    change = ResultUpdate.model_validate({"title": "Villages have water", "kind": "outcome"})
    out = edit.update_result(session=session, result_id=result["id"], data=change, author="t")
    assert (out["title"], out["kind"]) == ("Villages have water", "outcome")
    entry = list_entries(session=session, record_type="results")[0]
    assert entry.action == "update" and entry.record_ref == f"P-1/{result['id']}"


def test_a_period_is_deleted_at_its_version_and_only_while_draft(session: Session) -> None:
    result = _result(session)
    period = result["indicators"][0]["periods"][0]
    with pytest.raises(StaleVersion):
        edit.delete_period(session=session, period_id=period["id"], version=7, author="t")
    moved = move_period(
        session=session,
        period_id=period["id"],
        data=TransitionIn(to="submitted", version=period["version"]),
        author="t",
    )
    with pytest.raises(Conflict, match="submitted or approved"):
        edit.delete_period(
            session=session, period_id=period["id"], version=moved["version"], author="t"
        )
    with pytest.raises(Conflict, match="The secretariat returns them first"):
        edit.delete_indicator(
            session=session, indicator_id=result["indicators"][0]["id"], author="t"
        )
    assert len(_indicator(session)["periods"]) == 1
    back = move_period(
        session=session,
        period_id=period["id"],
        data=TransitionIn(to="returned", version=moved["version"], comment="fix"),
        author="sec",
    )
    edit.delete_period(session=session, period_id=period["id"], version=back["version"], author="t")
    assert _indicator(session)["periods"] == []
    assert _actions(session, "periods")[-1] == "delete"


def test_a_qualitative_period_is_submitted_with_words(session: Session) -> None:
    result = _result(session)
    data = IndicatorIn.model_validate(
        {
            "title": "How the water committee works",
            "measure": "qualitative",
            "periods": [
                {
                    "start": "2025-01-01",
                    "end": "2025-12-31",
                    "target_comment": "A committee meets monthly",
                    "actual_comment": "It met 11 times",
                }
            ],
        }
    )
    added = edit.add_indicator(session=session, result_id=result["id"], data=data, author="t")
    period = added["periods"][0]
    moved = move_period(
        session=session,
        period_id=period["id"],
        data=TransitionIn(to="submitted", version=period["version"]),
        author="t",
    )
    assert moved["state"] == "submitted" and moved["actual_comment"] == "It met 11 times"
