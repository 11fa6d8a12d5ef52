"""Scenario inputs from outside never reach a server file, and jobs have owners:
solver options are an allow-list (no keyword that names a file), data paths and
scenario names cannot probe or read the disk, YAML alias bombs are refused, only
analysts queue studies (within a per-user limit), a user cancels only its own jobs,
and the public sees jobs redacted."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import bakuhub
from bakuhub.config import Settings
from bakuhub.corridor.scenario import (
    load_scenario,
    shipped_scenario,
    shipped_scenario_path,
)
from bakuhub.errors import InvalidInput
from bakuhub.jobs import service
from bakuhub.jobs.models import Job, JobResult

JOBS = "/api/v1/jobs"
INSTALL = str(Path(bakuhub.__file__).parent)
SCENARIOS = Path(INSTALL) / "datasets" / "scenarios"
BOMB = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{x}: &{x} [{', '.join([f'*{p}'] * 9)}]"
            for p, x in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "name: bomb",
        "year: 2030",
        "description: *i",
    ]
)
"""Nine levels of nine aliases: 9^9 (387 million) strings once expanded, in 550 bytes."""


def _scenario(**changes: Any) -> dict[str, Any]:
    return {"name": "probe", "year": 2030, **changes}


def _queued(session: Session, user: str, price: float, resolution: str | None = None) -> Job:
    """A queued job of ``user`` (not handed to Dask: nothing runs)."""
    base = shipped_scenario("reference-2030")
    scenario = base.model_copy(update={"co2": base.co2.model_copy(update={"price_eur_t": price})})
    job = service.submit_study(
        session=session, scenario=scenario, runner=None, resolution=resolution, created_by=user
    )
    session.commit()
    return job


def _active_jobs(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Job)) or 0)


# -- solver options: an allow-list --------------------------------------------------


@pytest.mark.parametrize("keyword", ["solution_fn", "problem_fn", "log_file", "solution_file"])
def test_a_solver_keyword_naming_a_file_is_refused_and_the_file_stays(
    client: TestClient, session: Session, tmp_path: Path, keyword: str
) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me", encoding="utf-8")
    scenario = _scenario(solver={"name": "highs", "options": {keyword: str(victim)}})
    answer = client.post(JOBS, json={"scenario": scenario})
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert f"solver.options.{keyword}: is not a solver option" in detail
    assert "time_limit_s" in detail  # says what is allowed
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert _active_jobs(session) == 0


def test_solver_options_are_typed_and_bounded(client: TestClient) -> None:
    cases = {
        "solver.options.threads": {"threads": 10**6},
        "solver.options.time_limit_s": {"time_limit_s": -1},
        "solver.options.method": {"method": "barrier; rm -rf"},
        "solver: highs does not take x_scale": {"x_scale": 10},
    }
    for expected, options in cases.items():
        scenario = _scenario(solver={"name": "highs", "options": options})
        answer = client.post(JOBS, json={"scenario": scenario})
        assert answer.status_code == 422 and expected in answer.json()["detail"], answer.text


# -- data paths are the operator's ------------------------------------------------------


def test_weather_path_from_the_api_is_refused_without_naming_the_disk(
    client: TestClient, tmp_path: Path
) -> None:
    there = tmp_path / "agora-central-asia"
    there.mkdir()
    answers = [
        client.post(JOBS, json={"scenario": _scenario(weather={"source": "agora", "path": p})})
        for p in (str(tmp_path), str(tmp_path / "nowhere"), "/etc")
    ]
    for answer in answers:
        assert answer.status_code == 422, answer.text
        text = answer.text
        assert "data paths are for the command line and the operator" in text
        assert str(tmp_path) not in text and "/etc" not in text
    # an existing and a missing folder give the same answer: nothing to probe
    assert answers[0].json() == answers[1].json() == answers[2].json()
    agora = client.post(JOBS, json={"scenario": _scenario(weather={"source": "agora"})})
    assert agora.status_code == 422 and "shipped weather only" in agora.json()["detail"]


def test_the_command_line_keeps_its_data_paths(tmp_path: Path) -> None:
    file = tmp_path / "mine.yaml"
    file.write_text(
        f"name: mine\nyear: 2030\nweather: {{source: agora, path: {tmp_path}}}\n",
        encoding="utf-8",
    )
    assert load_scenario(file).weather.path == str(tmp_path)


def test_a_scenario_name_is_a_folder_name_only(client: TestClient) -> None:
    answer = client.post(JOBS, json={"scenario": _scenario(name="../../outside")})
    assert answer.status_code == 422 and "no slash" in answer.json()["detail"]


# -- shipped names only ---------------------------------------------------------------


def test_a_dotted_scenario_name_reads_no_yaml_from_the_server(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("api_key: hunter2\nname: leaked\nyear: 2030\n", encoding="utf-8")
    relative = os.path.relpath(secret.with_suffix(""), SCENARIOS)
    assert relative.startswith("..")
    for name in (relative, str(secret.with_suffix("")), "../scenarios/reference-2030"):
        answer = client.post(JOBS, json={"scenario": name})
        assert answer.status_code == 422, answer.text
        text = answer.text
        assert "not the name of a shipped scenario" in text
        assert "api_key" not in text and "hunter2" not in text and INSTALL not in text
        page = client.post("/corridor/run", data={"scenario": name})
        assert page.status_code == 422 and "api_key" not in page.text and INSTALL not in page.text
        assert shipped_scenario_path(name) is None
    assert _active_jobs(session) == 0


# -- YAML alias bombs ---------------------------------------------------------------------


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    assert bomb.stat().st_size < 600
    with pytest.raises(InvalidInput, match="anchors and aliases"):
        load_scenario(bomb)
    from bakuhub.jobs.sweep import load_sweep

    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("name: s\nbase: &b reference-2030\ngrid: {co2.price_eur_t: [1]}\n")
    with pytest.raises(InvalidInput, match="anchors and aliases"):
        load_sweep(sweep)


def test_an_oversized_scenario_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("name: big\nyear: 2030\ndescription: " + "x" * 300_000 + "\n")
    with pytest.raises(InvalidInput, match="larger than 256 KiB"):
        load_scenario(big)


# -- who may run and cancel -------------------------------------------------------------


def test_a_viewer_cannot_queue_a_study(
    client_as: Callable[..., TestClient], session: Session
) -> None:
    viewer = client_as("viewer", username="vera")
    answer = viewer.post(JOBS, json={"scenario": "reference-2030"})
    assert answer.status_code == 403 and "focal point or above" in answer.json()["detail"]
    page = viewer.post("/corridor/run", data={"scenario": "reference-2030"})
    assert page.status_code == 403
    assert _active_jobs(session) == 0


def test_only_the_author_or_the_secretariat_cancels_a_job(
    client_as: Callable[..., TestClient], session: Session
) -> None:
    viewer = client_as("viewer", username="vera")
    other = client_as("focal_point", username="omar")
    author = client_as("focal_point", username="alice")
    staff = client_as("secretariat", username="sam")
    mine, theirs = _queued(session, "alice", 1).id, _queued(session, "alice", 2).id
    for intruder in (viewer, other):
        refused = intruder.post(f"{JOBS}/{mine}/cancel")
        assert refused.status_code == 403, refused.text
        assert "only your own" in refused.json()["detail"]
    assert author.get(f"{JOBS}/{mine}").json()["state"] == "queued"
    assert author.post(f"{JOBS}/{mine}/cancel").json()["state"] == "cancelled"
    assert staff.post(f"{JOBS}/{theirs}/cancel").json()["state"] == "cancelled"
    assert staff.get(f"{JOBS}/{theirs}").json()["message"] == "cancelled by sam"


def test_a_user_has_a_limited_number_of_active_jobs(
    client_as: Callable[..., TestClient], session: Session
) -> None:
    analyst = client_as("focal_point", username="alice")
    jobs = [_queued(session, "alice", price) for price in (1, 2, 3, 4)]  # the default limit
    before = _active_jobs(session)
    answer = analyst.post(JOBS, json={"scenario": "reference-2030"})
    assert answer.status_code == 429, answer.text
    assert "at most 4 at once" in answer.json()["detail"]
    assert _active_jobs(session) == before
    # the same inputs as a queued job add no work: answered with that job
    same = jobs[0].inputs["scenario"]
    joined = analyst.post(JOBS, json={"scenario": same})
    assert joined.status_code == 202 and joined.json()["id"] == jobs[0].id
    assert _active_jobs(session) == before


def test_one_fine_resolution_study_at_a_time(
    client_as: Callable[..., TestClient], session: Session
) -> None:
    analyst = client_as("focal_point", username="alice")
    _queued(session, "alice", 1, resolution="hourly")
    before = _active_jobs(session)
    for resolution in ("hourly", "2h", "segments:5000"):
        answer = analyst.post(JOBS, json={"scenario": "reference-2030", "resolution": resolution})
        assert answer.status_code == 429, answer.text
        assert "fine-resolution study" in answer.json()["detail"]
    assert _active_jobs(session) == before


# -- what the public sees --------------------------------------------------------------------


HIDDEN = ("created_by", "worker", "inputs", "log", "message", "error", "input_hash", "batch")


def test_anonymous_readers_see_jobs_redacted(
    client_as: Callable[..., TestClient], anon_client: TestClient, session: Session
) -> None:
    viewer = client_as("viewer", username="vera")
    job = _queued(session, "alice-the-author", 1)
    job.worker = "node-7.internal:4242"
    job.log = "12:00:00 loading data for 2030 from /srv/secret/path\n"
    session.commit()

    listed = anon_client.get(JOBS).json()
    shown = anon_client.get(f"{JOBS}/{job.id}").json()
    for body in (listed[0], shown):
        assert body["id"] == job.id and body["state"] == "queued"
        assert not set(HIDDEN) & set(body), body
    page = anon_client.get(f"/corridor/jobs/{job.id}").text
    corridor = anon_client.get("/corridor").text
    for text in (str(listed), str(shown), page, corridor):
        assert "alice-the-author" not in text and "node-7" not in text and "/srv/secret" not in text

    full = viewer.get(f"{JOBS}/{job.id}").json()
    assert full["created_by"] == "alice-the-author" and full["worker"] == "node-7.internal:4242"
    assert full["inputs"]["scenario"]["name"] == "reference-2030"
    assert "alice-the-author" in viewer.get(f"/corridor/jobs/{job.id}").text


def test_a_failed_study_shows_the_public_no_trace_or_server_path(
    anon_client: TestClient, settings: Settings
) -> None:
    folder = settings.data_dir / "studies" / "reference-2030"
    folder.mkdir(parents=True)
    status = {
        "state": "failed",
        "error": "SolveError (details in the server log)",
        "trace": 'File "/srv/bakuhub/secret.py", line 1',
    }
    (folder / "status.json").write_text(json.dumps(status), encoding="utf-8")
    listed = anon_client.get("/api/v1/corridor/studies").json()
    assert listed == [{"name": "reference-2030", "state": "failed", "error": status["error"]}]


def test_a_jobs_input_file_is_for_signed_in_readers(
    client_as: Callable[..., TestClient],
    anon_client: TestClient,
    session: Session,
    tmp_path: Path,
) -> None:
    viewer = client_as("viewer", username="vera")
    folder = tmp_path / "result"
    folder.mkdir()
    (folder / "scenario.yaml").write_text("name: x\n", encoding="utf-8")
    (folder / "report.html").write_text("<p>report</p>", encoding="utf-8")
    job = _queued(session, "alice", 1)
    job.state = "succeeded"
    job.result = JobResult(
        kind=job.kind,
        input_hash=job.input_hash,
        location=str(folder),
        summary={"scenario": "reference-2030"},
        compute_seconds=1.0,
    )
    session.commit()
    public = anon_client.get(f"{JOBS}/{job.id}/result").json()
    assert public["files"] == ["report.html"]
    assert anon_client.get(f"{JOBS}/{job.id}/result/report.html").status_code == 200
    assert anon_client.get(f"{JOBS}/{job.id}/result/scenario.yaml").status_code == 401
    assert viewer.get(f"{JOBS}/{job.id}/result").json()["files"] == ["report.html", "scenario.yaml"]
    assert viewer.get(f"{JOBS}/{job.id}/result/scenario.yaml").text == "name: x\n"
