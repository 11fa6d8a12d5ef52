"""Build the PyPSA network of a corridor scenario.

One bus per node; loads; existing and extendable generators; batteries (a store
with charger and discharger links); AC interconnectors as lossless two-way links;
candidate HVDC links as two lossy one-way links sharing one capacity (see
``constraints.py``); unserved energy at the value of lost load; the European side
as an export sink at the gateway; hydrogen and ammonia when the scenario asks
(``hydrogen.py``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from bakuhub.corridor import costs as c
from bakuhub.corridor.adds import Batch
from bakuhub.corridor.cbam_rules import charge_eur_mwh
from bakuhub.corridor.costs import num
from bakuhub.corridor.datasets import CorridorDataset
from bakuhub.corridor.hydrogen import add_molecules
from bakuhub.corridor.scenario import Scenario
from bakuhub.corridor.temporal import Temporal
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

HVDC_EFFICIENCY_STATIC = 0.98
"""Converter pair efficiency (PyPSA-Eur config ``transmission_efficiency: DC``)."""
HVDC_EFFICIENCY_PER_1000KM = 0.977
"""Line efficiency per 1,000 km (PyPSA-Eur config ``transmission_efficiency: DC``)."""
EXPORT = "EU export"


def selected_nodes(scenario: Scenario, data: CorridorDataset) -> pd.DataFrame:
    """The scenario's nodes (all shipped nodes by default), checked against the dataset."""
    nodes = data.nodes.set_index("node")
    if scenario.nodes == "all":
        return nodes
    unknown = sorted(set(scenario.nodes) - set(nodes.index))
    if unknown:
        raise InvalidInput(
            _("nodes: {unknown} not in the dataset; use {known}.").format(
                unknown=", ".join(unknown), known=", ".join(nodes.index)
            )
        )
    return nodes.loc[scenario.nodes]


def build_network(scenario: Scenario, data: CorridorDataset, temporal: Temporal) -> pypsa.Network:
    """The network for ``scenario`` on the snapshots of ``temporal``."""
    import pypsa

    n = pypsa.Network(name=scenario.name)
    n.set_snapshots(list(temporal.series.index))
    n.snapshot_weightings.loc[:, "objective"] = temporal.weight.to_numpy()
    n.snapshot_weightings.loc[:, "generators"] = temporal.weight.to_numpy()
    n.snapshot_weightings.loc[:, "stores"] = temporal.duration.to_numpy()
    nodes = selected_nodes(scenario, data)
    with Batch(n) as batch:
        _add_carriers(batch, data)
        for node, row in nodes.iterrows():
            batch.add(
                "Bus",
                str(node),
                x=float(row["lon"]),
                y=float(row["lat"]),
                carrier="AC",
                country=str(row["country"]),
            )
        _add_loads(batch, scenario, data, temporal, list(nodes.index))
        _add_existing(batch, scenario, data, temporal, nodes)
        _add_extendable(batch, scenario, data, temporal, nodes)
        _add_batteries(batch, scenario, data, nodes)
        _add_links(batch, scenario, data, list(nodes.index))
    _add_export(n, scenario, list(nodes.index))
    add_molecules(n, scenario, data)
    return n


def _add_carriers(n: Batch, data: CorridorDataset) -> None:
    for carrier in ["AC", "battery", "unserved", "export", "HVDC", "HVAC", *c.TECH_DATA_NAME]:
        fuel = c.FUEL_OF.get(carrier, carrier)
        n.add("Carrier", carrier, co2_emissions=c.co2_intensity(data, fuel))


MIN_CAPACITY_FACTOR = 1e-3
"""Capacity factors below this are set to 0 (as PyPSA-Eur's ``clip_p_max_pu``).

The real Agora year has values down to 2e-9 at dawn and dusk; as matrix coefficients
(``p <= cf * p_nom``) they span nine orders of magnitude and stall interior-point
solvers. Below 1e-3 they hold 4e-6 of the year's renewable energy (measured on the
Agora 2019 series, 1,500 of 157,680 hourly values)."""


def _series(temporal: Temporal, node: str, carrier: str) -> np.ndarray | None:
    """A generator's capacity factor per snapshot, in [0, 1], tiny values cut to 0."""
    column = f"{node}|{carrier}"
    if column not in temporal.series:
        return None
    values: np.ndarray = np.clip(temporal.series[column].to_numpy(dtype=float), 0.0, 1.0)
    values[values < MIN_CAPACITY_FACTOR] = 0.0
    return values


def _add_loads(
    n: Batch,
    scenario: Scenario,
    data: CorridorDataset,
    temporal: Temporal,
    nodes: list[str],
) -> None:
    for row in data.demand.itertuples():
        node = str(row.node)
        if node not in nodes or node in scenario.demand_nodes_excluded:
            continue
        shape = temporal.series[f"{node}|load"].to_numpy(dtype=float)
        p_set = num(row.energy_twh) * scenario.demand_scale * 1e6 / 8760.0 * shape
        n.add("Load", node, bus=node, p_set=p_set)
        n.add(
            "Generator",
            f"{node} unserved",
            bus=node,
            carrier="unserved",
            p_nom=float(p_set.max()),
            marginal_cost=scenario.voll_eur_mwh,
        )


