"""Solve a PyPSA/linopy model with Clarabel, an interior-point solver with a sparse
direct factorisation.

HiGHS's simplex and its IPX interior point (the only ones in the HiGHS wheels) slow
down steeply on the corridor model as snapshots are added: 800 snapshots take about
75 s, the 2,016 snapshots of the shipped representative days more than 15 minutes
on 2 cores. Clarabel (Apache-2.0, pure wheels, no licence) factorises the KKT system
directly and solves the same LPs about 10 times faster (see
``docs/corridor-benchmark.md``), to the same objective.

The LP comes from linopy's in-memory matrices (no file is written), goes to Clarabel
as ``min c'x  s.t.  A x + s = b, s in K`` (equalities in the zero cone, ``<=`` rows,
negated ``>=`` rows and finite variable bounds in the non-negative cone), and the
solution and duals go back through :meth:`linopy.Model.assign_result`, so PyPSA reads
them as from any other solver. Only Clarabel's ``Solved`` status counts as optimal.

Scaling: variables are solved in units of ``x_scale`` and the objective in units of
``cost_scale`` (see :func:`scales`: for the corridor, GW and 10,000 EUR); without it
Clarabel can stop early, wrongly reporting the problem unbounded (the corridor's
costs span 0.1 to 2e6 EUR per unit, its bounds 1e-4 to 1e6 MW).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import linopy
    import pypsa

RHS_TARGET = 1e3
"""Largest right-hand side (bounds included) after scaling, about."""
COST_TARGET = 1e2
"""Largest objective coefficient after scaling, about."""

STATUS = {
    "Solved": ("ok", "optimal"),
    "PrimalInfeasible": ("warning", "infeasible"),
    "DualInfeasible": ("warning", "infeasible_or_unbounded"),
    "AlmostSolved": ("warning", "suboptimal"),
    "AlmostPrimalInfeasible": ("warning", "infeasible"),
    "AlmostDualInfeasible": ("warning", "infeasible_or_unbounded"),
    "MaxIterations": ("warning", "iteration_limit"),
    "MaxTime": ("warning", "time_limit"),
    "NumericalError": ("warning", "numerical_error"),
    "InsufficientProgress": ("warning", "suboptimal"),
}


def _conic_form(m: linopy.Model) -> dict[str, Any]:
    """``A x + s = b`` with ``s`` in (zero cone) x (non-negative cone), from linopy."""
    import scipy.sparse as sp

    mat = m.matrices
    a = sp.csr_matrix(mat.A)
    b = np.asarray(mat.b, dtype=float)
    sense = np.asarray(mat.sense)
    lb = np.asarray(mat.lb, dtype=float)
    ub = np.asarray(mat.ub, dtype=float)
    eq, le, ge = sense == "=", sense == "<", sense == ">"
    identity = sp.identity(a.shape[1], format="csr")
    has_lb, has_ub = np.isfinite(lb), np.isfinite(ub)
    rows = sp.vstack([a[eq], a[le], -a[ge], -identity[has_lb], identity[has_ub]]).tocsc()
    rhs = np.concatenate([b[eq], b[le], -b[ge], -lb[has_lb], ub[has_ub]])
    # where each model row landed, and the sign its dual takes back in linopy's convention
    order = np.concatenate([np.flatnonzero(eq), np.flatnonzero(le), np.flatnonzero(ge)])
    sign = np.concatenate([-np.ones(eq.sum()), -np.ones(le.sum()), np.ones(ge.sum())])
    return {
        "A": rows,
        "b": rhs,
        "c": np.asarray(mat.c, dtype=float),
        "zero": int(eq.sum()),
        "nonneg": int(le.sum() + ge.sum() + has_lb.sum() + has_ub.sum()),
        "order": order,
        "sign": sign,
        "vlabels": np.asarray(mat.vlabels),
        "bounds": _bounds(rows, rhs, int(eq.sum()), lb, ub),
        "clabels": np.asarray(mat.clabels),
    }


def _bounds(
    rows: Any, rhs: np.ndarray, zero: int, lb: np.ndarray, ub: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each variable's bounds: its own, tightened by the rows of the conic form that hold
    it alone (PyPSA writes a fixed component's dispatch limits as such rows)."""
    lower, upper = lb.copy(), ub.copy()
    csr = rows.tocsr()
    single = np.flatnonzero(np.diff(csr.indptr) == 1)
    cols = csr.indices[csr.indptr[single]]
    coef = csr.data[csr.indptr[single]]
    single, cols, coef = single[coef != 0], cols[coef != 0], coef[coef != 0]
    value = rhs[single] / coef  # a x + s = b, s >= 0 (s = 0 in the zero cone)
    up = (coef > 0) | (single < zero)
    down = (coef < 0) | (single < zero)
    np.minimum.at(upper, cols[up], value[up])
    np.maximum.at(lower, cols[down], value[down])
    return lower, np.maximum(upper, lower)


