"""The figures the corridor report writes out: each new figure against a hand computation
on a network small enough to solve by hand, and the report of a tiny study on the
shipped data (two solves of a few seconds) read as an analyst reads it."""

from __future__ import annotations

import html
import logging
import math
import re
from pathlib import Path

import pypsa
import pytest

from bakuhub.corridor import results as r
from bakuhub.corridor.constraints import (
    define_battery_power_balance,
    define_shared_link_capacity,
)
from bakuhub.corridor.report_map import network_map
from bakuhub.corridor.report_tables import fmt, pct
from bakuhub.corridor.run_study import Study, run_study, write_outputs
from bakuhub.corridor.scenario import parse_scenario
from bakuhub.testing.networks import pv_battery, two_buses

TINY = {
    "name": "tiny",
    "year": 2030,
    "nodes": ["KZ_WS", "AZ_SUM", "GE_GAR", "GE_ANA", "RO_CON"],
    "resolution": "segments:12",
    "renewable_targets": {"AZ": 0.3},
    "europe": {"mode": "target", "export_twh": 2.0, "gateway": "RO_CON"},
    "co2": {"price_eur_t": 80.0},
}
"""The corridor from the Caspian to the EU gateway, 12 snapshots: solves in about a second."""


def _solve(n: pypsa.Network, *families: object) -> None:
    logging.getLogger("linopy").setLevel(logging.ERROR)
    n.optimize.create_model(include_objective_constant=False)
    for family in families:
        family(n)  # type: ignore[operator]
    status = n.optimize.solve_model(solver_name="highs", io_api="direct", output_flag=False)
    assert status == ("ok", "optimal")


# --- figures against hand computations ------------------------------------------------


def test_lcoe_counts_generators_and_batteries_over_generation() -> None:
    """PV 3 MW (1 EUR/MW) + store 2 MWh (0.1 EUR/MWh) + inverter 2 MW (0.5 EUR/MW) =
    4.2 EUR for the 3 MWh the PV generates (the battery shifts 2 MWh, adds none):
    1.4 EUR/MWh."""
    n = pv_battery()
    _solve(n, define_battery_power_balance)
    row = r.lcoe(n).set_index("node").loc["b"]
    assert row.capital_eur == pytest.approx(3.0, abs=1e-6)
    assert row.storage_eur == pytest.approx(0.2 + 1.0, abs=1e-6)
    assert row.energy_mwh == pytest.approx(3.0, abs=1e-6)
    assert row.lcoe_eur_mwh == pytest.approx(4.2 / 3.0, abs=1e-6)


def test_lcoe_of_a_node_without_generation_is_not_made_of_noise() -> None:
    n = pv_battery()
    _solve(n, define_battery_power_balance)
    n.generators_t.p.loc[:, "pv"] = 1e-9  # what an interior point leaves on an unbuilt plant
    assert math.isnan(r.lcoe(n).set_index("node").at["b", "lcoe_eur_mwh"])


def test_cable_utilisation_full_load_hours_and_hours_at_the_limit() -> None:
    """Hour 0 sends 1/0.9 MW a -> b, hour 1 sends 2/0.9 MW b -> a, on one shared size of
    2/0.9 MW: full-load hours (1/0.9 + 2/0.9) / (2/0.9) = 1.5 h of the 2 h modelled,
    utilisation 0.75, at the limit in one hour of two."""
    n = two_buses()
    n.links["carrier"] = "HVDC"
    _solve(n, define_shared_link_capacity)
    row = r.cables(n).set_index("link").loc["c"]
    assert row.capacity_mw == pytest.approx(2 / 0.9, abs=1e-6)
    assert row.full_load_hours == pytest.approx(1.5, abs=1e-6)
    assert row.utilisation == pytest.approx(0.75, abs=1e-6)
    assert row.share_hours_at_limit == pytest.approx(0.5)
    assert row.forward_twh == pytest.approx(1 / 0.9 / 1e6, abs=1e-12)
    assert row.backward_twh == pytest.approx(2 / 0.9 / 1e6, abs=1e-12)


def _two_countries() -> pypsa.Network:
    """Country AA: 10 MW solar (sun in hour 0 only) and 10 MW gas (50 EUR/MWh), demand
    4 MW; country BB: demand 2 MW, fed from AA by a lossless 10 MW line. Hour 0: solar
    serves 6 MW; hour 1: gas serves 6 MW."""
    n = pypsa.Network()
    n.set_snapshots(range(2))
    n.add("Carrier", ["solar", "gas", "AC"])
    n.add("Bus", "a", country="AA")
    n.add("Bus", "b", country="BB")
    n.add("Load", "load a", bus="a", p_set=4.0)
    n.add("Load", "load b", bus="b", p_set=2.0)
    n.add("Generator", "sun", bus="a", carrier="solar", p_nom=10, p_max_pu=[1.0, 0.0])
    n.add("Generator", "gas", bus="a", carrier="gas", p_nom=10, marginal_cost=50)
    n.add("Link", "line", bus0="a", bus1="b", p_nom=10, carrier="AC")
    return n


