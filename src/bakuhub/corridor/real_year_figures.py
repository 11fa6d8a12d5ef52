"""The real-year check's figures: what the operated year cost and delivered against
the sizing solve's expectation (unserved energy where and when, curtailment, export,
storage cycling, cable use), and the verdict in words when the design is far off.

The operating solve itself is :mod:`bakuhub.corridor.real_year`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bakuhub import i18n
from bakuhub.corridor import results as r
from bakuhub.i18n import _, number

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

UNSERVED_SHARE_LIMIT = 1e-3
"""Far off: unserved energy above 0.1 % of the year's demand."""
COST_LIMIT = 0.02
"""Far off: real-year cost more than 2 % away from the sizing solve's."""
EXPORT_LIMIT = 0.01
"""Far off: export more than 1 % short of the target."""
WORST_HOURS = 10
SHED_MW = 1e-3
"""Load shed below this (MW) is solver noise, not an unserved hour."""


@dataclass
class Operation:
    """What one operating solve cost: capital (EUR/a), operating (EUR/a, the export
    shortfalls' penalties left out), export shortfall (MWh), seconds, and the molecule
    export's shortfall (MWh LHV)."""

    capex: float
    operating: float
    shortfall_mwh: float
    seconds: float
    molecule_shortfall_mwh: float = 0.0


def storage_cycles(n: pypsa.Network) -> dict[str, float]:
    """Full cycles a year of each store: energy discharged over its energy capacity,
    ``sum_t w_t max(p_t, 0) / E_nom`` (``p`` > 0 discharges)."""
    if n.stores.empty:
        return {}
    w = n.snapshot_weightings.generators
    out = n.stores_t.p.clip(lower=0.0).mul(w, axis=0).sum()
    e_nom = n.stores.e_nom_opt
    return {str(s): float(out[s] / e_nom[s]) if e_nom[s] > 1e-6 else 0.0 for s in n.stores.index}


