"""The real-year check: the sized design operated through a full chronological year."""

from __future__ import annotations

from pathlib import Path

import pypsa
import pytest

from bakuhub.corridor import constraints as con
from bakuhub.corridor import real_year as ry
from bakuhub.corridor.run_study import run_study, write_outputs
from bakuhub.corridor.scenario import Scenario, load_scenario
from bakuhub.corridor.solver_options import SolverOptions
from bakuhub.testing import networks

SMALL = ["KZ_WS", "AZ_SUM", "GE_GAR", "GE_ANA", "RO_CON"]
"""Five nodes of the reference: both HVDC cables, the export gateway."""
TINY = Scenario(name="tiny", year=2030, solver=SolverOptions(name="highs"))
"""Only the solver, the value of lost load and the (absent) CO2 cap of it are used."""


def _solve(n: pypsa.Network) -> float:
    status, condition = n.optimize.solve_model(solver_name="highs", output_flag=False)
    assert (status, condition) == ("ok", "optimal")
    return float(n.objective or 0.0)


def _cost(n: pypsa.Network, design: pypsa.Network) -> tuple[float, ry.Operation]:
    done = ry.operate(n, design, TINY)
    return done.capex + done.operating, done


def test_the_check_on_the_sizing_year_itself_reproduces_the_sizing_cost() -> None:
    # representative days sunny -> dark, each standing for itself: the chronological
    # year of the check is the sizing year, storage across days included
    design, temporal = networks.rep_days(calendar=(0, 1))
    design.optimize.create_model(include_objective_constant=False)
    con.define_representative_day_storage(design, temporal)
    assert _solve(design) == pytest.approx(networks.REP_DAYS_OBJECTIVE, rel=1e-6)
    check, _ = networks.rep_days(calendar=(0, 1))
    cost, done = _cost(check, design)
    assert cost == pytest.approx(networks.REP_DAYS_OBJECTIVE, rel=1e-6)
    assert done.shortfall_mwh == 0.0
    assert check.stores.e_nom.sum() == pytest.approx(2.0)  # the design's, fixed


def test_the_check_reproduces_a_chronological_sizing_with_storage_and_gas() -> None:
    pv = [0.0, 0.2, 0.9, 1.0, 0.7, 0.1] * 4
    load = [1.0, 1.2, 1.5, 1.4, 1.8, 2.0] * 4
    design = networks.pv_store_network(pv, load)
    design.optimize.create_model(include_objective_constant=False)
    sized = _solve(design)
    cost, _ = _cost(networks.pv_store_network(pv, load), design)
    assert cost == pytest.approx(sized, rel=1e-7)


def _two_buses() -> pypsa.Network:
    """Gas at a feeds the load at b through a cable; both sized (1 and 10 EUR/MW)."""
    n = pypsa.Network()
    n.set_snapshots(range(4))
    n.add("Bus", ["a", "b"])
    n.add("Carrier", ["gas", "HVDC"])
    n.add("Load", "load b", bus="b", p_set=[1.0, 3.0, 2.0, 1.0])
    n.add(
        "Generator",
        "gas a",
        bus="a",
        carrier="gas",
        p_nom_extendable=True,
        capital_cost=10.0,
        marginal_cost=1.0,
    )
    n.add("Link", "c", bus0="a", bus1="b", carrier="HVDC", p_nom_extendable=True, capital_cost=1.0)
    return n


