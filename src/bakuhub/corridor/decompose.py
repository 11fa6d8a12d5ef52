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
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import linopy
    import pypsa

OnStep = Callable[[int, "Step"], None]

CAPACITY_VARIABLES = {
    "Generator-p_nom": "generators",
    "Link-p_nom": "links",
    "Store-e_nom": "stores",
    "StorageUnit-p_nom": "storage_units",
    "Line-s_nom": "lines",
}
"""linopy's capacity variables and the PyPSA listing each belongs to."""
FIX = "benders-fix-"
ALPHA = 0.5
"""How far below the best cost the level is, as a share of the gap (1: Kelley's
cutting plane, 0: stay put)."""
STRIDE = 0.02
"""The most the level asks for below the best cost at first, as a share of it: doubled
after each round that gains at least half of what the level asked, halved (down to
:data:`STRIDE_MIN`) after one that gains nothing (a small gain keeps it: halving then
shrank the steps faster than the cuts improved the model, on the real year)."""
STRIDE_MIN = 1e-4


class DecompositionError(RuntimeError):
    """An operating LP or a master problem did not solve."""


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


@dataclass
class _Master:
    """The master's set ``X`` in scaled units ``z = x / scale``."""

    keys: list[tuple[str, str]]
    scale: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    boxed: np.ndarray
    eq: tuple[np.ndarray, np.ndarray]
    le: tuple[np.ndarray, np.ndarray]
    budget: tuple[np.ndarray, float] | None = None
    """``c'x <= UB``: the capital cost alone of a better design is below the best cost
    (set when operating costs cannot be negative)."""

    def project(self, x: np.ndarray) -> np.ndarray:
        """The point of ``X`` nearest ``x`` (scaled distance)."""
        return self.nearest(x, np.empty((0, len(x))), np.empty(0))

    def nearest(self, center: np.ndarray, cut_a: np.ndarray, cut_b: np.ndarray) -> np.ndarray:
        """``argmin ||(x - center) / scale||^2`` over ``X`` and ``cut_a x <= cut_b``."""
        n = len(center)
        zc = center / self.scale
        p = np.eye(n)
        q = -zc
        found: np.ndarray = self._solve(p, q, cut_a, cut_b)[:n] * self.scale
        return found

    def kelley(self, cut_a: np.ndarray, cut_b: np.ndarray) -> float:
        """``min theta`` over ``X`` with ``theta >= cut_k(x)``, i.e. the rows
        ``g_k x - theta <= g_k x_k - F_k`` (costs in units of the first design's)."""
        n = len(self.keys)
        k = len(cut_b)
        a = np.hstack([cut_a, -np.ones((k, 1))])
        q = np.r_[np.zeros(n), 1.0]
        sol = self._solve(np.zeros((n + 1, n + 1)), q, a, cut_b, extra=1)
        return float(sol[n])

    def _solve(
        self, p: np.ndarray, q: np.ndarray, cut_a: np.ndarray, cut_b: np.ndarray, extra: int = 0
    ) -> np.ndarray:
        import clarabel
        import scipy.sparse as sp

        n = len(self.keys)
        width = n + extra

        def widen(a: np.ndarray) -> np.ndarray:
            return np.hstack([a, np.zeros((a.shape[0], extra))]) if extra else a

        eq_a, eq_b = self.eq
        le_a, le_b = self.le
        # scaled: A x = A diag(scale) z
        scale = np.r_[self.scale, np.ones(extra)]
        rows_eq = widen(eq_a * self.scale) if len(eq_b) else np.zeros((0, width))
        rows_le = [widen(le_a * self.scale) if len(le_b) else np.zeros((0, width))]
        rows_le.append(cut_a * scale if cut_a.shape[1] == width else widen(cut_a * self.scale))
        bounded_hi = np.isfinite(self.upper)
        rows_le.append(np.hstack([np.eye(n)[bounded_hi], np.zeros((int(bounded_hi.sum()), extra))]))
        rows_le.append(np.hstack([-np.eye(n), np.zeros((n, extra))]))
        budget_b: list[float] = []
        if self.budget is not None:
            rows_le.append(widen((self.budget[0] * self.scale)[None, :]))
            budget_b.append(self.budget[1])
        a = np.vstack([rows_eq, *rows_le])
        b = np.r_[
            eq_b if len(eq_b) else [],
            le_b if len(le_b) else [],
            cut_b,
            (self.upper / self.scale)[bounded_hi],
            -(self.lower / self.scale),
            budget_b,
        ]
        cones = []
        if len(rows_eq):
            cones.append(clarabel.ZeroConeT(len(rows_eq)))
        cones.append(clarabel.NonnegativeConeT(a.shape[0] - len(rows_eq)))
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        settings.tol_gap_abs = settings.tol_gap_rel = settings.tol_feas = 1e-10
        solver = clarabel.DefaultSolver(
            sp.csc_matrix(np.triu(p)), np.asarray(q, float), sp.csc_matrix(a), b, cones, settings
        )
        solution = solver.solve()
        if str(solution.status) not in ("Solved", "AlmostSolved"):
            raise DecompositionError(f"The master problem did not solve: {solution.status}.")
        return np.asarray(solution.x)


