"""A proven bracket on the hourly expansion's optimum (issue 14): chronological blocks
as a relaxation, the hourly operation of their design as the upper bound.

A network whose snapshots are blocks of consecutive hours, each block's series the
*means* of its hours and its weight (and storage duration) its length, is a relaxation
of the hourly network: average any hourly-feasible dispatch over each block, keep the
capacities, and every row of the block model holds at the same cost (proof and limits:
``docs/corridor-method.md``, "A proven bracket"). So the block model's optimum is a
lower bound (LB) on the hourly optimum, and the hourly operation of its design, with the
capacities fixed, an upper bound (UB). :func:`run` tightens both: it refines the
partition into hours on the days where the hourly operation of the current design
binds (scarcity prices, unserved energy), keeping coarse blocks elsewhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from bakuhub.corridor.network import MIN_CAPACITY_FACTOR
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

SERIES = {"generators": ("p_max_pu", "p_min_pu"), "links": ("p_max_pu", "p_min_pu")}
"""The time series a block may average (a bound per snapshot times a capacity), besides
the loads' ``p_set``; any other series makes :func:`check_relaxable` refuse the network."""
Define = Callable[["pypsa.Network"], None]
"""Builds a network's model (``create_model`` and the extra constraint families)."""
Say = Callable[[str], None]


TOLERANCES = {"tol_gap_rel": 1e-4, "tol_feas": 1e-5}
"""Clarabel's stopping tolerances for the block models of :func:`prove` (the scenario's
``optimality_tolerance``/``feasibility_tolerance`` replace them): the LB is the dual
objective less its residual's part (``interior.solve_bounded``), so it needs no vertex.
Reference scenario, Agora year, ``3h`` blocks: 82 iterations, the LB solved in 361 s and
the first bracket in 403 s where Clarabel's own 1e-8 took 673 s; the LB 0.0008 bn EUR/a
lower (14.1340 against 14.1348), the residual's part in it 0.26 M EUR/a
(``docs/corridor-benchmark.md``, "A proven bracket")."""


def check_relaxable(n: pypsa.Network) -> None:
    """Refuse a network whose block model would not be a relaxation of it: hours weighted
    other than 1, storage standing losses (``(1 - l)^d`` is not the mean of hourly
    steps), storage units, lines, ramp limits, unit commitment, or time series other than
    the loads' and the per-snapshot bounds of :data:`SERIES`."""
    problems: list[str] = []
    if not np.allclose(n.snapshot_weightings.to_numpy(dtype=float), 1.0):
        problems.append("snapshot weightings other than 1 h")
    if len(n.stores) and (n.stores.standing_loss != 0).any():
        problems.append("stores with a standing loss")
    for listing in ("storage_units", "lines", "transformers"):
        if len(getattr(n, listing)):
            problems.append(listing.replace("_", " "))
    for listing in ("generators", "links"):
        static = getattr(n, listing)
        for attr in ("ramp_limit_up", "ramp_limit_down"):
            if attr in static and static[attr].notna().any():
                problems.append(f"{listing}' {attr}")
        if "committable" in static and static.committable.any():
            problems.append(f"committable {listing}")
    for listing in ("generators", "links", "loads", "stores"):
        allowed = SERIES.get(listing, ("p_set",) if listing == "loads" else ())
        for attr, frame in getattr(n, f"{listing}_t").items():
            if not frame.empty and attr not in allowed:
                problems.append(f"{listing}' {attr} per snapshot")
    if problems:
        raise InvalidInput(
            _(
                "The proven bracket needs a network whose hourly dispatch averages into its "
                "blocks; this one has {problems}. Solve it another way (hourly, Benders)."
            ).format(problems=", ".join(problems))
        )


def refine(base: np.ndarray, fine: np.ndarray) -> np.ndarray:
    """Block sizes (hours) of the partition ``base`` (sizes) with every hour in ``fine``
    (a boolean per hour) a block of its own; the other blocks keep their hours."""
    block = np.repeat(np.arange(len(base)), base)
    start = np.ones(len(block), dtype=bool)
    start[1:] = (block[1:] != block[:-1]) | fine[1:] | fine[:-1]
    sizes: np.ndarray = np.diff(np.r_[np.flatnonzero(start), len(block)])
    return sizes


