"""What the default corridor dataset is made of: nodes, links, site assumptions, citations.

Plain constants, read by the build (``bakuhub.corridor.data.build``) that turns the upstream
files into the shipped tables. Every figure here carries its source next to it.
"""

from __future__ import annotations

from dataclasses import dataclass

AGORA = "agoenergy/training-data-central-asia"
AGORA_COMMIT = "ecbb003236333d2c89a5fb6e10f92cb6f4137d7b"
TECHDATA = "PyPSA/technology-data"
TECHDATA_TAG = "v0.14.0 (efb1c45dee0b26e402fec66ce209c89474bc2d1f)"
FACTS = "docs/corridor-facts.md (project facts sheet)"
GEONAMES = "GeoNames gazetteer (CC BY 4.0)"

YEARS = (2030, 2035, 2040, 2050)
"""Years the shipped cost tables cover (technology-data outputs/costs_YYYY.csv)."""

WEATHER_YEAR = 2023
"""Calendar used for the hourly index; the Agora model runs 2023-01-01 to 2024-01-01
(ref/scenario_config.yaml). Its weather year is not documented."""

ROUTING_FACTOR_SUBSEA = 1.05
"""Black Sea cable: published subsea length 1,115 km over 1,064 km great circle (facts)."""
ROUTING_FACTOR_ONSHORE = 1.25
"""Onshore lines: PyPSA-Eur's default ``lines: length_factor: 1.25`` (config.default.yaml)."""


@dataclass(frozen=True)
class Node:
    """A bus of the corridor model."""

    node: str
    name: str
    country: str
    lat: float
    lon: float
    utc_offset_h: int
    role: str
    agora_node: str
    coord_source: str


NODES: tuple[Node, ...] = (
    Node(
        "UZ_NAV",
        "Navoiy",
        "UZ",
        40.084,
        65.379,
        5,
        "Uzbek solar/wind hub; all Uzbek demand",
        "UZ_UZ",
        FACTS,
    ),
    Node(
        "UZ_NUK",
        "Nukus",
        "UZ",
        42.459,
        59.606,
        5,
        "Karakalpakstan wind hub (no own demand)",
        "UZ_UZ",
        FACTS,
    ),
    Node(
        "KZ_NR",
        "Kazakhstan north (Astana)",
        "KZ",
        51.180,
        71.446,
        5,
        "Agora region north",
        "KZ_NR",
        GEONAMES,
    ),
    Node(
        "KZ_SO",
        "Kazakhstan south (Almaty)",
        "KZ",
        43.250,
        76.917,
        5,
        "Agora region south",
        "KZ_SO",
        GEONAMES,
    ),
    Node(
        "KZ_WS",
        "Kazakhstan west (Aktau, Mangystau)",
        "KZ",
        43.661,
        51.174,
        5,
        "Agora region west; Caspian landing",
        "KZ_WS",
        FACTS,
    ),
    Node(
        "KG",
        "Kyrgyzstan (Bishkek)",
        "KG",
        42.870,
        74.590,
        6,
        "Agora node Kyrgyzstan",
        "KG_KG",
        GEONAMES,
    ),
    Node(
        "AZ_SUM",
        "Sumgayit/Baku",
        "AZ",
        40.590,
        49.669,
        4,
        "Caspian landing and load centre of Azerbaijan",
        "",
        FACTS,
    ),
    Node(
        "GE_GAR", "Gardabani", "GE", 41.460, 45.090, 4, "AZ-GE border; Georgian demand", "", FACTS
    ),
    Node("GE_ANA", "Anaklia", "GE", 42.393, 41.562, 4, "Black Sea landing, Georgia", "", FACTS),
    Node(
        "RO_CON", "Constanta", "RO", 44.181, 28.634, 2, "Black Sea landing, EU gateway", "", FACTS
    ),
)
"""``utc_offset_h`` is civil standard time (Kazakhstan: UTC+5 throughout since 2024-03-01),
used to place borrowed load shapes; Agora series use the time base inferred in
``bakuhub.corridor.data.loaders.AGORA_UTC_OFFSETS``."""


@dataclass(frozen=True)
class CandidateLink:
    """A cable or line the model may build."""

    link: str
    bus0: str
    bus1: str
    technology: str
    published_length_km: float | None
    routing_factor: float
    design_p_nom_mw: float | None
    note: str


