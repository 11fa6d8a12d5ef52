"""Solver levers on the corridor model (issue 14): Clarabel's KKT solver and HiGHS's
first-order PDLP, on the reference scenario at one resolution.

    .venv/bin/python bench/solver_levers.py repdays/12 --clarabel qdldl faer
    .venv/bin/python bench/solver_levers.py repdays/12 --pdlp 1e-4 1e-5 1e-6
    .venv/bin/python bench/solver_levers.py hourly --weather ../shared/data --pdlp 1e-5 --limit 1200

Prints, per run: snapshots, variables, build and solve seconds, status and the objective.
The figures of ``docs/corridor-benchmark.md`` ("More levers") come from these runs.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from bakuhub.corridor import interior
from bakuhub.corridor import solve as S
from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.network import build_network
from bakuhub.corridor.scenario import Scenario, load_scenario
from bakuhub.corridor.temporal import build_temporal


def scenario(resolution: str, weather: str | None) -> Scenario:
    chosen = load_scenario("reference-2030").model_copy(update={"resolution": resolution})
    if weather:
        agora = chosen.weather.model_copy(update={"source": "agora", "path": weather})
        chosen = chosen.model_copy(update={"weather": agora})
    return chosen


def built(sc: Scenario) -> tuple[Any, float, int]:
    """The network with its model, the build time and the snapshot count."""
    started = time.perf_counter()
    data = load_dataset(sc.year, sc.costs.cable_cost)
    temporal = build_temporal(data.profiles, sc.resolution, S.full_year(sc))
    n = build_network(sc, data, temporal)
    S.add_co2_cap(n, sc)
    n.optimize.create_model(include_objective_constant=False)
    S.add_scenario_constraints(n, sc, temporal)
    return n, time.perf_counter() - started, len(temporal.series)


def report(label: str, n: Any, build_s: float, snapshots: int, solve_s: float, status: Any) -> None:
    cost = f"{n.objective / 1e9:.5f} bn EUR/a" if n.objective else "no solution"
    print(
        f"{label}: {snapshots:,} snapshots, {n.model.nvars:,} variables, build {build_s:.1f} s, "
        f"solve {solve_s:.1f} s, {status}, {cost}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("resolution")
    parser.add_argument("--weather", help="upstream data folder (the real Agora year)")
    parser.add_argument("--clarabel", nargs="*", default=[], help="KKT solvers: qdldl faer")
    parser.add_argument("--pdlp", nargs="*", type=float, default=[], help="PDLP tolerances")
    parser.add_argument("--limit", type=float, default=600, help="seconds per solve")
    parser.add_argument("--log", action="store_true", help="the solvers' own logs")
    args = parser.parse_args()
    S._quiet()
    sc = scenario(args.resolution, args.weather)
    for method in args.clarabel:
        n, build_s, snapshots = built(sc)
        options = {"direct_solve_method": method, "time_limit": args.limit}
        started = time.perf_counter()
        status = interior.solve_network(n, options, args.log)
        report(f"clarabel/{method}", n, build_s, snapshots, time.perf_counter() - started, status)
    for tolerance in args.pdlp:
        n, build_s, snapshots = built(sc)
        started = time.perf_counter()
        status = n.optimize.solve_model(
            solver_name="highs",
            io_api="direct",
            solver="pdlp",
            time_limit=args.limit,
            pdlp_optimality_tolerance=tolerance,
            primal_feasibility_tolerance=tolerance,
            dual_feasibility_tolerance=tolerance,
            log_to_console=args.log,
            output_flag=args.log,
        )
        report(f"pdlp/{tolerance:g}", n, build_s, snapshots, time.perf_counter() - started, status)


if __name__ == "__main__":
    main()
