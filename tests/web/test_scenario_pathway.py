"""The pathway group in the scenario editor, as a browser posts it: the years ticked,
the mode, the demand growth and the renewable targets by year are saved and read back;
a bad value gets its sentence beside its input, the other entries kept and nothing
saved."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from scenario_support import beside, fork_values

from bakuhub.corridor.scenario import shipped_scenario
from bakuhub.testing import form_values

BASE = "/corridor/scenarios"
API = "/api/v1/corridor/scenarios"


def _rows(values: dict[str, Any]) -> dict[tuple[str, str], str]:
    """The target rows of the form: (year, country) -> share."""
    out = {}
    for key, value in values.items():
        found = re.match(r"^ptargets-(\d+)-year$", key)
        if found and value[0]:
            i = found.group(1)
            out[(value[0], values[f"ptargets-{i}-country"][0])] = values[f"ptargets-{i}-share"][0]
    return out


def test_a_pathway_set_in_the_editor_is_saved_and_read_back(ana: TestClient) -> None:
    values = fork_values(ana)
    assert "pathway-years" not in values  # none ticked: no pathway
    assert _rows(values) == {  # the official targets filled in
        ("2030", "KZ"): "0.15",
        ("2030", "UZ"): "0.4",
        ("2030", "AZ"): "0.3",
        ("2050", "KZ"): "0.5",
    }
    last = max(int(k.split("-")[1]) for k in values if k.startswith("ptargets-"))
    values.update(
        {
            "ref": "three-years",
            "pathway-years": ["2030", "2040", "2050"],
            "pathway-mode": "perfect-foresight",
            "pathway-demand_growth_after_2035_pct": "1.5",
            "ptargets-3-share": "0.6",
            f"ptargets-{last}-year": "2040",
            f"ptargets-{last}-country": "UZ",
            f"ptargets-{last}-share": "0.5",
        }
    )
    saved = ana.post(f"{BASE}/new", data=values, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:2000]
    spec = ana.get(f"{API}/three-years").json()["scenario"]
    assert spec["pathway"] == {
        "years": [2030, 2040, 2050],
        "mode": "perfect-foresight",
        "demand_growth_after_2035_pct": 1.5,
        "renewable_targets": {
            "2030": {"KZ": 0.15, "UZ": 0.4, "AZ": 0.3},
            "2040": {"UZ": 0.5},
            "2050": {"KZ": 0.6},
        },
    }
    edit = ana.get(f"{BASE}/three-years/edit").text
    assert "perfect foresight: all years at once" in edit  # offered, and runs
    assert "not yet available" not in edit
    again = form_values(edit)
    assert again["pathway-years"] == ["2030", "2040", "2050"]
    assert _rows(again)[("2040", "UZ")] == "0.5"
    page = ana.get(f"{BASE}/three-years").text
    assert "2030, 2040, 2050" in page and "Renewable target of UZ in 2040" in page


def test_a_bad_pathway_value_gets_its_sentence_and_keeps_the_rest(ana: TestClient) -> None:
    values = fork_values(ana)
    values.update(
        {
            "ref": "bad-path",
            "pathway-years": ["2035"],
            "pathway-demand_growth_after_2035_pct": "12",
            "ptargets-0-share": "1.5",
            "ptargets-1-country": "KZ",  # 2030 KZ twice
            "co2-price_eur_t": "95",
        }
    )
    refused = ana.post(f"{BASE}/new", data=values)
    assert refused.status_code == 422 and "Traceback" not in refused.text
    years = beside(refused.text, "pathway-years")
    assert years.startswith("Years of the pathway: ") and "two or more" in years
    growth = beside(refused.text, "pathway-demand_growth_after_2035_pct")
    assert growth == "Demand growth after 2035 (% a year): must be at most 10."
    share = beside(refused.text, "ptargets-0-share")
    assert share == "Pathway target of KZ in 2030: must be at most 1."
    twice = beside(refused.text, "ptargets-1-country")
    assert "KZ has a target for 2030 in another row" in twice
    kept = form_values(refused.text)
    assert kept["pathway-years"] == ["2035"] and kept["ptargets-0-share"] == ["1.5"]
    assert kept["co2-price_eur_t"] == ["95"]
    assert ana.get(f"{API}/bad-path").status_code == 404


def test_a_scenario_without_a_pathway_saves_to_the_same_digest(ana: TestClient) -> None:
    values = fork_values(ana)
    values["ref"] = "no-path"
    assert ana.post(f"{BASE}/new", data=values, follow_redirects=False).status_code == 303
    record = ana.get(f"{API}/no-path").json()
    assert "pathway" not in record["scenario"]
    shipped = shipped_scenario("reference-2030")
    assert record["digest"] == shipped.model_copy(update={"name": "no-path"}).digest()
    page = ana.get(f"{BASE}/no-path").text  # the group read by its switch alone
    assert "Years of the pathway" in page and "Renewable target of KZ" not in page
