"""Hydrogen and ammonia in the corridor network (issue 17): electrolysis, storage,
pipelines, Haber-Bosch, ammonia tanks, shipping, cracking, export at a port, water.

Every cost is a technology-data v0.14.0 row of the scenario's year (``costs.csv``,
the ``source`` column cites each); `hydrogen_costs.technology_rows` lists them. Energy of
hydrogen and ammonia is in MWh of lower heating value (LHV); an electrolyser's
capacity is its electricity input (MW_el), Haber-Bosch's and the cracker's their
input (MW_H2, MW_NH3). The method, with what it cannot tell: ``docs/corridor-method.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bakuhub.corridor.hydrogen_costs import (
    H2_LHV_MWH_PER_T,
    NH3_LHV_MWH_PER_T,
    MoleculeCosts,
    molecule_costs,
)
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

    from bakuhub.corridor.datasets import CorridorDataset
    from bakuhub.corridor.hydrogen_options import Molecules
    from bakuhub.corridor.scenario import Scenario

MOLECULE_EXPORT = "molecule export"
CARRIERS = (
    "H2",
    "NH3",
    "electrolysis",
    "H2 store",
    "H2 pipeline",
    "Haber-Bosch",
    "NH3 store",
    "NH3 shipping",
    "ammonia cracker",
    MOLECULE_EXPORT,
)


def add_carriers(n: pypsa.Network) -> None:
    """The molecule carriers (no direct CO2 emissions)."""
    missing = [x for x in CARRIERS if x not in n.carriers.index]
    if missing:
        n.add("Carrier", missing)


def add_hydrogen_node(
    n: pypsa.Network,
    node: str,
    costs: MoleculeCosts,
    *,
    cavern: bool = False,
    ammonia: bool = False,
) -> None:
    """At AC bus ``node``: a hydrogen bus, an electrolyser (``node -> node H2``,
    ``p1 = -eta p0``), a tank (and a cavern where geology allows), and, with
    ``ammonia``, an ammonia bus fed by Haber-Bosch (``H2 -> NH3`` with electricity
    drawn as ``p2 = el * p0``) and an ammonia tank. Stores are cyclic."""
    add_carriers(n)
    h2, nh3 = f"{node} H2", f"{node} NH3"
    x, y = n.buses.at[node, "x"], n.buses.at[node, "y"]
    n.add("Bus", h2, carrier="H2", x=x, y=y)
    n.add(
        "Link",
        f"{node} electrolysis",
        bus0=node,
        bus1=h2,
        carrier="electrolysis",
        efficiency=costs.electrolysis_eta,
        capital_cost=costs.electrolysis_eur_mw,
        marginal_cost=costs.electrolysis_vom,
        p_nom_extendable=True,
    )
    n.add(
        "Store",
        f"{h2} tank",
        bus=h2,
        carrier="H2 store",
        e_cyclic=True,
        e_nom_extendable=True,
        capital_cost=costs.tank_eur_mwh,
    )
    if cavern:
        n.add(
            "Store",
            f"{h2} cavern",
            bus=h2,
            carrier="H2 store",
            e_cyclic=True,
            e_nom_extendable=True,
            capital_cost=costs.cavern_eur_mwh,
        )
    if not ammonia:
        return
    n.add("Bus", nh3, carrier="NH3", x=x, y=y)
    n.add(
        "Link",
        f"{node} Haber-Bosch",
        bus0=h2,
        bus1=nh3,
        bus2=node,
        carrier="Haber-Bosch",
        efficiency=costs.haber_bosch_eta,
        efficiency2=-costs.haber_bosch_el,
        capital_cost=costs.haber_bosch_eur_mw,
        p_nom_extendable=True,
    )
    n.add(
        "Store",
        f"{nh3} tank",
        bus=nh3,
        carrier="NH3 store",
        e_cyclic=True,
        e_nom_extendable=True,
        capital_cost=costs.ammonia_tank_eur_mwh,
    )
    n.links["efficiency2"] = n.links["efficiency2"].fillna(1.0)  # links without bus2


def add_hydrogen_demand(n: pypsa.Network, node: str, mw: float) -> None:
    """A constant hydrogen demand of ``mw`` MW_H2 at ``node``'s hydrogen bus."""
    n.add("Load", f"{node} H2 demand", bus=f"{node} H2", carrier="H2", p_set=mw)


