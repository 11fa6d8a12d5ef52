"""Scenario files: validated on load, with errors that name the field and the choices."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bakuhub.corridor.scenario import (
    load_scenario,
    parse_scenario,
    shipped_scenario_path,
    shipped_scenarios,
    shipped_sweep_path,
)
from bakuhub.errors import InvalidInput
from bakuhub.jobs.sweep import load_sweep


def test_shipped_scenarios_load() -> None:
    names = shipped_scenarios()
    assert {
        "reference-2030",
        "reference-2035",
        "no-caspian-2030",
        "cable-cost-low-2030",
        "cable-cost-high-2030",
    } <= set(names)
    levels = {n: load_scenario(n).costs.cable_cost for n in names}
    assert levels["cable-cost-low-2030"] == "low"
    assert levels["cable-cost-high-2030"] == "reference"
    assert load_scenario("no-caspian-2030").links["CASPIAN"].mode == "off"


def test_unknown_value_names_the_field_path_and_the_allowed_values(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: x\nyear: 2031\ncosts: {cable_cost: cheap}\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        load_scenario(path)
    text = err.value.message
    assert "year: must be one of 2030, 2035, 2040 or 2050" in text
    assert "costs.cable_cost: must be one of 'reference', 'project', 'mid' or 'low'" in text


def test_misspelt_field_and_bad_nested_option() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_scenario(
            {"name": "x", "year": 2030, "resolutoin": "3h", "links": {"CASPIAN": {"mode": "fixed"}}}
        )
    paths = [".".join(str(p) for p in d["loc"]) for d in err.value.details]
    assert "resolutoin" in paths
    assert "links.CASPIAN" in paths
    assert "mode 'fixed' needs p_nom_mw" in err.value.message


def test_resolution_and_targets_are_checked() -> None:
    with pytest.raises(InvalidInput, match="not a resolution"):
        parse_scenario({"name": "x", "year": 2030, "resolution": "weekly"})
    with pytest.raises(InvalidInput, match="between 0 and 1"):
        parse_scenario({"name": "x", "year": 2030, "renewable_targets": {"AZ": 30}})


def test_missing_file_lists_the_shipped_names() -> None:
    with pytest.raises(InvalidInput, match="reference-2030"):
        load_scenario("no-such-scenario")


def test_digest_is_stable_and_sensitive() -> None:
    a = parse_scenario({"name": "x", "year": 2030})
    b = parse_scenario({"name": "x", "year": 2030})
    c = parse_scenario({"name": "x", "year": 2030, "co2": {"price_eur_t": 1}})
    assert a.digest() == b.digest() != c.digest()


def test_demand_scale_multiplies_every_load() -> None:
    from bakuhub.corridor.datasets import load_dataset
    from bakuhub.corridor.network import build_network
    from bakuhub.corridor.temporal import build_temporal

    data = load_dataset(2030)
    temporal = build_temporal(data.profiles, "segments:12")
    base = parse_scenario({"name": "x", "year": 2030})
    grown = parse_scenario({"name": "x", "year": 2030, "demand_scale": 1.25})
    energy = [
        float((build_network(s, data, temporal).loads_t.p_set.sum(axis=1) * temporal.weight).sum())
        for s in (base, grown)
    ]
    assert energy[1] == pytest.approx(1.25 * energy[0])
    assert energy[0] / 1e6 == pytest.approx(
        data.demand[data.demand.node != "RO_CON"].energy_twh.sum(), rel=1e-4
    )


def test_resolution_numbers_are_bounded() -> None:
    for resolution, said in {
        "0h": "N (hours a snapshot) must be between 1 and 8760",
        "segments:99999999": "N (segments of the year) must be between 1 and 8760",
        "repdays:40": "K (days a month) must be between 1 and 28",
        "repdays/30": "S (segments a day) must be between 1 and 24",
    }.items():
        with pytest.raises(InvalidInput, match=re.escape(said)):
            parse_scenario({"name": "x", "year": 2030, "resolution": resolution})


def test_numbers_must_be_finite_and_lists_short() -> None:
    with pytest.raises(InvalidInput, match="voll_eur_mwh: Input should be a finite number"):
        parse_scenario({"name": "x", "year": 2030, "voll_eur_mwh": float("inf")})
    with pytest.raises(InvalidInput, match="nodes"):
        parse_scenario({"name": "x", "year": 2030, "nodes": [f"N{i}" for i in range(500)]})


def test_shipped_names_are_names_only() -> None:
    assert shipped_scenario_path("reference-2030") is not None
    for name in (
        "../scenarios/reference-2030",
        "/etc/passwd",
        "Reference-2030",
        "reference-2030\n",
    ):
        assert shipped_scenario_path(name) is None
    assert shipped_sweep_path("uncertainty-2030") is not None
    assert shipped_sweep_path("../sweeps/uncertainty-2030") is None
    spec, base = load_sweep(Path("uncertainty-2030"))  # a shipped sweep by name
    assert (spec.name, base.name) == ("uncertainty-2030", "reference-2030")


def test_only_trusted_scenarios_name_server_paths() -> None:
    data = {"name": "x", "year": 2030, "weather": {"source": "agora", "path": "/srv/data"}}
    with pytest.raises(InvalidInput, match="data paths are for the command line") as err:
        parse_scenario(data)
    assert "/srv/data" not in err.value.message
    assert parse_scenario(data, trusted=True).weather.path == "/srv/data"
