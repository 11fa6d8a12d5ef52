"""Near-optimal ranges (modelling to generate alternatives, MGA): what the economics
force and what they leave open.

Given a solved network with least cost ``C*`` (EUR/a), each *target* (a cable's
capacity; a country's solar, wind, gas capacity, MW; its battery energy, MWh) is
minimised and then maximised over every plan that costs at most the budget

``C(x) <= C* + s |C*|``   (``s``: the slack, default 5 %),

subject to every constraint of the least-cost model: PyPSA's and the scenario's own
(shared cable capacity, representative-day storage, export target, renewable shares,
CO2 cap, CBAM). PyPSA's ``n.optimize.optimize_mga`` rebuilds the model without the
scenario's constraints and takes ``C*`` from its statistics, so the model is built
here on a copy of the network, with the scenario's constraints, and solved with the
scenario's solver: two solves a target, at most ``max_solves`` in all.

A range is the interval each target can take *alone*: the ends of two targets are
generally not reachable together.

The targets are independent: given an executor (``concurrent.futures.Executor``, e.g.
the job cluster's, ``cluster.cluster_executor``), runs of consecutive targets are tasks
of their own, each on a copy of the network with its own model (one run a worker: a
model build costs about as much as a few solves); without one, one model is built and
re-solved for every target, one after the other. The ranges are the same either way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from bakuhub.corridor.solve import (
    Progress,
    Solved,
    add_scenario_constraints,
    objective,
    run_solver,
)
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

if TYPE_CHECKING:
    import linopy
    import pypsa

DEFAULT_SLACK = 0.05
"""Cost slack: plans within 5 % of the least cost (a common MGA choice, e.g. Neumann and
Brown 2021, "The near-optimal feasible space of a renewable power system model")."""
MAX_SOLVES = 100
"""Most solves one call makes (two a target); ask for fewer targets beyond it."""
MAX_SLACK = 1.0
GROUPS: dict[str, tuple[str, ...]] = {
    "solar": ("solar",),
    "wind": ("onwind", "offwind"),
    "gas": ("CCGT", "OCGT"),
}
"""Generator carriers of each country target (storage: the battery stores)."""


@dataclass
class Target:
    """One quantity to minimise and maximise: the sum of some capacity variables
    (``component``: Generator, Link or Store) plus a fixed ``offset`` (existing MW)."""

    name: str
    kind: str
    where: str
    unit: str
    component: str
    members: list[str] = field(default_factory=list)
    offset: float = 0.0

    def expression(self, m: linopy.Model) -> linopy.LinearExpression:
        """``sum_i P_i`` over the members' capacity variables (MW or MWh)."""
        attr = "e_nom" if self.component == "Store" else "p_nom"
        variable = m[f"{self.component}-{attr}"].sel(name=self.members)
        expression: linopy.LinearExpression = variable.sum()
        return expression

    def value(self, n: pypsa.Network) -> float:
        """The target's value in a solved network: ``offset + sum_i P_i``."""
        frame = getattr(n, self.component.lower() + "s")
        column = "e_nom_opt" if self.component == "Store" else "p_nom_opt"
        return self.offset + float(frame.loc[self.members, column].sum())


def _country(n: pypsa.Network, bus: str) -> str:
    """The country of a bus, or of its node for a battery bus (``NODE battery``)."""
    value = n.buses.at[bus, "country"] if "country" in n.buses else None
    country = value if isinstance(value, str) else ""  # a bus without one holds NaN
    if not country and bus.endswith(" battery"):
        return _country(n, bus[: -len(" battery")])
    return country


