"""Constraint families added to PyPSA's model, one function each.

Each takes the network (whose linopy model ``n.model`` exists) and adds its
constraints by name. Units: MW, MWh, hours; ``w_t`` is the weight of snapshot
``t`` in hours of the year, ``d_t`` its duration in hours.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

    from bakuhub.corridor.temporal import Temporal


PYPSA_STORE_CONSTRAINTS = ("Store-energy_balance", "Store-ext-e-lower", "Store-ext-e-upper")
"""PyPSA's own store constraints that representative-day storage replaces, by name."""


def _pairs(names: pd.Index, first: str, second: str) -> list[tuple[str, str]]:
    """``(NAME first, NAME second)`` among ``names``; a trailing build year (``NAME first
    2035``, a perfect-foresight copy, see ``pathway.py``) pairs with the same year's."""
    found = set(map(str, names))
    pairs = []
    for name in map(str, names):
        match = re.fullmatch(rf"(.*) {first}( \d{{4}})?", name)
        if match and f"{match[1]} {second}{match[2] or ''}" in found:
            pairs.append((name, f"{match[1]} {second}{match[2] or ''}"))
    return pairs


def standing(n: pypsa.Network, names: list[str], snapshots: pd.Index) -> list[str]:
    """The generators of ``names`` that run in ``snapshots`` (PyPSA leaves out the dispatch
    of an asset before its build year or after its life, a multi-period network's)."""
    if not names:
        return []
    labels = n.model["Generator-p"].labels.sel(name=names, snapshot=snapshots)
    present = (labels != -1).any("snapshot").to_numpy()
    return [name for name, ok in zip(names, present, strict=True) if ok]


def define_shared_link_capacity(n: pypsa.Network) -> None:
    """One capacity for both directions of a lossy two-way link.

    ``P_fwd = P_bwd`` for every extendable pair ``NAME fwd`` / ``NAME bwd`` (MW), so a
    cable is paid once and carries at most its capacity either way, with losses in
    both directions (no energy is created by reverse flow).
    """
    pairs = _pairs(n.links.index[n.links.p_nom_extendable], "fwd", "bwd")
    if not pairs:
        return
    p_nom = n.model["Link-p_nom"]
    fwd = p_nom.sel(name=[f for f, _ in pairs])
    bwd = p_nom.sel(name=[b for _, b in pairs])
    bwd = bwd.assign_coords(name=[f for f, _ in pairs])
    n.model.add_constraints(fwd - bwd == 0, name="link_shared_capacity")


def define_battery_power_balance(n: pypsa.Network) -> None:
    """Charger and discharger of a battery share one inverter: ``P_ch = P_dis`` (MW)."""
    pairs = _pairs(n.links.index[n.links.p_nom_extendable], "charger", "discharger")
    if not pairs:
        return
    p_nom = n.model["Link-p_nom"]
    charge = p_nom.sel(name=[c for c, _ in pairs])
    discharge = p_nom.sel(name=[d for _, d in pairs]).assign_coords(name=[c for c, _ in pairs])
    n.model.add_constraints(charge - discharge == 0, name="battery_inverter")


def define_export_target(
    n: pypsa.Network,
    generator: str,
    energy_mwh: float,
    snapshots: pd.Index | None = None,
    name: str = "export_target",
) -> None:
    """Deliver the export target at the gateway: ``sum_t w_t * (-p_export,t) = E`` (MWh),
    over ``snapshots`` (default all: one year; a perfect-foresight pathway gives each
    investment period's own, with that year's ``E``).

    The dual of this constraint is the marginal cost of one more MWh delivered.
    """
    sns = n.snapshots if snapshots is None else snapshots
    p = n.model["Generator-p"].sel(name=generator, snapshot=sns)
    weights = n.snapshot_weightings.generators.loc[sns]
    n.model.add_constraints((-p * weights).sum() == energy_mwh, name=name)


def define_renewable_share(
    n: pypsa.Network,
    country: str,
    share: float,
    carriers: tuple[str, ...],
    penalty: float | None = None,
    snapshots: pd.Index | None = None,
    suffix: str = "",
) -> None:
    """National renewable share (MWh):

    ``sum_(g in RE(c), t) w_t p_g,t >= s * sum_(l in c, t) w_t d_l,t``,

    over ``snapshots`` (default all: one year; a perfect-foresight pathway gives each
    investment period's own, with that year's ``s``, the name ending in ``suffix``).

    With ``penalty`` (EUR/MWh) the share is soft: a shortfall ``S >= 0`` joins the
    left-hand side and costs ``penalty * S`` (for an operating LP that must be feasible
    for any design).
    """
    buses = n.buses.index[n.buses.country == country]
    gens = n.generators.index[n.generators.bus.isin(buses) & n.generators.carrier.isin(carriers)]
    loads = n.loads.index[n.loads.bus.isin(buses)]
    if len(gens) == 0 or len(loads) == 0:
        return
    sns = n.snapshots if snapshots is None else snapshots
    weights = n.snapshot_weightings.generators.loc[sns]
    demand = float((n.loads_t.p_set.loc[sns, loads].sum(axis=1) * weights).sum())
    p = n.model["Generator-p"].sel(name=standing(n, list(gens), sns), snapshot=sns)
    lhs = (p * weights).sum()
    if penalty is not None:
        short = n.model.add_variables(lower=0.0, name=f"renewable_shortfall_{country}")
        lhs = lhs + short
        n.model.add_objective(n.model.objective.expression + penalty * short, overwrite=True)
    n.model.add_constraints(lhs >= share * demand, name=f"renewable_share_{country}{suffix}")


