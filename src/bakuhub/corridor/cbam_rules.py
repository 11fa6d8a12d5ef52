"""The EU carbon border (CBAM) on imported electricity: the rules, cited, and the
scenario's choice among them.

Regulation (EU) 2023/956 lists electricity (CN 2716 00 00) among the goods it covers
(Annex I) and, unlike other goods, prices imported electricity on *default* values by
default; actual emissions only under the four cumulative conditions of Annex IV point 5.
:data:`RULES` quotes each rule the model uses, with its source; what could not be
verified is said in ``docs/corridor-method.md`` ("The carbon border").

This module holds what the network build needs (the option, the default factor, the
charge on the export sink); the green-match constraint and the results are in
``cbam.py``. It imports neither the scenario nor the network (both import it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bakuhub.i18n import _

if TYPE_CHECKING:
    import pypsa

REGULATION = "Regulation (EU) 2023/956, OJ L 130, 16.5.2023, p. 52 (ELI: http://data.europa.eu/eli/reg/2023/956/oj)"
DEFAULT_VALUES_ACT = (
    "Commission Implementing Regulation (EU) 2025/2621 of 16 December 2025 (default values "
    "for the definitive period, OJ 31.12.2025)"
)
Q_AND_A = "European Commission, Questions and Answers on CBAM (as quoted by wtocenter.vn, 2024)"

RULES: tuple[dict[str, str], ...] = (
    {
        "rule": "electricity is a CBAM good",
        "text": "Electrical energy, CN code 2716 00 00, is listed among the goods covered.",
        "source": f"{REGULATION}, Annex I",
    },
    {
        "rule": "default values are the rule for electricity",
        "text": (
            "Embedded emissions of imported electricity are determined by default values "
            "unless the declarant claims actual emissions under Annex IV point 5 "
            "(Article 7(3))."
        ),
        "source": f"{REGULATION}, Article 7(3), Annex IV point 4.2",
    },
    {
        "rule": "the default value is the country's CO2 emission factor",
        "text": (
            "Default values for imported electricity are set for a third country, group of "
            "third countries or region, from the best data available to the Commission (the "
            "transitional period used IEA data, a 5-year average); without a specific value, "
            "the CO2 emission factor in the EU applies."
        ),
        "source": f"{REGULATION}, Annex IV point 4.2; {Q_AND_A}",
    },
    {
        "rule": "CO2 emission factor: fossil electricity only",
        "text": (
            "The weighted average CO2 intensity of electricity produced from fossil fuels in "
            "a geographic area: CO2 of the electricity sector divided by gross electricity "
            "generation from fossil fuels, t CO2/MWh."
        ),
        "source": f"{REGULATION}, Annex IV point 1(d)",
    },
    {
        "rule": "actual emissions: four cumulative conditions",
        "text": (
            "(a) a power purchase agreement between the declarant and a producer in the "
            "third country; (b) the installation is directly connected to the Union "
            "transmission system, or there was no physical congestion between it and the "
            "Union system at the time of export; (c) it emits at most 550 g CO2 of fossil "
            "origin per kWh; (d) the electricity has been firmly nominated to allocated "
            "interconnection capacity by all responsible TSOs (origin, destination, transit), "
            "nomination and production referring to the same period of at most one hour."
        ),
        "source": f"{REGULATION}, Annex IV point 5; {Q_AND_A}",
    },
    {
        "rule": "carbon price paid in the country of origin",
        "text": (
            "The declarant may claim a reduction of the certificates to surrender for a "
            "carbon price effectively paid in the country of origin for the declared "
            "embedded emissions."
        ),
        "source": f"{REGULATION}, Article 9",
    },
    {
        "rule": "published default values, definitive period",
        "text": (
            "The Commission set the default values for the definitive period (from 2026) in "
            "an implementing act; the electricity values of the corridor's countries could "
            "not be read here (see docs/corridor-method.md)."
        ),
        "source": DEFAULT_VALUES_ACT,
    },
)
"""The rules the model uses, each with its source (JSON-able, for reports)."""

ACTUAL_EMISSIONS_LIMIT_T_MWH = 0.55
"""Annex IV point 5(c): at most 550 g CO2 of fossil origin per kWh (t/MWh)."""
MAX_FACTOR_T_MWH = 2.0
"""Upper bound of a factor override: above any fossil plant's (lignite about 1.1 t/MWh)."""

Mode = Literal["off", "default-factor", "green-match"]


