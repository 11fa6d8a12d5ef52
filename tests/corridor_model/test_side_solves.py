"""Side solves: a study's counterfactual and analyses' solves beside its main path, in
fresh processes, with the same results as one after the other."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time

import psutil
import pytest

from bakuhub.corridor.processes import Processes, TaskDied
from bakuhub.corridor.run_study import run_study
from bakuhub.corridor.scenario import Scenario, load_scenario

SMALL = ["KZ_WS", "AZ_SUM", "GE_GAR", "GE_ANA", "RO_CON"]
"""Five nodes of the reference: both HVDC cables, the export gateway."""


def _children() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True)}


def test_a_task_runs_in_a_fresh_process_and_its_errors_come_back() -> None:
    with Processes(2) as pool:
        assert pool.submit(os.getpid).result() != os.getpid()
        assert pool.submit(divmod, 17, 5).result() == (3, 2)
        # the task's own exception, with its type and words
        with pytest.raises(ValueError, match="invalid literal"):
            pool.submit(int, "seventeen").result()
        # a process that dies without an answer says so, with its exit status
        with pytest.raises(TaskDied, match="exit status 3"):
            pool.submit(os._exit, 3).result()
        # leaving without an error waits for what was submitted
        last = [pool.submit(divmod, 7, k) for k in (1, 2, 3)]
    assert [f.result() for f in last] == [(7, 0), (3, 1), (2, 1)]


def test_leaving_on_an_error_stops_the_running_tasks_and_drops_the_waiting_ones() -> None:
    before = _children()
    with pytest.raises(KeyError), Processes(1) as pool:
        running = pool.submit(time.sleep, 120)
        waiting = pool.submit(time.sleep, 120)
        for _ in range(100):  # until the first task's process is there
            if _children() - before:
                break
            time.sleep(0.1)
        assert _children() - before
        raise KeyError("the study failed")
    assert waiting.cancelled()
    with pytest.raises(TaskDied):
        running.result()
    assert not (_children() - before)


def _ended(process: psutil.Process) -> bool:
    try:
        return bool(process.status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True


def test_a_task_ends_when_its_caller_is_killed() -> None:
    caller = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from bakuhub.corridor.processes import Processes; "
            "Processes(1).submit(time.sleep, 300); time.sleep(300)",
        ]
    )
    try:
        tasks: list[psutil.Process] = []
        for _ in range(300):  # until the caller has started its task's process
            tasks = psutil.Process(caller.pid).children()
            if tasks:
                break
            time.sleep(0.1)
        assert tasks, "the caller started no task"
        caller.kill()  # no block left, nothing cleaned up
        caller.wait()
        for _ in range(600):  # it ends by itself, within seconds
            if _ended(tasks[0]):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the task outlived its caller by a minute")
    finally:
        caller.kill()
        for task in tasks:
            with contextlib.suppress(psutil.NoSuchProcess):
                task.kill()


def _summary_figures(summary: dict, prefix: str = "") -> dict[str, object]:
    """Every figure of a summary by its path, the seconds (timings) left out."""
    out: dict[str, object] = {}
    items = summary.items() if isinstance(summary, dict) else enumerate(summary)
    for key, value in items:
        path = f"{prefix}.{key}"
        if isinstance(value, dict | list):
            out.update(_summary_figures(value, path))  # type: ignore[arg-type]
        elif "seconds" not in str(key):
            out[path] = value
    return out


def test_a_study_with_side_solves_reports_what_it_reports_one_solve_after_the_other() -> None:
    data = load_scenario("reference-2030").model_dump(mode="json")
    data.update(nodes=SMALL, resolution="repdays:1/2", real_year_check=False)
    scenario = Scenario.model_validate(data)
    before = _children()
    studies, said = {}, {}
    for processes in (1, 0):
        lines: list[str] = []
        studies[processes] = run_study(
            scenario, progress=lines.append, side_processes=processes
        ).summary
        said[processes] = lines
    beside, inline = studies[1], studies[0]
    # the counterfactual and the Black Sea cable's "without" solve both ran
    assert beside["counterfactual"]["total_system_cost_eur_a"] > 0
    assert len(beside["benefits_more"]) == 1
    assert _summary_figures(beside) == _summary_figures(inline)
    # the progress names each side solve when it is queued and shows its lines: as many
    # as one after the other (a job counts them)
    queued = [line for line in said[1] if "(queued to run beside the main design)" in line]
    assert len(queued) == 2, said[1]
    assert len(said[1]) == len(said[0])
    assert not (_children() - before)  # no side process left behind


def _side_solves_run_inline() -> bool:
    from bakuhub.corridor.side_solves import side_solves

    with side_solves(processes=2) as side:
        return side.executor is None


def test_in_a_job_the_side_solves_run_inline_on_the_jobs_own_thread() -> None:
    """A job holds one thread of the job cluster, whose workers set how much runs at
    once: its side solves neither start processes nor leave the thread pool."""
    from distributed import Client, LocalCluster

    assert not _side_solves_run_inline()  # here, two side processes
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        assert client.submit(_side_solves_run_inline, pure=False).result()
