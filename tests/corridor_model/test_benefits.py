"""Benefits by country: surpluses and rents computed by hand on two countries and one
link, and the identity (benefits - cable cost = saving in system cost) on the corridor."""

from __future__ import annotations

import logging

import pypsa
import pytest

from bakuhub.corridor.benefits import benefits, check_identity, welfare
from bakuhub.corridor.constraints import define_export_target, define_shared_link_capacity
from bakuhub.corridor.network import EXPORT


@pytest.fixture(autouse=True)
def _quiet() -> None:
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)


def _two_countries(cable: bool, hours: float = 1.0, efficiency: float = 1.0) -> pypsa.Network:
    """Country A (bus a): load 50 MW, gas a1 60 MW at 10 EUR/MWh, a2 100 MW at 30.
    Country B (bus b): load 100 MW, gas b 200 MW at 50. With ``cable``: a lossy pair of
    one-way links a<->b, up to 40 MW at 5 EUR/MW (a year of one snapshot of ``hours``)."""
    n = pypsa.Network()
    n.set_snapshots([0])
    n.snapshot_weightings.loc[:, :] = hours
    n.add("Bus", "a", country="A")
    n.add("Bus", "b", country="B")
    n.add("Load", "load a", bus="a", p_set=50.0)
    n.add("Load", "load b", bus="b", p_set=100.0)
    n.add("Generator", "a1", bus="a", p_nom=60, marginal_cost=10.0)
    n.add("Generator", "a2", bus="a", p_nom=100, marginal_cost=30.0)
    n.add("Generator", "b", bus="b", p_nom=200, marginal_cost=50.0)
    if cable:
        for name, bus0, bus1, cost in (("AB fwd", "a", "b", 5.0), ("AB bwd", "b", "a", 0.0)):
            n.add(
                "Link",
                name,
                bus0=bus0,
                bus1=bus1,
                efficiency=efficiency,
                p_nom_extendable=True,
                p_nom_max=40.0,
                capital_cost=cost * hours,
            )
    n.optimize.create_model(include_objective_constant=False)
    define_shared_link_capacity(n)
    status = n.optimize.solve_model(solver_name="highs", io_api="direct", output_flag=False)
    assert status == ("ok", "optimal")
    return n


@pytest.mark.parametrize("hours", [1.0, 3.0])
def test_two_countries_one_link_by_hand(hours: float) -> None:
    """Without the cable: prices 10 (A) and 50 (B); A's consumers pay 500, B's 5,000; no
    producer earns above its cost. With 40 MW sent from A to B: A's price rises to 30
    (a2 is marginal), B's stays 50 (b still runs 60 MW).
    A: consumers -1,500 (change -1,000), a1 earns (30 - 10) * 60 = 1,200, half the rent
    (50 - 30) * 40 / 2 = 400: gross benefit 600. B: consumers unchanged, half the rent
    400: gross benefit 400. Cable 40 MW * 5 = 200; system cost 5,500 -> 4,700.
    Everything scales with the hours the snapshot stands for."""
    with_cable, without = _two_countries(True, hours), _two_countries(False, hours)
    result = benefits(with_cable, without, ["AB"])
    table = result.table / hours
    assert table.at["A", "consumer_surplus_eur_a"] == pytest.approx(-1000.0)
    assert table.at["A", "producer_surplus_eur_a"] == pytest.approx(1200.0)
    assert table.at["A", "congestion_rent_eur_a"] == pytest.approx(400.0)
    assert table.at["B", "consumer_surplus_eur_a"] == pytest.approx(0.0, abs=1e-6)
    assert table.at["B", "producer_surplus_eur_a"] == pytest.approx(0.0, abs=1e-6)
    assert table.at["B", "congestion_rent_eur_a"] == pytest.approx(400.0)
    assert table.welfare_eur_a.to_dict() == pytest.approx({"A": 600.0, "B": 400.0})
    assert result.cable_cost_eur_a / hours == pytest.approx(200.0)
    assert result.system_cost_change_eur_a / hours == pytest.approx(-800.0)
    assert table.demand_mwh.to_dict() == pytest.approx({"A": 0.0, "B": 0.0})
    check_identity(result)


def test_losses_are_paid_by_the_rent() -> None:
    """With 10 % losses, 40 MW sent from A deliver 36 MW at B; b runs 64 MW. The rent is
    50 * 36 - 30 * 40 = 600 (300 each side), a1 still earns 1,200: A gains 500, B 300;
    system cost 600 + 900 + 3,200 + 200 = 4,900, a saving of 600 = 800 - 200."""
    result = benefits(_two_countries(True, efficiency=0.9), _two_countries(False), ["AB"])
    assert result.table.welfare_eur_a.to_dict() == pytest.approx({"A": 500.0, "B": 300.0})
    assert result.table.congestion_rent_eur_a.sum() == pytest.approx(600.0)
    assert result.system_cost_change_eur_a == pytest.approx(-600.0)
    check_identity(result)


def test_a_cable_not_evaluated_is_a_grid_cost_of_both_ends() -> None:
    """Welfare of the network with the cable alone, its cost not kept apart: each end
    carries half of the 200 EUR; the parties' welfare adds up to minus the system cost."""
    result = welfare(_two_countries(True))
    assert result.kept_apart_eur_a == 0.0
    assert result.table.grid_cost_eur_a.to_dict() == pytest.approx({"A": -100.0, "B": -100.0})
    assert result.table.welfare_eur_a.sum() == pytest.approx(-4700.0)


