"""Sensitivity analysis of the risk index (issue 20): the Sobol estimators recover
known indices and equal SALib's; on the index, a choice that cannot change a rank
gets an index of 0, and the figures are reproducible with a seed."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from SALib.analyze import sobol as salib_sobol
from SALib.test_functions import Ishigami

from bakuhub.risk import sensitivity, sobol
from bakuhub.risk.index import IndicatorData
from bakuhub.risk.spec import IndexModel, Indicator, MonteCarlo, Node, Treatment

PI = float(np.pi)
# Ishigami (a = 7, b = 0.1): Saltelli et al. 2008, Global Sensitivity Analysis, 4.4.
ISHIGAMI_S1 = np.array([0.3139, 0.4424, 0.0])
ISHIGAMI_ST = np.array([0.5576, 0.4424, 0.2437])


def test_ishigami_indices_are_recovered_within_their_confidence_intervals() -> None:
    x = sobol.sample([(-PI, PI)] * 3, 2048, seed=1)
    found = sobol.analyse(Ishigami.evaluate(x), 3, seed=1)
    assert np.all(found.s1_conf[:, 0] < 0.08) and np.all(found.st_conf[:, 0] < 0.08)
    assert np.all(np.abs(found.s1[:, 0] - ISHIGAMI_S1) <= found.s1_conf[:, 0])
    assert np.all(np.abs(found.st[:, 0] - ISHIGAMI_ST) <= found.st_conf[:, 0])


def test_a_linear_model_gets_the_shares_of_its_variance() -> None:
    """``y = 3 x1 + 2 x2 + x3`` on U(0, 1): ``S1_i = ST_i = a_i^2 / sum a^2``."""
    a = np.array([3.0, 2.0, 1.0])
    x = sobol.sample([(0.0, 1.0)] * 3, 1024, seed=4)
    found = sobol.analyse(x @ a, 3, seed=4)
    expected = a**2 / np.sum(a**2)
    assert np.allclose(found.s1[:, 0], expected, atol=0.02)
    assert np.allclose(found.st[:, 0], expected, atol=0.02)


def test_the_vectorised_estimators_equal_salib_on_the_same_sample() -> None:
    x = sobol.sample([(-PI, PI)] * 3, 512, seed=3)
    ys = np.stack([Ishigami.evaluate(x), Ishigami.evaluate(x, A=5.0, B=0.3), x[:, 0]], axis=1)
    ours = sobol.analyse(ys, 3, resamples=50, level=0.9, seed=11)
    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[-PI, PI]] * 3}
    for k in range(ys.shape[1]):
        ref = salib_sobol.analyze(
            problem, ys[:, k], calc_second_order=False, num_resamples=50, conf_level=0.9, seed=11
        )
        for key, mine in (
            ("S1", ours.s1),
            ("S1_conf", ours.s1_conf),
            ("ST", ours.st),
            ("ST_conf", ours.st_conf),
        ):
            assert np.allclose(mine[:, k], ref[key], atol=1e-10), (k, key)


def test_a_constant_output_gets_zero_indices() -> None:
    x = sobol.sample([(0.0, 1.0)] * 2, 64, seed=2)
    found = sobol.analyse(np.full(x.shape[0], 4.0), 2, seed=2)
    assert found.constant.tolist() == [True]
    assert np.all(found.st == 0) and np.all(found.s1 == 0)


def test_a_discrete_choice_maps_equal_shares_of_the_unit_interval_to_its_options() -> None:
    factor = sensitivity.Factor("outlier", "Outlier treatment", options=("none", "clip", "winsor"))
    x = np.array([0.0, 0.33, 0.34, 0.66, 0.67, 0.999999])
    assert factor.option(x).tolist() == [0, 0, 1, 1, 2, 2]


def _three_pillars(n: int = 40) -> sensitivity.DataOption:
    """Pillars a and b differ between countries; pillar c is the same for all."""
    rng = np.random.default_rng(5)
    codes = ("a", "b", "c")
    values = {"a": rng.uniform(0, 10, n), "b": rng.uniform(0, 10, n), "c": np.full(n, 6.0)}
    countries = tuple(f"C{i:02d}" for i in range(n))
    data = IndicatorData(
        countries=countries,
        names=countries,
        indicators={c: Indicator(c, f"pillar {c}", "test", "score", True, "test") for c in codes},
        values=values,
        years={c: np.full(n, 2024.0) for c in codes},
    )
    model = IndexModel(
        name="test",
        title="Three pillars",
        treatments=tuple(Treatment(c, goalposts=(0.0, 10.0)) for c in codes),
        root=Node("root", "Root", codes, (1.0, 1.0, 1.0), aggregation="arithmetic", offset=1.0),
        montecarlo=MonteCarlo(seed=9),
    )
    return sensitivity.DataOption("", model, data)


def test_the_weight_of_a_pillar_equal_for_every_country_cannot_change_a_rank() -> None:
    """Scores are ``(wa a + wb b + wc c) / W`` (or the geometric mean): with ``c`` the
    same everywhere, ``wc`` moves every score but no rank."""
    option = _three_pillars()
    found = sensitivity.analyse([option], n=256)
    codes = [f.code for f in found.factors]
    wc, wa = codes.index("w_c"), codes.index("w_a")
    assert len(found.countries) == 40 and found.excluded == ()
    assert np.max(np.abs(found.rank.st[wc])) < 1e-9
    assert np.max(np.abs(found.rank.s1[wc])) < 1e-9
    assert np.max(found.score.st[wc]) > 0.05  # it does move the scores
    assert np.max(found.rank.st[wa]) > 0.1  # and the weight of a moves ranks


def _empty(option: sensitivity.DataOption) -> np.ndarray:
    return np.full(len(option.data.countries), np.nan)


def test_hub_weight_of_a_pillar_without_data_moves_nothing() -> None:
    """No country has displacement data: its weight gets index 0 for every country,
    while the other pillars' weights move ranks; countries left out are named."""
    options, nominal = sensitivity.preset_options("hub")
    options = [  # as shipped today: no displacement data
        replace(o, data=replace(o.data, values={**o.data.values, "displaced_persons": _empty(o)}))
        for o in options
    ]
    found = sensitivity.analyse(options, nominal=nominal, n=64, resamples=20)
    codes = [f.code for f in found.factors]
    assert {"w_climate", "aggregation", "outlier", "window"} <= set(codes)
    assert found.evaluations == 64 * (len(codes) + 2)
    assert np.max(found.rank.st[codes.index("w_displacement")]) < 1e-9
    assert np.max(found.score.st[codes.index("w_displacement")]) < 1e-9
    assert np.max(found.rank.st[codes.index("w_climate")]) > 0.1
    excluded = {iso for iso, _name, _why in found.excluded}
    assert excluded and not excluded & set(found.countries)
    rows = sensitivity.drivers(found)
    assert [r["rank"] for r in rows[:3]] == [1, 2, 3]
    assert all(r["rank_low"] <= r["rank"] <= r["rank_high"] for r in rows)


