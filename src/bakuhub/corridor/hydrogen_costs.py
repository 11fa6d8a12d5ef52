"""Hydrogen and ammonia parameters of one year from technology-data v0.14.0 rows
(``costs.csv``, each row's ``source`` cites it), annualised, water included.

Energy of hydrogen and ammonia in MWh of lower heating value (LHV); capital costs per
MW of a conversion's input (MW_el for an electrolyser, MW_H2 for Haber-Bosch, MW_NH3 for
the cracker), per MWh stored, per MW and km of pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bakuhub.corridor import costs as c

if TYPE_CHECKING:
    import pandas as pd

    from bakuhub.corridor.datasets import CorridorDataset
    from bakuhub.corridor.hydrogen_options import Molecules

H2_LHV_MWH_PER_T = 120.0 / 3.6
"""Hydrogen's lower heating value, 120 MJ/kg = 33.33 MWh/t (IEA 2019, The Future of
Hydrogen, units annex)."""
NH3_LHV_MWH_PER_T = 18.6 / 3.6
"""Ammonia's lower heating value, 18.6 MJ/kg = 5.17 MWh/t (IEA 2019, The Future of
Hydrogen, units annex)."""
ELECTROLYSER_ROW = {
    "alkaline": "electrolysis",
    "alkaline-jrc": "Alkaline electrolyzer large size",
    "pem-jrc": "PEM electrolyzer small size",
}
TANK = "hydrogen storage tank type 1 including compressor"
CAVERN = "hydrogen storage underground"
PIPELINE = {"onshore": "H2 (g) pipeline", "subsea": "H2 (g) submarine pipeline"}
HABER_BOSCH = "Haber-Bosch"
AMMONIA_TANK = "NH3 (l) storage tank incl. liquefaction"
SHIP = "NH3 (l) transport ship"
CRACKER = "Ammonia cracker"
DESALINATION = "seawater desalination"


@dataclass(frozen=True)
class MoleculeCosts:
    """One year's hydrogen and ammonia parameters, annualised (``c = I (a(r, n) + FOM)``).

    Capital costs in EUR/a per MW of the link's input (``*_eur_mw``), per MWh stored
    (``*_eur_mwh``), per MW and km (pipelines); efficiencies in MWh out per MWh in;
    ``water_m3_mwh``: water drawn per MWh_H2; ``ship_eur_mwh_km``: shipping, EUR per
    MWh_NH3 per km of sea route.
    """

    electrolysis_eur_mw: float
    electrolysis_eta: float
    electrolysis_vom: float = 0.0
    tank_eur_mwh: float = 0.0
    cavern_eur_mwh: float = 0.0
    pipeline_eur_mw_km: float = 0.0
    subsea_pipeline_eur_mw_km: float = 0.0
    haber_bosch_eur_mw: float = 0.0
    haber_bosch_eta: float = 1.0
    haber_bosch_el: float = 0.0
    ammonia_tank_eur_mwh: float = 0.0
    cracker_eur_mw: float = 0.0
    cracker_eta: float = 1.0
    ship_eur_mwh_km: float = 0.0
    water_m3_mwh: float = 0.0
    desalination_eur_m3h: float = 0.0


def technology_rows(data: CorridorDataset, molecules: Molecules) -> pd.DataFrame:
    """The technology-data rows the molecules use (technology, parameter, value, unit,
    source), for the report's sources."""
    names = [
        ELECTROLYSER_ROW[molecules.electrolyser],
        TANK,
        CAVERN,
        *PIPELINE.values(),
        HABER_BOSCH,
        AMMONIA_TANK,
        SHIP,
        CRACKER,
        DESALINATION,
    ]
    rows = data.costs[data.costs["technology"].isin(names)]
    return rows[["technology", "parameter", "value", "unit", "source"]].reset_index(drop=True)


