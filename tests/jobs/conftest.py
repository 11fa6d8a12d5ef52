"""Fixtures of the job tests: a committed database (emptied after each test), a real
Dask cluster shared by the session, a runner on it, and a tiny corridor scenario."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.corridor.scenario import Scenario, load_scenario
from bakuhub.db import make_sessionmaker, session_scope
from bakuhub.jobs import JobRunner
from bakuhub.jobs.models import Job, JobResult
from bakuhub.studies.models import Study

TINY = "segments:12"
WEST = ["AZ_SUM", "GE_GAR", "GE_ANA", "RO_CON"]  # Azerbaijan - Georgia - Black Sea - Romania
DASK = Path(sys.executable).with_name("dask")


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def jobs_db(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Committed sessions on the test database; every job row is deleted afterwards."""
    factory = make_sessionmaker(engine)
    try:
        yield factory
    finally:
        with session_scope(factory) as session:
            session.execute(delete(Study))  # a finished job registers its study
            session.execute(delete(Job))
            session.execute(delete(JobResult))


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """A real in-process LocalCluster: two worker processes on loopback."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    client = Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@pytest.fixture
def runner(
    engine: Engine, jobs_db: sessionmaker[Session], dask_client: Any, tmp_path: Path
) -> Iterator[JobRunner]:
    """A runner on the shared local cluster; its unfinished tasks are cancelled after."""
    runner = JobRunner(
        database_url=url_of(engine), results_dir=tmp_path / "jobs", client=dask_client
    )
    try:
        yield runner
    finally:
        for job_id in runner.pending():
            runner.cancel(job_id)
        runner.close()


@pytest.fixture(scope="session")
def tiny() -> Scenario:
    """The reference scenario on its four western nodes at 12 time segments (a solve
    takes a few seconds; it still delivers the 8 TWh export through the Black Sea).
    The real-year check is off: it is tested in tests/corridor_model/test_real_year.py."""
    update = {"resolution": TINY, "nodes": WEST, "real_year_check": False}
    return load_scenario("reference-2030").model_copy(update=update)


def variant(scenario: Scenario, co2_price: float) -> Scenario:
    """The scenario at another CO2 price (another input hash)."""
    return scenario.model_copy(
        update={"co2": scenario.co2.model_copy(update={"price_eur_t": co2_price})}
    )


def wait_for(predicate: Any, timeout: float = 120.0, what: str = "condition") -> None:
    """Poll until ``predicate()`` is true (a guard against hanging, not a timing test)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout} s")
        time.sleep(0.05)


def job_row(factory: sessionmaker[Session], job_id: int) -> Job:
    with session_scope(factory) as session:
        job = session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job


class DaskProcesses:
    """A ``dask scheduler`` and ``dask worker`` processes started on loopback."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.procs: list[subprocess.Popen[bytes]] = []
        self.address = ""

    def _start(self, *args: str, log: str) -> subprocess.Popen[bytes]:
        out = (self.folder / log).open("wb")
        proc = subprocess.Popen(
            [str(DASK), *args], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs.append(proc)
        return proc

    def start(self, workers: int = 1) -> str:
        self._start(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(self.file),
            log="scheduler.log",
        )
        wait_for(self.file.is_file, 60, "scheduler file")
        for i in range(workers):
            self._start(
                "worker",
                "--scheduler-file",
                str(self.file),
                "--host",
                "127.0.0.1",
                "--nthreads",
                "1",
                "--no-dashboard",
                log=f"worker-{i}.log",
            )
        import json

        return str(json.loads(self.file.read_text())["address"])

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
