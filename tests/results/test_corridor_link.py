"""Energy projects take capacity, exports and CO2 avoided from a corridor scenario."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from bakuhub.errors import Conflict, InvalidInput
from bakuhub.results.corridor_link import apply_scenario_summary
from bakuhub.results.schemas import ScenarioSummary, TransitionIn
from bakuhub.results.service import get_framework, move_period

from .conftest import make_project

SUMMARY = {
    "scenario": "corridor-base",
    "scenario_hash": "sha256:" + "ab" * 32,
    "year": 2030,
    "capacity_built_mw": {"KZ-south/wind": 1000.0, "KZ-south/solar": 500.0, "UZ-west/solar": 700.0},
    "export_twh": 12.5,
    "co2_avoided_mt": 6.1,
}


def _indicators(session: Session) -> dict[str, dict[str, Any]]:
    framework = get_framework(session=session, project_ref="ENERGY")
    return {i["code"]: i for r in framework["results"] for i in r["indicators"]}


def test_summary_sets_actuals_with_their_scenario(session: Session) -> None:
    make_project(session, "ENERGY", themes=["mitigation-energy"])
    out = apply_scenario_summary(
        session=session,
        project_ref="ENERGY",
        summary=ScenarioSummary.model_validate(SUMMARY),
        author="t",
    )
    assert [p["actual"] for p in out["periods"]] == [2200.0, 12.5, 6.1]
    found = _indicators(session)
    capacity = found["corridor-capacity-built-mw"]
    (period,) = capacity["periods"]
    assert (str(period["start"]), str(period["end"]), period["actual"]) == (
        "2030-01-01",
        "2030-12-31",
        2200.0,
    )
    # by node: KZ-south = 1000 + 500, UZ-west = 700
    parts = {d["category"]: d["value"] for d in period["disaggregations"]}
    assert parts == {"KZ-south": 1500.0, "UZ-west": 700.0}
    assert period["value_source"] == {
        "kind": "corridor-scenario",
        "scenario": "corridor-base",
        "scenario_hash": SUMMARY["scenario_hash"],
        "year": 2030,
        "field": "capacity_built_mw",
    }
    assert found["corridor-export-twh"]["periods"][0]["actual"] == 12.5
    assert found["corridor-co2-avoided-mt"]["unit"] == "Mt CO2"
    # a second scenario updates the same periods; an approved period is protected
    again = dict(SUMMARY, scenario="corridor-high", export_twh=20.0)
    apply_scenario_summary(
        session=session,
        project_ref="ENERGY",
        summary=ScenarioSummary.model_validate(again),
        author="t",
    )
    found = _indicators(session)
    exports = found["corridor-export-twh"]["periods"]
    assert len(exports) == 1 and exports[0]["actual"] == 20.0
    assert exports[0]["value_source"]["scenario"] == "corridor-high"
    pid, version = exports[0]["id"], exports[0]["version"]
    moved = move_period(
        session=session,
        period_id=pid,
        data=TransitionIn(to="submitted", version=version),
        author="t",
    )
    move_period(
        session=session,
        period_id=pid,
        data=TransitionIn(to="approved", version=moved["version"]),
        author="t",
    )
    with pytest.raises(Conflict, match="is approved"):
        apply_scenario_summary(
            session=session,
            project_ref="ENERGY",
            summary=ScenarioSummary.model_validate(SUMMARY),
            author="t",
        )


def test_only_energy_projects_take_corridor_figures(session: Session) -> None:
    make_project(session, "WATER", themes=["adaptation"])
    with pytest.raises(InvalidInput, match="not an energy project"):
        apply_scenario_summary(
            session=session,
            project_ref="WATER",
            summary=ScenarioSummary.model_validate(SUMMARY),
            author="t",
        )
    with pytest.raises(ValueError, match="is not '<node>/<technology>'"):
        ScenarioSummary.model_validate(dict(SUMMARY, capacity_built_mw={"KZ-south": 1.0}))
