"""Who pays: the coalition game of a project, from hand-made coalition results and from
the corridor solved for every coalition."""

from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from bakuhub.corridor.negotiation import (
    CASPIAN_PROJECT,
    Project,
    cable_ends,
    coalition_scenario,
    export_value,
    negotiate,
    sharing_table,
    without_cables,
)
from bakuhub.corridor.scenario import shipped_scenario
from bakuhub.errors import InvalidInput

COARSE = "segments:12"


@pytest.fixture(autouse=True)
def _quiet() -> None:
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)


def test_a_coalition_builds_only_the_cables_between_its_members() -> None:
    scenario = shipped_scenario("reference-2030")
    ends = cable_ends(scenario, CASPIAN_PROJECT.cables)
    assert ends == {"CASPIAN": ("KZ", "AZ"), "UZ_NUK-KZ_WS": ("UZ", "KZ")}
    kz_az = coalition_scenario(scenario, ends, frozenset({"KZ", "AZ"}))
    assert kz_az.links["UZ_NUK-KZ_WS"].mode == "off"
    assert "CASPIAN" not in kz_az.links  # as the scenario has it: free
    alone = coalition_scenario(scenario, ends, frozenset({"UZ"}))
    assert {alone.links[c].mode for c in ends} == {"off"}


def test_without_the_black_sea_cable_the_export_it_alone_carries_is_dropped() -> None:
    """The gateway (Constanta) has no other link: without the Black Sea cable no plan
    delivers the export target, so its counterfactual has none; without the Caspian
    cable the export still goes through Georgia. The buyer values it at the export price
    of a target, not of a market (whose price is already in the model)."""
    scenario = shipped_scenario("reference-2030")
    no_sea = without_cables(scenario, ["BLACKSEA"])
    assert no_sea.links["BLACKSEA"].mode == "off" and no_sea.europe.mode == "none"
    no_caspian = without_cables(scenario, ["CASPIAN"])
    assert no_caspian.links["CASPIAN"].mode == "off" and no_caspian.europe.mode == "target"
    assert export_value(scenario) == scenario.economics.export_price_eur_mwh == 90.0
    market = scenario.model_copy(
        update={"europe": scenario.europe.model_copy(update={"mode": "market"})}
    )
    assert without_cables(market, ["BLACKSEA"]).europe.mode == "market"
    assert export_value(market) is None


def test_a_cable_reaching_a_non_partner_is_refused() -> None:
    project = Project("Black Sea", ("BLACKSEA",), ("GE",))
    with pytest.raises(InvalidInput, match="RO, which are not among its partners"):
        negotiate(shipped_scenario("reference-2030"), project, resolution=COARSE)


def _result(welfare: dict[str, float], cost: float) -> dict[str, Any]:
    return {
        "welfare_eur_a": welfare,
        "cable_cost_eur_a": cost,
        "system_cost_eur_a": 0.0,
        "cables_mw": {},
        "seconds": 0.0,
    }


