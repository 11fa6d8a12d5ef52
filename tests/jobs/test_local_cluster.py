"""Jobs on a real in-process Dask LocalCluster: a corridor study runs, its result is
stored once per input hash, and the same inputs again return it at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.corridor.scenario import Scenario
from bakuhub.db import session_scope
from bakuhub.jobs import JobRunner, service
from bakuhub.jobs.models import JobResult

from .conftest import job_row, url_of, variant, wait_for


def test_a_runner_starts_its_own_local_cluster_runs_a_study_and_caches_the_result(
    engine: Engine, jobs_db: sessionmaker[Session], tiny: Scenario, tmp_path: Path
) -> None:
    runner = JobRunner(database_url=url_of(engine), results_dir=tmp_path / "jobs", workers=1)
    try:
        assert not runner.started  # nothing starts before the first job
        with session_scope(jobs_db) as session:
            job = service.submit_study(session=session, scenario=tiny, runner=runner)
            assert job.state == "queued"
            job_id = job.id
        (done,) = service.wait(session_factory=jobs_db, job_ids=[job_id], timeout=180)
        assert runner.started
        assert "local Dask cluster of 1 worker" in runner.describe()
        # a shutdown while a job runs queues it again, without using up an attempt
        with session_scope(jobs_db) as session:
            other = service.submit_study(session=session, scenario=variant(tiny, 5), runner=runner)
        wait_for(lambda: job_row(jobs_db, other.id).state == "running", what="second job running")
    finally:
        runner.close()
    assert not runner.started
    interrupted = job_row(jobs_db, other.id)
    assert (interrupted.state, interrupted.attempts) == ("queued", 0)
    assert "interrupted by a shutdown" in interrupted.message

    assert done.state == "succeeded", done.error
    assert (done.progress, done.attempts, done.cached) == (1.0, 1, False)
    assert "optimal: total system cost" in done.log
    assert done.started_at is not None and done.finished_at is not None

    with session_scope(jobs_db) as session:
        job = service.get_job(session=session, job_id=job_id)
        assert job.result is not None
        folder = Path(job.result.location)
        summary = job.result.summary
        assert job.result.input_hash == job.input_hash
    assert summary["export_twh"] == pytest.approx(8.0, rel=1e-6)
    assert summary["total_system_cost_eur_a"] > 1e8  # EUR/a of the four western nodes
    assert summary["resolution"].startswith("segments")
    on_disk = json.loads((folder / "summary.json").read_text())
    assert on_disk["total_system_cost_eur_a"] == pytest.approx(summary["total_system_cost_eur_a"])
    for name in ("report.html", "network.nc", "tables/capacities.csv", "scenario.yaml"):
        assert (folder / name).is_file(), name
    assert folder.parent == (tmp_path / "jobs").resolve()
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no scratch left

    # the same scenario again: a new job, succeeded at once with the stored result,
    # without Dask (the runner is closed)
    with session_scope(jobs_db) as session:
        again = service.submit_study(session=session, scenario=tiny, runner=None)
        assert (again.state, again.cached, again.progress) == ("succeeded", True, 1.0)
        assert again.id != job_id
        assert again.result is not None and again.result.location == str(folder)
        assert session.scalar(select(func.count()).select_from(JobResult)) == 1


def test_a_stored_result_whose_files_are_gone_is_not_reused(
    jobs_db: sessionmaker[Session], tiny: Scenario, tmp_path: Path
) -> None:
    from bakuhub.jobs.kinds import CORRIDOR_STUDY, input_hash, study_inputs

    digest = input_hash(CORRIDOR_STUDY, study_inputs(tiny))
    with session_scope(jobs_db) as session:
        session.add(
            JobResult(
                kind=CORRIDOR_STUDY,
                input_hash=digest,
                location=str(tmp_path / "deleted"),
                summary={},
                compute_seconds=1.0,
            )
        )
    with session_scope(jobs_db) as session:
        job = service.submit_study(session=session, scenario=tiny, runner=None)
        assert (job.state, job.cached, job.result_id) == ("queued", False, None)
