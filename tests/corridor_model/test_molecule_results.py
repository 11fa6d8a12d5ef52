"""What a ministry reads of a molecule study (molecule_results.py, report_molecules.py):
the cost of hydrogen per kg, full-load hours and water on a tiny network by hand, and a
study of the shipped ammonia scenario at a very coarse resolution whose report and study
page show the section."""

from __future__ import annotations

import logging

import pypsa
import pytest
from fastapi.testclient import TestClient

from bakuhub.config import Settings
from bakuhub.corridor import hydrogen as h
from bakuhub.corridor import hydrogen_costs as hc
from bakuhub.corridor import interior
from bakuhub.corridor.hydrogen_options import Molecules
from bakuhub.corridor.molecule_results import nodes_table
from bakuhub.corridor.report import render_report
from bakuhub.corridor.run_study import Study, run_study, write_outputs
from bakuhub.corridor.scenario import load_scenario
from bakuhub.jobs.kinds import CORRIDOR_STUDY, expected_lines

WATER = 10 / hc.H2_LHV_MWH_PER_T  # 10 L/kg = 0.3 m3 per MWh_H2


def _tiny(costs: hc.MoleculeCosts, solver: str = "highs") -> pypsa.Network:
    """Three hours, PV (1 EUR/MW) shining in hours 0 and 1 only, an electrolyser (eta 0.5),
    a tank (0.1 EUR/MWh) and a constant hydrogen demand of 1 MW, solved by HiGHS or by
    the study's interior-point path (Clarabel: its own duals, hence its own prices).

    The demand takes 3 MWh_H2; the electrolyser makes them in hours 0 and 1, 1.5 MW_H2
    each (3 MW_el, the least capacity), PV 3 MW, the tank holds the 1 MWh of hour 2.
    """
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)
    n = pypsa.Network()
    n.set_snapshots(range(3))
    n.add("Bus", "b", carrier="AC", x=0.0, y=0.0)
    n.add("Generator", "pv", bus="b", p_nom_extendable=True, capital_cost=1.0, p_max_pu=[1, 1, 0])
    h.add_hydrogen_node(n, "b", costs)
    h.add_hydrogen_demand(n, "b", 1.0)
    n.optimize.create_model(include_objective_constant=False)
    if solver == "clarabel":
        status = interior.solve_network(n)
    else:
        status = n.optimize.solve_model(solver_name="highs", io_api="direct", output_flag=False)
    assert status == ("ok", "optimal")
    return n


@pytest.mark.parametrize("solver", ["highs", "clarabel"])
def test_cost_of_hydrogen_full_load_hours_and_fresh_water_by_hand(solver: str) -> None:
    """Fresh water at 2 EUR/m3, 10 L/kg: 0.3 m3/MWh_H2 x 0.5 x 2 = 0.3 EUR per MWh_el.

    Hydrogen 3 MWh = 0.09 t = 90 kg; electricity 6 MWh_el, priced 1 EUR/MW of PV over
    the two sunny hours: 3 EUR; electrolyser 3 MW_el x 1 EUR = 3 EUR; water 6 x 0.3 =
    1.8 EUR (0.9 m3 = 90 kg x 10 L); tank 0.1 EUR. Cost of hydrogen (3 + 3 + 1.8 + 0.1)
    / 90 kg = 0.08778 EUR/kg: the whole objective, as nothing else is in it. Full-load
    hours 6 MWh_el / 3 MW = 2 h. Water 1.8 EUR / 90 kg = 0.02 EUR/kg.
    """
    molecules = Molecules(enabled=True, water="fresh", water_l_per_kg=10, fresh_water_eur_m3=2)
    costs = hc.MoleculeCosts(
        electrolysis_eur_mw=1.0,
        electrolysis_eta=0.5,
        electrolysis_vom=2.0 * WATER * 0.5,
        tank_eur_mwh=0.1,
        water_m3_mwh=WATER,
    )
    n = _tiny(costs, solver)
    assert n.objective == pytest.approx(7.9, rel=1e-6)
    (row,) = nodes_table(n, molecules, costs)
    assert row["electrolyser_mw_el"] == pytest.approx(3.0, rel=1e-6)
    assert row["full_load_hours"] == pytest.approx(2.0, rel=1e-6)
    assert row["hydrogen_t"] == pytest.approx(0.09, rel=1e-6)
    assert row["lcoh_eur_kg"] == pytest.approx(7.9 / 90, rel=1e-6)
    assert row["electricity_eur_mwh_el"] == pytest.approx(0.5, rel=1e-6)
    assert row["water_m3"] == pytest.approx(0.9, rel=1e-6)
    assert row["water_cost_eur_kg"] == pytest.approx(0.02, rel=1e-6)
    # the buyer pays the hydrogen bus's price: the same 7.9 EUR (strong duality)
    paid = (n.buses_t.marginal_price["b H2"] * n.loads_t.p["b H2 demand"]).sum()
    assert paid / 90 == pytest.approx(row["lcoh_eur_kg"], rel=1e-5)


