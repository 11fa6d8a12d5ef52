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
