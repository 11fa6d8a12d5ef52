"""The corridor pathway (pathway_study.py): demand after 2035 grows as stated, each
year's targets reach its model, capacity built in 2030 still stands in 2035, the path's
sums follow from the years, and the report and the study page show it. On five nodes of
the shipped reference at a very coarse resolution."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bakuhub.config import Settings
from bakuhub.corridor import results as r
from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.network import build_network
from bakuhub.corridor.pathway_study import (
    PathwayResult,
    pathway_result,
    run_pathway,
    year_scenario,
)
from bakuhub.corridor.report import render_report
from bakuhub.corridor.report_pathway import pathway_section
from bakuhub.corridor.run_study import Study, run_study, write_outputs
from bakuhub.corridor.scenario import Scenario, load_scenario, parse_scenario
from bakuhub.corridor.temporal import build_temporal
from bakuhub.errors import InvalidInput
from bakuhub.jobs.kinds import CORRIDOR_STUDY, expected_lines

RESOLUTION = "repdays/2"
"""The shipped 84 days in 2 segments each: 168 snapshots, storage across days on, and
no clustering to wait for."""
NODES = ["KZ_WS", "AZ_SUM", "GE_GAR", "GE_ANA", "RO_CON"]
TARGETS = {2030: {"AZ": 0.3}, 2035: {"KZ": 0.2}}
Solved = tuple[Study, list[str], dict[str, Any]]


def _scenario(**pathway: Any) -> Scenario:
    data = load_scenario("reference-2030").model_dump(mode="json")
    data.update(nodes=NODES, resolution=RESOLUTION, real_year_check=False, pathway=pathway)
    return parse_scenario(data)


@pytest.fixture(scope="session")  # not module: pytest runs the page test per database
def solved() -> Solved:
    scenario = _scenario(years=[2030, 2035], renewable_targets=TARGETS)
    lines: list[str] = []
    study = run_study(scenario, counterfactual=False, progress=lines.append)
    return study, lines, {"scenario": scenario.model_dump(mode="json"), "counterfactual": False}


def _loads_twh(scenario: Scenario) -> dict[str, float]:
    data = load_dataset(scenario.year, scenario.costs.cable_cost)
    n = build_network(scenario, data, build_temporal(data.profiles, RESOLUTION))
    w = n.snapshot_weightings.generators
    return {str(k): float(v) for k, v in (n.loads_t.p_set.mul(w, axis=0).sum() / 1e6).items()}


def test_demand_grows_after_2035_exactly_as_stated() -> None:
    """The dataset holds the 2035 figures flat after 2035; at 2 % a year, 2050's demand
    is 1.02^15 = 1.3459 times 2035's at every node, 2040's 1.02^5 = 1.1041 times; 2030
    and 2035 are the published figures, whatever the growth."""
    scenario = _scenario(years=[2030, 2050], demand_growth_after_2035_pct=2.0)
    flat = _scenario(years=[2030, 2050], demand_growth_after_2035_pct=0.0)
    base = _loads_twh(year_scenario(flat, 2035))
    assert _loads_twh(year_scenario(scenario, 2035)) == pytest.approx(base, rel=1e-12)
    assert _loads_twh(year_scenario(flat, 2050)) == pytest.approx(base, rel=1e-12)
    grown = _loads_twh(year_scenario(scenario, 2050))
    assert {k: v / base[k] for k, v in grown.items()} == pytest.approx(
        dict.fromkeys(base, 1.3458683383), rel=1e-9
    )
    assert year_scenario(scenario, 2040).demand_scale == pytest.approx(1.1040808032)
    assert year_scenario(scenario, 2030).demand_scale == 1.0


def test_each_year_gets_its_targets_and_a_year_without_one_keeps_the_last(
    solved: Solved,
) -> None:
    """2030 asks AZ 30 %; 2035 adds KZ 20 % and keeps AZ's 30 %: both are constraints of
    the 2035 model, each ``renewable >= share x demand`` of its country."""
    study, _lines, _inputs = solved
    by_year = {row["year"]: row for row in study.summary["pathway"]["by_year"]}
    assert by_year[2030]["renewable_targets"] == {"AZ": 0.3}
    assert by_year[2035]["renewable_targets"] == {"AZ": 0.3, "KZ": 0.2}
    for year, targets in ((2030, {"AZ": 0.3}), (2035, {"AZ": 0.3, "KZ": 0.2})):
        for country, share in targets.items():
            assert by_year[year]["renewable_share_of_demand"][country] >= share - 1e-6


def test_official_targets_by_default_and_the_latest_earlier_one_after() -> None:
    options = _scenario(years=[2030, 2040]).pathway
    assert options.targets_in(2030) == {"KZ": 0.15, "UZ": 0.40, "AZ": 0.30}
    assert options.targets_in(2040) == {"KZ": 0.15, "UZ": 0.40, "AZ": 0.30}
    assert options.targets_in(2050) == {"KZ": 0.50, "UZ": 0.40, "AZ": 0.30}


def test_capacity_built_in_2030_still_stands_in_2035(solved: Solved) -> None:
    """Every cable built in 2030 is in the 2035 model as ``NAME 2030`` at the same MW,
    and the pathway's cable table records it under 2030."""
    study, _lines, _inputs = solved
    found = study.summary["pathway"]
    cables = found["cables"]
    assert cables, "the 2030 step builds cables at this resolution"
    caspian_2030 = cables["CASPIAN"]["2030"]
    assert caspian_2030 > 100
    first, later = (step.network for step in study.pathway.steps)
    for cable in cables:
        part = f"{cable} fwd" if f"{cable} fwd" in first.links.index else f"{cable} expansion"
        mw = float(first.links.at[part, "p_nom_opt"])
        assert float(later.links.at[f"{part} 2030", "p_nom"]) == pytest.approx(mw)
        assert not later.links.at[f"{part} 2030", "p_nom_extendable"]
    assert float(later.links_t.p0["CASPIAN fwd 2030"].abs().max()) > 0  # and it is used
    stores = [s for s in later.stores.index if s.endswith(" 2030")]
    for store in stores:  # batteries carried, pinned at their 2030 size
        size = float(first.stores.at[store.removesuffix(" 2030"), "e_nom_opt"])
        assert float(later.stores.at[store, "e_nom_opt"]) == pytest.approx(size, rel=1e-6, abs=1e-3)
    built_2030 = [row for row in found["built"] if row["year"] == 2030]
    assert {row["technology"] for row in built_2030} >= {"onwind"}


