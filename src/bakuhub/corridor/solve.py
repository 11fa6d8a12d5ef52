"""Solve a corridor scenario: data -> snapshots -> network -> linopy model -> solver.

Only an optimal solution is accepted; any other outcome is a :class:`SolveError`
that says what the solver reported. ``progress`` receives one line per stage.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bakuhub.corridor import constraints as con
from bakuhub.corridor.cbam import define_green_match
from bakuhub.corridor.costs import RENEWABLE_CARRIERS
from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.hydrogen import define_molecule_export_target
from bakuhub.corridor.network import EXPORT, build_network
from bakuhub.corridor.scenario import Scenario
from bakuhub.corridor.solver_options import SolverOptions, SolverTuning
from bakuhub.corridor.temporal import Temporal, build_temporal
from bakuhub.errors import BakuhubError, InvalidInput, MissingExtra
from bakuhub.i18n import _, number

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

Progress = Callable[[str], None]


class SolveError(BakuhubError):
    """The solver did not return an optimal solution."""

    status_code = 422
    exit_code = 5


@dataclass
class Solved:
    """A solved scenario: the network, its snapshots and solve statistics."""

    scenario: Scenario
    network: pypsa.Network
    temporal: Temporal
    stats: dict[str, Any] = field(default_factory=dict)


def _quiet() -> None:
    """Keep the libraries' routine chatter out of the user's progress display."""
    import warnings

    for name in ("pypsa", "linopy", "highspy", "clarabel"):
        logging.getLogger(name).setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", category=FutureWarning, module="pypsa")


def full_year(scenario: Scenario) -> pd.DataFrame | None:
    """The 8,760-hour series when the scenario's weather source provides them."""
    if scenario.weather.source == "shipped":
        return None
    if not scenario.weather.path:
        raise InvalidInput(
            _(
                "weather.path: the 'agora' weather source needs the path of the upstream "
                "data folder (the one holding agora-central-asia/)."
            )
        )
    # the model's one way into the data build: the full-year series of a user's upstream
    # folder (needs the data-build extra for the modelled AZ/GE/RO series)
    from bakuhub.corridor.data.weather import hourly_series

    hourly, _source = hourly_series(Path(scenario.weather.path))
    return hourly


def add_scenario_constraints(n: pypsa.Network, scenario: Scenario, temporal: Temporal) -> None:
    """The constraint families the scenario calls for, on top of PyPSA's own."""
    con.define_shared_link_capacity(n)
    con.define_battery_power_balance(n)
    con.define_representative_day_storage(n, temporal)
    if scenario.europe.mode == "target" and EXPORT in n.generators.index:
        con.define_export_target(n, EXPORT, scenario.europe.export_twh * 1e6)
    define_molecule_export_target(n, scenario)
    for country, share in scenario.renewable_targets.items():
        con.define_renewable_share(n, country, share, RENEWABLE_CARRIERS)
    define_green_match(n, scenario.cbam)


def add_co2_cap(n: pypsa.Network, scenario: Scenario) -> None:
    """The scenario's CO2 cap (t/a) as a PyPSA global constraint, when it sets one."""
    if scenario.co2.cap_mt is not None:
        n.add(
            "GlobalConstraint",
            "CO2Limit",
            type="primary_energy",
            carrier_attribute="co2_emissions",
            sense="<=",
            constant=scenario.co2.cap_mt * 1e6,
        )


def solve_scenario(
    scenario: Scenario,
    *,
    resolution: str | None = None,
    progress: Progress | None = None,
    solver_log: bool = False,
    own_days: tuple[int, ...] = (),
) -> Solved:
    """Build and solve ``scenario`` (optionally at another ``resolution``; ``own_days``:
    calendar days kept as they were, see :mod:`bakuhub.corridor.peak_days`)."""
    say = progress or (lambda _line: None)
    _quiet()
    if resolution is not None:
        scenario = scenario.model_copy(update={"resolution": resolution})
        # the scenario was validated when it was made; only the resolution is new
        scenario = Scenario.model_validate(scenario.model_dump(), context={"trusted": True})
    started = time.perf_counter()
    say(
        _("loading data for {year} (cable cost: {level})").format(
            year=scenario.year, level=scenario.costs.cable_cost
        )
    )
    data = load_dataset(scenario.year, scenario.costs.cable_cost)
    temporal = build_temporal(
        data.profiles, scenario.resolution, full_year(scenario), own_days=own_days
    )
    say(
        _("resolution {resolution}: {count} snapshots").format(
            resolution=temporal.label, count=len(temporal.series)
        )
    )
    network = build_network(scenario, data, temporal)
    add_co2_cap(network, scenario)
    model = network.optimize.create_model(include_objective_constant=False)
    add_scenario_constraints(network, scenario, temporal)
    built = time.perf_counter()
    size = {"variables": int(model.nvars), "constraints": int(model.ncons)}
    say(
        _("model: {variables} variables, {constraints} constraints; solving with {solver}").format(
            variables=number(size["variables"]),
            constraints=number(size["constraints"]),
            solver=scenario.solver.name,
        )
    )
    status, condition = run_solver(network, scenario, solver_log, say)
    solved = time.perf_counter()
    if (status, condition) != ("ok", "optimal"):
        raise SolveError(
            _(
                "The solver ({solver}) did not find an optimal solution for scenario "
                "'{scenario}': status '{status}', condition '{condition}'. Check fixed cable "
                "capacities, caps and targets that cannot all hold, or relax them."
            ).format(
                solver=scenario.solver.name,
                scenario=scenario.name,
                status=status,
                condition=condition,
            )
        )
    say(
        _("optimal: total system cost {cost} bn EUR/a (build {build} s, solve {solve} s)").format(
            cost=number(objective(network) / 1e9, 3),
            build=number(built - started, 1),
            solve=number(solved - built, 1),
        )
    )
    stats = {
        **size,
        "build_s": built - started,
        "solve_s": solved - built,
        "resolution": temporal.label,
        "snapshots": len(temporal.series),
        "solver": scenario.solver.name + (f"-{m}" if (m := scenario.solver.options.method) else ""),
    }
    return Solved(scenario=scenario, network=network, temporal=temporal, stats=stats)


