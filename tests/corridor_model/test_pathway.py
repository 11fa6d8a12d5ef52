"""The pathway over years (pathway.py): a unit built in the first period serves the
second, and retires at the end of its life; myopic and perfect foresight by hand."""

from __future__ import annotations

import logging

import pypsa
import pytest

from bakuhub.corridor import pathway
from bakuhub.errors import InvalidInput

YEARS = (2030, 2040)


@pytest.fixture(autouse=True)
def _quiet() -> None:
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)


def _builder(lifetime: float):  # type: ignore[no-untyped-def]
    """One bus, one hour, load 1 MW in every year. Plant ``a`` costs 3 EUR/MW a year
    when built in 2030 and 4 EUR/MW a year when built in 2040 (the year's annuity),
    lasting ``lifetime`` years."""

    def build(year: int) -> pypsa.Network:
        n = pypsa.Network()
        n.set_snapshots([0])
        n.add("Bus", "b")
        n.add("Load", "d", bus="b", p_set=1.0)
        n.add("Generator", "a", bus="b", p_nom_extendable=True, lifetime=lifetime,
              capital_cost=3.0 if year == 2030 else 4.0)  # fmt: skip
        return n

    return build


def test_period_weights_count_the_years_to_the_next_step() -> None:
    """No discounting: 2030 stands for 2030-2039 (10), 2040 repeats the gap (10); at 10 %
    2040's ten years weigh sum_{k=10}^{19} 1.1^-k."""
    flat = pathway.period_weights(YEARS, 0.0)
    assert flat["years"].tolist() == [10, 10]
    assert flat["objective"].tolist() == pytest.approx([10.0, 10.0])
    discounted = pathway.period_weights(YEARS, 0.1)
    assert discounted.at[2040, "objective"] == pytest.approx(sum(1.1**-k for k in range(10, 20)))


@pytest.mark.parametrize("mode", ["myopic", "perfect-foresight"])
def test_a_unit_built_in_the_first_period_serves_the_second(mode: str) -> None:
    """Lifetime 20: ``a`` built in 2030 (1 MW) still stands in 2040, so nothing is built
    then. Cost = 3 EUR/MW/a x 1 MW x (10 + 10) years = 60 EUR."""
    build = _builder(20)
    if mode == "myopic":
        steps = pathway.myopic(build, YEARS)
        assert pathway.myopic_cost(steps, 0.0) == pytest.approx(60.0)
        later = steps[1].network
        assert later.generators.at["a", "p_nom_opt"] == pytest.approx(0.0, abs=1e-6)
        assert later.generators_t.p["a 2030"].iloc[0] == pytest.approx(1.0)
    else:
        n = pathway.perfect_foresight(build, YEARS, 0.0)
        pathway.highs(n)
        assert n.objective == pytest.approx(60.0)
        assert n.generators.p_nom_opt.to_dict() == pytest.approx({"a 2030": 1.0, "a 2040": 0.0})
        assert n.generators_t.p.loc[2040, "a 2030"].iloc[0] == pytest.approx(1.0)


@pytest.mark.parametrize("mode", ["myopic", "perfect-foresight"])
def test_a_unit_retires_at_the_end_of_its_life(mode: str) -> None:
    """Lifetime 10: ``a`` built in 2030 is gone in 2040 (2030 + 10 is not after 2040),
    so 1 MW is built again at 2040's price. Cost = 3 x 10 + 4 x 10 = 70 EUR."""
    build = _builder(10)
    if mode == "myopic":
        steps = pathway.myopic(build, YEARS)
        assert pathway.myopic_cost(steps, 0.0) == pytest.approx(70.0)
        later = steps[1].network
        assert "a 2030" not in later.generators.index
        assert later.generators.at["a", "p_nom_opt"] == pytest.approx(1.0)
    else:
        n = pathway.perfect_foresight(build, YEARS, 0.0)
        pathway.highs(n)
        assert n.objective == pytest.approx(70.0)
        assert n.generators.p_nom_opt.to_dict() == pytest.approx({"a 2030": 1.0, "a 2040": 1.0})
        assert n.generators_t.p.loc[2040, "a 2030"].iloc[0] == pytest.approx(0.0)


