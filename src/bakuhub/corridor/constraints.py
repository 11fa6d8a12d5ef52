"""Constraint families added to PyPSA's model, one function each.

Each takes the network (whose linopy model ``n.model`` exists) and adds its
constraints by name. Units: MW, MWh, hours; ``w_t`` is the weight of snapshot
``t`` in hours of the year, ``d_t`` its duration in hours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pypsa

    from bakuhub.corridor.temporal import Temporal


PYPSA_STORE_CONSTRAINTS = ("Store-energy_balance", "Store-ext-e-lower", "Store-ext-e-upper")
"""PyPSA's own store constraints that representative-day storage replaces, by name."""


def define_shared_link_capacity(n: pypsa.Network) -> None:
    """One capacity for both directions of a lossy two-way link.

    ``P_fwd = P_bwd`` for every extendable pair ``NAME fwd`` / ``NAME bwd`` (MW), so a
    cable is paid once and carries at most its capacity either way, with losses in
    both directions (no energy is created by reverse flow).
    """
    ext = n.links.index[n.links.p_nom_extendable]
    pairs = [(f, f[:-4] + " bwd") for f in ext if f.endswith(" fwd") and f[:-4] + " bwd" in ext]
    if not pairs:
        return
    p_nom = n.model["Link-p_nom"]
    fwd = p_nom.sel(name=[f for f, _ in pairs])
    bwd = p_nom.sel(name=[b for _, b in pairs])
    bwd = bwd.assign_coords(name=[f for f, _ in pairs])
    n.model.add_constraints(fwd - bwd == 0, name="link_shared_capacity")


def define_battery_power_balance(n: pypsa.Network) -> None:
    """Charger and discharger of a battery share one inverter: ``P_ch = P_dis`` (MW)."""
    ext = n.links.index[n.links.p_nom_extendable]
    pairs = [(c, c[: -len("charger")] + "discharger") for c in ext if c.endswith(" charger")]
    pairs = [(c, d) for c, d in pairs if d in ext]
    if not pairs:
        return
    p_nom = n.model["Link-p_nom"]
    charge = p_nom.sel(name=[c for c, _ in pairs])
    discharge = p_nom.sel(name=[d for _, d in pairs]).assign_coords(name=[c for c, _ in pairs])
    n.model.add_constraints(charge - discharge == 0, name="battery_inverter")


def define_export_target(n: pypsa.Network, generator: str, energy_mwh: float) -> None:
    """Deliver the export target at the gateway: ``sum_t w_t * (-p_export,t) = E`` (MWh).

    The dual of this constraint is the marginal cost of one more MWh delivered.
    """
    p = n.model["Generator-p"].sel(name=generator)
    weights = n.snapshot_weightings.generators
    n.model.add_constraints((-p * weights).sum() == energy_mwh, name="export_target")


def define_renewable_share(
    n: pypsa.Network,
    country: str,
    share: float,
    carriers: tuple[str, ...],
    penalty: float | None = None,
) -> None:
    """National renewable share (MWh):

    ``sum_(g in RE(c), t) w_t p_g,t >= s * sum_(l in c, t) w_t d_l,t``.

    With ``penalty`` (EUR/MWh) the share is soft: a shortfall ``S >= 0`` joins the
    left-hand side and costs ``penalty * S`` (for an operating LP that must be feasible
    for any design).
    """
    buses = n.buses.index[n.buses.country == country]
    gens = n.generators.index[n.generators.bus.isin(buses) & n.generators.carrier.isin(carriers)]
    loads = n.loads.index[n.loads.bus.isin(buses)]
    if len(gens) == 0 or len(loads) == 0:
        return
    weights = n.snapshot_weightings.generators
    demand = float((n.loads_t.p_set[loads].sum(axis=1) * weights).sum())
    p = n.model["Generator-p"].sel(name=list(gens))
    lhs = (p * weights).sum()
    if penalty is not None:
        short = n.model.add_variables(lower=0.0, name=f"renewable_shortfall_{country}")
        lhs = lhs + short
        n.model.add_objective(n.model.objective.expression + penalty * short, overwrite=True)
    n.model.add_constraints(lhs >= share * demand, name=f"renewable_share_{country}")