def aggregate(n: pypsa.Network, sizes: np.ndarray) -> pypsa.Network:
    """The block model of the hourly network ``n`` (no model built): one snapshot per
    block of ``sizes`` consecutive hours, weighted (objective, generators, stores) by its
    length, every series the mean of its hours. A mean availability below
    :data:`MIN_CAPACITY_FACTOR` (but above 0) is raised to it, not cut to 0: a larger
    bound keeps the relaxation, a smaller one would not."""

    check_relaxable(n)
    sizes = np.asarray(sizes, dtype=int)
    if sizes.sum() != len(n.snapshots) or (sizes < 1).any():
        raise ValueError("block sizes must be positive and cover every hour once")
    labels = np.repeat(np.arange(len(sizes)), sizes)
    means: dict[tuple[str, str], pd.DataFrame] = {}
    for listing, attrs in (*SERIES.items(), ("loads", ("p_set",))):
        for attr in attrs:
            frame = getattr(n, f"{listing}_t")[attr]
            if not frame.empty:
                mean = frame.reset_index(drop=True).groupby(labels).mean()
                means[(listing, attr)] = _loosen(mean, attr)
    out = n.copy()
    out.set_snapshots(list(range(len(sizes))))
    for column in ("objective", "generators", "stores"):
        out.snapshot_weightings[column] = sizes.astype(float)
    for (listing, attr), mean in means.items():
        mean.index = out.snapshots
        getattr(out, f"{listing}_t")[attr] = mean
    return out


def _loosen(mean: pd.DataFrame, attr: str) -> pd.DataFrame:
    """Block means with the coefficients below :data:`MIN_CAPACITY_FACTOR` moved outward:
    an upper bound raised to it, a lower bound lowered to 0 (or to minus it)."""
    values = mean.to_numpy(dtype=float, copy=True)
    tiny = (np.abs(values) < MIN_CAPACITY_FACTOR) & (values != 0)
    if attr == "p_max_pu":
        values[tiny] = np.where(values[tiny] > 0, MIN_CAPACITY_FACTOR, 0.0)
    elif attr == "p_min_pu":
        values[tiny] = np.where(values[tiny] > 0, 0.0, -MIN_CAPACITY_FACTOR)
    return mean.__class__(values, index=mean.index, columns=mean.columns)


class HourlyOperation:
    """The hourly model (``n``, model built, capacities extendable) with the capacities
    fixed by rows, in HiGHS (:class:`~bakuhub.corridor.decompose_operating.OperatingLP`):
    a design's hourly cost, an upper bound on the hourly optimum, and where it binds."""

    def __init__(self, n: pypsa.Network) -> None:
        from bakuhub.corridor.decompose_operating import OperatingLP

        peak = float(n.loads_t.p_set.sum(axis=1).max()) if not n.loads_t.p_set.empty else 1.0
        self.lp = OperatingLP(n, max(4.0 * peak, 1.0))
        m = self.lp.model
        vlabels = m.variables.label_index.vlabels
        clabels = m.constraints.label_index.clabels
        shed = list(n.generators.index[n.generators.carrier == "unserved"])
        self.hours = len(n.snapshots)
        p = m["Generator-p"]
        labels = p.sel(name=shed).labels.values if shed else np.zeros((self.hours, 0), int)
        self.shed = np.searchsorted(vlabels, labels)
        balance = m.constraints["Bus-nodal_balance"]
        buses = [b for b in balance.labels.coords["name"].values if n.buses.carrier[b] == "AC"]
        rows = balance.labels.sel(name=buses).transpose("snapshot", "name").values
        self.balance = np.searchsorted(clabels, rows)
        names = [v for v in m.variables if v.endswith("_shortfall") or "shortfall_" in v]
        self.shortfall = {v: np.searchsorted(vlabels, m[v].labels.values.ravel()) for v in names}

    def design(self, solved: pypsa.Network) -> np.ndarray:
        """The capacities of a solved network, in the operating LP's order."""
        from bakuhub.corridor.hourly import start_design

        found = start_design(solved)
        return np.array([found.get(key, 0.0) for key in self.lp.master.keys])

    def evaluate(self, x: np.ndarray) -> dict[str, Any]:
        """The design ``x``'s hourly cost (EUR/a), unserved energy and highest nodal
        price per hour (MWh, EUR/MWh), and its annual shortfalls (MWh)."""
        cost, _gradient, seconds = self.lp.evaluate(x)
        solution = self.lp.highs.getSolution()
        col = np.asarray(solution.col_value)
        row = np.asarray(solution.row_dual)
        shed = col[self.shed].reshape(self.hours, -1).sum(axis=1)
        price = row[self.balance].reshape(self.hours, -1)
        short = {k: float(col[v].sum()) for k, v in self.shortfall.items()}
        return {"cost": cost, "shed": shed, "price": np.abs(price).max(axis=1), "s": seconds,
                "shortfall": short}  # fmt: skip