def test_carried_capacity_uses_up_the_room_to_grow() -> None:
    """``a`` may have 1.5 MW in all; 1 MW built in 2030 (lifetime 20) leaves 0.5 MW."""

    def build(year: int) -> pypsa.Network:
        n = _builder(20)(year)
        n.generators.loc["a", "p_nom_max"] = 1.5
        return n

    steps = pathway.myopic(build, YEARS)
    assert steps[1].network.generators.at["a", "p_nom_max"] == pytest.approx(0.5)


def test_a_fixed_size_counts_what_earlier_years_built() -> None:
    """``a`` is fixed at 2 MW in all (``p_nom_min = p_nom_max = 2``, as a cable of
    ``mode: fixed``), lifetime 20: built in 2030, it stands in 2040, so 2040 builds
    nothing (not 2 MW more, not an infeasible 2 <= P <= 0). Cost = 3 x 2 x 20 = 120 EUR.
    (Perfect foresight: ``test_pathway_foresight``.)"""

    def build(year: int) -> pypsa.Network:
        n = _builder(20)(year)
        n.generators.loc["a", ["p_nom_min", "p_nom_max"]] = 2.0
        return n

    steps = pathway.myopic(build, YEARS)
    later = steps[1].network
    assert later.generators.at["a", "p_nom_min"] == pytest.approx(0.0)
    assert later.generators.at["a", "p_nom_opt"] == pytest.approx(0.0, abs=1e-6)
    assert later.generators.at["a 2030", "p_nom"] == pytest.approx(2.0)
    assert pathway.myopic_cost(steps, 0.0) == pytest.approx(120.0)


def test_a_battery_pinned_in_a_later_year_is_carried_once() -> None:
    """The corridor pathway pins a carried battery as an extendable store of fixed size
    (``pathway_study._pin_carried_stores``); it was built in 2030 and stands once in
    2040, not again as built in 2035. Its 1 MWh moves the load of the dark hour."""
    from bakuhub.corridor.pathway_study import _pin_carried_stores

    years = (2030, 2035, 2040)

    def build(year: int) -> pypsa.Network:
        n = pypsa.Network()
        n.set_snapshots(range(2))
        n.add("Bus", "b")
        n.add("Load", "d", bus="b", p_set=[0.0, 1.0])
        n.add("Generator", "sun", bus="b", p_nom=1.0, p_max_pu=[1.0, 0.0])
        n.add("Generator", "shed", bus="b", p_nom=1.0, marginal_cost=1000.0)
        n.add("Store", "s", bus="b", e_nom_extendable=True, e_cyclic=True, capital_cost=1.0,
              lifetime=30)  # fmt: skip
        return n

    def solve(n: pypsa.Network) -> None:
        _pin_carried_stores(n, years)
        pathway.highs(n)

    steps = pathway.myopic(build, years, solve)
    last = steps[-1]
    assert sorted(last.network.stores.index) == ["s", "s 2030"]
    assert [(a.name, a.build_year) for a in last.carried] == [("s", 2030)]
    assert float(last.network.stores.e_nom_opt.sum()) == pytest.approx(1.0)
    assert last.cost == pytest.approx(1.0)  # the 2030 store's capital cost, nothing built


def test_years_out_of_order_are_a_sentence() -> None:
    with pytest.raises(InvalidInput, match="increasing order"):
        pathway.period_weights([2040, 2030], 0.0)


