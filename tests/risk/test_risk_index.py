"""The whole engine on a three-country index computed by hand."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from bakuhub.errors import InvalidInput
from bakuhub.risk import (
    Classes,
    IndexModel,
    Indicator,
    IndicatorData,
    MonteCarlo,
    Node,
    Treatment,
    get_preset,
    model_from_dict,
    model_to_dict,
    rank_intervals,
    run,
    score_index,
    table,
)
from bakuhub.risk.explain import contributions
from bakuhub.risk.pipeline import data_from_dict, data_to_dict, digest

nan = math.nan


def tiny_model(aggregation: str = "arithmetic") -> IndexModel:
    return IndexModel(
        name="tiny",
        title="Tiny",
        treatments=(Treatment("x", goalposts=(0.0, 10.0)), Treatment("y", goalposts=(0.0, 100.0))),
        root=Node(
            "root",
            "Root",
            (Node("p1", "P1", ("x",), (1.0,)), Node("p2", "P2", ("y",), (1.0,))),
            (1.0, 3.0),
            aggregation=aggregation,  # type: ignore[arg-type]
            min_coverage=0.5,
        ),
        classes=Classes((3.0, 6.0), ("low", "mid", "high")),
        montecarlo=MonteCarlo(draws=200, seed=7),
    )


def tiny_data() -> IndicatorData:
    return IndicatorData(
        countries=("AAA", "BBB", "CCC"),
        names=("A", "B", "C"),
        indicators={
            "x": Indicator("x", "X", "test", "u", True, "v1"),
            "y": Indicator("y", "Y", "test", "%", False, "v1"),
        },
        values={"x": np.array([5.0, 10.0, nan]), "y": np.array([20.0, 100.0, 50.0])},
        years={"x": np.array([2024.0, 2024.0, nan]), "y": np.array([2023.0, 2023.0, 2023.0])},
    )


def test_scores_ranks_classes_completeness_by_hand() -> None:
    r = score_index(tiny_model(), tiny_data())
    # s_x = 5, 10, -; s_y = 10 (100 - y)/100 = 8, 0, 5
    np.testing.assert_allclose(r.indicator_scores["y"], [8.0, 0.0, 5.0])
    # A: 0.25*5 + 0.75*8 = 7.25; B: 0.25*10 + 0 = 2.5; C: only p2 (share 0.75 >= 0.5) = 5
    np.testing.assert_allclose(r.score, [7.25, 2.5, 5.0])
    assert r.rank.tolist() == [1.0, 3.0, 2.0]
    assert r.classes == ["high", "low", "mid"]
    np.testing.assert_allclose(r.completeness, [1.0, 1.0, 0.75])


def test_geometric_root_by_hand() -> None:
    r = score_index(tiny_model("geometric"), tiny_data())
    assert r.score[0] == pytest.approx(5**0.25 * 8**0.75)
    assert r.score[1] == 0.0  # a zero pillar zeroes the plain geometric mean
    assert r.score[2] == pytest.approx(5.0)


def test_coverage_rule_drops_country() -> None:
    model = tiny_model()
    strict = replace(model, root=replace(model.root, min_coverage=1.0))
    r = score_index(strict, tiny_data())
    assert np.isnan(r.score[2]) and np.isnan(r.rank[2]) and r.classes[2] is None
    assert r.completeness[2] == 0.75


def test_explanation_contributions_sum_to_score() -> None:
    out = run(tiny_model(), tiny_data())
    e = out.explain("aaa")
    assert e["score"] == pytest.approx(7.25) and e["rank"] == 1 and e["class"] == "high"
    parts = e["tree"]["children"]
    assert [p["contribution"] for p in parts] == pytest.approx([1.25, 6.0])
    leaf = parts[1]["children"][0]
    assert (leaf["raw"], leaf["year"], leaf["score"], leaf["direction"]) == (
        20.0,
        2023,
        8.0,
        "higher is better",
    )
    c = out.explain("CCC")["tree"]["children"]
    assert c[0]["contribution"] is None and c[1]["weight_used"] == 1.0
    json.dumps(e)  # JSON-ready
    with pytest.raises(KeyError):
        out.explain("ZZZ")


def test_geometric_contributions_sum_to_score() -> None:
    got = contributions([4.0, 9.0], [0.5, 0.5], "geometric", 0.0)
    low, high = got
    assert low is not None and high is not None
    assert low + high == pytest.approx(6.0)  # sqrt(4 * 9)
    assert high > low


def test_montecarlo_is_seeded_and_collapses_without_spread() -> None:
    model = tiny_model()
    r = score_index(model, tiny_data())
    fixed = MonteCarlo(draws=50, seed=1, spread=0.0, aggregations=("arithmetic",))
    iv, ranks = rank_intervals(r, fixed)
    assert ranks.shape == (50, 3)
    assert iv.median.tolist() == iv.low.tolist() == iv.high.tolist() == [1.0, 3.0, 2.0]
    a, _ = rank_intervals(r)
    b, _ = rank_intervals(r)
    assert a.median.tolist() == b.median.tolist() and a.high.tolist() == b.high.tolist()
    assert all(lo <= med <= hi for lo, med, hi in zip(a.low, a.median, a.high, strict=True))


def test_montecarlo_keeps_missing_countries_missing() -> None:
    model = tiny_model()
    strict = replace(model, root=replace(model.root, min_coverage=1.0))
    iv, ranks = rank_intervals(score_index(strict, tiny_data()))
    assert np.isnan(ranks[:, 2]).all() and np.isnan(iv.median[2])


def test_table_orders_by_rank() -> None:
    rows = table(run(tiny_model(), tiny_data()))
    assert [r["iso3"] for r in rows] == ["AAA", "CCC", "BBB"]
    assert rows[0]["pillars"] == {"p1": 5.0, "p2": 8.0}
    assert len(table(run(tiny_model(), tiny_data()), top=1)) == 1


def test_model_and_inputs_round_trip_reproduce() -> None:
    model, data = tiny_model(), tiny_data()
    spec = json.loads(json.dumps(model_to_dict(model)))
    inputs = json.loads(json.dumps(data_to_dict(data)))
    assert model_from_dict(spec) == model
    again = run(model_from_dict(spec), data_from_dict(inputs))
    assert table(again) == table(run(model, data))
    assert digest(inputs) == digest(data_to_dict(data_from_dict(inputs)))


def test_ndgain_formula_by_hand() -> None:
    data = IndicatorData(
        countries=("AAA", "BBB"),
        names=("A", "B"),
        indicators={
            "ndgain_vulnerability": Indicator("ndgain_vulnerability", "V", "t", "0-1", True, "v"),
            "ndgain_readiness": Indicator("ndgain_readiness", "R", "t", "0-1", False, "v"),
        },
        values={
            "ndgain_vulnerability": np.array([0.4, nan]),
            "ndgain_readiness": np.array([0.6, 0.5]),
        },
        years={
            "ndgain_vulnerability": np.array([2025.0, nan]),
            "ndgain_readiness": np.array([2025.0, 2025.0]),
        },
    )
    r = score_index(get_preset("ndgain"), data)
    assert r.score[0] == pytest.approx((0.6 - 0.4 + 1) * 50)
    assert np.isnan(r.score[1])


def test_custom_weights_and_refusals() -> None:
    m = get_preset("hub", {"conflict": 2.0, "war_years": 0.0})
    assert m.root.weights == (1.0, 2.0, 1.0, 1.0)
    with pytest.raises(InvalidInput, match="Unknown weight code"):
        get_preset("hub", {"conflcit": 1.0})
    with pytest.raises(InvalidInput, match="non-negative"):
        get_preset("hub", {"conflict": -1.0})
    with pytest.raises(InvalidInput, match="are zero"):
        get_preset("hub", {"conflict_years": 0.0, "war_years": 0.0})
    with pytest.raises(InvalidInput, match="Unknown preset"):
        get_preset("nope")


def test_public_api_is_pinned() -> None:
    import bakuhub.risk as risk

    assert risk.__all__ == [
        "PRESETS",
        "Classes",
        "IndexModel",
        "IndexResult",
        "Indicator",
        "IndicatorData",
        "MonteCarlo",
        "Node",
        "Outcome",
        "RankInterval",
        "Treatment",
        "Window",
        "assemble",
        "get_preset",
        "model_from_dict",
        "model_to_dict",
        "rank_intervals",
        "run",
        "score_index",
        "table",
    ]
    for name in risk.__all__:
        assert getattr(risk, name) is not None
    with pytest.raises(AttributeError):
        _ = risk.nothing_here


def test_observed_goalposts_and_winsor_in_a_model() -> None:
    model = replace(
        tiny_model(),
        treatments=(
            Treatment("x", outlier="winsor", winsor=(0.0, 0.5), goalposts=None),
            Treatment("y", goalposts=(0.0, 100.0)),
        ),
    )
    r = score_index(model, tiny_data())
    # x = 5, 10 -> winsor at median 7.5: 5, 7.5 -> observed goalposts (5, 7.5) -> 0, 10
    assert r.goalposts["x"] == (5.0, 7.5)
    np.testing.assert_allclose(r.indicator_scores["x"][:2], [0.0, 10.0])


def test_montecarlo_varies_only_the_named_pillars() -> None:
    model = replace(tiny_model(), root=replace(tiny_model().root, weights=(1.0, 1.0)))
    data = replace(
        tiny_data(),
        countries=("AAA", "BBB"),
        names=("A", "B"),
        values={"x": np.array([10.0, 4.0]), "y": np.array([100.0, 60.0])},
        years={"x": np.array([2024.0, 2024.0]), "y": np.array([2024.0, 2024.0])},
    )
    r = score_index(model, data)
    # scores: A (10, 0), B (4, 4). Arithmetic: A 5 > B 4. Geometric: A 0 < B 4.
    assert r.rank.tolist() == [1.0, 2.0]
    both = MonteCarlo(draws=400, seed=3, spread=0.0)
    _, ranks = rank_intervals(r, both)
    assert set(np.unique(ranks[:, 0])) == {1.0, 2.0}  # both aggregations were drawn
    _, fixed = rank_intervals(r, replace(both, vary=()))
    assert set(np.unique(fixed[:, 0])) == {1.0}  # root keeps its arithmetic mean


def test_tree_codes_must_be_unique() -> None:
    model = tiny_model()
    clash = replace(model, root=replace(model.root, children=(Node("x", "X", ("x",), (1.0,)), "y")))
    with pytest.raises(ValueError, match="repeated: x"):
        score_index(clash, tiny_data())
