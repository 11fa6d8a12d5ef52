"""The real-year check: the sized design operated through a full chronological year.

The sizing solve chooses capacities on a few snapshots (representative days or
segments). The check fixes every capacity at its optimum (nothing extendable) and
dispatches the design hour by hour through the 8,760 hours of the year the scenario's
weather names, in one operating LP: storage runs chronologically and cyclically over
the year, the export target holds over the year with a penalised shortfall, and every
bus with demand may shed load at the value of lost load, so a design that falls short
reports where and when instead of being infeasible.

Weather: the upstream Agora year when the scenario names it (``weather.source:
agora``); with the shipped weather, the only full year there is, the chronological
year *rebuilt from the representative days and their calendar*, which is not measured
weather and is said so wherever the check is reported.

Cost basis: the sizing objective (annualised capital cost of what was built plus the
year's operating cost, load shedding at the value of lost load included), so the two
costs compare directly; a pathway year adds the capital cost of the assets it carries
from earlier years (``check_network``'s ``carry``), as its sizing cost does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from bakuhub import i18n
from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.hydrogen import MOLECULE_EXPORT
from bakuhub.corridor.network import EXPORT, build_network
from bakuhub.corridor.profiles import reconstruct
from bakuhub.corridor.real_year_figures import Operation, assess, verdict
from bakuhub.corridor.scenario import Scenario
from bakuhub.corridor.solve import (
    Progress,
    Solved,
    SolveError,
    add_co2_cap,
    full_year,
    objective,
    run_solver,
)
from bakuhub.corridor.solver_options import SolverOptions, SolverTuning
from bakuhub.corridor.temporal import blocks
from bakuhub.i18n import N_, _, number

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

EXPORT_PENALTY_OF_VOLL = 0.5
"""Export shortfall costs half the value of lost load per MWh (an assumption: domestic
demand is served before export, and any generation is used before export falls short)."""
CHECK_SOLVER = "highs"
"""The operating LP's solver when the scenario's is Clarabel: on the reference scenario's
8,760-hour operating LP HiGHS took 35 s and Clarabel 89 s (2 cores; Clarabel stays the
sizing solver, where it is about 10 times faster)."""
REBUILT = N_("rebuilt from representative days, not measured weather")
CAPACITIES = {"generators": "p_nom", "links": "p_nom", "stores": "e_nom", "storage_units": "p_nom"}


@dataclass
class RealYear:
    """The operated network of the check, its summary (``summary.json`` key
    ``real_year``) and its tables (``tables/real_year_*.csv``)."""

    network: pypsa.Network
    summary: dict[str, Any]
    tables: dict[str, pd.DataFrame]


def weather_year(scenario: Scenario) -> tuple[pd.DataFrame, str]:
    """The 8,760 hours of the check and what they are (``agora`` or ``rebuilt``)."""
    hourly = full_year(scenario)
    if hourly is not None:
        return hourly, "agora"
    data = load_dataset(scenario.year, scenario.costs.cable_cost)
    return reconstruct(data.profiles), "rebuilt"


def fix_design(network: pypsa.Network, design: pypsa.Network) -> float:
    """Fix every capacity of ``network`` that ``design`` sized at ``design``'s optimum.

    Returns the annualised capital cost of the sized capacities, EUR/a:
    ``sum_c capital_cost_c * P_c`` over the components extendable in ``design`` (the
    capital part of the sizing objective).
    """
    capex = 0.0
    for listing, attr in CAPACITIES.items():
        sized = getattr(design, listing)
        ext = sized.index[sized[f"{attr}_extendable"].astype(bool)]
        if len(ext) == 0:
            continue
        target = getattr(network, listing)
        missing = sorted(set(ext) - set(target.index))
        if missing:
            raise SolveError(f"The real-year network lacks the sized {', '.join(missing[:5])}.")
        optimum = sized.loc[ext, f"{attr}_opt"].clip(lower=0.0)
        capex += float((sized.loc[ext, "capital_cost"] * optimum).sum())
        target.loc[ext, attr] = optimum
        target.loc[ext, f"{attr}_extendable"] = False
    for listing, attr in CAPACITIES.items():
        left = getattr(network, listing)
        if left[f"{attr}_extendable"].astype(bool).any():
            raise SolveError(f"The real-year network has {listing} the design did not size.")
    return capex


def add_shedding(n: pypsa.Network, voll: float) -> None:
    """Load shedding at every bus with demand, as much as its peak load, at ``voll``
    EUR/MWh (a generator of carrier ``unserved``; one already there is enlarged)."""
    if n.loads.empty:
        return
    if "unserved" not in n.carriers.index:
        n.add("Carrier", "unserved")
    peak = n.loads_t.p_set.T.groupby(n.loads.bus).sum().T.max()
    static = n.loads.p_set.groupby(n.loads.bus).sum()
    for bus in n.loads.bus.unique():
        need = float(max(peak.get(bus, 0.0), static.get(bus, 0.0), 0.0))
        there = n.generators.index[(n.generators.bus == bus) & (n.generators.carrier == "unserved")]
        if len(there):
            n.generators.loc[there, "p_nom"] = np.maximum(n.generators.loc[there, "p_nom"], need)
        else:
            n.add(
                "Generator",
                f"{bus} unserved",
                bus=bus,
                carrier="unserved",
                p_nom=need,
                marginal_cost=voll,
            )


def define_soft_export_target(
    n: pypsa.Network, generator: str, energy_mwh: float, penalty: float, name: str = "export"
) -> None:
    """The export target with a shortfall ``S`` (MWh, ``0 <= S <= E``) paid at ``penalty``
    EUR/MWh: ``sum_t w_t * (-p_export,t) + S = E`` (variable ``{name}_shortfall``)."""
    m = n.model
    p = m["Generator-p"].sel(name=generator)
    weights = n.snapshot_weightings.generators
    short = m.add_variables(lower=0.0, upper=energy_mwh, name=f"{name}_shortfall")
    m.add_constraints((-p * weights).sum() + short == energy_mwh, name=f"{name}_target")
    m.add_objective(m.objective.expression + penalty * short, overwrite=True)


def operate(
    network: pypsa.Network,
    design: pypsa.Network,
    scenario: Scenario,
    *,
    export_mwh: float | None = None,
    molecule_mwh: float | None = None,
    progress: Progress | None = None,
    solver_log: bool = False,
) -> Operation:
    """Dispatch ``network`` with the capacities of ``design`` fixed, in one LP, with the
    scenario's solver, CO2 cap and value of lost load; ``export_mwh``: the export target;
    ``molecule_mwh``: the molecule export's target (MWh LHV), its shortfall paid as the
    power export's (the same assumption: what the year cannot deliver, it reports)."""
    say = progress or (lambda _line: None)
    started = time.perf_counter()
    capex = fix_design(network, design)
    add_shedding(network, scenario.voll_eur_mwh)
    add_co2_cap(network, scenario)
    model = network.optimize.create_model(include_objective_constant=False)
    penalty = EXPORT_PENALTY_OF_VOLL * scenario.voll_eur_mwh
    if export_mwh is not None:
        define_soft_export_target(network, EXPORT, export_mwh, penalty)
    if molecule_mwh is not None:
        define_soft_export_target(network, MOLECULE_EXPORT, molecule_mwh, penalty, "molecule")
    solver = check_solver(scenario)
    say(
        _(
            "real-year check: {variables} variables, {constraints} constraints; "
            "solving with {solver}"
        ).format(
            variables=number(int(model.nvars)),
            constraints=number(int(model.ncons)),
            solver=solver.solver.name,
        )
    )
    status, condition = run_solver(network, solver, solver_log, say)
    if (status, condition) != ("ok", "optimal"):
        raise SolveError(
            _(
                "The real-year check of scenario '{scenario}' did not solve to optimality: "
                "status '{status}', condition '{condition}'."
            ).format(scenario=scenario.name, status=status, condition=condition)
        )
    short = {
        name: float(network.model[f"{name}_shortfall"].solution.item())
        if f"{name}_shortfall" in network.model.variables
        else 0.0
        for name in ("export", "molecule")
    }
    operating = objective(network) - penalty * sum(short.values())
    seconds = time.perf_counter() - started
    return Operation(capex, operating, short["export"], seconds, short["molecule"])


