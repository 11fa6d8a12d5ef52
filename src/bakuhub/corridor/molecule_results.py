"""What a ministry reads of a study with hydrogen and ammonia (issue 17): per node the
electrolysers, their full-load hours, the hydrogen made, its levelised cost, the water it
draws and that water's cost, the ammonia made; the export delivered against its target;
and how the cables change against the same scenario without molecules.

Definitions (units in the key names; ``w_t`` the snapshot weights, hours):

- full-load hours ``FLH_n = sum_t w_t p0_{n,t} / P_n`` (h a year), ``p0`` the
  electrolyser's electricity input, ``P_n`` its capacity (MW_el).
- hydrogen made ``m_n = sum_t w_t (-p1_{n,t}) / 33.33`` (t; LHV 33.33 MWh/t).
- levelised cost of hydrogen ``LCOH_n = (c_n P_n + v sum_t w_t p0_{n,t} + s m_n / M +
  sum_t w_t lambda_{n,t} p0_{n,t}) / (1000 m_n)`` (EUR/kg): the electrolyser's annualised
  capital and fixed O&M ``c_n`` (desalination plant included when the water is
  desalinated), its variable cost ``v`` (the water's price when it is fresh water), its
  share ``m_n / M`` of every hydrogen store's annualised cost ``s`` (in proportion to the
  hydrogen it makes, ``M`` all hydrogen made), and the electricity at the node's
  marginal price ``lambda``. Not in it: pipelines, Haber-Bosch, shipping, the export's
  own terms.
- water ``V_n = m_n l`` (m3; ``l`` litres per kg = m3 per t), its cost as
  ``hydrogen.molecule_summary`` states it (the desalination plant's annualised cost, or
  fresh water at the scenario's price).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from bakuhub.corridor import results as r
from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.hydrogen import MOLECULE_EXPORT, molecule_summary
from bakuhub.corridor.hydrogen_costs import H2_LHV_MWH_PER_T, NH3_LHV_MWH_PER_T, molecule_costs
from bakuhub.corridor.hydrogen_options import Molecules
from bakuhub.corridor.solve import objective, solve_scenario
from bakuhub.i18n import _

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

    from bakuhub.corridor.hydrogen_costs import MoleculeCosts
    from bakuhub.corridor.scenario import Scenario
    from bakuhub.corridor.solve import Progress, Solved


class NodeRow(TypedDict):
    """One molecule node of the ``molecules.nodes`` table."""

    node: str
    electrolyser_mw_el: float
    full_load_hours: float
    hydrogen_t: float
    lcoh_eur_kg: float | None
    electricity_eur_mwh_el: float | None
    water_m3: float
    water_l_per_kg: float
    water_source: str
    water_cost_eur_a: float
    water_cost_eur_kg: float | None
    ammonia_t: float


class ExportRow(TypedDict):
    """The molecule export: what the port delivered, against the target (if any)."""

    carrier: str
    port: str
    mode: str
    delivered_twh: float
    delivered_t: float
    target_twh: float | None
    port_price_eur_mwh: float | None
    port_price_eur_kg: float | None


class CableRow(TypedDict):
    """One cable with and without molecules (capacity MW, energy TWh both ways)."""

    link: str
    capacity_mw: float
    capacity_without_mw: float
    energy_twh: float
    energy_without_twh: float


BUILT_MW = 0.5
"""Below this an electrolyser is solver noise (as ``run_study`` reads capacity built):
not built, no full-load hours or cost per kg."""


def _per_kg(eur: float, tonnes: float) -> float | None:
    return eur / (tonnes * 1000.0) if tonnes > 1e-9 else None


def nodes_table(n: pypsa.Network, molecules: Molecules, costs: MoleculeCosts) -> list[NodeRow]:
    """Per molecule node of a solved network (definitions in the module docstring)."""
    made = molecule_summary(n, molecules, costs)
    w = n.snapshot_weightings.generators
    stores = n.stores[n.stores.carrier == "H2 store"]
    storage_eur = float((stores.capital_cost * stores.e_nom_opt).sum())
    total_t = float(made.hydrogen_kt.sum()) * 1e3 if len(made) else 0.0
    prices = n.buses_t.marginal_price
    rows: list[NodeRow] = []
    for item in made.to_dict("records"):
        node = str(item["node"])
        link = f"{node} electrolysis"
        p_nom = float(item["electrolyser_mw_el"])
        if p_nom < BUILT_MW:
            p_nom = 0.0
        p0 = n.links_t.p0[link]
        el_mwh = float((p0 * w).sum())
        tonnes = float(item["hydrogen_kt"]) * 1e3
        power_eur = float((p0 * prices[node] * w).sum()) if node in prices else 0.0
        own = float(n.links.at[link, "capital_cost"]) * p_nom
        own += float(n.links.at[link, "marginal_cost"]) * el_mwh
        share = storage_eur * tonnes / total_t if total_t > 1e-9 else 0.0
        rows.append(
            NodeRow(
                node=node,
                electrolyser_mw_el=p_nom,
                full_load_hours=el_mwh / p_nom if p_nom > 0 else 0.0,
                hydrogen_t=tonnes,
                lcoh_eur_kg=_per_kg(own + share + power_eur, tonnes) if p_nom > 0 else None,
                electricity_eur_mwh_el=power_eur / el_mwh if el_mwh > 1e-6 else None,
                water_m3=float(item["water_m3"]),
                water_l_per_kg=float(item["water_m3_per_t_h2"]),
                water_source=str(item["water_source"]),
                water_cost_eur_a=float(item["water_cost_eur"]),
                water_cost_eur_kg=_per_kg(float(item["water_cost_eur"]), tonnes),
                ammonia_t=float(item["ammonia_kt"]) * 1e3,
            )
        )
    return rows


def export_row(n: pypsa.Network, molecules: Molecules) -> ExportRow | None:
    """The export at the port, delivered (TWh LHV, t) against its target, and the price
    of the sold carrier at the port's bus over the delivery, ``sum_t w_t lambda_t
    (-p_t) / sum_t w_t (-p_t)`` (EUR/MWh LHV, and per kg of the carrier). Not the
    target constraint's dual: the target at the steady rate's cap makes it degenerate
    (the cost splits between the target and the rate's bounds)."""
    export = molecules.export
    if export.mode == "none" or MOLECULE_EXPORT not in n.generators.index:
        return None
    w = n.snapshot_weightings.generators
    mwh = float((-n.generators_t.p[MOLECULE_EXPORT] * w).sum())
    lhv = H2_LHV_MWH_PER_T if export.carrier == "hydrogen" else NH3_LHV_MWH_PER_T
    if export.crack_at_destination:
        lhv = H2_LHV_MWH_PER_T
    bus = str(n.generators.at[MOLECULE_EXPORT, "bus"])
    price = None
    if mwh > 1e-6 and bus in n.buses_t.marginal_price:
        paid = -n.generators_t.p[MOLECULE_EXPORT] * n.buses_t.marginal_price[bus] * w
        price = float(paid.sum()) / mwh
    return ExportRow(
        carrier="hydrogen" if export.crack_at_destination else export.carrier,
        port=export.port,
        mode=export.mode,
        delivered_twh=mwh / 1e6,
        delivered_t=mwh / lhv,
        target_twh=export.target_twh if export.mode == "target" else None,
        port_price_eur_mwh=price,
        port_price_eur_kg=price * lhv / 1000.0 if price is not None else None,
    )


def cables_against(n: pypsa.Network, base: pypsa.Network) -> list[CableRow]:
    """Each cable's capacity and energy carried (both ways) with molecules and without."""

    def frame(net: pypsa.Network) -> pd.DataFrame:
        table = r.cables(net).set_index("link")
        table["energy_twh"] = table.forward_twh + table.backward_twh
        return table

    now, before = frame(n), frame(base)
    had_mw = before.capacity_mw.to_dict()
    had_twh = before.energy_twh.to_dict()
    return [
        CableRow(
            link=str(link),
            capacity_mw=float(row.capacity_mw),
            capacity_without_mw=float(had_mw.get(link, 0.0)),
            energy_twh=float(row.energy_twh),
            energy_without_twh=float(had_twh.get(link, 0.0)),
        )
        for link, row in now.iterrows()
    ]


def without_molecules(scenario: Scenario) -> Scenario:
    """The same scenario with the molecules group off (its default)."""
    return scenario.model_copy(
        update={"molecules": Molecules(), "name": f"{scenario.name} (no molecules)"}
    )


def molecule_results(
    solved: Solved,
    *,
    resolution: str | None = None,
    progress: Progress | None = None,
    solver_log: bool = False,
) -> dict[str, Any]:
    """The summary's ``molecules`` part: nodes, export, and the cables against one more
    solve of the same scenario without molecules at the same resolution (no study solves
    that one otherwise: the counterfactual is the one without the Caspian cable)."""
    say = progress or (lambda _line: None)
    scenario, n = solved.scenario, solved.network
    data = load_dataset(scenario.year, scenario.costs.cable_cost)
    costs = molecule_costs(data, scenario.molecules, scenario.costs.wacc)
    say(_("molecules: the same scenario without hydrogen and ammonia"))
    base = solve_scenario(
        without_molecules(scenario), resolution=resolution, progress=say, solver_log=solver_log
    )
    return {
        "nodes": nodes_table(n, scenario.molecules, costs),
        "export": export_row(n, scenario.molecules),
        "cables": cables_against(n, base.network),
        "without": {
            "scenario": base.scenario.name,
            "total_system_cost_eur_a": objective(base.network),
            "solve_seconds": round(float(base.stats.get("solve_s", 0.0)), 2),
        },
        "total_system_cost_eur_a": objective(n),
    }
