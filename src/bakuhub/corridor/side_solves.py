"""Side solves: the solves of a study that its main path does not wait for.

A study sizes its scenario, checks the design on the full year and may re-size it with
the days it fell short on (the main path, one solve after the other). Its counterfactual
(no Caspian cable) and the analyses' "without" solves (no Black Sea cable, both cables,
no CBAM) need only the scenario and the peak days the design ends with, so they can run
beside the main path from the moment those days are known, in a second process on
another core (a fresh Python, ``processes.py``: safe from a threaded server, a daemonic
process or a script without a main guard). On one core, and in a job (the job cluster's
workers already share out the cores, one job a thread), they run inline, where the
study asks for their result, as before.

The results are the same as inline: the same function solves the same scenario; a
side solve returns its network without the linopy model (the study reads only its
solution) and its progress lines, which the study's progress shows when it collects the
result (so a job counts the same lines either way).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass

from bakuhub import i18n
from bakuhub.corridor.cluster import in_dask_task
from bakuhub.corridor.processes import Processes
from bakuhub.corridor.scenario import Scenario
from bakuhub.corridor.solve import Progress, Solved, solve_scenario
from bakuhub.i18n import _

MAX_PROCESSES = 2
"""Side processes at most on one machine (each holds a sizing model: 1-3 GB for the
reference scenario at its default resolution)."""


def solve_detached(
    scenario: Scenario,
    resolution: str | None,
    own_days: tuple[int, ...],
    solver_log: bool,
    language: str,
) -> tuple[Solved, list[str]]:
    """A side solve's task (in another process): the solved
    scenario without its linopy model, and the progress lines it said."""
    lines: list[str] = []
    with i18n.use(language):
        solved = solve_scenario(
            scenario,
            resolution=resolution,
            progress=lines.append,
            solver_log=solver_log,
            own_days=own_days,
        )
    del solved.network.model  # the study reads the solution only; the model is large
    return solved, lines


@dataclass
class _Task:
    label: str
    run: Callable[[], Solved]
    future: Future[tuple[Solved, list[str]]] | None = None
    solved: Solved | None = None


class SideSolves:
    """Side solves by key: :meth:`submit` starts one (or keeps it for later when there
    is nowhere to run it), :meth:`result` returns it, saying its progress. A solve not
    started by the time the study waits for one is solved here instead: the study's own
    process has nothing else to do then."""

    def __init__(self, executor: Executor | None, progress: Progress | None = None) -> None:
        self.executor = executor
        self.say = progress or (lambda _line: None)
        self._tasks: dict[str, _Task] = {}

    def submit(
        self,
        key: str,
        label: str,
        scenario: Scenario,
        *,
        resolution: str | None = None,
        own_days: tuple[int, ...] = (),
        solver_log: bool = False,
    ) -> None:
        """Start solving ``scenario`` beside the main path (``label``: the progress line
        that names it, said now when it starts, else when it is solved here)."""
        if key in self._tasks:
            raise ValueError(f"side solve {key!r} submitted twice")

        def run() -> Solved:
            return solve_scenario(
                scenario,
                resolution=resolution,
                progress=self.say,
                solver_log=solver_log,
                own_days=own_days,
            )

        task = _Task(label, run)
        self._tasks[key] = task
        if self.executor is None:
            return
        self.say(_("{task} (queued to run beside the main design)").format(task=label))
        args = (scenario, resolution, tuple(own_days), solver_log, i18n.current())
        task.future = self.executor.submit(solve_detached, *args)

    def __contains__(self, key: str) -> bool:
        return key in self._tasks

    def result(self, key: str) -> Solved:
        """The solved side scenario (a solve's error is raised here). While it runs
        elsewhere, the side solves not started yet are solved here."""
        task = self._tasks[key]
        if task.solved is None and not self._here(task):
            for other in self._tasks.values():
                if other is not task and other.solved is None:
                    self._here(other)
        if task.solved is None:
            assert task.future is not None
            solved, lines = task.future.result()
            for line in lines:
                self.say(line)
            task.solved = solved
        return task.solved

    def _here(self, task: _Task) -> bool:
        """Solve ``task`` in this process if it has not started elsewhere."""
        if task.future is not None and not task.future.cancel():
            return False
        if task.future is None:  # said when it started, if it did
            self.say(task.label)
        task.solved = task.run()
        return True


def side_processes() -> int:
    """How many side processes this machine gives a study: a core each beside the main
    path's, at most :data:`MAX_PROCESSES`; 0 on one core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(0, min((cores or 1) - 1, MAX_PROCESSES))


@contextmanager
def side_solves(
    progress: Progress | None = None, *, processes: int | None = None
) -> Iterator[SideSolves]:
    """Side solves for one study, in ``processes`` side processes (default
    :func:`side_processes`; 0: inline). Inside a Dask task (a job) they run inline: the
    job holds one thread of the job cluster, whose workers set how much runs at once.
    Leaving the block on an error stops what is still running (a study that failed or
    was cancelled leaves no solve behind)."""
    count = side_processes() if processes is None else processes
    if count <= 0 or in_dask_task():
        yield SideSolves(None, progress)
        return
    with Processes(count) as pool:
        yield SideSolves(pool, progress)