def test_a_capacity_cut_below_need_reports_unserved_energy_where_and_when() -> None:
    design = _two_buses()
    design.optimize.create_model(include_objective_constant=False)
    sized = _solve(design)
    assert design.links.at["c", "p_nom_opt"] == pytest.approx(3.0)
    design.links.loc["c", "p_nom_opt"] = 1.5  # the cable cut to half the peak
    check = _two_buses()
    _, done = _cost(check, design)
    summary, tables = ry.assess(
        check, design, done, sizing_cost=sized, export_target_twh=None, stamps=None
    )
    node = summary["unserved_by_node"]["b"]
    assert node["unserved_twh"] * 1e6 == pytest.approx(1.5 + 0.5, rel=1e-6)
    assert node["hours"] == 2 and node["peak_mw"] == pytest.approx(1.5)
    assert [(h["hour"], h["node"]) for h in summary["worst_hours"]] == [(1, "b"), (2, "b")]
    assert set(tables["real_year_worst_hours"].hour) == {1, 2}
    assert summary["far_off"] and "unserved" in summary["verdict"] and "at b" in summary["verdict"]
    # shedding at the value of lost load makes the year far dearer than sizing expected
    assert summary["cost_difference_rel"] > 1.0
    assert summary["cables"]["c"]["hours_at_capacity"] == pytest.approx(2.0)


def test_the_verdict_says_when_the_design_holds() -> None:
    design = _two_buses()
    design.optimize.create_model(include_objective_constant=False)
    sized = _solve(design)
    check = _two_buses()
    _, done = _cost(check, design)
    summary, _ = ry.assess(check, design, done, sizing_cost=sized, export_target_twh=None)
    assert not summary["far_off"] and summary["verdict"].startswith("The design holds")
    assert summary["unserved_twh"] == pytest.approx(0.0, abs=1e-12)


def test_a_small_study_carries_its_refinement_and_real_year_check(tmp_path: Path) -> None:
    # one operating solve of the refinement: the sizing design's hourly cost, which the
    # real-year check of the same design must reproduce (the two accountings agree)
    scenario = load_scenario("reference-2030").model_copy(
        update={"refine_solves": 1, "nodes": SMALL}  # the hourly LPs less than half the size
    )
    lines: list[str] = []
    study = run_study(
        scenario, resolution="repdays:2/4", counterfactual=False, progress=lines.append
    )
    # the job's progress fraction counts on these lines (plus one for writing the files)
    from bakuhub.jobs.kinds import CORRIDOR_STUDY, expected_lines

    job = {"scenario": scenario.model_dump(mode="json"), "counterfactual": False}
    assert len(lines) + 1 == expected_lines(CORRIDOR_STUDY, job), lines
    refined = study.summary["refinement"]
    assert refined["evaluations"] == 1 and refined["sizing_resolution"] == "repdays:2/4"
    assert refined["weather"] == "rebuilt"
    assert refined["lower_eur_a"] <= refined["upper_eur_a"]
    assert refined["upper_eur_a"] == pytest.approx(refined["sizing_design_hourly_cost_eur_a"])
    assert all(v == pytest.approx(0.0, abs=1e-3) for v in refined["shortfall_mwh"].values())
    assert study.summary["model"]["snapshots"] == 8760
    assert study.summary["total_system_cost_eur_a"] == pytest.approx(refined["upper_eur_a"])
    check = study.summary["real_year"]
    assert check["system_cost_eur_a"] == pytest.approx(refined["upper_eur_a"], rel=1e-6)
    for key in (
        "weather",
        "weather_note",
        "system_cost_eur_a",
        "sizing_cost_eur_a",
        "cost_difference_rel",
        "unserved_twh",
        "unserved_by_node",
        "worst_hours",
        "curtailment_twh",
        "export_twh",
        "export_target_twh",
        "storage_full_cycles",
        "cables",
        "far_off",
        "verdict",
    ):
        assert key in check, key
    assert check["weather"] == "rebuilt" and ry.REBUILT in check["weather_note"]
    assert check["hours"] == 8760
    assert check["sizing_cost_eur_a"] == pytest.approx(study.summary["total_system_cost_eur_a"])
    assert {"CASPIAN", "BLACKSEA"} <= set(check["cables"])
    write_outputs(study, tmp_path)
    assert (tmp_path / "tables" / "real_year_unserved.csv").is_file()
    assert (tmp_path / "tables" / "real_year_cables.csv").is_file()
    from bakuhub.studies.service import TABLES  # every table is a study's download

    written = {p.stem for p in (tmp_path / "tables").glob("*.csv")}
    assert written <= set(TABLES), f"not downloadable from the study: {written - set(TABLES)}"
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Real-year check" in page and ry.REBUILT in page
    assert "Refined on the full year" in page and "operating solve of the Benders" in page


