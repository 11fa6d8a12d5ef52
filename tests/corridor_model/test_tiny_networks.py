"""Each model feature on a network small enough to solve by hand (objectives in EUR)."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pypsa
import pytest

from bakuhub.corridor import interior
from bakuhub.corridor.constraints import (
    define_battery_power_balance,
    define_representative_day_storage,
    define_shared_link_capacity,
)
from bakuhub.corridor.temporal import Temporal
from bakuhub.testing.networks import (
    PV_BATTERY_OBJECTIVE,
    REP_DAYS_OBJECTIVE,
    TWO_BUSES_OBJECTIVE,
    pv_battery,
    pv_store_network,
    rep_days,
    two_buses,
)

SOLVER = "highs"


@pytest.fixture(autouse=True, params=["highs", "clarabel"])
def _solver(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every hand-computed case is solved by both solvers bakuhub offers on a CPU."""
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)
    monkeypatch.setitem(globals(), "SOLVER", request.param)


def _solve(n: pypsa.Network, *families: object) -> None:
    n.optimize.create_model(include_objective_constant=False)
    for family in families:
        family(n)  # type: ignore[operator]
    if SOLVER == "clarabel":
        status = interior.solve_network(n)
    else:
        status = n.optimize.solve_model(solver_name="highs", io_api="direct", output_flag=False)
    assert status == ("ok", "optimal")


def test_one_bus_pv_and_battery() -> None:
    """Load 1 MW for 3 h; PV only in hour 0 (1 EUR/MW); battery 0.1 EUR/MWh, inverter
    0.5 EUR/MW shared by charger and discharger (lossless here).
    PV 3 MW (3.0) + store 2 MWh (0.2) + inverter 2 MW (1.0) = 4.2 EUR."""
    n = pv_battery()
    _solve(n, define_battery_power_balance)
    assert n.objective == pytest.approx(4.2) == PV_BATTERY_OBJECTIVE
    assert n.links.p_nom_opt.tolist() == pytest.approx([2.0, 2.0])


def test_lossy_two_way_link_in_both_directions() -> None:
    """Hour 0: 1 MW at b comes from a (1/0.9 MWh at 1 EUR); hour 1: 2 MW at a come from b
    (2/0.9 MWh at 1 EUR). One shared capacity 2/0.9 MW at 0.05 EUR/MW.
    Objective = 1/0.9 + 2/0.9 + 0.05 * 2/0.9 = 3.4444 EUR."""
    n = two_buses()
    _solve(n, define_shared_link_capacity)
    assert n.objective == pytest.approx(3 / 0.9 + 0.05 * 2 / 0.9) == TWO_BUSES_OBJECTIVE
    assert n.links.p_nom_opt.tolist() == pytest.approx([2 / 0.9, 2 / 0.9])
    assert n.links_t.p0["c fwd"].tolist() == pytest.approx([1 / 0.9, 0.0], abs=1e-6)
    assert n.links_t.p0["c bwd"].tolist() == pytest.approx([0.0, 2 / 0.9], abs=1e-6)


def test_reverse_flow_creates_no_energy() -> None:
    """Generation covers load plus losses: nothing appears from flowing backwards."""
    n = two_buses()
    _solve(n, define_shared_link_capacity)
    generated = float(n.generators_t.p.to_numpy().sum())
    consumed = float(n.loads_t.p_set.to_numpy().sum())
    losses = float((n.links_t.p0 + n.links_t.p1).to_numpy().sum())
    assert losses == pytest.approx(0.1 * 3 / 0.9)
    assert generated == pytest.approx(consumed + losses)


def test_the_naive_reversible_link_would_create_energy() -> None:
    """The pitfall the pair of one-way links avoids: a link with p_min_pu = -1 and
    efficiency 0.9 serves 1 MWh at a from only 0.9 MWh generated at b (objective 0.9),
    where the pair of one-way links needs 1/0.9 MWh (objective 1.111)."""

    def network(pair: bool) -> pypsa.Network:
        n = pypsa.Network()
        n.set_snapshots([0])
        n.add("Bus", ["a", "b"])
        n.add("Load", "load a", bus="a", p_set=1.0)
        n.add("Generator", "gen b", bus="b", p_nom=10, marginal_cost=1.0)
        if pair:
            n.add("Link", "c fwd", bus0="a", bus1="b", efficiency=0.9, p_nom=5)
            n.add("Link", "c bwd", bus0="b", bus1="a", efficiency=0.9, p_nom=5)
        else:
            n.add("Link", "naive", bus0="a", bus1="b", efficiency=0.9, p_nom=5, p_min_pu=-1)
        return n

    naive, paired = network(pair=False), network(pair=True)
    _solve(naive)
    _solve(paired, define_shared_link_capacity)
    assert naive.objective == pytest.approx(0.9)  # energy from nowhere
    assert paired.objective == pytest.approx(1 / 0.9)


