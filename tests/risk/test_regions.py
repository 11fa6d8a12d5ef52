"""UN M49 regions: the shipped table rebuilt byte for byte, every scored country
placed, group-mean imputation by sub-region with the region as fallback, and stored
runs that carry the groups."""

from __future__ import annotations

import csv
from dataclasses import replace
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session

from bakuhub.risk import assemble, get_preset, score_index, service
from bakuhub.risk.impute import group_mean
from bakuhub.risk.pipeline import data_from_dict, data_to_dict, digest

SHIPPED = files("bakuhub") / "datasets" / "risk"
# M49 Western Europe (155) countries ND-GAIN scores, LIE and MCO (no vulnerability) aside
WESTERN_EUROPE = ("AUT", "BEL", "CHE", "DEU", "FRA", "LUX", "NLD")
nan = np.nan


def shipped_rows() -> list[dict[str, str]]:
    with (SHIPPED / "regions.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def ndgain_group_mean() -> tuple[object, object]:
    data = assemble("ndgain")
    return data, score_index(replace(get_preset("ndgain"), imputation="group_mean"), data)


def test_rebuild_reproduces_shipped_regions() -> None:
    pytest.importorskip(
        "country_converter", reason="the ucdp extra (country_converter) builds regions.csv"
    )
    from bakuhub.risk.build import regions_table

    text, left_out = regions_table()
    assert (SHIPPED / "regions.csv").read_bytes() == text.encode("utf-8")
    assert left_out == ("ATA",)  # Antarctica: in no M49 region


def test_table_follows_m49() -> None:
    rows = {r["iso3"]: r for r in shipped_rows()}
    assert len(rows) == 249
    place = {c: (r["region"], r["sub_region"], r["intermediate_region"]) for c, r in rows.items()}
    assert place["SDN"] == ("Africa", "Northern Africa", "")
    assert place["SSD"] == ("Africa", "Sub-Saharan Africa", "Eastern Africa")
    assert place["TCD"] == ("Africa", "Sub-Saharan Africa", "Middle Africa")
    assert place["MEX"] == ("Americas", "Latin America and the Caribbean", "Central America")
    assert place["USA"] == ("Americas", "Northern America", "")
    assert place["CYP"][:2] == place["AZE"][:2] == ("Asia", "Western Asia")
    assert place["AFG"][:2] == place["IRN"][:2] == ("Asia", "Southern Asia")
    assert place["RUS"][:2] == ("Europe", "Eastern Europe")
    assert rows["TCD"]["m49"] == "148" and rows["AFG"]["m49"] == "004"
    # only Kosovo and Taiwan lack an M49 code: placed by country_converter, said so
    other = {c for c, r in rows.items() if r["source"] != "M49"}
    assert other == {"TWN", "XKX"}
    assert all(rows[c]["m49"] == "" and rows[c]["source"] == "country_converter" for c in other)


def test_every_scored_country_has_a_group() -> None:
    for preset in ("ndgain", "hub"):
        data = assemble(preset)
        assert data.groups is not None and len(data.groups) == len(data.countries)
        missing = [c for c, g in zip(data.countries, data.groups, strict=True) if g is None]
        assert missing == [], preset
    i = data.countries.index("SSD")  # the Hub adds South Sudan (UCDP), not in ND-GAIN
    assert data.groups[i] == "Africa > Sub-Saharan Africa"
    # INFORM scores the file's countries; a code the table lacks gets None (not imputed)
    obs = pd.DataFrame(
        {
            "iso3": ["TCD", "ZZZ"] * 3,
            "year": 2025,
            "indicator": ["inform_hazard_exposure"] * 2
            + ["inform_vulnerability"] * 2
            + ["inform_lack_of_coping_capacity"] * 2,
            "value": [6.1, 5.0, 7.2, 5.0, 9.1, 5.0],
        }
    )
    inform = assemble("inform", inform=obs)
    assert inform.countries == ("TCD", "ZZZ")
    assert inform.groups == ("Africa > Sub-Saharan Africa", None)


def test_nested_group_mean_by_hand() -> None:
    x = np.array([1.0, 2.0, 3.0, nan, 10.0, nan, nan, nan, 7.0, nan, nan])
    labels = ["R > A"] * 4 + ["R > B"] * 3 + ["S > C", "T", "T", None]
    got = group_mean(x, labels)
    # R > A has 3 values: its mean 2; R > B has 1 (< 3): region R's mean (1+2+3+10)/4 = 4
    # S > C has no value anywhere: stays missing; T (one level) with 1 value: 7
    np.testing.assert_allclose(got, [1, 2, 3, 2, 10, 4, 4, nan, 7, 7, nan])


def test_ndgain_vulnerability_filled_with_subregion_mean() -> None:
    data, r = ndgain_group_mean()
    nd = pd.read_csv(SHIPPED / "ndgain.csv").set_index("iso3")  # type: ignore[call-overload]
    assert r.imputed["ndgain_vulnerability"].sum() == 5  # AND, KNA, LIE, MCO, SMR
    assert not r.imputed["ndgain_readiness"].any()
    assert r.ranked == 192  # all five now ranked
    # LIE (Western Europe): vulnerability = mean of the 7 others with a value; the
    # ND-GAIN index is 50 (readiness - vulnerability + 1)
    vul = nd.loc[list(WESTERN_EUROPE), "vulnerability"].mean()
    expected = 50 * (nd.loc["LIE", "readiness"] - vul + 1)
    assert r.score[r.position("LIE")] == pytest.approx(expected, abs=1e-9)
    # by the five continents it would differ: Europe's mean is another number
    eu = [c for c, g in zip(data.countries, data.groups, strict=True) if g.startswith("Europe")]
    assert abs(nd.loc[eu, "vulnerability"].mean() - vul) > 0.01


def test_small_subregion_falls_back_to_region() -> None:
    data = assemble("ndgain")
    vul = data.values["ndgain_vulnerability"]
    groups = np.array(data.groups)
    have = {g: int(np.sum(~np.isnan(vul[groups == g]))) for g in set(data.groups)}
    small = {g for g, n in have.items() if n < 3}
    assert small == {"Americas > Northern America", "Oceania > Australia and New Zealand"}
    # take Canada's value away: Northern America keeps only the USA, so the Americas fill
    gap = vul.copy()
    can = data.countries.index("CAN")
    gap[can] = nan
    americas = np.array([g.startswith("Americas >") for g in data.groups])
    got = group_mean(gap, data.groups)
    assert got[can] == pytest.approx(np.nanmean(gap[americas]))
    assert got[can] != pytest.approx(vul[data.countries.index("USA")])


def test_stored_group_mean_run_reproduces(session: Session) -> None:
    choices = service.Choices(imputation="group_mean")
    run = service.rank(session=session, preset="ndgain", draws=50, choices=choices)
    assert run.inputs["groups"][run.inputs["countries"].index("LIE")] == "Europe > Western Europe"
    lie = next(s for s in run.scores if s.iso3 == "LIE")
    _, r = ndgain_group_mean()
    assert lie.score == pytest.approx(r.score[r.position("LIE")], abs=1e-6)
    assert service.reproduce(session=session, run_id=run.id)
    # inputs stored before groups were recorded still load, as one group, same digest
    old = {k: v for k, v in run.inputs.items() if k != "groups"}
    back = data_from_dict(old)
    assert back.groups is None and digest(data_to_dict(back)) == digest(old)
    plain = score_index(replace(get_preset("ndgain"), imputation="group_mean"), back)
    assert plain.score[plain.position("LIE")] != pytest.approx(lie.score, abs=1e-3)