def define_representative_day_storage(
    n: pypsa.Network,
    temporal: Temporal,
    snapshots: pd.Index | None = None,
    stores: list[str] | None = None,
    suffix: str = "",
) -> None:
    """Storage that carries energy across representative days (Kotzur et al. 2018).

    PyPSA's state of charge of each store becomes the level *within* a
    representative day ``k``, relative to the start of the day:

    ``e_k,h = e_k,h-1 - d * p_k,h``  (``e_k,-1 = 0``, ``p`` > 0 discharges).

    A level per calendar day ``E_s`` (MWh, >= 0) carries the chronology:

    ``E_(s+1) = E_s + e_(k(s),23)``  (cyclic over the year),

    and with ``u_k >= e_k,h >= l_k`` and ``u_k >= 0 >= l_k``:

    ``E_s + u_(k(s)) <= E_nom`` and ``E_s + l_(k(s)) >= 0`` for every calendar day.

    By default over all snapshots and extendable stores (one year); a perfect-foresight
    pathway calls it once per investment period with that period's ``snapshots`` and
    the ``stores`` standing in it (names ending in ``suffix``), after
    :func:`replace_store_constraints`: each period's chain is cyclic within its year
    and none links two periods.
    """
    if temporal.period is None or temporal.calendar is None or n.stores.empty:
        return
    import xarray as xr

    m = n.model
    if stores is None:
        stores = list(n.stores.index[n.stores.e_nom_extendable])
    if not stores:
        return
    if snapshots is None:
        replace_store_constraints(n)
    snapshots = n.snapshots if snapshots is None else snapshots
    e = m["Store-e"].sel(name=stores, snapshot=snapshots)
    p = m["Store-p"].sel(name=stores, snapshot=snapshots)
    period = temporal.period.to_numpy()
    first = np.r_[True, period[1:] != period[:-1]]
    duration = xr.DataArray(temporal.duration.to_numpy(), coords={"snapshot": snapshots})
    keep = xr.DataArray((~first).astype(float), coords={"snapshot": snapshots})
    m.add_constraints(
        e - keep * e.shift(snapshot=1).fillna(0) + duration * p == 0,
        name=f"storage_intraday_balance{suffix}",
    )

    periods = np.unique(period)
    last = np.r_[np.flatnonzero(period[1:] != period[:-1]), len(period) - 1]
    coords = [("repday", periods), ("name", stores)]  # not "period": a level of the
    # snapshots of a multi-period network
    upper = m.add_variables(lower=0, coords=coords, name=f"storage_intraday_max{suffix}")
    lower = m.add_variables(upper=0, coords=coords, name=f"storage_intraday_min{suffix}")
    position = np.searchsorted(periods, period)
    at_snapshot = {
        "repday": xr.DataArray(position, dims="snapshot", coords={"snapshot": snapshots})
    }
    m.add_constraints(upper.isel(at_snapshot) - e >= 0, name=f"storage_intraday_max_def{suffix}")
    m.add_constraints(lower.isel(at_snapshot) - e <= 0, name=f"storage_intraday_min_def{suffix}")

    days = np.arange(len(temporal.calendar))
    level = m.add_variables(
        lower=0, coords=[("day", days), ("name", stores)], name=f"storage_day_level{suffix}"
    )
    k_of_day = np.searchsorted(periods, temporal.calendar)
    end_delta = e.isel(snapshot=xr.DataArray(last[k_of_day], dims="day", coords={"day": days}))
    m.add_constraints(
        level.roll(day=-1) - level - end_delta == 0, name=f"storage_interday_balance{suffix}"
    )
    by_day = {"repday": xr.DataArray(k_of_day, dims="day", coords={"day": days})}
    e_nom = m["Store-e_nom"].sel(name=stores)
    m.add_constraints(
        level + upper.isel(by_day) - e_nom <= 0, name=f"storage_day_level_upper{suffix}"
    )
    m.add_constraints(level + lower.isel(by_day) >= 0, name=f"storage_day_level_lower{suffix}")


def replace_store_constraints(n: pypsa.Network) -> None:
    """Remove PyPSA's own store balance and limits (representative-day storage replaces
    them), or say that a PyPSA upgrade renamed them."""
    m = n.model
    missing = [name for name in PYPSA_STORE_CONSTRAINTS if name not in m.constraints]
    if missing:
        raise RuntimeError(
            f"PyPSA no longer defines the store constraints {missing} that representative-day "
            "storage replaces (a PyPSA upgrade renamed them): update PYPSA_STORE_CONSTRAINTS "
            "in bakuhub.corridor.constraints, or the model would keep both formulations."
        )
    for name in PYPSA_STORE_CONSTRAINTS:
        m.remove_constraints(name)