def test_the_path_sums_follow_from_the_years(solved: Solved) -> None:
    """Cumulative investment and CO2 are running sums (CO2: each year's emissions times
    the 5 years it stands for, 2035 repeating 2030's gap); the discounted total is
    ``sum_y W_y cost_y`` with W_2030 = sum_{k=0}^{4} 1.07^-k and W_2035 = sum_{k=5}^{9}."""
    study, _lines, _inputs = solved
    found = study.summary["pathway"]
    first, second = found["by_year"]
    assert second["cumulative_investment_eur"] == pytest.approx(
        first["investment_eur"] + second["investment_eur"]
    )
    assert second["cumulative_co2_mt"] == pytest.approx(5 * first["co2_mt"] + 5 * second["co2_mt"])
    w30 = sum(1.07**-k for k in range(5))
    w35 = sum(1.07**-k for k in range(5, 10))
    expected = w30 * first["system_cost_eur_a"] + w35 * second["system_cost_eur_a"]
    assert found["discounted_cost_eur"] == pytest.approx(expected)
    assert first["export_twh"] == pytest.approx(8.0, rel=1e-6)
    assert second["demand_twh"] > first["demand_twh"]
    for year, step in zip((first, second), study.pathway.steps, strict=True):
        # the single year's economics for each year, from that year's network
        n = step.network
        assert year["gateway_price_eur_mwh"] == pytest.approx(
            r.export_summary(n)["gateway_price_eur_mwh"]
        )
        assert year["gateway_price_eur_mwh"] > 0
        assert year["unserved_twh"] >= 0 and year["curtailment_twh"] >= 0
        generated = sum(year["generation_twh"].values())
        # generation covers demand, export and losses: more than demand plus export
        assert generated > year["demand_twh"] + year["export_twh"]