def _electrolyser(data: CorridorDataset, name: str, wacc: float) -> tuple[float, float, float]:
    """(EUR/MW_el/a, eta MWh_H2/MWh_el, VOM EUR/MWh_el) of an electrolyser row.

    DEA's ``electrolysis`` gives investment per kW_e and ``efficiency``; the JRC rows
    give ``electricity-input`` (MWh_el/MWh_H2) and an investment per kW, read as per
    kW of hydrogen output (JRC-EU-TIMES sizes production by output): per MW_el it is
    ``I * eta``.
    """
    if name == "electrolysis":
        return c.capital_cost(data, name, wacc), c.parameter(data, name, "efficiency"), 0.0
    eta = 1.0 / c.parameter(data, name, "electricity-input")
    return c.capital_cost(data, name, wacc) * eta, eta, c.parameter(data, name, "VOM") * eta


def ship_cost_per_mwh_km(data: CorridorDataset, wacc: float, speed_km_h: float) -> float:
    """Shipping ammonia, EUR per MWh_NH3 per km of route.

    One ship (annualised ``C`` EUR/a, cargo ``Q`` t NH3) makes ``8760 / (2 L / v)``
    round trips a year on a route of ``L`` km at ``v`` km/h (no port time, no boil-off):
    ``c = C * 2 / (v * 8760 * Q * LHV)`` per km.
    """
    annual = c.capital_cost(data, SHIP, wacc)
    cargo_mwh = c.parameter(data, SHIP, "capacity") * NH3_LHV_MWH_PER_T
    return annual * 2.0 / (speed_km_h * 8760.0 * cargo_mwh)


def molecule_costs(data: CorridorDataset, molecules: Molecules, wacc: float) -> MoleculeCosts:
    """The year's parameters from technology-data, water included.

    Water ``w = l / LHV_H2`` m3 per MWh_H2 (``l`` litres per kg). Desalination adds
    ``w * eta * C_desal`` EUR/a per MW_el of electrolyser (the plant sized to its full
    output) and ``w * e_desal`` MWh_el per MWh_H2; fresh water adds ``p_water * w * eta``
    EUR per MWh_el.
    """
    eur_mw, eta, vom = _electrolyser(data, ELECTROLYSER_ROW[molecules.electrolyser], wacc)
    water = molecules.water_l_per_kg / H2_LHV_MWH_PER_T
    desal = 0.0
    if molecules.water == "desalination":
        desal = c.capital_cost(data, DESALINATION, wacc)
        kwh_m3 = c.parameter(data, DESALINATION, "electricity-input")
        eta = 1.0 / (1.0 / eta + water * kwh_m3 / 1000.0)
        eur_mw += water * eta * desal
    else:
        vom += molecules.fresh_water_eur_m3 * water * eta
    h2_in = c.parameter(data, HABER_BOSCH, "hydrogen-input")
    nh3_in = c.parameter(data, CRACKER, "ammonia-input")
    return MoleculeCosts(
        electrolysis_eur_mw=eur_mw,
        electrolysis_eta=eta,
        electrolysis_vom=vom,
        tank_eur_mwh=c.capital_cost(data, TANK, wacc),
        cavern_eur_mwh=c.capital_cost(data, CAVERN, wacc),
        pipeline_eur_mw_km=c.capital_cost(data, PIPELINE["onshore"], wacc),
        subsea_pipeline_eur_mw_km=c.capital_cost(data, PIPELINE["subsea"], wacc),
        haber_bosch_eur_mw=c.capital_cost(data, HABER_BOSCH, wacc) / h2_in,
        haber_bosch_eta=1.0 / h2_in,
        haber_bosch_el=c.parameter(data, HABER_BOSCH, "electricity-input") / h2_in,
        ammonia_tank_eur_mwh=c.capital_cost(data, AMMONIA_TANK, wacc),
        cracker_eur_mw=c.capital_cost(data, CRACKER, wacc) / nh3_in,
        cracker_eta=1.0 / nh3_in,
        ship_eur_mwh_km=ship_cost_per_mwh_km(data, wacc, molecules.export.ship_speed_km_h),
        water_m3_mwh=water,
        desalination_eur_m3h=desal,
    )
