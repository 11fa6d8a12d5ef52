"""The master problem of :mod:`bakuhub.corridor.decompose`: the set ``X`` of designs
(bounds, constraints on capacities alone, the budget ``c'x <= UB``) and the two small
problems over it, solved with Clarabel in units scaled to the starting design: Kelley's
LP (the least of the cut model: the certified lower bound) and the level bundle's QP (the
design nearest the best one whose cut model is under a level)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class DecompositionError(RuntimeError):
    """An operating LP or a master problem did not solve."""


@dataclass
class Master:
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
