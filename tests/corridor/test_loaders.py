"""Loaders read the upstream formats and refuse bad files naming line and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bakuhub.corridor.data.loaders import (
    read_agora_availability,
    read_ninja_csv,
    read_timeseries_csv,
)
from bakuhub.errors import InvalidInput

HOURS = pd.date_range("2023-01-01", periods=8760, freq="h", tz="UTC")


def _agora(path: Path, values: list[str]) -> Path:
    header = "country,node,technology," + ",".join(str(h) for h in range(8760))
    path.write_text(header + "\nKZ,KZ_NR,WTON," + ",".join(values) + "\n")
    return path


def test_agora_is_shifted_to_utc_and_clipped(tmp_path: Path) -> None:
    values = ["0.5"] * 8760
    values[6] = "1.1"  # hour 6 of the Agora time base (UTC+6 for KZ) is 00:00 UTC
    frame = read_agora_availability(_agora(tmp_path / "a.csv", values))
    assert list(frame.columns) == ["KZ_NR|WTON"]
    assert frame.iloc[0, 0] == 1.0
    assert frame.index[0] == pd.Timestamp("2023-01-01", tz="UTC")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("x", "line 2, column '100'"),
        ("1.5", "outside [0, 1]"),
        ("-0.1", "outside [0, 1]"),
        ("nan", "missing"),
    ],
)
def test_agora_refuses_bad_values(tmp_path: Path, bad: str, message: str) -> None:
    values = ["0.5"] * 8760
    values[100] = bad
    with pytest.raises(InvalidInput, match="line 2, column '100'") as info:
        read_agora_availability(_agora(tmp_path / "a.csv", values))
    assert message in info.value.message
    assert info.value.message.startswith("a.csv, ")


def test_agora_reads_quoted_cells_as_csv(tmp_path: Path) -> None:
    """A spreadsheet export quotes cells; quoting is CSV, not part of the value."""
    path = tmp_path / "a.csv"
    header = '"country","node","technology",' + ",".join(f'"{h}"' for h in range(8760))
    path.write_text(header + '\n"KZ","KZ_NR","WTON",' + ",".join(['"0.5"'] * 8760) + "\n")
    frame = read_agora_availability(path)
    assert list(frame.columns) == ["KZ_NR|WTON"]
    assert frame.iloc[:, 0].eq(0.5).all()


def test_agora_refuses_short_rows(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    header = "country,node,technology," + ",".join(str(h) for h in range(8760))
    path.write_text(header + "\nKZ,KZ_NR,WTON," + ",".join(["0.5"] * 8000) + "\n")
    with pytest.raises(InvalidInput, match="line 2: 8000 hour values instead of 8,760"):
        read_agora_availability(path)


def _ninja(path: Path, hours: pd.DatetimeIndex, values: list[float]) -> Path:
    meta = (
        '# {"params": {"lat": 40.6, "lon": 49.7, "capacity": 2.0}, '
        '"units": {"time": "UTC", "electricity": "kW"}}'
    )
    rows = [f"{t:%Y-%m-%d %H:%M},{v}" for t, v in zip(hours, values, strict=True)]
    path.write_text(
        "# Renewables.ninja PV output\n" + meta + "\ntime,electricity\n" + "\n".join(rows) + "\n"
    )
    return path


def test_ninja_export_is_divided_by_capacity(tmp_path: Path) -> None:
    frame = read_ninja_csv(_ninja(tmp_path / "n.csv", HOURS, [1.0] * 8760), name="baku_pv")
    assert frame["baku_pv"].mean() == pytest.approx(0.5)
    assert len(frame) == 8760


def test_ninja_refuses_missing_hour(tmp_path: Path) -> None:
    hours = HOURS.delete(50)
    with pytest.raises(InvalidInput, match="hour 2023-01-03 02:00:00\\+00:00 is missing"):
        read_ninja_csv(_ninja(tmp_path / "n.csv", hours, [1.0] * 8759))


def _plain(path: Path, stamps: list[str], column: str, values: list[str]) -> Path:
    rows = [f"{s},{v}" for s, v in zip(stamps, values, strict=True)]
    path.write_text(f"timestamp,{column}\n" + "\n".join(rows) + "\n")
    return path


def test_plain_csv_with_offsets_is_read_in_utc(tmp_path: Path) -> None:
    local = HOURS.tz_convert("Asia/Baku")
    path = _plain(
        tmp_path / "p.csv", [t.isoformat() for t in local], "AZ_SUM|solar", ["0.25"] * 8760
    )
    frame = read_timeseries_csv(path)
    assert frame["AZ_SUM|solar"].mean() == pytest.approx(0.25)


def test_plain_csv_refuses_naive_timestamps(tmp_path: Path) -> None:
    stamps = [f"{t:%Y-%m-%d %H:%M}" for t in HOURS]
    path = _plain(tmp_path / "p.csv", stamps, "x", ["0.2"] * 8760)
    with pytest.raises(InvalidInput, match=r"line 2, column 'timestamp'.*no timezone"):
        read_timeseries_csv(path)
    assert len(read_timeseries_csv(path, timezone="UTC")) == 8760


def test_plain_csv_refuses_duplicate_hour_and_negative_demand(tmp_path: Path) -> None:
    stamps = [t.isoformat() for t in HOURS]
    dup = stamps.copy()
    dup[10] = dup[9]
    with pytest.raises(InvalidInput, match=r"line 12: hour .* appears twice"):
        read_timeseries_csv(_plain(tmp_path / "d.csv", dup, "x", ["0.2"] * 8760))
    values = ["100"] * 8760
    values[7] = "-3"
    with pytest.raises(InvalidInput, match=r"line 9, column 'load'.*negative"):
        read_timeseries_csv(_plain(tmp_path / "n.csv", stamps, "load", values), availability=False)


def test_the_weather_year_is_read_again_when_an_upstream_file_changes(
    tmp_path: Path, shared_data: Path
) -> None:
    """A study reads its weather year once a process; a newer upstream file (another size
    or modification time) is read again, and a caller's edits never reach the next one."""
    import os
    import shutil

    from bakuhub.corridor.data.weather import AGORA_DIR, hourly_series

    folder = tmp_path / AGORA_DIR / "global_input"
    folder.mkdir(parents=True)
    for name in ("availability.csv", "demand_profile.csv"):
        shutil.copy(shared_data / AGORA_DIR / "global_input" / name, folder / name)
    first, _info = hourly_series(tmp_path)
    first.iloc[:, :] = -1.0  # a caller's edit of its copy
    again, _info = hourly_series(tmp_path)
    assert (again.to_numpy() >= 0).all()

    demand = folder / "demand_profile.csv"
    text = demand.read_text(encoding="utf-8-sig").splitlines()
    header, rows = text[0], text[1:]
    cells = rows[0].split(",")
    cells[3:] = [f"{2 * float(v):.9g}" for v in cells[3:]]  # the shape of the first row doubled
    demand.write_text("\n".join([header, ",".join(cells), *rows[1:]]) + "\n", encoding="utf-8")
    os.utime(demand, ns=(1, 1))
    newer, _info = hourly_series(tmp_path)
    column = next(c for c in newer.columns if c.endswith("|load"))
    assert newer[column].sum() != pytest.approx(again[column].sum(), rel=1e-6)
