"""A study that asks for every negotiation analysis: cost shares from the coalitions,
the carbon border against the same scenario without it, near-optimal ranges; their
figures hold together, the report and the study page show them, and the job's progress
counts their lines. On the shipped reference scenario at a very coarse resolution."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bakuhub.config import Settings
from bakuhub.corridor.negotiation import SOLVER_NOISE
from bakuhub.corridor.report import render_report
from bakuhub.corridor.run_study import Study, run_study, write_outputs
from bakuhub.corridor.scenario import load_scenario, parse_scenario
from bakuhub.jobs.kinds import CORRIDOR_STUDY, expected_lines

RESOLUTION = "segments:4"
CARBON_PRICE = 80.0
Asked = tuple[Study, list[str], dict[str, Any]]


@pytest.fixture(scope="session")  # not module: pytest runs the page test per database
def asked() -> Asked:
    data = load_scenario("reference-2030").model_dump(mode="json")
    data.update(
        resolution=RESOLUTION,
        real_year_check=False,
        cbam={"mode": "default-factor", "carbon_price_eur_t": CARBON_PRICE},
        negotiation={"cost_sharing": True, "near_optimal_slack": 0.05, "both_cables": True},
    )
    scenario = parse_scenario(data)
    lines: list[str] = []
    study = run_study(scenario, progress=lines.append)
    inputs = {"scenario": scenario.model_dump(mode="json"), "counterfactual": True}
    return study, lines, inputs


def test_the_cost_shares_share_out_the_project_cost_and_hold_in_the_core(asked: Asked) -> None:
    study, _lines, _inputs = asked
    table = study.summary["cost_sharing"]
    cost = table["cable_cost_eur_a"]
    assert cost > 0
    shapley = sum(row["shapley_pays_eur_a"] for row in table["shares"])
    proportional = sum(row["proportional_pays_eur_a"] for row in table["shares"])
    assert shapley == pytest.approx(cost, rel=1e-6)  # efficiency: v(N) + payments = gains
    assert proportional == pytest.approx(cost, rel=1e-6)
    values = {tuple(c["members"]): c["value_eur_a"] for c in table["coalitions"]}
    assert len(values) == 8 and values[()] == 0
    assert values[("AZ", "KZ", "UZ")] == pytest.approx(table["value_of_grand_coalition_eur_a"])
    # Uzbekistan adds nothing at this resolution (its feeder is not built): Kazakhstan and
    # Azerbaijan alone achieve the whole value, so the Shapley split gives Uzbekistan
    # about nothing and no group does better alone, once solver noise (tens of EUR on a
    # system cost of 10 bn EUR/a: what the verdicts call equal) is not taken for a gain
    noise = SOLVER_NOISE * study.summary["total_system_cost_eur_a"]
    assert values[("AZ", "KZ")] == pytest.approx(values[("AZ", "KZ", "UZ")], abs=noise)
    assert noise < 1e-4 * values[("AZ", "KZ", "UZ")]  # noise, not a share of the value
    assert table["core"]["shapley"]["in_core"] and not table["core"]["empty"]


def test_the_benefits_of_each_cable_and_both_add_up(asked: Asked) -> None:
    """Each table: gross benefits less the cables' cost are the saving in system cost
    plus the export they make possible at the export price (none for the Caspian cable:
    the export goes by Georgia without it)."""
    study, _lines, _inputs = asked
    tables = [study.summary["benefits"], *study.summary["benefits_more"]]
    assert [t["cables"] for t in tables] == [["CASPIAN"], ["BLACKSEA"], ["CASPIAN", "BLACKSEA"]]
    scale = study.summary["total_system_cost_eur_a"]
    for table in tables:
        gross = sum(row["gross_benefit_eur_a"] for row in table["parties"])
        assert gross - table["cable_cost_eur_a"] == pytest.approx(
            -table["system_cost_change_eur_a"] + table["export_value_change_eur_a"],
            abs=1e-6 * scale,
        )
    caspian, sea, both = tables
    assert caspian["export_change_mwh"] == pytest.approx(0.0, abs=1.0)
    assert sea["export_change_mwh"] == both["export_change_mwh"] == pytest.approx(8e6)


def test_the_carbon_border_charges_the_exports_at_the_carbon_price(asked: Asked) -> None:
    study, _lines, _inputs = asked
    figures, change = study.summary["cbam"]["cbam"], study.summary["cbam"]["change"]
    assert figures["charge_eur_mwh"] == pytest.approx(CARBON_PRICE * figures["factor_t_mwh"])
    assert figures["payment_eur_a"] == pytest.approx(
        figures["charge_eur_mwh"] * figures["export_mwh"]
    )
    # the export is a fixed target: the charge cannot move it, so the plan is the same and
    # the system costs exactly the payment more than the same scenario without CBAM
    assert figures["export_mwh"] == pytest.approx(8e6, rel=1e-6)
    assert change["system_cost_change_eur_a"] == pytest.approx(figures["payment_eur_a"], rel=1e-4)
    assert study.summary["total_system_cost_eur_a"] == pytest.approx(
        change["system_cost_with_cbam_eur_a"]
    )


def test_each_near_optimal_range_holds_the_least_cost_plan(asked: Asked) -> None:
    study, _lines, _inputs = asked
    found = study.summary["near_optimal"]
    assert found["slack"] == 0.05 and found["solves"] == 2 * len(found["ranges"])
    kinds = {row["kind"] for row in found["ranges"]}
    assert "cable" in kinds and len(found["ranges"]) > 10
    for row in found["ranges"]:
        tolerance = 1e-3 * max(1.0, abs(row["least_cost"]))
        assert row["min"] - tolerance <= row["least_cost"] <= row["max"] + tolerance, row


def test_the_report_the_page_and_the_progress_show_them(
    asked: Asked, client: TestClient, settings: Settings
) -> None:
    study, lines, inputs = asked
    page = render_report(study.solved, study.summary, {})
    for heading in (
        "Who gains from the Caspian cable",
        "Who gains from the Black Sea cable",
        "Who gains from the Caspian and Black Sea cables together",
        "Who pays: sharing the cost of the Caspian project",
        "The carbon border (CBAM)",
        "What is forced and what is free",
    ):
        assert heading in page
    write_outputs(study, settings.data_dir / "studies" / "negotiation")
    shown = client.get("/corridor/studies/negotiation")
    assert shown.status_code == 200
    assert "Who pays: sharing the cost of the Caspian project" in shown.text
    assert "The Shapley split is in the core" in shown.text
    # the job counts its progress lines ahead (the near-optimal ranges at their most,
    # the number of ranges being known only once the network is built; one line more
    # when the job writes the files)
    most = inputs["scenario"]["negotiation"]["near_optimal_max_solves"]
    missing = most - study.summary["near_optimal"]["solves"]
    assert len(lines) + 1 == expected_lines(CORRIDOR_STUDY, inputs) - missing