def scales(form: dict[str, Any]) -> tuple[float, float]:
    """(x_scale, cost_scale): powers of ten that bring the largest finite right-hand side
    near :data:`RHS_TARGET` and the largest cost near :data:`COST_TARGET`, never below 1
    (a model already small is left as it is)."""

    def power(values: np.ndarray, target: float) -> float:
        finite = np.abs(values[np.isfinite(values)])
        top = float(finite.max()) if finite.size else 0.0
        if top <= target:
            return 1.0
        return float(10.0 ** np.floor(np.log10(top / target)))

    return power(form["b"], RHS_TARGET), power(form["c"], COST_TARGET)


def solve(
    m: linopy.Model, options: dict[str, Any] | None = None, log: bool = False
) -> tuple[str, str]:
    """Solve ``m`` with Clarabel and write the result back; returns (status, condition)
    (see :func:`solve_bounded`)."""
    status, condition, _bound = solve_bounded(m, options, log)
    return status, condition


def solve_bounded(
    m: linopy.Model, options: dict[str, Any] | None = None, log: bool = False
) -> tuple[str, str, float]:
    """Solve ``m`` with Clarabel and write the result back; returns (status, condition,
    bound) in the model's units (nan unless optimal): the dual objective ``-b'z`` less
    ``|r|'|x|``, the part of the dual residual ``r = c + A'z`` at Clarabel's answer ``x``.
    By weak duality ``c'x >= -b'z + r'x`` for every feasible ``x``: a lower bound on the
    LP's optimum up to how far the optimum lies from Clarabel's answer, which is what
    lets an interior point stopped at loose tolerances still bound (at 1e-4 / 1e-5 on a
    14 bn EUR/a model the term is 0.26 M EUR/a).

    ``options`` are Clarabel settings (``tol_gap_rel``, ``max_iter``, ``time_limit``,
    ``max_threads``...), plus ``x_scale`` and ``cost_scale`` to override :func:`scales`;
    a scenario's come from :func:`bakuhub.corridor.solve.solver_keywords` (an allow-list).
    """
    import clarabel
    import scipy.sparse as sp
    from linopy.constants import Result, Solution, Status

    settings_in = dict(options or {})
    form = _conic_form(m)
    auto_x, auto_cost = scales(form)
    x_scale = float(settings_in.pop("x_scale", auto_x))
    cost_scale = float(settings_in.pop("cost_scale", auto_cost))
    settings = clarabel.DefaultSettings()
    settings.verbose = log
    settings.max_threads = os.cpu_count() or 1
    for key, value in settings_in.items():
        if not hasattr(settings, key):
            from bakuhub.errors import InvalidInput
            from bakuhub.i18n import _

            raise InvalidInput(
                _("solver.options: '{key}' is not a Clarabel setting.").format(key=key)
            )
        setattr(settings, key, value)
    cones = [clarabel.ZeroConeT(form["zero"]), clarabel.NonnegativeConeT(form["nonneg"])]
    nvars = form["A"].shape[1]
    solver = clarabel.DefaultSolver(
        sp.csc_matrix((nvars, nvars)),
        form["c"] / cost_scale,
        form["A"],
        form["b"] / x_scale,
        cones,
        settings,
    )
    found = solver.solve()
    status, condition = STATUS.get(str(found.status), ("warning", "unknown"))
    if status != "ok":
        m.status, m.termination_condition = status, condition
        return status, condition, float("nan")
    # within its bounds: Clarabel meets them only to its feasibility tolerance (at 1e-5,
    # an unserved energy of -3 MWh a year otherwise)
    x = np.clip(np.asarray(found.x) * x_scale, *form["bounds"])
    z = np.asarray(found.z)[: len(form["order"])] * cost_scale
    primal = np.full(m._xCounter, np.nan)
    primal[form["vlabels"]] = x
    row_dual = np.empty(len(form["order"]))
    row_dual[form["order"]] = form["sign"] * z
    dual = np.full(m._cCounter, np.nan)
    dual[form["clabels"]] = row_dual
    objective = float(found.obj_val) * x_scale * cost_scale
    result = Result(
        status=Status.process(status, condition),
        solution=Solution(primal=primal, dual=dual, objective=objective),
        solver_name="clarabel",
    )
    status, condition = m.assign_result(result)
    return status, condition, _bound(form, found, x_scale, cost_scale)


def _bound(form: dict[str, Any], found: Any, x_scale: float, cost_scale: float) -> float:
    """``-b'z - |r|'|x|`` in the model's units (see :func:`solve_bounded`), with ``z``
    brought into the dual cone (non-negative past the zero cone)."""
    z = np.asarray(found.z, dtype=float).copy()
    z[form["zero"] :] = np.maximum(z[form["zero"] :], 0.0)
    x = np.asarray(found.x, dtype=float)
    residual = form["c"] / cost_scale + form["A"].T @ z
    scaled = -float(form["b"] @ z) / x_scale - float(np.abs(residual) @ np.abs(x))
    return scaled * x_scale * cost_scale


def solve_network(
    n: pypsa.Network, options: dict[str, Any] | None = None, log: bool = False
) -> tuple[str, str]:
    """Solve the network's model (``n.optimize.create_model`` done) and, when optimal,
    hand the solution and duals to PyPSA as ``n.optimize.solve_model`` would."""
    status, condition = solve(n.model, options, log)
    if status == "ok":
        n.optimize.assign_solution()
        n.optimize.assign_duals(False)
        n.optimize.post_processing()
    return status, condition
