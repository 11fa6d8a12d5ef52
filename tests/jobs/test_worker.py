"""The rules a worker follows, without Dask: attempts are bounded, a cancelled or
replaced attempt cannot write, and succeeded is only written with a stored result."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.corridor.scenario import Scenario
from bakuhub.db import session_scope
from bakuhub.errors import Conflict
from bakuhub.jobs import service
from bakuhub.jobs.worker import Reporter, Superseded, claim, finish, run_job

from .conftest import job_row, url_of


def _queued(factory: sessionmaker[Session], scenario: Scenario) -> int:
    with session_scope(factory) as session:
        return service.submit_study(session=session, scenario=scenario, runner=None).id


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "result"
    folder.mkdir()
    (folder / "summary.json").write_text("{}")
    return folder


def test_an_attempt_reports_progress_and_stores_its_result_with_succeeded(
    jobs_db: sessionmaker[Session], tiny: Scenario, tmp_path: Path
) -> None:
    job_id = _queued(jobs_db, tiny)
    held = claim(jobs_db, job_id)
    assert held is not None and held.attempt == 1
    report = Reporter(jobs_db, held)
    report("loading data")
    row = job_row(jobs_db, job_id)
    assert (row.state, row.message) == ("running", "loading data")
    assert 0 < row.progress < 1 and "loading data" in row.log
    stored = finish(jobs_db, held, location=_folder(tmp_path), summary={"x": 1}, seconds=2.0)
    assert stored
    row = job_row(jobs_db, job_id)
    assert (row.state, row.progress, row.result_id is not None) == ("succeeded", 1.0, True)


def test_a_cancelled_job_stops_at_its_next_line_and_cannot_succeed(
    jobs_db: sessionmaker[Session], tiny: Scenario, tmp_path: Path
) -> None:
    job_id = _queued(jobs_db, tiny)
    held = claim(jobs_db, job_id)
    assert held is not None
    with session_scope(jobs_db) as session:
        service.cancel(session=session, job_id=job_id, by="tester")
    with pytest.raises(Superseded):
        Reporter(jobs_db, held)("model: 1 variable")
    assert not finish(jobs_db, held, location=_folder(tmp_path), summary={}, seconds=1.0)
    row = job_row(jobs_db, job_id)
    assert (row.state, row.result_id, row.message) == ("cancelled", None, "cancelled by tester")
    with session_scope(jobs_db) as session, pytest.raises(Conflict, match="already cancelled"):
        service.cancel(session=session, job_id=job_id)


def test_an_attempt_replaced_by_a_newer_one_cannot_write(
    jobs_db: sessionmaker[Session], tiny: Scenario, tmp_path: Path
) -> None:
    job_id = _queued(jobs_db, tiny)
    first = claim(jobs_db, job_id)
    second = claim(jobs_db, job_id)  # e.g. Dask re-ran the task after its worker died
    assert first is not None and second is not None
    assert (first.attempt, second.attempt) == (1, 2)
    with pytest.raises(Superseded):
        Reporter(jobs_db, first)("optimal")
    assert not finish(jobs_db, first, location=_folder(tmp_path), summary={}, seconds=1.0)
    assert job_row(jobs_db, job_id).state == "running"


def test_attempts_are_bounded(
    engine: Engine, jobs_db: sessionmaker[Session], tiny: Scenario, tmp_path: Path
) -> None:
    job_id = _queued(jobs_db, tiny)
    for _ in range(3):
        assert claim(jobs_db, job_id) is not None
    # a fourth start (worker died three times) gives up without running anything
    assert run_job(job_id, url_of(engine), str(tmp_path)) == "skipped"
    row = job_row(jobs_db, job_id)
    assert (row.state, row.attempts, row.result_id) == ("failed", 3, None)
    assert "last allowed attempt" in (row.error or "")


def test_a_job_of_a_stored_result_succeeds_without_computing(
    engine: Engine, jobs_db: sessionmaker[Session], tiny: Scenario, tmp_path: Path
) -> None:
    first, second = _queued(jobs_db, tiny), None
    held = claim(jobs_db, first)
    assert held is not None
    with session_scope(jobs_db) as session:  # submitted while the first one runs: same job
        assert service.submit_study(session=session, scenario=tiny, runner=None).id == first
        service.cancel(session=session, job_id=first)
        second = service.submit_study(session=session, scenario=tiny, runner=None).id
    # the first attempt stored its result before it learnt of the cancellation
    finish(jobs_db, held, location=_folder(tmp_path), summary={"x": 1}, seconds=1.0)
    assert run_job(second, url_of(engine), str(tmp_path)) == "succeeded"
    row = job_row(jobs_db, second)
    assert (row.state, row.cached, row.attempts) == ("succeeded", True, 1)