class OperatingLP:
    """The model of ``n`` (built, capacities extendable) with every capacity fixed by a
    row, in HiGHS; constraints on capacities alone move to the master."""

    def __init__(self, n: pypsa.Network, cap: float) -> None:
        import xarray as xr

        m = n.model
        self.model = m
        self.groups: list[tuple[str, list[str]]] = []
        keys: list[tuple[str, str]] = []
        labels: list[np.ndarray] = []
        lower: list[np.ndarray] = []
        upper: list[np.ndarray] = []
        for variable, listing in CAPACITY_VARIABLES.items():
            if variable not in m.variables:
                continue
            var = m[variable]
            names = [str(x) for x in var.coords["name"].values]
            self.groups.append((variable, names))
            keys += [(listing, name) for name in names]
            labels.append(var.labels.values.ravel())
            lower.append(np.asarray(var.lower.values, float).ravel())
            upper.append(np.asarray(var.upper.values, float).ravel())
        if not keys:
            raise DecompositionError("The network has no extendable capacity to decompose.")
        label = np.concatenate(labels)
        column = {int(v): i for i, v in enumerate(label)}
        lo, hi = np.concatenate(lower), np.concatenate(upper)
        eq, le = self._move_capacity_constraints(m, column, len(keys))
        boxed = ~np.isfinite(hi)
        hi = np.where(boxed, cap, hi)
        for i, (listing, _name) in enumerate(keys):
            if boxed[i] and listing == "stores":
                hi[i] = cap * 24.0  # a day of the largest power, as energy
        self.floor = np.array([cap * (24.0 if k[0] == "stores" else 1.0) / 100.0 for k in keys])
        scale = np.maximum(self.floor, 1e-9)
        self.master = _Master(keys, scale, np.maximum(lo, 0.0), hi, boxed, eq, le)
        for variable, names in self.groups:
            var = m[variable]
            rhs = xr.DataArray(np.zeros(len(names)), coords={"name": names}, dims="name")
            m.add_constraints(var == rhs, name=FIX + variable)
        self.highs = m.to_highspy()
        clabels = m.constraints.label_index.clabels
        rows = []
        for variable, _names in self.groups:
            lab = m.constraints[FIX + variable].labels.values.ravel()
            at = np.searchsorted(clabels, lab)
            if not (clabels[at] == lab).all():
                raise DecompositionError("A capacity row is missing from the operating LP.")
            rows.append(at)
        self.rows = np.concatenate(rows).astype(np.int32)
        lp = self.highs.getLp()
        cost = np.asarray(lp.col_cost_, dtype=float)
        at = np.searchsorted(m.variables.label_index.vlabels, label)
        self.capital = cost[at]
        others = np.ones(len(cost), dtype=bool)
        others[at] = False
        self.operating_nonnegative = bool((cost[others] >= 0).all()) and _dispatch_nonnegative(n)
        """Whether no operating cost can be negative (then ``F(x) >= c'x``)."""
        self.highs.setOptionValue("output_flag", False)

    @staticmethod
    def _move_capacity_constraints(
        m: linopy.Model, column: dict[int, int], width: int
    ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """The constraints whose every variable is a capacity, as master rows (``=`` and
        ``<=``), removed from the operating LP."""
        eq_rows: list[np.ndarray] = []
        eq_b: list[float] = []
        le_rows: list[np.ndarray] = []
        le_b: list[float] = []
        capacity = np.fromiter(column, dtype=np.int64)
        for name in list(m.constraints):
            c = m.constraints[name]
            labels = np.asarray(c.labels.values).ravel()
            terms = np.asarray(c.vars.values).reshape(len(labels), -1)
            used = terms[(labels >= 0)[:, None] & (terms >= 0)]
            if used.size == 0 or not np.isin(used, capacity).all():
                continue
            coeffs = np.asarray(c.coeffs.values).reshape(len(labels), -1)
            rhs = np.asarray(c.rhs.values, dtype=float).ravel()
            signs = np.asarray(c.sign.values).ravel()
            for i in np.flatnonzero(labels >= 0):
                a = np.zeros(width)
                for var, coeff in zip(terms[i], coeffs[i], strict=True):
                    if var >= 0:
                        a[column[int(var)]] += float(coeff)
                sign = str(signs[i] if signs.size > 1 else signs[0])
                if sign == "=":
                    eq_rows.append(a)
                    eq_b.append(rhs[i])
                elif sign == "<=":
                    le_rows.append(a)
                    le_b.append(rhs[i])
                else:
                    le_rows.append(-a)
                    le_b.append(-rhs[i])
            m.remove_constraints(name)
        eq = (np.array(eq_rows).reshape(-1, width), np.array(eq_b))
        le = (np.array(le_rows).reshape(-1, width), np.array(le_b))
        return eq, le

    def evaluate(self, x: np.ndarray) -> tuple[float, np.ndarray, float]:
        """``F(x)``, a subgradient and the seconds HiGHS took (cold, with presolve)."""
        h = self.highs
        h.clearSolver()
        h.changeRowsBounds(len(self.rows), self.rows, x, x)  # type: ignore[attr-defined]
        started = time.perf_counter()
        h.run()
        seconds = time.perf_counter() - started
        status = h.modelStatusToString(h.getModelStatus())
        if status != "Optimal":
            raise DecompositionError(
                f"The operating LP did not solve to optimality ({status}): it must be "
                "feasible for every design (load shedding, soft targets)."
            )
        value = float(h.getInfo().objective_function_value)
        dual = np.asarray(h.getSolution().row_dual, dtype=float)[self.rows]
        return value, dual, seconds

    def assign(self, n: pypsa.Network) -> None:
        """The last solve's primal and dual solution into the linopy model and the
        network, as ``n.optimize.solve_model`` would."""
        from linopy.constants import Result, Solution, Status

        h = self.highs
        m = self.model
        solution = h.getSolution()
        primal = np.full(m._xCounter, np.nan)
        primal[m.variables.label_index.vlabels] = np.asarray(solution.col_value)
        dual = np.full(m._cCounter, np.nan)
        dual[m.constraints.label_index.clabels] = np.asarray(solution.row_dual)
        value = float(h.getInfo().objective_function_value)
        result = Result(
            status=Status.process("ok", "optimal"),
            solution=Solution(primal=primal, dual=dual, objective=value),
            solver_name="highs",
        )
        m.assign_result(result)
        n.optimize.assign_solution()
        n.optimize.assign_duals(False)
        n.optimize.post_processing()


def _dispatch_nonnegative(n: pypsa.Network) -> bool:
    """Whether every dispatch that costs something runs one way only (generators and
    links with a marginal cost have ``p_min_pu >= 0``; stores and storage units cost
    nothing to run), so that positive cost coefficients give a nonnegative cost. PyPSA
    writes dispatch bounds as rows, so the LP's column bounds do not say it."""
    for listing in ("generators", "links"):
        static = getattr(n, listing)
        if static.empty:
            continue
        dynamic = getattr(n, f"{listing}_t")
        paid = static.marginal_cost > 0
        varying = dynamic.marginal_cost
        if not varying.empty:
            paid = paid | (varying > 0).any().reindex(static.index, fill_value=False)
        lowest = static.p_min_pu.copy()
        if not dynamic.p_min_pu.empty:
            lowest = np.minimum(lowest, dynamic.p_min_pu.min().reindex(static.index).fillna(0))
        if (lowest[paid] < 0).any():
            return False
    for listing in ("stores", "storage_units"):
        static = getattr(n, listing)
        varying = getattr(n, f"{listing}_t").marginal_cost
        if (static.marginal_cost != 0).any() or (not varying.empty and (varying != 0).any().any()):
            return False
    return True


class _Pool:
    """Operating solves of several designs at once: the first in this process, the others
    in ``workers - 1`` processes forked before any solve (each inherits the operating LP;
    HiGHS's threads start in each process after the fork)."""

    def __init__(self, lp: OperatingLP, workers: int) -> None:
        import multiprocessing as mp

        self.lp = lp
        self.links: list[Any] = []
        self.procs: list[Any] = []
        if workers > 1 and "fork" in mp.get_all_start_methods():
            ctx = mp.get_context("fork")
            for _ in range(workers - 1):
                mine, theirs = ctx.Pipe()
                proc = ctx.Process(target=_serve, args=(theirs, lp), daemon=True)
                proc.start()
                self.links.append(mine)
                self.procs.append(proc)

    @property
    def size(self) -> int:
        return 1 + len(self.links)

    def evaluate(self, points: list[np.ndarray]) -> list[tuple[float, np.ndarray, float]]:
        for link, x in zip(self.links, points[1:], strict=False):
            link.send(x)
        out = [self.lp.evaluate(points[0])]
        for link, _x in zip(self.links, points[1:], strict=False):
            kind, answer = link.recv()
            if kind != "ok":
                raise DecompositionError(str(answer))
            out.append(answer)
        return out

    def close(self) -> None:
        for link in self.links:
            link.send(None)
        for proc in self.procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()


def _serve(link: Any, lp: OperatingLP) -> None:
    while (x := link.recv()) is not None:
        try:
            link.send(("ok", lp.evaluate(x)))
        except DecompositionError as exc:
            link.send(("error", str(exc)))


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
    pool = _Pool(lp, workers)
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
    pool: _Pool,
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
