"""Against the upstream data: ND-GAIN reproduced, shipped tables rebuilt byte for byte,
Gleditsch-Ward numbers mapped, the Hub countries ranked."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

from bakuhub.risk import assemble, get_preset, run, score_index, table
from bakuhub.risk.build import build
from bakuhub.risk.gw import map_gw_codes
from bakuhub.risk.sources import read_ndgain_csv

SHIPPED = files("bakuhub") / "datasets" / "risk"
HUB = ("TCD", "GNB", "SOM", "UGA", "IRQ")


def test_ndgain_preset_reproduces_published_scores_and_ranks(shared_data: Path) -> None:
    nd = read_ndgain_csv(shared_data / "nd-gain" / "ndgain_202508.csv")
    r = score_index(get_preset("ndgain"), assemble("ndgain", ndgain=nd))
    pub = nd.set_index("iso3").reindex(list(r.countries))
    assert len(r.countries) == 192
    np.testing.assert_allclose(r.score, pub["index"].to_numpy(), rtol=0, atol=1e-9)
    assert np.isnan(r.score).sum() == 5  # vulnerability not published for 5 countries
    np.testing.assert_array_equal(r.rank, pub["rank"].to_numpy())  # ties at 0.1 included


def test_shipped_ndgain_reproduces_published_scores() -> None:
    r = score_index(get_preset("ndgain"), assemble("ndgain"))
    nd = read_ndgain_csv(SHIPPED / "ndgain.csv")  # type: ignore[arg-type]
    pub = nd.set_index("iso3").reindex(list(r.countries))
    np.testing.assert_allclose(r.score, pub["index"].to_numpy(), atol=1e-6)


def test_build_reproduces_shipped_bytes(shared_data: Path) -> None:
    built = build(shared_data)
    shipped = {p.name for p in SHIPPED.iterdir() if p.name.endswith(".csv")}
    assert set(built.files) == shipped
    for name, text in built.files.items():
        assert (SHIPPED / name).read_bytes() == text.encode("utf-8"), name


def test_gw_mapping_lists_unmapped_and_finds_yemen(shared_data: Path) -> None:
    built = build(shared_data)
    m = built.mapping
    assert m.unmapped == (751,)  # Hyderabad, 1947-1948
    assert m.iso3[678] == "YEM" and m.method[678] == "name"
    assert m.iso3[483] == "TCD" and m.iso3[520] == "SOM" and m.iso3[645] == "IRQ"
    assert m.iso3[500] == "UGA" and m.iso3[404] == "GNB"
    assert [s.line for s in built.skipped] == [42, 43]  # one record broken over two lines


def test_gw_rule_on_small_input() -> None:
    m = map_gw_codes([483, 678, 9999], {678: ["Yemen (North Yemen)"], 9999: ["Atlantis"]})
    assert m.iso3 == {483: "TCD", 678: "YEM"} and m.unmapped == (9999,)


def test_hub_default_ranks_the_hub_countries() -> None:
    rows = {r["iso3"]: r for r in table(run(get_preset("hub"), assemble("hub")))}
    for code in HUB:
        row = rows[code]
        assert row["rank"] is not None and row["rank_low"] <= row["rank_median"] <= row["rank_high"]
        assert row["completeness"] == pytest.approx(0.75)  # no displacement data shipped
    assert rows["SOM"]["rank"] == 1  # conflict every year, war most years, high vulnerability
    assert rows["GNB"]["pillars"]["conflict"] == 0.0
    assert rows["YEM"]["pillars"]["conflict"] > 8  # found through GW 678


def test_hub_displacement_supplied_changes_completeness() -> None:
    import pandas as pd

    extra = pd.DataFrame(
        {"iso3": ["TCD"], "year": [2024], "indicator": ["displaced_persons"], "value": [1.2e6]}
    )
    out = run(get_preset("hub"), assemble("hub", extra=extra))
    e = out.explain("TCD")
    assert e["completeness"] == 1.0
    leaf = e["tree"]["children"][2]["children"][0]
    assert leaf["raw"] == 1.2e6  # raw persons kept beside the transformed value
    per100k = 1.2e6 / out.data.population[out.result.position("TCD")] * 1e5  # type: ignore[index]
    assert leaf["transformed"] == pytest.approx(np.log10(1 + per100k))
