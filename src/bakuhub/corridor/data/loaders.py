"""Read hourly profiles from the formats a user will have, and refuse bad files clearly.

Three formats: the Agora / PyPSA-SPICE availability table (rows country, node, technology;
8,760 hour columns in a fixed local time base), a renewables.ninja CSV export (UTC, kW for the
stated capacity) and a plain CSV with a timezone-aware timestamp column. Every reader
returns a frame indexed by 8,760 hour-beginning UTC timestamps, one column per series, and
raises :class:`bakuhub.errors.InvalidInput` naming the file, line and column at fault.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

from bakuhub.corridor.data.assumptions import WEATHER_YEAR
from bakuhub.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

HOURS = 8760
OVERSHOOT_LIMIT = 1.2
"""Availability above 1 and up to this is clipped to 1 (the Agora file reaches 1.156 for
KZ south wind); above it the file is refused."""

AGORA_UTC_OFFSETS = {"KZ": 6, "UZ": 6, "KG": 7}
"""Time base of the Agora hour columns, hours east of UTC, per country.

The Agora data do not state their time base. These offsets are inferred from the data: with
hour-beginning labels they put the centroid of every Agora PV series within half an hour of
solar noon at the node (``12 h - lon / 15``); a test keeps that true. They are one hour east
of today's civil time in Kazakhstan and Uzbekistan (UTC+5) and Kyrgyzstan (UTC+6)."""


def hourly_index_utc(year: int = WEATHER_YEAR) -> pd.DatetimeIndex:
    """8,760 hour-beginning UTC timestamps of a non-leap calendar year."""
    import pandas as pd

    return pd.date_range(f"{year}-01-01", periods=8760, freq="h", tz="UTC")


def _fail(path: Path, where: str, what: str, todo: str) -> InvalidInput:
    return InvalidInput(f"{path.name}, {where}: {what}; {todo}.")