BINDING = {2030: {"AZ": 0.3}, 2035: {"KZ": 0.6}}
"""Kazakhstan's 60 % in 2035 binds (its share is about 45 % without it)."""
CAP_MT = 3.2
"""A CO2 cap that binds in 2030 only (about 3.5 Mt/a without it in 2030, 2.8 in 2035)."""


PROGRESS: dict[str, list[str]] = {}
"""The progress lines of each mode's run (:func:`both_modes`)."""


@pytest.fixture(scope="module")
def both_modes() -> dict[str, PathwayResult]:
    """The same two-year scenario, with a binding 2035 target and CO2 cap, in both modes."""
    found = {}
    for mode in ("myopic", "perfect-foresight"):
        said = PROGRESS.setdefault(mode, [])
        scenario = _scenario(years=[2030, 2035], renewable_targets=BINDING, mode=mode)
        scenario = scenario.model_copy(
            update={"co2": scenario.co2.model_copy(update={"cap_mt": CAP_MT})}
        )
        found[mode] = pathway_result(run_pathway(scenario, progress=said.append))
    return found


def test_perfect_foresight_is_the_bound_myopic_cannot_beat(
    both_modes: dict[str, PathwayResult],
) -> None:
    """Perfect foresight solves the corridor's two years as one LP: its discounted cost
    is that LP's objective (each year's cost read back, ``sum_y W_y cost_y``), and lower
    than myopic's here, where 2030's build does not know 2035's Kazakh target."""
    myopic, foresight = both_modes["myopic"], both_modes["perfect-foresight"]
    assert foresight.mode == "perfect-foresight" and myopic.mode == "myopic"
    (lp,) = foresight.model.values()
    assert foresight.discounted_cost_eur == pytest.approx(lp["objective_eur"], rel=1e-6)
    assert foresight.discounted_cost_eur <= myopic.discounted_cost_eur * (1 + 1e-7)
    assert myopic.discounted_cost_eur - foresight.discounted_cost_eur > 1e6  # EUR
    assert foresight.cables["CASPIAN"]["2030"] > 100  # the cable timing, as myopic's


def test_each_years_constraints_hold_in_its_own_period_only(
    both_modes: dict[str, PathwayResult],
) -> None:
    """Kazakhstan's 60 % is 2035's target, not 2030's; the 8 TWh export target and the
    3.2 Mt CO2 cap hold in each year (the cap binds in 2030, so it is a yearly cap,
    not one over the path or one of 5 years)."""
    by_year = {row["year"]: row for row in both_modes["perfect-foresight"].by_year}
    assert by_year[2035]["renewable_share_of_demand"]["KZ"] >= 0.6 - 1e-6
    assert by_year[2030]["renewable_share_of_demand"]["KZ"] < 0.55
    assert by_year[2030]["renewable_share_of_demand"]["AZ"] >= 0.3 - 1e-6
    for year in (2030, 2035):
        assert by_year[year]["export_twh"] == pytest.approx(8.0, rel=1e-6)
        assert by_year[year]["co2_mt"] <= CAP_MT * (1 + 1e-6)
    assert by_year[2030]["co2_mt"] == pytest.approx(CAP_MT, rel=1e-4)


def test_a_perfect_foresight_pathway_is_labelled_so(
    both_modes: dict[str, PathwayResult],
) -> None:
    summary = {"pathway": both_modes["perfect-foresight"].as_dict()}
    assert summary["pathway"]["mode"] == "perfect-foresight"
    page = pathway_section(summary)
    assert "solved all years at once (perfect foresight)" in page
    assert "a bound the year-by-year (myopic) decisions cannot beat" in page
    myopic = pathway_section({"pathway": both_modes["myopic"].as_dict()})
    assert "year after year (myopic)" in myopic and "perfect foresight" not in myopic
    for mode, lines in PROGRESS.items():  # a job's progress counts them right
        asked = {"pathway": {"years": [2030, 2035], "mode": mode}, "real_year_check": False}
        alone = {"real_year_check": False}  # the same study without the pathway
        counted = expected_lines(CORRIDOR_STUDY, {"scenario": asked})
        assert len(lines) == counted - expected_lines(CORRIDOR_STUDY, {"scenario": alone}), lines


