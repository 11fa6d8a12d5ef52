"""The full hourly capacity expansion by Benders decomposition with a level bundle.

The hourly expansion ``min_x F(x)``, ``F(x) = c'x + op(x)``, is split into an
investment master over the capacities ``x`` (MW, MWh: every extendable ``p_nom`` /
``e_nom``) and one operating LP: the whole year, hour by hour, with the capacities
fixed by equality rows ``x = x_k``. Solving it gives ``F(x_k)`` and, from the duals
of those rows, a subgradient ``g_k`` (EUR/a per MW). ``F`` is convex (the optimal
value of an LP in its right-hand side), so every evaluation gives a cut valid
everywhere:

``F(x) >= F(x_k) + g_k'(x - x_k)``.

* **Lower bound** ``LB``: the least of the cut model over the master's set ``X``
  (bounds, and the constraints that involve capacities only: a cable's one capacity
  both ways, a battery's one inverter), an LP.
* **Upper bound** ``UB``: the least ``F(x_k)`` evaluated: a design and its exact
  hourly operation, so the best design's cost on the hourly year.
* **Next point** (the level bundle of Lemarechal, Nemirovskii and Nesterov 1995): the
  point nearest the best design (in scaled units) whose cut model is at most the
  level ``UB - alpha min(UB - LB, s UB)``, a QP (Clarabel); the stride ``s`` keeps the
  level near the best design while ``LB`` is far below (see :data:`STRIDE`).

The gap ``(UB - LB) / UB`` is certified (to the master solver's tolerance): the hourly
optimum lies between the two. When no operating cost can be negative, ``F(x) >= c'x``
is a cut and ``c'x <= UB`` holds for any better design, so a capacity with a capital
cost needs no box; one without (and with no upper bound of its own) is boxed at
``cap``, and the result says whether the best design touches such a box. The operating LP must be
feasible for every ``x`` in ``X``: load shedding at the value of lost load keeps
demand feasible; annual targets are written soft, with a penalty (see
:mod:`bakuhub.corridor.real_year`), which is exact when the best design meets them.

The operating LP goes to HiGHS once (linopy's ``to_highspy``) and is re-solved with
new right-hand sides. Each solve starts cold (with presolve): on the corridor's real
year a warm-started dual simplex took 250-280 s where a cold solve took about 30 s.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from bakuhub.corridor.decompose_master import DecompositionError
from bakuhub.corridor.decompose_operating import OperatingLP, Pool

if TYPE_CHECKING:
    import pypsa

OnStep = Callable[[int, "Step"], None]

ALPHA = 0.5
"""How far below the best cost the level is, as a share of the gap (1: Kelley's
cutting plane, 0: stay put)."""
STRIDE = 0.02
"""The most the level asks for below the best cost at first, as a share of it: doubled
after each round that gains at least half of what the level asked, halved (down to
:data:`STRIDE_MIN`) after one that gains nothing (a small gain keeps it: halving then
shrank the steps faster than the cuts improved the model, on the real year)."""
STRIDE_MIN = 1e-4


@dataclass
class Step:
    """One evaluation: the design's cost, the bounds after it, seconds since the start."""

    cost: float
    lower: float
    upper: float
    seconds: float
    solve_s: float

    @property
    def gap(self) -> float:
        return (self.upper - self.lower) / abs(self.upper)


@dataclass
class Decomposed:
    """The best design found, its hourly cost and the certified lower bound (EUR/a)."""

    design: dict[tuple[str, str], float]
    upper: float
    lower: float
    steps: list[Step] = field(default_factory=list)
    boxed: list[str] = field(default_factory=list)
    """Capacities of the best design at a box the model itself does not set."""
    converged: bool = False

    @property
    def gap(self) -> float:
        return (self.upper - self.lower) / abs(self.upper)


