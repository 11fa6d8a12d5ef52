"""The corridor model on the shipped data, at a coarse resolution so the suite stays fast."""

from __future__ import annotations

import json
from pathlib import Path

import pypsa
import pytest
from fastapi.testclient import TestClient

from bakuhub.config import Settings
from bakuhub.corridor import results as r
from bakuhub.corridor.run_study import Study, run_study, write_outputs
from bakuhub.corridor.scenario import load_scenario, parse_scenario
from bakuhub.corridor.solve import SolveError, solve_scenario
from bakuhub.web.app import REPORT_CSP

COARSE = "repdays:1/4"
"""The default's kind (representative days cut into segments), small enough to be fast."""


@pytest.fixture(scope="session")  # not module: pytest runs the API test per database
def study() -> Study:
    # the real-year check has tests of its own (test_real_year.py)
    return run_study(load_scenario("reference-2030"), resolution=COARSE, real_year_check=False)


@pytest.fixture(scope="module")
def outputs(study: Study, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("study")
    write_outputs(study, out, language="en", also=["fr", "ar", "en", "xx"])
    return out


def test_energy_balance_of_every_node_closes(study: Study) -> None:
    n = study.solved.network
    residual = r.balance_residual(n)
    assert set(residual.index) >= {"KZ_WS", "AZ_SUM", "RO_CON"}
    assert residual.max() < 1e-3  # MW, against flows of thousands of MW


def test_export_target_is_delivered_through_the_black_sea_cable(study: Study) -> None:
    summary = study.summary
    assert summary["export_twh"] == pytest.approx(8.0, rel=1e-6)
    black_sea = summary["cables"]["BLACKSEA"]
    delivered = black_sea["forward_twh"] - black_sea["losses_twh"]
    assert delivered == pytest.approx(8.0, rel=1e-3)  # the gateway generates nothing itself
    assert summary["gateway_price_eur_mwh"] > 0


def test_azerbaijan_meets_its_renewable_target(study: Study) -> None:
    assert study.summary["renewable_share"]["AZ"] >= 0.30 - 1e-6


def test_summary_reports_what_a_ministry_asks(study: Study) -> None:
    s = study.summary
    for key in (
        "total_system_cost_eur_a",
        "capacity_built_mw",
        "generation_twh",
        "curtailment_twh",
        "cables",
        "lcoe_eur_mwh",
        "co2_emitted_mt",
        "co2_avoided_mt",
        "cable_economics",
        "scenario_hash",
    ):
        assert key in s
    cf = s["counterfactual"]
    assert s["co2_avoided_mt"] == pytest.approx(cf["co2_emitted_mt"] - s["co2_emitted_mt"])
    assert "CASPIAN" in s["cables"]
    caspian = s["cable_economics"]["CASPIAN"]
    assert caspian["investment_eur"] >= 0 and caspian["wacc"] == 0.07


def test_the_caspian_cables_gains_by_country_add_up_to_the_saving(study: Study) -> None:
    """Benefits by party (ENTSO-E total surplus) of the Caspian cable against the
    counterfactual: gross benefits less the cable's cost are the saving in total system
    cost, which the two solves give independently."""
    import json

    cable = study.summary["benefits"]
    json.dumps(cable)
    saving = (
        study.summary["counterfactual"]["total_system_cost_eur_a"]
        - study.summary["total_system_cost_eur_a"]
    )
    scale = study.summary["total_system_cost_eur_a"]
    assert cable["cables"] == ["CASPIAN"]
    gross = sum(row["gross_benefit_eur_a"] for row in cable["parties"])
    assert gross - cable["cable_cost_eur_a"] == pytest.approx(saving, abs=1e-6 * scale)
    assert cable["net_benefit_eur_a"] == pytest.approx(saving, abs=1e-6 * scale)
    assert cable["cable_cost_eur_a"] > 0 and saving > 0
    parties = {row["party"]: row for row in cable["parties"]}
    assert {"KZ", "AZ", "EU export"} <= set(parties)
    assert parties["AZ"]["gross_benefit_eur_a"] > 0  # cheaper power reaches Azerbaijan


def test_the_black_sea_cables_gains_count_the_export_it_alone_carries(study: Study) -> None:
    """Benefits of the Black Sea cable against the same scenario without it, which cannot
    export: the 8 TWh/a it carries are worth the export price (90 EUR/MWh) to the
    European buyer, and gross benefits less the cable's cost are the saving in system
    cost plus that value."""
    [sea] = study.summary["benefits_more"]
    assert sea["cables"] == ["BLACKSEA"]
    assert sea["export_change_mwh"] == pytest.approx(8e6, rel=1e-6)
    assert sea["export_value_change_eur_a"] == pytest.approx(90.0 * 8e6, rel=1e-6)
    gross = sum(row["gross_benefit_eur_a"] for row in sea["parties"])
    scale = study.summary["total_system_cost_eur_a"]
    assert gross - sea["cable_cost_eur_a"] == pytest.approx(
        -sea["system_cost_change_eur_a"] + sea["export_value_change_eur_a"], abs=1e-6 * scale
    )
    assert sea["cable_cost_eur_a"] > 0
    parties = {row["party"]: row for row in sea["parties"]}
    assert {"GE", "RO", "EU export"} <= set(parties)
    assert sea["system_cost_change_eur_a"] > 0  # producing the export costs the corridor


def test_outputs_are_written_and_the_network_loads_in_plain_pypsa(outputs: Path) -> None:
    for name in ("capacities", "generation", "cables", "lcoe", "price_duration"):
        assert (outputs / "tables" / f"{name}.csv").is_file()
        assert (outputs / "tables" / f"{name}.parquet").is_file()
    network = pypsa.Network(str(outputs / "network.nc"))
    assert "CASPIAN fwd" in network.links.index
    assert network.objective == pytest.approx(
        json.loads((outputs / "summary.json").read_text())["total_system_cost_eur_a"]
    )


def test_report_is_self_contained(outputs: Path) -> None:
    page = (outputs / "report.html").read_text(encoding="utf-8")
    assert "Plotly" in page and "Nodes and cables" in page and "duration" in page
    assert "<script src=" not in page  # plotly.js is embedded, nothing loads from a CDN


def test_the_report_is_also_written_in_the_languages_asked_for(outputs: Path) -> None:
    from bakuhub import i18n

    assert sorted(p.name for p in outputs.glob("report*.html")) == [
        "report.ar.html",
        "report.fr.html",
        "report.html",
    ]  # English once, an unknown language never
    french = (outputs / "report.fr.html").read_text(encoding="utf-8")
    with i18n.use("fr"):
        key_figures = i18n.gettext("Key figures")
    assert '<html lang="fr" dir="ltr">' in french and f"<h2>{key_figures}</h2>" in french
    assert key_figures != "Key figures"
    assert '<html lang="ar" dir="rtl">' in (outputs / "report.ar.html").read_text("utf-8")


@pytest.mark.parametrize("resolution", [COARSE, "segments:48"])
def test_dispatch_week_covers_2_to_8_july_hour_by_hour(study: Study, resolution: str) -> None:
    from bakuhub.corridor.report import _week

    shown = (
        study
        if resolution == COARSE
        else run_study(
            study.solved.scenario,
            resolution=resolution,
            counterfactual=False,
            real_year_check=False,
        )
    )
    trace = _week(shown.solved).data[-1]  # the demand line
    x = list(trace.x)
    assert x[0] == 182 * 24 and x[-1] == 189 * 24
    assert x[:-1] == sorted(set(x[:-1]))  # steps in time order (the last repeats the end)
    assert len(x) < 7 * 24  # segments, not hours: each step lasts what its snapshot stands for


def test_over_ambitious_scenario_says_where_demand_went_unmet() -> None:
    scenario = parse_scenario(
        {
            "name": "nothing new",
            "year": 2035,
            "build": {},
            "links": {name: {"mode": "off"} for name in ("CASPIAN", "BLACKSEA")},
            "europe": {"mode": "none"},
            "resolution": "segments:12",
        }
    )
    solved = solve_scenario(scenario)  # 2035 demand on today's fleet, nothing may be built
    unmet = r.unserved(solved.network)
    assert unmet.unserved_twh.sum() > 1
    worst = unmet.sort_values("unserved_twh").iloc[-1]
    assert worst.node in solved.network.buses.index and 0 < worst.share <= 1


def test_an_impossible_scenario_is_a_clear_error() -> None:
    scenario = parse_scenario(
        {
            "name": "no way out",
            "year": 2030,
            "resolution": "segments:12",
            "links": {"BLACKSEA": {"mode": "off"}},
        }
    )
    with pytest.raises(SolveError, match="infeasible"):
        solve_scenario(scenario)


def test_studies_are_served_by_the_api(
    study: Study, client: TestClient, settings: Settings
) -> None:
    write_outputs(study, settings.data_dir / "studies" / "reference-2030")
    listed = client.get("/api/v1/corridor/studies").json()
    assert [s["name"] for s in listed] == ["reference-2030"]
    assert listed[0]["state"] == "ready"
    summary = client.get("/api/v1/corridor/studies/reference-2030").json()
    assert summary["scenario_hash"] == study.summary["scenario_hash"]
    report = client.get("/api/v1/corridor/studies/reference-2030/report")
    assert report.status_code == 200 and "Plotly" in report.text
    # the report's inline plotly runs: it gets the report's policy, not the pages'
    assert report.headers["content-security-policy"] == REPORT_CSP
    assert client.get("/api/v1/corridor/studies/nope").status_code == 404
    names = [s["name"] for s in client.get("/api/v1/corridor/scenarios").json()]
    assert "no-caspian-2030" in names