def define_representative_day_storage(n: pypsa.Network, temporal: Temporal) -> None:
    """Storage that carries energy across representative days (Kotzur et al. 2018).

    PyPSA's state of charge of each store becomes the level *within* a
    representative day ``k``, relative to the start of the day:

    ``e_k,h = e_k,h-1 - d * p_k,h``  (``e_k,-1 = 0``, ``p`` > 0 discharges).

    A level per calendar day ``E_s`` (MWh, >= 0) carries the chronology:

    ``E_(s+1) = E_s + e_(k(s),23)``  (cyclic over the year),

    and with ``u_k >= e_k,h >= l_k`` and ``u_k >= 0 >= l_k``:

    ``E_s + u_(k(s)) <= E_nom`` and ``E_s + l_(k(s)) >= 0`` for every calendar day.
    """
    if temporal.period is None or temporal.calendar is None or n.stores.empty:
        return
    import xarray as xr

    m = n.model
    stores = list(n.stores.index[n.stores.e_nom_extendable])
    if not stores:
        return
    missing = [name for name in PYPSA_STORE_CONSTRAINTS if name not in m.constraints]
    if missing:
        raise RuntimeError(
            f"PyPSA no longer defines the store constraints {missing} that representative-day "
            "storage replaces (a PyPSA upgrade renamed them): update PYPSA_STORE_CONSTRAINTS "
            "in bakuhub.corridor.constraints, or the model would keep both formulations."
        )
    for name in PYPSA_STORE_CONSTRAINTS:
        m.remove_constraints(name)
    e = m["Store-e"].sel(name=stores)
    p = m["Store-p"].sel(name=stores)
    snapshots = n.snapshots
    period = temporal.period.to_numpy()
    first = np.r_[True, period[1:] != period[:-1]]
    duration = xr.DataArray(temporal.duration.to_numpy(), coords={"snapshot": snapshots})
    keep = xr.DataArray((~first).astype(float), coords={"snapshot": snapshots})
    m.add_constraints(
        e - keep * e.shift(snapshot=1).fillna(0) + duration * p == 0,
        name="storage_intraday_balance",
    )

    periods = np.unique(period)
    last = np.r_[np.flatnonzero(period[1:] != period[:-1]), len(period) - 1]
    upper = m.add_variables(
        lower=0, coords=[("period", periods), ("name", stores)], name="storage_intraday_max"
    )
    lower = m.add_variables(
        upper=0, coords=[("period", periods), ("name", stores)], name="storage_intraday_min"
    )
    position = np.searchsorted(periods, period)
    at_snapshot = {
        "period": xr.DataArray(position, dims="snapshot", coords={"snapshot": snapshots})
    }
    m.add_constraints(upper.isel(at_snapshot) - e >= 0, name="storage_intraday_max_def")
    m.add_constraints(lower.isel(at_snapshot) - e <= 0, name="storage_intraday_min_def")

    days = np.arange(len(temporal.calendar))
    level = m.add_variables(
        lower=0, coords=[("day", days), ("name", stores)], name="storage_day_level"
    )
    k_of_day = np.searchsorted(periods, temporal.calendar)
    end_delta = e.isel(snapshot=xr.DataArray(last[k_of_day], dims="day", coords={"day": days}))
    m.add_constraints(level.roll(day=-1) - level - end_delta == 0, name="storage_interday_balance")
    by_day = {"period": xr.DataArray(k_of_day, dims="day", coords={"day": days})}
    e_nom = m["Store-e_nom"].sel(name=stores)
    m.add_constraints(level + upper.isel(by_day) - e_nom <= 0, name="storage_day_level_upper")
    m.add_constraints(level + lower.isel(by_day) >= 0, name="storage_day_level_lower")