@dataclass
class Step:
    """One pass of :func:`run`: the block model's bound and its design's hourly cost."""

    snapshots: int
    lower: float
    primal: float
    design_cost: float
    best_lower: float
    best_upper: float
    seconds: float
    lower_s: float
    upper_s: float
    unserved_mwh: float
    fine_hours: int

    @property
    def gap(self) -> float:
        """The certified gap, relative to the upper bound."""
        return (self.best_upper - self.best_lower) / abs(self.best_upper)


@dataclass
class Bracket:
    """The proven bracket: bounds, steps, the best design (a solved block network) and
    its hourly shortfalls."""

    lower: float
    upper: float
    steps: list[Step]
    design: pypsa.Network | None
    shortfall_mwh: dict[str, float] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return (self.upper - self.lower) / abs(self.upper)


def lower_bound(relaxed: pypsa.Network, define: Define, options: dict[str, Any]) -> float:
    """Solve the block model with Clarabel; the smaller of its primal and dual objective
    (EUR/a): a lower bound on the hourly optimum up to Clarabel's residuals."""
    from bakuhub.corridor import interior
    from bakuhub.corridor.solve import SolveError

    define(relaxed)
    status, condition, dual = interior.solve_bounded(relaxed.model, options)
    if status != "ok":
        raise SolveError(
            _("The block model did not solve to optimality: '{condition}'.").format(
                condition=condition
            )
        )
    relaxed.optimize.assign_solution()
    return min(primal(relaxed), dual)


def primal(n: pypsa.Network) -> float:
    """The solved model's primal objective (EUR/a)."""
    value = n.model.objective.value
    if value is None:
        raise ValueError("the model has not been solved")
    return float(value)


def pick_days(found: dict[str, Any], fine: np.ndarray, scarcity: float, count: int) -> int:
    """Mark ``count`` more days fine (in place): those whose hourly operation binds most,
    ``sum_h (unserved_h + max(price_h - scarcity, 0))`` over the day's hours (MWh, EUR/MWh
    summed as a rank only), else those with the highest price spread. Returns the days."""
    days = len(fine) // 24
    price = found["price"][: days * 24].reshape(days, 24)
    score = (found["shed"][: days * 24].reshape(days, 24) + np.maximum(price - scarcity, 0)).sum(1)
    taken = fine[: days * 24].reshape(days, 24).all(axis=1)
    score[taken] = -1.0
    chosen = [d for d in np.argsort(-score)[:count] if score[d] > 0]
    if not chosen:
        spread = price.max(axis=1) - price.min(axis=1)
        spread[taken] = -1.0
        chosen = [d for d in np.argsort(-spread)[:count] if spread[d] >= 0]
    for d in chosen:
        fine[d * 24 : (d + 1) * 24] = True
    return len(chosen)


def run(
    hourly: pypsa.Network,
    operation: HourlyOperation,
    define: Define,
    base: np.ndarray,
    *,
    tolerance: float = 2e-3,
    time_limit_s: float = 1200.0,
    days_per_step: int = 10,
    options: dict[str, Any] | None = None,
    on_step: Callable[[Step], None] | None = None,
    designs: tuple[pypsa.Network, ...] = (),
) -> Bracket:
    """LB from the block model of ``hourly`` (no model built) on partition ``base``
    (sizes), UB from its design's hourly ``operation``; refine and re-solve until the gap
    is below ``tolerance``, the time limit passes or every hour is its own block.
    ``designs``: solved networks (e.g. the study's own) whose hourly cost is a UB too."""
    started = time.perf_counter()
    fine = np.zeros(len(hourly.snapshots), dtype=bool)
    mc = hourly.generators.marginal_cost[hourly.generators.carrier != "unserved"]
    scarcity = float(mc.max()) * 1.001 + 1.0 if len(mc) else 0.0
    best = Bracket(-np.inf, np.inf, [], None)
    for given in designs:
        found = operation.evaluate(operation.design(given))
        if found["cost"] < best.upper:
            best.upper, best.design, best.shortfall_mwh = found["cost"], given, found["shortfall"]
    while True:
        sizes = refine(base, fine)
        relaxed = aggregate(hourly, sizes)
        tic = time.perf_counter()
        lower = lower_bound(relaxed, define, options or {})
        lower_s = time.perf_counter() - tic
        found = operation.evaluate(operation.design(relaxed))
        best.lower = max(best.lower, lower)
        if found["cost"] < best.upper:
            best.upper, best.design, best.shortfall_mwh = found["cost"], relaxed, found["shortfall"]
        step = Step(
            len(sizes), lower, primal(relaxed), found["cost"], best.lower,
            best.upper, time.perf_counter() - started, lower_s, found["s"],
            float(found["shed"].sum()), int(fine.sum()),
        )  # fmt: skip
        best.steps.append(step)
        if on_step is not None:
            on_step(step)
        if step.gap <= tolerance or step.seconds >= time_limit_s or fine.all():
            return best
        if not pick_days(found, fine, scarcity, days_per_step):
            fine[:] = True


