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

from typing import TYPE_CHECKING, Any, NamedTuple

from bakuhub.corridor import cbam
from bakuhub.corridor.benefits import benefits
from bakuhub.corridor.cluster import cluster, cluster_executor
from bakuhub.corridor.mga import DEFAULT_SLACK, check_solves, corridor_ranges
from bakuhub.corridor.negotiation import (
    CASPIAN_PROJECT,
    benefits_table,
    export_value,
    negotiate,
    without_cables,
)
from bakuhub.corridor.scenario import Scenario
from bakuhub.corridor.side_solves import SideSolves
from bakuhub.i18n import _

if TYPE_CHECKING:
    from bakuhub.corridor.solve import Progress, Solved

CABLE = "CASPIAN"
"""The cable of the study's own counterfactual (``run_study.counterfactual_of``)."""
EXPORT_CABLE = "BLACKSEA"
"""The cable to the European gateway: its benefits need a counterfactual of their own."""


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


class AnalysisSolve(NamedTuple):
    """A solve of the analyses: its key among the side solves, the progress line that
    names it, its scenario, and the cables it is without (none: the carbon border's)."""

    key: str
    label: str
    scenario: Scenario
    cables: tuple[str, ...] = ()


CBAM_KEY = "without CBAM"


def analysis_solves(sized: Solved, *, benefits_asked: bool) -> list[AnalysisSolve]:
    """The solves :func:`analyse` needs beyond the study's own: the "without" scenarios
    of the benefits (when the study has its counterfactual: ``benefits_asked``) and of
    the carbon border."""
    scenario = sized.scenario
    todo = []
    if benefits_asked:
        more = [[EXPORT_CABLE]] if _present(sized, EXPORT_CABLE) else []
        if more and scenario.negotiation.both_cables and _present(sized, CABLE):
            more.append([CABLE, EXPORT_CABLE])
        for cables in more:
            label = _("benefits: the same scenario without {cables}").format(
                cables=", ".join(cables)
            )
            key = "without " + "+".join(cables)
            todo.append(AnalysisSolve(key, label, without_cables(scenario, cables), tuple(cables)))
    if scenario.cbam.mode != "off":
        label = _("carbon border: the same scenario without CBAM")
        todo.append(AnalysisSolve(CBAM_KEY, label, cbam.without_cbam(scenario)))
    return todo


def submit_analyses(
    side: SideSolves,
    sized: Solved,
    *,
    benefits_asked: bool,
    resolution: str | None = None,
    solver_log: bool = False,
    own_days: tuple[int, ...] = (),
) -> None:
    """Start the solves of :func:`analysis_solves` not yet started (beside the study's
    main path where ``side`` runs them so)."""
    for task in analysis_solves(sized, benefits_asked=benefits_asked):
        if task.key not in side:
            side.submit(
                task.key,
                task.label,
                task.scenario,
                resolution=resolution,
                own_days=own_days,
                solver_log=solver_log,
            )


def near_optimal(
    sized: Solved, *, select: list[str] | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """The scenario's near-optimal ranges (of every target, or those named in
    ``select``): one run of targets a worker thread of the job cluster when there is
    one (:func:`cluster_executor`), else one after the other."""
    options = sized.scenario.negotiation
    slack = options.near_optimal_slack
    with cluster() as (executor, threads):
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
    side: SideSolves | None = None,
) -> dict[str, Any]:
    """The summary's ``benefits``, ``cost_sharing``, ``cbam`` and ``near_optimal`` parts
    (each only where it applies or the scenario asks). ``own_days``: the peak days
    ``sized`` was solved with (``peak_days.py``); every solve compared with it takes the
    same days (the coalitions of the cost shares are compared among themselves).
    ``side``: the study's side solves, where :func:`submit_analyses` may have started
    the "without" solves already (else they are solved here, one after the other)."""
    say = progress or (lambda _line: None)
    scenario = sized.scenario
    out: dict[str, Any] = {}
    options = scenario.negotiation
    side = side or SideSolves(None, say)
    asked = counterfactual is not None
    submit_analyses(
        side,
        sized,
        benefits_asked=asked,
        resolution=resolution,
        solver_log=solver_log,
        own_days=own_days,
    )
    tasks = analysis_solves(sized, benefits_asked=asked)
    price = export_value(scenario)
    if counterfactual is not None:
        found = benefits(sized.network, counterfactual.network, [CABLE], export_price_eur_mwh=price)
        out["benefits"] = benefits_table(found)
        out["benefits_more"] = []
        for task in (t for t in tasks if t.cables):
            without = side.result(task.key).network
            found = benefits(sized.network, without, list(task.cables), export_price_eur_mwh=price)
            out["benefits_more"].append(benefits_table(found))
    if options.cost_sharing:
        out["cost_sharing"] = cost_shares(scenario, resolution=resolution, progress=say)
    if any(t.key == CBAM_KEY for t in tasks):
        base = side.result(CBAM_KEY)
        out["cbam"] = cbam.compare(base.network, sized.network, scenario)
    if options.near_optimal_slack is not None:
        out["near_optimal"] = near_optimal(sized, progress=say)
    return out
