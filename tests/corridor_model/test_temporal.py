"""Temporal resolutions on the shipped representative days: what each snapshot stands for."""

from __future__ import annotations

import numpy as np
import pytest

from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.profiles import RepresentativeDays, reconstruct
from bakuhub.corridor.temporal import Temporal, build_temporal
from bakuhub.errors import InvalidInput


@pytest.fixture(scope="module")
def rep() -> RepresentativeDays:
    return load_dataset(2030, "project").profiles


def _annual_means(t: Temporal) -> np.ndarray:
    values = t.series.to_numpy(dtype=float)
    means: np.ndarray = (values * t.weight.to_numpy()[:, None]).sum(axis=0) / 8760.0
    return means


@pytest.mark.parametrize("resolution", ["repdays", "repdays/12", "repdays/5", "segments:50", "6h"])
def test_every_resolution_stands_for_the_whole_year(
    rep: RepresentativeDays, resolution: str
) -> None:
    t = build_temporal(rep, resolution)
    assert t.weight.sum() == pytest.approx(8760.0)
    # energy is kept: every series' annual mean is that of the year the days rebuild
    year = reconstruct(rep)
    assert _annual_means(t) == pytest.approx(year.mean().to_numpy(), rel=1e-9, abs=1e-12)


def test_segmented_days_keep_the_calendar_and_cut_each_day_in_order(
    rep: RepresentativeDays,
) -> None:
    t = build_temporal(rep, "repdays/12")
    assert t.period is not None and t.calendar is not None
    days = rep.profiles.index.get_level_values("day").unique()
    assert len(t.series) == 12 * len(days)
    assert t.calendar.tolist() == rep.calendar["day"].tolist()
    # each day's segments last 24 h together, and its snapshots are consecutive
    assert t.duration.groupby(t.period).sum().tolist() == [24.0] * len(days)
    assert (np.diff(t.period.to_numpy()) >= 0).all()
    # a segment's weight is its length times the calendar days its day stands for
    counts = rep.weights
    expected = t.duration * counts.loc[t.period].to_numpy()
    assert t.weight.to_numpy() == pytest.approx(expected.to_numpy())


def test_a_day_in_24_segments_is_the_day_itself(rep: RepresentativeDays) -> None:
    whole = build_temporal(rep, "repdays")
    cut = build_temporal(rep, "repdays/24")
    assert cut.series.to_numpy() == pytest.approx(whole.series.to_numpy())
    assert cut.weight.tolist() == whole.weight.tolist()
    assert cut.period is not None and whole.period is not None
    assert cut.period.tolist() == whole.period.tolist()


def test_segments_per_day_are_checked(rep: RepresentativeDays) -> None:
    with pytest.raises(InvalidInput, match="between 1 and 24"):
        build_temporal(rep, "repdays/30")


def test_a_clustering_is_kept_for_the_same_year_and_own_days_only(rep: RepresentativeDays) -> None:
    """A study's solves share one clustering of a year; another year, other clusters a
    month or other own days are clustered anew, and a caller's edits stay its own."""
    from bakuhub.corridor.profiles import cluster_days
    from bakuhub.corridor.temporal import clustered

    year = reconstruct(rep)
    first = clustered(year, 3, (5, 40))
    expected = cluster_days(year, per_month=3, own_days=(5, 40))
    assert first.profiles.equals(expected.profiles)
    assert first.calendar.equals(expected.calendar)
    first.profiles.iloc[:, :] = -1.0
    assert clustered(year, 3, (40, 5)).profiles.equals(expected.profiles)
    assert not clustered(year, 3, (5,)).calendar.equals(expected.calendar)
    assert not clustered(year, 2, (5, 40)).calendar.equals(expected.calendar)
    warmer = year.copy()
    warmer.iloc[:24, 0] = warmer.iloc[:24, 0] * 0.5 + 0.1
    assert not clustered(warmer, 3, (5, 40)).profiles.equals(expected.profiles)