def _read_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV file (standard ``csv`` module: quoted cells keep their commas)."""
    import csv

    return list(csv.reader(_read_text(path)))


def _read_text(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: file not found; check the path.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not a UTF-8 text file; export it as CSV (UTF-8).") from None
    except OSError as exc:
        raise InvalidInput(
            f"{path}: cannot be read ({exc.strerror}); give a readable file."
        ) from None


def _number(path: Path, line: int, column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _fail(
            path,
            f"line {line}, column {column!r}",
            f"{text!r} is not a number",
            "fix or remove the value",
        ) from None
    if math.isnan(value):
        raise _fail(
            path,
            f"line {line}, column {column!r}",
            "value is missing (NaN)",
            "fill the hour; profiles need all 8,760 hours",
        )
    return value


def check_availability(path: Path, line: int, column: str, value: float) -> float:
    """Return an availability clipped to [0, 1], or refuse one outside [0, 1.2].

    ``a = min(1, a)`` for ``1 < a <= 1.2`` (upstream overshoot, e.g. Agora KZ south wind).
    """
    if value < 0.0 or value > OVERSHOOT_LIMIT:
        raise _fail(
            path,
            f"line {line}, column {column!r}",
            f"availability {value:g} is outside [0, 1]",
            "give availability per unit of capacity (divide output by capacity)",
        )
    return min(value, 1.0)


def read_agora_availability(
    path: Path, utc_offsets: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """Read the Agora/PyPSA-SPICE ``availability.csv`` into UTC hourly columns.

    Parameters
    ----------
    path
        CSV with columns ``country, node, technology, 0 .. 8759`` (local time base).
    utc_offsets
        Hours east of UTC per country code; default :data:`AGORA_UTC_OFFSETS`.

    Returns
    -------
    pandas.DataFrame
        8,760 UTC rows, one column per ``"node|technology"`` (upstream codes), clipped to
        [0, 1]. Rows of countries without an offset (the constant ``WORLD`` rows) and rows
        that are zero all year are dropped. Shift: ``a_utc[t] = a_local[(t + o) mod 8760]``.
    """
    import numpy as np
    import pandas as pd

    offsets = dict(AGORA_UTC_OFFSETS if utc_offsets is None else utc_offsets)
    rows = _read_rows(path)
    header = rows[0] if rows else []
    if header[:3] != ["country", "node", "technology"] or len(header) != HOURS + 3:
        raise _fail(
            path,
            "line 1",
            "the header is not 'country,node,technology,0..8759'",
            "give the Agora availability table with all 8,760 hour columns",
        )
    columns: dict[str, np.ndarray] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if len(cells) != HOURS + 3:
            raise _fail(
                path,
                f"line {number}",
                f"{len(cells) - 3} hour values instead of 8,760",
                "give one value per hour of the year",
            )
        country, node, tech = cells[:3]
        if country not in offsets:
            continue
        values = np.array(
            [
                check_availability(
                    path, number, header[3 + h], _number(path, number, header[3 + h], cell)
                )
                for h, cell in enumerate(cells[3:])
            ]
        )
        if values.max() > 0:
            columns[f"{node}|{tech}"] = np.roll(values, -offsets[country])
    return pd.DataFrame(columns, index=hourly_index_utc())


def read_agora_demand_shape(path: Path) -> pd.Series:
    """Agora ``demand_profile.csv``: one normalised shape (sum 1), local time, as p.u. of mean.

    Returns the first row, ``s_h = 8760 * w_h`` (mean 1), in local hours 0..8759.
    """
    import numpy as np
    import pandas as pd

    rows = _read_rows(path)
    header = rows[0] if rows else []
    if len(rows) < 2 or len(header) != HOURS + 3:
        raise _fail(
            path,
            "line 1",
            "expected 'country,node,profile_type,0..8759' and one row",
            "give the Agora demand_profile.csv",
        )
    cells = rows[1]
    values = np.array([_number(path, 2, header[3 + h], c) for h, c in enumerate(cells[3:])])
    return pd.Series(values * HOURS, name="load")


def _regular_utc(path: Path, stamps: pd.Series, first_line: int) -> pd.DatetimeIndex:
    """Parse timestamps, demand a timezone, and check one value per hour of one year."""
    import pandas as pd

    parsed = []
    for i, text in enumerate(stamps.astype(str)):
        try:
            ts = pd.Timestamp(text)
        except ValueError:
            raise _fail(
                path,
                f"line {first_line + i}, column {stamps.name!r}",
                f"{text!r} is not a timestamp",
                "use ISO 8601, e.g. 2023-01-01T00:00Z",
            ) from None
        if ts.tzinfo is None:
            raise _fail(
                path,
                f"line {first_line + i}, column {stamps.name!r}",
                f"timestamp {text!r} has no timezone",
                "add an offset such as +00:00 or Z (or pass --timezone)",
            )
        parsed.append(ts.tz_convert("UTC"))
    index = pd.DatetimeIndex(parsed)
    return check_hours(path, index, first_line)


def check_hours(path: Path, index: pd.DatetimeIndex, first_line: int) -> pd.DatetimeIndex:
    """Refuse duplicated, missing or extra hours; a leap year must still give 8,784 rows."""
    import pandas as pd

    dup = index.duplicated()
    if dup.any():
        i = int(dup.argmax())
        raise _fail(
            path,
            f"line {first_line + i}",
            f"hour {index[i]} appears twice",
            "keep one row per hour",
        )
    expected = pd.date_range(index.min().floor("D"), periods=len(index), freq="h", tz="UTC")
    year_hours = 8784 if index.min().is_leap_year else HOURS
    if len(index) != year_hours or not (index == expected).all():
        full = pd.date_range(f"{index.min().year}-01-01", periods=year_hours, freq="h", tz="UTC")
        missing = full.difference(index)
        where = f"hour {missing[0]} is missing" if len(missing) else "timestamps are not hourly"
        raise _fail(
            path,
            f"{len(index)} rows",
            where,
            f"give all {year_hours} hours of one calendar year in UTC order",
        )
    return index


def _to_reference_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop 29 February and map the hours onto the dataset's 2023 UTC calendar by position."""
    import pandas as pd

    stamps = pd.DatetimeIndex(frame.index)
    mask = (stamps.month == 2) & (stamps.day == 29)
    out: pd.DataFrame = frame.loc[~mask].copy()
    out.index = hourly_index_utc()
    return out


def _table(path: Path, lines: list[str], kind: str) -> tuple[pd.DataFrame, int]:
    """Parse CSV rows (after comment lines) into strings; return frame and its first line."""
    import io

    import pandas as pd

    skipped = 0
    while skipped < len(lines) and lines[skipped].startswith("#"):
        skipped += 1
    body = "\n".join(lines[skipped:])
    try:
        frame = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise _fail(
            path,
            f"line {skipped + 1}",
            f"not a readable CSV table ({exc})",
            f"export the {kind} data as a comma-separated file",
        ) from None
    return frame, skipped + 2


