"""UN M49 regions of countries, for group-mean imputation.

The classification is the UN Statistics Division's *Standard country or area codes for
statistical use* (M49, https://unstats.un.org/unsd/methodology/m49/): five regions
(Africa 002, Americas 019, Asia 142, Europe 150, Oceania 009), seventeen sub-regions and,
in Africa and the Americas, intermediate regions. Each country's finest M49 group is read
at build time from country_converter's ``UNregion`` column (see :mod:`bakuhub.risk.build`);
:data:`M49_PARENTS` places that group in the hierarchy (the M49 standard's own nesting,
written out here because country_converter carries only the finest level).

Grouping for imputation: a country's label is ``"region > sub-region"``
(:func:`group_label`); :func:`bakuhub.risk.impute.group_mean` uses the sub-region's
mean when at least ``MIN_GROUP_VALUES`` (3) of its countries have the value, else the
region's. Sub-regions, not the five regions, because they are far more alike (the
Caribbean islands and Northern America, Sub-Saharan and Northern Africa fall apart),
and not the intermediate regions, which M49 defines only in Africa and the Americas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bakuhub.risk.impute import GROUP_SEP

AFRICA, AMERICAS, ASIA, EUROPE, OCEANIA = "Africa", "Americas", "Asia", "Europe", "Oceania"
SSA, LAC = "Sub-Saharan Africa", "Latin America and the Caribbean"

# country_converter's UNregion (an M49 intermediate region or sub-region, with its M49
# code) -> (M49 region, M49 sub-region)
M49_PARENTS: dict[str, tuple[str, str]] = {
    "Northern Africa": (AFRICA, "Northern Africa"),  # 015
    "Eastern Africa": (AFRICA, SSA),  # 014, in 202
    "Middle Africa": (AFRICA, SSA),  # 017, in 202
    "Southern Africa": (AFRICA, SSA),  # 018, in 202
    "Western Africa": (AFRICA, SSA),  # 011, in 202
    "Caribbean": (AMERICAS, LAC),  # 029, in 419
    "Central America": (AMERICAS, LAC),  # 013, in 419
    "South America": (AMERICAS, LAC),  # 005, in 419
    "Northern America": (AMERICAS, "Northern America"),  # 021
    "Central Asia": (ASIA, "Central Asia"),  # 143
    "Eastern Asia": (ASIA, "Eastern Asia"),  # 030
    "South-eastern Asia": (ASIA, "South-eastern Asia"),  # 035
    "Southern Asia": (ASIA, "Southern Asia"),  # 034
    "Western Asia": (ASIA, "Western Asia"),  # 145
    "Eastern Europe": (EUROPE, "Eastern Europe"),  # 151
    "Northern Europe": (EUROPE, "Northern Europe"),  # 154
    "Southern Europe": (EUROPE, "Southern Europe"),  # 039
    "Western Europe": (EUROPE, "Western Europe"),  # 155
    "Australia and New Zealand": (OCEANIA, "Australia and New Zealand"),  # 053
    "Melanesia": (OCEANIA, "Melanesia"),  # 054
    "Micronesia": (OCEANIA, "Micronesia"),  # 057
    "Polynesia": (OCEANIA, "Polynesia"),  # 061
}

REGION_COLUMNS = [
    "iso3",
    "name",
    "m49",
    "region",
    "sub_region",
    "intermediate_region",
    "source",
]


def group_label(region: str, sub_region: str) -> str:
    """The imputation group of a country: ``"Africa > Sub-Saharan Africa"``."""
    return f"{region}{GROUP_SEP}{sub_region}"


def country_groups(countries: Iterable[str], labels: Mapping[str, str]) -> tuple[str | None, ...]:
    """One group label per country (``labels``: iso3 -> label); ``None`` for a country
    the regions table lacks, which group-mean imputation then leaves missing."""
    return tuple(labels.get(code) for code in countries)
