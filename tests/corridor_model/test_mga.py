"""Near-optimal ranges on networks whose alternatives are known by hand (EUR, MW)."""

from __future__ import annotations

import logging

import pypsa
import pytest

from bakuhub.corridor import interior
from bakuhub.corridor.constraints import define_shared_link_capacity
from bakuhub.corridor.mga import near_optimal_ranges, targets
from bakuhub.errors import InvalidInput

SOLVER = "highs"


@pytest.fixture(params=["highs", "clarabel"])
def _solver(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)
    monkeypatch.setitem(globals(), "SOLVER", request.param)


def _solve(n: pypsa.Network) -> tuple[str, str]:
    if SOLVER == "clarabel":
        return interior.solve_network(n)
    result = n.optimize.solve_model(solver_name="highs", io_api="direct", output_flag=False)
    return str(result[0]), str(result[1])


def _least_cost(n: pypsa.Network, extra: object = None) -> None:
    n.optimize.create_model(include_objective_constant=False)
    if extra is not None:
        extra(n)  # type: ignore[operator]
    assert _solve(n) == ("ok", "optimal")


def one_bus(solar_cost: float, gas_cost: float) -> pypsa.Network:
    """Country AA, load 1 MW for 2 h; solar (always available) and gas, both extendable,
    paid per MW only (EUR/MW)."""
    n = pypsa.Network()
    n.set_snapshots(range(2))
    n.add("Bus", "b", country="AA")
    n.add("Load", "d", bus="b", p_set=1.0)
    n.add("Generator", "b solar", bus="b", carrier="solar", p_nom_extendable=True)
    n.add("Generator", "b gas", bus="b", carrier="CCGT", p_nom_extendable=True)
    n.generators.loc[["b solar", "b gas"], "capital_cost"] = [solar_cost, gas_cost]
    return n


def _by_target(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(row["target"]): row for row in rows}


@pytest.mark.usefixtures("_solver")
def test_a_costlier_option_can_replace_part_of_the_cheap_one() -> None:
    """Solar 1 EUR/MW, gas 1.5: least cost 1 MW solar (1 EUR). Within 10 %
    (S + 1.5 G <= 1.1, S + G >= 1): gas 0 to 0.2 MW; solar 0.8 (with 0.2 gas) to 1.1
    (overbuilt)."""
    n = one_bus(1.0, 1.5)
    _least_cost(n)
    rows = _by_target(
        near_optimal_ranges(n, add_constraints=lambda _n: None, solve=_solve, slack=0.1)
    )
    solar, gas = rows["AA solar"], rows["AA gas"]
    assert solar["least_cost"] == pytest.approx(1.0, abs=1e-4)
    assert (solar["min"], solar["max"]) == pytest.approx((0.8, 1.1), abs=1e-4)
    assert (gas["min"], gas["max"]) == pytest.approx((0.0, 0.2), abs=1e-4)
    assert n.objective == pytest.approx(1.0, abs=1e-6)  # the solved network is untouched


@pytest.mark.usefixtures("_solver")
def test_two_options_of_equal_cost_are_free_choices() -> None:
    """Equal costs, no slack: any split of the 1 MW is least-cost, so each ranges 0..1."""
    n = one_bus(1.0, 1.0)
    _least_cost(n)
    rows = _by_target(
        near_optimal_ranges(n, add_constraints=lambda _n: None, solve=_solve, slack=0.0)
    )
    for name in ("AA solar", "AA gas"):
        assert (rows[name]["min"], rows[name]["max"]) == pytest.approx((0.0, 1.0), abs=1e-4)


def two_countries() -> pypsa.Network:
    """Load 1 MW for 2 h in BB; gas at 1 EUR/MWh in AA, at 3 EUR/MWh in BB (10 MW each);
    a cable pair AA->BB / BB->AA sharing one capacity at 1 EUR/MW. The cable of P MW
    costs ``P + 2 P + 6 (1 - P)`` for ``P <= 1``: least cost P = 1 MW, 3 EUR."""
    n = pypsa.Network()
    n.set_snapshots(range(2))
    n.add("Bus", "a", country="AA")
    n.add("Bus", "b", country="BB")
    n.add("Load", "d", bus="b", p_set=1.0)
    n.add("Generator", "a gas", bus="a", carrier="CCGT", p_nom=10, marginal_cost=1.0)
    n.add("Generator", "b gas", bus="b", carrier="CCGT", p_nom=10, marginal_cost=3.0)
    for suffix, (bus0, bus1), cost in (("fwd", ("a", "b"), 1.0), ("bwd", ("b", "a"), 0.0)):
        n.add("Link", f"X {suffix}", bus0=bus0, bus1=bus1, p_nom_extendable=True)
        n.links.loc[f"X {suffix}", "capital_cost"] = cost
    return n


