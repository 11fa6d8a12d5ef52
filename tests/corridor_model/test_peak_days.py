"""Peak days: re-sizing on the days of the full year the design fell short on reaches the
design of the full chronological solve."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pypsa
import pytest

from bakuhub.corridor import peak_days as pk
from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.temporal import build_temporal

DAYS = 4
SUN = np.r_[np.zeros(6), np.ones(12), np.zeros(6)]
"""PV availability of every day: full sun 06:00-18:00, dark at the evening peak."""


def _load() -> np.ndarray:
    """1 MW all year, 3 MW at 18:00 on day 2 only (an evening peak after sunset)."""
    load = np.ones((DAYS, 24))
    load[2, 18] = 3.0
    return load


def _network(load: np.ndarray, weight: np.ndarray, sized: bool = True) -> pypsa.Network:
    """One bus: PV (1 EUR/MW), gas (10 EUR/MW, 1 EUR/MWh), shedding at 100 EUR/MWh."""
    n = pypsa.Network()
    n.set_snapshots(range(load.size))
    n.snapshot_weightings.loc[:, :] = np.repeat(weight, 24)[:, None]
    n.add("Bus", "b")
    n.add("Carrier", ["solar", "gas", "unserved"])
    n.add("Load", "d", bus="b", p_set=load.ravel())
    pv = np.tile(SUN, len(load))
    n.add("Generator", "pv", bus="b", carrier="solar", p_max_pu=pv, capital_cost=1.0)
    n.add("Generator", "gas", bus="b", carrier="gas", capital_cost=10.0, marginal_cost=1.0)
    n.generators["p_nom_extendable"] = sized
    n.add("Generator", "shed", bus="b", carrier="unserved", p_nom=10.0, marginal_cost=100.0)
    return n


def _solve(n: pypsa.Network) -> pypsa.Network:
    status, condition = n.optimize(
        solver_name="highs", include_objective_constant=False, output_flag=False
    )
    assert (status, condition) == ("ok", "optimal")
    return n


@functools.cache
def _size(own: tuple[int, ...]) -> pypsa.Network:
    """Sizing on the own days as they were and one mean day for all the others."""
    load = _load()
    others = [d for d in range(DAYS) if d not in own]
    days = np.vstack([load[list(own)], load[others].mean(axis=0)])
    weight = np.r_[np.ones(len(own)), len(others)]
    return _solve(_network(days, weight))


_OPERATED: dict[int, pypsa.Network] = {}


def _operate(design: pypsa.Network) -> pypsa.Network:
    """The design through the 4 days (solved once a design: the tests share them)."""
    if id(design) not in _OPERATED:
        _OPERATED[id(design)] = _operate_once(design)
    return _OPERATED[id(design)]


def _operate_once(design: pypsa.Network) -> pypsa.Network:
    year = _network(_load(), np.ones(DAYS), sized=False)
    year.generators.loc[["pv", "gas"], "p_nom"] = design.generators.p_nom_opt[["pv", "gas"]]
    return _solve(year)


def test_the_mean_day_misses_the_peak_and_the_year_sheds_on_that_day() -> None:
    # the mean day's 18:00 load is (1 + 1 + 3 + 1) / 4 = 1.5 MW: gas 1.5 MW
    design = _size(())
    assert design.generators.at["gas", "p_nom_opt"] == pytest.approx(1.5)
    year = _operate(design)
    # day 2 at 18:00 sheds 3 - 1.5 = 1.5 MWh, above the 1 MWh a short day needs
    assert pk.short_days(year) == (2,)
    assert pk.short_days(year, threshold_mwh=2.0) == ()


def test_adding_the_short_days_reaches_the_full_chronological_design() -> None:
    full = _solve(_network(_load(), np.ones(DAYS)))
    # hand-computed: gas covers the 3 MW peak (one hour shed at 100 > 10 a MW), PV the
    # 1 MW of the sunny hours (12 h x 4 days x 1 EUR/MWh of gas saved > 1 EUR/MW)
    assert full.generators.p_nom_opt[["pv", "gas"]].tolist() == pytest.approx([1.0, 3.0])
    design, year, history = pk.iterate(_size, _operate, rounds=3)
    assert history == [((), (2,)), ((2,), ())]
    assert design.generators.p_nom_opt[["pv", "gas"]].tolist() == pytest.approx([1.0, 3.0])
    assert float(design.objective) == pytest.approx(float(full.objective), rel=1e-9)
    assert pk.short_days(year) == ()


def test_a_round_limit_stops_the_scheme() -> None:
    design, _year, history = pk.iterate(_size, _operate, rounds=0)
    assert history == [((), (2,))]
    assert design.generators.at["gas", "p_nom_opt"] == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("rounds", "heard", "sized_before"),
    [
        (0, [()], 0),  # no re-size: the first design's own days, before any sizing
        (1, [(2,)], 1),  # the one re-size is the last: told before it is sized
        (3, [(2,)], 2),  # rounds to spare: told when the check finds no new short day
    ],
)
def test_the_last_designs_own_days_are_told_once_as_soon_as_they_are_known(
    rounds: int, heard: list[tuple[int, ...]], sized_before: int
) -> None:
    sized: list[tuple[int, ...]] = []
    told: list[tuple[tuple[int, ...], int]] = []

    def size(own: tuple[int, ...]) -> pypsa.Network:
        sized.append(own)
        return _size(own)

    _design, _year, history = pk.iterate(
        size, _operate, rounds=rounds, settled=lambda own: told.append((own, len(sized)))
    )
    assert [own for own, _count in told] == heard == [history[-1][0]]
    assert told[0][1] == sized_before  # sizings done when it was told


def test_own_days_stand_for_themselves_at_their_hours() -> None:
    rep = load_dataset(2030, "project").profiles
    year = build_temporal(rep, "hourly").series
    year.index = pd.date_range("2030-01-01", periods=8760, freq="h", tz="UTC")
    t = build_temporal(rep, "repdays:1/4", year, own_days=(20, 300))
    assert t.calendar is not None and t.period is not None
    assert t.weight.sum() == pytest.approx(8760.0)
    for day in (20, 300):
        at = (t.period == t.calendar[day]).to_numpy()
        # its 24 hours unsegmented, each standing for itself, values as they were
        assert t.weight[at].tolist() == [1.0] * 24
        expected = year.iloc[24 * day : 24 * day + 24].to_numpy()
        assert t.series[at].to_numpy() == pytest.approx(expected)
        assert list(t.calendar).count(t.calendar[day]) == 1
    # energy is kept: the annual means of the year
    means = (t.series.to_numpy() * t.weight.to_numpy()[:, None]).sum(axis=0) / 8760.0
    assert means == pytest.approx(year.mean().to_numpy(), rel=1e-9, abs=1e-12)


def test_a_study_re_sizes_with_the_short_days_and_checks_the_last_design() -> None:
    from bakuhub.corridor.run_study import run_study
    from bakuhub.corridor.scenario import load_scenario
    from bakuhub.jobs.kinds import CORRIDOR_STUDY, expected_lines

    west = ["AZ_SUM", "GE_GAR", "GE_ANA", "RO_CON"]
    scenario = load_scenario("reference-2030").model_copy(
        update={"nodes": west, "resolution": "repdays:1/2"}
    )
    assert scenario.peak_rounds == 1  # the default
    lines: list[str] = []
    study = run_study(scenario, counterfactual=False, progress=lines.append)
    rounds = study.summary["peak_days"]
    check = study.summary["real_year"]
    # the west sheds nothing on its year: one sizing, checked, and the scheme stops
    assert len(rounds) == 1 and rounds[0]["new_short_days"] == 0
    assert check["system_cost_eur_a"] == pytest.approx(rounds[-1]["real_year_cost_eur_a"])
    assert study.summary["total_system_cost_eur_a"] == pytest.approx(
        rounds[-1]["sizing_cost_eur_a"]
    )
    # far off in cost, and nothing re-sizes it: the verdict says how to size finer
    far = [line for line in lines if line.startswith("real-year check: Far off")]
    assert len(far) == 1 and "refine_solves" in far[0], lines
    # the job counts one re-sizing ahead (a line, a solve, a check) and one line for the
    # files; a check's verdict line, when the design is far off, is not counted
    job = {"scenario": scenario.model_dump(mode="json"), "counterfactual": False}
    counted = [line for line in lines if not line.startswith("real-year check: Far off")]
    assert len(counted) + 1 == expected_lines(CORRIDOR_STUDY, job) - 8, lines


def test_a_design_short_on_its_year_is_re_sized_until_its_check_finds_no_new_short_day() -> None:
    from bakuhub.corridor.run_study import run_study
    from bakuhub.corridor.scenario import Scenario, load_scenario
    from bakuhub.jobs.kinds import CORRIDOR_STUDY, expected_lines

    # Kyrgyzstan and northern Kazakhstan on one mean day a month: winter evenings short
    data = load_scenario("reference-2030").model_dump(mode="json")
    data.update(
        nodes=["KG", "KZ_NR"],
        resolution="repdays:1/2",
        europe={"mode": "none"},
        renewable_targets={},
        peak_rounds=2,
    )
    scenario = Scenario.model_validate(data)
    lines: list[str] = []
    study = run_study(scenario, counterfactual=False, progress=lines.append)
    rounds = study.summary["peak_days"]
    check = study.summary["real_year"]
    # the first design sheds; re-sized with its short days at 24 hours each, it does not
    assert len(rounds) == 2, rounds
    added = rounds[0]["new_short_days"]
    assert rounds[0]["unserved_twh"] > 0.1 and added > 0
    assert rounds[1]["own_days"] == added
    assert rounds[1]["snapshots"] >= 24 + 24 * added - 2 * added
    assert rounds[1]["new_short_days"] == 0 and check["unserved_twh"] < 1e-3
    assert rounds[1]["real_year_cost_eur_a"] < rounds[0]["real_year_cost_eur_a"]
    assert check["system_cost_eur_a"] == pytest.approx(rounds[1]["real_year_cost_eur_a"])
    assert study.summary["total_system_cost_eur_a"] == pytest.approx(rounds[1]["sizing_cost_eur_a"])
    # the first check's far-off verdict does not advise sizing finer (the study re-sizes
    # by itself right after it); the last one's, with no new short day, does
    resize = next(i for i, line in enumerate(lines) if line.startswith("peak days:"))
    far = [i for i, line in enumerate(lines) if line.startswith("real-year check: Far off")]
    assert far[0] < resize and "refine_solves" not in lines[far[0]], lines
    assert far[-1] > resize and "refine_solves" in lines[far[-1]], lines
    # the job counted two re-sizings ahead; one was needed
    job = {"scenario": scenario.model_dump(mode="json"), "counterfactual": False}
    counted = [line for line in lines if not line.startswith("real-year check: Far off")]
    assert len(counted) + 1 == expected_lines(CORRIDOR_STUDY, job) - 8, lines
