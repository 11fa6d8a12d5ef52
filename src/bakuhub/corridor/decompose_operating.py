"""The operating side of :mod:`bakuhub.corridor.decompose`: the hourly model with every
capacity fixed by a row, in HiGHS, solved again for each design (its cost and, from the
rows' duals, a subgradient), and :class:`Pool`, which solves several designs at once in
forked processes."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np

from bakuhub.corridor.decompose_master import DecompositionError, Master

if TYPE_CHECKING:
    import linopy
    import pypsa

CAPACITY_VARIABLES = {
    "Generator-p_nom": "generators",
    "Link-p_nom": "links",
    "Store-e_nom": "stores",
    "StorageUnit-p_nom": "storage_units",
    "Line-s_nom": "lines",
}
"""linopy's capacity variables and the PyPSA listing each belongs to."""
FIX = "benders-fix-"


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
        self.master = Master(keys, scale, np.maximum(lo, 0.0), hi, boxed, eq, le)
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


class Pool:
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