def _electrolysis(target_mwh: float) -> pypsa.Network:
    """Gas at ``el`` feeds an electrolyser (efficiency 0.5) whose hydrogen is sold at the
    port under a yearly target: both sized (10 and 2 EUR/MW)."""
    from bakuhub.corridor.hydrogen import MOLECULE_EXPORT

    n = pypsa.Network()
    n.set_snapshots(range(4))
    n.add("Bus", "el")
    n.add("Bus", "h2", carrier="H2")
    n.add("Carrier", ["gas", "H2", "electrolysis", MOLECULE_EXPORT])
    n.add(
        "Generator",
        "gas",
        bus="el",
        carrier="gas",
        p_nom_extendable=True,
        capital_cost=10.0,
        marginal_cost=1.0,
    )
    n.add(
        "Link",
        "electrolyser",
        bus0="el",
        bus1="h2",
        carrier="electrolysis",
        efficiency=0.5,
        p_nom_extendable=True,
        capital_cost=2.0,
    )
    n.add(
        "Generator",
        MOLECULE_EXPORT,
        bus="h2",
        carrier=MOLECULE_EXPORT,
        p_nom=target_mwh,  # at most the year's quantity in one hour: never binding here
        p_max_pu=0.0,
        p_min_pu=-1.0,
    )
    return n


def test_the_check_holds_the_molecule_target_and_reports_its_shortfall() -> None:
    target = 8.0  # MWh of hydrogen over the 4 hours: 2 MWh_H2 an hour, 4 MW_el
    design = _electrolysis(target)
    design.optimize.create_model(include_objective_constant=False)
    p = design.model["Generator-p"].sel(name="molecule export")
    design.model.add_constraints(-p.sum() == target, name="molecule_export_target")
    sized = _solve(design)
    assert design.links.at["electrolyser", "p_nom_opt"] == pytest.approx(4.0)
    assert sized == pytest.approx(10 * 4 + 2 * 4 + 1 * 16)  # gas, electrolyser, fuel
    check = _electrolysis(target)
    done = ry.operate(check, design, TINY, molecule_mwh=target)
    assert done.capex + done.operating == pytest.approx(sized)  # the design delivers it
    assert done.molecule_shortfall_mwh == pytest.approx(0.0, abs=1e-9)

    design.links.loc["electrolyser", "p_nom_opt"] = 2.0  # half the electrolyser
    check = _electrolysis(target)
    done = ry.operate(check, design, TINY, molecule_mwh=target)
    assert done.molecule_shortfall_mwh == pytest.approx(target / 2)  # 1 MWh_H2 an hour
    summary, _ = ry.assess(
        check, design, done, sizing_cost=sized, export_target_twh=None, molecule_target_twh=8e-6
    )
    assert summary["molecule_export_shortfall_twh"] == pytest.approx(4e-6)
    assert summary["far_off"] and "hydrogen or ammonia export falls" in summary["verdict"]


def test_the_check_keeps_clarabels_time_limit_not_its_tolerances() -> None:
    """An interior point's tolerances are not a simplex's: HiGHS at 1e-5 took 105 s for
    the reference check where its own 1e-7 took 42 s."""
    solver = {"name": "clarabel", "options": {"time_limit_s": 600, "feasibility_tolerance": 1e-5}}
    scenario = load_scenario("reference-2030").model_copy(
        update={"solver": SolverOptions.model_validate(solver)}
    )
    checked = ry.check_solver(scenario).solver
    assert checked.name == ry.CHECK_SOLVER
    assert checked.options.model_dump() == {"time_limit_s": 600}
    highs = scenario.model_copy(update={"solver": SolverOptions(name="highs")})
    assert ry.check_solver(highs) is highs  # any other solver as named
