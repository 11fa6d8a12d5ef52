"""The jobs API on a real Dask cluster: a server restart with a running job, cancel,
the result store, and clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.config import Settings
from bakuhub.corridor.scenario import Scenario
from bakuhub.db import session_scope
from bakuhub.jobs import JobRunner, service
from bakuhub.jobs.models import JobResult
from bakuhub.jobs.worker import claim
from bakuhub.web.app import create_app

from .conftest import TINY, WEST, job_row, wait_for

API = "/api/v1/jobs"
AUTHOR = "analyst"


def make_app(settings: Settings, runner: JobRunner) -> FastAPI:
    """The app on the test database, its runner on the test cluster, requests signed in
    as an analyst with an API token (when the accounts package is there)."""
    app = create_app(settings)
    app.state.job_runner = runner
    try:
        from bakuhub.accounts.permissions import Principal, Role
        from bakuhub.web.deps import get_principal
    except ImportError:  # before accounts: writes need no sign-in, the author is 'api'
        global AUTHOR
        AUTHOR = "api"
        return app
    analyst = Principal(user_id=1, username=AUTHOR, role=Role.focal_point, via_token=True)
    app.dependency_overrides[get_principal] = lambda: analyst
    return app


@pytest.fixture
def server(settings: Settings, runner: JobRunner) -> Iterator[TestClient]:
    """A started server (its startup recovers jobs) whose runner uses the test cluster."""
    with TestClient(make_app(settings, runner)) as client:
        yield client


def _executing(dask_client: Any) -> int:
    counts = dask_client.run(lambda dask_worker: dask_worker.state.executing_count)
    return int(sum(counts.values()))


def test_a_restarted_server_reruns_the_job_it_left_running(
    settings: Settings, runner: JobRunner, jobs_db: sessionmaker[Session], tiny: Scenario
) -> None:
    # the server that died had started the job (attempt 1) and then stopped
    with session_scope(jobs_db) as session:
        job_id = service.submit_study(session=session, scenario=tiny, runner=None).id
    assert claim(jobs_db, job_id) is not None
    assert job_row(jobs_db, job_id).state == "running"

    with TestClient(
        make_app(settings, runner)
    ) as client:  # startup finds the job and hands it to Dask again
        assert "re-queued after a restart" in job_row(jobs_db, job_id).log
        (done,) = service.wait(session_factory=jobs_db, job_ids=[job_id], timeout=180)
        assert (done.state, done.attempts) == ("succeeded", 2), done.error

        shown = client.get(f"{API}/{job_id}").json()
        assert shown["state"] == "succeeded" and shown["progress"] == 1.0
        assert shown["inputs"]["scenario"]["resolution"] == TINY
        assert shown["result"]["summary"]["export_twh"] == pytest.approx(8.0, rel=1e-6)
        result = client.get(f"{API}/{job_id}/result").json()
        assert {"summary.json", "report.html", "tables/capacities.csv"} <= set(result["files"])
        report = client.get(f"{API}/{job_id}/result/report.html")
        assert report.status_code == 200 and "text/html" in report.headers["content-type"]
        assert client.get(f"{API}/{job_id}/result/..%2F..%2Fbakuhub.sqlite3").status_code == 404

        # the same scenario through the API: answered from the store at once
        again = client.post(API, json={"scenario": tiny.model_dump(mode="json")})
        assert again.status_code == 202
        body = again.json()
        assert (body["state"], body["cached"], body["id"] != job_id) == ("succeeded", True, True)
        assert body["created_by"] == AUTHOR
        assert body["result"]["input_hash"] == shown["input_hash"]
        conflict = client.post(f"{API}/{body['id']}/cancel")  # the analyst's own job
        assert conflict.status_code == 409 and "already succeeded" in conflict.json()["detail"]
        others = client.post(f"{API}/{job_id}/cancel")  # submitted by someone else
        assert others.status_code == 403 and "only your own" in others.json()["detail"]


def test_a_job_out_of_attempts_is_failed_on_restart(
    settings: Settings, runner: JobRunner, jobs_db: sessionmaker[Session], tiny: Scenario
) -> None:
    with session_scope(jobs_db) as session:
        job_id = service.submit_study(session=session, scenario=tiny, runner=None).id
    for _ in range(3):
        claim(jobs_db, job_id)
    with TestClient(make_app(settings, runner)):
        row = job_row(jobs_db, job_id)
    assert (row.state, row.attempts) == ("failed", 3)
    assert "interrupted on each of its 3 attempts" in (row.error or "")
    assert runner.pending() == []


def test_cancel_running_and_queued_jobs_through_the_api(
    server: TestClient, runner: JobRunner, jobs_db: sessionmaker[Session], dask_client: Any
) -> None:
    ids = []
    for price in (11, 12, 13):  # three jobs for two single-thread workers
        scenario = {"name": f"co2-{price}", "year": 2030, "nodes": WEST}
        scenario["co2"] = {"price_eur_t": price}
        answer = server.post(API, json={"scenario": scenario, "resolution": TINY})
        assert answer.status_code == 202 and answer.json()["state"] == "queued"
        ids.append(answer.json()["id"])
    wait_for(
        lambda: sum(job_row(jobs_db, i).state == "running" for i in ids) == 2, what="two running"
    )
    waiting = next(i for i in ids if job_row(jobs_db, i).state == "queued")
    # the waiting one first: a cancelled running task frees its worker for the next
    for job_id in sorted(ids, key=lambda i: i != waiting):
        answer = server.post(f"{API}/{job_id}/cancel")
        assert answer.status_code == 200 and answer.json()["state"] == "cancelled"
    # Dask drops the tasks; the running computations stop at their next progress line
    wait_for(lambda: runner.pending() == [] and _executing(dask_client) == 0, what="idle")
    rows = [job_row(jobs_db, i) for i in ids]
    assert [r.state for r in rows] == ["cancelled"] * 3
    assert job_row(jobs_db, waiting).attempts == 0  # never started
    assert not any("optimal" in r.log for r in rows)
    with session_scope(jobs_db) as session:
        assert session.scalar(select(func.count()).select_from(JobResult)) == 0
    listed = server.get(API, params={"state": "cancelled"}).json()
    assert {j["id"] for j in listed} == set(ids)
    assert server.get(f"{API}/counts").json()["cancelled"] == 3


def test_api_errors_are_sentences(server: TestClient) -> None:
    missing = server.get(f"{API}/987654")
    assert missing.status_code == 404 and "There is no job 987654" in missing.json()["detail"]
    assert server.post(f"{API}/987654/cancel").status_code == 404
    bad_state = server.get(API, params={"state": "done"})
    assert bad_state.status_code == 422 and "not a job state" in bad_state.json()["detail"]
    unknown = server.post(API, json={"scenario": "no-such-scenario"})
    assert unknown.status_code == 422
    assert "not the name of a shipped scenario" in unknown.json()["detail"]
    path = server.post(API, json={"scenario": "/etc/hostname"})  # names only, no server files
    assert path.status_code == 422 and "/etc" not in path.text
    assert "not the name of a shipped scenario" in path.json()["detail"]
    wrong = server.post(API, json={"scenario": {"name": "x", "year": 2031}})
    assert wrong.status_code == 422 and "year" in wrong.json()["detail"]
    bad_resolution = server.post(API, json={"scenario": "reference-2030", "resolution": "2 days"})
    assert bad_resolution.status_code == 422 and "resolution" in bad_resolution.json()["detail"]
    assert server.get(API).json() == []
