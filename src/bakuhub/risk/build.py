"""Derive the shipped tables of ``bakuhub/datasets/risk`` from the upstream files.

Deterministic: fixed row order, fixed float format, ``\\n`` line ends, so a rebuild
reproduces the shipped bytes (a test checks it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bakuhub.risk.data import ucdp_codes, ucdp_country_years, ucdp_gw_names
from bakuhub.risk.gw import GwMapping, converter, map_gw_codes
from bakuhub.risk.regions import M49_PARENTS, REGION_COLUMNS
from bakuhub.risk.sources import Skipped, read_ndgain_csv, read_ucdp_csv

NDGAIN_FILE = Path("nd-gain/ndgain_202508.csv")
UCDP_FILE = Path("ucdp/UcdpPrioConflict_v25_1.csv")
POPULATION_FILE = Path("population/population.csv")
POPULATION_YEARS = (2010, 2024)


@dataclass(frozen=True)
class Built:
    """The derived tables (file name -> text) and what the derivation left out."""

    files: dict[str, str]
    mapping: GwMapping
    skipped: list[Skipped]
    no_region: tuple[str, ...] = ()


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _f(x: float, digits: int) -> str:
    return "NA" if pd.isna(x) else f"{x:.{digits}f}"


def ndgain_table(shared: Path) -> str:
    """``ndgain.csv``: ISO3, name, vulnerability and readiness (9 decimals), the
    published index (9 decimals) and rank, sorted by ISO3."""
    nd = read_ndgain_csv(shared / NDGAIN_FILE).sort_values("iso3")
    cols = zip(
        nd["iso3"],
        nd["name"],
        nd["vulnerability"],
        nd["readiness"],
        nd["index"],
        nd["rank"],
        strict=True,
    )
    rows = [
        (iso3, name, _f(vul, 9), _f(rea, 9), _f(idx, 9), _f(rank, 0))
        for iso3, name, vul, rea, idx, rank in cols
    ]
    return _csv(["iso3", "name", "vulnerability", "readiness", "index", "rank"], rows)


def ucdp_tables(shared: Path) -> tuple[dict[str, str], GwMapping, list[Skipped]]:
    """``ucdp_country_years.csv`` (iso3, year, conflicts, max_intensity),
    ``ucdp_gw_mapping.csv`` (every GW number, its ISO3 and how it was found) and
    ``ucdp_skipped_rows.csv`` (malformed upstream lines left out)."""
    read = read_ucdp_csv(shared / UCDP_FILE, skip_malformed=True)
    mapping = map_gw_codes(ucdp_codes(read.frame), ucdp_gw_names(read.frame))
    cy = ucdp_country_years(read.frame, mapping)
    years = read.frame.assign(gw=read.frame["gwno_loc"].str.split(",")).explode("gw")
    years["gw"] = years["gw"].str.strip().astype(int)
    span = years.groupby("gw")["year"].agg(["min", "max", "count"])
    files = {
        "ucdp_country_years.csv": _csv(
            ["iso3", "year", "conflicts", "max_intensity"], cy.itertuples(index=False, name=None)
        ),
        "ucdp_gw_mapping.csv": _csv(
            ["gwno", "iso3", "method", "ucdp_names", "first_year", "last_year", "conflict_years"],
            [
                (
                    gw,
                    mapping.iso3.get(gw, ""),
                    mapping.method.get(gw, "unmapped"),
                    "; ".join(mapping.names.get(gw, ())),
                    int(span.loc[gw, "min"]),
                    int(span.loc[gw, "max"]),
                    int(span.loc[gw, "count"]),
                )
                for gw in sorted(span.index)
            ],
        ),
        "ucdp_skipped_rows.csv": _csv(
            ["line", "conflict_id", "reason"], [(s.line, s.text, s.reason) for s in read.skipped]
        ),
    }
    return files, mapping, read.skipped


def population_table(shared: Path) -> str:
    """``population.csv``: World Bank total population (persons) of countries and
    territories (codes known to country_converter; regional aggregates dropped),
    ``POPULATION_YEARS``, as indicator rows ``iso3, year, indicator, value``."""
    pop = pd.read_csv(shared / POPULATION_FILE, dtype={"Country Code": str})
    known = set(converter().data["ISO3"].dropna())
    lo, hi = POPULATION_YEARS
    keep = pop[pop["Country Code"].isin(known) & pop["Year"].between(lo, hi)]
    keep = keep.sort_values(["Country Code", "Year"])
    rows = [
        (code, int(year), "population", f"{float(value):.0f}")
        for code, year, value in zip(keep["Country Code"], keep["Year"], keep["Value"], strict=True)
    ]
    return _csv(["iso3", "year", "indicator", "value"], rows)


def regions_table() -> tuple[str, tuple[str, ...]]:
    """``regions.csv``: per ISO3 code of country_converter's table, its UN M49 region,
    sub-region and intermediate region (empty where M49 has none), from the
    ``UNregion`` column placed in the M49 hierarchy by
    :data:`bakuhub.risk.regions.M49_PARENTS`; ``m49`` is the country's M49 code.
    ``source`` is ``M49``, or ``country_converter`` for the codes M49 does not list
    (Kosovo, Taiwan: the library's own placement). Also returns the codes left out
    because M49 places them in no region (Antarctica)."""
    table = converter().data.dropna(subset=["ISO3", "UNregion"]).sort_values("ISO3")
    rows = []
    left_out = []
    for iso3, name, code, finest in zip(
        table["ISO3"], table["name_short"], table["UNcode"], table["UNregion"], strict=True
    ):
        if finest not in M49_PARENTS:
            left_out.append(iso3)
            continue
        region, sub = M49_PARENTS[finest]
        m49 = "" if pd.isna(code) else f"{int(code):03d}"
        rows.append(
            (
                iso3,
                name,
                m49,
                region,
                sub,
                "" if finest == sub else finest,
                "M49" if m49 else "country_converter",
            )
        )
    return _csv(REGION_COLUMNS, rows), tuple(left_out)


def build(shared: Path) -> Built:
    """Derive every shipped table from the upstream folder ``shared`` (and the
    installed country_converter's country table)."""
    ucdp, mapping, skipped = ucdp_tables(shared)
    regions, no_region = regions_table()
    files = {
        "ndgain.csv": ndgain_table(shared),
        **ucdp,
        "population.csv": population_table(shared),
        "regions.csv": regions,
    }
    return Built(
        files=dict(sorted(files.items())), mapping=mapping, skipped=skipped, no_region=no_region
    )


def write(built: Built, out: Path) -> list[Path]:
    """Write the tables under ``out`` (created if needed); returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in built.files.items():
        path = out / name
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths
