"""Benders decomposition of the hourly expansion, checked against the monolithic LP."""

from __future__ import annotations

import numpy as np
import pypsa
import pytest

from bakuhub.corridor import constraints as con
from bakuhub.corridor.decompose import DecompositionError, OperatingLP, decompose
from bakuhub.corridor.hourly import start_design
from bakuhub.testing import networks


def _week() -> tuple[np.ndarray, np.ndarray]:
    """A week of hours: PV with days and noise, a load that varies."""
    rng = np.random.default_rng(7)
    hours = np.arange(168)
    pv = np.clip(np.sin(hours / 24 * 2 * np.pi - np.pi / 2) + 0.2 * rng.standard_normal(168), 0, 1)
    load = 1.0 + 0.5 * rng.random(168)
    return pv, load


def _built(n: pypsa.Network) -> pypsa.Network:
    n.optimize.create_model(include_objective_constant=False)
    return n


def _monolithic(n: pypsa.Network) -> float:
    status = n.optimize.solve_model(solver_name="highs", output_flag=False)
    assert status == ("ok", "optimal")
    return float(n.objective or 0.0)


def test_benders_reaches_the_monolithic_optimum_and_brackets_it() -> None:
    pv, load = _week()
    whole = _built(networks.pv_store_network(pv, load))
    optimum = _monolithic(whole)
    split = _built(networks.pv_store_network(pv, load))
    found = decompose(split, tolerance=1e-5)
    assert found.converged and found.gap <= 1e-5
    assert found.lower <= optimum * (1 + 1e-6) and found.upper >= optimum * (1 - 1e-6)
    assert found.upper == pytest.approx(optimum, rel=2e-5)
    # the design and its hourly solution are written back to the network
    assert float(split.objective or 0.0) == pytest.approx(found.upper, rel=1e-9)
    assert split.generators.at["pv", "p_nom_opt"] == pytest.approx(
        whole.generators.at["pv", "p_nom_opt"], rel=1e-2
    )
    assert split.stores.at["s", "e_nom_opt"] == pytest.approx(
        whole.stores.at["s", "e_nom_opt"], rel=2e-2
    )
    assert found.upper == pytest.approx(found.steps[-1].upper)
    uppers = [s.upper for s in found.steps]
    assert uppers == sorted(uppers, reverse=True)  # the best design only improves


def test_a_start_from_the_optimum_stops_at_once_when_the_bound_meets_it() -> None:
    pv, load = _week()
    whole = _built(networks.pv_store_network(pv, load))
    _monolithic(whole)
    split = _built(networks.pv_store_network(pv, load))
    started = decompose(split, start=start_design(whole), tolerance=1e-5)
    cold = decompose(_built(networks.pv_store_network(pv, load)), tolerance=1e-5)
    assert started.steps[0].cost == pytest.approx(float(whole.objective or 0.0), rel=1e-4)
    assert len(started.steps) <= len(cold.steps)


def test_the_subgradient_is_the_cost_of_one_more_unit_of_capacity() -> None:
    pv, load = _week()
    lp = OperatingLP(_built(networks.pv_store_network(pv, load)), cap=100.0)
    assert [key for key in lp.master.keys] == [
        ("generators", "pv"),
        ("generators", "gas"),
        ("stores", "s"),
    ]
    x = np.array([2.0, 0.5, 3.0])
    cost, slope, _ = lp.evaluate(x)
    step = 1e-4
    for i in range(3):
        moved = x.copy()
        moved[i] += step
        assert (lp.evaluate(moved)[0] - cost) / step == pytest.approx(slope[i], rel=1e-4)


def test_constraints_on_capacities_alone_go_to_the_master() -> None:
    n = _built(networks.two_buses())
    con.define_shared_link_capacity(n)  # P_fwd = P_bwd: capacities only
    found = decompose(n, tolerance=1e-7)
    assert "link_shared_capacity" not in n.model.constraints
    assert found.upper == pytest.approx(networks.TWO_BUSES_OBJECTIVE, rel=1e-6)
    fwd, bwd = found.design[("links", "c fwd")], found.design[("links", "c bwd")]
    assert fwd == pytest.approx(bwd, rel=1e-7) and fwd == pytest.approx(2 / 0.9, rel=1e-4)


def test_an_operating_lp_that_a_design_makes_infeasible_is_refused_in_words() -> None:
    # no load shedding: with no PV and no battery the load cannot be met
    n = _built(networks.pv_battery())
    con.define_battery_power_balance(n)
    with pytest.raises(DecompositionError, match="feasible for every design"):
        decompose(n)


def test_two_workers_solve_two_designs_a_round_to_the_same_optimum() -> None:
    import multiprocessing as mp

    before = set(mp.active_children())  # another test's cluster may be running
    pv, load = _week()
    optimum = _monolithic(_built(networks.pv_store_network(pv, load)))
    split = _built(networks.pv_store_network(pv, load))
    found = decompose(split, tolerance=1e-5, workers=2)
    assert found.converged and found.upper == pytest.approx(optimum, rel=2e-5)
    assert found.lower <= optimum * (1 + 1e-6)
    assert float(split.objective or 0.0) == pytest.approx(found.upper, rel=1e-9)
    assert set(mp.active_children()) <= before  # the forked solver is gone