def decompose(
    n: pypsa.Network,
    *,
    start: dict[tuple[str, str], float] | None = None,
    tolerance: float = 1e-3,
    max_evaluations: int = 60,
    time_limit_s: float = 3600.0,
    cap: float | None = None,
    workers: int = 1,
    on_step: OnStep | None = None,
    assign: bool = True,
) -> Decomposed:
    """Solve the capacity expansion of ``n`` (its linopy model built) by Benders.

    ``start``: a first design (e.g. from an aggregated solve); ``cap``: the box for
    capacities with no upper bound (default: four times the largest load's peak sum).
    ``workers``: designs solved at once (each round also tries a longer step, 1.8 times
    what the level asks, in a forked process). ``on_step(k, step)`` hears of
    each evaluation. With ``assign``, the best design's hourly solution is written back
    to ``n``.
    """
    started = time.perf_counter()
    if cap is None:
        peak = float(n.loads_t.p_set.sum(axis=1).max()) if not n.loads_t.p_set.empty else 0.0
        cap = max(4.0 * peak, 4.0 * float(n.loads.p_set.sum()), 1.0)
    lp = OperatingLP(n, cap)
    pool = Pool(lp, workers)
    try:
        found = _bundle(
            lp, pool, start, (tolerance, max_evaluations, time_limit_s, started), on_step
        )
        if assign:
            if found.best_at != len(found.steps) - 1 or pool.size > 1:
                lp.evaluate(found.best_x)
            lp.assign(n)
    finally:
        pool.close()
    master = lp.master
    at_box = master.boxed & (found.best_x >= master.upper * (1 - 1e-6))
    keys = master.keys
    design = {key: float(v) for key, v in zip(keys, found.best_x, strict=True)}
    boxed = [f"{listing} {name}" for (listing, name), hit in zip(keys, at_box, strict=True) if hit]
    return Decomposed(
        design, float(found.upper), float(found.lower), found.steps, boxed, found.converged
    )


@dataclass
class _Found:
    best_x: np.ndarray
    best_at: int
    upper: float
    lower: float
    steps: list[Step]
    converged: bool


def _bundle(
    lp: OperatingLP,
    pool: Pool,
    start: dict[tuple[str, str], float] | None,
    limits: tuple[float, int, float, float],
    on_step: OnStep | None,
) -> _Found:
    """The level bundle's rounds (see the module's docstring); ``limits``: the gap
    tolerance, most evaluations, seconds and the moment they count from."""
    tolerance, max_evaluations, time_limit_s, started = limits
    master = lp.master
    x = np.array([(start or {}).get(key, 0.0) for key in master.keys], dtype=float)
    x = np.clip(x, master.lower, master.upper)
    # distances in units of the start design (a floor of 1 % of the box for what it lacks)
    master.scale = np.maximum(x, lp.floor)
    points = [master.project(x)]
    cuts_a: list[np.ndarray] = []
    cuts_b: list[float] = []
    steps: list[Step] = []
    best_x, upper, lower = points[0], np.inf, -np.inf
    best_at = -1
    stride, asked, unit = STRIDE, 0.0, 1.0
    while True:
        points = points[: max_evaluations - len(steps)]
        answers = pool.evaluate(points)
        before = upper
        for x, (value, g, solve_s) in zip(points, answers, strict=True):
            if not steps:
                unit = max(abs(value), 1e-9)  # the master's costs in units of the first
                if lp.operating_nonnegative:  # F(x) >= c'x: the capital cost alone
                    cuts_a.append(lp.capital / unit)
                    cuts_b.append(0.0)
                    # a better design has c_i x_i <= F(x_0): no box tighter than that, so
                    # the bound holds for every capacity that costs something
                    priced = master.boxed & (lp.capital > 0)
                    room = value / np.where(priced, lp.capital, 1.0)
                    master.upper = np.where(priced, np.maximum(master.upper, room), master.upper)
                    master.boxed = master.boxed & ~priced
            if value < upper:
                best_x, upper, best_at = x.copy(), value, len(steps)
            # the cut g'x - theta <= g'x_k - F_k, costs in units of the first design's
            cuts_a.append(g / unit)
            cuts_b.append(float(g @ x - value) / unit)
            if lp.operating_nonnegative:
                master.budget = (lp.capital / unit, upper / unit)
            a, b = np.array(cuts_a), np.array(cuts_b)
            lower = max(lower, master.kelley(a, b) * unit)
            steps.append(Step(value, lower, upper, time.perf_counter() - started, solve_s))
            if on_step is not None:
                on_step(len(steps) - 1, steps[-1])
        if len(steps) > len(points):  # not the first round: widen or narrow the stride
            stride = (
                stride * 2.0 if before - upper >= 0.5 * asked else max(stride / 2.0, STRIDE_MIN)
            )
        converged = (upper - lower) / abs(upper) <= tolerance
        if converged or len(steps) >= max_evaluations:
            break
        if time.perf_counter() - started >= time_limit_s:
            break
        # the level: ALPHA of the gap below the best, but at most the stride of its cost
        # (while the bound is far below, a level near it sends the design far away)
        asked = ALPHA * min(upper - lower, stride * abs(upper))
        a, b = np.array(cuts_a), np.array(cuts_b)
        # cut_k(x) <= level  <=>  g_k'x <= level + g_k'x_k - F_k
        points = [master.nearest(best_x, a, b + (upper - asked) / unit)]
        if pool.size > 1:  # a longer step, whose level may lie too near the bound to reach
            with contextlib.suppress(DecompositionError):
                points.append(master.nearest(best_x, a, b + (upper - 1.8 * asked) / unit))
    return _Found(best_x, best_at, upper, lower, steps, converged)
