"""The proven bracket (``corridor/bracket.py``): block models with mean series are
relaxations of the hourly model, on tiny inline networks solved for real."""

from __future__ import annotations

import numpy as np
import pytest

pypsa = pytest.importorskip("pypsa")

from bakuhub.corridor import bracket  # noqa: E402
from bakuhub.corridor import constraints as con  # noqa: E402
from bakuhub.corridor.network import MIN_CAPACITY_FACTOR  # noqa: E402
from bakuhub.errors import InvalidInput  # noqa: E402

HOURS = 72
VOLL = 3000.0


def corridor(hours: int = HOURS, seed: int = 7) -> pypsa.Network:
    """Three buses in a row: PV and a battery at A, wind at B, gas at C; load everywhere,
    shedding at the value of lost load, a CO2 cap; every capacity extendable."""
    rng = np.random.default_rng(seed)
    t = np.arange(hours)
    solar = np.clip(np.sin((t % 24 - 6) / 12 * np.pi), 0, None) * rng.uniform(0.5, 1, hours)
    solar[solar < MIN_CAPACITY_FACTOR] = 0.0  # as the corridor's network cuts its series
    wind = np.clip(0.4 + np.cumsum(rng.normal(0, 0.08, hours)), 0.02, 1)
    shape = 1 + 0.3 * np.sin((t % 24 - 9) / 24 * 2 * np.pi)
    n = pypsa.Network()
    n.set_snapshots(range(hours))
    n.add("Carrier", ["AC", "solar", "wind", "gas", "battery", "unserved"])
    n.carriers.loc["gas", "co2_emissions"] = 0.2
    for bus, x in (("A", 0.0), ("B", 1.0), ("C", 2.0)):
        n.add("Bus", bus, x=x, carrier="AC")
        load = {"A": 100.0, "B": 60.0, "C": 80.0}[bus] * shape
        n.add("Load", bus, bus=bus, p_set=load)
        n.add("Generator", f"{bus} unserved", bus=bus, carrier="unserved",
              p_nom=float(load.max()), marginal_cost=VOLL)  # fmt: skip
    n.add("Generator", "A solar", bus="A", carrier="solar", p_nom_extendable=True,
          p_max_pu=solar, capital_cost=40.0)  # fmt: skip
    n.add("Generator", "B wind", bus="B", carrier="wind", p_nom_extendable=True,
          p_max_pu=wind, capital_cost=70.0)  # fmt: skip
    n.add("Generator", "C gas", bus="C", carrier="gas", p_nom_extendable=True,
          capital_cost=50.0, marginal_cost=60.0)  # fmt: skip
    n.add("Bus", "A battery", carrier="battery", x=0.0)
    n.add("Store", "A battery", bus="A battery", carrier="battery", e_nom_extendable=True,
          e_cyclic=True, capital_cost=8.0)  # fmt: skip
    n.add("Link", "A battery charger", bus0="A", bus1="A battery", carrier="battery",
          efficiency=0.95, p_nom_extendable=True, capital_cost=10.0)  # fmt: skip
    n.add("Link", "A battery discharger", bus0="A battery", bus1="A", carrier="battery",
          efficiency=0.95, p_nom_extendable=True)  # fmt: skip
    for name, (b0, b1) in {"AB": ("A", "B"), "BC": ("B", "C")}.items():
        n.add("Link", name, bus0=b0, bus1=b1, carrier="AC", p_min_pu=-1.0,
              p_nom_extendable=True, capital_cost=15.0)  # fmt: skip
    gas_mwh = 0.5 * 80.0 * hours  # at most half of C's load from gas
    n.add("GlobalConstraint", "CO2Limit", type="primary_energy",
          carrier_attribute="co2_emissions", sense="<=", constant=0.2 * gas_mwh)  # fmt: skip
    return n


def define(n: pypsa.Network) -> None:
    n.optimize.create_model(include_objective_constant=False)
    con.define_battery_power_balance(n)


def hourly_optimum(n: pypsa.Network) -> float:
    define(n)
    status, condition = n.optimize.solve_model(solver_name="highs")
    assert (status, condition) == ("ok", "optimal")
    return float(n.objective)


def operation(n: pypsa.Network) -> bracket.HourlyOperation:
    define(n)
    return bracket.HourlyOperation(n)