def test_bad_years_are_refused_in_a_sentence() -> None:
    with pytest.raises(InvalidInput, match="increasing order"):
        _scenario(years=[2035, 2030])
    with pytest.raises(InvalidInput, match=r"pathway\.years"):
        _scenario(years=[2030, 2045])


def test_no_pathway_leaves_the_digest_as_before() -> None:
    scenario = load_scenario("reference-2030")
    assert "pathway" not in scenario.model_dump()
    assert "pathway" in load_scenario("pathway-2050").model_dump()


def test_the_report_the_page_and_the_progress_show_it(
    solved: Solved, client: TestClient, settings: Settings
) -> None:
    study, lines, inputs = solved
    page = render_report(study.solved, study.summary, {})
    assert "The pathway year by year" in page
    assert "When each cable is built (MW added in the year)" in page
    assert "Capacity built in each year of the pathway" in page  # the chart
    write_outputs(study, settings.data_dir / "studies" / "pathway")
    shown = client.get("/corridor/studies/pathway")
    assert shown.status_code == 200
    assert "The pathway year by year" in shown.text
    assert "CASPIAN" in shown.text
    assert len(lines) + 1 == expected_lines(CORRIDOR_STUDY, inputs)


def _parts(n: Any, cable: str) -> list[str]:
    return [x for x in n.links.index if str(x).startswith(f"{cable} ")]


def test_each_year_reports_its_cables_in_service_with_the_copies_it_carries(
    solved: Solved,
) -> None:
    """In 2035 the Caspian cable is its 2030 part (``CASPIAN fwd 2030``) and what 2035
    adds: its capacity, energy and rent are those of all its parts, the rent at the
    year's nodal prices (``results.link_rents``, what ``benefits.py`` counts)."""
    study, _lines, _inputs = solved
    found = study.summary["pathway"]
    first, later = (step.network for step in study.pathway.steps)
    in_2035 = found["by_year"][1]["cables"]["CASPIAN"]
    built = found["cables"]["CASPIAN"]
    assert sorted(_parts(later, "CASPIAN")) == [
        "CASPIAN bwd", "CASPIAN bwd 2030", "CASPIAN fwd", "CASPIAN fwd 2030"
    ]  # fmt: skip
    expected = float(first.links.at["CASPIAN fwd", "p_nom_opt"])
    expected += float(later.links.at["CASPIAN fwd", "p_nom_opt"])
    assert in_2035["capacity_mw"] == pytest.approx(expected)
    assert in_2035["capacity_mw"] == pytest.approx(sum(built.values()), rel=1e-6)
    assert r.cables(later).set_index("link").at["CASPIAN", "capacity_mw"] == pytest.approx(expected)
    w = later.snapshot_weightings.generators
    sent = later.links_t.p0[_parts(later, "CASPIAN")].mul(w, axis=0).sum().sum() / 1e6
    assert in_2035["energy_twh"] == pytest.approx(sent)
    assert in_2035["energy_twh"] > 1.0  # the 2030 part carries power in 2035
    rents = r.link_rents(later)
    assert in_2035["congestion_rent_eur_a"] == pytest.approx(rents[_parts(later, "CASPIAN")].sum())
    assert in_2035["congestion_rent_eur_a"] > 0 and in_2035["price_spread_eur_mwh"] > 0
    assert found["by_year"][0]["cables"]["CASPIAN"]["capacity_mw"] == pytest.approx(
        float(first.links.at["CASPIAN fwd", "p_nom_opt"])
    )


@pytest.fixture(scope="session")
def checked(solved: Solved) -> tuple[Any, list[Any], list[str]]:
    """The real-year check of 2035 (one 8,760-hour LP, about 40 s) with the capacity
    built in 2030 cut, batteries aside (a pinned battery is part of the design): the
    checks, the carried batteries and the progress lines."""
    from dataclasses import replace

    from bakuhub.corridor.pathway_years import check_years

    study, _lines, _inputs = solved
    later = study.pathway.steps[1]
    stores = [a for a in later.carried if a.cls == "Store"]
    lines: list[str] = []
    cut = replace(later, carried=stores)
    return check_years([cut], study.pathway.scenarios, progress=lines.append), stores, lines