def test_sharing_table_by_hand() -> None:
    """Welfare (EUR/a) of K, U, A and a non-partner G in each coalition, project cost:
    none 0; KA: K 30, A 40, U -5, G 10, cost 20 (v = 50); UK: K 10, U 20, cost 10
    (v = 20); grand: K 45, U 25, A 40, G 10, cost 30 (v = 80); every other v = 0.
    Shapley: K = 20/6 + 50/6 + 80/3 = 38.33, U = 20/6 + 30/3 = 13.33,
    A = 50/6 + 60/3 = 28.33, so K pays 45 - 38.33 = 6.67, U 11.67, A 11.67.
    In proportion to 45, 25, 40: K pays 30 * 45/110 = 12.27, U 6.82, A 10.91.
    Both are in the core (K+A get more than 50, U+K more than 20)."""
    zero = {"KZ": 0.0, "UZ": 0.0, "AZ": 0.0, "GE": 0.0}
    f = frozenset
    results = {
        f(): _result(zero, 0.0),
        f({"KZ"}): _result(zero, 0.0),
        f({"UZ"}): _result(zero, 0.0),
        f({"AZ"}): _result(zero, 0.0),
        f({"UZ", "AZ"}): _result(zero, 0.0),
        f({"KZ", "AZ"}): _result({"KZ": 30.0, "AZ": 40.0, "UZ": -5.0, "GE": 10.0}, 20.0),
        f({"KZ", "UZ"}): _result({"KZ": 10.0, "UZ": 20.0}, 10.0),
        f({"KZ", "UZ", "AZ"}): _result({"KZ": 45.0, "UZ": 25.0, "AZ": 40.0, "GE": 10.0}, 30.0),
    }
    table = sharing_table(results, CASPIAN_PROJECT)
    shares = {row["country"]: row for row in table["shares"]}
    assert table["value_of_grand_coalition_eur_a"] == pytest.approx(80.0)
    assert {k: r["shapley_net_eur_a"] for k, r in shares.items()} == pytest.approx(
        {"KZ": 230 / 6, "UZ": 80 / 6, "AZ": 170 / 6}, abs=1e-3
    )
    assert {k: r["shapley_pays_eur_a"] for k, r in shares.items()} == pytest.approx(
        {"KZ": 20 / 3, "UZ": 35 / 3, "AZ": 35 / 3}, abs=1e-3
    )
    assert {k: r["proportional_pays_eur_a"] for k, r in shares.items()} == pytest.approx(
        {"KZ": 30 * 45 / 110, "UZ": 30 * 25 / 110, "AZ": 30 * 40 / 110}, abs=1e-3
    )
    assert table["core"]["shapley"] == {"in_core": True, "blocking": []}
    assert table["core"]["proportional"]["in_core"] is True
    assert table["core"]["empty"] is False
    assert table["non_partners_gain_eur_a"] == {"GE": 10.0}


def test_caspian_partners_on_the_corridor() -> None:
    """KZ and AZ, the two ends of the Caspian cable, solved for the four coalitions on
    two worker processes: alone neither can build it (v = 0), so the Shapley value
    splits v(KZ+AZ) equally; the partners' value plus what everyone else gains is the
    saving in total system cost (the benefits add up, benefits.py)."""
    scenario = shipped_scenario("reference-2030")
    project = Project("Caspian", ("CASPIAN",), ("KZ", "AZ"))
    with ProcessPoolExecutor(max_workers=2) as pool:
        table = negotiate(scenario, project, resolution=COARSE, executor=pool)
    by_members = {tuple(c["members"]): c for c in table["coalitions"]}
    assert by_members[("KZ",)]["value_eur_a"] == pytest.approx(0.0, abs=1e-3)
    assert by_members[("AZ",)]["value_eur_a"] == pytest.approx(0.0, abs=1e-3)
    assert by_members[("KZ",)]["cables_mw"] == {"CASPIAN": 0.0}
    grand = by_members[("AZ", "KZ")]
    assert grand["cables_mw"]["CASPIAN"] > 1.0
    shares = {row["country"]: row for row in table["shares"]}
    value = table["value_of_grand_coalition_eur_a"]
    assert shares["KZ"]["shapley_net_eur_a"] == pytest.approx(value / 2, rel=1e-5)
    assert shares["AZ"]["shapley_net_eur_a"] == pytest.approx(value / 2, rel=1e-5)
    paid = sum(r["shapley_pays_eur_a"] for r in table["shares"])
    assert paid == pytest.approx(table["cable_cost_eur_a"], rel=1e-4)
    saving = by_members[()]["system_cost_eur_a"] - grand["system_cost_eur_a"]
    others = sum(table["non_partners_gain_eur_a"].values())
    assert value + others == pytest.approx(saving, rel=1e-4, abs=1e-6 * grand["system_cost_eur_a"])
