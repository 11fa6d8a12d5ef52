"""Sweeps through the API and the pages, on the test database with a recording runner
(nothing is solved here; tests/jobs/test_sweep_run.py solves a sweep end to end):
who may run and cancel, nothing queued for a refused sweep, each run's place in the
queue, the results table and its CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bakuhub.corridor.scenario import shipped_scenario
from bakuhub.jobs import service
from bakuhub.jobs.models import Job, JobResult

API = "/api/v1/sweeps"
TWO_RUNS = {
    "name": "co2",
    "base": "reference-2030",
    "resolution": "segments:12",
    "grid": {"co2.price_eur_t": [0, 150]},
}


class Recorder:
    """A runner that records what it is handed (after the request's commit)."""

    def __init__(self) -> None:
        self.submitted: list[int] = []
        self.cancelled: list[int] = []

    def submit(self, ids: list[int]) -> None:
        self.submitted += ids

    def cancel(self, job_id: int) -> None:
        self.cancelled.append(job_id)

    def attach(self, job_id: int) -> bool:
        return True  # a started client's recovery leaves queued jobs alone

    def close(self) -> None:
        pass


@pytest.fixture
def recorder(app: FastAPI) -> Recorder:
    app.state.job_runner = recorder = Recorder()
    return recorder


@pytest.fixture
def analyst(client_as: Callable[..., TestClient], recorder: Recorder) -> TestClient:
    return client_as("focal_point", username="ana")


def jobs_in(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Job)) or 0)


def test_an_analyst_runs_a_sweep_and_follows_its_runs_in_the_queue(
    analyst: TestClient, recorder: Recorder, session: Session
) -> None:
    # another study was queued first: both runs wait behind it
    earlier = service.submit_study(
        session=session, scenario=shipped_scenario("no-caspian-2030"), runner=None
    )
    answer = analyst.post(API, json=TWO_RUNS)
    assert answer.status_code == 202, answer.text
    sweep = answer.json()
    batch = sweep["batch"]
    assert batch.startswith("co2@") and sweep["created_by"] == "ana"
    assert sweep["varied"] == ["co2.price_eur_t"]
    assert [r["params"] for r in sweep["runs"]] == [
        {"co2.price_eur_t": 0.0},
        {"co2.price_eur_t": 150.0},
    ]
    assert [r["state"] for r in sweep["runs"]] == ["queued", "queued"]
    assert [r["ahead"] for r in sweep["runs"]] == [1, 2]
    assert recorder.submitted == [r["job_id"] for r in sweep["runs"]]  # after the commit

    # the earlier study starts: the runs move up; the first run starts: it has no place
    session.get(Job, earlier.id).state = "running"  # type: ignore[union-attr]
    first = session.get(Job, sweep["runs"][0]["job_id"])
    assert first is not None
    first.state, first.progress = "running", 0.5
    session.flush()
    shown = analyst.get(f"{API}/{batch}").json()
    assert [(r["state"], r["ahead"]) for r in shown["runs"]] == [("running", None), ("queued", 0)]
    assert shown["progress"] == pytest.approx(0.25) and shown["active"] is True
    page = analyst.get(f"/corridor/sweeps/{batch}")
    assert page.status_code == 200
    assert 'data-active="true"' in page.text and "/static/sweeps.js" in page.text
    assert "Cancel the runs not yet finished" in page.text
    listed = analyst.get(API).json()
    assert [s["batch"] for s in listed] == [batch] and listed[0]["counts"]["queued"] == 1


def test_a_refused_sweep_queues_nothing(analyst: TestClient, session: Session) -> None:
    before = jobs_in(session)
    bad = {**TWO_RUNS, "grid": {"co2.price_eur_t": [0, -5], "co2.price": [1]}}
    answer = analyst.post(API, json=bad)
    assert answer.status_code == 422
    details = {tuple(d["loc"]): d["msg"] for d in answer.json()["errors"]}
    assert "refuses -5" in details[("grid", "co2.price_eur_t")]
    assert "not a scenario field a sweep may vary" in details[("grid", "co2.price")]
    too_many = {**TWO_RUNS, "grid": {"co2.price_eur_t": list(range(65))}}
    assert analyst.post(API, json=too_many).status_code == 422
    assert jobs_in(session) == before


