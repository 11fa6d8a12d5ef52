"""Perfect foresight's pieces (pathway.py, pathway_foresight.py) on one-bus networks with
costs by hand: a fixed plant runs on each year's fuel cost, a potential holds for all
build years together, a yearly energy target binds in its own period only, and the
solution read back onto each year's network costs what the LP says."""

from __future__ import annotations

import logging

import pypsa
import pytest

from bakuhub.corridor import constraints as con
from bakuhub.corridor import pathway
from bakuhub.corridor import pathway_foresight as pf

YEARS = (2030, 2040)


@pytest.fixture(autouse=True)
def _quiet() -> None:
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)


def _solve(n: pypsa.Network, nets: dict[int, pypsa.Network], target: dict[int, float]) -> None:
    """Model, the standing limits, each year's target on the sink ``x`` (MWh), HiGHS."""
    n.optimize.create_model(include_objective_constant=False, multi_investment_periods=True)
    pf.define_standing_limits(n, nets)
    for year, energy in target.items():
        sns = pf.period_snapshots(n, year)
        con.define_export_target(n, "x", energy, sns, f"export_target {year}")
    status = n.optimize.solve_model(solver_name="highs", output_flag=False)
    assert status == ("ok", "optimal")


def _network(
    year: int, *, load: float, fuel: float, potential: float = float("inf"), offer: bool = True
) -> pypsa.Network:
    """One bus, two snapshots of 1 h; load ``load`` MW; a fixed 5 MW plant ``g`` at
    ``fuel`` EUR/MWh; plant ``a`` built at 1 EUR/MW/a (20 years, up to ``potential``
    MW, no running cost); a sink ``x`` that may take up to 5 MW at no value."""
    n = pypsa.Network()
    n.set_snapshots([0, 1])
    n.add("Bus", "b")
    n.add("Load", "d", bus="b", p_set=load)
    n.add("Generator", "g", bus="b", p_nom=5.0, marginal_cost=fuel)
    if offer:  # else no room to build ``a`` this year
        n.add("Generator", "a", bus="b", p_nom_extendable=True, p_nom_max=potential,
              capital_cost=1.0, lifetime=20.0, p_max_pu=[1.0, 0.0])  # fmt: skip
    n.add("Generator", "x", bus="b", p_nom=5.0, p_min_pu=-1.0, p_max_pu=0.0)
    return n


def _build(**per_year: dict[str, float]):  # type: ignore[no-untyped-def]
    def build(year: int) -> pypsa.Network:
        return _network(year, **per_year[str(year)])  # type: ignore[arg-type]

    return build


def test_a_fixed_plant_runs_on_each_years_fuel_cost() -> None:
    """No discounting, 10 years a period. ``g`` burns 2 EUR/MWh in 2030 and 5 in 2040 and
    alone serves the 1 MW load in the hour ``a`` has no wind, ``a`` (1 MW, built 2030)
    the other: 10 x (1 + 2) + 10 x (1 + 5) = 90 EUR (the 2030 fuel cost in both periods
    would give 60)."""
    build = _build(**{"2030": {"load": 1.0, "fuel": 2.0}, "2040": {"load": 1.0, "fuel": 5.0}})
    n, nets = pf.foresight_network(build, YEARS, 0.0)
    _solve(n, nets, {})
    assert n.objective == pytest.approx(90.0)
    steps = pf.year_steps(n, nets)
    assert [s.cost for s in steps] == pytest.approx([3.0, 6.0])
    assert pathway.myopic_cost(steps, 0.0) == pytest.approx(n.objective)


