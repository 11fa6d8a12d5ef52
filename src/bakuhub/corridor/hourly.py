"""The corridor's full hourly capacity expansion, on the weather year the scenario
names, by Benders decomposition (:mod:`bakuhub.corridor.decompose`).

The monolithic hourly LP (1.2 million variables, 2.5 million rows on the reference
scenario) did not solve within 10 minutes on 2 cores with any solver here (see
``docs/corridor-benchmark.md``). Decomposed, it is one operating LP of the same size
with the capacities fixed, solved again for each design the master proposes, starting
from the design of the scenario's own aggregated solve.

The operating LP is the hourly expansion's, except that the export target and the
national renewable shares are soft (a shortfall at the real-year check's penalty,
half the value of lost load, and at the value of lost load): it must be feasible for
any design. The penalty is exact when the best design meets them, which the result
says (``shortfall``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bakuhub import i18n
from bakuhub.corridor import constraints as con
from bakuhub.corridor.costs import RENEWABLE_CARRIERS
from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.decompose import Decomposed, Step, decompose
from bakuhub.corridor.network import EXPORT, build_network
from bakuhub.corridor.real_year import (
    CAPACITIES,
    EXPORT_PENALTY_OF_VOLL,
    define_soft_export_target,
    weather_year,
)
from bakuhub.corridor.scenario import Scenario
from bakuhub.corridor.solve import Progress, Solved, add_co2_cap
from bakuhub.corridor.temporal import Temporal, blocks
from bakuhub.i18n import _, number

if TYPE_CHECKING:
    import pypsa


@dataclass
class HourlyOptimum:
    """The hourly expansion's best design, bounds and the solved hourly network."""

    network: pypsa.Network
    temporal: Temporal
    result: Decomposed
    weather: str
    build_s: float
    seconds: float
    shortfall_mwh: dict[str, float]

    def summary(self) -> dict[str, Any]:
        """Figures for a program (costs in EUR/a)."""
        r = self.result
        return {
            "weather": self.weather,
            "upper_eur_a": r.upper,
            "lower_eur_a": r.lower,
            "gap_rel": r.gap,
            "converged": r.converged,
            "evaluations": len(r.steps),
            "build_s": self.build_s,
            "seconds": self.seconds,
            "boxed": r.boxed,
            "shortfall_mwh": self.shortfall_mwh,
        }


def start_design(design: pypsa.Network) -> dict[tuple[str, str], float]:
    """The sized capacities of a solved network, keyed as the decomposition keys them."""
    out: dict[tuple[str, str], float] = {}
    for listing, attr in CAPACITIES.items():
        table = getattr(design, listing)
        ext = table.index[table[f"{attr}_extendable"].astype(bool)]
        for name in ext:
            out[(listing, str(name))] = max(float(table.at[name, f"{attr}_opt"]), 0.0)
    return out


def hourly_network(scenario: Scenario) -> tuple[pypsa.Network, Temporal, str]:
    """The scenario's network on the 8,760 hours of its weather, capacities extendable,
    with its model: the hourly expansion with soft annual targets."""
    hourly, source = weather_year(scenario)
    temporal = blocks(hourly, 1, "hourly")
    data = load_dataset(scenario.year, scenario.costs.cable_cost)
    n = build_network(scenario, data, temporal)
    add_co2_cap(n, scenario)
    define_expansion(n, scenario)
    return n, temporal, source


def define_expansion(n: pypsa.Network, scenario: Scenario) -> None:
    """The hourly expansion's model on ``n`` (any snapshots; its CO2 cap added): PyPSA's
    own, one capacity per cable and per battery inverter, the export target and the
    renewable shares soft."""
    n.optimize.create_model(include_objective_constant=False)
    con.define_shared_link_capacity(n)
    con.define_battery_power_balance(n)
    voll = scenario.voll_eur_mwh
    if scenario.europe.mode == "target" and EXPORT in n.generators.index:
        target = scenario.europe.export_twh * 1e6
        define_soft_export_target(n, EXPORT, target, EXPORT_PENALTY_OF_VOLL * voll)
    for country, share in scenario.renewable_targets.items():
        con.define_renewable_share(n, country, share, RENEWABLE_CARRIERS, penalty=voll)


def solve_hourly(
    scenario: Scenario,
    start: pypsa.Network | None = None,
    *,
    tolerance: float = 1e-3,
    time_limit_s: float = 1800.0,
    max_evaluations: int = 80,
    workers: int = 1,
    progress: Progress | None = None,
) -> HourlyOptimum:
    """The hourly expansion of ``scenario`` by Benders, from ``start``'s design
    (``workers``: operating solves at once, in forked processes: not from a threaded
    server, so a study's refinement keeps to one)."""
    say = progress or (lambda _line: None)
    started = time.perf_counter()
    n, temporal, source = hourly_network(scenario)
    built = time.perf_counter()
    say(
        _(
            "hourly refinement: {variables} variables, {constraints} constraints; one "
            "operating solve of the year per design"
        ).format(variables=number(int(n.model.nvars)), constraints=number(int(n.model.ncons)))
    )
    result = decompose(
        n,
        start=start_design(start) if start is not None else None,
        tolerance=tolerance,
        max_evaluations=max_evaluations,
        time_limit_s=time_limit_s,
        workers=workers,
        on_step=lambda k, step: say(step_line(k, step)),
    )
    shortfall = {
        name: float(n.model[name].solution.sum())
        for name in n.model.variables
        if name == "export_shortfall" or name.startswith("renewable_shortfall_")
    }
    return HourlyOptimum(
        network=n,
        temporal=temporal,
        result=result,
        weather=source,
        build_s=built - started,
        seconds=time.perf_counter() - started,
        shortfall_mwh=shortfall,
    )


def step_line(k: int, step: Step) -> str:
    """One operating solve of the refinement, for the progress display."""
    return _(
        "hourly refinement, solve {k}: design {cost} bn EUR/a; best {best}, bound {bound} "
        "(gap {gap}; {seconds} s)"
    ).format(
        k=k + 1,
        cost=number(step.cost / 1e9, 4),
        best=number(step.upper / 1e9, 4),
        bound=number(step.lower / 1e9, 4),
        gap=i18n.percent(step.gap, 2),
        seconds=number(step.seconds, 0),
    )


REFINE_TOLERANCE = 1e-3
"""The refinement stops early when the certified gap is below this (0.1 %)."""


def refine(
    solved: Solved, solves: int, *, progress: Progress | None = None
) -> tuple[Solved, dict[str, Any]]:
    """The study's design refined on the full year: at most ``solves`` operating solves of
    the Benders decomposition from the sizing solve's design. Returns the hourly solve (the
    best design and its operation) and the refinement's figures for the summary."""
    say = progress or (lambda _line: None)
    found = solve_hourly(
        solved.scenario,
        solved.network,
        tolerance=REFINE_TOLERANCE,
        max_evaluations=solves,
        time_limit_s=float("inf"),
        progress=say,
    )
    n = found.network
    stats = {
        **solved.stats,
        "variables": int(n.model.nvars),
        "constraints": int(n.model.ncons),
        "snapshots": len(n.snapshots),
        "solve_s": solved.stats["solve_s"] + found.seconds,
        "resolution": f"{solved.stats['resolution']}+hourly",
    }
    first = found.result.steps[0].cost
    figures = {
        "sizing_resolution": solved.stats["resolution"],
        "sizing_design_hourly_cost_eur_a": first,
        **found.summary(),
    }
    return Solved(solved.scenario, n, found.temporal, stats), figures