def add_pipeline(
    n: pypsa.Network, name: str, nodes: tuple[str, str], length_km: float, eur_mw_km: float
) -> None:
    """A lossless two-way hydrogen pipeline, paid per MW and km (compression power left
    out: 0.019 MW_el per 1,000 km per MW_H2 in technology-data)."""
    n.add(
        "Link",
        f"{name} H2 pipeline",
        bus0=f"{nodes[0]} H2",
        bus1=f"{nodes[1]} H2",
        carrier="H2 pipeline",
        p_min_pu=-1.0,
        length=length_km,
        p_nom_extendable=True,
        capital_cost=eur_mw_km * length_km,
    )


def molecule_nodes(n: pypsa.Network, scenario: Scenario) -> list[str]:
    """The scenario's molecule nodes among the network's AC buses, checked."""
    europe = scenario.europe
    gateway = europe.gateway if europe.mode != "none" else None
    ac = [str(b) for b in n.buses.index[n.buses.carrier == "AC"] if b != gateway]
    wanted = scenario.molecules.nodes
    if wanted == "all":
        return ac
    unknown = sorted(set(wanted) - set(ac))
    if unknown:
        raise InvalidInput(
            _(
                "molecules.nodes: {unknown} are not nodes with generation in this scenario; "
                "use some of {known}."
            ).format(unknown=", ".join(unknown), known=", ".join(ac))
        )
    return list(wanted)


def add_molecules(n: pypsa.Network, scenario: Scenario, data: CorridorDataset) -> None:
    """Everything the scenario's ``molecules`` group asks for (nothing when off)."""
    molecules = scenario.molecules
    if not molecules.enabled:
        return
    costs = molecule_costs(data, molecules, scenario.costs.wacc)
    nodes = molecule_nodes(n, scenario)
    for name, where in (
        (_("molecules.underground_storage"), molecules.underground_storage),
        (_("molecules.hydrogen_demand_twh"), list(molecules.hydrogen_demand_twh)),
    ):
        if stray := sorted(set(where) - set(nodes)):
            raise InvalidInput(
                _("{field}: {stray} not among the molecule nodes ({nodes}).").format(
                    field=name, stray=", ".join(stray), nodes=", ".join(nodes)
                )
            )
    for node in nodes:
        add_hydrogen_node(
            n, node, costs, cavern=node in molecules.underground_storage, ammonia=molecules.ammonia
        )
    for node, twh in molecules.hydrogen_demand_twh.items():
        add_hydrogen_demand(n, node, twh * 1e6 / 8760.0)
    if molecules.pipelines:
        for row in data.links.to_dict("records"):
            ends = (str(row["bus0"]), str(row["bus1"]))
            if set(ends) <= set(nodes):
                kind = "subsea" if "submarine" in str(row["technology"]) else "onshore"
                per_km = (
                    costs.subsea_pipeline_eur_mw_km
                    if kind == "subsea"
                    else costs.pipeline_eur_mw_km
                )
                add_pipeline(n, str(row["link"]), ends, float(row["length_km"]), per_km)
    add_export(n, molecules, costs, nodes)


