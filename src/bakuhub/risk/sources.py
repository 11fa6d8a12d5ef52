"""Loaders for the upstream formats. Each refuses a bad file with
:class:`bakuhub.errors.InvalidInput` naming the file, the line, the reason and what
to do; nothing is half-read.

- ND-GAIN country index CSV (``ISO3, Name, index, rank, vulnerability, readiness``).
- UCDP/PRIO Armed Conflict Dataset CSV, semicolon-separated.
- INFORM Risk workbook sheet exported as CSV (``ISO3`` and the three dimensions).
- a plain indicator CSV: ``iso3, year, indicator, value``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pandas as pd

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

Source = str | Path | IO[str]
ISO3 = re.compile(r"^[A-Z]{3}$")
MISSING = {"", "NA", "N/A", "NaN", "nan", "x", "X", ".."}


@dataclass(frozen=True)
class Skipped:
    """A row left out of a lenient read, with its line number and the reason."""

    line: int
    reason: str
    text: str


@dataclass(frozen=True)
class UcdpRead:
    """Conflict-years of a UCDP file and the malformed rows that were skipped."""

    frame: pd.DataFrame
    skipped: list[Skipped] = field(default_factory=list)


def _refuse(
    name: str, line: int | None, reason: str, todo: str, column: str | None = None
) -> InvalidInput:
    where = _("{file}, line {line}").format(file=name, line=line) if line is not None else name
    detail: dict[str, object] = {"file": name, "reason": reason}
    if line is not None:
        detail["line"] = line
    if column is not None:
        detail["column"] = column
    return InvalidInput(
        _("{where}: {reason}. {todo}").format(where=where, reason=reason, todo=todo),
        details=[detail],
    )


def _open(source: Source) -> tuple[str, IO[str]]:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise InvalidInput(f"{path}: no such file. Check the path and try again.")
        return path.name, io.StringIO(path.read_text(encoding="utf-8-sig"))
    text = source.read()
    return getattr(source, "name", "upload"), io.StringIO(text.lstrip("\ufeff"))


def _rows(
    source: Source, delimiter: str, required: list[str]
) -> tuple[str, list[str], Iterator[tuple[int, dict[str, str]]]]:
    name, stream = _open(source)
    reader = csv.reader(stream, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise _refuse(name, None, "the file is empty", "Supply a file with a header row.")
    header = [h.strip() for h in header]
    lower = {h.lower(): h for h in header}
    absent = [c for c in required if c.lower() not in lower]
    if absent:
        raise _refuse(
            name,
            1,
            f"missing column(s) {', '.join(absent)} (found {', '.join(header) or 'none'})",
            "Use the upstream header row unchanged.",
        )

    def gen() -> Iterator[tuple[int, dict[str, str]]]:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield line, {"__error__": f"{len(row)} fields where the header has {len(header)}"}
                continue
            rec = {h.lower(): cell.strip() for h, cell in zip(header, row, strict=True)}
            yield line, rec

    return name, header, gen()


def _number(name: str, line: int, column: str, text: str, *, allow_missing: bool) -> float:
    if text in MISSING:
        if allow_missing:
            return math.nan
        raise _refuse(name, line, f"{column} is empty", "Fill in a number.", column)
    try:
        value = float(text)
    except ValueError:
        raise _refuse(
            name,
            line,
            f"{column} {text!r} is not a number",
            "Write a number, or NA when missing.",
            column,
        ) from None
    if not math.isfinite(value):
        raise _refuse(
            name, line, f"{column} {text!r} is not finite", "Write a finite number.", column
        )
    return value


def _iso3(name: str, line: int, text: str) -> str:
    code = text.strip().upper()
    if not ISO3.match(code):
        raise _refuse(
            name,
            line,
            f"country code {text!r} is not an ISO 3166 alpha-3 code",
            "Use codes like TCD or IRQ.",
            "iso3",
        )
    return code


def read_ndgain_csv(source: Source) -> pd.DataFrame:
    """Read an ND-GAIN country index file (one row per country, latest year).

    Returns columns ``iso3, name, vulnerability, readiness, index, rank``; ``NA``
    becomes NaN. Vulnerability and readiness must lie in [0, 1].
    """
    name, _delimiter, rows = _rows(
        source, ",", ["ISO3", "Name", "vulnerability", "readiness", "index"]
    )
    out: list[dict[str, object]] = []
    seen: set[str] = set()
    for line, rec in rows:
        if "__error__" in rec:
            raise _refuse(name, line, rec["__error__"], "Repair the row (a stray comma or quote?).")
        iso3 = _iso3(name, line, rec["iso3"])
        if iso3 in seen:
            raise _refuse(name, line, f"{iso3} appears twice", "Keep one row per country.")
        seen.add(iso3)
        row: dict[str, object] = {"iso3": iso3, "name": rec["name"]}
        for col in ("vulnerability", "readiness"):
            v = _number(name, line, col, rec[col], allow_missing=True)
            if not math.isnan(v) and not 0.0 <= v <= 1.0:
                raise _refuse(
                    name,
                    line,
                    f"{col} {v} is outside 0-1",
                    "ND-GAIN scores lie between 0 and 1.",
                    col,
                )
            row[col] = v
        row["index"] = _number(name, line, "index", rec["index"], allow_missing=True)
        row["rank"] = _number(name, line, "rank", rec.get("rank", ""), allow_missing=True)
        out.append(row)
    if not out:
        raise _refuse(name, None, "no country rows", "Supply the ND-GAIN country index file.")
    return pd.DataFrame(out)


def _gw_list(text: str) -> list[int] | None:
    parts = [p.strip() for p in text.split(",")]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


def read_ucdp_csv(source: Source, *, skip_malformed: bool = False) -> UcdpRead:
    """Read the UCDP/PRIO Armed Conflict Dataset (semicolon-separated, one row per
    conflict-year).

    Each row needs a four-digit ``year``, ``intensity_level`` 1 or 2 and ``gwno_loc``
    as one or more comma-separated Gleditsch-Ward numbers. A row that breaks these
    is refused, or, with ``skip_malformed=True``, left out and listed in
    ``UcdpRead.skipped`` so the caller can report it.
    """
    name, _delimiter, rows = _rows(
        source, ";", ["conflict_id", "location", "year", "intensity_level", "gwno_loc"]
    )
    out: list[dict[str, object]] = []
    skipped: list[Skipped] = []
    for line, rec in rows:
        reason = rec.get("__error__")
        if reason is None:
            gw = _gw_list(rec["gwno_loc"])
            if not re.fullmatch(r"\d{4}", rec["year"]):
                reason = f"year {rec['year']!r} is not a four-digit year"
            elif rec["intensity_level"] not in {"1", "2"}:
                reason = f"intensity_level {rec['intensity_level']!r} is not 1 or 2"
            elif gw is None:
                reason = f"gwno_loc {rec['gwno_loc']!r} is not a list of Gleditsch-Ward numbers"
        if reason is not None:
            if not skip_malformed:
                raise _refuse(
                    name,
                    line,
                    reason,
                    "Repair the row from the UCDP release, or read with skip_malformed=True "
                    "(CLI: --skip-malformed) to leave it out and list it.",
                )
            skipped.append(Skipped(line=line, reason=reason, text=str(rec.get("conflict_id", ""))))
            continue
        out.append(
            {
                "conflict_id": rec["conflict_id"],
                "location": rec["location"],
                "year": int(rec["year"]),
                "intensity_level": int(rec["intensity_level"]),
                "gwno_loc": rec["gwno_loc"],
            }
        )
    if not out:
        raise _refuse(
            name, None, "no conflict-year rows", "Supply the UCDP/PRIO Armed Conflict Dataset CSV."
        )
    return UcdpRead(frame=pd.DataFrame(out), skipped=skipped)


INFORM_COLUMNS = {
    "inform_hazard_exposure": ("hazard & exposure", "hazard and exposure", "ha"),
    "inform_vulnerability": ("vulnerability", "vu"),
    "inform_lack_of_coping_capacity": ("lack of coping capacity", "cc"),
}


def read_inform_csv(source: Source, *, year: int) -> pd.DataFrame:
    """Read an INFORM Risk sheet exported as CSV into indicator rows.

    The header row is the first line with an ``ISO3`` cell; the dimension columns are
    found by their INFORM titles (``Hazard & Exposure``, ``Vulnerability``, ``Lack of
    Coping Capacity``) or codes (``HA``, ``VU``, ``CC``). Lines without a country code
    just below the header (INFORM's code row) are ignored. Values must lie in 0-10;
    ``x`` or empty means missing. Returns ``iso3, year, indicator, value``.
    """
    name, stream = _open(source)
    lines = list(csv.reader(stream))
    head = next(
        (i for i, r in enumerate(lines[:10]) if any(c.strip().upper() == "ISO3" for c in r)), None
    )
    if head is None:
        raise _refuse(
            name,
            None,
            "no header row with an ISO3 column in the first 10 lines",
            "Export the INFORM Risk sheet with its header.",
        )
    header = [c.strip().lower() for c in lines[head]]
    cols: dict[str, int] = {}
    for code, titles in INFORM_COLUMNS.items():
        idx = next((header.index(t) for t in titles if t in header), None)
        if idx is None:
            raise _refuse(
                name,
                head + 1,
                f"no column {titles[0]!r}",
                "Keep the three INFORM dimension columns.",
            )
        cols[code] = idx
    iso_col = header.index("iso3")
    out: list[dict[str, object]] = []
    for i, row in enumerate(lines[head + 1 :], start=head + 2):
        if not any(c.strip() for c in row):
            continue
        cell = row[iso_col].strip() if iso_col < len(row) else ""
        if not ISO3.match(cell.upper()) and not out:
            continue  # INFORM's second header line (indicator codes)
        iso3 = _iso3(name, i, cell)
        for code, idx in cols.items():
            text = row[idx].strip() if idx < len(row) else ""
            v = _number(name, i, lines[head][idx].strip(), text, allow_missing=True)
            if not math.isnan(v) and not 0.0 <= v <= 10.0:
                raise _refuse(
                    name,
                    i,
                    f"{lines[head][idx].strip()} {v} is outside 0-10",
                    "INFORM dimensions lie between 0 and 10.",
                )
            out.append({"iso3": iso3, "year": year, "indicator": code, "value": v})
    if not out:
        raise _refuse(
            name, None, "no country rows", "Export the INFORM Risk sheet with its country rows."
        )
    return pd.DataFrame(out).dropna(subset=["value"]).reset_index(drop=True)


def read_indicator_csv(source: Source) -> pd.DataFrame:
    """Read a plain indicator file: columns ``iso3, year, indicator, value``.

    One value per country, year and indicator; ``NA`` or empty means missing and the
    row is dropped. Returns the four columns with ``year`` as int and ``value`` as float.
    """
    name, _delimiter, rows = _rows(source, ",", ["iso3", "year", "indicator", "value"])
    out: list[dict[str, object]] = []
    seen: set[tuple[str, int, str]] = set()
    for line, rec in rows:
        if "__error__" in rec:
            raise _refuse(name, line, rec["__error__"], "Repair the row (a stray comma or quote?).")
        iso3 = _iso3(name, line, rec["iso3"])
        if not re.fullmatch(r"\d{4}", rec["year"]):
            raise _refuse(
                name,
                line,
                f"year {rec['year']!r} is not a four-digit year",
                "Write the year as e.g. 2024.",
                "year",
            )
        code = rec["indicator"]
        if not re.fullmatch(r"[a-z][a-z0-9_]*", code):
            raise _refuse(
                name,
                line,
                f"indicator {code!r} is not a lower-case code",
                "Use codes like displacement.",
                "indicator",
            )
        key = (iso3, int(rec["year"]), code)
        if key in seen:
            raise _refuse(
                name,
                line,
                f"a second value for {iso3} {key[1]} {code}",
                "Keep one value per country, year and indicator.",
            )
        seen.add(key)
        value = _number(name, line, "value", rec["value"], allow_missing=True)
        if not math.isnan(value):
            out.append({"iso3": iso3, "year": key[1], "indicator": code, "value": value})
    if not out:
        raise _refuse(name, None, "no values", "Supply at least one row iso3,year,indicator,value.")
    return pd.DataFrame(out)