def test_desalinated_water_is_paid_with_the_electrolyser() -> None:
    """Desalination at 5 EUR/a per m3/h, sized to the electrolyser's full output: 0.3
    m3/MWh_H2 x 0.5 x 5 = 0.75 EUR/a per MW_el, added to its 1 EUR/MW: the same plan,
    the electrolyser 3 x 1.75 = 5.25 EUR. Cost of hydrogen (3 + 5.25 + 0.1) / 90 kg;
    water 3 x 0.75 = 2.25 EUR / 90 kg = 0.025 EUR/kg."""
    molecules = Molecules(enabled=True, water="desalination", water_l_per_kg=10)
    costs = hc.MoleculeCosts(
        electrolysis_eur_mw=1.0 + WATER * 0.5 * 5.0,
        electrolysis_eta=0.5,
        tank_eur_mwh=0.1,
        water_m3_mwh=WATER,
        desalination_eur_m3h=5.0,
    )
    (row,) = nodes_table(_tiny(costs), molecules, costs)
    assert row["lcoh_eur_kg"] == pytest.approx(8.35 / 90, rel=1e-6)
    assert row["water_cost_eur_kg"] == pytest.approx(0.025, rel=1e-6)
    assert row["water_source"] == "desalination"


@pytest.fixture(scope="session")  # not module: pytest runs the page test per database
def ammonia_study() -> tuple[Study, list[str]]:
    scenario = load_scenario("power-ammonia-2030")
    scenario = scenario.model_copy(update={"resolution": "segments:4", "real_year_check": False})
    lines: list[str] = []
    return run_study(scenario, counterfactual=False, progress=lines.append), lines


def test_the_ammonia_target_is_delivered_and_the_cables_compared(
    ammonia_study: tuple[Study, list[str]],
) -> None:
    study, lines = ammonia_study
    part = study.summary["molecules"]
    target = study.solved.scenario.molecules.export.target_twh
    assert part["export"]["delivered_twh"] == pytest.approx(target, rel=1e-5)
    assert part["export"]["delivered_t"] == pytest.approx(target * 1e6 / hc.NH3_LHV_MWH_PER_T)
    made = sum(row["ammonia_t"] for row in part["nodes"])
    assert made == pytest.approx(part["export"]["delivered_t"], rel=1e-4)  # tanks cyclic
    assert {row["link"] for row in part["cables"]} >= {"CASPIAN", "BLACKSEA"}
    # the same scenario without the molecules cannot cost more: it has less to do
    assert part["without"]["total_system_cost_eur_a"] < part["total_system_cost_eur_a"]
    # one progress line and a solve's four more for the comparison, counted by the job
    inputs = {"scenario": study.solved.scenario.model_dump(mode="json"), "counterfactual": False}
    assert len(lines) + 1 == expected_lines(CORRIDOR_STUDY, inputs)


def test_the_report_and_the_page_show_the_section(
    ammonia_study: tuple[Study, list[str]], client: TestClient, settings: Settings
) -> None:
    study, _lines = ammonia_study
    page = render_report(study.solved, study.summary, {})
    assert "Hydrogen and ammonia" in page
    assert "Electrolysers, hydrogen and water by node" in page
    write_outputs(study, settings.data_dir / "studies" / "ammonia")
    shown = client.get("/corridor/studies/ammonia")
    assert shown.status_code == 200
    assert "Electrolysers, hydrogen and water by node" in shown.text
    assert "power-ammonia-2030 (no molecules)" in shown.text
    assert "Cost of hydrogen by node, and the electrolysers there" in shown.text  # a chart


def test_the_charts_show_the_tables_figures(ammonia_study: tuple[Study, list[str]]) -> None:
    """The cost of hydrogen per kg and the electrolyser capacity of every node that has
    one, and each cable's capacity with and without molecules, as the tables give them."""
    from bakuhub.corridor.report_molecules import molecule_figures

    study, _lines = ammonia_study
    part = study.summary["molecules"]
    built = [row for row in part["nodes"] if row["electrolyser_mw_el"] > 0]
    assert built, "the ammonia scenario builds electrolysers"
    cost, capacity = molecule_figures(study.summary)[0].data
    assert list(cost.x) == [row["node"] for row in built]
    assert list(cost.y) == pytest.approx([row["lcoh_eur_kg"] for row in built])
    assert list(capacity.y) == pytest.approx([row["electrolyser_mw_el"] for row in built])
    assert capacity.yaxis == "y2"  # MW on its own axis, EUR/kg on the first
    without, with_molecules = molecule_figures(study.summary)[1].data
    assert list(with_molecules.x) == [row["link"] for row in part["cables"]]
    assert list(with_molecules.y) == pytest.approx([row["capacity_mw"] for row in part["cables"]])
    assert list(without.y) == pytest.approx([row["capacity_without_mw"] for row in part["cables"]])
    page = render_report(study.solved, study.summary, {})
    assert "Cable capacity with and without hydrogen and ammonia" in page
    assert molecule_figures({"scenario": "x"}) == []