def _values(
    path: Path, frame: pd.DataFrame, first_line: int, column: str, availability: bool
) -> list[float]:
    out = []
    for i, text in enumerate(frame[column]):
        line = first_line + i
        value = _number(path, line, column, text.strip()) if text.strip() else math.nan
        if math.isnan(value):
            raise _fail(
                path,
                f"line {line}, column {column!r}",
                "value is missing",
                "fill the hour; profiles need every hour of the year",
            )
        if availability:
            value = check_availability(path, line, column, value)
        elif value < 0:
            raise _fail(
                path,
                f"line {line}, column {column!r}",
                f"demand {value:g} is negative",
                "give demand as a non-negative power or energy per hour",
            )
        out.append(value)
    return out


def read_ninja_csv(path: Path, name: str = "ninja") -> pd.DataFrame:
    """Read a renewables.ninja PV or wind CSV export as availability (p.u.), UTC.

    The export has ``#`` comment lines, one holding JSON metadata with
    ``params.capacity`` (kW) and ``units.time`` (must be UTC), then ``time[,local_time],
    electricity[,...]``. Availability ``a_t = electricity_t / capacity``.
    """
    import pandas as pd

    lines = _read_text(path)
    capacity = 1.0
    for line in lines:
        if line.startswith("#") and "{" in line:
            try:
                meta = json.loads(line[line.index("{") :])
            except json.JSONDecodeError:
                continue
            capacity = float(meta.get("params", {}).get("capacity", 1.0))
            if meta.get("units", {}).get("time", "UTC") != "UTC":
                raise _fail(
                    path,
                    "metadata line",
                    "the time column is not in UTC",
                    "download the series with local time switched off",
                )
    frame, first = _table(path, lines, "renewables.ninja")
    for column in ("time", "electricity"):
        if column not in frame.columns:
            raise _fail(
                path,
                f"line {first - 1}",
                f"column {column!r} is missing",
                "give the renewables.ninja CSV export unchanged",
            )
    stamps = frame["time"].str.strip()
    stamps = stamps.where(stamps.str.contains(r"[Z+]|-\d\d:\d\d$", regex=True), stamps + "Z")
    index = _regular_utc(path, stamps.rename("time"), first)
    values = [v / capacity for v in _values(path, frame, first, "electricity", False)]
    checked = [check_availability(path, first + i, "electricity", v) for i, v in enumerate(values)]
    return _to_reference_year(pd.DataFrame({name: checked}, index=index))


def read_timeseries_csv(
    path: Path, *, availability: bool = True, timezone: str | None = None
) -> pd.DataFrame:
    """Read a plain CSV: first column a timestamp, then one numeric column per series.

    Timestamps must carry a UTC offset (``2023-01-01T00:00+05:00``) unless ``timezone``
    (an IANA name such as ``Asia/Baku``) says how to read naive ones. Availability columns
    must lie in [0, 1] (up to 1.2 is clipped); demand columns must be non-negative.
    """
    import pandas as pd

    lines = _read_text(path)
    frame, first = _table(path, lines, "time series")
    if frame.shape[1] < 2:
        raise _fail(
            path,
            "line 1",
            "need a timestamp column and at least one value column",
            "add the series as further columns",
        )
    stamp_col = str(frame.columns[0])
    stamps = frame[stamp_col].str.strip()
    if timezone is not None:
        try:
            stamps = pd.Series(
                [
                    pd.Timestamp(s).tz_localize(timezone).isoformat()
                    if pd.Timestamp(s).tzinfo is None
                    else s
                    for s in stamps
                ],
                name=stamp_col,
            )
        except (ValueError, KeyError) as exc:
            raise _fail(
                path,
                f"column {stamp_col!r}",
                f"cannot apply timezone ({exc})",
                "give an IANA timezone name such as Asia/Baku",
            ) from None
    index = _regular_utc(path, stamps.rename(stamp_col), first)
    data = {str(c): _values(path, frame, first, str(c), availability) for c in frame.columns[1:]}
    return _to_reference_year(pd.DataFrame(data, index=index))
