"""Sweeps in a real browser, at desktop and 390 px: a focal point defines a 2-run sweep
on /corridor/sweeps, a refused value stays in the form with its sentence beside it,
and the sweep's page shows the runs, their results, the charts and the CSV link.

Solving is not what is tested here (tests/jobs/test_sweep_run.py solves a sweep):
the two runs' results are put in the live server's result store first, as a worker
stores them, so the runs are answered from the store at once and no Dask cluster
starts inside the shared browser server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import scroll_width, shot, sign_in
from sqlalchemy import select

from bakuhub.corridor.scenario import shipped_scenario
from bakuhub.db import make_engine, make_sessionmaker, session_scope
from bakuhub.jobs.kinds import CORRIDOR_STUDY, input_hash, study_inputs
from bakuhub.jobs.models import JobResult
from bakuhub.jobs.sweep_define import SweepIn, define

RESOLUTION = "segments:12"
PRICES = (0, 150)
COSTS = (2.0e10, 2.5e10)  # EUR/a: made-up results of the two runs, as stored


def _database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's SQLite file (its data directory is a 'browser' temp folder)."""
    found = sorted(tmp_path_factory.getbasetemp().glob("browser*/bakuhub.sqlite3"))
    assert found, "the browser server's database was not found"
    return found[-1]


@pytest.fixture(scope="module")
def stored(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The two runs' results in the server's result store."""
    request = SweepIn.model_validate(
        {
            "base": "reference-2030",
            "resolution": RESOLUTION,
            "grid": {"co2.price_eur_t": list(PRICES)},
        }
    )
    _, found = define(request, shipped_scenario("reference-2030"))
    folder = tmp_path_factory.mktemp("sweep-results")
    engine = make_engine(f"sqlite:///{_database(tmp_path_factory)}")
    with session_scope(make_sessionmaker(engine)) as session:
        for variant, cost in zip(found, COSTS, strict=True):
            digest = input_hash(CORRIDOR_STUDY, study_inputs(variant.scenario))
            if session.scalar(select(JobResult.id).where(JobResult.input_hash == digest)):
                continue
            summary = {"total_system_cost_eur_a": cost, "export_twh": 8.0, "cables": {}}
            session.add(
                JobResult(
                    kind=CORRIDOR_STUDY,
                    input_hash=digest,
                    location=str(folder),
                    summary=summary,
                    compute_seconds=1.0,
                )
            )
    engine.dispose()
    yield


def test_a_focal_point_defines_a_sweep_and_sees_its_table(any_page: Any, stored: None) -> None:
    page = any_page
    width = page.viewport_size["width"]
    sign_in(page, "chad")
    page.goto("/corridor")
    page.get_by_role("link", name="Sweeps").click()
    page.wait_for_url(re.compile(r".*/corridor/sweeps$"))
    page.locator("#sw-name").fill("browser")
    page.locator("#sw-base").select_option("reference-2030")
    page.locator("#sw-resolution").fill(RESOLUTION)
    page.locator("#sw-design").select_option("grid")
    page.locator("#sw-field_1").select_option("co2.price_eur_t")
    page.locator("#sw-values_1").fill("0, -5")
    page.get_by_role("button", name="Run the sweep").click()
    beside = page.locator("#err-values_1")
    assert "refuses -5" in beside.inner_text()  # beside its field, the form kept
    assert page.locator("#sw-values_1").get_attribute("aria-describedby") == "err-values_1"
    assert page.locator("#sw-values_1").input_value() == "0, -5"
    assert page.locator("#sw-field_1").input_value() == "co2.price_eur_t"

    page.locator("#sw-values_1").fill(", ".join(str(p) for p in PRICES))
    page.get_by_role("button", name="Run the sweep").click()
    page.wait_for_url(re.compile(r".*/corridor/sweeps/browser@[0-9T]+-[0-9a-f]+$"))
    rows = page.locator("#sweep-runs tbody tr")
    assert rows.count() == 2
    texts = [rows.nth(i).inner_text() for i in range(2)]
    assert all("succeeded" in t for t in texts)
    heads = page.locator("#sweep-runs thead th").all_inner_texts()
    cost = heads.index("System cost (bn EUR/a)")
    price = heads.index("co2.price_eur_t")
    cells = [rows.nth(i).locator("td") for i in range(2)]
    assert [c.nth(price).inner_text() for c in cells] == ["0", "150"]
    assert [c.nth(cost).inner_text() for c in cells] == ["20", "25"]
    assert page.locator("#chart-total_system_cost_bn_eur_a .main-svg").count() > 0  # offline
    link = page.get_by_role("link", name=re.compile("Download the results"))
    assert link.get_attribute("href").endswith("/results.csv")
    assert scroll_width(page) <= width
    shot(page, f"corridor-sweep-{width}")