def base_partition(label: str, year: pd.DataFrame) -> np.ndarray:
    """Block sizes of a chronological resolution (``Nh``, ``segments:N``) of ``year``."""
    from bakuhub.corridor.temporal import blocks, segments

    if label.startswith("segments:") and label[9:].isdigit():
        return segments(year, int(label[9:]), label).weight.to_numpy(dtype=int)
    if label.endswith("h") and label[:-1].isdigit() and int(label[:-1]) > 0:
        return blocks(year, int(label[:-1]), label).weight.to_numpy(dtype=int)
    raise InvalidInput(
        _(
            "bracket base {label}: use a chronological resolution, Nh (6h, 4h...) or "
            "segments:N; representative days are no relaxation of the hourly year."
        ).format(label=label)
    )


def prove(
    scenario: Any,
    *,
    base: str = "6h",
    tolerance: float = 2e-3,
    time_limit_s: float = 1200.0,
    days_per_step: int = 10,
    progress: Say | None = None,
    designs: tuple[pypsa.Network, ...] = (),
) -> Bracket:
    """The proven bracket on the hourly expansion of ``scenario`` (the model of
    :func:`bakuhub.corridor.hourly.hourly_network`: soft export target and renewable
    shares, load shedding) on its weather year, from the partition ``base``; ``designs``:
    solved networks of the scenario whose hourly cost bounds it from above too."""
    from bakuhub.corridor.datasets import load_dataset
    from bakuhub.corridor.hourly import define_expansion
    from bakuhub.corridor.network import build_network
    from bakuhub.corridor.real_year import weather_year
    from bakuhub.corridor.solve import add_co2_cap, solver_keywords
    from bakuhub.corridor.temporal import blocks

    say = progress or (lambda _line: None)
    year, _source = weather_year(scenario)
    sizes = base_partition(base, year)
    data = load_dataset(scenario.year, scenario.costs.cable_cost)
    n = build_network(scenario, data, blocks(year, 1, "hourly"))
    add_co2_cap(n, scenario)
    check_relaxable(n)
    template = n.copy()
    define_expansion(n, scenario)
    operation = HourlyOperation(n)
    given = scenario.solver
    options = TOLERANCES | (
        solver_keywords("clarabel", given.options) if given.name == "clarabel" else {}
    )
    return run(
        template,
        operation,
        lambda relaxed: define_expansion(relaxed, scenario),
        sizes,
        tolerance=tolerance,
        time_limit_s=time_limit_s,
        days_per_step=days_per_step,
        options=options,
        on_step=lambda step: say(step_line(step)),
        designs=designs,
    )


def step_line(step: Step) -> str:
    """One step of the bracket, for the progress display."""
    from bakuhub import i18n
    from bakuhub.i18n import number

    return _(
        "bracket: {snapshots} snapshots ({hours} h hourly): lower bound {lower}, its design "
        "{design} bn EUR/a; bracket {best_lower} - {best_upper} (gap {gap}; {seconds} s)"
    ).format(
        snapshots=number(step.snapshots),
        hours=number(step.fine_hours),
        lower=number(step.lower / 1e9, 4),
        design=number(step.design_cost / 1e9, 4),
        best_lower=number(step.best_lower / 1e9, 4),
        best_upper=number(step.best_upper / 1e9, 4),
        gap=i18n.percent(step.gap, 2),
        seconds=number(step.seconds, 0),
    )
