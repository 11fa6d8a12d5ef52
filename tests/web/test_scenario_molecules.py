"""The hydrogen and ammonia group in the scenario editor, as a browser posts it: every
field set in the form is saved and read back the same; a bad value or an export that
lacks something gets its sentence beside the input, with every other entry kept and
nothing saved; the bounds the page states are those the server checks; a scenario
without the group saves to the same digest as before the group had inputs."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from scenario_support import beside, fork_values

from bakuhub.corridor.hydrogen_options import MoleculeExport, Molecules
from bakuhub.corridor.scenario import shipped_scenario
from bakuhub.testing import form_values

BASE = "/corridor/scenarios"
API = "/api/v1/corridor/scenarios"

EVERY_FIELD = {
    "molecules-enabled": "true",
    "molecules-electrolyser": "pem-jrc",
    "molecules-nodes": "AZ_SUM, KZ_WS GE_ANA",
    "molecules-underground_storage": "KZ_WS",
    "molecules-pipelines": "true",
    "molecules-ammonia": "true",
    "molecules-water": "fresh",
    "molecules-water_l_per_kg": "10.5",
    "molecules-fresh_water_eur_m3": "1.2",
    "h2demand-0-node": "AZ_SUM",
    "h2demand-0-twh": "2.5",
    "molecules-export-mode": "market",
    "molecules-export-carrier": "ammonia",
    "molecules-export-port": "GE_ANA",
    "molecules-export-price_eur_mwh": "120",
    "molecules-export-max_twh": "6",
    "molecules-export-target_twh": "",
    "molecules-export-shipping_km": "1500",
    "molecules-export-ship_speed_km_h": "30",
    "molecules-export-crack_at_destination": "true",
}


def test_every_molecules_field_set_in_the_editor_is_saved_and_read_back(ana: TestClient) -> None:
    values = fork_values(ana)
    assert values["molecules-export-port"] == ["KZ_WS"]  # the group's defaults shown
    assert values["molecules-water_l_per_kg"] == ["9"]
    assert "molecules-enabled" not in values  # unticked
    values.update({"ref": "ammonia-by-sea", **EVERY_FIELD})
    saved = ana.post(f"{BASE}/new", data=values, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:2000]
    spec = ana.get(f"{API}/ammonia-by-sea").json()["scenario"]
    assert spec["molecules"] == {
        "enabled": True,
        "electrolyser": "pem-jrc",
        "nodes": ["AZ_SUM", "KZ_WS", "GE_ANA"],
        "underground_storage": ["KZ_WS"],
        "ammonia": True,
        "pipelines": True,
        "hydrogen_demand_twh": {"AZ_SUM": 2.5},
        "water": "fresh",
        "water_l_per_kg": 10.5,
        "fresh_water_eur_m3": 1.2,
        "export": {
            "mode": "market",
            "carrier": "ammonia",
            "port": "GE_ANA",
            "price_eur_mwh": 120.0,
            "target_twh": None,
            "max_twh": 6.0,
            "shipping_km": 1500.0,
            "ship_speed_km_h": 30.0,
            "crack_at_destination": True,
        },
    }
    shipped = shipped_scenario("reference-2030").model_dump(mode="json")
    assert {k: v for k, v in spec.items() if k not in ("name", "molecules")} == {
        k: v for k, v in shipped.items() if k != "name"
    }
    again = form_values(ana.get(f"{BASE}/ammonia-by-sea/edit").text)
    assert again["molecules-nodes"] == ["AZ_SUM, KZ_WS, GE_ANA"]
    assert again["h2demand-0-node"] == ["AZ_SUM"] and again["h2demand-0-twh"] == ["2.5"]
    assert again["molecules-export-crack_at_destination"] == ["true"]
    page = ana.get(f"{BASE}/ammonia-by-sea").text
    assert "Hydrogen demand at AZ_SUM" in page and "2.5 TWh a year" in page
    assert "Port of export" in page and "GE_ANA: Anaklia" in page


def test_a_bad_value_gets_its_sentence_and_keeps_every_other_entry(ana: TestClient) -> None:
    values = fork_values(ana)
    bad = {**EVERY_FIELD, "molecules-water_l_per_kg": "8", "molecules-export-price_eur_mwh": ""}
    values.update({"ref": "thirsty", **bad, "co2-price_eur_t": "95"})
    refused = ana.post(f"{BASE}/new", data=values)
    assert refused.status_code == 422
    assert "Traceback" not in refused.text
    water = beside(refused.text, "molecules-water_l_per_kg")
    assert water == "Water drawn per kg of hydrogen (litres): must be at least 8.9."
    price = beside(refused.text, "molecules-export-price_eur_mwh")
    assert price.startswith("Sale price (EUR per MWh")
    assert "a market export needs a price; write one, or choose another export mode" in price
    assert 'aria-describedby="err-molecules-water_l_per_kg"' in refused.text
    kept = form_values(refused.text)
    assert {k: kept.get(k, [""])[0] for k in bad} == bad  # what was typed, unticked as ticked
    assert kept["co2-price_eur_t"] == ["95"]
    assert ana.get(f"{API}/thirsty").status_code == 404  # nothing saved
    kept.update({"molecules-water_l_per_kg": "8.9", "molecules-export-price_eur_mwh": "110"})
    assert ana.post(f"{BASE}/new", data=kept, follow_redirects=False).status_code == 303
    molecules = ana.get(f"{API}/thirsty").json()["scenario"]["molecules"]
    assert (molecules["water_l_per_kg"], molecules["export"]["price_eur_mwh"]) == (8.9, 110.0)


@pytest.mark.parametrize(
    ("changes", "name", "said"),
    [
        (
            {"molecules-ammonia": ""},
            "molecules-ammonia",
            "an ammonia export needs ammonia plants; tick this box, or export hydrogen",
        ),
        (
            {"molecules-export-carrier": "hydrogen"},
            "molecules-export-carrier",
            "shipping and cracking at the destination are for ammonia",
        ),
        (
            {"molecules-export-mode": "target"},
            "molecules-export-target_twh",
            "a target export needs the quantity a year",
        ),
        (
            {"molecules-underground_storage": "KZ_WS, ATLANTIS"},
            "molecules-underground_storage",
            "ATLANTIS not a node of the dataset; use some of UZ_NAV,",
        ),
        (
            {"molecules-export-port": "RO_CON"},
            "molecules-export-port",
            "RO_CON not among the nodes where electrolysers may be built",
        ),
        (
            {"h2demand-0-twh": "lots"},
            "h2demand-0-twh",
            "Hydrogen demand at AZ_SUM (TWh a year): write a number.",
        ),
        (
            {"h2demand-1-node": "AZ_SUM", "h2demand-1-twh": "1"},
            "h2demand-1-node",
            "AZ_SUM has a demand in another row",
        ),
    ],
)
def test_what_an_export_or_a_node_lacks_is_told_beside_its_input(
    ana: TestClient, changes: dict[str, str], name: str, said: str
) -> None:
    values = fork_values(ana)
    values.update({"ref": "lacking", **EVERY_FIELD})
    values.update(changes)
    if changes.get("molecules-ammonia") == "":
        del values["molecules-ammonia"]  # an unticked box is not sent
    refused = ana.post(f"{BASE}/new", data=values)
    assert refused.status_code == 422
    assert said in beside(refused.text, name)
    summary = re.search(r'id="error-summary".*?</div>', refused.text, re.S)
    assert summary and summary.group(0).count("<li>") == 1  # told once, not twice
    assert ana.get(f"{API}/lacking").status_code == 404


def test_the_bounds_the_page_states_are_those_the_server_checks(ana: TestClient) -> None:
    """Each number's help says the model's limits; the server refuses just beyond them
    and takes them."""
    page = ana.get(f"{BASE}/new?from=reference-2030").text
    help_of = dict(re.findall(r'id="help-(molecules-[a-z_-]+)">([^<]*)<', page))
    for field, low, high in (
        (Molecules.model_fields["water_l_per_kg"], 8.9, 100),
        (MoleculeExport.model_fields["shipping_km"], 0, 30_000),
    ):
        ge = [m.ge for m in field.metadata if hasattr(m, "ge")]
        le = [m.le for m in field.metadata if hasattr(m, "le")]
        assert (ge, le) == ([low], [high])  # the model's own bounds
    assert help_of["molecules-water_l_per_kg"].startswith("8.9 to 100;")
    assert "0 to 30,000" in help_of["molecules-export-shipping_km"]
    assert help_of["molecules-export-ship_speed_km_h"].startswith("More than 0, at most 100.")
    values = form_values(page)
    values.update({"ref": "bounds", **EVERY_FIELD})
    values.update({"molecules-export-shipping_km": "30001", "molecules-water_l_per_kg": "100.1"})
    refused = ana.post(f"{BASE}/new", data=values).text
    assert "must be at most 30000" in beside(refused, "molecules-export-shipping_km")
    assert "must be at most 100" in beside(refused, "molecules-water_l_per_kg")
    values.update({"molecules-export-shipping_km": "30000", "molecules-water_l_per_kg": "100"})
    assert ana.post(f"{BASE}/new", data=values, follow_redirects=False).status_code == 303


def test_a_scenario_without_molecules_saves_to_the_same_digest(ana: TestClient) -> None:
    values = fork_values(ana)
    values["ref"] = "untouched"
    assert ana.post(f"{BASE}/new", data=values, follow_redirects=False).status_code == 303
    record = ana.get(f"{API}/untouched").json()
    assert "molecules" not in record["scenario"]
    shipped = shipped_scenario("reference-2030")
    assert record["digest"] == shipped.model_copy(update={"name": "untouched"}).digest()
    page = ana.get(f"{BASE}/untouched").text  # the group read by its switch alone
    assert "Model hydrogen and ammonia" in page and "Port of export" not in page