def objective(n: pypsa.Network) -> float:
    """The solved network's objective (total annualised system cost, EUR/a)."""
    if n.objective is None:
        raise SolveError("The network has not been solved; no objective to report.")
    return float(n.objective)


def run_solver(
    n: pypsa.Network, scenario: Scenario, solver_log: bool, say: Progress
) -> tuple[str, str]:
    """Solve the built model with the scenario's solver.

    Clarabel, the default, is an interior-point method: when it stops short of an
    optimum for numerical reasons (not because the scenario is infeasible), the same
    model is solved again with HiGHS, and the progress display says so.
    """
    import linopy

    name = scenario.solver.name
    if name == "clarabel":
        from bakuhub.corridor import interior

        keywords = solver_keywords("clarabel", scenario.solver.options)
        status, condition = interior.solve_network(n, keywords, solver_log)
        if status == "ok" or condition == "infeasible":
            return status, condition
        say(
            _(
                "clarabel stopped with '{condition}'; solving the same model again with highs"
            ).format(condition=condition)
        )
        name = "highs"
        # the same time limit and tolerances; iterations and scaling are clarabel's own
        given = scenario.solver.options
        tuning = SolverTuning(
            time_limit_s=given.time_limit_s,
            optimality_tolerance=given.optimality_tolerance,
            feasibility_tolerance=given.feasibility_tolerance,
        )
        highs = SolverOptions(name="highs", options=tuning)
        scenario = scenario.model_copy(update={"solver": highs})
    if name not in linopy.available_solvers:
        raise InvalidInput(
            _(
                "solver.name: the solver '{solver}' is not installed here (available: "
                "{available}); install it or use clarabel or highs."
            ).format(solver=name, available=", ".join(["clarabel", *linopy.available_solvers]))
        )
    options = solver_keywords(name, scenario.solver.options)
    if name == "highs":
        options.setdefault("log_to_console", solver_log)
        options.setdefault("output_flag", solver_log)
        if options.get("solver") == "hipo":
            require_hipo()
            options.setdefault("run_crossover", "off")  # the interior point's answer
            options.setdefault("threads", os.cpu_count() or 1)  # HiGHS's default: one
    result = n.optimize.solve_model(solver_name=name, io_api="direct", **options)
    return str(result[0]), str(result[1])


KEYWORDS: dict[str, dict[str, str]] = {
    "clarabel": {
        "time_limit_s": "time_limit",
        "threads": "max_threads",
        "optimality_tolerance": "tol_gap_rel",
        "feasibility_tolerance": "tol_feas",
        "max_iterations": "max_iter",
        "x_scale": "x_scale",
        "cost_scale": "cost_scale",
    },
    "highs": {
        "time_limit_s": "time_limit",
        "threads": "threads",
        "optimality_tolerance": "ipm_optimality_tolerance",
        "feasibility_tolerance": "primal_feasibility_tolerance",
        "max_iterations": "simplex_iteration_limit",
        "method": "solver",
    },
    "cupdlpx": {"time_limit_s": "TimeLimit", "max_iterations": "IterationLimit"},
    "cuopt": {"time_limit_s": "time_limit", "method": "method"},
}
"""The solver keyword each tuning field becomes (the only keywords a solver receives)."""
CUOPT_METHOD = {"pdlp": 1, "simplex": 2, "ipm": 3}


def hipo_available() -> bool:
    """Whether HiGHS's HiPO interior point is installed (the ``hipo`` extra)."""
    try:
        import highspy_extras  # noqa: F401  (highspy loads it by itself)
    except ImportError:
        return False
    return True


def require_hipo() -> None:
    """HiPO, or one sentence saying how to install it."""
    if not hipo_available():
        raise MissingExtra(
            _(
                "solver.options.method: 'hipo' needs HiGHS's HiPO interior point, which the "
                "highspy wheel lacks: pip install 'bakuhub[hipo]' (the highspy-extras "
                "wheel), or choose another method."
            )
        )


def solver_keywords(name: str, tuning: SolverTuning) -> dict[str, Any]:
    """The keyword arguments of solver ``name`` for a scenario's tuning (an allow-list:
    a field the solver does not take was refused when the scenario was validated)."""
    names = KEYWORDS[name]
    out: dict[str, Any] = {}
    for field_name, value in tuning.model_dump(exclude_none=True).items():
        if field_name == "method" and name == "cuopt":
            if value == "choose":
                continue
            value = CUOPT_METHOD[value]
        out[names[field_name]] = value
    if name == "highs":
        if tuning.feasibility_tolerance is not None:
            out["dual_feasibility_tolerance"] = tuning.feasibility_tolerance
        if tuning.max_iterations is not None:
            out["ipm_iteration_limit"] = tuning.max_iterations
    return out
