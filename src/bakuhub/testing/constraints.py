"""Compare a constraint family with equations written by hand, without solving.

``linopy.testing.assert_conequal`` compares the stored arrays, so two constraints
that mean the same thing differ when their terms are padded, ordered or
coordinated differently (a term ``0 * x`` left by a shift, a helper coordinate
from an ``isel``). :func:`assert_constraint_equal` first brings both sides to one
form (terms on the same variable summed, zero terms dropped, dimensions sorted,
helper coordinates dropped), then calls ``assert_conequal``. linopy is imported
when called.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def canonical_constraint(constraint: Any) -> Any:
    """``constraint`` (a linopy Constraint) in canonical form: ``lhs <sign> rhs`` with
    one term per variable, no zero terms, the constant moved to ``rhs``, dimensions
    in sorted order and only index coordinates."""
    from linopy.constants import TERM_DIM
    from linopy.constraints import Constraint

    lhs = constraint.lhs.simplify()
    data = lhs.data.reset_coords(drop=True)
    width = int((data.vars != -1).sum(TERM_DIM).max()) if data.vars.size else 0
    dims = sorted(str(d) for d in data.dims if d != TERM_DIM)
    data = data.isel({TERM_DIM: slice(0, max(width, 1))}).transpose(*dims, TERM_DIM)
    sign, rhs = (
        part.reset_coords(drop=True).broadcast_like(data.const).transpose(*dims)
        for part in (constraint.sign, constraint.rhs)
    )
    canonical = data[["coeffs", "vars"]].assign(sign=sign, rhs=rhs - data.const)
    return Constraint(canonical, constraint.model)


def assert_constraint_equal(actual: Any, expected: Any) -> None:
    """Fail (AssertionError) unless two linopy constraints state the same equations.

    ``actual`` is usually ``m.constraints[name]``; ``expected`` an unassigned
    constraint built by hand from the model's variables (``lhs == rhs``).
    """
    from linopy.testing import assert_conequal

    try:
        assert_conequal(canonical_constraint(actual), canonical_constraint(expected), strict=False)
    except AssertionError as error:
        raise AssertionError(f"{error}\n\nactual:\n{actual}\n\nexpected:\n{expected}") from None


def expression_rows(dim: str, labels: Sequence[Any], rows: Sequence[Any]) -> Any:
    """One linear expression along a new dimension ``dim`` from one row per label.

    Each row is a linopy variable or expression (e.g. ``e.sel(snapshot=1) -
    e.sel(snapshot=0)``), so an expected constraint can be written equation by
    equation; scalar coordinates left by ``sel`` are dropped.
    """
    import linopy

    exprs = [
        linopy.LinearExpression((1 * row).data.reset_coords(drop=True), row.model) for row in rows
    ]
    merged = linopy.merge(exprs, dim=dim, cls=linopy.LinearExpression)
    return merged.assign_coords({dim: list(labels)})
