"""Sweeps: grids and Latin-hypercube samples of scenario variants, checked before
anything runs; and a sweep run from the command line on a local Dask cluster."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from bakuhub.cli import app as bakuhub_app
from bakuhub.cli.common import run_user_errors
from bakuhub.cli.corridor_sweep import register
from bakuhub.config import get_settings
from bakuhub.corridor.scenario import Scenario, load_scenario
from bakuhub.errors import InvalidInput
from bakuhub.jobs.sweep import load_sweep, parse_sweep, variants

from .conftest import WEST

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "bakuhub" / "datasets" / "sweeps"


@pytest.fixture(scope="module")
def base() -> Scenario:
    return load_scenario("reference-2030")


def test_a_grid_sets_every_combination(base: Scenario) -> None:
    spec = parse_sweep(
        {
            "name": "g",
            "base": "reference-2030",
            "resolution": "segments:12",
            "grid": {"costs.cable_cost": ["low", "reference"], "co2.price_eur_t": [0, 50, 100]},
        }
    )
    found = variants(spec, base)
    assert len(found) == 6
    assert [(v.scenario.costs.cable_cost, v.scenario.co2.price_eur_t) for v in found[:3]] == [
        ("low", 0),
        ("low", 50),
        ("low", 100),
    ]
    assert {v.scenario.resolution for v in found} == {"segments:12"}
    assert all(v.scenario.name == base.name for v in found)  # equal physics, equal hash
    assert found[0].scenario.europe == base.europe  # fields not varied stay as in the base


def test_samples_are_a_reproducible_latin_hypercube(base: Scenario) -> None:
    data = {
        "name": "s",
        "base": "reference-2030",
        "samples": {
            "n": 8,
            "seed": 3,
            "ranges": {"co2.price_eur_t": [0, 80], "costs.wacc": [0.04, 0.1]},
        },
    }
    found = variants(parse_sweep(data), base)
    prices = sorted(v.scenario.co2.price_eur_t for v in found)
    # one draw in each eighth of the range
    assert [int(p // 10) for p in prices] == list(range(8))
    assert all(0.04 <= v.scenario.costs.wacc <= 0.1 for v in found)
    assert [v.params for v in variants(parse_sweep(data), base)] == [v.params for v in found]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"grid": {"co2.price_eur_t": [1]}, "samples": {"n": 1, "ranges": {"x": [0, 1]}}},
            "either",
        ),
        ({}, "either 'grid'"),
        ({"grid": {"co2.price_eur": [1]}}, "co2.price_eur: is not a scenario field"),
        ({"grid": {"co2.price_eur_t": [-5]}}, "co2.price_eur_t"),
        ({"grid": {"year.x": [1]}}, "'year' is not a group of fields"),
        (
            {
                "grid": {
                    "co2.price_eur_t": list(range(40)),
                    "costs.wacc": [0.01 * i for i in range(1, 30)],
                }
            },
            "1160 combinations",
        ),
        ({"samples": {"n": 2, "ranges": {"costs.wacc": [0.1, 0.05]}}}, "is below"),
    ],
)
def test_mistakes_in_a_sweep_are_sentences(base: Scenario, data: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        variants(parse_sweep({"name": "bad", "base": "reference-2030", **data}), base)


def test_the_shipped_sweeps_are_valid() -> None:
    files = sorted(SHIPPED.glob("*.yaml"))
    assert len(files) >= 2
    for path in files:
        spec, base = load_sweep(path)
        assert spec.name == path.stem
        assert len(variants(spec, base)) >= 8


@pytest.fixture
def cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[..., tuple[int, str, str]]]:
    """Run ``bakuhub ...`` in this process (SQLite under tmp_path): (exit code, out, err)."""
    monkeypatch.setenv("BAKUHUB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BAKUHUB_DATABASE_URL", raising=False)
    monkeypatch.delenv("BAKUHUB_DASK_SCHEDULER", raising=False)
    monkeypatch.chdir(tmp_path)
    corridor = typer.Typer()
    corridor.callback()(lambda: None)
    register(corridor)  # what cli/corridor.py does

    def run(*args: str) -> tuple[int, str, str]:
        get_settings.cache_clear()
        app = corridor if args[0] == "sweep" else bakuhub_app
        monkeypatch.setattr(sys, "argv", ["bakuhub", *args])
        code = run_user_errors(app)
        out = capsys.readouterr()
        return code, out.out, out.err

    yield run
    get_settings.cache_clear()


def test_a_sweep_runs_on_a_dask_scheduler_and_reruns_from_the_store(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]], dask_client: Any
) -> None:
    address = dask_client.scheduler.address  # the session's local cluster, already warm
    west = load_scenario("reference-2030").model_copy(update={"name": "west", "nodes": WEST})
    (tmp_path / "west.yaml").write_text(yaml.safe_dump(west.model_dump(mode="json")))
    sweep = tmp_path / "co2.yaml"
    sweep.write_text(  # the base scenario is a file beside the sweep
        "name: co2\nbase: west.yaml\nresolution: segments:12\ngrid:\n  co2.price_eur_t: [0, 150]\n",
        encoding="utf-8",
    )
    code, _, err = cli("sweep", str(sweep), "--scheduler", address)
    assert code == 0, err
    assert f"2 variants of west on Dask scheduler {address}" in err
    rows = list(csv.DictReader((tmp_path / "sweeps" / "co2" / "results.csv").open()))
    assert [r["state"] for r in rows] == ["succeeded", "succeeded"]
    assert [r["co2.price_eur_t"] for r in rows] == ["0", "150"]
    cost = [float(r["total_system_cost_bn_eur_a"]) for r in rows]
    assert cost[1] > cost[0]  # pricing CO2 cannot make the system cheaper
    assert float(rows[0]["co2_emitted_mt"]) >= float(rows[1]["co2_emitted_mt"])
    chart = (tmp_path / "sweeps" / "co2" / "chart.html").read_text()
    assert "plotly" in chart and "total system cost" in chart

    code, _, err = cli("sweep", str(sweep), "--out", str(tmp_path / "again"))
    assert code == 0, err
    assert err.count("from the store") == 2
    rerun = list(csv.DictReader((tmp_path / "again" / "results.csv").open()))
    assert [r["cached"] for r in rerun] == ["True", "True"]
    assert [float(r["total_system_cost_bn_eur_a"]) for r in rerun] == cost

    code, out, _ = cli("jobs", "list")
    assert code == 0 and out.count("succeeded") == 4 and out.count("(stored result)") == 2
    job_id = rows[1]["job_id"]
    code, out, _ = cli("jobs", "show", job_id)
    assert "optimal: total system cost" in out and "co2.price_eur_t=150" in out
    code, _, err = cli("jobs", "cancel", job_id)
    assert code == 4 and "already succeeded" in err
    assert cli("jobs", "show", "999")[0] == 3
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: b\nbase: reference-2030\ngrid: {co2.price: [1]}\n", encoding="utf-8")
    code, _, err = cli("sweep", str(broken))
    assert code == 2 and "co2.price: is not a scenario field" in err
