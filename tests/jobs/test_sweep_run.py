"""A sweep sent to the server solved end to end on the local Dask cluster: two runs of
the tiny scenario, followed and read back through the API (table and CSV)."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.config import Settings
from bakuhub.corridor.scenario import Scenario
from bakuhub.db import session_scope
from bakuhub.jobs import JobRunner, service
from bakuhub.jobs.sweep_batches import read_sweep
from bakuhub.jobs.sweep_define import SweepIn, submit_request

from .test_api import make_app


def test_a_two_run_sweep_is_solved_and_its_results_read_back(
    settings: Settings, runner: JobRunner, jobs_db: sessionmaker[Session], tiny: Scenario
) -> None:
    request = SweepIn.model_validate(
        {"name": "tiny", "base": "tiny", "grid": {"co2.price_eur_t": [0, 150]}}
    )
    with session_scope(jobs_db) as session:  # the tiny base stands in for a saved scenario
        batch = submit_request(
            session=session, request=request, base=tiny, runner=runner, user="analyst"
        )
        ids = [r.job.id for r in read_sweep(session=session, batch=batch).runs]
    done = service.wait(session_factory=jobs_db, job_ids=ids, timeout=300)
    assert [j.state for j in done] == ["succeeded", "succeeded"], [j.error for j in done]

    with TestClient(make_app(settings, runner)) as client:
        sweep = client.get(f"/api/v1/sweeps/{batch}").json()
        assert sweep["active"] is False and sweep["progress"] == 1.0
        assert sweep["varied"] == ["co2.price_eur_t"]
        cost = [r["figures"]["total_system_cost_bn_eur_a"] for r in sweep["runs"]]
        assert cost[1] > cost[0]  # pricing CO2 cannot make the system cheaper
        assert all(r["figures"]["export_twh"] > 7.9 for r in sweep["runs"])  # 8 TWh target
        rows = list(
            csv.DictReader(io.StringIO(client.get(f"/api/v1/sweeps/{batch}/results.csv").text))
        )
        assert [r["co2.price_eur_t"] for r in rows] == ["0", "150"]
        assert [float(r["total_system_cost_bn_eur_a"]) for r in rows] == [
            float(f"{c:.6g}") for c in cost
        ]
        page = client.get(f"/corridor/sweeps/{batch}").text
        assert page.count('class="chart"') == 3 and sweep["base"] == tiny.name
