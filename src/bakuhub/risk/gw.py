"""Gleditsch-Ward state numbers (UCDP ``gwno_*``) to ISO 3166 alpha-3, with the
maintained ``country_converter`` library; no hand-written crosswalk.

Rule, per number:

1. the ``GWcode`` column of country_converter's country table;
2. when that column has no such number, the country named by UCDP itself in rows
   located in that one state only (``location`` has no comma), matched with
   country_converter's name patterns; ``Yemen (North Yemen)`` (GW 678, the number
   UCDP uses for Yemen since 1990) is found this way, because country_converter
   files Yemen under 680;
3. otherwise the number is reported as unmapped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from bakuhub.errors import optional_import


@dataclass(frozen=True)
class GwMapping:
    """The outcome: ISO3 per GW number, how it was found, and what was not."""

    iso3: dict[int, str]
    method: dict[int, str]
    names: dict[int, tuple[str, ...]]
    unmapped: tuple[int, ...]


@lru_cache(maxsize=1)
def converter() -> Any:
    """A country_converter instance built from the library's own country table.

    The table is read with ``keep_default_na=False`` so that Namibia's ISO2 code
    ``NA`` stays a string (country_converter 1.3.2 fails on this under pandas 3).
    """
    coco = optional_import(
        "country_converter",
        extra="ucdp",
        needed_for="to map the Gleditsch-Ward numbers of a new UCDP release to ISO codes "
        "(the shipped mapping needs nothing)",
    )
    COUNTRY_DATA_FILE = coco.country_converter.COUNTRY_DATA_FILE

    table = pd.read_csv(
        COUNTRY_DATA_FILE,
        sep="\t",
        encoding="utf-8",
        dtype=str,
        keep_default_na=False,
        na_values=[""],
    )
    return coco.CountryConverter(country_data=table)


def _quiet_convert(names: list[str], src: str | None) -> list[str | None]:
    cc = converter()
    log = logging.getLogger("country_converter")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        out = cc.convert(names, src=src, to="ISO3", not_found="", enforce_list=True)
    finally:
        log.setLevel(level)
    result: list[str | None] = []
    for item in out:
        value = item[0] if isinstance(item, list) and item else item
        result.append(
            value if isinstance(value, str) and len(value) == 3 and value.isalpha() else None
        )
    return result


def map_gw_codes(
    codes: Iterable[int], names: Mapping[int, Iterable[str]] | None = None
) -> GwMapping:
    """Map GW numbers to ISO3 following the module rule.

    Parameters
    ----------
    codes : GW numbers to map.
    names : for each number, the names UCDP gives that state (rows located in that
        state only); used when the GW column lacks the number.
    """
    uniq = sorted({int(c) for c in codes})
    by_gw = _quiet_convert([str(c) for c in uniq], "GWcode")
    iso3: dict[int, str] = {}
    method: dict[int, str] = {}
    named: dict[int, tuple[str, ...]] = {}
    unmapped: list[int] = []
    for code, hit in zip(uniq, by_gw, strict=True):
        own = tuple(sorted(set((names or {}).get(code, ()))))
        named[code] = own
        if hit is not None:
            iso3[code], method[code] = hit, "gw"
            continue
        found = {h for h in _quiet_convert(list(own), None) if h is not None} if own else set()
        if len(found) == 1:
            iso3[code], method[code] = found.pop(), "name"
        else:
            unmapped.append(code)
    return GwMapping(iso3=iso3, method=method, names=named, unmapped=tuple(unmapped))
