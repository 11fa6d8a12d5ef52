"""Tidy result tables of a solved corridor network.

Energies are weighted by the hours each snapshot stands for (``w_t``, h), so
``E = sum_t w_t p_t`` is MWh a year; tables report TWh (1e6 MWh), MW and EUR/MWh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bakuhub.corridor.costs import RENEWABLE_CARRIERS
from bakuhub.corridor.network import EXPORT

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

VARIABLE = ("solar", "onwind", "offwind", "ror", "hydro")
AT_LIMIT = 0.999
CABLE_COLUMNS = (
    "link",
    "bus0",
    "bus1",
    "capacity_mw",
    "forward_twh",
    "backward_twh",
    "losses_twh",
    "full_load_hours",
    "utilisation",
    "share_hours_at_limit",
)
"""Columns of :func:`cables`, also when a network has no link between nodes."""
MIN_ENERGY_MWH = 1.0
"""Less than 1 MWh a year is solver noise, not generation (LCOE is not defined)."""


def _weights(n: pypsa.Network) -> pd.Series:
    return n.snapshot_weightings.generators


def _node(n: pypsa.Network, bus: pd.Series) -> pd.Series:
    """The node a component belongs to (battery buses map to their node)."""
    return bus.str.replace(" battery", "", regex=False)


def capacities(n: pypsa.Network) -> pd.DataFrame:
    """Generation and battery capacity per node and technology: existing, built, total (MW/MWh)."""
    import pandas as pd

    gens = n.generators[~n.generators.carrier.isin(["unserved", "export"])]
    frame = pd.DataFrame(
        {
            "node": gens.bus,
            "technology": gens.carrier,
            "existing_mw": gens.p_nom.where(~gens.p_nom_extendable, 0.0),
            "built_mw": (gens.p_nom_opt - gens.p_nom).where(gens.p_nom_extendable, 0.0),
        }
    )
    frame["total_mw"] = frame.existing_mw + frame.built_mw
    out = frame.groupby(["node", "technology"], as_index=False)[
        ["existing_mw", "built_mw", "total_mw"]
    ].sum()
    stores = n.stores
    if not stores.empty:
        chargers = n.links[n.links.index.str.endswith(" charger")]
        power = chargers.p_nom_opt.groupby(_node(n, chargers.bus0)).sum()
        batt = pd.DataFrame(
            {
                "node": _node(n, stores.bus).to_numpy(),
                "technology": "battery",
                "existing_mw": 0.0,
                "built_mw": power.reindex(_node(n, stores.bus)).to_numpy(),
                "energy_mwh": stores.e_nom_opt.to_numpy(),
            }
        )
        batt["total_mw"] = batt.built_mw
        out = pd.concat([out, batt], ignore_index=True)
    result: pd.DataFrame = out.sort_values(["node", "technology"]).reset_index(drop=True)
    return result


def generation(n: pypsa.Network) -> pd.DataFrame:
    """Annual generation per node and carrier (TWh), unserved energy included."""
    w = _weights(n)
    gens = n.generators[n.generators.carrier != "export"]
    energy = n.generators_t.p[gens.index].mul(w, axis=0).sum() / 1e6
    frame = energy.rename("energy_twh").to_frame().assign(node=gens.bus, carrier=gens.carrier)
    out = frame.groupby(["node", "carrier"], as_index=False)["energy_twh"].sum()
    result: pd.DataFrame = out[out.energy_twh.abs() > 1e-9].reset_index(drop=True)
    return result


def curtailment(n: pypsa.Network) -> pd.DataFrame:
    """Variable renewables: available, used and curtailed energy per node and carrier (TWh)."""
    w = _weights(n)
    gens = n.generators[n.generators.carrier.isin(VARIABLE)]
    pmax = n.get_switchable_as_dense("Generator", "p_max_pu")[gens.index]
    available = pmax.mul(gens.p_nom_opt, axis=1).mul(w, axis=0).sum() / 1e6
    used = n.generators_t.p[gens.index].mul(w, axis=0).sum() / 1e6
    frame = available.rename("available_twh").to_frame()
    frame = frame.assign(used_twh=used, node=gens.bus, carrier=gens.carrier)
    out = frame.groupby(["node", "carrier"], as_index=False)[["available_twh", "used_twh"]].sum()
    out["curtailed_twh"] = (out.available_twh - out.used_twh).clip(lower=0.0)
    out["curtailed_share"] = np.where(
        out.available_twh > 0,
        out.curtailed_twh / out.available_twh.where(out.available_twh > 0, 1),
        0.0,
    )
    result: pd.DataFrame = out
    return result


CABLE_PARTS = (" fwd", " bwd", " expansion")


def cable_name(link: str, links: pd.Index) -> str:
    """The cable a link is part of: ``NAME fwd``, ``NAME bwd``, ``NAME expansion`` ->
    ``NAME``; a pathway's copy of a part built in an earlier year, ``PART YEAR``
    (``pathway.carry``: its part is in ``links`` too), counts as its part."""
    head, _sep, tail = link.rpartition(" ")
    if tail.isdigit() and head in links:
        link = head
    return next((link[: -len(s)] for s in CABLE_PARTS if link.endswith(s)), link)


def parts(links: pd.DataFrame, part: str) -> list[str]:
    """``part`` and its pathway copies ``part YEAR`` among ``links``."""
    if part not in links.index:
        return []
    return [part] + [
        x for x in links.index if x.startswith(f"{part} ") and x[len(part) + 1 :].isdigit()
    ]


def _flows(n: pypsa.Network, name: str) -> tuple[pd.Series, pd.Series, float, float]:
    """(forward MW, backward MW, capacity MW, efficiency) of a cable, whatever its parts:
    a lossy pair ``NAME fwd``/``NAME bwd``, or an AC link with its ``NAME expansion``;
    each part with the copies a pathway carries from earlier years (``PART YEAR``)."""
    links = n.links
    if forward := parts(links, f"{name} fwd"):
        fwd = n.links_t.p0[forward].sum(axis=1)
        backward = parts(links, f"{name} bwd")
        bwd = n.links_t.p0[backward].sum(axis=1) if backward else fwd * 0.0
        return (
            fwd,
            bwd,
            float(links.p_nom_opt[forward].sum()),
            float(links.at[f"{name} fwd", "efficiency"]),
        )
    ac = parts(links, name) + parts(links, f"{name} expansion")
    flow = n.links_t.p0[ac].sum(axis=1)
    return flow.clip(lower=0), (-flow).clip(lower=0), float(links.p_nom_opt[ac].sum()), 1.0


def cables(n: pypsa.Network) -> pd.DataFrame:
    """Flows and use of every link between nodes: capacity (MW), energy each way and losses
    (TWh), full-load hours (h), utilisation (full-load hours over the hours of the year,
    0-1) and the share of hours at the limit. A pathway year's cable is its part built
    this year and the parts built in earlier years that still stand (``NAME fwd 2030``)."""
    import pandas as pd

    w = _weights(n)
    hours = float(w.sum())
    links = n.links[n.links.carrier.isin(["HVDC", "HVAC"])]
    names = sorted({cable_name(str(x), links.index) for x in links.index})
    rows = []
    for name in names:
        fwd, bwd, cap, eta = _flows(n, name)
        main = (
            f"{name} fwd"
            if f"{name} fwd" in links.index
            else next(x for x in (name, f"{name} expansion") if x in links.index)
        )
        sent = fwd + bwd
        at_limit = float(w[sent >= AT_LIMIT * cap].sum()) / hours if cap > 1e-6 else 0.0
        rows.append(
            {
                "link": name,
                "bus0": links.at[main, "bus0"],
                "bus1": links.at[main, "bus1"],
                "capacity_mw": cap,
                "forward_twh": float((fwd * w).sum()) / 1e6,
                "backward_twh": float((bwd * w).sum()) / 1e6,
                "losses_twh": float((sent * w).sum()) * (1 - eta) / 1e6,
                "full_load_hours": float((sent * w).sum()) / cap if cap > 1e-6 else 0.0,
                "utilisation": float((sent * w).sum()) / cap / hours if cap > 1e-6 else 0.0,
                "share_hours_at_limit": at_limit,
            }
        )
    result: pd.DataFrame = pd.DataFrame(rows, columns=CABLE_COLUMNS)
    return result


def link_rents(n: pypsa.Network) -> pd.Series:
    """Each link's rent, EUR/a: ``sum_t w_t (-pi_0,t p0_t - pi_1,t p1_t - mc p0_t)``,
    what the far end pays for what arrives (PyPSA's ``p1`` < 0 leaves the link there)
    less what the near end is paid for what is sent, less the link's running cost; at
    the nodal prices ``pi`` (EUR/MWh)."""
    links = n.links
    w = n.snapshot_weightings.objective
    price = n.buses_t.marginal_price.reindex(columns=n.buses.index, fill_value=0.0)
    p0 = n.links_t.p0.reindex(columns=links.index, fill_value=0.0)
    p1 = n.links_t.p1.reindex(columns=links.index, fill_value=0.0)
    pi0 = price[links.bus0.to_numpy()].set_axis(links.index, axis=1)
    pi1 = price[links.bus1.to_numpy()].set_axis(links.index, axis=1)
    running = n.get_switchable_as_dense("Link", "marginal_cost")[links.index]
    result: pd.Series = (-pi0 * p0 - pi1 * p1 - running * p0).mul(w, axis=0).sum()
    return result


def prices(n: pypsa.Network) -> pd.DataFrame:
    """Nodal prices (duals of the energy balance, EUR/MWh) per snapshot and node."""
    nodes = n.buses.index[n.buses.carrier == "AC"]
    result: pd.DataFrame = n.buses_t.marginal_price[nodes]
    return result


def price_duration(n: pypsa.Network) -> pd.DataFrame:
    """Price duration curves: for each node, prices sorted high to low against the
    cumulative hours of the year they hold for."""
    import pandas as pd

    w = _weights(n)
    frames = []
    for node, series in prices(n).items():
        order = series.sort_values(ascending=False)
        frames.append(
            pd.DataFrame(
                {
                    "node": node,
                    "hours": w[order.index].cumsum().to_numpy(),
                    "price_eur_mwh": order.to_numpy(),
                }
            )
        )
    result: pd.DataFrame = pd.concat(frames, ignore_index=True)
    return result


def emissions_t(n: pypsa.Network) -> float:
    """CO2 emitted in a year, t: ``sum_g sum_t w_t p_g,t / eta_g * e_carrier``."""
    w = _weights(n)
    gens = n.generators
    factor = gens.carrier.map(n.carriers.co2_emissions).fillna(0.0) / gens.efficiency
    energy = n.generators_t.p[gens.index].mul(w, axis=0).sum()
    return float((energy * factor).sum())


def export_summary(n: pypsa.Network) -> dict[str, float]:
    """Exported energy (TWh) and the average nodal price at the gateway it was delivered at."""
    if EXPORT not in n.generators.index:
        return {"export_twh": 0.0, "gateway_price_eur_mwh": float("nan")}
    w = _weights(n)
    delivered = -n.generators_t.p[EXPORT].clip(upper=0.0)
    bus = n.generators.at[EXPORT, "bus"]
    energy = float((delivered * w).sum())
    price = n.buses_t.marginal_price[bus]
    average = float((delivered * w * price).sum() / energy) if energy > 0 else float("nan")
    return {"export_twh": energy / 1e6, "gateway_price_eur_mwh": average}


def lcoe(n: pypsa.Network) -> pd.DataFrame:
    """Levelised cost of the electricity generated at each node, EUR/MWh: what the model
    pays at the node over what the node's generators produce,

    ``(sum_g c_g P_g + sum_g,t w_t mc_g p_g,t + sum_s c_s E_s + sum_i c_i P_i)
    / sum_g,t w_t p_g,t``

    with ``c`` the annualised capital cost (investment annuity plus fixed O&M, EUR/MW/a or
    EUR/MWh/a) of capacity the model builds (``P``: generators, ``E``: battery energy,
    ``P_i``: battery inverters), ``mc`` the marginal cost (fuel, variable O&M and the CO2
    price, EUR/MWh). The existing fleet's capital is sunk: only its running cost counts.
    Batteries shift energy, they add none: the denominator is generation. A node that
    generates less than ``MIN_ENERGY_MWH`` has no LCOE (NaN): its "generation" is solver
    noise on capacities of 1e-7 MW, and so would be the ratio.
    """
    w = _weights(n)
    gens = n.generators[~n.generators.carrier.isin(["unserved", "export"])]
    p = n.generators_t.p[gens.index].mul(w, axis=0)
    frame = p.sum().rename("energy_mwh").to_frame()
    frame["capital_eur"] = gens.capital_cost * gens.p_nom_opt.where(gens.p_nom_extendable, 0.0)
    frame["running_eur"] = p.mul(gens.marginal_cost, axis=1).sum()
    frame["node"] = gens.bus
    out = frame.groupby("node")[["energy_mwh", "capital_eur", "running_eur"]].sum()
    out["storage_eur"] = _storage_cost(n).reindex(out.index, fill_value=0.0)
    out["cost_eur"] = out.capital_eur + out.running_eur + out.storage_eur
    out["lcoe_eur_mwh"] = out.cost_eur / out.energy_mwh.where(out.energy_mwh >= MIN_ENERGY_MWH)
    result: pd.DataFrame = out.reset_index()
    return result


def _storage_cost(n: pypsa.Network) -> pd.Series:
    """Annualised capital cost of the batteries built at each node (EUR/a): energy
    (stores) and inverters (the links to and from a store's bus; the charger carries the
    cost of the inverter it shares with the discharger)."""
    import pandas as pd

    stores = n.stores
    energy = (
        (stores.capital_cost * stores.e_nom_opt.where(stores.e_nom_extendable, 0.0))
        .groupby(_node(n, stores.bus))
        .sum()
    )
    at_store = n.links.bus0.isin(stores.bus) | n.links.bus1.isin(stores.bus)
    links = n.links[at_store]
    power = (
        (links.capital_cost * links.p_nom_opt.where(links.p_nom_extendable, 0.0))
        .groupby(_node(n, links.bus0))
        .sum()
    )
    result: pd.Series = pd.concat([energy, power]).groupby(level=0).sum()
    return result


def unserved(n: pypsa.Network) -> pd.DataFrame:
    """Demand left unmet per node (TWh) and its share of the node's demand."""
    import pandas as pd

    w = _weights(n)
    gens = n.generators[n.generators.carrier == "unserved"]
    rows = []
    for name, bus in gens.bus.items():
        lost = float((n.generators_t.p[name] * w).sum()) / 1e6
        demand = float((n.loads_t.p_set[bus] * w).sum()) / 1e6 if bus in n.loads_t.p_set else 0.0
        rows.append(
            {"node": bus, "unserved_twh": lost, "share": lost / demand if demand > 0 else 0.0}
        )
    result: pd.DataFrame = pd.DataFrame(rows, columns=["node", "unserved_twh", "share"])
    return result


def balance_residual(n: pypsa.Network) -> pd.Series:
    """Largest absolute energy-balance mismatch of each bus over all snapshots (MW):
    supply from generators, links and stores minus loads; zero for a correct solution.

    PyPSA's own energy balance per bus and snapshot (``n.statistics.energy_balance``),
    rounded to 1e-12 MW instead of its default 1e-5, so a residual is not hidden.
    """
    balance = n.statistics.energy_balance(
        groupby_time=False, groupby="bus", nice_names=False, drop_zero=False, round=12
    )
    residual: pd.Series = balance.groupby(level="bus").sum().abs().max(axis=1)
    return residual.reindex(n.buses.index, fill_value=0.0)


def renewables(n: pypsa.Network) -> pd.DataFrame:
    """Renewable energy by country (TWh): generation, renewable generation, demand, and
    the renewable share of generation and of demand (0-1). The share of demand is the
    one a national target constrains (``constraints.define_renewable_share``); it passes
    1 where a country exports renewable power."""
    import pandas as pd

    w = _weights(n)
    gen = generation(n)
    gen = gen[gen.carrier != "unserved"].assign(country=lambda f: f.node.map(n.buses.country))
    total = gen.groupby("country").energy_twh.sum()
    renewable = gen[gen.carrier.isin(RENEWABLE_CARRIERS)].groupby("country").energy_twh.sum()
    energy = n.get_switchable_as_dense("Load", "p_set").mul(w, axis=0).sum() / 1e6
    demand = energy.groupby(n.loads.bus.map(n.buses.country)).sum()
    out = pd.DataFrame({"generation_twh": total, "renewable_twh": renewable, "demand_twh": demand})
    out = out.fillna(0.0)
    out = out[(out.generation_twh > 0) | (out.demand_twh > 0)]
    out["share_of_generation"] = out.renewable_twh / out.generation_twh.where(
        out.generation_twh > 0
    )
    out["share_of_demand"] = out.renewable_twh / out.demand_twh.where(out.demand_twh > 0)
    result: pd.DataFrame = out.rename_axis("country").reset_index()
    return result


def renewable_shares(n: pypsa.Network) -> dict[str, float]:
    """Renewable share of generation per country (0-1)."""
    frame = renewables(n).dropna(subset=["share_of_generation"])
    return dict(
        zip(frame.country.astype(str), frame.share_of_generation.astype(float), strict=True)
    )
