"""``bakuhub risk rank`` and ``bakuhub risk explain``: readable output, sentences on error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bakuhub.cli.common import run_user_errors
from bakuhub.cli.risk import app

runner = CliRunner()


def test_rank_prints_a_table_with_intervals() -> None:
    result = runner.invoke(app, ["rank", "--top", "3", "--draws", "200"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "187 ranked, 200 Monte Carlo draws" in lines[0]
    assert "median [90%]" in lines[1] and "complete" in lines[1]
    assert lines[3].split()[:2] == ["1", "1"] and "SOM" in lines[3]
    assert len(lines) == 6 + sum(line.startswith("note: ") for line in lines[6:])
    assert any("Displacement pressure pillar (displacement): no data given" in x for x in lines)


def test_rank_json_custom_weights_and_own_indicator(tmp_path: Path) -> None:
    own = tmp_path / "displaced.csv"
    own.write_text("iso3,year,indicator,value\nTCD,2024,displaced_persons,2000000\n")
    args = ["rank", "--json", "--weights", "conflict=2", "--indicators", str(own), "--draws", "50"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = {r["iso3"]: r for r in json.loads(result.output)}
    assert rows["TCD"]["completeness"] == 1.0 and rows["TCD"]["pillars"]["displacement"] > 0
    assert rows["SOM"]["completeness"] == 0.8  # displacement weighs 1 of 5 with conflict=2


def test_ndgain_preset_from_upstream_file(shared_data: Path) -> None:
    path = shared_data / "nd-gain" / "ndgain_202508.csv"
    result = runner.invoke(app, ["rank", "--preset", "ndgain", "--ndgain", str(path), "--json"])
    rows = json.loads(result.output)
    assert rows[0]["rank"] == 1 and rows[-1]["rank"] is None
    assert next(r for r in rows if r["iso3"] == "TCD")["rank"] == 187


def test_explain_shows_contributions_and_raw_values() -> None:
    result = runner.invoke(app, ["explain", "tcd", "--draws", "100"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Chad (TCD) - hub index")
    assert "completeness 75%" in out and "geometric mean (offset 1)" in out
    assert "raw 0.639627 score 0-1" in out and "UCDP/PRIO Armed Conflict Dataset v25.1" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["rank", "--weights", "conflcit=2"], 2, "Unknown weight code(s) conflcit"),
        (["rank", "--weights", "conflict"], 2, "write code=number pairs"),
        (["explain", "XXX"], 3, "No country XXX"),
        (["rank", "--preset", "inform"], 2, "needs an INFORM Risk sheet"),
        (["rank", "--ucdp", "/no/such/file.csv"], 2, "no such file"),
    ],
)
def test_user_errors_are_sentences_with_exit_codes(
    args: list[str],
    code: int,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "argv", ["risk", *args])
    assert run_user_errors(app) == code
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_cli_module_imports_no_heavy_libraries() -> None:
    code = "import sys, bakuhub.cli.risk; print(sorted({'pandas', 'numpy'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_upstream_ucdp_file_refused_then_read_leniently(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = shared_data / "ucdp" / "UcdpPrioConflict_v25_1.csv"
    monkeypatch.setattr(sys, "argv", ["risk", "rank", "--ucdp", str(path)])
    assert run_user_errors(app) == 2
    err = capsys.readouterr().err
    assert "UcdpPrioConflict_v25_1.csv, line 42: year '' is not a four-digit year" in err
    assert "--skip-malformed" in err
    args = ["rank", "--ucdp", str(path), "--skip-malformed", "--json", "--draws", "50"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    shipped = runner.invoke(app, ["rank", "--json", "--draws", "50"])
    assert json.loads(result.output) == json.loads(shipped.output)  # same as the shipped table


def test_rank_save_stores_a_reproducible_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy.orm import Session

    from bakuhub.config import get_settings
    from bakuhub.db import make_engine
    from bakuhub.migrate import upgrade
    from bakuhub.risk import service

    monkeypatch.setenv("BAKUHUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BAKUHUB_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        monkeypatch.setattr(sys, "argv", ["risk", "rank", "--save", "--top", "1", "--draws", "50"])
        assert run_user_errors(app) == 2  # not migrated yet: a sentence, no traceback
        assert "bakuhub db upgrade" in capsys.readouterr().err
        engine = make_engine(get_settings().effective_database_url)
        upgrade(engine)
        assert run_user_errors(app) == 0
        assert "stored as risk run 1" in capsys.readouterr().err
        with Session(engine) as session:
            run = service.get_run(session=session, run_id=1)
            assert run.settings["model"]["montecarlo"]["draws"] == 50
            assert service.reproduce(session=session, run_id=1)
        engine.dispose()
    finally:
        get_settings.cache_clear()