PARTITIONS = {
    "2h": np.full(HOURS // 2, 2),
    "3h": np.full(HOURS // 3, 3),
    "6h": np.full(HOURS // 6, 6),
    "24h": np.full(HOURS // 24, 24),
    "uneven": np.array([1, 5, 7, 3, 12, 2, 2, 8, 20, 4, 8]),
    "6h, day 2 hourly": bracket.refine(np.full(HOURS // 6, 6), np.arange(HOURS) // 24 == 1),
}


@pytest.fixture(scope="module")
def optimum() -> float:
    return hourly_optimum(corridor())


@pytest.fixture(scope="module")
def hourly_operation() -> bracket.HourlyOperation:
    return operation(corridor())


@pytest.mark.parametrize("label", list(PARTITIONS))
def test_block_model_brackets_the_hourly_optimum(
    label: str, optimum: float, hourly_operation: bracket.HourlyOperation
) -> None:
    sizes = PARTITIONS[label]
    assert sizes.sum() == HOURS
    relaxed = bracket.aggregate(corridor(), sizes)
    assert len(relaxed.snapshots) == len(sizes)
    lower = bracket.lower_bound(relaxed, define, {})
    upper = hourly_operation.evaluate(hourly_operation.design(relaxed))["cost"]
    assert lower <= optimum * (1 + 1e-7)
    assert upper >= optimum * (1 - 1e-7)
    if label != "2h":  # coarse blocks lose something: a real gap, not a tie
        assert lower < optimum * (1 - 1e-4)


@pytest.mark.parametrize(
    ("tolerances", "within"),
    [(bracket.TOLERANCES, 1e-3), ({"tol_gap_rel": 1e-2, "tol_feas": 1e-3}, 0.1)],
    ids=["prove's", "1e-2"],
)
@pytest.mark.parametrize("label", ["2h", "6h, day 2 hourly"])
def test_an_interior_point_stopped_early_still_bounds_its_block_model(
    label: str, tolerances: dict[str, float], within: float
) -> None:
    """Stopped at loose tolerances, Clarabel's dual objective lies above the block model's
    optimum (on ``2h`` at prove's tolerances by 3e-4 of it, at 1e-2 by 3.6 %); less its
    residual's part, it is below, and close."""
    sizes = PARTITIONS[label]
    exact = bracket.lower_bound(bracket.aggregate(corridor(), sizes), define, {})
    lower = bracket.lower_bound(bracket.aggregate(corridor(), sizes), define, dict(tolerances))
    assert exact * (1 - within) < lower <= exact * (1 + 1e-9)


def test_the_design_operated_hourly_costs_its_hourly_cost(
    optimum: float, hourly_operation: bracket.HourlyOperation
) -> None:
    """The upper bound of the hourly optimum's own design is the optimum."""
    n = corridor()
    hourly_optimum(n)
    found = hourly_operation.evaluate(hourly_operation.design(n))
    assert found["cost"] == pytest.approx(optimum, rel=1e-7)
    assert found["shed"].shape == (HOURS,) and found["price"].shape == (HOURS,)


def test_the_scheme_closes_to_the_hourly_optimum(optimum: float) -> None:
    """From days as blocks, a day refined to hours a step: every step's bounds hold, and
    with every hour its own block both bounds are the hourly optimum."""
    found = bracket.run(
        corridor(), operation(corridor()), define, np.full(3, 24), tolerance=0.0,
        days_per_step=1,
    )  # fmt: skip
    assert len(found.steps) == 4
    assert [s.snapshots for s in found.steps] == [3, 26, 49, 72]
    for step in found.steps:
        assert step.lower <= optimum * (1 + 1e-7) <= step.design_cost * (1 + 2e-7)
    assert found.steps[0].gap > 1e-3
    given = corridor()
    hourly_optimum(given)  # a given design's hourly cost bounds from above at once
    closed = bracket.run(corridor(), operation(corridor()), define, np.full(3, 24),
                         designs=(given,), time_limit_s=0.0)  # fmt: skip
    assert closed.upper == pytest.approx(optimum, rel=1e-7) and closed.design is given
    assert closed.lower == found.steps[0].lower
    assert found.lower == pytest.approx(optimum, rel=1e-6)
    assert found.upper == pytest.approx(optimum, rel=1e-6)


def dawn() -> pypsa.Network:
    """One bus: load only in the hours PV gives 0.0015 p.u. (kept by the 1e-3 cut), none
    in the dark hours between; PV is cheap, gas dear. Two-hour blocks average PV to
    0.00075, below the cut."""
    n = pypsa.Network()
    n.set_snapshots(range(24))
    lit = np.arange(24) % 2 == 0
    n.add("Carrier", ["AC", "solar", "gas"])
    n.add("Bus", "A", carrier="AC")
    n.add("Load", "A", bus="A", p_set=np.where(lit, 1.0, 0.0))
    n.add("Generator", "A solar", bus="A", carrier="solar", p_nom_extendable=True,
          p_max_pu=np.where(lit, 0.0015, 0.0), capital_cost=1.0)  # fmt: skip
    n.add("Generator", "A gas", bus="A", carrier="gas", p_nom_extendable=True,
          capital_cost=1000.0, marginal_cost=100.0)  # fmt: skip
    return n


def peaky() -> pypsa.Network:
    """One bus, gas only, load 1 MW in every other hour and none between."""
    n = pypsa.Network()
    n.set_snapshots(range(24))
    n.add("Carrier", ["AC", "gas"])
    n.add("Bus", "A", carrier="AC")
    n.add("Load", "A", bus="A", p_set=np.where(np.arange(24) % 2 == 0, 1.0, 0.0))
    n.add("Generator", "A gas", bus="A", carrier="gas", p_nom_extendable=True,
          capital_cost=1000.0, marginal_cost=100.0)  # fmt: skip
    return n


@pytest.mark.parametrize("build", [dawn, peaky])
def test_two_hour_means_bound_the_hourly_optimum_from_below(build) -> None:  # type: ignore[no-untyped-def]
    """``dawn``: cutting a block mean below 1e-3 to 0 (as the network does to hourly
    values) would lose the PV and lift the bound above the hourly optimum; ``peaky``: a
    block's peak load instead of its mean would count energy that is not there."""
    optimum = hourly_optimum(build())
    lower = bracket.lower_bound(bracket.aggregate(build(), np.full(12, 2)), define, {})
    assert lower <= optimum * (1 + 1e-7)
    assert lower < optimum * 0.9  # halved peaks: the bound is loose, and says so


def test_tiny_block_means_are_raised_not_cut() -> None:
    assert hourly_optimum(dawn()) == pytest.approx(1.0 / 0.0015, rel=1e-6)  # PV only
    relaxed = bracket.aggregate(dawn(), np.full(12, 2))
    assert relaxed.generators_t.p_max_pu["A solar"].eq(MIN_CAPACITY_FACTOR).all()
    assert relaxed.loads_t.p_set["A"].eq(0.5).all()  # the mean, not the block's peak
    assert relaxed.snapshot_weightings.stores.eq(2.0).all()


def test_refine_keeps_blocks_and_splits_fine_hours() -> None:
    fine = np.zeros(12, dtype=bool)
    fine[5:8] = True
    assert bracket.refine(np.array([4, 4, 4]), fine).tolist() == [4, 1, 1, 1, 1, 4]
    assert bracket.refine(np.array([6, 6]), np.zeros(12, bool)).tolist() == [6, 6]
    assert bracket.refine(np.array([6, 6]), np.ones(12, bool)).tolist() == [1] * 12


def test_networks_that_do_not_average_are_refused() -> None:
    n = corridor(24)
    n.stores.loc["A battery", "standing_loss"] = 0.01
    with pytest.raises(InvalidInput, match="standing loss"):
        bracket.aggregate(n, np.full(4, 6))
    n = corridor(24)
    n.generators_t.marginal_cost["C gas"] = np.linspace(50, 70, 24)
    with pytest.raises(InvalidInput, match="marginal_cost per snapshot"):
        bracket.aggregate(n, np.full(4, 6))


def test_base_partitions_are_chronological_blocks() -> None:
    import pandas as pd

    year = pd.DataFrame({"A|solar": np.r_[np.zeros(40), np.ones(8)], "A|load": 1.0})
    assert bracket.base_partition("6h", year).tolist() == [6] * 8
    segments = bracket.base_partition("segments:3", year)
    assert segments.sum() == 48 and len(segments) == 3 and 8 in segments
    with pytest.raises(InvalidInput, match="representative days"):
        bracket.base_partition("repdays/12", year)