def test_renewable_share_of_generation_and_of_demand_by_country() -> None:
    """AA generates 6 MWh solar + 6 MWh gas (share of generation 0.5) for a demand of
    8 MWh (share of demand 6/8 = 0.75); BB generates nothing for a demand of 4 MWh."""
    n = _two_countries()
    _solve(n)
    table = r.renewables(n).set_index("country")
    aa, bb = table.loc["AA"], table.loc["BB"]
    assert aa.generation_twh == pytest.approx(12e-6) and aa.renewable_twh == pytest.approx(6e-6)
    assert aa.share_of_generation == pytest.approx(0.5)
    assert aa.share_of_demand == pytest.approx(0.75)
    assert bb.demand_twh == pytest.approx(4e-6) and bb.share_of_demand == 0
    assert math.isnan(bb.share_of_generation)
    assert r.renewable_shares(n) == pytest.approx({"AA": 0.5})  # the summary's old key


@pytest.mark.parametrize(
    ("value", "digits", "scale", "shown"),
    [
        (-7.99e-15, 2, 1.0, "0.00"),
        (-0.4466, 0, 1e6, "0"),
        (1234567.891, 0, 1.0, "1,234,568"),
        (float("nan"), 1, 1.0, "n/a"),
        (None, 1, 1.0, "n/a"),
        (1.181271e9, 3, 1e9, "1.181"),
    ],
)
def test_figures_are_rounded_without_float_noise(
    value: float | None, digits: int, scale: float, shown: str
) -> None:
    assert fmt(value, digits, scale) == shown


# --- the report of a tiny study --------------------------------------------------------


@pytest.fixture(scope="module")
def study() -> Study:
    return run_study(parse_scenario(TINY), real_year_check=False)


@pytest.fixture(scope="module")
def page(study: Study, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("tiny")
    write_outputs(study, out)
    return (out / "report.html").read_text(encoding="utf-8")


def _table(page: str, caption: str) -> dict[str, list[str]]:
    """The rows of the table with this caption, by their first cell (text, unescaped)."""
    start = page.index(f"<caption>{html.escape(caption)}</caption>")
    body = page[start : page.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], flags=re.S)
    cells = [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row)] for row in rows]
    return {row[0]: row[1:] for row in cells}


def _number(text: str) -> float:
    return float(text.replace(",", "").removesuffix("%"))


def test_cables_table_shows_size_use_and_economics(study: Study, page: str) -> None:
    rows = _table(page, "Links between nodes: size, use, flows and economics")
    cable = study.summary["cables"]["BLACKSEA"]
    economics = study.summary["cable_economics"]["BLACKSEA"]
    shown = rows["BLACKSEA"]
    assert shown[1] == fmt(cable["capacity_mw"], 0)
    assert _number(shown[2]) == pytest.approx(cable["full_load_hours"] / 8760 * 100, abs=0.05)
    assert shown[9] == fmt(economics["npv_eur"], 0, 1e6) and shown[10] == pct(economics["irr"])
    assert "r = 7.0%" in page and "H = 40 years" in page  # the NPV's basis is stated
    assert "HVDC submarine 1,777 EUR/MW/km (cable-cost level 'project'" in html.unescape(page)


def test_nodes_and_countries_tables_match_the_summary(study: Study, page: str) -> None:
    lcoe = _table(page, "Levelised cost of the electricity generated at each node")
    exact = r.lcoe(study.solved.network).set_index("node").lcoe_eur_mwh["KZ_WS"]
    assert lcoe["KZ_WS"][0] == fmt(exact, 1)
    assert study.summary["lcoe_eur_mwh"]["KZ_WS"] == pytest.approx(exact, abs=0.005)
    assert "GE_ANA" not in lcoe  # it generates nothing: no LCOE made of noise
    countries = _table(page, "Renewable energy by country")
    share = study.summary["renewable_share_of_demand"]["AZ"]
    assert countries["AZ"][4] == pct(share) and countries["AZ"][5] == "30.0%"
    assert share >= 0.30 - 1e-6  # the target holds, as the table says


