"""Derive every shipped corridor table from the upstream files in ``../shared/data``.

Pure functions from upstream paths to DataFrames, and one writer with a fixed float format
so that two runs give the same bytes. ``scripts/build_corridor_data.py`` is the entry point.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bakuhub.corridor.data import assumptions
from bakuhub.corridor.data.geo import great_circle_km, routed_length_km
from bakuhub.corridor.data.weather import AGORA_DIR, hourly_series
from bakuhub.corridor.datasets import records

if TYPE_CHECKING:
    import pandas as pd

    from bakuhub.corridor.profiles import RepresentativeDays

TECHDATA_DIR = Path("technology-data")
PER_MONTH = 5
TAIL_TOLERANCE = 0.02
MAX_EXTREME_DAYS = 24

COST_TECHNOLOGIES = (
    "solar-utility",
    "solar-utility single-axis tracking",
    "onwind",
    "offwind",
    "ror",
    "hydro",
    "CCGT",
    "OCGT",
    "coal",
    "lignite",
    "nuclear",
    "oil",
    "biomass",
    "battery storage",
    "battery inverter",
    "Pumped-Storage-Hydro-bicharger",
    "Pumped-Storage-Hydro-store",
    "HVDC submarine",
    "HVDC overhead",
    "HVDC underground",
    "HVAC overhead",
    "HVDC inverter pair",
    "gas",
    "solid biomass",
    # hydrogen and ammonia (corridor/hydrogen.py)
    "electrolysis",
    "Alkaline electrolyzer large size",
    "PEM electrolyzer small size",
    "hydrogen storage tank type 1 including compressor",
    "hydrogen storage underground",
    "H2 (g) pipeline",
    "H2 (g) submarine pipeline",
    "Haber-Bosch",
    "NH3 (l) storage tank incl. liquefaction",
    "NH3 (l) transport ship",
    "Ammonia cracker",
    "seawater desalination",
)
"""technology-data rows the corridor model uses (all parameters of each)."""


def nodes_table() -> pd.DataFrame:
    """Nodes with coordinates, UTC offset, role and the Agora node their profiles come from."""
    import pandas as pd

    rows = [
        {
            "node": n.node,
            "name": n.name,
            "country": n.country,
            "lat": n.lat,
            "lon": n.lon,
            "utc_offset_h": n.utc_offset_h,
            "role": n.role,
            "agora_node": n.agora_node,
            "source": n.coord_source,
        }
        for n in assumptions.NODES
    ]
    return pd.DataFrame(rows)


def _node(name: str) -> assumptions.Node:
    return next(n for n in assumptions.NODES if n.node == name)


def _gc(bus0: str, bus1: str) -> float:
    a, b = _node(bus0), _node(bus1)
    return great_circle_km(a.lat, a.lon, b.lat, b.lon)


def links_table(shared: Path) -> pd.DataFrame:
    """Existing Agora AC interconnectors between corridor nodes, and candidate links.

    Length ``L = f * d_gc`` (great circle times routing factor) unless a published length
    exists. Agora costs stay in their currency (USD/MW, whole link).
    """
    import pandas as pd

    agora = pd.read_csv(shared / AGORA_DIR / "ref/power/interconnector.csv")
    rows = []
    for r in records(agora):
        n0 = assumptions.AGORA_LINK_NODES.get(str(r.bus0).removesuffix("_HVELEC"))
        n1 = assumptions.AGORA_LINK_NODES.get(str(r.bus1).removesuffix("_HVELEC"))
        if n0 is None or n1 is None:
            continue
        gc = _gc(n0, n1)
        rows.append(
            {
                "link": f"{n0}-{n1}",
                "bus0": n0,
                "bus1": n1,
                "status": "existing",
                "technology": "HVAC overhead",
                "great_circle_km": gc,
                "length_km": routed_length_km(gc, assumptions.ROUTING_FACTOR_ONSHORE),
                "length_basis": "great circle x 1.25 (PyPSA-Eur length_factor)",
                "p_nom_mw": float(r.p_nom),
                "bidirectional": float(r.p_min_pu) < 0,
                "extendable": bool(r.p_nom_extendable),
                "p_nom_max_2030_mw": float(r.p_nom_max_2030),
                "p_nom_max_2035_mw": float(r.p_nom_max_2035),
                "agora_capex": float(r.cap__usd_mw),
                "agora_capex_unit": "USD/MW",
                "source": f"{assumptions.AGORA} ref/power/interconnector.csv ({r.link})",
            }
        )
    for c in assumptions.CANDIDATE_LINKS:
        gc = _gc(c.bus0, c.bus1)
        published = c.published_length_km is not None
        rows.append(
            {
                "link": c.link,
                "bus0": c.bus0,
                "bus1": c.bus1,
                "status": "candidate",
                "technology": c.technology,
                "great_circle_km": gc,
                "length_km": c.published_length_km
                if published
                else routed_length_km(gc, c.routing_factor),
                "length_basis": "published"
                if published
                else f"great circle x {c.routing_factor:g}",
                "p_nom_mw": 0.0,
                "bidirectional": True,
                "extendable": True,
                "p_nom_max_2030_mw": float("inf"),
                "p_nom_max_2035_mw": float("inf"),
                "agora_capex": float("nan"),
                "agora_capex_unit": "",
                "source": f"{assumptions.FACTS}: {c.note}"
                + (f"; design {c.design_p_nom_mw:g} MW" if c.design_p_nom_mw else ""),
            }
        )
    return pd.DataFrame(rows)


def costs_table(shared: Path) -> pd.DataFrame:
    """technology-data rows used by the model, per year, upstream columns kept verbatim."""
    import pandas as pd

    frames = []
    for year in assumptions.YEARS:
        raw = pd.read_csv(shared / TECHDATA_DIR / f"costs_{year}.csv")
        raw = raw[raw["technology"].isin(COST_TECHNOLOGIES)].copy()
        raw.insert(0, "year", year)
        frames.append(raw)
    out = pd.concat(frames, ignore_index=True)
    out = out.rename(columns={"further description": "further_description"})
    return out.sort_values(["year", "technology", "parameter"], kind="stable")


def cable_cost_levels(costs: pd.DataFrame) -> pd.DataFrame:
    """Submarine HVDC cable cost levels, EUR/MW/km, with where each comes from.

    ``project`` is implied by the Black Sea cable's reported EUR 3.5 bn for 1,300 MW and
    1,155 km after taking out one converter pair at the technology-data 2030 price:
    ``c = (3.5e9 - 1300 MW * 640e3 EUR/MW) / (1300 MW * 1155 km)``.
    """
    import pandas as pd

    sub = costs[(costs["technology"] == "HVDC submarine") & (costs["parameter"] == "investment")]
    conv = costs[
        (costs["technology"] == "HVDC inverter pair")
        & (costs["parameter"] == "investment")
        & (costs["year"] == 2030)
    ]
    converter_eur_per_mw = float(conv["value"].iloc[0]) * 1000.0
    project = (3.5e9 - 1300.0 * converter_eur_per_mw) / (1300.0 * 1155.0)
    rows = [
        {
            "level": "low",
            "year": 0,
            "value": 1008.0,
            "source": f"earlier technology-data release, as listed in {assumptions.FACTS}",
        },
        {
            "level": "mid",
            "year": 0,
            "value": 2561.0,
            "source": "earlier technology-data release (EUR 2020), as listed in "
            f"{assumptions.FACTS}",
        },
        {
            "level": "project",
            "year": 0,
            "value": project,
            "source": "implied by the Black Sea cable's reported EUR 3.5 bn (1,300 MW, 1,155 km) "
            "less one converter pair at technology-data 2030",
        },
    ]
    rows += [
        {
            "level": "reference",
            "year": int(r.year),
            "value": float(r.value),
            "source": f"{assumptions.TECHDATA} {assumptions.TECHDATA_TAG} costs_{r.year}.csv",
        }
        for r in records(sub)
    ]
    out = pd.DataFrame(rows)
    out.insert(3, "unit", "EUR/MW/km")
    return out


def representative_days(hourly: pd.DataFrame) -> RepresentativeDays:
    """The shipped clustering: 5 clusters a month plus up to 24 extreme days."""
    from bakuhub.corridor.profiles import cluster_days

    return cluster_days(hourly, PER_MONTH, TAIL_TOLERANCE, MAX_EXTREME_DAYS)


def build_all(shared: Path) -> dict[str, pd.DataFrame]:
    """Every shipped table by file name."""
    costs = costs_table(shared)
    hourly, info = hourly_series(shared)
    rep = representative_days(hourly)
    from bakuhub.corridor.data import inventory

    return {
        "nodes.csv": nodes_table(),
        "links.csv": links_table(shared),
        "costs.csv": costs,
        "cable_cost_levels.csv": cable_cost_levels(costs),
        "demand.csv": inventory.demand_table(shared),
        "fleet.csv": inventory.fleet_table(shared),
        "potentials.csv": inventory.potentials_table(shared),
        "fuels.csv": inventory.fuels_table(shared, costs),
        "profile_series.csv": info,
        "profiles.csv": rep.profiles.reset_index(),
        "profile_calendar.csv": rep.calendar,
    }


FLOAT_FORMAT = {"profiles.csv": "%.4f"}
"""Profiles to 1e-4 p.u.; every other table keeps 10 significant digits."""


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write the tables as CSV with a fixed float format and LF line ends."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        path = out / name
        frame.to_csv(
            path, index=False, float_format=FLOAT_FORMAT.get(name, "%.10g"), lineterminator="\n"
        )
        paths.append(path)
    return paths
