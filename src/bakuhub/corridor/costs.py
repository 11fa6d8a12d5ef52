"""Cost arithmetic of the corridor model: annuities, annualised capital costs, fuel prices.

Units: investment in EUR/MW (EUR/kW x 1,000) or EUR/MW/km, fixed O&M in % of
investment a year, marginal costs in EUR/MWh_el, fuel prices in EUR/MWh_th.
"""

from __future__ import annotations

from typing import Any

from bakuhub.corridor.datasets import CorridorDataset

RENEWABLE_CARRIERS = ("solar", "onwind", "offwind", "ror", "hydro")
TECH_DATA_NAME = {
    "solar": "solar-utility",
    "onwind": "onwind",
    "offwind": "offwind",
    "ror": "ror",
    "hydro": "hydro",
    "CCGT": "CCGT",
    "OCGT": "OCGT",
    "coal": "coal",
    "lignite": "lignite",
    "oil": "oil",
    "biomass": "biomass",
    "nuclear": "nuclear",
    # existing gas steam units have no technology-data row: OCGT parameters as a proxy
    "gas thermal": "OCGT",
    "gas steam": "OCGT",
}
FUEL_OF = {
    "gas thermal": "gas",
    "gas steam": "gas",
    "CCGT": "gas",
    "OCGT": "gas",
    "coal": "coal",
    "lignite": "lignite",
    "oil": "oil",
    "biomass": "biomass",
    "nuclear": "nuclear",
}
CO2_FUELS = {"gas": "gas", "coal": "coal", "lignite": "lignite", "oil": "oil"}


def num(value: Any) -> float:
    """A pandas scalar as a float."""
    return float(value)


def annuity(rate: float, years: float) -> float:
    """Capital recovery factor ``a = r / (1 - (1 + r)^-n)`` (1/a)."""
    return float(rate / (1.0 - (1.0 + rate) ** -years))


def _per_mw(value: float, unit: str) -> float:
    unit = unit.replace('"', "")
    if "/kW" in unit:
        return value * 1000.0
    return value


def capital_cost(data: CorridorDataset, technology: str, wacc: float) -> float:
    """Annualised investment plus fixed O&M, EUR/MW/a (EUR/MWh/a for storage energy,
    EUR/MW/km/a for lines): ``c = I * (a(r, n) + FOM / 100)``."""
    rows = data.costs[data.costs["technology"] == technology].set_index("parameter")
    investment = _per_mw(num(rows.loc["investment", "value"]), str(rows.loc["investment", "unit"]))
    life = num(rows.loc["lifetime", "value"])
    fom = num(rows.loc["FOM", "value"]) if "FOM" in rows.index else 0.0
    return investment * (annuity(wacc, life) + fom / 100.0)


def overnight_cost(data: CorridorDataset, technology: str) -> float:
    """Investment, EUR/MW (EUR/MWh for storage energy, EUR/MW/km for lines)."""
    rows = data.costs[data.costs["technology"] == technology].set_index("parameter")
    return _per_mw(num(rows.loc["investment", "value"]), str(rows.loc["investment", "unit"]))


def parameter(data: CorridorDataset, technology: str, name: str, default: float = 0.0) -> float:
    """One technology parameter (efficiency, VOM, lifetime...), or ``default``."""
    rows = data.costs[(data.costs["technology"] == technology) & (data.costs["parameter"] == name)]
    return num(rows["value"].iloc[0]) if len(rows) else default


def fuel_price(data: CorridorDataset, country: str, fuel: str, usd_per_eur: float) -> float:
    """Fuel price for a country, EUR/MWh_th: the Agora national figure (USD, converted)
    where there is one, else technology-data's."""
    fuels = data.fuels[(data.fuels["parameter"] == "fuel") & (data.fuels["fuel"] == fuel)]
    national = fuels[fuels["scope"] == country]
    if len(national):
        value = num(national["value"].max())
        unit = str(national["unit"].iloc[0])
        return value / usd_per_eur if unit.startswith("USD") else value
    generic = fuels[fuels["scope"] == "technology-data"]
    return num(generic["value"].iloc[0]) if len(generic) else 0.0


def co2_intensity(data: CorridorDataset, fuel: str) -> float:
    """Emission factor of a fuel, t CO2/MWh_th (technology-data); 0 for others."""
    name = CO2_FUELS.get(fuel)
    if name is None:
        return 0.0
    return parameter(data, name, "CO2 intensity")