def test_counterfactual_table_gives_values_and_differences(study: Study, page: str) -> None:
    rows = _table(page, "The same scenario without the Caspian cable")
    ours, theirs = study.summary, study.summary["counterfactual"]
    cost = rows["System cost"]
    assert cost[0] == fmt(ours["total_system_cost_eur_a"], 3, 1e9)
    assert cost[1] == fmt(theirs["total_system_cost_eur_a"], 3, 1e9)
    expected = (ours["total_system_cost_eur_a"] - theirs["total_system_cost_eur_a"]) / 1e9
    assert _number(cost[2]) == pytest.approx(expected, abs=0.0006)
    co2 = rows["CO2 emitted"]
    assert _number(co2[2]) == pytest.approx(-study.summary["co2_avoided_mt"], abs=0.006)
    assert "Unserved energy" not in page  # none in this study: no row, no section


def test_export_section_says_what_the_gateway_cost_includes(study: Study, page: str) -> None:
    rows = _table(page, "Export at RO_CON")
    assert rows["Delivered at the EU gateway"][0] == "2.00"
    assert rows["Average cost of the delivered power at the gateway"][0] == fmt(
        study.summary["gateway_price_eur_mwh"], 1
    )
    assert "includes fuel, the CO2 price, the capital" in page


def test_no_float_noise_in_any_table(page: str) -> None:
    cells = [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", page)]
    assert cells
    assert not [c for c in cells if re.fullmatch(r"-0(\.0+)?%?", c)]
    assert not [c for c in cells if re.search(r"\d[eE][-+]?\d", c)]


def test_report_fetches_nothing(page: str) -> None:
    from plotly.offline import get_plotlyjs

    assert get_plotlyjs() in page  # plotly.js embedded once ...
    own = page.replace(get_plotlyjs(), "")  # ... and the rest names no remote address
    assert not re.findall(r"https?://|//cdn|\bsrc=|\bhref=", own)


def test_map_draws_the_real_coastlines_offline(study: Study) -> None:
    n = study.solved.network
    fig = network_map(n, r.cables(n))
    assert {trace.type for trace in fig.data} == {"scatter"}  # no geo base map to fetch
    coast = next(t for t in fig.data if t.name == "coastlines and borders")
    points = [(x, y) for x, y in zip(coast.x, coast.y, strict=True) if x is not None]
    assert len(points) > 200
    # the Caspian's western shore runs by Baku (49.9 E, 40.4 N): outline points within
    # half a degree of it, as the shipped Natural Earth outlines have
    assert any(abs(x - 49.9) < 0.5 and abs(y - 40.4) < 0.5 for x, y in points)
    x0, x1 = fig.layout.xaxis.range
    assert x0 < n.buses.x.min() and x1 > n.buses.x.max()


def test_unserved_energy_is_reported_where_some_is_forced(tmp_path: Path) -> None:
    scenario = parse_scenario(
        {
            "name": "short",
            "year": 2030,
            "nodes": ["GE_GAR"],
            "build": {},
            "demand_scale": 2.0,
            "europe": {"mode": "none"},
            "resolution": "segments:12",
        }
    )
    short = run_study(scenario, counterfactual=False, real_year_check=False)
    write_outputs(short, tmp_path)
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    lost = short.summary["unserved_twh"]
    assert lost > 1  # twice Georgia's demand on today's fleet, nothing may be built
    rows = _table(text, "Demand unmet")
    assert _number(rows["GE_GAR"][0]) == pytest.approx(lost, rel=0.01)
    demand = float(r.renewables(short.solved.network).demand_twh.sum())
    assert _number(rows["GE_GAR"][1]) == pytest.approx(lost / demand * 100, abs=0.001)


def _against(avoided_mt: float, cost_eur_a: float) -> str:
    from bakuhub.corridor.report_summary import counterfactual_section

    cf = {"scenario": "no-caspian", "total_system_cost_eur_a": 14.189e9, "co2_emitted_mt": 38.65}
    cf |= {"export_twh": 30.0, "gateway_price_eur_mwh": 60.0}
    summary = {"total_system_cost_eur_a": cost_eur_a, "co2_emitted_mt": 38.65 - avoided_mt}
    summary |= {"export_twh": 30.0, "gateway_price_eur_mwh": 60.0, "co2_avoided_mt": avoided_mt}
    return html.unescape(counterfactual_section(summary | {"counterfactual": cf}))


def test_a_cable_that_adds_co2_is_said_in_words() -> None:
    """The real year's reference study, its costs to 0.001 bn EUR/a: the cable saves 92 M
    EUR/a and adds 0.75 Mt/a."""
    page = _against(-0.75, 14.097e9)
    assert "the Caspian cable adds 0.75 Mt/a of CO2 instead of avoiding it" in page
    assert "saves 92 M EUR/a" in page
    assert "costs 8 M EUR/a more" in _against(-0.75, 14.197e9)
    assert "adds" not in _against(0.75, 14.097e9)  # it avoids CO2: nothing to explain
    assert "adds" not in _against(-0.001, 14.097e9)  # rounds to 0.00 in the table