def _marginal_cost(
    scenario: Scenario, data: CorridorDataset, tech: str, country: str
) -> tuple[float, float]:
    """(marginal cost EUR/MWh_el, efficiency) of a technology in a country.

    ``mc = fuel / eta + VOM + p_CO2 * e_fuel / eta``.
    """
    name = c.TECH_DATA_NAME[tech]
    eta = c.parameter(data, name, "efficiency", 1.0)
    vom = c.parameter(data, name, "VOM")
    fuel = c.FUEL_OF.get(tech)
    if fuel is None:
        return vom, eta
    price = c.fuel_price(data, country, fuel, scenario.costs.usd_per_eur)
    co2 = c.co2_intensity(data, fuel)
    return price / eta + vom + scenario.co2.price_eur_t * co2 / eta, eta


def _add_existing(
    n: Batch,
    scenario: Scenario,
    data: CorridorDataset,
    temporal: Temporal,
    nodes: pd.DataFrame,
) -> None:
    fleet = data.fleet[data.fleet["node"].isin(_generating(scenario, nodes))]
    fleet = fleet[fleet["technology"].isin(list(c.TECH_DATA_NAME))]
    grouped = fleet.groupby(["node", "technology"])["p_nom_year_mw"].sum()
    for key, p_nom in grouped.items():
        node, tech = cast(tuple[str, str], key)
        if p_nom <= 0:
            continue
        country = str(nodes.loc[node, "country"])
        mc, eta = _marginal_cost(scenario, data, str(tech), country)
        profile = _series(temporal, str(node), "ror" if tech == "hydro" else str(tech))
        n.add(
            "Generator",
            f"{node} {tech} existing",
            bus=str(node),
            carrier=str(tech),
            p_nom=float(p_nom),
            marginal_cost=mc,
            efficiency=eta,
            p_max_pu=profile if profile is not None else 1.0,
        )


def _generating(scenario: Scenario, nodes: pd.DataFrame) -> list[str]:
    """Nodes with generation: all but the EU gateway, which stands for the EU market."""
    gateway = scenario.europe.gateway if scenario.europe.mode != "none" else None
    return [str(x) for x in nodes.index if x != gateway]


def _build_nodes(option: Any, nodes: list[str]) -> list[str]:
    return nodes if option.nodes == "all" else [x for x in option.nodes if x in nodes]


def _add_extendable(
    n: Batch,
    scenario: Scenario,
    data: CorridorDataset,
    temporal: Temporal,
    nodes: pd.DataFrame,
) -> None:
    wacc = scenario.costs.wacc
    existing = data.fleet.groupby(["node", "technology"])["p_nom_year_mw"].sum()
    potentials = data.potentials.set_index(["node", "technology"])["potential_mw"]
    for tech, option in scenario.build.items():
        if tech == "battery":
            continue
        name = c.TECH_DATA_NAME[tech]
        capex = c.capital_cost(data, name, wacc)
        for node in _build_nodes(option, _generating(scenario, nodes)):
            profile = _series(temporal, node, tech)
            if tech in ("solar", "onwind", "offwind") and profile is None:
                continue
            limit = option.max_mw.get(node, math.inf)
            if (node, tech) in potentials.index:
                room = float(potentials.loc[(node, tech)]) - float(existing.get((node, tech), 0.0))
                limit = min(limit, max(room, 0.0))
            if limit <= 0:
                continue
            mc, eta = _marginal_cost(scenario, data, tech, str(nodes.loc[node, "country"]))
            n.add(
                "Generator",
                f"{node} {tech}",
                bus=node,
                carrier=tech,
                p_nom_extendable=True,
                p_nom_max=limit,
                capital_cost=capex,
                marginal_cost=mc,
                efficiency=eta,
                p_max_pu=profile if profile is not None else 1.0,
            )


def _add_batteries(
    n: Batch, scenario: Scenario, data: CorridorDataset, nodes: pd.DataFrame
) -> None:
    option = scenario.build.get("battery")
    if option is None:
        return
    wacc = scenario.costs.wacc
    eta = c.parameter(data, "battery inverter", "efficiency", 0.96)
    gateway = scenario.europe.gateway if scenario.europe.mode != "none" else None
    for node in _build_nodes(option, [str(x) for x in nodes.index if x != gateway]):
        bus = f"{node} battery"
        x, y = (num(nodes.at[node, key]) for key in ("lon", "lat"))  # the node's bus
        n.add("Bus", bus, carrier="battery", x=x, y=y)
        n.add(
            "Store",
            bus,
            bus=bus,
            carrier="battery",
            e_nom_extendable=True,
            e_cyclic=True,
            e_nom_max=option.max_mw.get(node, math.inf) * 24,
            capital_cost=c.capital_cost(data, "battery storage", wacc),
        )
        n.add(
            "Link",
            f"{bus} charger",
            bus0=node,
            bus1=bus,
            carrier="battery",
            efficiency=eta,
            p_nom_extendable=True,
            capital_cost=c.capital_cost(data, "battery inverter", wacc),
        )
        n.add(
            "Link",
            f"{bus} discharger",
            bus0=bus,
            bus1=node,
            carrier="battery",
            efficiency=eta,
            p_nom_extendable=True,
        )