def add_export(
    n: pypsa.Network, molecules: Molecules, costs: MoleculeCosts, nodes: list[str]
) -> None:
    """The molecule sale at the port: a sink generator (``-E / 8760 <= p <= 0`` MW, ``E``
    the market's most or the target, MWh a year) at the sold carrier's bus, paid
    ``price`` per MWh in a market (cost ``price * p``), free under a target
    (:func:`define_molecule_export_target`). Ammonia shipped ``L`` km pays
    ``L * ship_eur_mwh_km`` per MWh; cracked at the destination, the sale is of
    hydrogen (``eta = 1 / ammonia-input``) after a cracker paid per MW_NH3."""
    export = molecules.export
    if export.mode == "none":
        return
    if export.port not in nodes:
        raise InvalidInput(
            _("molecules.export.port: {port} is not a molecule node; use one of {nodes}.").format(
                port=export.port, nodes=", ".join(nodes)
            )
        )
    bus = f"{export.port} {'H2' if export.carrier == 'hydrogen' else 'NH3'}"
    if export.carrier == "ammonia" and (export.shipping_km > 0 or export.crack_at_destination):
        destination = "destination NH3"
        n.add("Bus", destination, carrier="NH3")
        n.add(
            "Link",
            "NH3 shipping",
            bus0=bus,
            bus1=destination,
            carrier="NH3 shipping",
            p_nom_extendable=True,
            marginal_cost=costs.ship_eur_mwh_km * export.shipping_km,
        )
        bus = destination
        if export.crack_at_destination:
            n.add("Bus", "destination H2", carrier="H2")
            n.add(
                "Link",
                "ammonia cracker",
                bus0=bus,
                bus1="destination H2",
                carrier="ammonia cracker",
                efficiency=costs.cracker_eta,
                capital_cost=costs.cracker_eur_mw,
                p_nom_extendable=True,
            )
            bus = "destination H2"
    market = export.mode == "market"
    twh = export.max_twh if market else export.target_twh
    assert twh is not None  # the options' check
    n.add(
        "Generator",
        MOLECULE_EXPORT,
        bus=bus,
        carrier=MOLECULE_EXPORT,
        p_nom=twh * 1e6 / 8760.0,
        p_max_pu=0.0,
        p_min_pu=-1.0,
        marginal_cost=(export.price_eur_mwh or 0.0) if market else 0.0,
    )


def define_molecule_export_target(n: pypsa.Network, scenario: Scenario) -> None:
    """The molecule target: ``sum_t w_t * (-p_export,t) = E`` (MWh LHV a year); its
    dual is the cost of one more MWh delivered."""
    export = scenario.molecules.export
    if not scenario.molecules.enabled or export.mode != "target":
        return
    assert export.target_twh is not None
    p = n.model["Generator-p"].sel(name=MOLECULE_EXPORT)
    weights = n.snapshot_weightings.generators
    n.model.add_constraints(
        (-p * weights).sum() == export.target_twh * 1e6, name="molecule_export_target"
    )


def molecule_summary(n: pypsa.Network, molecules: Molecules, costs: MoleculeCosts) -> pd.DataFrame:
    """Per molecule node of a solved network: electrolyser MW_el, hydrogen made (TWh,
    kt), ammonia made (TWh, kt), water drawn and its cost.

    ``m_H2 = E_H2 / LHV_H2`` (t); water ``V = m_H2 * l`` (m3: litres per kg = m3 per t);
    its cost: desalination ``w * P_el * eta * C_desal`` (EUR/a, the plant sized to the
    electrolyser) or ``V * p_water``. Energies weighted by the snapshots' weights.
    """
    import pandas as pd

    weights = n.snapshot_weightings.generators
    rows = []
    for link in n.links.index[n.links.carrier == "electrolysis"]:
        node = str(n.links.at[link, "bus0"])
        p_nom = float(n.links.at[link, "p_nom_opt"])
        h2_mwh = float((-n.links_t.p1[link] * weights).sum())
        h2_t = h2_mwh / H2_LHV_MWH_PER_T
        water_m3 = h2_t * molecules.water_l_per_kg
        if molecules.water == "desalination":
            cost = costs.water_m3_mwh * p_nom * costs.electrolysis_eta * costs.desalination_eur_m3h
        else:
            cost = water_m3 * molecules.fresh_water_eur_m3
        hb = f"{node} Haber-Bosch"
        nh3_mwh = float((-n.links_t.p1[hb] * weights).sum()) if hb in n.links.index else 0.0
        rows.append(
            {
                "node": node,
                "electrolyser_mw_el": p_nom,
                "hydrogen_twh": h2_mwh / 1e6,
                "hydrogen_kt": h2_t / 1e3,
                "ammonia_twh": nh3_mwh / 1e6,
                "ammonia_kt": nh3_mwh / NH3_LHV_MWH_PER_T / 1e3,
                "water_m3": water_m3,
                "water_m3_per_t_h2": molecules.water_l_per_kg,
                "water_source": molecules.water,
                "water_cost_eur": cost,
            }
        )
    return pd.DataFrame(rows)
