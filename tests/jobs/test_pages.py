"""Running a corridor study from the corridor page: a job with its progress page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.config import Settings
from bakuhub.jobs import JobRunner, service

from .conftest import TINY
from .test_api import make_app


@pytest.fixture
def server(settings: Settings, runner: JobRunner) -> Iterator[TestClient]:
    with TestClient(make_app(settings, runner)) as client:
        yield client


def test_a_scenario_runs_from_the_page_and_its_page_follows_the_job(
    server: TestClient, jobs_db: sessionmaker[Session]
) -> None:
    page = server.get("/corridor")
    assert "Run a scenario" in page.text and "reference-2030" in page.text
    answer = server.post(
        "/corridor/run",
        data={"scenario": "reference-2030", "resolution": TINY},
        headers={"Accept-Language": "fr"},  # asked for in French: the report is in French too
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    match = re.fullmatch(r"/corridor/jobs/(\d+)", location)
    assert match, location
    job_id = int(match.group(1))
    (done,) = service.wait(session_factory=jobs_db, job_ids=[job_id], timeout=180)
    assert done.state == "succeeded", done.error
    shown = server.get(location)
    assert shown.status_code == 200
    assert "succeeded" in shown.text and 'http-equiv="refresh"' not in shown.text
    assert f"/api/v1/jobs/{job_id}/result/report.html" in shown.text
    assert "optimal" in shown.text  # the solve's progress lines are in the log
    report = f"/api/v1/jobs/{job_id}/result/report.html"
    assert '<html lang="fr"' in server.get(report, headers={"Accept-Language": "fr"}).text
    assert '<html lang="en"' in server.get(report).text
    listed = server.get("/corridor").text
    assert f'href="/corridor/jobs/{job_id}"' in listed


def test_an_unknown_scenario_is_refused(server: TestClient) -> None:
    answer = server.post("/corridor/run", data={"scenario": "../../etc/passwd"})
    assert answer.status_code == 422
    assert "not the name of a shipped scenario" in answer.text