def hvdc_efficiency(length_km: float) -> float:
    """One-way efficiency of an HVDC link: ``eta = 0.98 * 0.977^(L / 1000 km)``."""
    return float(HVDC_EFFICIENCY_STATIC * HVDC_EFFICIENCY_PER_1000KM ** (length_km / 1000.0))


def _bounds(scenario: Scenario, name: str, default_max: float) -> tuple[str, float, float]:
    option = scenario.links.get(name)
    if option is None:
        return "free", 0.0, default_max
    if option.mode == "fixed":
        assert option.p_nom_mw is not None
        return "fixed", option.p_nom_mw, option.p_nom_mw
    upper = option.max_mw if option.max_mw is not None else default_max
    return option.mode, option.min_mw, upper


def _add_links(n: Batch, scenario: Scenario, data: CorridorDataset, nodes: list[str]) -> None:
    known = set(data.links["link"])
    unknown = sorted(set(scenario.links) - known)
    if unknown:
        raise InvalidInput(
            _("links: {unknown} unknown; use {known}.").format(
                unknown=", ".join(unknown), known=", ".join(sorted(known))
            )
        )
    wacc = scenario.costs.wacc
    year_col = "p_nom_max_2030_mw" if scenario.year < 2035 else "p_nom_max_2035_mw"
    for row in data.links.to_dict("records"):
        name, bus0, bus1 = str(row["link"]), str(row["bus0"]), str(row["bus1"])
        if bus0 not in nodes or bus1 not in nodes:
            continue
        length = float(row["length_km"])
        tech = str(row["technology"])
        existing = float(row["p_nom_mw"] or 0.0)
        room = float(row[year_col]) if bool(row["extendable"]) else 0.0
        mode, low, high = _bounds(scenario, name, existing + room)
        if mode == "off" or (high <= 0 and existing <= 0):
            continue
        capex = c.capital_cost(data, tech, wacc) * length
        if tech.startswith("HVDC"):
            capex += c.capital_cost(data, "HVDC inverter pair", wacc)
            _add_hvdc(n, name, (bus0, bus1), length, capex, (max(low, existing), high))
        else:
            _add_ac(n, name, (bus0, bus1), length, capex, (existing, low, high))


def _add_hvdc(
    n: Batch,
    name: str,
    buses: tuple[str, str],
    length: float,
    capex: float,
    bounds: tuple[float, float],
) -> None:
    """Two lossy one-way links; capacity shared (constraint) and paid once (on fwd)."""
    low, high = bounds
    eta = hvdc_efficiency(length)
    for suffix, (bus0, bus1), cost in (("fwd", buses, capex), ("bwd", buses[::-1], 0.0)):
        n.add(
            "Link",
            f"{name} {suffix}",
            bus0=bus0,
            bus1=bus1,
            carrier="HVDC",
            efficiency=eta,
            capital_cost=cost,
            length=length,
            p_nom_extendable=high > low,
            p_nom=low,
            p_nom_min=low,
            p_nom_max=max(high, low),
        )


def _add_ac(
    n: Batch,
    name: str,
    buses: tuple[str, str],
    length: float,
    capex: float,
    capacity: tuple[float, float, float],
) -> None:
    """A lossless two-way AC link: the existing capacity (no capital cost) and, where
    more may be built, a parallel ``NAME expansion`` paid per MW and km."""
    existing, low, high = capacity
    kept = min(existing, high)
    common: dict[str, Any] = {
        "bus0": buses[0],
        "bus1": buses[1],
        "carrier": "HVAC",
        "efficiency": 1.0,
        "p_min_pu": -1.0,
        "length": length,
    }
    if kept > 0:
        n.add("Link", name, p_nom=kept, **common)
    if high > kept:
        n.add(
            "Link",
            f"{name} expansion",
            p_nom_extendable=True,
            capital_cost=capex,
            p_nom_min=max(low - kept, 0.0),
            p_nom_max=high - kept,
            **common,
        )


def _add_export(n: pypsa.Network, scenario: Scenario, nodes: list[str]) -> None:
    europe = scenario.europe
    if europe.mode == "none":
        return
    if europe.gateway not in nodes:
        raise InvalidInput(
            _(
                "europe.gateway: {gateway} is not among the scenario's nodes; add it or set "
                "europe.mode to none."
            ).format(gateway=europe.gateway)
        )
    cbam, _factor = charge_eur_mwh(n, scenario.cbam, europe.gateway, scenario.co2.price_eur_t)
    price = (europe.price_eur_mwh if europe.mode == "market" else 0.0) - cbam
    n.add(
        "Generator",
        EXPORT,
        bus=europe.gateway,
        carrier="export",
        p_nom=1e5,
        p_max_pu=0.0,
        p_min_pu=-1.0,
        marginal_cost=price,
    )
