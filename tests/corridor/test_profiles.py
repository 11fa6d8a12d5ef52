"""Time base, modelled series and re-clustering of the shipped profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bakuhub.corridor import cluster_days, load_dataset, load_profiles, reconstruct
from bakuhub.corridor.datasets import read_table


def _solar_centroid_utc(series: pd.Series) -> float:
    hours = pd.DatetimeIndex(series.index).hour.to_numpy() + 0.5
    return float((series.to_numpy() * hours).sum() / series.sum())


def test_every_pv_series_peaks_at_solar_noon_in_utc() -> None:
    """Catches a wrong time base: PV must centre on 12 h - lon/15 (UTC) at its node."""
    rebuilt = reconstruct(load_profiles())
    nodes = read_table("nodes.csv").set_index("node")
    for column in [c for c in rebuilt.columns if c.endswith("|solar")]:
        node = column.split("|")[0]
        if node == "UZ_NUK":
            continue  # borrows the one national Uzbek series, centred on central Uzbekistan
        noon = 12.0 - float(nodes.loc[node, "lon"]) / 15.0
        assert _solar_centroid_utc(rebuilt[column]) == pytest.approx(noon, abs=0.5), column


def test_modelled_series_meet_their_cited_targets() -> None:
    series = load_dataset(2030).profile_series.set_index("series")
    assert series.loc["GE_GAR|onwind", "annual_mean"] == pytest.approx(0.399, abs=1e-3)
    assert series.loc["RO_CON|onwind", "annual_mean"] == pytest.approx(0.367, abs=1e-3)
    # clear sky scaled to 1,500 kWh/m2 GHI, tilted 30 deg, 10.7 % losses: 0.15-0.20
    assert 0.15 < series.loc["AZ_SUM|solar", "annual_mean"] < 0.20
    rebuilt = reconstruct(load_profiles())
    assert rebuilt["RO_CON|onwind"].mean() == pytest.approx(0.367, abs=1e-3)


def test_load_shapes_have_unit_mean_and_agora_peak_ratio() -> None:
    rebuilt = reconstruct(load_profiles())
    load = rebuilt["KZ_NR|load"]
    assert load.mean() == pytest.approx(1.0, abs=1e-3)
    assert load.max() == pytest.approx(1.247, abs=0.01)


def test_coarser_representation_for_the_model_keeps_means() -> None:
    """The model may re-cluster the shipped days to fewer; annual means must survive."""
    fine = reconstruct(load_profiles())
    coarse = cluster_days(fine, per_month=2, max_extreme_days=0)
    assert len(coarse.weights) == 24
    rebuilt = reconstruct(coarse)
    assert np.allclose(rebuilt.mean().to_numpy(), fine.mean().to_numpy(), atol=1e-9)
    again = cluster_days(fine, per_month=2, max_extreme_days=0)
    pd.testing.assert_frame_equal(again.profiles, coarse.profiles)


def test_cluster_days_refuses_a_partial_year() -> None:
    from bakuhub.errors import InvalidInput

    year = reconstruct(load_profiles())
    with pytest.raises(InvalidInput, match="8,760 hours"):
        cluster_days(year.iloc[:100])
