"""Studies the command line writes, as the web shows them.

- ``bakuhub corridor solve NAME`` with ``BAKUHUB_DATA_DIR`` set writes
  ``<data_dir>/studies/NAME``, registers it, and the study is then on /corridor and in
  ``GET /api/v1/corridor/studies`` (origin cli); ``--out`` still writes elsewhere,
  unlisted. A solve into a data directory whose database is not made yet says so in
  one sentence, and the web lists the study once the database is there.
- An older study folder whose scenario cannot be known (no scenario.yaml, a summary
  naming no shipped scenario) is listed as a study of an unknown scenario, not hidden.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bakuhub.cli import app
from bakuhub.config import Settings, get_settings
from bakuhub.corridor.scenario import load_scenario
from bakuhub.testing import study_summary, write_study
from bakuhub.web.app import create_app

API = "/api/v1/corridor/studies"
TINY = "segments:12"  # the coarsest resolution of the job tests (tests/jobs/conftest.py)
SOLVE = ["corridor", "solve", "--resolution", TINY, "--no-counterfactual"]
SOLVE += ["--no-real-year-check"]  # the full-year operation takes half a minute more
WEST = ["AZ_SUM", "GE_GAR", "GE_ANA", "RO_CON"]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data directory the command line is configured with (its database not made)."""
    data = tmp_path / "data"
    monkeypatch.setenv("BAKUHUB_DATA_DIR", str(data))
    monkeypatch.delenv("BAKUHUB_DATABASE_URL", raising=False)
    monkeypatch.setenv("BAKUHUB_AUTHOR", "operator-ana")
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


@pytest.fixture
def tiny_yaml(tmp_path: Path) -> Path:
    """reference-2030 on its four western nodes, as a YAML file (solves in a second)."""
    spec = load_scenario("reference-2030").model_dump(mode="json")
    spec.update(name="tiny-west", nodes=WEST, resolution=TINY, real_year_check=False)
    path = tmp_path / "tiny-west.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def _web() -> TestClient:
    """An anonymous visitor of the web app on the command line's data directory."""
    return TestClient(create_app(get_settings()))


def _bn(value_eur: float) -> str:
    """A cost as the list writes it: bn EUR/a, 3 decimals, no trailing zeros."""
    return f"{value_eur / 1e9:,.3f}".rstrip("0").rstrip(".")


def test_a_cli_solve_in_the_data_directory_is_on_the_page_and_in_the_api(
    data_dir: Path, tiny_yaml: Path, tmp_path: Path
) -> None:
    cli = CliRunner()
    assert cli.invoke(app, ["db", "upgrade"]).exit_code == 0
    solved = cli.invoke(app, [*SOLVE, "cable-cost-low-2030"])
    assert solved.exit_code == 0, solved.output
    folder = data_dir / "studies" / "cable-cost-low-2030"
    assert f"files to {folder} " in solved.output
    assert "registered as study 'cable-cost-low-2030'" in solved.output
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["resolution"] == TINY and summary["scenario"] == "cable-cost-low-2030"

    elsewhere = tmp_path / "mine" / "west"
    apart = cli.invoke(app, [*SOLVE, str(tiny_yaml), "--out", str(elsewhere)])
    assert apart.exit_code == 0, apart.output
    assert (elsewhere / "summary.json").is_file() and (elsewhere / "tables/cables.csv").is_file()
    assert "registered" not in apart.output
    assert sorted(p.name for p in (data_dir / "studies").iterdir()) == ["cable-cost-low-2030"]

    with _web() as web:
        listed = web.get(API)
        assert listed.status_code == 200, listed.text
        assert [s["name"] for s in listed.json()] == ["cable-cost-low-2030"]  # not --out's
        (study,) = listed.json()
        assert (study["origin"], study["author"], study["state"]) == (
            "cli",
            "operator-ana",
            "ready",
        )
        assert (study["shipped"], study["resolution"]) == ("cable-cost-low-2030", TINY)
        assert study["scenario_hash"] == summary["scenario_hash"]
        cost = summary["total_system_cost_eur_a"] / 1e9
        assert study["figures"]["total_system_cost"] == pytest.approx(cost, abs=1e-3)
        assert web.get(f"{API}?origin=cli").json()[0]["name"] == "cable-cost-low-2030"

        page = web.get("/corridor")
        row = re.search(r'<tr data-study="cable-cost-low-2030">(.*?)</tr>', page.text, re.S)
        assert row, "the CLI's study is not on /corridor"
        assert ">cli<" in row.group(1) and f">{TINY}<" in row.group(1)
        assert f'<td class="num">{_bn(summary["total_system_cost_eur_a"])}</td>' in row.group(1)
        table = web.get(f"{API}/cable-cost-low-2030/files/cables.csv")
        assert table.status_code == 200
        assert table.text == (folder / "tables" / "cables.csv").read_text(encoding="utf-8")