def test_storage_carries_energy_across_representative_days() -> None:
    """Two representative days of 2 h: sunny, then dark; the calendar runs sunny -> dark.
    PV 2 MW (2.0) fills a 2 MWh store (0.2) on the sunny day for the dark day: 2.2 EUR.
    A store cycling within each day only would shed 2 MWh at 100 EUR/MWh instead."""
    n, temporal = rep_days()
    _solve(n, lambda net: define_representative_day_storage(net, temporal))
    assert n.objective == pytest.approx(2.2) == REP_DAYS_OBJECTIVE
    assert n.stores.e_nom_opt["s"] == pytest.approx(2.0)
    levels = n.model.solution["storage_day_level"].sel(name="s").to_numpy()
    assert levels.tolist() == pytest.approx([0.0, 2.0], abs=1e-6)
    assert n.generators_t.p["shed"].sum() == pytest.approx(0.0, abs=1e-6)


def test_storage_level_respects_capacity_on_every_calendar_day() -> None:
    """Calendar sunny, dark, dark: 4 MWh must be carried, so the store is 4 MWh and PV 3 MW
    (2 MWh load + 4 MWh charge in 2 h): 3 + 0.4 = 3.4 EUR."""
    n, temporal = rep_days(calendar=[0, 1, 1])
    n.snapshot_weightings["objective"] = [1.0, 1.0, 2.0, 2.0]  # the dark day counts twice
    n.snapshot_weightings["generators"] = [1.0, 1.0, 2.0, 2.0]
    _solve(n, lambda net: define_representative_day_storage(net, temporal))
    assert n.objective == pytest.approx(3.4)
    assert n.stores.e_nom_opt["s"] == pytest.approx(4.0)


def test_representative_days_never_undercut_the_chronological_year() -> None:
    """Three 24-h day types laid out over a 10-day calendar, solved hour by hour in
    calendar order and as three representative days with the calendar's chronology
    (Kotzur). Representative days are a restriction of the year (every day of a type
    runs the same dispatch), so they may cost more, never less: a storage formulation
    that leaked energy or skipped a bound would undercut the year. Here, where the best
    dispatch of a day type does not depend on its neighbours, they cost the same."""
    hours = np.arange(24)
    sun = np.clip(np.sin((hours - 6) / 12 * np.pi), 0, None)
    day_types = np.stack([sun, 0.3 * sun, 0.05 * sun])  # sunny, hazy, dark
    load = 1.0 + 0.3 * np.cos((hours - 19) / 24 * 2 * np.pi)
    calendar = np.array([0, 0, 1, 2, 2, 2, 0, 1, 0, 1])

    chronological = pv_store_network(day_types[calendar].ravel(), np.tile(load, 10))
    _solve(chronological)

    series = pd.DataFrame({"pv": day_types.ravel()})
    weights = np.bincount(calendar, minlength=3).astype(float)
    temporal = Temporal(
        series=series,
        weight=pd.Series(np.repeat(weights, 24)),
        duration=pd.Series(1.0, index=series.index),
        period=pd.Series(np.repeat([0, 1, 2], 24)),
        calendar=calendar,
        label="test",
    )
    rep = pv_store_network(series.pv.to_numpy(), np.tile(load, 3))
    rep.snapshot_weightings["objective"] = temporal.weight.to_numpy()
    rep.snapshot_weightings["generators"] = temporal.weight.to_numpy()
    _solve(rep, lambda net: define_representative_day_storage(net, temporal))

    assert rep.objective >= chronological.objective * (1 - 1e-7)
    assert rep.objective == pytest.approx(chronological.objective, rel=1e-6)
    assert rep.stores.e_nom_opt["s"] > 1.0  # the store does carry energy across days
