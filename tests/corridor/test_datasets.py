"""The Python API the corridor model builds on."""

from __future__ import annotations

import subprocess
import sys

import pytest

import bakuhub.corridor as corridor
from bakuhub.corridor import load_dataset
from bakuhub.corridor.data.geo import great_circle_km
from bakuhub.errors import InvalidInput


def test_public_api_is_pinned() -> None:
    assert sorted(corridor.__all__) == [
        "CorridorDataset",
        "RepresentativeDays",
        "cable_cost_levels",
        "cluster_days",
        "fidelity",
        "load_dataset",
        "load_profiles",
        "read_agora_availability",
        "read_ninja_csv",
        "read_timeseries_csv",
        "reconstruct",
    ]


def test_import_reads_nothing_and_loads_no_pandas() -> None:
    code = "import sys, bakuhub.corridor; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_costs_keep_upstream_figures() -> None:
    ds = load_dataset(2030)
    assert ds.cost("HVDC submarine", "investment") == 3220.0
    assert ds.cost("HVDC inverter pair", "investment") == 640.0
    assert ds.cost("solar-utility", "investment") == pytest.approx(482.4785)
    assert ds.cost("CCGT", "efficiency") == 0.58
    row = ds.costs[(ds.costs.technology == "onwind") & (ds.costs.parameter == "investment")]
    assert row["unit"].iloc[0] == "EUR/kW"
    assert row["currency_year"].iloc[0] == 2015
    assert "Danish Energy Agency" in row["source"].iloc[0]


def test_cable_cost_switch_changes_only_the_cable() -> None:
    ref, low = load_dataset(2030), load_dataset(2030, cable_cost="low")
    assert low.cost("HVDC submarine", "investment") == 1008.0
    sub = low.costs[low.costs.technology == "HVDC submarine"]
    assert (sub[sub.parameter == "investment"]["upstream_value"] == 3220.0).all()
    assert low.cost("onwind", "investment") == ref.cost("onwind", "investment")
    project = load_dataset(2030, "project").cost("HVDC submarine", "investment")
    assert 1008.0 < project < 3220.0
    black_sea_bn = 1300 * 1155 * 3220.0 / 1e9
    assert black_sea_bn == pytest.approx(4.83, abs=0.01)
    assert load_dataset(2050).cost("HVDC submarine", "investment") == 2680.0


def test_unknown_year_and_level_are_refused_in_one_sentence() -> None:
    with pytest.raises(InvalidInput, match="year 2045 is not in the corridor dataset"):
        load_dataset(2045)
    with pytest.raises(InvalidInput, match="cable cost level 'cheap' is unknown; choose one"):
        load_dataset(2030, cable_cost="cheap")


def test_demand_matches_sources_and_is_held_flat() -> None:
    d30 = load_dataset(2030).demand.set_index("node")
    assert d30.loc["KZ_NR", "energy_twh"] + d30.loc["KZ_SO", "energy_twh"] + d30.loc[
        "KZ_WS", "energy_twh"
    ] == pytest.approx(147.1, abs=0.05)
    assert d30.loc["UZ_NAV", "energy_twh"] == pytest.approx(116.7)
    assert d30.loc["GE_GAR", "energy_twh"] == 22.0
    d50 = load_dataset(2050).demand.set_index("node")
    assert d50.loc["KG", "basis_year"] == 2035
    assert d50.loc["KG", "energy_twh"] == pytest.approx(39.4)


def test_demand_mw_integrates_to_annual_energy() -> None:
    ds = load_dataset(2030)
    mw = ds.demand_mw()
    weights = ds.profiles.weights
    days = mw.index.get_level_values("day")
    energy_twh = mw.mul(weights.loc[days].to_numpy(), axis=0).sum() / 1e6
    expected = ds.demand.set_index("node")["energy_twh"]
    assert energy_twh.sort_index().to_numpy() == pytest.approx(
        expected.sort_index().to_numpy(), rel=1e-3
    )


def test_fleet_matches_agora_totals_and_retires() -> None:
    fleet = load_dataset(2030).fleet
    kz = fleet[fleet.node.str.startswith("KZ")]
    assert kz[kz.technology == "coal"].p_nom_mw.sum() == pytest.approx(13634.0)
    assert kz[kz.technology.isin(["CCGT", "OCGT"])].p_nom_mw.sum() == pytest.approx(6635.0)
    assert kz[kz.technology == "coal"].p_nom_year_mw.sum() < 3000.0
    uz = fleet[fleet.node == "UZ_NAV"].groupby("technology")["p_nom_mw"].sum()
    assert uz["CCGT"] + uz["OCGT"] == pytest.approx(12042.0)
    assert uz["hydro"] + uz["ror"] == pytest.approx(2200.0)
    ro = fleet[fleet.node == "RO_CON"].set_index("technology")
    assert ro.loc["onwind", "p_nom_mw"] == 3015.0
    assert ro.loc["nuclear", "p_nom_mw"] == 1413.0
    az = fleet[fleet.node == "AZ_SUM"].groupby("technology")["p_nom_mw"].sum()
    assert az["gas thermal"] == 7903.0
    assert (fleet["source"].str.len() > 10).all()


def test_links_and_distances_follow_the_facts() -> None:
    links = load_dataset(2030).links.set_index("link")
    assert links.loc["BLACKSEA", "length_km"] == 1155.0
    assert links.loc["CASPIAN", "great_circle_km"] == pytest.approx(363.0, rel=0.01)
    assert links.loc["CASPIAN", "technology"] == "HVDC submarine"
    assert links.loc["KZ_NR-KZ_SO", "p_nom_mw"] == 2100.0
    assert great_circle_km(43.661, 51.174, 40.378, 49.892) == pytest.approx(380.0, rel=0.01)
    assert great_circle_km(42.459, 59.606, 43.661, 51.174) == pytest.approx(698.0, rel=0.01)


def test_modelled_series_are_labelled() -> None:
    series = load_dataset(2030).profile_series.set_index("series")
    for node in ("AZ_SUM", "GE_GAR", "GE_ANA", "RO_CON"):
        for carrier in ("solar", "onwind"):
            assert series.loc[f"{node}|{carrier}", "kind"] == "modelled"
            assert series.loc[f"{node}|{carrier}", "source"].startswith("modelled:")
    assert series.loc["KZ_NR|onwind", "kind"] == "upstream"
    assert series.loc["UZ_NUK|onwind", "kind"] == "borrowed"