CANDIDATE_LINKS: tuple[CandidateLink, ...] = (
    CandidateLink(
        "CASPIAN",
        "KZ_WS",
        "AZ_SUM",
        "HVDC submarine",
        None,
        ROUTING_FACTOR_SUBSEA,
        None,
        "Caspian crossing Aktau-Sumgayit (agreement Baku 2024-11-13); no "
        "official length, capacity or cost; CESI feasibility study due ~2027",
    ),
    CandidateLink(
        "UZ_NUK-KZ_WS",
        "UZ_NUK",
        "KZ_WS",
        "HVDC overhead",
        None,
        ROUTING_FACTOR_ONSHORE,
        None,
        "Karakalpakstan to Mangystau, onshore",
    ),
    CandidateLink(
        "UZ_NAV-UZ_NUK",
        "UZ_NAV",
        "UZ_NUK",
        "HVDC overhead",
        None,
        ROUTING_FACTOR_ONSHORE,
        None,
        "Uzbek backbone Navoiy-Nukus",
    ),
    CandidateLink(
        "AZ_SUM-GE_GAR",
        "AZ_SUM",
        "GE_GAR",
        "HVDC overhead",
        None,
        ROUTING_FACTOR_ONSHORE,
        None,
        "Azerbaijan-Georgia onshore segment",
    ),
    CandidateLink(
        "GE_GAR-GE_ANA",
        "GE_GAR",
        "GE_ANA",
        "HVAC overhead",
        None,
        ROUTING_FACTOR_ONSHORE,
        None,
        "Georgian segment to the Black Sea landing",
    ),
    CandidateLink(
        "BLACKSEA",
        "GE_ANA",
        "RO_CON",
        "HVDC submarine",
        1155.0,
        1.0,
        1300.0,
        "Black Sea cable: published design 1,155 km (1,115 km subsea + 40 km on "
        "land), 1,300 MW, GECO Power",
    ),
)

AGORA_LINK_NODES = {
    "KZ_NR": "KZ_NR",
    "KZ_SO": "KZ_SO",
    "KZ_WS": "KZ_WS",
    "UZ_UZ": "UZ_NAV",
    "KG_KG": "KG",
}
"""Agora electricity nodes -> corridor nodes (Agora has one Uzbek node: put at Navoiy)."""

AGORA_TECH = {
    "PHOT": "solar",
    "WTON": "onwind",
    "WTOF": "offwind",
    "HROR": "ror",
    "HDAM": "hydro",
    "CCGT": "CCGT",
    "OCGT": "OCGT",
    "SubC": "coal",
    "SupC": "coal",
    "SubC_RETRO": "coal",
    "SupC_RETRO": "coal",
    "NUCL": "nuclear",
    "BIOT": "biomass",
    "OILT": "oil",
    "HPHS": "PHS",
    "BATS": "battery",
}
"""Agora technology codes -> technology-data names used throughout bakuhub."""


@dataclass(frozen=True)
class ModelledSite:
    """Cited annual conditions for a node without an open hourly series.

    ``wind_target_kind`` is ``"mean_speed_ms"`` (hub-height annual mean wind speed) or
    ``"capacity_factor"`` (annual energy / (capacity * 8760 h)); the synthetic wind speed is
    scaled to meet it.
    """

    node: str
    ghi_kwh_m2: float
    ghi_source: str
    wind_target: float
    wind_target_kind: str
    wind_source: str


_GE_GHI = "marketentry.ge/solar-energy: 1,250-1,800 kWh/m2 a year in Georgia (lower bound)"
_GE_WIND = (
    "en.vestikavkaza.ru/material/156335: Terjola/Tkibuli wind, 103.5 MW, 362 GWh a "
    "year -> capacity factor 0.399"
)

MODELLED_SITES: tuple[ModelledSite, ...] = (
    ModelledSite(
        "AZ_SUM",
        1500.0,
        "azpromo.az/3/en/142: 1,500-2,000 kWh/m2 a year in Azerbaijan (lower bound)",
        7.9,
        "mean_speed_ms",
        "azpromo.az/3/en/141: 7.9-8.1 m/s annual mean on 30-40 m towers on Absheron "
        "(Tomen measurement; lower bound, no shear to hub height)",
    ),
    ModelledSite("GE_GAR", 1250.0, _GE_GHI, 0.399, "capacity_factor", _GE_WIND),
    ModelledSite("GE_ANA", 1250.0, _GE_GHI, 0.399, "capacity_factor", _GE_WIND),
    ModelledSite(
        "RO_CON",
        1250.0,
        "belgianconnection.be (Romanian ANM data): Black Sea shore above 1,250 kWh/m2 a year",
        0.367,
        "capacity_factor",
        "Nalbant (Dobrogea) wind study, COFRET 2010: Vestas V90 3.0 MW corrected "
        "capacity factor 36.7 %",
    ),
)

PV_SYSTEM_LOSSES = 0.965 * 0.925
"""Global Solar Atlas PVOUT assumptions: 3.5 % soiling and 7.5 % other losses."""
PV_TILT_DEG = 30.0
WIND_TURBINE = "V126/3450"
"""windpowerlib turbine library power curve (OEDB), hub height 117 m."""
WIND_WEIBULL_SHAPE = 2.0
"""Rayleigh shape, the usual assumption where no measured shape is published."""
WIND_HOURLY_AUTOCORR = 0.95
"""Lag-1 hourly autocorrelation of the Gaussian driver of the synthetic wind speed."""
MODELLED_SEED = 20241113
"""Fixed seed of the synthetic wind-speed driver (date of the Caspian agreement)."""
