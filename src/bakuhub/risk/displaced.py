"""The Hub index's ``displaced_persons`` indicator from UNHCR's and IDMC's exports
(read by :mod:`bakuhub.risk.displacement`): which figures, which year, and the
source named in the indicator's metadata. Pure pandas."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _
from bakuhub.risk.displacement import DisplacementRead
from bakuhub.risk.presets import INDICATORS
from bakuhub.risk.spec import Indicator

DISPLACED = "displaced_persons"
UNHCR_SOURCE = "UNHCR Refugee Population Statistics Database"
IDMC_SOURCE = "IDMC Global Internal Displacement Database (GIDD)"


@dataclass(frozen=True)
class Displacement:
    """``displaced_persons`` rows (``iso3, year, indicator, value`` in persons) built
    from the exports, the indicator's metadata naming them, the year used and notes
    for the reader (rows left out, where a fallback was used)."""

    observations: pd.DataFrame
    indicator: Indicator
    year: int
    notes: tuple[str, ...] = ()


def _common_year(given: list[DisplacementRead], end: int, years: int) -> int:
    start = end - years + 1
    sets = [{int(y) for y in r.frame["year"] if start <= int(y) <= end} for r in given]
    common = set.intersection(*sets)
    if not common:
        spans = "; ".join(
            _("{file} covers {first}-{last}").format(
                file=r.name, first=r.frame["year"].min(), last=r.frame["year"].max()
            )
            for r in given
        )
        raise InvalidInput(
            _(
                "No year of the window {start}-{end} is in every displacement file ({spans}). "
                "Use figures for a year in the window, or move the window (--window-end)."
            ).format(start=start, end=end, spans=spans)
        )
    return max(common)


def _indicator(
    unhcr: DisplacementRead | None, idmc: DisplacementRead | None, year: int
) -> Indicator:
    if unhcr is not None and idmc is not None:
        source = (
            f"{UNHCR_SOURCE} (refugees, asylum-seekers and other people in need of "
            f"international protection, by origin) + {IDMC_SOURCE} (conflict IDPs; "
            "UNHCR's IDPs of concern where IDMC reports none)"
        )
    elif unhcr is not None:
        source = (
            f"{UNHCR_SOURCE} (refugees, asylum-seekers, other people in need of "
            "international protection by origin, and IDPs of concern to UNHCR)"
        )
    else:
        source = f"{IDMC_SOURCE} (conflict IDPs only; no refugee figures given)"
    files = " and ".join(r.name for r in (unhcr, idmc) if r is not None)
    base = INDICATORS[DISPLACED]
    return Indicator(DISPLACED, base.name, source, "persons", True, f"{year} figures ({files})")


def displaced_persons(
    *,
    unhcr: DisplacementRead | None = None,
    idmc: DisplacementRead | None = None,
    end: int,
    years: int,
) -> Displacement:
    """The Hub index's ``displaced_persons`` from UNHCR's and/or IDMC's export.

    For each country ``c`` in year ``Y`` (persons; the index divides by population,
    per 100,000, then takes ``log10(1 + x)``)::

        displaced(c) = refugees(c) + asylum_seekers(c) + oip(c) + idps(c)
        idps(c) = IDMC conflict stock(c)          if IDMC reports it
                  else UNHCR IDPs of concern(c)   if UNHCR reports it
                  else 0

    with the UNHCR figures counted by country of origin and summed over the countries
    of asylum. All are end-of-year stocks of people displaced from or within ``c``:
    one person is counted once. IDMC's conflict stock and UNHCR's IDPs of concern
    count the same people (UNHCR's only those it assists), so only one is taken.
    Disaster displacement is left out: IDMC's disaster stock starts in 2019 and its
    flows count movements (often pre-emptive evacuations), not people.

    ``Y`` is the latest year of the window ``[end - years + 1, end]`` found in every
    given export. A country in no export for ``Y`` stays missing; a country one
    export lists and the other omits counts 0 for the omitted part.
    """
    given = [r for r in (unhcr, idmc) if r is not None]
    if not given:
        raise ValueError("displaced_persons needs a UNHCR or an IDMC export")
    year = _common_year(given, end, years)
    parts = {
        key: r.frame[r.frame["year"] == year].set_index("iso3")
        for key, r in (("unhcr", unhcr), ("idmc", idmc))
        if r is not None
    }
    idx = pd.Index(sorted(set().union(*(set(p.index) for p in parts.values()))), name="iso3")
    abroad = pd.Series(0.0, index=idx)
    idps = pd.Series(float("nan"), index=idx)
    notes = [n for r in given if (n := r.skipped_note()) is not None]
    if "idmc" in parts:
        idps = parts["idmc"].reindex(idx)["conflict_stock"].astype(float)
    if "unhcr" in parts:
        u = parts["unhcr"].reindex(idx)
        abroad = u[["refugees", "asylum_seekers", "oip"]].sum(axis=1, min_count=0)
        fallback = idps.isna() & (u["idps"] > 0)
        if "idmc" in parts and fallback.any():
            notes.append(
                _(
                    "UNHCR's IDPs of concern used where IDMC reports no conflict IDPs in "
                    "{year}: {countries}."
                ).format(year=year, countries=", ".join(idx[fallback]))
            )
        idps = idps.fillna(u["idps"])
    value = abroad + idps.fillna(0.0)
    obs = pd.DataFrame(
        {"iso3": idx, "year": year, "indicator": DISPLACED, "value": value.to_numpy()}
    )
    return Displacement(
        observations=obs.reset_index(drop=True),
        indicator=_indicator(unhcr, idmc, year),
        year=year,
        notes=tuple(notes),
    )
