"""Demand, existing fleet, technical potentials and fuels, derived from upstream tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bakuhub.corridor.data import assumptions
from bakuhub.corridor.datasets import records

if TYPE_CHECKING:
    import pandas as pd

POWER = Path("agora-central-asia/centralasia/input/ref/power")
GLOBAL = Path("agora-central-asia/centralasia/input/global_input")

FACTS_DEMAND = (
    ("AZ_SUM", 2025, 27.2, "Ember via Our World in Data energy dataset (demand 2025)"),
    ("GE_GAR", 2023, 14.4, "Geostat via gbc.ge (generation 2023, used as demand proxy)"),
    ("GE_GAR", 2030, 22.0, "ESCO via trend.az (projection for 2030)"),
    ("RO_CON", 2023, 50.0, "INS via romania-insider.com (about 50 TWh in 2023)"),
)
"""Annual demand, TWh, for nodes outside the Agora dataset (corridor-facts.md)."""

_IRENA = "IRENA end 2022 via PyPSA-Earth (CC BY 4.0), as listed in " + assumptions.FACTS
_AZ_MIN = "Azerbaijan Energy Minister, azernews.az/nation/249031.html (2025-10-20)"
_GSE = "Georgian State Electrosystem, gse.com.ge/for-customers/data-from-the-power-system"
_ANRE = (
    "ANRE official installed capacity, 2020-06-19, via romanianbusinessjournal.ro "
    "(ANRE notes part of it is no longer available)"
)

OTHER_FLEET = (
    ("AZ_SUM", "solar", "", 51.0, _IRENA),
    ("AZ_SUM", "solar", "", 230.0, "Garadagh solar (Masdar) in operation, " + assumptions.FACTS),
    ("AZ_SUM", "onwind", "", 66.0, _IRENA),
    ("AZ_SUM", "gas thermal", "gas", 7903.0, _AZ_MIN + ": 24 thermal plants"),
    ("AZ_SUM", "hydro", "", 1443.5, _AZ_MIN + ": 65 hydro plants"),
    ("GE_GAR", "solar", "", 23.0, _IRENA),
    ("GE_GAR", "onwind", "", 29.0, _IRENA),
    ("GE_GAR", "hydro", "", 1993.1, _GSE + ": reservoir hydro"),
    ("GE_GAR", "ror", "", 1344.1, _GSE + ": seasonal 1,101.8 + small 242.3 MW hydro"),
    ("GE_GAR", "CCGT", "gas", 461.2, _GSE),
    ("GE_GAR", "gas steam", "gas", 572.0, _GSE + ": steam turbines"),
    ("GE_GAR", "OCGT", "gas", 110.0, _GSE + ": gas turbine"),
    ("GE_GAR", "coal", "coal", 13.2, _GSE),
    ("RO_CON", "solar", "", 1414.0, _IRENA),
    ("RO_CON", "onwind", "", 3015.0, _IRENA),
    ("RO_CON", "hydro", "", 6692.0, _ANRE),
    ("RO_CON", "coal", "coal", 4787.0, _ANRE),
    ("RO_CON", "gas thermal", "gas", 3210.0, _ANRE + ": hydrocarbons"),
    ("RO_CON", "nuclear", "", 1413.0, _ANRE),
    ("RO_CON", "biomass", "biomass", 112.0, _ANRE),
)
"""Existing capacity outside the Agora dataset, MW: (node, technology, fuel, MW, source).
A whole country's fleet sits at its demand node. ``gas thermal`` and ``gas steam`` have no
technology-data row: the sources do not split them by plant type."""

AGORA_FUEL = {
    "Gas": "gas",
    "Lng": "gas",
    "Hrdc": "coal",
    "Bit": "coal",
    "Lig": "lignite",
    "Oil": "oil",
    "Bio": "biomass",
    "Uranium": "nuclear",
}
TECHDATA_FUELS = ("gas", "coal", "lignite", "oil", "nuclear", "biomass", "solid biomass")


def _corridor_node(agora_node: str) -> str:
    return assumptions.AGORA_LINK_NODES[agora_node]


def demand_table(shared: Path) -> pd.DataFrame:
    """Annual electricity demand per node and year, TWh (Agora HV loads; facts elsewhere)."""
    import pandas as pd

    loads = pd.read_csv(shared / POWER / "loads.csv")
    rows = [
        {
            "node": _corridor_node(r.node),
            "year": int(r.year),
            "energy_twh": float(r.total_load__mwh) / 1e6,
            "source": f"{assumptions.AGORA} ref/power/loads.csv ({r.name})",
        }
        for r in records(loads)
    ]
    rows += [
        {"node": n, "year": y, "energy_twh": e, "source": f"{s}; {assumptions.FACTS}"}
        for n, y, e, s in FACTS_DEMAND
    ]
    return pd.DataFrame(rows).sort_values(["node", "year"], kind="stable")


def _unfuelled_rows(
    frame: pd.DataFrame, csv_name: str
) -> list[tuple[str, str, str, float, float, float, str]]:
    """Fleet rows of an Agora table with node, type and p_nom (MW): no fuel, no retirement."""
    return [
        (
            _corridor_node(r.node),
            assumptions.AGORA_TECH[r.type],
            "",
            float(r.p_nom),
            0.0,
            0.0,
            f"{assumptions.AGORA} ref/power/{csv_name}",
        )
        for r in records(frame)
    ]


def fleet_table(shared: Path) -> pd.DataFrame:
    """Existing capacity per node, technology and fuel, MW, with announced retirements.

    Agora: generators (p_nom), thermal links (p_nom, bus0 fuel) and pumped hydro; retirements
    from ref/power/decomission_capacity.csv (MW gone by 2030 and by 2035).
    """
    import pandas as pd

    gens = pd.read_csv(shared / POWER / "power_generators.csv")
    links = pd.read_csv(shared / POWER / "power_links.csv")
    stores = pd.read_csv(shared / POWER / "storage_capacity.csv")
    retire = pd.read_csv(shared / POWER / "decomission_capacity.csv").set_index("name")
    rows = _unfuelled_rows(gens, "power_generators.csv")
    for r in records(links):
        node = _corridor_node(str(r.bus1).removesuffix("_HVELEC"))
        gone = retire.loc[r.link] if r.link in retire.index else None
        rows.append(
            (
                node,
                assumptions.AGORA_TECH[r.type],
                AGORA_FUEL[r.carrier],
                float(r.p_nom),
                float(gone["2030"]) if gone is not None else 0.0,
                float(gone["2035"]) if gone is not None else 0.0,
                f"{assumptions.AGORA} ref/power/power_links.csv",
            )
        )
    rows += _unfuelled_rows(stores, "storage_capacity.csv")
    rows += [(n, t, f, p, 0.0, 0.0, src) for n, t, f, p, src in OTHER_FLEET]
    cols = [
        "node",
        "technology",
        "fuel",
        "p_nom_mw",
        "retired_by_2030_mw",
        "retired_by_2035_mw",
        "source",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    frame = frame.groupby(["node", "technology", "fuel", "source"], as_index=False).sum()
    frame = frame[frame["p_nom_mw"] > 0][cols]
    return frame.sort_values(["node", "technology", "fuel", "source"], kind="stable")


def potentials_table(shared: Path) -> pd.DataFrame:
    """Technical potential per node and technology, MW (Agora; RTPV left out)."""
    import pandas as pd

    raw = pd.read_csv(shared / GLOBAL / "renewables_technical_potential.csv", encoding="utf-8-sig")
    raw = raw[raw["type"].isin(["PHOT", "WTON", "WTOF", "HROR", "HDAM"])]
    rows = [
        {
            "node": _corridor_node(str(r.bus).removesuffix("_HVELEC")),
            "technology": assumptions.AGORA_TECH[r.type],
            "potential_mw": float(r.technical_potential__mw),
            "source": f"{assumptions.AGORA} "
            f"global_input/renewables_technical_potential.csv ({r.name})",
        }
        for r in records(raw)
    ]
    return pd.DataFrame(rows).sort_values(["node", "technology"], kind="stable")


def fuels_table(shared: Path, costs: pd.DataFrame) -> pd.DataFrame:
    """Fuel prices (Agora per country, USD/MWh; technology-data, EUR/MWh_th) and CO2 intensity.

    Emission factor of a fuel, t CO2 per MWh of fuel (thermal), from technology-data.
    """
    import pandas as pd

    agora = pd.read_csv(shared / POWER / "fuel_supplies.csv")
    rows = [
        {
            "scope": r.country,
            "fuel": AGORA_FUEL[r.carrier],
            "upstream_fuel": r.carrier,
            "year": int(r.year),
            "parameter": "fuel",
            "value": float(r.fuel_cost__usd_mwh),
            "unit": "USD/MWh",
            "source": f"{assumptions.AGORA} ref/power/fuel_supplies.csv",
        }
        for r in records(agora)
    ]
    tech = costs[
        costs["technology"].isin(TECHDATA_FUELS)
        & costs["parameter"].isin(["fuel", "CO2 intensity"])
    ]
    rows += [
        {
            "scope": "technology-data",
            "fuel": r.technology,
            "upstream_fuel": r.technology,
            "year": int(r.year),
            "parameter": r.parameter,
            "value": float(r.value),
            "unit": r.unit,
            "source": f"{assumptions.TECHDATA} {assumptions.TECHDATA_TAG}: {r.source}",
        }
        for r in records(tech)
    ]
    return pd.DataFrame(rows).sort_values(
        ["scope", "fuel", "upstream_fuel", "year", "parameter"], kind="stable"
    )
