"""Audit of an index framework (issue 20): statistics, correlations and their
warnings, PCA per pillar and each indicator's share of a score, on a small table
whose answers are worked out by hand, then on the shipped Hub index."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bakuhub.risk import audit as au
from bakuhub.risk import service
from bakuhub.risk.index import IndicatorData, score_index
from bakuhub.risk.spec import IndexModel, Indicator, Node, Treatment

NAN = math.nan
# six countries; scores equal the raw values (goalposts 0-10, higher is worse)
A = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
B = [3.0, 5.0, 7.0, 9.0, 11.0, 13.0]  # 2a + 1: r(a, b) = 1, a redundant pair
C = [6.0, 5.0, 4.0, 3.0, 2.0, NAN]  # 7 - a: r(a, c) = -1, a trade-off in the pillar
D = [0.0, 0.0, 0.0, 1.0, NAN, 0.0]  # 0, 0, 0, 1, 0: skew sqrt(5), kurtosis 5 (by hand)


def table() -> IndicatorData:
    codes = {"a": A, "b": B, "c": C, "d": D}
    return IndicatorData(
        countries=("AAA", "BBB", "CCC", "DDD", "EEE", "FFF"),
        names=("Aland", "Bland", "Cland", "Dland", "Eland", "Fland"),
        indicators={
            c: Indicator(c, f"Indicator {c}", "test", "points", True, "test") for c in codes
        },
        values={c: np.array(v) for c, v in codes.items()},
        years={c: np.full(6, 2020.0) for c in codes},
    )


def model(aggregation: str = "arithmetic", weights: tuple[float, float] = (1.0, 1.0)) -> IndexModel:
    return IndexModel(
        name="test",
        title="Test index",
        treatments=tuple(
            Treatment(c, outlier="none", goalposts=(0.0, 20.0 if c == "b" else 10.0))
            for c in "abcd"
        ),
        root=Node(
            "root",
            "Test index",
            (
                Node("p", "Pillar P", ("a", "b", "c"), (1.0, 1.0, 2.0), min_coverage=0.5),
                Node("q", "Pillar Q", ("d",), (1.0,)),
            ),
            weights,
            aggregation=aggregation,  # type: ignore[arg-type]
            min_coverage=0.5,
            offset=1.0,
        ),
    )


def test_skewness_and_kurtosis_by_hand() -> None:
    # x = 0, 0, 0, 1: mean 1/4, m2 = 3/16, m3 = 3/32, m4 = 21/256
    # g1 = m3 / m2^1.5 = 2/sqrt(3); G1 = g1 sqrt(4 * 3) / 2 = 2
    # g2 = m4 / m2^2 - 3 = -2/3; G2 = ((5)(-2/3) + 6)(3) / ((2)(1)) = 4
    x = np.array([0.0, 0.0, 0.0, 1.0, NAN])
    assert au.skewness(x) == pytest.approx(2.0)
    assert au.kurtosis(x) == pytest.approx(4.0)
    assert math.isnan(au.kurtosis(np.array([1.0, 2.0, 3.0])))  # under 4 values
    assert math.isnan(au.skewness(np.array([5.0, 5.0, 5.0])))  # constant


def test_indicator_statistics_by_hand() -> None:
    data = table()
    a = au.audit(score_index(model(), data), data)
    stats = {s.code: s for s in a.stats}
    c = stats["c"]
    assert (c.n, c.pillar) == (5, "p")
    assert c.missing_share == pytest.approx(1 / 6)
    assert (c.mean, c.min, c.max) == (4.0, 2.0, 6.0)
    assert c.sd == pytest.approx(math.sqrt(2.5))  # squares 4+1+0+1+4 over n-1 = 4
    assert not c.flagged
    # d = 0, 0, 0, 1, 0: mean 1/5, m2 = 4/25, m3 = 12/125, m4 = 52/625
    # g1 = 3/2, G1 = 1.5 sqrt(20) / 3 = sqrt(5); g2 = 1/4, G2 = (6/4 + 6)(4) / 6 = 5
    d = stats["d"]
    assert (d.skew, d.kurt) == (pytest.approx(math.sqrt(5)), pytest.approx(5.0))
    assert d.flagged  # |skew| >= 2 and kurtosis >= 3.5: COINr's test fails
    flagged = [w for w in a.warnings if w.kind == "outliers"]
    assert [w.codes for w in flagged] == [("d",)]
    assert "kurtosis 5.00" in flagged[0].text


def test_correlation_warnings_name_the_pairs() -> None:
    data = table()
    a = au.audit(score_index(model(), data), data)
    kinds = {(w.kind, w.codes) for w in a.warnings}
    assert ("redundant", ("a", "b")) in kinds  # r = 1 over 0.9
    assert ("negative", ("a", "c")) in kinds  # same pillar, r = -1
    assert ("negative", ("b", "c")) in kinds
    assert not any(w.kind == "negative" and "d" in w.codes for w in a.warnings)  # across
    pair = next(p for p in a.pairs if (p.a, p.b) == ("a", "c"))
    assert (pair.pearson, pair.spearman, pair.n) == (pytest.approx(-1), pytest.approx(-1), 5)
    i, j = a.indicators.index("a"), a.indicators.index("b")
    assert a.pearson[i, j] == pytest.approx(1.0) and a.pearson[i, i] == pytest.approx(1.0)
    text = next(w.text for w in a.warnings if w.kind == "redundant")
    assert "0.9" in text and "COINr" in text  # the threshold and its source


def test_spearman_is_rank_correlation() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    y = x**4  # monotone: rho 1, r below 1
    assert au.spearman(x, y) == pytest.approx(1.0)
    assert au.pearson(x, y)[0] < 0.95
    assert au.ranks(np.array([3.0, 1.0, 3.0, NAN, 2.0])).tolist()[:3] == [3.5, 1.0, 3.5]


def test_pca_of_a_pillar() -> None:
    data = table()
    a = au.audit(score_index(model(), data), data)
    by_pillar = {c.pillar: c for c in a.components}
    assert sorted(by_pillar) == ["p", "root"]  # Q has one child: nothing to analyse
    pc = by_pillar["p"]
    assert pc.pillar == "p" and pc.children == ("a", "b", "c") and pc.n == 5
    # |r| = 1 between every pair: one component carries all the variance
    assert pc.share == pytest.approx(1.0)
    assert sum(pc.eigenvalues) == pytest.approx(3.0)
    assert np.abs(pc.loadings) == pytest.approx([1 / math.sqrt(3)] * 3)


def test_pca_warns_when_the_first_component_explains_little() -> None:
    # two uncorrelated indicators: eigenvalues 1 + r and 1 - r, share (1 + |r|) / 2
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    y = np.array([1.0, 2.0, 2.0, 1.0, 1.0, 2.0])  # r(x, y) = 0.5 / sqrt(26.25), about 0.1
    data = IndicatorData(
        countries=tuple("ABCDEF"),
        names=tuple("ABCDEF"),
        indicators={c: Indicator(c, c, "t", "u", True, "t") for c in "xy"},
        values={"x": x, "y": y},
        years={"x": x * 0, "y": y * 0},
    )
    m = IndexModel(
        name="t",
        title="t",
        treatments=(Treatment("x", goalposts=(0, 10)), Treatment("y", goalposts=(0, 10))),
        root=Node("r", "R", ("x", "y"), (1.0, 1.0)),
    )
    a = au.audit(score_index(m, data), data)
    r = au.pearson(x, y)[0]
    assert r == pytest.approx(0.5 / math.sqrt(26.25))
    assert a.components[0].share == pytest.approx((1 + abs(r)) / 2)
    assert any(w.kind == "weak-component" and "60 %" in w.text for w in a.warnings)


def test_arithmetic_shares_are_effective_weight_times_score_over_score() -> None:
    data = table()
    result = score_index(model("arithmetic"), data)
    shares = au.shares(result)
    # country AAA: P = (1*1 + 1*1.5 + 2*6) / 4 = 3.625 (b scored 10 * 3 / 20 = 1.5),
    # Q = 0, risk = (3.625 + 0) / 2 = 1.8125; a's effective weight 1/2 * 1/4
    assert result.risk[0] == pytest.approx(1.8125)
    assert shares["a"][0] == pytest.approx(0.125 * 1.0 / 1.8125)
    assert shares["c"][0] == pytest.approx(0.25 * 6.0 / 1.8125)
    # FFF has no c: the weights of P are rescaled over a and b
    assert math.isnan(shares["c"][5])
    assert shares["a"][5] == pytest.approx(0.5 * 0.5 * 6.0 / result.risk[5])


@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric"])
def test_contributions_sum_to_the_score(aggregation: str) -> None:
    data = table()
    result = score_index(model(aggregation, (1.0, 3.0)), data)
    shares = au.shares(result)
    scored = [j for j in range(len(result.countries)) if not math.isnan(result.risk[j])]
    assert len(scored) >= 5
    for j in scored:
        points = [shares[c][j] * result.risk[j] for c in shares if not math.isnan(shares[c][j])]
        assert sum(points) == pytest.approx(result.risk[j])
    method = au.method_of(result.model.root)
    assert ("log-mean" in method) == (aggregation == "geometric")


def test_the_hub_index_audit() -> None:
    a = service.audit_index(preset="hub")
    stats = {s.code: s for s in a.stats}
    assert stats["displaced_persons"].n == 0  # no shipped displacement data
    assert any(w.kind == "no-data" and w.codes == ("displaced_persons",) for w in a.warnings)
    scored = [j for j in range(len(a.countries)) if not math.isnan(a.risk[j]) and a.risk[j] > 0]
    totals = [sum(np.nan_to_num(a.shares[c][j]) for c in a.indicators) for j in scored]
    assert totals == pytest.approx([1.0] * len(scored))
    out = au.to_dict(a)
    assert out["shares"]["TCD"]["displaced_persons"] is None  # NaN written as null
    assert out["limits"]["redundant"] == 0.9 and "Handbook" in out["source"]