def check_solver(scenario: Scenario) -> Scenario:
    """The scenario with the check's solver: :data:`CHECK_SOLVER` in place of Clarabel
    (its time limit kept; not its tolerances, an interior point's: HiGHS's simplex took
    105 s instead of 42 s for the reference check at 1e-5), any other solver as named."""
    if scenario.solver.name != "clarabel":
        return scenario
    tuning = SolverTuning(time_limit_s=scenario.solver.options.time_limit_s)
    solver = SolverOptions(name=CHECK_SOLVER, options=tuning)
    return scenario.model_copy(update={"solver": solver})


Remedy = bool | Callable[["pypsa.Network"], bool]
"""Whether a far-off verdict in the progress says how to size on the full year; a
callable decides from the operated network (the check's)."""


def check_design(
    solved: Solved,
    *,
    remedy: Remedy = True,
    progress: Progress | None = None,
    solver_log: bool = False,
) -> RealYear:
    """Operate the sized design of ``solved`` through the full year of its weather
    (``remedy``: as for :func:`check_network`)."""
    return check_network(
        solved.network, solved.scenario, remedy=remedy, progress=progress, solver_log=solver_log
    )


Carry = Callable[["pypsa.Network"], float]
"""Adds to the check's network the fixed assets the design holds beyond what its scenario
builds (a pathway year's capacity built in earlier years) and returns their yearly
capital cost (EUR/a)."""