def targets(n: pypsa.Network) -> list[Target]:
    """Every cable with a capacity to choose (an HVDC pair ``NAME fwd``/``bwd`` counts
    once; an AC ``NAME expansion`` adds to the existing ``NAME``) and each country's
    extendable solar, wind, gas and battery energy."""
    found: list[Target] = []
    ext = n.links[n.links.p_nom_extendable]
    for link in ext.index:
        if link.endswith(" fwd"):
            name, offset = link[: -len(" fwd")], 0.0
        elif link.endswith(" expansion"):
            name = link[: -len(" expansion")]
            offset = float(n.links.at[name, "p_nom"]) if name in n.links.index else 0.0
        elif link.endswith((" bwd", " charger", " discharger")):
            continue
        else:
            name, offset = link, 0.0
        found.append(Target(f"cable {name}", "cable", name, "MW", "Link", [link], offset))
    gens = n.generators[n.generators.p_nom_extendable]
    countries = sorted({_country(n, str(b)) for b in gens.bus} - {""})
    for country in countries:
        here = gens[[_country(n, str(b)) == country for b in gens.bus]]
        for kind, carriers in GROUPS.items():
            members = [str(g) for g in here.index[here.carrier.isin(carriers)]]
            if members:
                found.append(Target(f"{country} {kind}", kind, country, "MW", "Generator", members))
    stores = n.stores[n.stores.e_nom_extendable]
    by_country: dict[str, list[str]] = {}
    for store, bus in stores.bus.items():
        by_country.setdefault(_country(n, str(bus)), []).append(str(store))
    for country in sorted(set(by_country) - {""}):
        found.append(
            Target(f"{country} storage", "storage", country, "MWh", "Store", by_country[country])
        )
    return found


NOISE_MW = 1e-3
"""Below this (MW or MWh) a capacity is solver noise (an interior point's -1e-7): 0."""


def _denoised(value: float) -> float:
    return 0.0 if abs(value) < NOISE_MW else value


def check_solves(n: pypsa.Network, max_solves: int) -> None:
    """``InvalidInput`` now, not after the study's other solves, when the ranges of
    ``n``'s targets need more than ``max_solves`` solves."""
    _chosen(targets(n), None, max_solves)


def _chosen(found: list[Target], select: list[str] | None, max_solves: int) -> list[Target]:
    if select is not None:
        known = {t.name: t for t in found}
        unknown = sorted(set(select) - set(known))
        if unknown:
            raise InvalidInput(
                _("near-optimal ranges: {unknown} not among the targets; use {known}.").format(
                    unknown=", ".join(unknown), known=", ".join(known)
                )
            )
        found = [known[name] for name in dict.fromkeys(select)]
    if 2 * len(found) > max_solves:
        raise InvalidInput(
            _(
                "near-optimal ranges: {count} targets need {solves} solves, more than the "
                "{limit} allowed; choose fewer targets or allow more solves."
            ).format(count=len(found), solves=2 * len(found), limit=max_solves)
        )
    return found


def near_optimal_ranges(
    n: pypsa.Network,
    *,
    add_constraints: Callable[[pypsa.Network], None],
    solve: Callable[[pypsa.Network], tuple[str, str]],
    slack: float = DEFAULT_SLACK,
    select: list[str] | None = None,
    max_solves: int = MAX_SOLVES,
    progress: Progress | None = None,
    executor: Executor | None = None,
    tasks: int | None = None,
) -> list[dict[str, Any]]:
    """Minimum and maximum of each target within the cost budget, on a copy of ``n``.

    ``n`` is solved (its objective is the least cost); ``add_constraints`` adds the
    constraints beyond PyPSA's to a fresh model of the copy (as the least-cost solve
    did); ``solve`` solves the copy's model and returns (status, condition). With an
    ``executor``, the targets in ``tasks`` runs of consecutive targets (default: one a
    target), each a task that builds its own model (``add_constraints`` and ``solve``
    travel to it: module-level functions or partials of them, not lambdas, for a
    process pool); as many tasks as workers spare all but one model build a worker.
    Rows: target, kind, where, unit, least_cost, min, max (None where a solve failed).
    """
    if not 0 <= slack <= MAX_SLACK:
        raise InvalidInput(
            _("near-optimal ranges: the slack is a share of the least cost between 0 and 1.")
        )
    if n.objective is None:
        raise InvalidInput(_("near-optimal ranges need a solved network."))
    say = progress or (lambda _line: None)
    chosen = _chosen(targets(n), select, max_solves)
    optimum = float(n.objective)
    budget = optimum + slack * abs(optimum)
    least = {t.name: t.value(n) for t in chosen}
    if getattr(n.model, "solver_model", None) is not None:
        n.model.solver_model = None  # PyPSA copies no network holding a solver's handle
    total = 2 * len(chosen)
    if executor is None:
        found = _ranges(n, chosen, add_constraints, solve, budget, say, total)
    else:
        shipped = n.copy()  # the network alone, without its model
        runs = _runs(chosen, tasks or len(chosen))
        futures = [
            executor.submit(_ranges, shipped, run, add_constraints, solve, budget) for run in runs
        ]
        found = []
        for run, future in zip(runs, futures, strict=True):
            for target, ends in zip(run, future.result(), strict=True):
                found.append(ends)
                for sense in ("min", "max"):
                    say(_step(2 * len(found) - (sense == "min"), total, sense, target))
    return [
        {
            "target": target.name,
            "kind": target.kind,
            "where": target.where,
            "unit": target.unit,
            "least_cost": least[target.name],
            "min": ends["min"],
            "max": ends["max"],
        }
        for target, ends in zip(chosen, found, strict=True)
    ]