def _trading(flows: dict[str, float]) -> pypsa.Network:
    """Cable C from A (10 EUR/MWh) to B (30 EUR/MWh), 90 % one way, two snapshots of
    4,380 h; ``flows``: MW sent by each part (the first snapshot only)."""
    import pandas as pd

    n = pypsa.Network()
    n.set_snapshots([0, 1])
    n.snapshot_weightings.loc[:, "generators"] = 4380.0
    n.add("Bus", ["A", "B"])
    for link in flows:
        forward = " fwd" in link
        n.add("Link", link, bus0="A" if forward else "B", bus1="B" if forward else "A",
              efficiency=0.9, length=100.0)  # fmt: skip
    n.links_t.p0 = pd.DataFrame({k: [v, 0.0] for k, v in flows.items()}, index=n.snapshots)
    n.buses_t.marginal_price = pd.DataFrame(
        {"A": [10.0, 10.0], "B": [30.0, 30.0]}, index=n.snapshots
    )
    return n


def test_a_cables_npv_over_the_path_by_hand() -> None:
    """Built 2030 (100 M EUR) and 2035 (50 M EUR); its parts' trade each year at the
    year's prices, less fixed O&M on what is in service; discounted to 2030 at the WACC,
    the last year's revenue held until 40 years from 2030."""
    from bakuhub.corridor.datasets import load_dataset
    from bakuhub.corridor.economics import fom_share, irr, npv
    from bakuhub.corridor.pathway_years import path_cable_economics
    from bakuhub.corridor.scenario import load_scenario

    scenario = load_scenario("reference-2030")
    r, fom = 0.07, fom_share(load_dataset(2030, "project"), "HVDC overhead", 100.0)
    assert scenario.costs.wacc == r and scenario.economics.horizon_years == 40
    early = _trading({"C fwd": 100.0, "C bwd": 0.0})
    late = _trading({"C fwd": 50.0, "C bwd": 0.0, "C fwd 2030": 100.0, "C bwd 2030": 0.0})
    steps = [pathway.Step(2030, early, 0.0), pathway.Step(2035, late, 0.0)]
    built = [
        {"cable": "C", "year": 2030, "investment_eur": 100e6},
        {"cable": "C", "year": 2035, "investment_eur": 50e6},
        {"cable": None, "year": 2030, "investment_eur": 7e6},
    ]
    found = path_cable_economics(steps, {2030: scenario, 2035: scenario}, built)["C"]

    r30 = 4380 * 100 * (0.9 * 30 - 10) - fom * 100e6  # 7.446 M EUR of trade a year
    r35 = 4380 * 150 * (0.9 * 30 - 10) - fom * 150e6

    def annuity(first: int, last: int) -> float:  # end of years first..last after 2030
        return sum((1 + r) ** -k for k in range(first, last + 1))

    by_hand = -100e6 + r30 * annuity(1, 5) - 50e6 * (1 + r) ** -5 + r35 * annuity(6, 40)
    assert found["investment_eur"] == pytest.approx(150e6)
    assert found["npv_eur"] == pytest.approx(by_hand, rel=1e-12)
    assert found["horizon_years"] == 40
    assert found["irr"] is not None
    at_irr = {2030: scenario, 2035: scenario}
    for year in at_irr:  # the rate at which the same flows are worth nothing
        costs = scenario.costs.model_copy(update={"wacc": found["irr"]})
        at_irr[year] = scenario.model_copy(update={"costs": costs})
    assert path_cable_economics(steps, at_irr, built)["C"]["npv_eur"] == pytest.approx(0.0, abs=1.0)

    # nothing new in 2035 and the same trade: the single-year NPV of economics.py
    same = [pathway.Step(2030, early, 0.0), pathway.Step(2035, _trading({"C fwd": 100.0}), 0.0)]
    once = path_cable_economics(same, {2030: scenario, 2035: scenario}, built[:1])["C"]
    assert once["npv_eur"] == pytest.approx(npv(r, 100e6, r30, 40), rel=1e-12)
    assert once["irr"] == pytest.approx(irr(100e6, r30, 40), rel=1e-6)