def check_network(
    design: pypsa.Network,
    scenario: Scenario,
    *,
    carry: Carry | None = None,
    sizing_cost: float | None = None,
    remedy: Remedy = True,
    progress: Progress | None = None,
    solver_log: bool = False,
) -> RealYear:
    """Operate ``design`` (a solved network of ``scenario``) through the full year of the
    scenario's weather. ``carry``: see :data:`Carry`, its capital cost counted in the
    check's; ``sizing_cost``: the sizing solve's cost, EUR/a (default: the design's
    objective); ``remedy``: whether a far-off verdict in the progress says how to size
    on the full year (:data:`Remedy`; not for a pathway year, which has no refinement,
    nor for a peak-day round the study re-sizes after by itself)."""
    say = progress or (lambda _line: None)
    hourly, source = weather_year(scenario)
    hours = number(len(hourly))
    if source == "agora":
        say(
            _("real-year check: the design through {hours} hours of Agora weather").format(
                hours=hours
            )
        )
    else:
        say(
            _("real-year check: the design through {hours} hours of the year {rebuilt}").format(
                hours=hours, rebuilt=_(REBUILT)
            )
        )
    temporal = blocks(hourly, 1, "hourly")
    data = load_dataset(scenario.year, scenario.costs.cable_cost)
    network = build_network(scenario, data, temporal)
    carried = carry(network) if carry is not None else 0.0
    target = None
    if scenario.europe.mode == "target" and EXPORT in network.generators.index:
        target = scenario.europe.export_twh * 1e6
    molecules = scenario.molecules.export
    molecule_twh = None
    if scenario.molecules.enabled and molecules.mode == "target":
        molecule_twh = molecules.target_twh
    done = operate(
        network,
        design,
        scenario,
        export_mwh=target,
        molecule_mwh=None if molecule_twh is None else molecule_twh * 1e6,
        progress=say,
        solver_log=solver_log,
    )
    done = replace(done, capex=done.capex + carried)
    summary, tables = assess(
        network,
        design,
        done,
        sizing_cost=objective(design) if sizing_cost is None else sizing_cost,
        export_target_twh=None if target is None else target / 1e6,
        stamps=hourly.index,
        molecule_target_twh=molecule_twh,
    )
    with i18n.use(i18n.DEFAULT):  # the summary's words are for programs: English
        summary.update(weather=source, weather_note=weather_note(source))
    gap = summary["cost_difference_rel"]
    say(
        _(
            "real-year check: {cost} bn EUR/a ({gap} against sizing), unserved "
            "{unserved} TWh ({seconds} s)"
        ).format(
            cost=number(summary["system_cost_eur_a"] / 1e9, 3),
            gap=("+" if round(gap * 100, 1) > 0 else "") + i18n.percent(gap, 1),
            unserved=number(summary["unserved_twh"], 3),
            seconds=number(done.seconds, 1),
        )
    )
    if summary["far_off"]:
        advise = remedy(network) if callable(remedy) else remedy
        say(_("real-year check: {verdict}").format(verdict=verdict(summary, remedy=advise)[1]))
    return RealYear(network=network, summary=summary, tables=tables)


def weather_note(source: str) -> str:
    """What the check's year of weather is, in the reader's language."""
    if source == "agora":
        return _("Checked on the upstream Agora {hours}-hour weather and demand series.").format(
            hours=number(8760)
        )
    return _(
        "Checked on the chronological year rebuilt from the shipped representative days "
        "and their calendar: {rebuilt}. It tests the design's chronology (storage, "
        "cables hour by hour), not its robustness to weather the days do not contain."
    ).format(rebuilt=_(REBUILT))