class CbamOptions(BaseModel):
    """How the EU carbon border prices the corridor's exports.

    ``off``: no CBAM (today's model). ``default-factor``: each MWh delivered to the EU
    pays ``carbon_price_eur_t`` x the exporting country's default factor (less the
    scenario's own CO2 price when ``deduct_home_price``: Article 9). ``green-match``:
    every exported MWh is matched, in each snapshot, by renewable generation of the
    exporting countries (Annex IV point 5), and pays nothing.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    mode: Mode = Field(
        default="off", description="CBAM on exports: off, default-factor, green-match"
    )
    carbon_price_eur_t: float | None = Field(
        default=None, ge=0, le=1e4, description="EU carbon price for CBAM certificates, EUR/t CO2"
    )
    factor_t_mwh: float | None = Field(
        default=None,
        ge=0,
        le=MAX_FACTOR_T_MWH,
        description="default emission factor override, t CO2/MWh",
    )
    contracted: Literal["all", "new"] = Field(
        default="all",
        description="green-match: renewable plants that may be contracted, all or new only",
    )
    deduct_home_price: bool = Field(
        default=False,
        description="deduct co2.price_eur_t as a carbon price paid at home (Article 9)",
    )

    @model_validator(mode="after")
    def _priced(self) -> CbamOptions:
        if self.mode == "default-factor" and self.carbon_price_eur_t is None:
            raise ValueError(
                _(
                    "mode 'default-factor' needs carbon_price_eur_t, the EU carbon price in "
                    "EUR/t CO2 that CBAM certificates cost"
                )
            )
        return self


def fossil_factor(n: pypsa.Network, country: str) -> float | None:
    """The CO2 emission factor of Annex IV point 1(d), t CO2/MWh, estimated from the
    network's existing fossil fleet in ``country``:

    ``f_c = sum_g P_g e_g / eta_g / sum_g P_g`` over existing generators ``g`` of the
    country whose carrier emits (``e_g`` t/MWh_th, ``eta_g`` efficiency, ``P_g`` MW).

    Weighted by capacity, not by generation (the default value must be known before the
    dispatch). None when the country has no fossil plant (then the EU factor applies,
    which is not shipped: give ``factor_t_mwh``).
    """
    gens = n.generators
    buses = n.buses.index[n.buses.country == country]
    intensity = gens.carrier.map(n.carriers.co2_emissions).fillna(0.0)
    mask = gens.bus.isin(buses) & ~gens.p_nom_extendable & (intensity > 0) & (gens.p_nom > 0)
    if not mask.any():
        return None
    weights = gens.p_nom[mask]
    per_mwh = intensity[mask] / gens.efficiency[mask]
    return float((weights * per_mwh).sum() / weights.sum())


def exporting_country(n: pypsa.Network, gateway: str) -> str:
    """The third country whose electricity crosses into the EU at the gateway: the country
    of the nodes that links connect to the gateway (one, or the factor must be given)."""
    links = n.links[(n.links.bus1 == gateway) | (n.links.bus0 == gateway)]
    others = set(links.bus0) | set(links.bus1)
    home = n.buses.at[gateway, "country"]
    countries = sorted({str(n.buses.at[b, "country"]) for b in others} - {str(home)})
    if len(countries) != 1:
        from bakuhub.errors import InvalidInput

        raise InvalidInput(
            _(
                "cbam: the gateway {gateway} is reached from {count} third countries "
                "({countries}), so no single default factor applies; give "
                "cbam.factor_t_mwh."
            ).format(gateway=gateway, count=len(countries), countries=", ".join(countries))
        )
    return countries[0]


def charge_eur_mwh(
    n: pypsa.Network, options: CbamOptions, gateway: str, home_co2_price: float
) -> tuple[float, float]:
    """(charge EUR/MWh delivered, factor t/MWh) of the ``default-factor`` mode:

    ``c = max(p_EU - p_home, 0) * f`` with ``f`` the override or :func:`fossil_factor` of
    :func:`exporting_country`, and ``p_home`` the carbon price paid at home (Article 9)
    when the option deducts it, else 0. (0, 0) in the other modes.
    """
    if options.mode != "default-factor":
        return 0.0, 0.0
    factor = options.factor_t_mwh
    if factor is None:
        country = exporting_country(n, gateway)
        factor = fossil_factor(n, country)
        if factor is None:
            from bakuhub.errors import InvalidInput

            raise InvalidInput(
                _(
                    "cbam: {country} has no fossil plant in the dataset, so its CO2 emission "
                    "factor cannot be estimated (the EU's factor would apply); give "
                    "cbam.factor_t_mwh."
                ).format(country=country)
            )
    price = options.carbon_price_eur_t or 0.0
    home = home_co2_price if options.deduct_home_price else 0.0
    return max(price - home, 0.0) * factor, factor
