"""Tiny PyPSA networks whose optimal objectives can be computed by hand (EUR).

Each builder returns a fresh network; the docstring gives the optimum, which the
tests in ``tests/corridor_model/test_tiny_networks.py`` check by solving and
``tests/corridor_model/test_constraint_structure.py`` uses to check the
constraint families without solving. PyPSA is imported when a builder is called,
so ``import bakuhub.testing`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bakuhub.corridor.temporal import Temporal

if TYPE_CHECKING:
    import pypsa
    from numpy.typing import ArrayLike

PV_BATTERY_OBJECTIVE = 4.2
"""Optimum of :func:`pv_battery` with ``define_battery_power_balance`` (EUR)."""

TWO_BUSES_OBJECTIVE = 3 / 0.9 + 0.05 * 2 / 0.9
"""Optimum of :func:`two_buses` with ``define_shared_link_capacity`` (EUR)."""

REP_DAYS_OBJECTIVE = 2.2
"""Optimum of :func:`rep_days` with ``define_representative_day_storage`` (EUR)."""


def _network() -> pypsa.Network:
    import pypsa

    return pypsa.Network()


def pv_battery() -> pypsa.Network:
    """One bus with PV and a battery (store, charger and discharger links).

    Load 1 MW for 3 h; PV only in hour 0 (1 EUR/MW); battery 0.1 EUR/MWh, inverter
    0.5 EUR/MW shared by charger and discharger (lossless). With one inverter for
    both directions: PV 3 MW (3.0) + store 2 MWh (0.2) + inverter 2 MW (1.0) = 4.2 EUR.
    """
    n = _network()
    n.set_snapshots(range(3))
    n.add("Bus", ["b", "b battery"])
    n.add("Load", "d", bus="b", p_set=1.0)
    n.add(
        "Generator",
        "pv",
        bus="b",
        p_nom_extendable=True,
        capital_cost=1.0,
        p_max_pu=[1.0, 0.0, 0.0],
    )
    n.add(
        "Store",
        "b battery",
        bus="b battery",
        e_nom_extendable=True,
        e_cyclic=True,
        capital_cost=0.1,
    )
    n.add(
        "Link",
        "b battery charger",
        bus0="b",
        bus1="b battery",
        p_nom_extendable=True,
        capital_cost=0.5,
    )
    n.add("Link", "b battery discharger", bus0="b battery", bus1="b", p_nom_extendable=True)
    return n


def two_buses() -> pypsa.Network:
    """Buses a and b joined by a lossy two-way cable (links ``c fwd`` / ``c bwd``).

    Hour 0: 1 MW at b comes from a (1/0.9 MWh at 1 EUR); hour 1: 2 MW at a come
    from b (2/0.9 MWh at 1 EUR). With one shared capacity 2/0.9 MW at 0.05 EUR/MW:
    1/0.9 + 2/0.9 + 0.05 * 2/0.9 = 3.4444 EUR.
    """
    n = _network()
    n.set_snapshots(range(2))
    n.add("Bus", ["a", "b"])
    n.add("Load", "load a", bus="a", p_set=[0.0, 2.0])
    n.add("Load", "load b", bus="b", p_set=[1.0, 0.0])
    n.add("Generator", "gen a", bus="a", p_nom=100, marginal_cost=[1.0, 10.0])
    n.add("Generator", "gen b", bus="b", p_nom=100, marginal_cost=[10.0, 1.0])
    for name, bus0, bus1, cost in (("c fwd", "a", "b", 0.05), ("c bwd", "b", "a", 0.0)):
        n.add(
            "Link",
            name,
            bus0=bus0,
            bus1=bus1,
            efficiency=0.9,
            p_nom_extendable=True,
            capital_cost=cost,
        )
    return n


def rep_days(calendar: ArrayLike = (0, 1)) -> tuple[pypsa.Network, Temporal]:
    """Two representative days of 2 h (sunny, then dark) and their calendar.

    One bus: load 1 MW, PV (1 EUR/MW) producing only on the sunny day, load
    shedding at 100 EUR/MWh and a store (0.1 EUR/MWh). With the calendar sunny ->
    dark and storage across days: PV 2 MW (2.0) fills a 2 MWh store (0.2) on the
    sunny day for the dark day: 2.2 EUR. Snapshot weightings are left at 1 h; a
    calendar where a day type recurs needs weightings to match.
    """
    series = pd.DataFrame({"pv": [1.0, 1.0, 0.0, 0.0]})
    temporal = Temporal(
        series=series,
        weight=pd.Series([1.0] * 4),
        duration=pd.Series([1.0] * 4),
        period=pd.Series([0, 0, 1, 1]),
        calendar=np.asarray(calendar),
        label="test",
    )
    n = _network()
    n.set_snapshots(range(len(series)))
    n.add("Bus", "b")
    n.add("Load", "d", bus="b", p_set=1.0)
    n.add(
        "Generator",
        "pv",
        bus="b",
        p_nom_extendable=True,
        capital_cost=1.0,
        p_max_pu=series.pv.to_numpy(),
    )
    n.add("Generator", "shed", bus="b", p_nom=10, marginal_cost=100)
    n.add("Store", "s", bus="b", e_nom_extendable=True, capital_cost=0.1, e_cyclic=True)
    return n, temporal


def pv_store_network(pv: ArrayLike, load: ArrayLike) -> pypsa.Network:
    """One bus with PV (30 EUR/MW), gas (20 EUR/MW, 4 EUR/MWh), shedding and a store.

    ``pv`` is PV's availability per snapshot (p.u.), ``load`` the demand (MW); one
    snapshot per value. Used to compare representative days with the chronological
    year, so no closed-form optimum.
    """
    pv = np.asarray(pv, dtype=float)
    n = _network()
    n.set_snapshots(range(len(pv)))
    n.add("Bus", "b")
    n.add("Load", "d", bus="b", p_set=np.asarray(load, dtype=float))
    n.add("Generator", "pv", bus="b", p_nom_extendable=True, capital_cost=30.0, p_max_pu=pv)
    n.add("Generator", "gas", bus="b", p_nom_extendable=True, capital_cost=20.0, marginal_cost=4)
    n.add("Generator", "shed", bus="b", p_nom=100, marginal_cost=1000)
    n.add("Store", "s", bus="b", e_nom_extendable=True, capital_cost=1.0, e_cyclic=True)
    return n
