"""Hydrogen and ammonia (hydrogen.py): tiny networks solved by hand, the technology-data
rows, the scenario group's checks, and the corridor with molecules switched on."""

from __future__ import annotations

import logging

import pypsa
import pytest

from bakuhub.corridor import costs as c
from bakuhub.corridor import hydrogen as h
from bakuhub.corridor import hydrogen_costs as hc
from bakuhub.corridor import interior
from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.hydrogen_options import Molecules
from bakuhub.corridor.scenario import parse_scenario, shipped_scenario
from bakuhub.errors import InvalidInput


@pytest.fixture(autouse=True)
def _quiet() -> None:
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)


def _solve(n: pypsa.Network, solver: str) -> None:
    n.optimize.create_model(include_objective_constant=False)
    if solver == "clarabel":
        status = interior.solve_network(n)
    else:
        status = n.optimize.solve_model(solver_name="highs", io_api="direct", output_flag=False)
    assert status == ("ok", "optimal")


def _pv_bus(n: pypsa.Network, hours: int, sun: list[float]) -> None:
    n.set_snapshots(range(hours))
    n.add("Bus", "b", carrier="AC", x=0.0, y=0.0)
    n.add("Generator", "pv", bus="b", p_nom_extendable=True, capital_cost=1.0, p_max_pu=sun)


@pytest.mark.parametrize("solver", ["highs", "clarabel"])
def test_pv_electrolyser_and_tank_meet_a_constant_hydrogen_demand(solver: str) -> None:
    """Two hours, PV only in hour 0 (1 EUR/MW), electrolyser eta 0.5 (1 EUR/MW_el),
    tank 0.1 EUR/MWh, hydrogen demand 1 MW, fresh water at 2 EUR/m3 and 10 L/kg.

    Hour 0 makes 2 MWh H2 (1 for the demand, 1 into the tank for hour 1): electrolyser
    4 MW_el, PV 4 MW, tank 1 MWh. Water: 10 L/kg / 33.33 MWh/t = 0.3 m3/MWh_H2, so
    0.15 m3 and 0.3 EUR per MWh_el; 4 MWh_el -> 1.2 EUR (0.06 t H2 x 10 m3/t = 0.6 m3).
    Objective = PV 4 + electrolyser 4 + tank 0.1 + water 1.2 = 9.3 EUR.
    """
    n = pypsa.Network()
    _pv_bus(n, 2, [1.0, 0.0])
    molecules = Molecules(enabled=True, water="fresh", water_l_per_kg=10, fresh_water_eur_m3=2)
    water = molecules.water_l_per_kg / hc.H2_LHV_MWH_PER_T
    assert water == pytest.approx(0.3)
    costs = hc.MoleculeCosts(
        electrolysis_eur_mw=1.0,
        electrolysis_eta=0.5,
        electrolysis_vom=2.0 * water * 0.5,
        tank_eur_mwh=0.1,
        water_m3_mwh=water,
    )
    h.add_hydrogen_node(n, "b", costs)
    h.add_hydrogen_demand(n, "b", 1.0)
    _solve(n, solver)
    assert n.objective == pytest.approx(9.3, rel=1e-6)
    assert n.generators.p_nom_opt["pv"] == pytest.approx(4.0, rel=1e-6)
    assert n.links.p_nom_opt["b electrolysis"] == pytest.approx(4.0, rel=1e-6)
    assert n.stores.e_nom_opt["b H2 tank"] == pytest.approx(1.0, rel=1e-6)
    summary = h.molecule_summary(n, molecules, costs).set_index("node").loc["b"]
    assert summary["hydrogen_kt"] == pytest.approx(2 / hc.H2_LHV_MWH_PER_T / 1e3, rel=1e-6)
    assert summary["water_m3"] == pytest.approx(0.6, rel=1e-6)
    assert summary["water_cost_eur"] == pytest.approx(1.2, rel=1e-6)


