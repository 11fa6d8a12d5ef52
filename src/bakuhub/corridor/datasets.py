"""The shipped default corridor dataset, as one frozen object per year and cable-cost level.

Read from ``bakuhub/datasets/corridor`` (package data) on first use, never at import.
Every table keeps a ``source`` column; ``docs/corridor-data.md`` says what each holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from bakuhub.corridor.profiles import RepresentativeDays
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    import pandas as pd

YEARS = (2030, 2035, 2040, 2050)
TABLES = (
    "nodes.csv",
    "links.csv",
    "costs.csv",
    "cable_cost_levels.csv",
    "demand.csv",
    "fleet.csv",
    "potentials.csv",
    "fuels.csv",
    "profile_series.csv",
    "profiles.csv",
    "profile_calendar.csv",
)


def data_dir() -> Traversable:
    """The package folder holding the shipped corridor tables."""
    from importlib.resources import files

    return files("bakuhub") / "datasets" / "corridor"


@cache
def _cached(name: str) -> pd.DataFrame:
    import pandas as pd

    with (data_dir() / name).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, keep_default_na=False, na_values=[""])


def read_table(name: str) -> pd.DataFrame:
    """A fresh copy of one shipped table (``nodes.csv``, ``costs.csv``, ...)."""
    if name not in TABLES:
        raise InvalidInput(
            _("table {name} is not part of the corridor dataset; choose one of {tables}.").format(
                name=repr(name), tables=", ".join(TABLES)
            )
        )
    return _cached(name).copy()


def records(frame: pd.DataFrame) -> list[Any]:
    """Rows of a table as attribute bags (``row.column``), for readable loops."""
    return [
        SimpleNamespace(**{str(k): v for k, v in row.items()}) for row in frame.to_dict("records")
    ]


@dataclass(frozen=True)
class CorridorDataset:
    """Inputs of the corridor model for one year.

    Attributes
    ----------
    year, cable_cost
        The year (costs, demand, fleet) and the submarine-cable cost level used.
    nodes
        node, name, country, lat, lon (deg), utc_offset_h, role, agora_node, source.
    links
        Existing AC interconnectors and candidate links: bus0, bus1, status, technology
        (technology-data name), length_km, p_nom_mw, p_nom_max_*_mw, source.
    costs
        technology-data rows of the year: technology, parameter, value, unit, source,
        further_description, currency_year; ``upstream_value`` keeps the published figure
        where ``value`` was replaced by the chosen cable level.
    demand
        node, energy_twh (annual), basis_year (latest figure at or before ``year``), source.
    fleet
        node, technology, fuel, p_nom_mw (2023), p_nom_year_mw (after retirements), source.
    potentials
        node, technology, potential_mw, source (Agora nodes only).
    fuels
        scope (country code or ``technology-data``), fuel, parameter (``fuel`` price or
        ``CO2 intensity`` t/MWh_th), value, unit, source.
    profiles
        Representative days (availability p.u., load p.u. of annual mean, UTC hours) with
        weights and the 365-day calendar for chronology.
    profile_series
        series, node, carrier, kind, source, annual_mean. ``upstream``: an hourly series
        published in the Agora data; ``modelled``: built here from physics and cited annual
        figures; ``borrowed``: an upstream shape placed at a node it was not made for.
    """

    year: int
    cable_cost: str
    nodes: pd.DataFrame
    links: pd.DataFrame
    costs: pd.DataFrame
    demand: pd.DataFrame
    fleet: pd.DataFrame
    potentials: pd.DataFrame
    fuels: pd.DataFrame
    profiles: RepresentativeDays
    profile_series: pd.DataFrame

    def cost(self, technology: str, parameter: str) -> float:
        """One cost value of the year, in the unit of the ``costs`` table."""
        rows = self.costs[
            (self.costs["technology"] == technology) & (self.costs["parameter"] == parameter)
        ]
        if rows.empty:
            raise InvalidInput(
                _(
                    "cost {technology}/{parameter} is not in the corridor dataset; see the "
                    "costs table for available rows."
                ).format(technology=repr(technology), parameter=repr(parameter))
            )
        return float(rows["value"].iloc[0])

    def demand_mw(self) -> pd.DataFrame:
        """Hourly demand of each node on the representative days, MW.

        ``P[d, h, n] = E_n * 1e6 MWh/TWh / 8760 h * s_n[d, h]`` with ``s_n`` the load shape
        (p.u. of annual mean) of node ``n``.
        """
        out = {}
        for row in records(self.demand):
            column = f"{row.node}|load"
            out[row.node] = self.profiles.profiles[column] * float(row.energy_twh) * 1e6 / 8760
        import pandas as pd

        return pd.DataFrame(out)


def cable_cost_levels() -> pd.DataFrame:
    """Submarine HVDC cable cost levels (EUR/MW/km) with their sources."""
    return read_table("cable_cost_levels.csv")


def _cable_value(year: int, level: str) -> float:
    levels = read_table("cable_cost_levels.csv")
    names = sorted(set(levels["level"]))
    if level not in names:
        raise InvalidInput(
            _("cable cost level {level} is unknown; choose one of {levels}.").format(
                level=repr(level), levels=", ".join(names)
            )
        )
    rows = levels[(levels["level"] == level) & levels["year"].isin([0, year])]
    return float(rows["value"].iloc[0])


def _costs(year: int, level: str) -> pd.DataFrame:
    costs = read_table("costs.csv")
    costs = costs[costs["year"] == year].drop(columns="year").reset_index(drop=True)
    costs["upstream_value"] = costs["value"]
    mask = (costs["technology"] == "HVDC submarine") & (costs["parameter"] == "investment")
    costs.loc[mask, "value"] = _cable_value(year, level)
    return costs


def _latest(frame: pd.DataFrame, year: int, keys: list[str]) -> pd.DataFrame:
    """Rows of the latest year at or before ``year`` per key (held flat afterwards)."""
    past = frame[frame["year"] <= year]
    latest = past.groupby(keys)["year"].transform("max")
    out = past[past["year"] == latest].rename(columns={"year": "basis_year"})
    return out.reset_index(drop=True)


def _fleet(year: int) -> pd.DataFrame:
    fleet = read_table("fleet.csv")
    fleet["fuel"] = fleet["fuel"].fillna("")
    retired = fleet["retired_by_2035_mw"] if year >= 2035 else fleet["retired_by_2030_mw"]
    fleet["p_nom_year_mw"] = (fleet["p_nom_mw"] - retired).clip(lower=0.0)
    return fleet


def _fuels(year: int) -> pd.DataFrame:
    fuels = read_table("fuels.csv")
    agora = _latest(
        fuels[fuels["scope"] != "technology-data"], year, ["scope", "upstream_fuel", "parameter"]
    )
    tech = fuels[(fuels["scope"] == "technology-data") & (fuels["year"] == year)]
    tech = tech.rename(columns={"year": "basis_year"})
    import pandas as pd

    return pd.concat([agora, tech], ignore_index=True)


def load_profiles() -> RepresentativeDays:
    """The shipped representative days and their calendar."""
    profiles = read_table("profiles.csv").set_index(["day", "hour"])
    return RepresentativeDays(profiles=profiles, calendar=read_table("profile_calendar.csv"))


def load_dataset(year: int, cable_cost: str = "reference") -> CorridorDataset:
    """The default corridor dataset for ``year`` (2030, 2035, 2040 or 2050).

    ``cable_cost`` picks the submarine HVDC cable price: ``reference`` (technology-data
    v0.14.0 for the year), ``project`` (implied by the Black Sea cable's reported cost),
    ``mid`` or ``low`` (earlier technology-data releases); see :func:`cable_cost_levels`.
    Demand and Agora fuel prices after their last published year are held flat
    (``basis_year`` says which figure is used).
    """
    if year not in YEARS:
        raise InvalidInput(
            _("year {year} is not in the corridor dataset; choose one of {years}.").format(
                year=year, years=", ".join(str(y) for y in YEARS)
            )
        )
    return CorridorDataset(
        year=year,
        cable_cost=cable_cost,
        nodes=read_table("nodes.csv"),
        links=read_table("links.csv"),
        costs=_costs(year, cable_cost),
        demand=_latest(read_table("demand.csv"), year, ["node"]),
        fleet=_fleet(year),
        potentials=read_table("potentials.csv"),
        fuels=_fuels(year),
        profiles=load_profiles(),
        profile_series=read_table("profile_series.csv"),
    )
