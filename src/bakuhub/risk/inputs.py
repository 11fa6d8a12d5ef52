"""Assemble the indicator table a preset scores: the shipped default data, or newer
releases and the user's own indicators read by :mod:`bakuhub.risk.sources`."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pandas as pd

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _
from bakuhub.risk.data import OBS_COLUMNS, build_data, conflict_indicators
from bakuhub.risk.displaced import DISPLACED, Displacement, displaced_persons
from bakuhub.risk.index import IndicatorData
from bakuhub.risk.presets import INDICATORS
from bakuhub.risk.regions import country_groups, group_label
from bakuhub.risk.sources import read_indicator_csv, read_ndgain_csv

NDGAIN_YEAR = 2025  # release year of ndgain_202508.csv; the file states no data year


@dataclass(frozen=True)
class Window:
    """The recent window of the conflict indicators: ``years`` years ending ``end``."""

    end: int = 2024
    years: int = 10


def _shipped(name: str) -> io.StringIO:
    text = (files("bakuhub") / "datasets" / "risk" / name).read_text(encoding="utf-8")
    stream = io.StringIO(text)
    stream.name = name
    return stream


@lru_cache(maxsize=1)
def shipped_ndgain() -> pd.DataFrame:
    """The shipped ND-GAIN table (``iso3, name, vulnerability, readiness, index, rank``)."""
    return read_ndgain_csv(_shipped("ndgain.csv"))


@lru_cache(maxsize=1)
def shipped_country_years() -> pd.DataFrame:
    """The shipped UCDP country-years (``iso3, year, conflicts, max_intensity``)."""
    return pd.read_csv(_shipped("ucdp_country_years.csv"), dtype={"iso3": str})


@lru_cache(maxsize=1)
def shipped_population() -> pd.DataFrame:
    """The shipped World Bank population (``iso3, year, indicator, value``)."""
    return read_indicator_csv(_shipped("population.csv"))


@lru_cache(maxsize=1)
def shipped_regions() -> dict[str, str]:
    """The imputation group of each ISO3 code in the shipped ``regions.csv`` (UN M49
    region and sub-region, :func:`bakuhub.risk.regions.group_label`)."""
    table = pd.read_csv(_shipped("regions.csv"), dtype=str, keep_default_na=False)
    return {
        iso3: group_label(region, sub)
        for iso3, region, sub in zip(
            table["iso3"], table["region"], table["sub_region"], strict=True
        )
    }


def ndgain_observations(nd: pd.DataFrame, year: int = NDGAIN_YEAR) -> pd.DataFrame:
    """ND-GAIN vulnerability and readiness as indicator rows of ``year``."""
    frames = [
        pd.DataFrame(
            {"iso3": nd["iso3"], "year": year, "indicator": f"ndgain_{col}", "value": nd[col]}
        )
        for col in ("vulnerability", "readiness")
    ]
    return pd.concat(frames, ignore_index=True)[OBS_COLUMNS]


def _names(nd: pd.DataFrame, countries: list[str]) -> dict[str, str]:
    import pycountry

    names = dict(zip(nd["iso3"], nd["name"], strict=True))
    for code in countries:
        if code not in names:
            hit = pycountry.countries.get(alpha_3=code)
            names[code] = str(hit.name) if hit is not None else code
    return names


def assemble(
    preset: str,
    *,
    ndgain: pd.DataFrame | None = None,
    country_years: pd.DataFrame | None = None,
    inform: pd.DataFrame | None = None,
    extra: pd.DataFrame | None = None,
    population: pd.DataFrame | None = None,
    window: Window | None = None,
    displacement: Displacement | None = None,
) -> IndicatorData:
    """The aligned input table for ``preset``.

    Defaults are the shipped tables; ``extra`` adds indicator rows (e.g.
    ``displaced_persons`` for the Hub index) and replaces shipped rows of the
    same indicator. ``displacement`` gives the Hub index's ``displaced_persons`` from
    UNHCR/IDMC exports (:mod:`bakuhub.risk.displaced`), with its source and year in
    the indicator's metadata; it adds no country. Countries: ND-GAIN's list plus any
    country with a conflict in the window or an extra value (hub, ndgain); the INFORM
    file's list (inform). Every country gets its UN M49 group (``groups``, from the
    shipped ``regions.csv``) for group-mean imputation; one the table lacks gets
    ``None`` and is not filled by group mean.
    """
    window = window or Window()
    _check_displacement(preset, extra, displacement)
    nd = shipped_ndgain() if ndgain is None else ndgain
    pop = shipped_population() if population is None else population
    if preset == "inform":
        if inform is None and extra is not None:
            inform, extra = extra, None
        if inform is None:
            raise InvalidInput(
                _(
                    "The INFORM preset needs an INFORM Risk sheet exported as CSV; none is "
                    "shipped. Pass it with --inform FILE (CLI) or choose the hub or ndgain preset."
                )
            )
        obs = inform
        codes = ["inform_hazard_exposure", "inform_vulnerability", "inform_lack_of_coping_capacity"]
        countries = sorted(set(obs["iso3"]))
    else:
        obs = ndgain_observations(nd)
        countries_set = set(nd["iso3"])
        codes = ["ndgain_vulnerability", "ndgain_readiness"]
        if preset == "hub":
            cy = shipped_country_years() if country_years is None else country_years
            start = window.end - window.years + 1
            countries_set |= set(cy[(cy["year"] >= start) & (cy["year"] <= window.end)]["iso3"])
            if extra is not None:
                countries_set |= set(extra["iso3"])
            countries = sorted(countries_set)
            conflict = conflict_indicators(cy, countries, end=window.end, years=window.years)
            obs = pd.concat([obs, conflict], ignore_index=True)
            codes += ["conflict_years", "war_years", "displaced_persons"]
        countries = sorted(countries_set)
    if displacement is not None:
        extra = pd.concat([extra, displacement.observations], ignore_index=True)
    if extra is not None:
        obs = pd.concat(
            [obs[~obs["indicator"].isin(set(extra["indicator"]))], extra], ignore_index=True
        )
    indicators = {c: INDICATORS[c] for c in codes}
    if displacement is not None:
        indicators[DISPLACED] = displacement.indicator
    data = build_data(
        obs,
        indicators,
        countries,
        names=_names(nd, countries),
        population=pop[["iso3", "year", "value"]],
    )
    return replace(data, groups=country_groups(countries, shipped_regions()))


def assemble_from_files(
    preset: str,
    *,
    ndgain: Path | None = None,
    ucdp: Path | None = None,
    skip_malformed: bool = False,
    inform: Path | None = None,
    inform_year: int | None = None,
    indicators: Path | None = None,
    displacement: Displacement | None = None,
    window: Window | None = None,
) -> IndicatorData:
    """:func:`assemble` with any of the inputs read from upstream-format files.

    ``ucdp`` is the UCDP/PRIO CSV (its GW numbers are mapped as in
    :mod:`bakuhub.risk.gw`); ``indicators`` a plain ``iso3, year, indicator, value``
    file, e.g. displacement counts in persons; ``displacement`` the Hub index's
    ``displaced_persons`` read from UNHCR/IDMC exports by :func:`read_displacement`
    (kept apart so a caller can show its notes).
    """
    from bakuhub.risk.data import ucdp_codes, ucdp_country_years, ucdp_gw_names
    from bakuhub.risk.gw import map_gw_codes
    from bakuhub.risk.sources import read_inform_csv, read_ucdp_csv

    cy = None
    if ucdp is not None:
        frame = read_ucdp_csv(ucdp, skip_malformed=skip_malformed).frame
        cy = ucdp_country_years(frame, map_gw_codes(ucdp_codes(frame), ucdp_gw_names(frame)))
    window = window or Window()
    return assemble(
        preset,
        ndgain=None if ndgain is None else read_ndgain_csv(ndgain),
        country_years=cy,
        inform=None if inform is None else read_inform_csv(inform, year=inform_year or window.end),
        extra=None if indicators is None else read_indicator_csv(indicators),
        window=window,
        displacement=displacement,
    )


def _check_displacement(
    preset: str, extra: pd.DataFrame | None, displacement: Displacement | None
) -> None:
    """Refuse displacement exports for a preset without the pillar, and two sources of
    ``displaced_persons`` at once."""
    if displacement is None:
        return
    if preset != "hub":
        raise InvalidInput(
            _(
                "UNHCR and IDMC files feed the Hub index's displacement pillar; the {preset} "
                "preset has none. Use --preset hub, or leave out --unhcr and --idmc."
            ).format(preset=preset)
        )
    if extra is not None and DISPLACED in set(extra["indicator"]):
        raise InvalidInput(
            _(
                "displaced_persons is given twice: in the indicator file and from the UNHCR/IDMC "
                "files. Give it one way: drop its rows from the indicator file, or leave out "
                "--unhcr and --idmc."
            )
        )


def read_displacement(
    *, unhcr: Path | None, idmc: Path | None, window: Window
) -> Displacement | None:
    """``displaced_persons`` from a UNHCR and/or an IDMC export over ``window``
    (None when neither is given)."""
    if unhcr is None and idmc is None:
        return None
    from bakuhub.risk.displacement import read_idmc, read_unhcr

    return displaced_persons(
        unhcr=None if unhcr is None else read_unhcr(unhcr),
        idmc=None if idmc is None else read_idmc(idmc),
        end=window.end,
        years=window.years,
    )


def observations_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Indicator rows given as records (``iso3, year, indicator, value``) as a table;
    a repeated country, year and indicator is refused."""
    frame = pd.DataFrame(rows, columns=OBS_COLUMNS)
    repeated = frame[frame.duplicated(["iso3", "year", "indicator"])]
    if not repeated.empty:
        first = repeated.iloc[0]
        raise InvalidInput(
            _(
                "observations: a second value for {country} {year} {indicator}; keep one value "
                "per country, year and indicator."
            ).format(country=first["iso3"], year=first["year"], indicator=first["indicator"])
        )
    return frame