def test_a_year_checked_on_the_full_year_carries_its_earlier_capacity(
    solved: Solved, checked: tuple[Any, list[Any], list[str]]
) -> None:
    """On 2035's demand, the year's design without the capacity built in 2030 cannot
    take power to the gateway (the Black Sea cable was built in 2030): the whole 8 TWh
    export falls short and the check says so; what the year carries is counted at its
    capital cost, against the year's pathway cost."""
    study, _lines, _inputs = solved
    checks, stores, lines = checked
    check = checks[2035].summary
    assert lines[0] == "pathway 2035: the year's design through the full year"
    assert len(lines) == 5  # the year, start, model size, result, and far off
    assert "Far off" in lines[4] and "refine_solves" not in lines[4]  # no refining a year
    by_year = {row["year"]: row for row in study.summary["pathway"]["by_year"]}
    assert check["hours"] == 8760
    assert check["demand_twh"] == pytest.approx(by_year[2035]["demand_twh"], rel=1e-9)
    assert abs(by_year[2035]["demand_twh"] / by_year[2030]["demand_twh"] - 1) > 5e-3
    assert check["sizing_cost_eur_a"] == pytest.approx(by_year[2035]["system_cost_eur_a"])
    n = study.pathway.steps[1].network
    capex = sum(a.capacity * float(a.attrs["capital_cost"]) for a in stores)
    for frame, attr in ((n.generators, "p_nom"), (n.links, "p_nom"), (n.stores, "e_nom")):
        own = frame[frame[f"{attr}_extendable"]]  # pinned batteries: no capital cost
        capex += float((own.capital_cost * own[f"{attr}_opt"]).sum())
    assert check["capital_cost_eur_a"] == pytest.approx(capex, rel=1e-6)
    assert check["export_shortfall_twh"] == pytest.approx(8.0, rel=1e-4)
    assert check["far_off"] and "export falls 8.00 TWh short" in check["verdict"]
    assert check["cables"]["BLACKSEA"]["capacity_mw"] == pytest.approx(0.0, abs=1e-3)


def test_the_report_the_tables_and_the_page_show_each_years_check(
    solved: Solved,
    checked: tuple[Any, list[Any], list[str]],
    client: TestClient,
    settings: Settings,
) -> None:
    from dataclasses import replace

    from bakuhub.corridor.pathway_study import _built, pathway_result
    from bakuhub.corridor.pathway_years import pathway_tables

    study, _lines, _inputs = solved
    checks, _stores, _said = checked
    run = replace(study.pathway, checks=checks)
    found = pathway_result(run).as_dict()
    summary = {**study.summary, "pathway": found}
    page = render_report(study.solved, summary, {})
    assert "Real-year check of each pathway year" in page
    assert "export falls 8.00 TWh short of the 8.00 TWh target" in page
    assert "The cables year by year (built that year and before)" in page
    tables = pathway_tables(found)
    (row,) = tables["pathway_real_year"].to_dict("records")
    assert row["year"] == 2035 and row["export_shortfall_twh"] == pytest.approx(8.0, rel=1e-4)
    assert set(tables["pathway_cables"].year) == {2030, 2035}
    caspian = found["cable_economics"]["CASPIAN"]  # over the path (by hand: test_pathway.py)
    overnight = sum(
        row["investment_eur"] for row in _built(run) if row["cable"] == "CASPIAN"
    )  # fmt: skip
    assert caspian["investment_eur"] == pytest.approx(overnight) and overnight > 0
    assert tables["pathway_cable_economics"].set_index("cable").at["CASPIAN", "npv_eur"] == (
        pytest.approx(caspian["npv_eur"])
    )
    assert "Each cable over the path: investment, NPV and IRR" in page
    folder = settings.data_dir / "studies" / "pathway-checked"
    write_outputs(Study(study.solved, None, summary, None, run), folder)
    assert (folder / "tables" / "pathway_real_year.csv").is_file()
    shown = client.get("/corridor/studies/pathway-checked")
    assert shown.status_code == 200
    assert "Real-year check of each pathway year" in shown.text
    assert "Capacity built in each year of the pathway" in shown.text  # the chart
