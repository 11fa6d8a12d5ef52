"""The one store of studies: CLI folders appear after sync, a finished job registers
its study, downloads come from a fixed list, comparisons drop noise and warn."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.accounts.permissions import Principal, Role
from bakuhub.corridor.compare import compare, warnings
from bakuhub.corridor.scenario import Scenario, load_scenario
from bakuhub.db import make_sessionmaker, session_scope
from bakuhub.errors import InvalidInput, NotFound
from bakuhub.jobs import service as jobs
from bakuhub.jobs.models import Job, JobResult
from bakuhub.jobs.worker import claim, fail, finish
from bakuhub.studies import service
from bakuhub.studies.models import Study
from bakuhub.studies.service import StudyFilter
from bakuhub.studies.store import note_submission, sync
from bakuhub.testing import study_summary, write_study

ANA = Principal(1, "ana", Role.focal_point)
OTHER = Principal(2, "ben", Role.focal_point)


def _cli_study(data_dir: Path, name: str, cost: float, resolution: str = "segments:400") -> Path:
    """A folder as ``bakuhub corridor solve`` writes it into the data directory."""
    spec = load_scenario("reference-2030").model_dump(mode="json")
    folder = write_study(
        data_dir / "studies", name, {**study_summary(name, cost, 8, 0), "resolution": resolution}
    )
    (folder / "scenario.yaml").write_text(yaml.safe_dump({**spec, "name": name}))
    tables = folder / "tables"
    tables.mkdir()
    (tables / "cables.csv").write_text("link,capacity_mw\nCASPIAN,0\nBLACKSEA,1000\n")
    return folder


def test_a_cli_study_in_the_data_directory_is_listed_once(session: Session, tmp_path: Path) -> None:
    _cli_study(tmp_path, "cli-run", 2e10)
    (tmp_path / "studies" / "half-done").mkdir()  # no summary yet: not registered
    assert sync(session, tmp_path) == 1
    assert sync(session, tmp_path) == 0  # idempotent
    listed = service.list_studies(
        session=session, principal=None, data_dir=tmp_path, where=StudyFilter()
    )
    row = next(r for r in listed if r.name == "cli-run")
    assert (row.origin, row.folder, row.resolution, row.state) == (
        "cli",
        "studies/cli-run",
        "segments:400",
        "ready",
    )
    assert row.figures["total_system_cost"] == 20.0
    only = StudyFilter(origin="api")
    assert "cli-run" not in [
        r.name
        for r in service.list_studies(
            session=session, principal=None, data_dir=tmp_path, where=only
        )
    ]
    with pytest.raises(InvalidInput, match="origin"):
        service.list_studies(
            session=session, principal=None, data_dir=tmp_path, where=StudyFilter(origin="x")
        )


def test_downloads_come_from_a_fixed_list(session: Session, tmp_path: Path) -> None:
    _cli_study(tmp_path, "cli-run", 2e10)
    args = {"session": session, "principal": None, "data_dir": tmp_path, "name": "cli-run"}
    path, media = service.study_file(**args, file="cables.parquet")  # made from the CSV
    assert media == "application/vnd.apache.parquet" and path.read_bytes()[:4] == b"PAR1"
    import pandas as pd

    assert pd.read_parquet(path)["capacity_mw"].tolist() == [0, 1000]
    for name in ("../../etc/passwd", "status.json", "tables/cables.csv", "network.nc"):
        with pytest.raises(NotFound):
            service.study_file(**args, file=name)


def test_a_comparison_drops_noise_and_warns_of_other_settings(
    session: Session, tmp_path: Path
) -> None:
    noisy = study_summary("b", 2.5e10, 8.0000000001, -7.99e-15)
    rows = {r["key"]: r for r in compare([study_summary("a", 2e10, 8, 0), noisy])}
    assert rows["caspian_cable"]["values"] == [0.0, 0.0]
    assert str(rows["caspian_cable"]["values"][1]) == "0.0"  # not -0.0 nor -7.99e-15
    assert rows["export"]["differences"] == [0.0, 0.0]
    assert rows["total_system_cost"]["differences"] == [0.0, 5.0]
    _cli_study(tmp_path, "coarse", 2e10, "segments:12")
    _cli_study(tmp_path, "fine", 2.2e10, "hourly")
    result = service.compare_studies(
        session=session, principal=None, data_dir=tmp_path, names=["coarse", "fine"]
    )
    (said,) = result["warnings"]
    assert "resolutions" in said and "coarse: segments:12" in said and "fine: hourly" in said
    assert warnings([{"name": "a", "year": 2030}, {"name": "b", "year": 2030}]) == []
    with pytest.raises(InvalidInput, match="2 to 8"):
        service.compare_studies(session=session, principal=None, data_dir=tmp_path, names=["x"])


@pytest.fixture
def committed(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Committed sessions (a worker writes in its own); rows deleted afterwards."""
    factory = make_sessionmaker(engine)
    try:
        yield factory
    finally:
        with session_scope(factory) as db:
            for table in (Study, Job, JobResult):
                db.execute(delete(table))


