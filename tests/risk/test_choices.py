"""Construction choices of the index: imputation, outlier rule, normalisation, on hand cases."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from bakuhub.risk import impute, outliers, steps
from bakuhub.risk.index import IndicatorData, score_index, treat
from bakuhub.risk.inputs import assemble
from bakuhub.risk.presets import get_preset
from bakuhub.risk.spec import (
    IndexModel,
    Indicator,
    Node,
    Treatment,
    model_from_dict,
    model_to_dict,
    with_choices,
)

nan = math.nan


def arr(*xs: float) -> np.ndarray:
    return np.array(xs, dtype=np.float64)


# --- skewness, kurtosis and COINr's rule ---------------------------------------------


def test_moments_by_hand() -> None:
    # x = 0, 0, 0, 1: mean 1/4, d = -1/4 (x3), 3/4; n = 4
    # sum d^2 = 3/16 + 9/16 = 3/4; sum d^3 = -3/64 + 27/64 = 3/8; sum d^4 = 3/256 + 81/256
    # g1 = sqrt(4) (3/8) / (3/4)^1.5 = 2/sqrt(3); G1 = g1 sqrt(4*3) / 2 = 2
    # g2 = 4 (84/256) / (9/16) - 3 = 7/3 - 3 = -2/3; G2 = (5 (-2/3) + 6) 3 / (2 * 1) = 4
    x = arr(0.0, 0.0, 0.0, 1.0)
    assert outliers.skewness(x) == pytest.approx(2.0)
    assert outliers.kurtosis(x) == pytest.approx(4.0)
    assert outliers.skewness(arr(1.0, nan, 2.0, 3.0)) == pytest.approx(0.0)  # NaN ignored
    assert math.isnan(outliers.kurtosis(arr(1.0, 2.0, 3.0)))  # needs 4 values
    assert not outliers.fails(arr(5.0, 5.0, 5.0, 5.0))  # undefined moments never fail


def test_winsorises_one_point_on_hand_case() -> None:
    # 1..10 and 100: G1 = 3.26 >= 2 and G2 = 10.7 >= 3.5, so it fails; skew > 0, so the
    # highest point (100) takes the next value in (10); 1..10, 10 has G1 = 0.07: passes.
    x = np.append(np.arange(1.0, 11.0), 100.0)
    assert outliers.fails(x)
    done = outliers.skew_kurt(x)
    assert done.how == "winsor" and done.points == 1
    np.testing.assert_array_equal(done.values, np.append(np.arange(1.0, 11.0), 10.0))
    # mirrored: the lowest point moves up to the next one
    low = outliers.skew_kurt(-x)
    np.testing.assert_array_equal(low.values, -done.values)
    # NaN stays NaN and takes no part
    with_gap = outliers.skew_kurt(np.append(x, nan))
    np.testing.assert_array_equal(with_gap.values[:-1], done.values)
    assert math.isnan(with_gap.values[-1])
    np.testing.assert_array_equal(steps.treat_outliers(x, "skew_kurt"), done.values)


def test_symmetric_sample_left_alone() -> None:
    x = np.arange(1.0, 21.0)
    done = outliers.skew_kurt(x)
    assert done.how == "none"
    np.testing.assert_array_equal(done.values, x)


def test_log_when_five_points_are_not_enough() -> None:
    # A log-normal sample (sigma 2, 100 quantiles): G1 = 6.6, G2 = 51. Winsorising the
    # five highest points one at a time still fails, so COINr's log_CT replaces it:
    # y = ln(x - min + 0.01 (max - min)), applied to the original values.
    from statistics import NormalDist

    n = 100
    z = np.array([NormalDist().inv_cdf((i - 0.5) / n) for i in range(1, n + 1)])
    x = np.exp(2.0 * z)
    y = x
    for _ in range(5):
        y, _count = outliers.winsorise_step(y)
    assert outliers.fails(y)
    done = outliers.skew_kurt(x)
    assert done.how == "log"
    expected = np.log(x - x.min() + 0.01 * (x.max() - x.min()))
    np.testing.assert_allclose(done.values, expected)
    assert done.shift == pytest.approx(0.01 * (x.max() - x.min()) - x.min())
    assert abs(outliers.skewness(done.values)) < abs(outliers.skewness(x))


def test_log_rule_carries_goalposts_and_target() -> None:
    from statistics import NormalDist

    z = np.array([NormalDist().inv_cdf((i - 0.5) / 100) for i in range(1, 101)])
    x = np.exp(2.0 * z)
    t = Treatment("x", outlier="skew_kurt", goalposts=(0.0, 1000.0), target=1.0)
    _, moved = treat(t, x)
    shift = 0.01 * (x.max() - x.min()) - x.min()
    assert moved.goalposts == pytest.approx((math.log(shift), math.log(1000.0 + shift)))
    assert moved.target == pytest.approx(math.log(1.0 + shift))
    # a goalpost outside ln's domain gives way to the observed range
    _, open_posts = treat(replace(t, goalposts=(-5.0, 1000.0)), x)
    assert open_posts.goalposts is None


# --- normalisations ------------------------------------------------------------------


X = arr(2.0, 4.0, 6.0, 8.0)


def test_minmax_is_todays_normalise() -> None:
    posts, s = steps.normalise_by(X, "minmax", goalposts=None, higher_is_worse=True)
    assert posts == (2.0, 8.0)
    np.testing.assert_allclose(s, [0.0, 10 / 3, 20 / 3, 10.0])
    posts, s = steps.normalise_by(X, "minmax", goalposts=(0.0, 10.0), higher_is_worse=False)
    np.testing.assert_allclose(s, [8.0, 6.0, 4.0, 2.0])


def test_zscore_by_hand() -> None:
    # mean 5, sample sd sqrt((9 + 1 + 1 + 9) / 3) = sqrt(20/3) = 2.582
    # s = 5 + 5 z / 3: z(2) = -3/2.582 = -1.162 -> 3.064; z(4) = -0.387 -> 4.355
    sd = math.sqrt(20 / 3)
    posts, s = steps.normalise_by(X, "zscore", goalposts=(0.0, 100.0), higher_is_worse=True)
    assert posts == pytest.approx((5 - 3 * sd, 5 + 3 * sd))
    np.testing.assert_allclose(s, [3.0635, 4.3545, 5.6455, 6.9365], atol=1e-4)
    _, better = steps.normalise_by(X, "zscore", goalposts=None, higher_is_worse=False)
    np.testing.assert_allclose(better, 10.0 - s)
    _, one = steps.normalise_by(arr(3.0, nan), "zscore", goalposts=None, higher_is_worse=True)
    assert one[0] == 0.0 and math.isnan(one[1])


def test_rank_by_hand_with_ties() -> None:
    # present 3, 1, 3, 7: ranks 2.5, 1, 2.5, 4 (ties share their mean rank), n = 4
    # s = 10 (r - 1) / 3 = 5, 0, 5, 10
    s = steps.rank_scores(arr(3.0, 1.0, nan, 3.0, 7.0), higher_is_worse=True)
    np.testing.assert_allclose(s, [5.0, 0.0, nan, 5.0, 10.0])
    better = steps.rank_scores(arr(3.0, 1.0, nan, 3.0, 7.0), higher_is_worse=False)
    np.testing.assert_allclose(better, [5.0, 10.0, nan, 5.0, 0.0])
    posts, s = steps.normalise_by(X, "rank", goalposts=(0.0, 1.0), higher_is_worse=True)
    assert posts == (2.0, 8.0)
    np.testing.assert_allclose(s, [0.0, 10 / 3, 20 / 3, 10.0])


def test_distance_to_target_by_hand() -> None:
    # higher is worse, target 3, worst 8: s = 10 (x - 3) / 5, clipped: 0, 2, 6, 10
    posts, s = steps.normalise_by(X, "target", goalposts=None, target=3.0, higher_is_worse=True)
    assert posts == (3.0, 8.0)
    np.testing.assert_allclose(s, [0.0, 2.0, 6.0, 10.0])
    # higher is better, target 7, worst 2: s = 10 (7 - x) / 5: 10, 6, 2, 0
    _, s = steps.normalise_by(X, "target", goalposts=None, target=7.0, higher_is_worse=False)
    np.testing.assert_allclose(s, [10.0, 6.0, 2.0, 0.0])
    # no target: the best goalpost (0), worst observed 8: s = 10 x / 8
    _, s = steps.normalise_by(X, "target", goalposts=(0.0, 10.0), higher_is_worse=True)
    np.testing.assert_allclose(s, [2.5, 5.0, 7.5, 10.0])
    # every country already at or beyond the target scores 0
    _, s = steps.normalise_by(X, "target", goalposts=None, target=9.0, higher_is_worse=True)
    np.testing.assert_allclose(s, [0.0, 0.0, 0.0, 0.0])


# --- imputation ----------------------------------------------------------------------


def test_group_mean_by_hand() -> None:
    # group a: (1 + 3) / 2 = 2; group b: 10; an unknown group stays missing
    x = arr(1.0, 3.0, nan, 10.0, nan, nan)
    got = impute.group_mean(x, ["a", "a", "a", "b", "b", None])
    np.testing.assert_allclose(got, [1.0, 3.0, 2.0, 10.0, 10.0, nan])
    # no groups: one group, the plain mean (1 + 3 + 10) / 3
    np.testing.assert_allclose(impute.group_mean(x, None)[2], 14 / 3)


BLOCK = np.array([[1.0, 1.0], [3.0, 2.0], [2.0, 3.0], [nan, 4.0], [nan, nan]])


def test_regression_by_hand() -> None:
    # complete rows (A, B) = (1, 1), (3, 2), (2, 3): means 2, 2; Sxy = 1, Sxx = 2
    # A = 1 + 0.5 B, so at B = 4: A = 3; the row with nothing stays empty
    got = impute.impute_block(BLOCK, "regression", None)
    np.testing.assert_allclose(got[3], [3.0, 4.0])
    assert np.isnan(got[4]).all()


def test_em_by_hand_and_converges_to_complete_case_regression() -> None:
    # B complete, A missing: the normal likelihood factors into f(B) f(A | B), so the
    # maximum-likelihood E[A | B] is the complete-case OLS line (Little and Rubin,
    # section 7.2): the EM fill at B = 4 is 3, as for the regression.
    got = impute.impute_block(BLOCK, "em", None)
    np.testing.assert_allclose(got[3], [3.0, 4.0], atol=1e-6)
    assert np.isnan(got[4]).all()
    # same property on a larger random monotone sample
    rng = np.random.default_rng(5)
    b = rng.normal(10.0, 3.0, 40)
    a = 2.0 - 0.7 * b + rng.normal(0.0, 1.0, 40)
    a[:12] = nan
    filled = impute.em(np.column_stack([a, b]))
    slope, intercept = np.polyfit(b[12:], a[12:], 1)
    np.testing.assert_allclose(filled[:12, 0], intercept + slope * b[:12], atol=1e-6)


def choice_model(imputation: str = "none") -> IndexModel:
    return IndexModel(
        name="choices",
        title="Choices",
        treatments=(Treatment("a", goalposts=(0.0, 10.0)), Treatment("b", goalposts=(0.0, 10.0))),
        root=Node("p", "P", ("a", "b"), (1.0, 1.0)),
        imputation=imputation,  # type: ignore[arg-type]
    )


def choice_data() -> IndicatorData:
    meta = {c: Indicator(c, c.upper(), "test", "u", True, "v1") for c in ("a", "b")}
    cols = BLOCK.T
    return IndicatorData(
        countries=("AAA", "BBB", "CCC", "DDD", "EEE"),
        names=("A", "B", "C", "D", "E"),
        indicators=meta,
        values={"a": cols[0].copy(), "b": cols[1].copy()},
        years={c: np.full(5, 2024.0) for c in ("a", "b")},
        groups=("x", "x", "y", "y", "y"),
    )


def test_index_flags_imputed_cells_and_keeps_empty_countries_out() -> None:
    plain = score_index(choice_model(), choice_data())
    assert not any(m.any() for m in plain.imputed.values())
    assert set(plain.imputed) == {"a", "b"}
    assert np.isnan(plain.score[3])  # min_coverage 1: a gap drops DDD

    r = score_index(choice_model("regression"), choice_data())
    assert r.imputed["a"].tolist() == [False, False, False, True, False]
    assert not r.imputed["b"].any()
    # DDD: a filled with 3, so the score is (3 + 4) / 2; EEE has nothing and stays out
    assert r.score[3] == pytest.approx(3.5)
    assert np.isnan(r.score[4]) and np.isnan(r.rank[4])

    g = score_index(choice_model("group_mean"), choice_data())
    # DDD is in group y, whose only value of a is CCC's 2
    assert g.score[3] == pytest.approx((2.0 + 4.0) / 2)


# --- the stored spec and the helpers -------------------------------------------------


def test_round_trip_and_old_dicts_load() -> None:
    model = replace(
        get_preset("ndgain"),
        imputation="em",
        treatments=(
            Treatment("ndgain_vulnerability", normalisation="target", target=0.3),
            Treatment("ndgain_readiness", outlier="skew_kurt", normalisation="rank"),
        ),
    )
    back = model_from_dict(json.loads(json.dumps(model_to_dict(model))))
    assert back == model
    old = model_to_dict(get_preset("ndgain"))
    del old["imputation"]
    for t in old["treatments"]:
        del t["normalisation"], t["target"]
    loaded = model_from_dict(old)
    assert loaded == get_preset("ndgain")
    assert loaded.imputation == "none"
    assert {t.normalisation for t in loaded.treatments} == {"minmax"}


def test_bad_choices_get_a_sentence() -> None:
    with pytest.raises(ValueError, match="normalisation of indicator 'x' must be one of"):
        Treatment("x", normalisation="log")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="outlier treatment of indicator 'x'"):
        Treatment("x", outlier="trim")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="target of indicator 'x' must be a finite"):
        Treatment("x", target=math.inf)
    with pytest.raises(ValueError, match="imputation of index 'choices'"):
        choice_model("knn")
    with pytest.raises(ValueError, match="aggregation must be one of"):
        with_choices(choice_model(), aggregation="harmonic")  # type: ignore[arg-type]
    d = model_to_dict(choice_model())
    d["imputation"] = "mice"
    with pytest.raises(ValueError, match="got 'mice'"):
        model_from_dict(d)


def test_with_choices_applies_everywhere_and_none_keeps() -> None:
    hub = get_preset("hub")
    assert with_choices(hub) == hub
    v = with_choices(
        hub, normalisation="zscore", outlier="skew_kurt", imputation="em", aggregation="arithmetic"
    )
    assert {t.normalisation for t in v.treatments} == {"zscore"}
    assert {t.outlier for t in v.treatments} == {"skew_kurt"}
    assert v.imputation == "em" and v.root.aggregation == "arithmetic"
    # sub-pillars keep theirs; other fields untouched
    assert v.root.children == hub.root.children and v.root.offset == hub.root.offset
    assert [t.goalposts for t in v.treatments] == [t.goalposts for t in hub.treatments]


@pytest.fixture(scope="module")
def ndgain_data() -> IndicatorData:
    return assemble("ndgain")


@pytest.mark.parametrize("normalisation", ["minmax", "zscore", "rank", "target"])
@pytest.mark.parametrize("outlier", ["clip", "skew_kurt"])
def test_every_choice_scores_the_ndgain_countries_on_0_10(
    normalisation: str, outlier: str, ndgain_data: IndicatorData
) -> None:
    model = with_choices(
        get_preset("ndgain"),
        normalisation=normalisation,  # type: ignore[arg-type]
        outlier=outlier,  # type: ignore[arg-type]
        imputation="regression",
        aggregation="geometric",
    )
    r = score_index(model, ndgain_data)
    ok = ~np.isnan(r.risk)
    assert ok.sum() >= 180
    assert np.all((r.risk[ok] >= 0) & (r.risk[ok] <= 10))
    # ND-GAIN lacks vulnerability for five countries with readiness: regression fills them
    assert int(r.imputed["ndgain_vulnerability"].sum()) == 5