def _runs(chosen: list[Target], tasks: int) -> list[list[Target]]:
    """``chosen`` cut into at most ``tasks`` runs of consecutive targets, as even as can be."""
    count = max(1, min(tasks, len(chosen)))
    size, extra = divmod(len(chosen), count)
    runs, start = [], 0
    for i in range(count):
        end = start + size + (i < extra)
        runs.append(chosen[start:end])
        start = end
    return runs


def _step(done: int, total: int, sense: str, target: Target) -> str:
    return _("near-optimal ranges: solve {done} of {total}, {sense} {target}").format(
        done=done, total=total, sense=sense, target=target.name
    )


def _ranges(
    n: pypsa.Network,
    chosen: list[Target],
    add_constraints: Callable[[pypsa.Network], None],
    solve: Callable[[pypsa.Network], tuple[str, str]],
    budget: float,
    say: Progress | None = None,
    total: int = 0,
) -> list[dict[str, float | None]]:
    """Minimum and maximum of each of ``chosen`` on one model of a copy of ``n`` with the
    budget ``C(x) <= budget`` (a task of its own with an executor)."""
    work = n.copy()
    work.optimize.create_model(include_objective_constant=False)
    add_constraints(work)
    m = work.model
    m.add_constraints(m.objective.expression <= budget, name="mga_budget")
    found = []
    done = 0
    for target in chosen:
        ends: dict[str, float | None] = {}
        for sense, sign in (("min", 1.0), ("max", -1.0)):
            done += 1
            if say is not None:
                say(_step(done, total, sense, target))
            m.add_objective(sign * target.expression(m), overwrite=True)
            status, _condition = solve(work)
            ends[sense] = _denoised(target.value(work)) if status == "ok" else None
        found.append(ends)
    return found


def _silent(_line: str) -> None:
    """No progress: a solve in a task of its own has no one to tell."""


def corridor_ranges(
    solved: Solved,
    *,
    slack: float = DEFAULT_SLACK,
    select: list[str] | None = None,
    max_solves: int = MAX_SOLVES,
    progress: Progress | None = None,
    executor: Executor | None = None,
    tasks: int | None = None,
) -> dict[str, Any]:
    """The near-optimal ranges of a solved corridor scenario, with the scenario's
    constraints and solver, one after the other or on ``executor`` in ``tasks`` tasks;
    JSON-able (costs EUR/a, time s)."""
    say = progress or (lambda _line: None)
    scenario, temporal = solved.scenario, solved.temporal
    started = time.perf_counter()
    rows = near_optimal_ranges(
        solved.network,
        add_constraints=partial(add_scenario_constraints, scenario=scenario, temporal=temporal),
        solve=partial(
            run_solver,
            scenario=scenario,
            solver_log=False,
            say=say if executor is None else _silent,
        ),
        slack=slack,
        select=select,
        max_solves=max_solves,
        progress=say,
        executor=executor,
        tasks=tasks,
    )
    optimum = objective(solved.network)
    return {
        "slack": slack,
        "least_cost_eur_a": optimum,
        "budget_eur_a": optimum + slack * abs(optimum),
        "solves": 2 * len(rows),
        "seconds": time.perf_counter() - started,
        "ranges": rows,
    }