def test_a_solve_before_the_database_exists_is_listed_once_it_does(
    data_dir: Path, tiny_yaml: Path
) -> None:
    cli = CliRunner()
    solved = cli.invoke(app, [*SOLVE, str(tiny_yaml)])
    assert solved.exit_code == 0, solved.output  # the files are the result: written
    assert (data_dir / "studies" / "tiny-west" / "summary.json").is_file()
    said = [line for line in solved.output.splitlines() if "not registered" in line]
    assert len(said) == 1 and "bakuhub db upgrade" in said[0], solved.output
    assert "[SQL" not in solved.output and "Traceback" not in solved.output
    assert cli.invoke(app, ["db", "upgrade"]).exit_code == 0
    with _web() as web:
        (study,) = web.get(API).json()
        assert (study["name"], study["origin"], study["scenario"]) == (
            "tiny-west",
            "cli",
            "tiny-west",
        )
        detail = web.get(f"{API}/tiny-west").json()
        assert detail["inputs"]["nodes"] == WEST  # from the folder's scenario.yaml


def _old_folder(settings: Settings, name: str, **changes: Any) -> Path:
    """A solved folder of an older bakuhub: a summary, a table, no scenario.yaml."""
    data = {**study_summary(name, 2.2e10, 8, 0), "scenario_hash": "ab" * 32, **changes}
    folder = write_study(Path(settings.data_dir) / "studies", name, data)
    (folder / "tables").mkdir()
    (folder / "tables" / "cables.csv").write_text("link,capacity_mw\nBLACKSEA,1000\n")
    return folder


def test_an_old_folder_of_an_unknown_scenario_is_listed_as_such(
    settings: Settings, anon_client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    _old_folder(settings, "old-run", scenario="my-2023-variant")
    _old_folder(settings, "nameless", scenario=None, scenario_hash=None, resolution=None)
    broken = Path(settings.data_dir) / "studies" / "broken"
    broken.mkdir()
    (broken / "summary.json").write_text("[1, 2]")  # not a summary: not listed, no error

    listed = anon_client.get(API)
    assert listed.status_code == 200, listed.text
    by_name = {s["name"]: s for s in listed.json()}
    assert set(by_name) >= {"old-run", "nameless"} and "broken" not in by_name
    old = by_name["old-run"]
    assert (old["scenario"], old["shipped"], old["scenario_ref"]) == ("my-2023-variant", None, None)
    assert (old["origin"], old["state"], old["scenario_hash"]) == ("cli", "ready", "ab" * 32)
    assert (old["resolution"], old["year"]) == ("segments:400", 2030)  # from the summary
    assert old["figures"]["total_system_cost"] == 22.0
    nameless = by_name["nameless"]
    assert (nameless["scenario"], nameless["resolution"], nameless["scenario_hash"]) == (
        "unknown",
        "unknown",
        "",
    )
    assert anon_client.get(f"{API}/old-run").json()["inputs"] == {}
    assert "BLACKSEA,1000" in anon_client.get(f"{API}/old-run/files/cables.csv").text

    page = anon_client.get("/corridor/studies/old-run").text
    assert "scenario unknown: an older study folder without" in page
    assert "The scenario as solved is not known" in page
    analyst = client_as("focal_point", username="ana")
    again = analyst.post(f"{API}/old-run/rerun", json={})
    assert again.status_code == 422
    assert "cannot be run again: its scenario is unknown" in again.json()["detail"]
    assert anon_client.get(f"{API}?scenario=my-2023-variant").json()[0]["name"] == "old-run"
