"""``bakuhub corridor data`` commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from bakuhub.cli.corridor import app
from bakuhub.errors import InvalidInput

RUNNER = CliRunner()
HOURS = pd.date_range("2023-01-01", periods=8760, freq="h", tz="UTC")


def test_show_lists_tables_and_modelled_series() -> None:
    result = RUNNER.invoke(app, ["data", "show", "--year", "2035"])
    assert result.exit_code == 0, result.output
    assert "3,090 EUR/MW/km" in result.output
    assert "profiles.csv" in result.output
    assert "modelled series: AZ_SUM|solar" in result.output


def test_show_refuses_unknown_year_as_a_user_error() -> None:
    result = RUNNER.invoke(app, ["data", "show", "--year", "2045"])
    assert isinstance(result.exception, InvalidInput)
    assert "year 2045 is not in the corridor dataset" in result.exception.message


def _bad_file(tmp_path: Path) -> Path:
    rows = [f"{t.isoformat()},0.5" for t in HOURS]
    rows[3] = f"{HOURS[3].isoformat()},abc"
    path = tmp_path / "bad.csv"
    path.write_text("timestamp,pv\n" + "\n".join(rows) + "\n")
    return path


def test_import_refuses_bad_file_naming_line_and_column(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["data", "import", "csv", str(_bad_file(tmp_path))])
    assert isinstance(result.exception, InvalidInput)
    assert result.exception.message == (
        "bad.csv, line 5, column 'pv': 'abc' is not a number; fix or remove the value."
    )


def test_main_cli_prints_one_sentence_without_traceback(tmp_path: Path) -> None:
    code = "from bakuhub.cli import main; main()"
    args = ["corridor", "data", "import", "csv", str(_bad_file(tmp_path))]
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert out.returncode == 2
    assert "line 5, column 'pv'" in out.stderr
    assert "Traceback" not in out.stderr


def test_import_writes_checked_utc_series(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("timestamp,pv\n" + "\n".join(f"{t.isoformat()},0.3" for t in HOURS) + "\n")
    out = tmp_path / "out.csv"
    result = RUNNER.invoke(app, ["data", "import", "csv", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "pv" in result.output and "mean 0.3000" in result.output
    written = pd.read_csv(out)
    assert len(written) == 8760
    assert written["timestamp_utc"].iloc[0].startswith("2023-01-01 00:00:00+00:00")


def test_solve_refuses_a_yaml_alias_bomb_in_one_sentence(tmp_path: Path) -> None:
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    pairs = zip("abcdefgh", "bcdefghi", strict=True)
    levels += [f"{x}: &{x} [{', '.join([f'*{p}'] * 9)}]" for p, x in pairs]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join([*levels, "name: bomb", "year: 2030", "description: *i"]))
    code = "from bakuhub.cli import main; main()"
    out = subprocess.run(
        [sys.executable, "-c", code, "corridor", "solve", str(bomb), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=120,  # a guard against the bomb expanding, not a timing test
    )
    assert out.returncode == 2, out.stderr
    assert "anchors and aliases (&name, *name, <<: *name) are not accepted" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "o").exists()


def test_solve_refuses_a_refinement_beyond_its_bound_before_solving(tmp_path: Path) -> None:
    out = RUNNER.invoke(
        app, ["solve", "reference-2030", "--refine", "61", "--out", str(tmp_path / "o")]
    )
    assert out.exit_code == 2
    said = " ".join(out.output.replace("│", " ").split())
    assert "--refine" in said and "less than or equal to 60" in said
    assert not (tmp_path / "o").exists()