def test_a_network_without_countries_is_refused() -> None:
    n = _two_countries(False)
    n.buses.loc["b", "country"] = ""
    with pytest.raises(ValueError, match="buses without a country: b"):
        welfare(n)


def test_benefits_of_the_caspian_cable_add_up_on_the_corridor() -> None:
    """The shipped reference, coarse: the benefits by party less the Caspian cable's cost
    equal the saving in total system cost, to the solver's tolerance; the EU buyer is a
    party; consumers and rents of the countries at both ends of the cable change."""
    from bakuhub.corridor.run_study import counterfactual_of
    from bakuhub.corridor.scenario import shipped_scenario
    from bakuhub.corridor.solve import solve_scenario

    scenario = shipped_scenario("reference-2030")
    with_cable = solve_scenario(scenario, resolution="segments:12").network
    without = solve_scenario(counterfactual_of(scenario), resolution="segments:12").network
    result = benefits(with_cable, without, ["CASPIAN"])
    check_identity(result)
    assert result.cable_cost_eur_a > 0
    assert set(result.table.index) >= {"KZ", "UZ", "AZ", "GE", "RO", EXPORT}
    assert float(with_cable.objective) == pytest.approx(
        -welfare(with_cable, ["CASPIAN"]).table.welfare_eur_a.sum()
        + welfare(with_cable, ["CASPIAN"]).kept_apart_eur_a,
        rel=1e-6,
    )


def _export_only_by_sea(cable: bool) -> pypsa.Network:
    """Three nodes, one hour. Country A (bus a): load 50, gas a1 100 MW at 10 EUR/MWh,
    a2 100 MW at 30. Country B (bus b): load 100, gas b 200 MW at 50, fed by a one-way
    link a->b of 40 MW (built, free). Country R (bus g): the gateway, no load, where
    the European buyer takes an export target of 30 MWh, reachable only by the cable
    SEA a->g (extendable, 5 EUR/MW). Without the cable the export is dropped."""
    n = pypsa.Network()
    n.set_snapshots([0])
    for bus, country in (("a", "A"), ("b", "B"), ("g", "R")):
        n.add("Bus", bus, country=country)
    n.add("Load", "load a", bus="a", p_set=50.0)
    n.add("Load", "load b", bus="b", p_set=100.0)
    n.add("Generator", "a1", bus="a", p_nom=100, marginal_cost=10.0)
    n.add("Generator", "a2", bus="a", p_nom=100, marginal_cost=30.0)
    n.add("Generator", "b", bus="b", p_nom=200, marginal_cost=50.0)
    n.add("Link", "AB", bus0="a", bus1="b", p_nom=40.0)
    if cable:
        n.add("Link", "SEA", bus0="a", bus1="g", p_nom_extendable=True, capital_cost=5.0)
        n.add("Generator", EXPORT, bus="g", p_nom=1e5, p_max_pu=0.0, p_min_pu=-1.0)
    n.optimize.create_model(include_objective_constant=False)
    if cable:
        define_export_target(n, EXPORT, 30.0)
    status = n.optimize.solve_model(solver_name="highs", io_api="direct", output_flag=False)
    assert status == ("ok", "optimal")
    return n


def test_a_cable_that_carries_the_export_is_valued_with_it_by_hand() -> None:
    """With SEA: a1 runs 100 and a2 20 (50 + 40 + 30): A's price 30, B's 50, the
    gateway's 35 (A's plus the cable's 5 EUR/MW). Without: a1 runs 90, A's price 10.
    A: consumers -1,500 + 500 = -1,000; a1 earns (30 - 10) 100 = 2,000; the rent of AB
    falls from (50 - 30) 40 / 2 = 400 to (50 - 10) 40 / 2 = 800, and SEA's rent
    (35 - 30) 30 = 150 is half A's: 75; A gains 675. B: half of AB's rent, -400.
    R: half of SEA's rent, 75. The buyer pays 35 * 30 = 1,050 and gets 30 MWh worth
    90 EUR/MWh = 2,700: 1,650. Gross 2,000; SEA costs 150; system cost 3,900 -> 4,750
    (+850, for 30 MWh more): 2,000 - 150 = -850 + 2,700."""
    result = benefits(
        _export_only_by_sea(True), _export_only_by_sea(False), ["SEA"], export_price_eur_mwh=90.0
    )
    table = result.table
    assert table.welfare_eur_a.to_dict() == pytest.approx(
        {"A": 675.0, "B": -400.0, "R": 75.0, EXPORT: 1650.0}
    )
    assert table.at["A", "consumer_surplus_eur_a"] == pytest.approx(-1000.0)
    assert table.at["A", "producer_surplus_eur_a"] == pytest.approx(2000.0)
    assert table.at["A", "congestion_rent_eur_a"] == pytest.approx(-325.0)
    assert table.at[EXPORT, "consumer_surplus_eur_a"] == pytest.approx(1650.0)
    assert result.cable_cost_eur_a == pytest.approx(150.0)
    assert result.system_cost_change_eur_a == pytest.approx(850.0)
    assert result.export_change_mwh == pytest.approx(30.0)
    assert result.export_value_change_eur_a == pytest.approx(2700.0)
    check_identity(result)
    # without the export's value the benefits miss exactly it
    unvalued = benefits(_export_only_by_sea(True), _export_only_by_sea(False), ["SEA"])
    assert unvalued.table.welfare_eur_a.sum() == pytest.approx(2000.0 - 2700.0)
    check_identity(unvalued)