def test_the_same_seed_gives_the_same_figures_and_another_seed_others() -> None:
    option = _three_pillars(20)
    first = sensitivity.analyse([option], n=128, seed=1)
    again = sensitivity.analyse([option], n=128, seed=1)
    other = sensitivity.analyse([option], n=128, seed=2)
    assert np.array_equal(first.rank.st, again.rank.st)
    assert np.array_equal(first.score.st_conf, again.score.st_conf)
    assert not np.array_equal(first.score.st, other.score.st)


def test_the_normalisation_of_a_one_indicator_index_cannot_change_a_rank() -> None:
    """Every normalisation (and every outlier treatment, here) is monotone in the one
    indicator: it moves scores but no rank, so no country's rank has variance and
    every rank index is 0, while the normalisation drives the scores."""
    option = _three_pillars(30)
    one = IndexModel(
        name="one",
        title="One indicator",
        treatments=(Treatment("a", goalposts=(0.0, 10.0)),),
        root=Node("root", "Root", ("a",), (1.0,)),
        montecarlo=MonteCarlo(seed=3),
    )
    found = sensitivity.analyse([sensitivity.DataOption("", one, option.data)], n=256)
    codes = [f.code for f in found.factors]
    assert "w_a" not in codes  # one pillar: its weight is no choice
    norm = codes.index("normalisation")
    assert found.rank.constant.all() and not found.score.constant.any()
    assert np.max(np.abs(found.rank.st)) == 0.0
    assert np.min(found.score.st[norm]) > 0.5
    assert all(r["driver"] is None for r in sensitivity.drivers(found))
