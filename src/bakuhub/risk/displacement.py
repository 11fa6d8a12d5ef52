"""Displacement data for the Hub index: loaders of UNHCR's and IDMC's exports (made
into the ``displaced_persons`` indicator by :mod:`bakuhub.risk.displaced`).

- UNHCR Refugee Data Finder, population statistics (CSV downloaded from
  https://www.unhcr.org/refugee-statistics/download/ or the API with ``download=true``):
  one row per year, country of origin and country of asylum with ``Year``,
  ``Country of origin (ISO)``, ``Country of asylum (ISO)``, ``Refugees under UNHCR's
  mandate``, ``Asylum-seekers``, ``IDPs of concern to UNHCR`` and, in newer exports,
  ``Other people in need of international protection`` (``Venezuelans displaced
  abroad`` in 2019-2022 exports). Older downloads put a preamble of about 14 lines
  above the header and write ``-`` for nothing reported.
- IDMC Global Internal Displacement Database (GIDD) export
  (https://www.internal-displacement.org/database/displacement-data/), as the
  ``.xlsx`` IDMC serves (sheet ``1_Displacement_data``) or that sheet saved as CSV:
  ``ISO3, Name, Year, Conflict Stock Displacement, Conflict Stock Displacement (Raw),
  Conflict Internal Displacements (Raw), Disaster Internal Displacements (Raw),
  Disaster Stock Displacement (Raw)``; the unrounded ``(Raw)`` figures are used when
  present.

Both are refused with :class:`bakuhub.errors.InvalidInput` naming the file, the line
(or sheet row), the column and what to do. Rows whose code is not a country (UNHCR's
``UNK`` various/unknown origin, ``STA``/``XXA`` stateless; IDMC's ``AB9`` Abyei Area)
are left out and counted in ``skipped``. Files are passed as paths, bytes or streams;
reading is pure.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO

import pandas as pd

from bakuhub.errors import InvalidInput
from bakuhub.i18n import N_, _
from bakuhub.risk.sources import ISO3, MISSING, _refuse

DisplacementSource = str | Path | bytes | IO[str] | IO[bytes]

NOT_COUNTRIES = {
    "UNK": N_("various/unknown"),
    "UKN": N_("various/unknown"),
    "STA": N_("stateless"),
    "XXA": N_("stateless"),
    "AB9": "Abyei Area",
}
"""Codes in the exports that name no country: their rows are left out and counted."""

UNHCR_COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("Year",),
    "origin": ("Country of origin (ISO)",),
    "asylum": ("Country of asylum (ISO)",),
    "refugees": ("Refugees under UNHCR's mandate",),
    "asylum_seekers": ("Asylum-seekers",),
    "idps": ("IDPs of concern to UNHCR",),
}
UNHCR_OPTIONAL: dict[str, tuple[str, ...]] = {
    "oip": ("Other people in need of international protection", "Venezuelans displaced abroad"),
}
IDMC_COLUMNS: dict[str, tuple[str, ...]] = {
    "iso3": ("ISO3",),
    "year": ("Year",),
    "conflict_stock": ("Conflict Stock Displacement (Raw)", "Conflict Stock Displacement"),
}
IDMC_OPTIONAL: dict[str, tuple[str, ...]] = {
    "conflict_new": ("Conflict Internal Displacements (Raw)", "Conflict Internal Displacements"),
    "disaster_new": ("Disaster Internal Displacements (Raw)", "Disaster Internal Displacements"),
    "disaster_stock": ("Disaster Stock Displacement (Raw)", "Disaster Stock Displacement"),
}
IDMC_SHEET = "1_Displacement_data"
HEADER_SEARCH = 30  # lines searched for the header row (UNHCR's preamble is ~14)


@dataclass(frozen=True)
class DisplacementRead:
    """One export as read: per country (``iso3``) and ``year`` its figures in persons
    (NaN: not reported), the file's name and the rows left out per non-country code."""

    name: str
    frame: pd.DataFrame
    skipped: dict[str, int] = field(default_factory=dict)

    def skipped_note(self) -> str | None:
        """A sentence listing the rows left out, or None."""
        if not self.skipped:
            return None
        parts = [
            _("{count} with {code} ({meaning})").format(
                count=n, code=code, meaning=_(NOT_COUNTRIES[code])
            )
            for code, n in self.skipped.items()
        ]
        return _("{file}: rows naming no country left out: {rows}.").format(
            file=self.name, rows=", ".join(parts)
        )


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """ISO 3166 alpha-3 codes (pycountry) and XKX, the code both exports give Kosovo."""
    import pycountry

    return frozenset({c.alpha_3 for c in pycountry.countries} | {"XKX"})


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(name: str, data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises several kinds on a damaged file
        raise _refuse(
            name,
            None,
            _("is not a readable .xlsx workbook"),
            _("Save the export again as .xlsx or CSV."),
        ) from None
    sheet = book[IDMC_SHEET] if IDMC_SHEET in book.sheetnames else book.worksheets[0]
    rows = [
        (i, [_cell(v) for v in row]) for i, row in enumerate(sheet.iter_rows(values_only=True), 1)
    ]
    book.close()
    return rows


def _read_csv(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    return [(reader.line_num, [c.strip() for c in row]) for row in reader]


def read_table(
    source: DisplacementSource, name: str | None = None
) -> tuple[str, list[tuple[int, list[str]]]]:
    """The file's name and its rows as ``(line or sheet row, cells as text)``; an
    ``.xlsx`` workbook (by suffix or content) is read from its first sheet or
    ``1_Displacement_data``."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise InvalidInput(
                _("{file}: no such file. Check the path and try again.").format(file=path)
            )
        return read_table(path.read_bytes(), name or path.name)
    if not isinstance(source, bytes):
        data: str | bytes = source.read()
        name = name or getattr(source, "name", None)
        if isinstance(data, str):
            return name or "upload", _read_csv(data)
        source = data
    name = name or "upload"
    if source[:4] == b"PK\x03\x04":
        return name, _read_xlsx(name, source)
    try:
        return name, _read_csv(source.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _refuse(
            name, None, _("is not UTF-8 text"), _("Save the file as UTF-8 CSV.")
        ) from None


def _columns(
    name: str,
    rows: list[tuple[int, list[str]]],
    required: Mapping[str, tuple[str, ...]],
    optional: Mapping[str, tuple[str, ...]],
    what: str,
) -> tuple[int, dict[str, int], list[tuple[int, list[str]]]]:
    """Find the header row (the first with the first required title) and each column."""
    first, second = (titles[0] for titles in list(required.values())[:2])
    head = next(
        (
            k
            for k, (_line, cells) in enumerate(rows[:HEADER_SEARCH])
            if first.lower() in [c.lower() for c in cells]
        ),
        None,
    )
    if head is None:
        raise _refuse(
            name,
            None,
            _(
                "no header row with columns '{first}' and '{second}' in the first {lines} lines"
            ).format(first=first, second=second, lines=HEADER_SEARCH),
            _("Use {what} unchanged.").format(what=_(what)),
        )
    line, header = rows[head]
    lower = [c.lower() for c in header]
    found: dict[str, int] = {}
    absent: list[str] = []
    for key, options in {**required, **optional}.items():
        idx = next((lower.index(t.lower()) for t in options if t.lower() in lower), None)
        if idx is not None:
            found[key] = idx
        elif key in required:
            absent.append(options[0])
    if absent:
        raise _refuse(
            name,
            line,
            _("missing column(s) {columns} (found {found})").format(
                columns=", ".join(repr(a) for a in absent), found=", ".join(header)
            ),
            _("Use {what} with its header row unchanged.").format(what=_(what)),
        )
    return line, found, [r for r in rows[head + 1 :] if any(r[1])]


def _text(name: str, line: int, cells: list[str], idx: int, width: int) -> str:
    if len(cells) < width or any(cells[width:]):
        raise _refuse(
            name,
            line,
            _("{count} fields where the header has {width}").format(count=len(cells), width=width),
            _("Repair the row (a stray comma or quote?)."),
        )
    return cells[idx] if idx < len(cells) else ""


def _year(name: str, line: int, text: str) -> int:
    if not (len(text) == 4 and text.isdigit()):
        raise _refuse(
            name,
            line,
            _("Year {text} is not a four-digit year").format(text=repr(text)),
            _("Write the year as e.g. 2024."),
            "Year",
        )
    return int(text)


def _country(name: str, line: int, column: str, text: str) -> str | None:
    """The ISO3 code of a cell; None for a code that names no country."""
    code = text.strip().upper()
    if code in NOT_COUNTRIES:
        return None
    if not ISO3.match(code):
        raise _refuse(
            name,
            line,
            _("{column} {text} is not an ISO 3166 alpha-3 code").format(
                column=column, text=repr(text)
            ),
            _("Use the export's three-letter codes (e.g. SDN) unchanged."),
            column,
        )
    if code not in known_codes():
        raise _refuse(
            name,
            line,
            _("{column} {text} is not a known country code").format(column=column, text=repr(code)),
            _("Correct the code to an ISO 3166 alpha-3 code (e.g. SSD for South Sudan)."),
            column,
        )
    return code


def _persons(name: str, line: int, column: str, text: str) -> float:
    """A count of people; NaN for empty, ``-`` or another missing marker."""
    if text in MISSING or text == "-":
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise _refuse(
            name,
            line,
            _("{column} {text} is not a number").format(column=column, text=repr(text)),
            _("Write a number of people, or leave the cell empty when nothing is reported."),
            column,
        ) from None
    if not math.isfinite(value) or value < 0:
        raise _refuse(
            name,
            line,
            _("{column} {text} is not a count of people").format(column=column, text=repr(text)),
            _("Write a number of 0 or more."),
            column,
        )
    return value


def _rows(
    name: str,
    rows: list[tuple[int, list[str]]],
    columns: dict[str, int],
    width: int,
) -> list[tuple[int, dict[str, str]]]:
    return [
        (line, {key: _text(name, line, cells, idx, width) for key, idx in columns.items()})
        for line, cells in rows
    ]


def read_unhcr(source: DisplacementSource, name: str | None = None) -> DisplacementRead:
    """Read UNHCR's population statistics export: per country of origin and year the
    refugees under UNHCR's mandate, asylum-seekers, other people in need of
    international protection (``oip``) and IDPs of concern to UNHCR, each summed over
    the countries of asylum (persons; a figure reported nowhere stays NaN).

    One row per year, origin and asylum country; ``-`` or empty means nothing reported.
    """
    name, rows = read_table(source, name)
    what = N_("the population statistics CSV from unhcr.org/refugee-statistics/download")
    head_line, cols, body = _columns(name, rows, UNHCR_COLUMNS, UNHCR_OPTIONAL, what)
    header = next(cells for line, cells in rows if line == head_line)
    out: list[dict[str, object]] = []
    seen: dict[tuple[int, str, str], int] = {}
    skipped: dict[str, int] = {}
    for line, rec in _rows(name, body, cols, len(header)):
        year = _year(name, line, rec["year"])
        origin = _country(name, line, "Country of origin (ISO)", rec["origin"])
        _country(name, line, "Country of asylum (ISO)", rec["asylum"])  # checked, not used
        key = (year, rec["origin"].upper(), rec["asylum"].upper())
        if key in seen:
            raise _refuse(
                name,
                line,
                _("a second row for {origin} -> {asylum} in {year} (first on line {first})").format(
                    origin=key[1], asylum=key[2], year=year, first=seen[key]
                ),
                _("Keep one row per year, country of origin and country of asylum."),
            )
        seen[key] = line
        figures = {
            k: _persons(name, line, header[cols[k]], rec[k]) if k in rec else math.nan
            for k in ("refugees", "asylum_seekers", "oip", "idps")
        }
        if origin is None:
            code = rec["origin"].upper()
            skipped[code] = skipped.get(code, 0) + 1
            continue
        out.append({"iso3": origin, "year": year, **figures})
    if not out:
        raise _refuse(
            name,
            None,
            _("no country rows"),
            _("Use {what} with its data rows.").format(what=_(what)),
        )
    frame = pd.DataFrame(out).groupby(["iso3", "year"], as_index=False).sum(min_count=1)
    return DisplacementRead(name=name, frame=frame, skipped=skipped)


def read_idmc(source: DisplacementSource, name: str | None = None) -> DisplacementRead:
    """Read IDMC's GIDD export: per country and year the conflict IDPs at year end
    (``conflict_stock``), conflict and disaster internal displacements over the year
    (``conflict_new``, ``disaster_new``: movements) and disaster IDPs at year end
    (``disaster_stock``), in persons; NaN where IDMC reports nothing or the export
    lacks the column. The ``(Raw)`` (unrounded) figures are preferred.
    """
    name, rows = read_table(source, name)
    what = N_("the GIDD export from internal-displacement.org (sheet 1_Displacement_data)")
    head_line, cols, body = _columns(name, rows, IDMC_COLUMNS, IDMC_OPTIONAL, what)
    header = next(cells for line, cells in rows if line == head_line)
    out: list[dict[str, object]] = []
    seen: dict[tuple[str, int], int] = {}
    skipped: dict[str, int] = {}
    for line, rec in _rows(name, body, cols, len(header)):
        year = _year(name, line, rec["year"])
        code = _country(name, line, "ISO3", rec["iso3"])
        key = (rec["iso3"].upper(), year)
        if key in seen:
            raise _refuse(
                name,
                line,
                _("a second row for {country} in {year} (first on line {first})").format(
                    country=key[0], year=year, first=seen[key]
                ),
                _("Keep one row per country and year."),
            )
        seen[key] = line
        figures = {
            k: _persons(name, line, header[cols[k]], rec[k]) if k in rec else math.nan
            for k in ("conflict_stock", "conflict_new", "disaster_new", "disaster_stock")
        }
        if code is None:
            skipped[key[0]] = skipped.get(key[0], 0) + 1
            continue
        out.append({"iso3": code, "year": year, **figures})
    if not out:
        raise _refuse(
            name,
            None,
            _("no country rows"),
            _("Use {what} with its data rows.").format(what=_(what)),
        )
    return DisplacementRead(name=name, frame=pd.DataFrame(out), skipped=skipped)