@pytest.mark.usefixtures("_solver")
def test_a_cable_range_keeps_the_scenarios_own_constraints() -> None:
    """Budget 3.3 EUR (10 %): 6 - 3 P <= 3.3 gives P >= 0.9; an overbuilt cable costs
    2 + P <= 3.3, so P <= 1.3. The shared capacity holds in every solve."""
    n = two_countries()
    _least_cost(n, define_shared_link_capacity)
    assert n.objective == pytest.approx(3.0, abs=1e-5)
    [row] = near_optimal_ranges(
        n, add_constraints=define_shared_link_capacity, solve=_solve, slack=0.1
    )
    assert row["target"] == "cable X"
    assert (row["least_cost"], row["min"], row["max"]) == pytest.approx((1.0, 0.9, 1.3), abs=1e-4)


def test_targets_and_bounds_are_checked() -> None:
    n = one_bus(1.0, 1.5)
    assert [t.name for t in targets(n)] == ["AA solar", "AA gas"]
    n.optimize.create_model(include_objective_constant=False)
    n.optimize.solve_model(solver_name="highs", io_api="direct", output_flag=False)
    with pytest.raises(InvalidInput, match="not among the targets"):
        near_optimal_ranges(n, add_constraints=lambda _n: None, solve=_solve, select=["AA coal"])
    with pytest.raises(InvalidInput, match="4 solves"):
        near_optimal_ranges(n, add_constraints=lambda _n: None, solve=_solve, max_solves=3)
    with pytest.raises(InvalidInput, match="slack"):
        near_optimal_ranges(n, add_constraints=lambda _n: None, solve=_solve, slack=2.0)


def _no_constraints(_n: pypsa.Network) -> None:
    """No constraints beyond PyPSA's (a module-level function: it travels to a process)."""


def _solve_highs(n: pypsa.Network) -> tuple[str, str]:
    result = n.optimize.solve_model(solver_name="highs", io_api="direct", output_flag=False)
    return str(result[0]), str(result[1])


def test_the_ranges_are_the_same_one_after_the_other_and_in_parallel() -> None:
    """The ranges of the first test (solar 0.8..1.1, gas 0..0.2 MW within 10 %) from one
    model re-solved in turn, from a task a target on a pool of two processes and from one
    task for both, with the same progress lines."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = one_bus(1.0, 1.5)
    n.optimize.create_model(include_objective_constant=False)
    assert _solve_highs(n) == ("ok", "optimal")
    said: dict[str, list[str]] = {"in turn": [], "parallel": []}
    in_turn = near_optimal_ranges(
        n,
        add_constraints=_no_constraints,
        solve=_solve_highs,
        slack=0.1,
        progress=said["in turn"].append,
    )
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        parallel = near_optimal_ranges(
            n,
            add_constraints=_no_constraints,
            solve=_solve_highs,
            slack=0.1,
            progress=said["parallel"].append,
            executor=pool,
        )
        in_one = near_optimal_ranges(
            n,
            add_constraints=_no_constraints,
            solve=_solve_highs,
            slack=0.1,
            executor=pool,
            tasks=1,
        )
    assert in_one == parallel
    rows = _by_target(parallel)
    assert (rows["AA solar"]["min"], rows["AA solar"]["max"]) == pytest.approx((0.8, 1.1), abs=1e-4)
    assert (rows["AA gas"]["min"], rows["AA gas"]["max"]) == pytest.approx((0.0, 0.2), abs=1e-4)
    assert [r["target"] for r in parallel] == [r["target"] for r in in_turn]
    for a, b in zip(in_turn, parallel, strict=True):
        assert (a["min"], a["max"]) == pytest.approx((b["min"], b["max"]), abs=1e-6)
    assert said["parallel"] == said["in turn"] and len(said["parallel"]) == 4