def test_ammonia_sold_at_a_port_pays_for_haber_bosch_and_its_power() -> None:
    """One hour, PV 1 EUR/MW; electrolyser eta 0.5 (1 EUR/MW_el); Haber-Bosch 0.8
    MWh_NH3 per MWh_H2 taking 0.25 MWh_el per MWh_H2 (2 EUR/MW_H2); ammonia sold at
    10 EUR/MWh (a market of up to 100 MW). Per MWh_H2 into Haber-Bosch: 2 MWh_el to the
    electrolyser + 0.25 MWh_el = 2.25 MW of PV (2.25 EUR), electrolyser 2 MW_el (2 EUR),
    Haber-Bosch 2 EUR: 6.25 EUR for 0.8 MWh_NH3 = 7.8125 EUR/MWh_NH3 < 10: the sale
    is worth it and goes to PV's limit, 9 MW: 4 MWh H2 in, 3.2 MWh NH3 sold.
    Objective = 9 + 8 + 8 - 32 = -7 EUR.
    """
    n = pypsa.Network()
    _pv_bus(n, 1, [1.0])
    n.generators.loc["pv", "p_nom_max"] = 9.0
    costs = hc.MoleculeCosts(
        electrolysis_eur_mw=1.0,
        electrolysis_eta=0.5,
        haber_bosch_eur_mw=2.0,
        haber_bosch_eta=0.8,
        haber_bosch_el=0.25,
    )
    h.add_hydrogen_node(n, "b", costs, ammonia=True)
    export = {
        "mode": "market",
        "carrier": "ammonia",
        "port": "b",
        "price_eur_mwh": 10,
        "max_twh": 100 * 8760 / 1e6,
    }  # at most 100 MW: not binding here
    h.add_export(n, Molecules(enabled=True, ammonia=True, export=export), costs, ["b"])
    _solve(n, "highs")
    assert n.objective == pytest.approx(-7.0, rel=1e-6)
    assert -n.generators_t.p[h.MOLECULE_EXPORT].iloc[0] == pytest.approx(3.2, rel=1e-6)
    assert n.links.p_nom_opt["b Haber-Bosch"] == pytest.approx(4.0, rel=1e-6)


def test_costs_of_2030_come_from_the_technology_data_rows() -> None:
    """Alkaline (DEA) 2030: 1,886.0019 EUR/kW_e, 25 years, FOM 4 %/a, eta 0.6217; with
    seawater desalination at 9 L/kg: eta falls by the plant's 3.0348 kWh/m3 and its
    annualised cost per m3/h is added at the electrolyser's full output."""
    data = load_dataset(2030)
    molecules = Molecules(enabled=True)
    got = hc.molecule_costs(data, molecules, 0.07)
    annuity = 0.07 / (1 - 1.07**-25)
    water = 9 / 33.333333333
    eta = 1 / (1 / 0.6217 + water * 3.0348 / 1000)
    desal = 43923.9463 * (0.07 / (1 - 1.07**-30) + 0.04)
    assert got.electrolysis_eta == pytest.approx(eta, rel=1e-6)
    assert got.electrolysis_eur_mw == pytest.approx(
        1_886_001.9 * (annuity + 0.04) + water * eta * desal, rel=1e-6
    )
    assert got.tank_eur_mwh == pytest.approx(c.capital_cost(data, hc.TANK, 0.07))
    assert got.tank_eur_mwh == pytest.approx(60_046.9 * (0.07 / (1 - 1.07**-30) + 0.011133))
    assert got.haber_bosch_eta == pytest.approx(1 / 1.1484)
    rows = hc.technology_rows(data, molecules)
    assert set(rows["technology"]) >= {hc.HABER_BOSCH, hc.CRACKER, hc.CAVERN, hc.SHIP}
    assert rows["source"].str.len().min() > 0


def test_the_default_group_leaves_todays_scenarios_as_they_were() -> None:
    base = shipped_scenario("reference-2030")
    assert "molecules" not in base.model_dump()
    same = parse_scenario({**base.model_dump(mode="json"), "molecules": {}})
    assert same.digest() == base.digest()
    on = parse_scenario({**base.model_dump(mode="json"), "molecules": {"enabled": True}})
    assert on.digest() != base.digest()
    assert on.molecules.enabled


@pytest.mark.parametrize(
    ("molecules", "said"),
    [
        ({"export": {"mode": "market"}}, "needs price_eur_mwh"),
        ({"export": {"mode": "target", "target_twh": 5}}, "needs ammonia: true"),
        ({"water_l_per_kg": 5}, "molecules.water_l_per_kg"),
        ({"electrolyser": "soec"}, "molecules.electrolyser"),
    ],
)
def test_a_wrong_molecule_field_is_a_sentence(molecules: dict[str, object], said: str) -> None:
    data = {**shipped_scenario("reference-2030").model_dump(mode="json"), "molecules": molecules}
    with pytest.raises(InvalidInput, match=said):
        parse_scenario(data)
