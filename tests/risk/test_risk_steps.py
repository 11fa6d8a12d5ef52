"""Each index step on small cases computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bakuhub.risk import steps

nan = math.nan


def arr(*xs: float) -> np.ndarray:
    return np.array(xs, dtype=np.float64)


def test_transforms() -> None:
    assert steps.transform(arr(1.0, math.e, 0.0, nan), "log")[:2].tolist() == [0.0, 1.0]
    assert np.isnan(steps.transform(arr(0.0), "log")).all()
    np.testing.assert_allclose(steps.transform(arr(0.0, 9.0, 99.0), "log10_1p"), [0.0, 1.0, 2.0])
    assert np.isnan(steps.transform(arr(-1.0), "log10_1p")).all()
    per = steps.transform(arr(500.0, 10.0, 1.0), "per_100k", population=arr(1e6, 0.0, nan))
    assert per[0] == 50.0 and np.isnan(per[1:]).all()
    with pytest.raises(ValueError):
        steps.transform(arr(1.0), "per_100k")


def test_outliers_clip_and_winsor() -> None:
    np.testing.assert_array_equal(
        steps.treat_outliers(arr(-1.0, 5.0, 12.0), "clip", goalposts=(0.0, 10.0)), [0.0, 5.0, 10.0]
    )
    x = arr(0.0, 1.0, 2.0, 3.0, 100.0, nan)
    # quantiles of 0,1,2,3,100 at 0.25 and 0.75 are 1 and 3
    out = steps.treat_outliers(x, "winsor", quantiles=(0.25, 0.75))
    np.testing.assert_array_equal(out[:5], [1.0, 1.0, 2.0, 3.0, 3.0])
    assert np.isnan(out[5])


def test_normalise_direction_and_goalposts() -> None:
    x = arr(0.2, 0.45, 0.7, 0.9, nan)
    worse = steps.normalise(x, (0.2, 0.7), higher_is_worse=True)
    np.testing.assert_allclose(worse[:4], [0.0, 5.0, 10.0, 10.0])
    better = steps.normalise(x, (0.2, 0.7), higher_is_worse=False)
    np.testing.assert_allclose(better[:4], [10.0, 5.0, 0.0, 0.0])
    assert np.isnan(worse[4]) and np.isnan(better[4])
    assert steps.goalposts_of(arr(3.0, nan, 7.0), None) == (3.0, 7.0)
    assert steps.normalise(arr(1.0, nan), (1.0, 1.0), higher_is_worse=True)[0] == 0.0


def test_weights_sum_to_one() -> None:
    np.testing.assert_allclose(steps.normalise_weights([1, 1, 2]), [0.25, 0.25, 0.5])
    with pytest.raises(ValueError):
        steps.normalise_weights([0, 0])
    with pytest.raises(ValueError):
        steps.normalise_weights([1, -1])


def test_aggregate_arithmetic_and_geometric() -> None:
    v = np.array([[2.0, 8.0], [4.0, 4.0], [0.0, 9.0]])
    w = np.array([0.5, 0.5])
    np.testing.assert_allclose(steps.aggregate(v, w, "arithmetic"), [5.0, 4.0, 4.5])
    # sqrt(2*8) = 4; sqrt(4*4) = 4; a zero child zeroes the plain geometric mean
    np.testing.assert_allclose(steps.aggregate(v, w, "geometric"), [4.0, 4.0, 0.0])
    # offset 1: sqrt(1 * 10) - 1
    got = steps.aggregate(v[2:], w, "geometric", offset=1.0)
    assert got[0] == pytest.approx(math.sqrt(10.0) - 1.0)
    # unequal weights: 8^(1/4) * 2^(3/4) = 2^(3/4 + 3/4) = 2^1.5
    got = steps.aggregate(np.array([[8.0, 2.0]]), np.array([0.25, 0.75]), "geometric")
    assert got[0] == pytest.approx(2**1.5)


def test_missing_rule_reweights_within_pillar_or_drops() -> None:
    v = np.array([[6.0, nan, 2.0], [nan, nan, 3.0]])
    w = np.array([0.5, 0.25, 0.25])
    # country 0: (0.5*6 + 0.25*2) / 0.75 = 14/3, coverage 0.75
    out = steps.aggregate(v, w, "arithmetic", min_coverage=0.75)
    assert out[0] == pytest.approx(14 / 3)
    # country 1: coverage 0.25 < 0.75 -> missing
    assert np.isnan(out[1])
    out = steps.aggregate(v, w, "arithmetic", min_coverage=0.25)
    assert out[1] == pytest.approx(3.0)
    assert np.isnan(
        steps.aggregate(np.array([[nan, nan]]), np.array([1.0, 1.0]), "geometric", min_coverage=0.0)
    )[0]


def test_classify_by_thresholds() -> None:
    labels = ("low", "mid", "high")
    got = steps.classify(arr(0.0, 1.99, 2.0, 5.0, 9.9, nan), (2.0, 5.0), labels)
    assert got == ["low", "low", "mid", "high", "high", None]
    with pytest.raises(ValueError):
        steps.classify(arr(1.0), (2.0,), labels)
    with pytest.raises(ValueError):
        steps.classify(arr(1.0), (5.0, 2.0), labels)


def test_rank_ties_explicit() -> None:
    s = arr(5.0, 7.0, 7.0, 1.0, nan)
    assert steps.rank(s, ties="min")[:4].tolist() == [3.0, 1.0, 1.0, 4.0]
    assert steps.rank(s, ties="dense")[:4].tolist() == [2.0, 1.0, 1.0, 3.0]
    assert steps.rank(s, ties="ordinal")[:4].tolist() == [3.0, 1.0, 2.0, 4.0]
    assert np.isnan(steps.rank(s)[4])
    assert steps.rank(s, highest_first=False)[:4].tolist() == [2.0, 3.0, 3.0, 1.0]
    # equal at one decimal -> tie
    assert steps.rank(arr(62.846, 62.843, 60.0), decimals=1).tolist() == [1.0, 1.0, 3.0]
    assert steps.rank(arr(62.846, 62.843, 60.0)).tolist() == [1.0, 2.0, 3.0]


def test_rank_rows_independently() -> None:
    s = np.array([[1.0, 2.0, 3.0], [3.0, 3.0, 1.0]])
    assert steps.rank(s).tolist() == [[3.0, 2.0, 1.0], [1.0, 1.0, 3.0]]
