"""Comparing solved corridor studies: one comparison for the CLI and the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner
from web_helpers import summary, write_study

from bakuhub.cli import app
from bakuhub.corridor.compare import compare, load_summary
from bakuhub.errors import InvalidInput


def test_key_figures_and_their_difference() -> None:
    rows = {
        r["label"]: r for r in compare([summary("a", 2e10, 10, 0), summary("b", 2.5e10, 14, 2000)])
    }
    cost = rows["Total system cost"]
    assert cost["unit"] == "bn EUR/a"
    assert cost["values"] == [20.0, 25.0] and cost["difference"] == 5.0
    assert rows["Caspian cable"]["difference"] == 2000.0
    assert rows["Solar built"]["values"] == [750.0, 750.0]  # AZ/solar + KZ/solar
    partial = compare([{"scenario": "old"}, summary("b", 2e10, 1, 0)])
    assert partial[0]["values"] == [None, 20.0] and partial[0]["difference"] is None


def test_the_cli_compares_study_folders(tmp_path: Path) -> None:
    a = write_study(tmp_path, "a", summary("cheap-cable", 2e10, 10, 0))
    b = write_study(tmp_path, "b", summary("dear-cable", 2.5e10, 14, 2000))
    out = tmp_path / "compare.csv"
    result = CliRunner().invoke(app, ["corridor", "compare", str(a), str(b), "--csv", str(out)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("Total system cost"))
    assert line.split()[-2:] == ["20.00", "25.00"]
    assert '"Caspian cable, MW",0,2000' in out.read_text(encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"holds no summary\.json"):
        load_summary(tmp_path / "missing")