def test_viewers_read_sweeps_but_cannot_run_or_cancel_them(
    analyst: TestClient, client_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    batch = analyst.post(API, json=TWO_RUNS).json()["batch"]
    viewer = client_as("viewer", username="vi")
    assert viewer.post(API, json=TWO_RUNS).status_code == 403
    assert anon_client.post(API, json=TWO_RUNS).status_code == 401
    assert viewer.post(f"{API}/{batch}/cancel").status_code == 403  # not the author
    assert anon_client.post(f"{API}/{batch}/cancel").status_code == 401
    public = anon_client.get(f"{API}/{batch}").json()
    assert public["created_by"] is None and public["runs"][0]["message"] is None
    assert "ana" not in anon_client.get(f"/corridor/sweeps/{batch}").text
    assert viewer.get(f"{API}/{batch}").json()["created_by"] == "ana"
    form = viewer.get("/corridor/sweeps").text
    assert "your role reads them" in form and batch in form


def test_a_user_cancels_their_own_sweep_and_the_secretariat_any(
    analyst: TestClient, recorder: Recorder, client_as: Callable[..., TestClient]
) -> None:
    batch = analyst.post(API, json=TWO_RUNS).json()["batch"]
    other = client_as("focal_point", username="gnb")
    refused = other.post(f"{API}/{batch}/cancel")
    assert refused.status_code == 403 and "only your own" in refused.text
    # one sweep at a time per user: a second is refused while the first has runs queued
    again = analyst.post(API, json={**TWO_RUNS, "grid": {"co2.price_eur_t": [10, 20]}})
    assert again.status_code == 429 and batch in again.text
    cancelled = analyst.post(f"{API}/{batch}/cancel").json()
    assert [r["state"] for r in cancelled["runs"]] == ["cancelled", "cancelled"]
    assert sorted(recorder.cancelled) == sorted(r["job_id"] for r in cancelled["runs"])
    assert analyst.post(f"{API}/{batch}/cancel").status_code == 409  # nothing left
    second = other.post(API, json=TWO_RUNS).json()["batch"]
    staff = client_as("secretariat", username="sec")
    assert staff.post(f"{API}/{second}/cancel").json()["counts"]["cancelled"] == 2


def test_the_results_table_and_its_csv(
    analyst: TestClient, anon_client: TestClient, session: Session, tmp_path: Any
) -> None:
    batch = analyst.post(API, json=TWO_RUNS).json()["batch"]
    runs = list(session.scalars(select(Job).where(Job.batch == batch).order_by(Job.id)))
    for job, cost in zip(runs, (2.0e10, 2.5e10), strict=True):  # as a worker stores them
        result = JobResult(
            kind=job.kind,
            input_hash=job.input_hash,
            location=str(tmp_path),
            summary={"total_system_cost_eur_a": cost, "export_twh": 8.0, "cables": {}},
            compute_seconds=1.0,
        )
        session.add(result)
        session.flush()
        job.state, job.progress, job.result_id = "succeeded", 1.0, result.id
    session.flush()
    session.expire_all()
    table = list(csv.DictReader(io.StringIO(analyst.get(f"{API}/{batch}/results.csv").text)))
    assert [(r["run"], r["co2.price_eur_t"], r["state"]) for r in table] == [
        ("1", "0", "succeeded"),
        ("2", "150", "succeeded"),
    ]
    assert [r["total_system_cost_bn_eur_a"] for r in table] == ["20", "25"]
    assert table[0]["gateway_price_eur_mwh"] == ""  # a figure the summary lacks: empty
    assert "error" in table[0] and "error" not in next(
        csv.DictReader(io.StringIO(anon_client.get(f"{API}/{batch}/results.csv").text))
    )
    page = analyst.get(f"/corridor/sweeps/{batch}").text
    assert 'data-active="false"' in page
    cells = re.findall(r'<tr data-job="\d+">(.*?)</tr>', page, re.S)
    assert len(cells) == 2 and ">20<" in cells[0] and ">25<" in cells[1]
    assert 'id="chart-total_system_cost_bn_eur_a"' in page and "results.csv" in page


def test_the_page_form_keeps_the_inputs_and_puts_each_error_beside_its_field(
    analyst: TestClient, session: Session
) -> None:
    before = jobs_in(session)
    form = {
        "name": "page",
        "base": "reference-2030",
        "resolution": "segments:12",
        "design": "grid",
        "field_1": "co2.price_eur_t",
        "values_1": "0, -5",
        "field_2": "costs.wacc",
        "values_2": "",
    }
    answer = analyst.post("/corridor/sweeps", data=form)
    assert answer.status_code == 422
    beside = dict(re.findall(r'<p class="error" id="err-(\w+)">([^<]*)</p>', answer.text))
    assert "refuses -5" in beside["values_1"] and "list them" in beside["values_2"]
    assert 'value="0, -5"' in answer.text  # the form keeps what was typed
    assert jobs_in(session) == before
    form.update(values_1="0, 150", field_2="")
    done = analyst.post("/corridor/sweeps", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text
    assert re.fullmatch(r"/corridor/sweeps/page@\d{8}T\d{6}-[0-9a-f]{6}", done.headers["location"])
    assert jobs_in(session) == before + 2


def test_the_page_reads_samples_with_sentences(analyst: TestClient) -> None:
    form = {
        "base": "reference-2030",
        "design": "sobol",
        "field_1": "co2.price_eur_t",
        "low_1": "10",
        "high_1": "ten",
        "n": "6",
    }
    answer = analyst.post("/corridor/sweeps", data=form)
    beside = dict(re.findall(r'<p class="error" id="err-(\w+)">([^<]*)</p>', answer.text))
    assert "not a number" in beside["high_1"]
    form["high_1"] = "100"
    beside = dict(
        re.findall(
            r'<p class="error" id="err-(\w+)">([^<]*)</p>',
            analyst.post("/corridor/sweeps", data=form).text,
        )
    )
    assert "powers of two" in beside["n"]
