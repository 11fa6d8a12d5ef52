"""The two CPU solvers give the same answer on the corridor model, and a solver that
stops short is never taken for an optimum."""

from __future__ import annotations

import pytest

from bakuhub.corridor.scenario import load_scenario, parse_scenario
from bakuhub.corridor.solve import (
    Solved,
    objective,
    solve_scenario,
    solver_keywords,
)
from bakuhub.corridor.solver_options import SolverOptions, SolverTuning
from bakuhub.errors import InvalidInput, MissingExtra

COARSE = "repdays:1/4"


def _solve(name: str, progress: list[str] | None = None, **options: object) -> Solved:
    solver = SolverOptions.model_validate({"name": name, "options": options})
    scenario = load_scenario("reference-2030").model_copy(update={"solver": solver})
    return solve_scenario(
        scenario, resolution=COARSE, progress=progress.append if progress is not None else None
    )


@pytest.fixture(scope="module")
def both() -> tuple[Solved, Solved]:
    return _solve("clarabel"), _solve("highs")


def test_clarabel_and_highs_reach_the_same_optimum(both: tuple[Solved, Solved]) -> None:
    clarabel, highs = both
    assert objective(clarabel.network) == pytest.approx(objective(highs.network), rel=1e-6)
    # the cables are the decision the corridor is about
    for cable in ("CASPIAN fwd", "BLACKSEA fwd"):
        assert clarabel.network.links.p_nom_opt[cable] == pytest.approx(
            highs.network.links.p_nom_opt[cable], rel=1e-3, abs=0.1
        )


def test_nodal_prices_agree(both: tuple[Solved, Solved]) -> None:
    clarabel, highs = both
    nodes = [b for b in highs.network.buses.index if not b.endswith(" battery")]
    weights = highs.network.snapshot_weightings.objective
    a = clarabel.network.buses_t.marginal_price[nodes].mul(weights, axis=0).sum() / weights.sum()
    b = highs.network.buses_t.marginal_price[nodes].mul(weights, axis=0).sum() / weights.sum()
    assert a.to_numpy() == pytest.approx(b.to_numpy(), rel=5e-3)


def test_an_interior_point_stopped_short_is_solved_again_with_highs() -> None:
    said: list[str] = []
    solved = _solve("clarabel", said, max_iterations=3)
    assert any("solving the same model again with highs" in line for line in said)
    assert "iteration_limit" in " ".join(said)
    assert solved.network.model.termination_condition == "optimal"


def test_an_unknown_solver_option_names_itself() -> None:
    scenario = {"name": "x", "year": 2030, "solver": {"options": {"tolerance": 1e-6}}}
    with pytest.raises(InvalidInput, match=r"solver.options.tolerance: is not a solver option"):
        parse_scenario(scenario)


def test_solver_options_become_each_solvers_own_keywords() -> None:
    tuning = SolverTuning(time_limit_s=60, threads=2, optimality_tolerance=1e-7, method="ipm")
    assert solver_keywords("highs", tuning) == {
        "time_limit": 60.0,
        "threads": 2,
        "ipm_optimality_tolerance": 1e-7,
        "solver": "ipm",
    }
    clarabel = SolverTuning(time_limit_s=60, max_iterations=50, feasibility_tolerance=1e-6)
    assert solver_keywords("clarabel", clarabel) == {
        "time_limit": 60.0,
        "max_iter": 50,
        "tol_feas": 1e-6,
    }
    assert solver_keywords("cuopt", SolverTuning(method="pdlp")) == {"method": 1}
    with pytest.raises(InvalidInput, match="clarabel does not take method"):
        parse_scenario({"name": "x", "year": 2030, "solver": {"options": {"method": "simplex"}}})


def test_hipo_reaches_the_same_optimum(both: tuple[Solved, Solved]) -> None:
    _clarabel, highs = both
    hipo = _solve("highs", method="hipo")
    assert hipo.stats["solver"] == "highs-hipo"
    assert objective(hipo.network) == pytest.approx(objective(highs.network), rel=1e-5)
    for cable in ("CASPIAN fwd", "BLACKSEA fwd"):
        assert hipo.network.links.p_nom_opt[cable] == pytest.approx(
            highs.network.links.p_nom_opt[cable], rel=1e-2, abs=1.0
        )


def test_hipo_belongs_to_highs() -> None:
    scenario = {
        "name": "x",
        "year": 2030,
        "solver": {"name": "cuopt", "options": {"method": "hipo"}},
    }
    with pytest.raises(InvalidInput, match="HiGHS's interior point: use it with name highs"):
        parse_scenario(scenario)


def test_hipo_without_its_extra_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "highspy_extras", None)  # as if not installed
    with pytest.raises(MissingExtra, match=r"pip install 'bakuhub\[hipo\]'"):
        _solve("highs", method="hipo")


def test_a_loose_interior_point_keeps_every_fixed_dispatch_within_its_limits() -> None:
    """At tolerances a scenario may set (1e-3, 1e-4), Clarabel meets a fixed plant's limits
    only to 1e-4: its unserved-energy generators ran 0.02 MW below zero. The answer is
    brought within the rows that hold one variable alone, as PyPSA writes those limits."""
    n = _solve("clarabel", optimality_tolerance=1e-3, feasibility_tolerance=1e-4).network
    fixed = n.generators.index[~n.generators.p_nom_extendable]
    p = n.generators_t.p[fixed]
    pu = n.get_switchable_as_dense
    lower = pu("Generator", "p_min_pu")[fixed] * n.generators.p_nom[fixed]
    upper = pu("Generator", "p_max_pu")[fixed] * n.generators.p_nom[fixed]
    assert (p >= lower).all().all() and (p <= upper).all().all()
    assert (n.generators_t.p[fixed[n.generators.carrier[fixed] == "unserved"]] >= 0).all().all()