def _shedding(n: pypsa.Network, stamps: pd.Index | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Unserved energy by node and the worst node-hours."""
    import pandas as pd

    w = n.snapshot_weightings.generators
    gens = n.generators.index[n.generators.carrier == "unserved"]
    shed = n.generators_t.p[gens].T.groupby(n.generators.bus[gens]).sum().T
    demand = n.loads_t.p_set.T.groupby(n.loads.bus).sum().T.reindex(columns=shed.columns)
    demand = demand.fillna(0.0)
    by_node = pd.DataFrame(
        {
            "node": shed.columns,
            "unserved_twh": shed.mul(w, axis=0).sum().to_numpy() / 1e6,
            "demand_twh": demand.mul(w, axis=0).sum().to_numpy() / 1e6,
            "hours": (shed > SHED_MW).mul(w, axis=0).sum().to_numpy(),
            "peak_mw": shed.max().to_numpy(),
        }
    )
    by_node["share"] = by_node.unserved_twh / by_node.demand_twh.where(by_node.demand_twh > 0)
    by_node["share"] = by_node.share.fillna(0.0)
    long = shed.stack().rename("unserved_mw").reset_index()
    long.columns = ["snapshot", "node", "unserved_mw"]
    worst = long[long.unserved_mw > SHED_MW].nlargest(WORST_HOURS, "unserved_mw")
    position = n.snapshots.get_indexer(worst.snapshot)
    worst = worst.assign(
        hour=position,
        time=[str(stamps[int(i)]) if stamps is not None else str(i) for i in position],
        demand_mw=[
            float(demand.iat[i, demand.columns.get_loc(b)])
            for i, b in zip(position, worst.node, strict=True)
        ],
    )
    return by_node, worst[["hour", "time", "node", "unserved_mw", "demand_mw"]].reset_index(
        drop=True
    )


def _cables(n: pypsa.Network, design: pypsa.Network) -> pd.DataFrame:
    hours = float(n.snapshot_weightings.generators.sum())
    now = r.cables(n)
    if now.empty:
        return now
    out = now[["link", "capacity_mw"]].copy()
    out["mean_utilisation"] = now.full_load_hours / hours
    out["hours_at_capacity"] = now.share_hours_at_limit * hours
    out["sizing_mean_utilisation"] = (
        r.cables(design).set_index("link").full_load_hours.reindex(now.link).to_numpy() / 8760.0
    )
    return out


def assess(
    n: pypsa.Network,
    design: pypsa.Network,
    done: Operation,
    *,
    sizing_cost: float,
    export_target_twh: float | None,
    stamps: pd.Index | None = None,
    molecule_target_twh: float | None = None,
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """The check's figures against the sizing solve's, and its verdict."""
    import pandas as pd

    by_node, worst = _shedding(n, stamps)
    cables = _cables(n, design)
    cycles, sized_cycles = storage_cycles(n), storage_cycles(design)
    cost = done.capex + done.operating
    demand = float(by_node.demand_twh.sum())
    unserved = float(by_node.unserved_twh.sum())
    curtailed = float(r.curtailment(n).curtailed_twh.sum())
    export = r.export_summary(n)["export_twh"]
    summary: dict[str, Any] = {
        "method": "one LP",
        "hours": len(n.snapshots),
        "solve_seconds": round(done.seconds, 2),
        "system_cost_eur_a": cost,
        "capital_cost_eur_a": done.capex,
        "operating_cost_eur_a": done.operating,
        "sizing_cost_eur_a": sizing_cost,
        "cost_difference_rel": cost / sizing_cost - 1.0 if sizing_cost else 0.0,
        "demand_twh": demand,
        "unserved_twh": unserved,
        "unserved_share": unserved / demand if demand > 0 else 0.0,
        "unserved_by_node": by_node.set_index("node").to_dict(orient="index"),
        "worst_hours": worst.to_dict(orient="records"),
        "curtailment_twh": curtailed,
        "sizing_curtailment_twh": float(r.curtailment(design).curtailed_twh.sum()),
        "export_twh": export,
        "export_target_twh": export_target_twh,
        "export_shortfall_twh": done.shortfall_mwh / 1e6,
        "sizing_export_twh": r.export_summary(design)["export_twh"],
        "molecule_export_target_twh": molecule_target_twh,
        "molecule_export_shortfall_twh": done.molecule_shortfall_mwh / 1e6,
        "storage_full_cycles": cycles,
        "sizing_storage_full_cycles": sized_cycles,
        "cables": cables.set_index("link").to_dict(orient="index") if len(cables) else {},
        "thresholds": {
            "unserved_share": UNSERVED_SHARE_LIMIT,
            "cost_difference_rel": COST_LIMIT,
            "export_shortfall_rel": EXPORT_LIMIT,
        },
    }
    with i18n.use(i18n.DEFAULT):  # the summary's words are for programs: English
        summary["far_off"], summary["verdict"] = verdict(summary)
    storage = pd.DataFrame(
        {
            "store": list(cycles),
            "energy_mwh": [float(n.stores.e_nom_opt[s]) for s in cycles],
            "full_cycles": list(cycles.values()),
            "sizing_full_cycles": [sized_cycles.get(s, float("nan")) for s in cycles],
        }
    )
    tables = {
        "real_year_unserved": by_node,
        "real_year_worst_hours": worst,
        "real_year_cables": cables,
        "real_year_storage": storage,
        "real_year_curtailment": r.curtailment(n),
        "real_year_figures": _figures(summary),
    }
    return summary, tables


def _figures(summary: dict[str, Any]) -> pd.DataFrame:
    """The check against the sizing solve, one row per figure."""
    import pandas as pd

    rows = [
        ("system cost", "EUR/a", summary["system_cost_eur_a"], summary["sizing_cost_eur_a"]),
        ("unserved energy", "TWh/a", summary["unserved_twh"], None),
        ("curtailment", "TWh/a", summary["curtailment_twh"], summary["sizing_curtailment_twh"]),
        ("export delivered", "TWh/a", summary["export_twh"], summary["sizing_export_twh"]),
    ]
    return pd.DataFrame(rows, columns=["figure", "unit", "real_year", "sizing"])


def _signed_percent(share: float, digits: int) -> str:
    text = i18n.percent(share, digits)
    return "+" + text if round(share * 100, digits) > 0 else text


def verdict(summary: dict[str, Any], *, remedy: bool = True) -> tuple[bool, str]:
    """Whether the check is far from the sizing solve, and a sentence that says so (in
    the reader's language; the stored summary's is English), with what to do about it
    unless ``remedy`` is false (a pathway year, which is not refined: its report says)."""
    said = []
    share = summary["unserved_share"]
    if share > UNSERVED_SHARE_LIMIT:
        worst = max(summary["unserved_by_node"].items(), key=lambda kv: kv[1]["unserved_twh"])
        said.append(
            _(
                "the design leaves {energy} TWh ({share} of demand) unserved, most at "
                "{node} ({hours} hours)"
            ).format(
                energy=number(summary["unserved_twh"], 3),
                share=i18n.percent(share, 2),
                node=worst[0],
                hours=number(round(float(worst[1]["hours"]))),
            )
        )
    gap = summary["cost_difference_rel"]
    if abs(gap) > COST_LIMIT:
        said.append(
            _("the year costs {gap} against what the sizing solve expected").format(
                gap=_signed_percent(gap, 1)
            )
        )
    target = summary["export_target_twh"]
    if target and summary["export_shortfall_twh"] > EXPORT_LIMIT * target:
        said.append(
            _("export falls {short} TWh short of the {target} TWh target").format(
                short=number(summary["export_shortfall_twh"], 2), target=number(target, 2)
            )
        )
    target = summary.get("molecule_export_target_twh")
    short = summary.get("molecule_export_shortfall_twh", 0.0)
    if target and short > EXPORT_LIMIT * target:
        said.append(
            _(
                "the hydrogen or ammonia export falls {short} TWh short of the {target} TWh target"
            ).format(short=number(short, 2), target=number(target, 2))
        )
    if not said:
        return False, _(
            "The design holds on the full year: unserved energy, cost and export are within "
            "the thresholds ({unserved} of demand, {cost} of cost, {export} of the export "
            "target)."
        ).format(
            unserved=i18n.percent(UNSERVED_SHARE_LIMIT, 1),
            cost=i18n.percent(COST_LIMIT),
            export=i18n.percent(EXPORT_LIMIT),
        )
    far = _("Far off on the full year: {reasons}.").format(reasons="; ".join(said))
    if not remedy:
        return True, far
    what = _(
        "To size on the full year, refine the design (refine_solves in the scenario: each "
        "operating solve of the year moves it towards the hourly optimum) or choose a finer "
        "resolution."
    )
    return True, f"{far} {what}"
