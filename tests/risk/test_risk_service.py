"""Stored runs: exact inputs and settings kept, reproduced, explained."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.errors import InvalidInput, NotFound
from bakuhub.risk import service
from bakuhub.risk.models import RiskRun


def test_rank_stores_inputs_settings_and_reproduces(session: Session) -> None:
    run = service.rank(session=session, preset="hub", draws=200)
    assert run.id is not None and run.preset == "hub"
    assert run.settings["model"]["montecarlo"]["draws"] == 200
    assert run.settings["window"] == {"end": 2024, "years": 10}
    assert "TCD" in run.inputs["countries"] and len(run.settings_digest) == 64
    assert run.ranked == 187 and run.countries == len(run.scores)
    som = next(s for s in run.scores if s.iso3 == "SOM")
    assert som.rank == 1 and som.completeness == pytest.approx(0.75)
    assert service.reproduce(session=session, run_id=run.id)
    # same settings and inputs: the stored run is reused
    assert service.rank(session=session, preset="hub", draws=200).id == run.id


def test_custom_weights_make_a_new_run(session: Session) -> None:
    base = service.rank(session=session, preset="hub", draws=100)
    custom = service.rank(session=session, preset="hub", weights={"conflict": 3.0}, draws=100)
    assert custom.id != base.id
    assert custom.settings["model"]["root"]["weights"] == [1.0, 3.0, 1.0, 1.0]
    assert [r.id for r in service.list_runs(session=session, preset="hub")][:2] == [
        custom.id,
        base.id,
    ]
    stored = session.scalars(select(RiskRun).where(RiskRun.id == custom.id)).one()
    assert stored.inputs_digest == base.inputs_digest  # same data, other settings


def test_profile_explains_a_country(session: Session) -> None:
    run = service.rank(session=session, preset="ndgain", draws=50)
    prof = service.profile(session=session, run_id=run.id, iso3="tcd")
    assert prof["iso3"] == "TCD" and prof["rank"] == 187 and prof["run_id"] == run.id
    assert prof["score"] == pytest.approx(24.986742, abs=1e-5)
    with pytest.raises(NotFound):
        service.profile(session=session, run_id=run.id, iso3="XXX")
    with pytest.raises(NotFound):
        service.get_run(session=session, run_id=999_999)
    with pytest.raises(InvalidInput):
        service.rank(session=session, preset="hub", weights={"nope": 1.0})
