"""From long tables (``iso3, year, indicator, value``) to the aligned arrays the engine
scores, and from UCDP conflict-years to per-country conflict indicators. Pure pandas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from bakuhub.risk.gw import GwMapping
from bakuhub.risk.index import IndicatorData
from bakuhub.risk.spec import Indicator

OBS_COLUMNS = ["iso3", "year", "indicator", "value"]


def ucdp_gw_names(frame: pd.DataFrame) -> dict[int, list[str]]:
    """For each GW number, the names UCDP gives in rows located in that state only."""
    single = frame[~frame["gwno_loc"].str.contains(",") & ~frame["location"].str.contains(",")]
    out: dict[int, list[str]] = {}
    for gw, loc in zip(single["gwno_loc"], single["location"], strict=True):
        out.setdefault(int(gw), [])
        if loc not in out[int(gw)]:
            out[int(gw)].append(loc)
    return out


def ucdp_codes(frame: pd.DataFrame) -> list[int]:
    """Every GW number found in ``gwno_loc``."""
    return sorted({int(x) for s in frame["gwno_loc"] for x in str(s).split(",")})


def ucdp_country_years(frame: pd.DataFrame, mapping: GwMapping) -> pd.DataFrame:
    """Country-years of armed conflict on each state's territory.

    A conflict-year located in several states (``gwno_loc`` "625, 626") counts for
    each of them. Returns ``iso3, year, conflicts, max_intensity``: the number of
    distinct active conflicts and the highest intensity level (1: 25-999
    battle-related deaths, 2: 1,000 or more). Unmapped GW numbers are left out
    (see ``mapping.unmapped``).
    """
    rows = frame.assign(gw=frame["gwno_loc"].str.split(",")).explode("gw")
    rows["iso3"] = rows["gw"].str.strip().astype(int).map(mapping.iso3)
    rows = rows.dropna(subset=["iso3"])
    out = (
        rows.groupby(["iso3", "year"], sort=True)
        .agg(conflicts=("conflict_id", "nunique"), max_intensity=("intensity_level", "max"))
        .reset_index()
    )
    out["year"] = out["year"].astype(int)
    out["conflicts"] = out["conflicts"].astype(int)
    out["max_intensity"] = out["max_intensity"].astype(int)
    return out


def conflict_indicators(
    country_years: pd.DataFrame, countries: Sequence[str], *, end: int, years: int
) -> pd.DataFrame:
    """Conflict indicators over the window ``[end - years + 1, end]`` for every country.

    ``conflict_years`` = number of years in the window with at least one active armed
    conflict on the territory; ``war_years`` = number of those years with intensity 2
    (1,000+ battle-related deaths). UCDP records every conflict that reached 25
    deaths, so a country with no row scores 0, not missing. Observations carry year
    ``end``.
    """
    start = end - years + 1
    window = country_years[(country_years["year"] >= start) & (country_years["year"] <= end)]
    active = window.groupby("iso3")["year"].nunique()
    war = window[window["max_intensity"] >= 2].groupby("iso3")["year"].nunique()
    frames = []
    for code, series in (("conflict_years", active), ("war_years", war)):
        values = pd.Series(0.0, index=pd.Index(list(countries), name="iso3"))
        values.update(series.astype(float))
        frames.append(
            pd.DataFrame(
                {"iso3": values.index, "year": end, "indicator": code, "value": values.to_numpy()}
            )
        )
    return pd.concat(frames, ignore_index=True)[OBS_COLUMNS]


def latest(obs: pd.DataFrame, code: str, year: int | None) -> pd.DataFrame:
    """Per country, the latest observation of ``code`` in or before ``year``."""
    sub = obs[(obs["indicator"] == code) & obs["value"].notna()]
    if year is not None:
        sub = sub[sub["year"] <= year]
    return sub.sort_values(["iso3", "year"]).groupby("iso3").tail(1).set_index("iso3")


def build_data(
    obs: pd.DataFrame,
    indicators: Mapping[str, Indicator],
    countries: Sequence[str],
    *,
    names: Mapping[str, str] | None = None,
    year: int | None = None,
    population: pd.DataFrame | None = None,
) -> IndicatorData:
    """Align observations on ``countries``: for each indicator and country the latest
    value in or before ``year`` (any year when ``None``), NaN when there is none.

    ``population`` (``iso3, year, value`` in persons) gives, per country, the latest
    population in or before ``year``, used by per-capita transforms.
    """
    idx = pd.Index(list(countries))
    values: dict[str, np.ndarray] = {}
    years: dict[str, np.ndarray] = {}
    for code in indicators:
        last = latest(obs, code, year).reindex(idx)
        values[code] = last["value"].to_numpy(dtype=np.float64)
        years[code] = last["year"].to_numpy(dtype=np.float64)
    pop = None
    if population is not None:
        pop_obs = population.assign(indicator="population")
        pop = latest(pop_obs, "population", year).reindex(idx)["value"].to_numpy(dtype=np.float64)
    label = [(names or {}).get(c, c) for c in countries]
    return IndicatorData(
        countries=tuple(countries),
        names=tuple(label),
        indicators=dict(indicators),
        values=values,
        years=years,
        population=pop,
    )
