"""What a study works out beyond its least-cost plan, for the partners' negotiation.

- **Who gains**: the benefits by country of the Caspian cable against the study's
  counterfactual (``benefits.py``; no further solve); of the Black Sea cable against the
  same scenario without it, and so without the export it alone carries, valued at the
  export price (one more solve); of both together when the scenario asks
  (``negotiation.both_cables``, one more).
- **Who pays**: cost shares of the Caspian project from its partners' coalitions
  (``negotiation.py``; 8 solves, in parallel on the job cluster when a job runs them)
  when the scenario asks (``negotiation.cost_sharing``).
- **The carbon border**: with CBAM on (``cbam``), what it costs per MWh delivered and how
  the plan differs from the same scenario without it (``cbam.py``; one more solve).
- **What is forced and what is free**: near-optimal ranges within a cost slack
  (``mga.py``; two solves a range, in parallel on the job cluster when a job runs them)
  when the scenario names a slack.

All at the sizing solve's resolution, on its design (a refinement on the full year
moves the design afterwards: these figures are the sized plan's, as the counterfactual
is). Each part is a JSON-able table of the study summary.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from bakuhub.corridor import cbam
from bakuhub.corridor.benefits import benefits
from bakuhub.corridor.mga import DEFAULT_SLACK, check_solves, corridor_ranges
from bakuhub.corridor.negotiation import (
    CASPIAN_PROJECT,
    benefits_table,
    export_value,
    negotiate,
    without_cables,
)
from bakuhub.corridor.solve import solve_scenario
from bakuhub.i18n import _

if TYPE_CHECKING:
    from bakuhub.corridor.scenario import Scenario
    from bakuhub.corridor.solve import Progress, Solved

CABLE = "CASPIAN"
"""The cable of the study's own counterfactual (``run_study.counterfactual_of``)."""
EXPORT_CABLE = "BLACKSEA"
"""The cable to the European gateway: its benefits need a counterfactual of their own."""


@contextmanager
def cluster_executor() -> Iterator[Executor | None]:
    """The Dask cluster this code runs on, as an executor, when it runs inside a Dask
    task (a study job); None elsewhere (the command line solves one after the other).

    The job's own task leaves the worker's thread pool while it waits
    (``worker_client``), so its worker solves coalitions too.
    """
    with _cluster() as (executor, _threads):
        yield executor


@contextmanager
def _cluster() -> Iterator[tuple[Executor | None, int]]:
    """:func:`cluster_executor`, and how many tasks its workers run at once (0: none)."""
    try:
        from distributed import get_worker, worker_client

        get_worker()
    except (ImportError, ValueError):
        yield None, 0
        return
    with worker_client() as client:
        yield client.get_executor(), sum(client.nthreads().values())


def cost_shares(
    scenario: Scenario, *, resolution: str | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """The Caspian project's cost shares: its coalitions solved in parallel on the job
    cluster when there is one (:func:`cluster_executor`)."""
    say = progress or (lambda _line: None)
    say(_("cost shares: the Caspian partners' coalitions, one solve each"))
    with cluster_executor() as executor:
        return negotiate(
            scenario, CASPIAN_PROJECT, resolution=resolution, executor=executor, progress=say
        )


def _present(sized: Solved, cable: str) -> bool:
    """Whether the solved network has the cable (in the dataset, not turned off)."""
    links = sized.network.links.index
    return any(name in links for name in (cable, f"{cable} fwd", f"{cable} expansion"))


def _benefits_without(
    sized: Solved,
    cables: list[str],
    resolution: str | None,
    say: Progress,
    solver_log: bool,
    own_days: tuple[int, ...] = (),
) -> dict[str, Any]:
    """Benefits of ``cables`` against the same scenario without them (one solve)."""
    say(_("benefits: the same scenario without {cables}").format(cables=", ".join(cables)))
    scenario = sized.scenario
    without = solve_scenario(
        without_cables(scenario, cables),
        resolution=resolution,
        progress=say,
        solver_log=solver_log,
        own_days=own_days,
    )
    found = benefits(
        sized.network, without.network, cables, export_price_eur_mwh=export_value(scenario)
    )
    return benefits_table(found)


def near_optimal(
    sized: Solved, *, select: list[str] | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """The scenario's near-optimal ranges (of every target, or those named in
    ``select``): one run of targets a worker thread of the job cluster when there is
    one (:func:`cluster_executor`), else one after the other."""
    options = sized.scenario.negotiation
    slack = options.near_optimal_slack
    with _cluster() as (executor, threads):
        return corridor_ranges(
            sized,
            slack=DEFAULT_SLACK if slack is None else slack,
            select=select,
            max_solves=options.near_optimal_max_solves,
            progress=progress,
            executor=executor,
            tasks=threads or None,
        )


def check_asked(sized: Solved) -> None:
    """Refuse, right after the sizing solve, near-optimal ranges that would need more
    solves than the scenario allows (before the study spends its other solves)."""
    options = sized.scenario.negotiation
    if options.near_optimal_slack is not None:
        check_solves(sized.network, options.near_optimal_max_solves)


def analyse(
    sized: Solved,
    counterfactual: Solved | None,
    *,
    resolution: str | None = None,
    progress: Progress | None = None,
    solver_log: bool = False,
    own_days: tuple[int, ...] = (),
) -> dict[str, Any]:
    """The summary's ``benefits``, ``cost_sharing``, ``cbam`` and ``near_optimal`` parts
    (each only where it applies or the scenario asks). ``own_days``: the peak days
    ``sized`` was solved with (``peak_days.py``); every solve compared with it takes the
    same days (the coalitions of the cost shares are compared among themselves)."""
    say = progress or (lambda _line: None)
    scenario = sized.scenario
    out: dict[str, Any] = {}
    options = scenario.negotiation
    if counterfactual is not None:
        price = export_value(scenario)
        found = benefits(sized.network, counterfactual.network, [CABLE], export_price_eur_mwh=price)
        out["benefits"] = benefits_table(found)
        more = [[EXPORT_CABLE]] if _present(sized, EXPORT_CABLE) else []
        if more and options.both_cables and _present(sized, CABLE):
            more.append([CABLE, EXPORT_CABLE])
        out["benefits_more"] = [
            _benefits_without(sized, cables, resolution, say, solver_log, own_days)
            for cables in more
        ]
    if options.cost_sharing:
        out["cost_sharing"] = cost_shares(scenario, resolution=resolution, progress=say)
    if scenario.cbam.mode != "off":
        say(_("carbon border: the same scenario without CBAM"))
        base = solve_scenario(
            cbam.without_cbam(scenario),
            resolution=resolution,
            progress=say,
            solver_log=solver_log,
            own_days=own_days,
        )
        out["cbam"] = cbam.compare(base.network, sized.network, scenario)
    if options.near_optimal_slack is not None:
        out["near_optimal"] = near_optimal(sized, progress=say)
    return out