def _tiny() -> Scenario:
    update = {"resolution": "segments:12", "nodes": ["AZ_SUM", "GE_GAR", "GE_ANA", "RO_CON"]}
    return load_scenario("reference-2030").model_copy(update=update)


def _result(tmp_path: Path, digest: str) -> Path:
    folder = tmp_path / "jobs" / digest
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps(study_summary("t", 3e10, 8, 500)))
    return folder


def test_a_finished_job_registers_its_study_for_its_author(
    committed: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_scope(committed) as db:
        job_id = jobs.submit_study(session=db, scenario=_tiny(), runner=None, created_by="ana").id
    held = claim(committed, job_id)
    assert held is not None
    location = _result(tmp_path, held.input_hash)
    summary = study_summary("t", 3e10, 8, 500)
    assert finish(committed, held, location=location, summary=summary, seconds=1, data_dir=tmp_path)
    with session_scope(committed) as db:
        row = db.query(Study).filter_by(job_id=job_id).one()
        assert (row.origin, row.author, row.state) == ("api", "ana", "ready")
        assert row.folder == f"jobs/{held.input_hash}" and row.figures["caspian_cable"] == 500
        assert row.scenario_json["nodes"] == _tiny().nodes and row.shipped is None
        name = row.name
        assert service.get_study(session=db, principal=ANA, name=name).job_id == job_id
        for who in (None, OTHER):  # not a shipped or published scenario: the author's
            with pytest.raises(NotFound):
                service.get_study(session=db, principal=who, name=name)


def test_a_noted_submission_is_completed_or_failed_by_the_worker(
    committed: sessionmaker[Session], tmp_path: Path
) -> None:
    tiny = _tiny()
    with session_scope(committed) as db:
        job = jobs.submit_study(session=db, scenario=tiny, runner=None, created_by="ana")
        noted = note_submission(db, job_id=job.id, scenario=tiny, author="ana", origin="page")
        job_id, name = job.id, noted.name
        other = jobs.submit_study(
            session=db, scenario=tiny.model_copy(update={"demand_scale": 1.1}), runner=None
        )
        note_submission(db, job_id=other.id, scenario=tiny, author="ana", origin="page")
        other_id = other.id
    held = claim(committed, job_id)
    assert held is not None
    location = _result(tmp_path, held.input_hash)
    finish(committed, held, location=location, summary={}, seconds=1, data_dir=tmp_path)
    failing = claim(committed, other_id)
    assert failing is not None
    fail(committed, failing, "The solver found the problem infeasible.")
    with session_scope(committed) as db:
        done = db.query(Study).filter_by(name=name).one()
        assert (done.origin, done.state, done.folder) == (
            "page",
            "ready",
            f"jobs/{held.input_hash}",
        )
        failed = db.query(Study).filter_by(job_id=other_id).one()
        assert (failed.state, failed.error) == (
            "failed",
            "The solver found the problem infeasible.",
        )
