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


def _flows(n: pypsa.Network, name: str) -> tuple[pd.Series, pd.Series, float, float]:
    """(forward MW, backward MW, capacity MW, efficiency) of a cable, whatever its parts:
    a lossy pair ``NAME fwd``/``NAME bwd``, or an AC link with its ``NAME expansion``."""
    links = n.links
    if f"{name} fwd" in links.index:
        fwd = n.links_t.p0[f"{name} fwd"]
        bwd = n.links_t.p0[f"{name} bwd"] if f"{name} bwd" in links.index else fwd * 0.0
        return (
            fwd,
            bwd,
            float(links.at[f"{name} fwd", "p_nom_opt"]),
            float(links.at[f"{name} fwd", "efficiency"]),
        )
    parts = [x for x in (name, f"{name} expansion") if x in links.index]
    flow = n.links_t.p0[parts].sum(axis=1)
    return flow.clip(lower=0), (-flow).clip(lower=0), float(links.p_nom_opt[parts].sum()), 1.0


def cables(n: pypsa.Network) -> pd.DataFrame:
    """Flows and use of every link between nodes: capacity (MW), energy each way and losses
    (TWh), full-load hours (h) and the share of hours at the limit."""
    import pandas as pd

    w = _weights(n)
    hours = float(w.sum())
    links = n.links[n.links.carrier.isin(["HVDC", "HVAC"])]
    suffixes = (" fwd", " bwd", " expansion")
    names = sorted(
        {next((x[: -len(s)] for s in suffixes if x.endswith(s)), x) for x in links.index}
    )
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
                "share_hours_at_limit": at_limit,
            }
        )
    result: pd.DataFrame = pd.DataFrame(rows)
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
    """Levelised cost of the electricity generated at each node, EUR/MWh:
    ``(sum_g c_g P_g + sum_g,t w_t mc_g p_g,t) / sum_g,t w_t p_g,t`` over its generators."""
    w = _weights(n)
    gens = n.generators[~n.generators.carrier.isin(["unserved", "export"])]
    energy = n.generators_t.p[gens.index].mul(w, axis=0).sum()
    cost = gens.capital_cost * gens.p_nom_opt.where(gens.p_nom_extendable, 0.0) + (
        n.generators_t.p[gens.index].mul(w, axis=0).mul(gens.marginal_cost, axis=1).sum()
    )
    frame = energy.rename("energy_mwh").to_frame().assign(cost_eur=cost, node=gens.bus)
    out = frame.groupby("node", as_index=False)[["energy_mwh", "cost_eur"]].sum()
    out["lcoe_eur_mwh"] = out.cost_eur / out.energy_mwh.where(out.energy_mwh > 0)
    result: pd.DataFrame = out
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


def renewable_shares(n: pypsa.Network) -> dict[str, float]:
    """Renewable share of generation per country (0-1)."""
    gen = generation(n)
    gen["country"] = gen.node.map(n.buses.country)
    gen = gen[gen.carrier != "unserved"]
    total = gen.groupby("country").energy_twh.sum()
    renewable = gen[gen.carrier.isin(RENEWABLE_CARRIERS)].groupby("country").energy_twh.sum()
    return {str(k): float(renewable.get(k, 0.0) / v) for k, v in total.items() if v > 0}
