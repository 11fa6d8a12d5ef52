"""Jobs on a separate ``dask scheduler`` and ``dask worker`` processes on loopback,
started by the test: a worker killed in the middle of a job, and the job completes."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.corridor.scenario import Scenario
from bakuhub.db import session_scope
from bakuhub.jobs import JobRunner, service

from .conftest import DaskProcesses, job_row, url_of, variant, wait_for


@pytest.fixture(scope="module")
def dask_processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskProcesses]:
    procs = DaskProcesses(tmp_path_factory.mktemp("dask"))
    try:
        procs.address = procs.start(workers=1)
        yield procs
    finally:
        procs.stop()


def _pid(worker: str | None) -> int:
    found = re.search(r"pid (\d+)", worker or "")
    assert found, worker
    return int(found.group(1))


def test_a_job_completes_after_its_worker_is_killed_mid_job(
    engine: Engine,
    jobs_db: sessionmaker[Session],
    dask_processes: DaskProcesses,
    tiny: Scenario,
    tmp_path: Path,
) -> None:
    runner = JobRunner(
        database_url=url_of(engine),
        results_dir=tmp_path / "jobs",
        scheduler=dask_processes.address,
    )
    try:
        assert runner.describe() == f"Dask scheduler {dask_processes.address}"
        with session_scope(jobs_db) as session:
            job_id = service.submit_study(
                session=session, scenario=variant(tiny, 81.0), runner=runner
            ).id
        wait_for(lambda: job_row(jobs_db, job_id).state == "running", what="job running")
        first = job_row(jobs_db, job_id)
        pid = _pid(first.worker)
        # the worker process belongs to the `dask worker` process group this test started
        assert os.getpgid(pid) == dask_processes.procs[1].pid
        os.kill(pid, signal.SIGKILL)
        (done,) = service.wait(session_factory=jobs_db, job_ids=[job_id], timeout=240)
    finally:
        runner.close()

    assert done.state == "succeeded", done.error
    assert done.attempts == 2  # the killed attempt, then the one that finished
    assert _pid(done.worker) != pid  # the nanny started a new worker process
    assert "attempt 1" in done.log and "attempt 2" in done.log
    assert "optimal: total system cost" in done.log
    with session_scope(jobs_db) as session:
        folder = service.result_folder(session=session, job_id=job_id)
    assert (folder / "summary.json").is_file() and (folder / "report.html").is_file()
