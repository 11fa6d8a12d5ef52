"""What a study works out beyond its least-cost plan, for the partners' negotiation.

- **Who gains**: the benefits by country of the Caspian cable against the study's
  counterfactual (``benefits.py``; no further solve).
- **Who pays**: cost shares of the Caspian project from its partners' coalitions
  (``negotiation.py``; 8 solves, in parallel on the job cluster when a job runs them)
  when the scenario asks (``negotiation.cost_sharing``).
- **The carbon border**: with CBAM on (``cbam``), what it costs per MWh delivered and how
  the plan differs from the same scenario without it (``cbam.py``; one more solve).
- **What is forced and what is free**: near-optimal ranges within a cost slack
  (``mga.py``; two solves a range) when the scenario names a slack.

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
from bakuhub.corridor.mga import check_solves, corridor_ranges
from bakuhub.corridor.negotiation import CASPIAN_PROJECT, benefits_table, negotiate
from bakuhub.corridor.solve import solve_scenario
from bakuhub.i18n import _

if TYPE_CHECKING:
    from bakuhub.corridor.scenario import Scenario
    from bakuhub.corridor.solve import Progress, Solved

CABLE = "CASPIAN"


@contextmanager
def cluster_executor() -> Iterator[Executor | None]:
    """The Dask cluster this code runs on, as an executor, when it runs inside a Dask
    task (a study job); None elsewhere (the command line solves one after the other).

    The job's own task leaves the worker's thread pool while it waits
    (``worker_client``), so its worker solves coalitions too.
    """
    try:
        from distributed import get_worker, worker_client

        get_worker()
    except (ImportError, ValueError):
        yield None
        return
    with worker_client() as client:
        yield client.get_executor()


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
) -> dict[str, Any]:
    """The summary's ``benefits``, ``cost_sharing``, ``cbam`` and ``near_optimal`` parts
    (each only where it applies or the scenario asks)."""
    say = progress or (lambda _line: None)
    scenario = sized.scenario
    out: dict[str, Any] = {}
    if counterfactual is not None:
        found = benefits(sized.network, counterfactual.network, [CABLE])
        out["benefits"] = benefits_table(found)
    options = scenario.negotiation
    if options.cost_sharing:
        out["cost_sharing"] = cost_shares(scenario, resolution=resolution, progress=say)
    if scenario.cbam.mode != "off":
        say(_("carbon border: the same scenario without CBAM"))
        base = solve_scenario(
            cbam.without_cbam(scenario), resolution=resolution, progress=say, solver_log=solver_log
        )
        out["cbam"] = cbam.compare(base.network, sized.network, scenario)
    if options.near_optimal_slack is not None:
        out["near_optimal"] = corridor_ranges(
            sized,
            slack=options.near_optimal_slack,
            max_solves=options.near_optimal_max_solves,
            progress=say,
        )
    return out