def test_a_potential_holds_for_all_build_years_together() -> None:
    """``a`` may stand at 1.5 MW in all. Load 1 MW in 2030, 2 MW in 2040 at a fuel cost
    of 10: ``a`` built 1 MW in 2030 (still standing in 2040) leaves 0.5 MW for 2040,
    not another 1.5; 2040's windy hour needs 0.5 MW of ``g``. Cost: 10 x (1 + 10) +
    10 x (1.5 + 0.5 x 10 + 2 x 10) = 375 EUR."""
    build = _build(
        **{
            "2030": {"load": 1.0, "fuel": 10.0, "potential": 1.5},
            "2040": {"load": 2.0, "fuel": 10.0, "potential": 1.5},
        }
    )
    n, nets = pf.foresight_network(build, YEARS, 0.0)
    _solve(n, nets, {})
    built = n.generators.p_nom_opt
    assert built["a 2030"] + built["a 2040"] == pytest.approx(1.5)
    assert n.objective == pytest.approx(375.0)
    later = pf.year_steps(n, nets)[1].network  # as myopic has it: 2030's plant carried
    assert later.generators.at["a 2030", "p_nom"] + later.generators.at["a", "p_nom_opt"] == (
        pytest.approx(1.5)
    )


def test_a_minimum_size_holds_for_all_build_years_together() -> None:
    """``a`` must stand at exactly 2 MW (``p_nom_min = p_nom_max = 2``, as a cable of
    ``mode: fixed``) in both years, load 1 MW: built in 2030, it stands in 2040, so 2040
    builds nothing (each build year's own minimum would build 4 MW). Cost: 10 x 2 (the
    capital) + 10 x 2 = 40 EUR, ``g`` running in the calm hour at 0 fuel cost."""
    build = _build(**{"2030": {"load": 1.0, "fuel": 0.0}, "2040": {"load": 1.0, "fuel": 0.0}})

    def fixed(year: int) -> pypsa.Network:
        n = build(year)
        n.generators.loc["a", ["p_nom_min", "p_nom_max"]] = 2.0
        return n

    n, nets = pf.foresight_network(fixed, YEARS, 0.0)
    pf.prepare(n, {})
    _solve(n, nets, {})
    assert n.generators.p_nom_opt[["a 2030", "a 2040"]].tolist() == pytest.approx([2.0, 0.0])
    assert n.objective == pytest.approx(40.0)


def test_a_years_energy_target_binds_in_its_period_only() -> None:
    """The sink must take 4 MWh in 2040 and nothing is asked in 2030: 2040 builds 4 MW
    more of ``a`` for its windy hour (4 EUR, less than 4 MWh of ``g`` at 2), 2030 takes
    nothing. Cost: 10 x (1 + 2) + 10 x (1 + 4 + 2) = 100 EUR."""
    build = _build(**{"2030": {"load": 1.0, "fuel": 2.0}, "2040": {"load": 1.0, "fuel": 2.0}})
    n, nets = pf.foresight_network(build, YEARS, 0.0)
    _solve(n, nets, {2040: 4.0})
    taken = -n.generators_t.p["x"].groupby(level="period").sum()
    assert taken.to_dict() == pytest.approx({2030: 0.0, 2040: 4.0}, abs=1e-6)
    assert n.objective == pytest.approx(100.0)
    assert n.generators.p_nom_opt["a 2040"] == pytest.approx(4.0)


def test_a_plant_that_can_no_longer_be_built_still_runs() -> None:
    """2040's network has no ``a`` (no room left to build it): the 1 MW built in 2030
    still runs there on its own profile, 10 x (1 + 2) + 10 x (1 + 5) = 90 EUR (not
    10 x 3 + 10 x (1 + 2 x 5) = 140 with it idle)."""
    build = _build(
        **{"2030": {"load": 1.0, "fuel": 2.0}, "2040": {"load": 1.0, "fuel": 5.0, "offer": False}}
    )
    n, nets = pf.foresight_network(build, YEARS, 0.0)
    _solve(n, nets, {})
    assert n.objective == pytest.approx(90.0)
    assert n.generators_t.p.loc[2040, "a 2030"].tolist() == pytest.approx([1.0, 0.0])
