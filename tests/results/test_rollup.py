"""Roll-up of indicators from projects to agreements, checked on hand-computed cases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from bakuhub.errors import InvalidInput
from bakuhub.results.rollup import progress, rollup, status_of
from bakuhub.results.schemas import ResultIn, TransitionIn
from bakuhub.results.service import add_result, move_period

from .conftest import count_indicator, make_agreement, make_project


def _add(session: Session, project: str, agreement: str, result: dict[str, Any]) -> dict[str, Any]:
    make_project(session, project, agreement=agreement)
    out: dict[str, Any] = add_result(
        session=session, project_ref=project, data=ResultIn.model_validate(result), author="t"
    )
    return out


def _year(y: int, target: float, actual: float | None, **extra: Any) -> dict[str, Any]:
    return {"start": f"{y}-01-01", "end": f"{y}-12-31", "target": target, "actual": actual, **extra}


def _ratio(periods: list[dict[str, Any]]) -> dict[str, Any]:
    result = count_indicator("SHARE", periods)
    result["indicators"][0].update(measure="percentage", unit="%")
    return result


@pytest.fixture
def agreements(session: Session) -> Session:
    make_agreement(session, "agr-1")
    make_agreement(session, "prog-1", parent="agr-1")
    make_agreement(session, "agr-2")
    return session


def test_counts_add_up_across_projects_and_programmes(agreements: Session) -> None:
    s = agreements
    a = _add(
        s, "A", "agr-1", count_indicator("PEOPLE", [_year(2025, 100, 90), _year(2026, 100, 50)])
    )
    _add(s, "B", "prog-1", count_indicator("PEOPLE", [_year(2025, 200, 120)]))
    _add(
        s, "C", "agr-1", count_indicator("PEOPLE", [_year(2025, 1000, 0)], include_in_rollup=False)
    )
    _add(s, "D", "agr-2", count_indicator("PEOPLE", [_year(2025, 500, 500)]))
    # T = 100 + 100 + 200 = 400, A = 90 + 50 + 120 = 260, p = 0.65 -> at risk
    out = rollup(session=s, agreement_ref="agr-1", code="PEOPLE")
    assert (out["method"], out["target"], out["actual"]) == ("sum", 400, 260)
    assert out["progress"] == pytest.approx(0.65)
    assert out["status"] == "at-risk"
    assert {p["project"]: (p["target"], p["actual"]) for p in out["projects"]} == {
        "A": (200, 140),
        "B": (200, 120),
    }
    assert [x["project"] for x in out["excluded"]] == ["C"]
    # only 2025: T = 300, A = 210, p = 0.7
    import datetime as dt

    only_2025 = rollup(session=s, agreement_ref="agr-1", code="PEOPLE", end=dt.date(2025, 12, 31))
    assert (only_2025["target"], only_2025["actual"]) == (300, 210)
    # approved periods only: A 2025 (T 100, A 90) -> p = 0.9, on track
    pid = a["indicators"][0]["periods"][0]["id"]
    v = move_period(
        session=s, period_id=pid, data=TransitionIn(to="submitted", version=1), author="t"
    )
    move_period(
        session=s, period_id=pid, data=TransitionIn(to="approved", version=v["version"]), author="t"
    )
    approved = rollup(session=s, agreement_ref="agr-1", code="PEOPLE", approved_only=True)
    assert (approved["target"], approved["actual"], approved["status"]) == (100, 90, "on-track")
    # the programme alone: only B
    assert rollup(session=s, agreement_ref="prog-1", code="PEOPLE")["actual"] == 120


def test_ratios_are_weighted_means(agreements: Session) -> None:
    s = agreements
    _add(s, "A", "agr-1", _ratio([_year(2025, 60, 50, weight=100)]))
    _add(s, "B", "prog-1", _ratio([_year(2025, 80, 70, weight=300), _year(2026, 90, 10)]))
    # T = (60*100 + 80*300) / 400 = 75, A = (50*100 + 70*300) / 400 = 65, p = 0.867
    out = rollup(session=s, agreement_ref="agr-1", code="SHARE")
    assert out["method"] == "weighted mean"
    assert (out["target"], out["actual"]) == (pytest.approx(75), pytest.approx(65))
    assert out["status"] == "at-risk"
    assert out["excluded"] == [
        {
            "project": "B",
            "period": out["excluded"][0]["period"],
            "reason": "ratio period has no weight",
        }
    ]


def test_indicators_of_different_measures_are_not_mixed(agreements: Session) -> None:
    _add(agreements, "A", "agr-1", count_indicator("SHARE", [_year(2025, 1, 1)]))
    _add(agreements, "B", "agr-1", _ratio([_year(2025, 1, 1, weight=1)]))
    with pytest.raises(InvalidInput, match="differ in measure, unit or direction"):
        rollup(session=agreements, agreement_ref="agr-1", code="SHARE")


@pytest.mark.parametrize(
    ("target", "actual", "baseline", "ascending", "p", "expected"),
    [
        (100, 95, None, True, 0.95, "on-track"),
        (100, 60, None, True, 0.60, "at-risk"),
        (100, 59, None, True, 0.59, "off-track"),
        (120, 110, 20, True, 0.90, "on-track"),  # (110 - 20) / (120 - 20)
        (40, 43, 50, False, 0.70, "at-risk"),  # lower is better: (43 - 50) / (40 - 50)
        (40, 30, 50, False, 2.00, "on-track"),  # beyond the target
        (10, 20, None, False, 0.50, "off-track"),  # lower is better, no baseline: 10 / 20
        (10, 9, None, False, 1.00, "on-track"),
    ],
)
def test_status_rule(
    target: float, actual: float, baseline: float | None, ascending: bool, p: float, expected: str
) -> None:
    got = progress(target=target, actual=actual, baseline=baseline, ascending=ascending)
    assert got == pytest.approx(p)
    assert status_of(got).value == expected
