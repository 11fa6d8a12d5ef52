"""Resolution benchmark of the corridor model on the reference scenario.

For each temporal resolution: wall time, peak memory, model size, and the key
results (total cost; Caspian and Black Sea cable capacity; PV, wind and storage
capacity), with each one's deviation from the finest resolution that finished (the
most snapshots: hourly where it finishes).
Each resolution runs in its own process (peak memory is that process's maximum
resident set). Prints a table; asserts nothing about time.

With ``--weather`` (the real Agora year) each design is also operated through the
8,760 real hours (the study's real-year check): its real-year cost, and its **regret**,
that cost minus the real-year optimum (the hourly row's cost); ``--flatness`` adds the
real-year cost of the default's design with 20 % less and more storage. ``--plain``
also solves the same network with plain PyPSA (``n.optimize()`` with HiGHS, its
defaults) under ``--plain-timeout`` and prints its wall time over bakuhub's.

    .venv/bin/python bench/corridor.py                      # the default set
    .venv/bin/python bench/corridor.py --resolutions 3h repdays repdays/12
    .venv/bin/python bench/corridor.py --reference hourly.json   # finest solved elsewhere
    .venv/bin/python bench/corridor.py --only 2h --json-out 2h.json --timeout 3600
    .venv/bin/python bench/corridor.py --solver highs --resolutions default   # HiGHS instead
    .venv/bin/python bench/corridor.py --scenario hyrasia-2032 --resolutions default  # molecules
    .venv/bin/python bench/corridor.py --weather ../shared/data --plain --flatness \
        --resolutions hourly 3h repdays repdays/12 default       # the real-year table
    .venv/bin/python bench/corridor.py --weather ../shared/data --resolutions benders default
    .venv/bin/python bench/corridor.py --pathway --scenario pathway-2050 --only default \
        --timeout 3600                                      # the pathway 2030-2050
    .venv/bin/python bench/corridor.py --pathway --scenario pathway-2050 --only repdays/4 \
        --pathway-mode perfect-foresight                    # all years as one LP
    .venv/bin/python bench/corridor.py --weather ../shared/data --resolutions 3h default+peaks

``RES+peaks`` (``default+peaks``, ``repdays/8+peaks2``): size at RES, then re-size with the
days the real-year check found short (``corridor/peak_days.py``), once or N times: what a
study does with the scenario's ``peak_rounds``; its wall time includes the checks.

``proven[:BASE]`` (``proven:3h``, ``proven:segments:2000``): the proven bracket on the hourly
expansion (``corridor/bracket.py``): block models of BASE (default ``6h``) as relaxations
(lower bound), their designs operated hour by hour (upper bound), the binding days made
hourly step by step; prints each step's bounds, gap and times, and the best design.

``benders``: the hourly expansion on the scenario's weather year by Benders decomposition
(``corridor/hourly.py``) from the default's design, for at most ``--benders-limit`` s: the
best design's hourly cost (an upper bound on the hourly optimum), the certified lower
bound, and each operating solve's bounds; it is the finest row (8,760 snapshots), so the
others' regret is measured against its best design.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from typing import Any

DEFAULT = ["hourly", "2h", "3h", "repdays", "repdays:3", "repdays:2", "repdays/8", "default"]
FLATNESS = (0.8, 1.2)
BENDERS_TOLERANCE = 1e-3
BENDERS_LIMIT_S = 600.0
BENDERS_WORKERS = 2
"""Operating solves at once (one per core here)."""
KEYS = ("cost_bn_eur", "caspian_mw", "blacksea_mw", "pv_gw", "wind_gw", "storage_gwh")


def scenario_for(scenario_name: str, weather: str | None, solver: str | None) -> Any:
    """The named scenario, on the real weather and with another solver when asked."""
    from bakuhub.corridor.scenario import load_scenario, parse_scenario
    from bakuhub.corridor.solver_options import SolverOptions

    scenario = load_scenario(scenario_name)
    if weather:  # an operator's path: trusted, as from the command line
        data = scenario.model_dump()
        data["weather"] = {"source": "agora", "path": weather}
        scenario = parse_scenario(data, trusted=True)
    if solver:
        name, _, method = solver.partition("-")  # highs-hipo: HiGHS with HiPO
        options = {"method": method} if method else {}
        scenario = scenario.model_copy(
            update={"solver": SolverOptions.model_validate({"name": name, "options": options})}
        )
    return scenario


def measure(
    resolution: str,
    scenario_name: str,
    weather: str | None,
    solver: str | None = None,
    flatness: bool = False,
) -> dict[str, Any]:
    """Solve the scenario at one resolution; figures of that solve (and, on the real
    weather, of its design operated through the real year)."""
    from bakuhub.corridor.solve import solve_scenario

    scenario = scenario_for(scenario_name, weather, solver)
    if resolution == "benders":
        limit = float(os.environ.get("BENCH_BENDERS_LIMIT_S", BENDERS_LIMIT_S))
        return benders(scenario, limit, flatness)
    if "+peaks" in resolution:
        return peaks(scenario, resolution)
    if resolution.startswith("proven"):
        return proven(scenario, resolution)
    started = time.perf_counter()
    solved = solve_scenario(scenario, resolution=None if resolution == "default" else resolution)
    wall = time.perf_counter() - started
    return {**sized_row(solved, wall), **(real_year(solved, flatness) if weather else {})}


def sized_row(solved: Any, wall: float, label: str | None = None) -> dict[str, Any]:
    """A sizing solve's row: its results, model size, times and peak memory."""
    from bakuhub.corridor.solve import objective

    return {
        **figures(solved.network),
        "resolution": label or solved.stats["resolution"],
        "solver": solved.stats["solver"],
        "snapshots": solved.stats["snapshots"],
        "variables": solved.stats["variables"],
        "constraints": solved.stats["constraints"],
        "build_s": solved.stats["build_s"],
        "solve_s": solved.stats["solve_s"],
        "wall_s": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cost_bn_eur": objective(solved.network) / 1e9,
    }


def figures(n: Any) -> dict[str, float]:
    """The cables, PV, wind and storage of a solved network."""
    gens = n.generators[n.generators.p_nom_extendable]
    by_carrier = gens.groupby("carrier").p_nom_opt.sum()
    links = n.links.p_nom_opt
    return {
        "caspian_mw": float(links.get("CASPIAN fwd", 0.0)),
        "blacksea_mw": float(links.get("BLACKSEA fwd", 0.0)),
        "pv_gw": float(by_carrier.get("solar", 0.0)) / 1e3,
        "wind_gw": float(by_carrier.get("onwind", 0.0) + by_carrier.get("offwind", 0.0)) / 1e3,
        "storage_gwh": float(n.stores.e_nom_opt.sum()) / 1e3,
    }


def benders(
    scenario: Any, limit_s: float = BENDERS_LIMIT_S, flatness: bool = False
) -> dict[str, Any]:
    """The hourly expansion on the scenario's weather year by Benders decomposition,
    from the default resolution's design: the best design's hourly cost (an upper bound
    on the hourly optimum) and the certified lower bound."""
    from bakuhub.corridor.hourly import solve_hourly
    from bakuhub.corridor.results import unserved
    from bakuhub.corridor.solve import solve_scenario

    started = time.perf_counter()
    start = solve_scenario(scenario)
    found = solve_hourly(
        scenario,
        start.network,
        tolerance=BENDERS_TOLERANCE,
        time_limit_s=limit_s,
        workers=int(os.environ.get("BENCH_BENDERS_WORKERS", BENDERS_WORKERS)),
        progress=lambda line: print(f"    {line}", flush=True),
    )
    n, r = found.network, found.result
    flat = {}
    if flatness:  # the best design with its storage scaled, operated through the year
        from bakuhub.corridor.solve import Solved

        best = Solved(scenario, n, found.temporal, {})
        flat = {k: v for k, v in real_year(best, True).items() if k.startswith("storage_x")}
    return {
        **figures(n),
        "resolution": "benders",
        "solver": "highs+clarabel",
        "snapshots": len(n.snapshots),
        "variables": int(n.model.nvars),
        "constraints": int(n.model.ncons),
        "build_s": start.stats["build_s"] + start.stats["solve_s"] + found.build_s,
        "solve_s": found.seconds - found.build_s,
        "wall_s": time.perf_counter() - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cost_bn_eur": r.upper / 1e9,
        "lower_bn": r.lower / 1e9,
        "gap": r.gap,
        "evaluations": len(r.steps),
        "steps": [(s.seconds, s.cost / 1e9, s.lower / 1e9, s.upper / 1e9) for s in r.steps],
        "boxed": r.boxed,
        "shortfall_mwh": found.shortfall_mwh,
        # the design's hourly operation is its real-year check
        "real_cost_bn": r.upper / 1e9,
        "real_unserved_twh": float(unserved(n).unserved_twh.sum()),
        "check_s": 0.0,
        **flat,
    }


def proven(scenario: Any, label: str) -> dict[str, Any]:
    """``proven[:BASE]``: the proven bracket on the hourly expansion (``corridor/bracket.py``)
    from chronological blocks BASE (default ``6h``): per step the block model's lower
    bound, its design's hourly cost, the bracket and the wall time; then the best design.
    Environment: ``BENCH_PROVEN_TOL`` (default 0.002), ``BENCH_PROVEN_LIMIT_S`` (1200),
    ``BENCH_PROVEN_DAYS`` (days refined a step, 10)."""
    from bakuhub.corridor.bracket import prove

    base = label.partition(":")[2] or "6h"
    started = time.perf_counter()
    found = prove(
        scenario,
        base=base,
        tolerance=float(os.environ.get("BENCH_PROVEN_TOL", 2e-3)),
        time_limit_s=float(os.environ.get("BENCH_PROVEN_LIMIT_S", 1200.0)),
        days_per_step=int(os.environ.get("BENCH_PROVEN_DAYS", 10)),
        progress=lambda line: print(f"    {line}", flush=True),
    )
    wall = time.perf_counter() - started
    print(
        "  step  snaps  fine h   LB bn  design bn  bracket bn           gap   LB s   UB s  wall s"
    )
    for k, s in enumerate(found.steps):
        print(
            f"  {k:>4}{s.snapshots:>7}{s.fine_hours:>8}{s.lower / 1e9:>8.4f}"
            f"{s.design_cost / 1e9:>11.4f}  {s.best_lower / 1e9:.4f}-{s.best_upper / 1e9:.4f}"
            f"{100 * s.gap:>7.2f} %{s.lower_s:>7.0f}{s.upper_s:>7.0f}{s.seconds:>8.0f}",
            flush=True,
        )
    assert found.design is not None
    return {
        **figures(found.design),
        "resolution": label,
        "solver": "clarabel+highs",
        "snapshots": found.steps[-1].snapshots,
        "variables": int(found.design.model.nvars),
        "constraints": int(found.design.model.ncons),
        "build_s": 0.0,
        "solve_s": wall,
        "wall_s": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cost_bn_eur": found.upper / 1e9,
        "bracket_lower_bn": found.lower / 1e9,
        "bracket_gap": found.gap,
        "bracket_steps": [vars(s) for s in found.steps],
        "shortfall_mwh": found.shortfall_mwh,
        "load_average": os.getloadavg(),
    }


def peaks(scenario: Any, label: str) -> dict[str, Any]:
    """``RES+peaksN``: size at RES (``default``: the scenario's), then re-size with the
    days the real-year check found short, at most N times (``corridor/peak_days.py``;
    N: the scenario's ``peak_rounds``, at least 1). Wall time: sizings and checks, the
    last design's check (the study's own) included."""
    from bakuhub.corridor.peak_days import add_peak_days
    from bakuhub.corridor.solve import solve_scenario

    resolution, _sep, count = label.partition("+peaks")
    rounds = int(count) if count else max(scenario.peak_rounds, 1)
    started = time.perf_counter()
    sized = solve_scenario(scenario, resolution=None if resolution == "default" else resolution)
    solved, check, done = add_peak_days(sized, rounds)
    wall = time.perf_counter() - started
    for r in done:
        print(f"    round: {r.summary()}", flush=True)
    return {
        **sized_row(solved, wall, label),
        "real_cost_bn": check.summary["system_cost_eur_a"] / 1e9,
        "real_unserved_twh": check.summary["unserved_twh"],
        "check_s": 0.0,  # in the wall time
        "rounds": [r.summary() for r in done],
    }


def real_year(solved: Any, flatness: bool) -> dict[str, Any]:
    """The design operated through the real year: its cost (bn EUR/a) and unserved
    energy; with ``flatness``, the cost with storage scaled by each of ``FLATNESS``."""
    from bakuhub.corridor.real_year import check_design

    started = time.perf_counter()
    check = check_design(solved).summary
    out = {
        "real_cost_bn": check["system_cost_eur_a"] / 1e9,
        "real_unserved_twh": check["unserved_twh"],
        "check_s": time.perf_counter() - started,
    }
    for factor in FLATNESS if flatness else ():
        scaled = solved.network.copy()
        scaled.stores["e_nom_opt"] *= factor
        battery = scaled.links.carrier == "battery"
        scaled.links.loc[battery, "p_nom_opt"] *= factor
        variant = type(solved)(solved.scenario, scaled, solved.temporal, solved.stats)
        cost = check_design(variant).summary["system_cost_eur_a"] / 1e9
        out[f"storage_x{factor:g}_cost_bn"] = cost
    return out


def plain(resolution: str, scenario_name: str, weather: str | None) -> dict[str, Any]:
    """The same network solved by plain PyPSA: ``n.optimize()`` with HiGHS's defaults,
    bakuhub's constraint families added through ``extra_functionality``."""
    from bakuhub.corridor import solve as s

    scenario = scenario_for(scenario_name, weather, None)
    if resolution != "default":
        scenario = scenario.model_copy(update={"resolution": resolution})
    started = time.perf_counter()
    data = s.load_dataset(scenario.year, scenario.costs.cable_cost)
    temporal = s.build_temporal(data.profiles, scenario.resolution, s.full_year(scenario))
    n = s.build_network(scenario, data, temporal)
    s.add_co2_cap(n, scenario)
    status, condition = n.optimize(
        solver_name="highs",
        extra_functionality=lambda net, _snapshots: s.add_scenario_constraints(
            net, scenario, temporal
        ),
        include_objective_constant=False,
    )
    if (status, condition) != ("ok", "optimal"):
        raise RuntimeError(f"plain PyPSA: {status}, {condition}")
    return {
        "resolution": resolution,
        "plain_wall_s": time.perf_counter() - started,
        "plain_cost_bn": s.objective(n) / 1e9,
    }


def pathway_run(resolution: str, scenario_name: str, mode: str | None) -> dict[str, Any]:
    """A scenario's pathway (``pathway_study.run_pathway``) at ``resolution`` (``default``:
    the scenario's), ``mode`` (``myopic`` or ``perfect-foresight``; None: the
    scenario's): wall time, peak memory, each model's size and solve time (one a year,
    or one for all years), and the path's figures; then each year's real-year check
    (``pathway_years.check_years``, as a study runs it): its wall time and, per year, the
    check's LP time, its cost against the year's and what fell short."""
    from bakuhub.corridor.pathway_study import pathway_result, run_pathway
    from bakuhub.corridor.pathway_years import check_years
    from bakuhub.corridor.scenario import load_scenario

    scenario = load_scenario(scenario_name)
    if mode is not None:
        options = scenario.pathway.model_copy(update={"mode": mode})
        scenario = scenario.model_copy(update={"pathway": options})
    started = time.perf_counter()
    run = run_pathway(
        scenario,
        resolution=None if resolution == "default" else resolution,
        progress=lambda line: print(
            f"  {time.perf_counter() - started:6.0f} s  {line}", flush=True
        ),
    )
    found = pathway_result(run)
    solved = time.perf_counter()
    checks = check_years(run.steps, run.scenarios)
    checked = {
        str(year): {
            key: check.summary[key]
            for key in (
                "solve_seconds",
                "cost_difference_rel",
                "unserved_twh",
                "export_shortfall_twh",
                "far_off",
            )
        }
        for year, check in checks.items()
    }
    return {
        "resolution": found.resolution,
        "mode": found.mode,
        "wall_s": solved - started,
        "check_wall_s": time.perf_counter() - solved,
        "real_year": checked,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "model": found.model,
        "system_cost_bn_eur_a": {
            row["year"]: row["system_cost_eur_a"] / 1e9 for row in found.by_year
        },
        "discounted_cost_bn_eur": found.discounted_cost_eur / 1e9,
        "cumulative_investment_bn_eur": found.by_year[-1]["cumulative_investment_eur"] / 1e9,
        "cumulative_co2_mt": found.by_year[-1]["cumulative_co2_mt"],
        "cables_mw": found.cables,
    }


def _child(queue: Any, work: Any, *args: Any) -> None:
    try:
        queue.put(work(*args))
    except Exception as exc:  # reported in the table, not raised
        queue.put({"resolution": args[0], "error": f"{type(exc).__name__}: {exc}"})


def run_isolated(work: Any, timeout: float, resolution: str, *args: Any) -> dict[str, Any]:
    """``work(resolution, *args)`` in a fresh process, killed after ``timeout`` seconds."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(queue, work, resolution, *args))
    started = time.perf_counter()
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return {"resolution": resolution, "error": f"did not finish in {timeout:.0f} s"}
    if queue.empty():
        return {"resolution": resolution, "error": f"exited with code {proc.exitcode}"}
    row: dict[str, Any] = queue.get()
    row.setdefault("wall_s", time.perf_counter() - started)
    return row


def deviation(row: dict[str, Any], finest: dict[str, Any], key: str) -> str:
    ref = finest[key]
    if abs(ref) < 1e-6:
        return f"{row[key] - ref:+.2f} abs"
    return f"{100 * (row[key] - ref) / ref:+.1f} %"


def print_table(
    rows: list[dict[str, Any]], finest: dict[str, Any] | None, limit: float | None = None
) -> None:
    head = (
        f"{'resolution':<14}{'snaps':>6}{'vars':>11}{'cons':>11}{'wall s':>8}{'solve s':>8}"
        f"{'peak MB':>8}{'cost bn':>9}{'Casp MW':>8}{'BlkS MW':>8}{'PV GW':>7}"
        f"{'wind GW':>8}{'stor GWh':>9}"
    )
    print(head)
    for row in rows:
        if "error" in row:
            print(f"{row['resolution']:<14} {row['error']}")
            continue
        print(
            f"{row['resolution']:<14}{row['snapshots']:>6}{row['variables']:>11,}"
            f"{row['constraints']:>11,}{row['wall_s']:>8.1f}{row['solve_s']:>8.1f}"
            f"{row['peak_mb']:>8.0f}{row['cost_bn_eur']:>9.3f}{row['caspian_mw']:>8.0f}"
            f"{row['blacksea_mw']:>8.0f}{row['pv_gw']:>7.1f}{row['wind_gw']:>8.1f}"
            f"{row['storage_gwh']:>9.2f}"
        )
    if finest is None:
        return
    print_deviation(rows, finest)
    if any("real_cost_bn" in r for r in rows):
        print_real_year(rows, finest, limit)


def print_deviation(rows: list[dict[str, Any]], finest: dict[str, Any]) -> None:
    print(f"\ndeviation from the finest ({finest['resolution']}, {finest.get('where', 'here')}):")
    print(f"{'resolution':<14}" + "".join(f"{k:>14}" for k in KEYS))
    for row in rows:
        if "error" not in row and row is not finest:
            print(
                f"{row['resolution']:<14}"
                + "".join(f"{deviation(row, finest, k):>14}" for k in KEYS)
            )


def print_real_year(
    rows: list[dict[str, Any]], finest: dict[str, Any], limit: float | None = None
) -> None:
    """Each design operated through the real year; regret against the real-year optimum
    (the finest design's real-year cost, the same accounting), and plain PyPSA's time."""
    optimum = finest.get("real_cost_bn")
    named = f"{optimum:.3f} bn EUR/a" if optimum else "not measured"
    print(f"\non the real year (regret against {finest['resolution']}'s design: {named}):")
    print(
        f"{'resolution':<14}{'real bn':>9}{'regret':>9}{'unserved':>10}{'check s':>8}"
        f"{'plain s':>9}{'plain/ours':>11}"
    )
    for row in rows:
        if "error" in row or "real_cost_bn" not in row:
            continue
        regret = f"{100 * (row['real_cost_bn'] - optimum) / optimum:+.2f} %" if optimum else "-"
        plain_s = row.get("plain_wall_s")
        if isinstance(plain_s, float):
            shown, ratio = f"{plain_s:.1f}", f"{plain_s / row['wall_s']:.1f}"
        elif plain_s and limit:  # did not finish: at least the time limit
            shown, ratio = f">{limit:.0f}", f">{limit / row['wall_s']:.1f}"
        else:
            shown, ratio = "-", "-"
        print(
            f"{row['resolution']:<14}{row['real_cost_bn']:>9.3f}{regret:>9}"
            f"{row['real_unserved_twh']:>7.3f}TWh{row['check_s']:>8.1f}{shown:>9}{ratio:>11}"
        )
    for row in rows:
        if "lower_bn" in row and "error" not in row:
            print(
                f"hourly optimum ({row['resolution']}, {row['evaluations']} operating solves, "
                f"{row['wall_s']:.0f} s): between {row['lower_bn']:.3f} and "
                f"{row['cost_bn_eur']:.3f} bn EUR/a (gap {100 * row['gap']:.2f} %)"
                + (f"; at a box: {', '.join(row['boxed'])}" if row["boxed"] else "")
                + "; shortfalls (MWh): "
                + ", ".join(f"{k} {v:,.0f}" for k, v in row["shortfall_mwh"].items())
            )
            for seconds, cost, lower, upper in row["steps"]:
                print(f"  {seconds:7.0f} s  design {cost:.4f}  best {upper:.4f}  bound {lower:.4f}")
    for row in rows:
        scaled = {k: v for k, v in row.items() if k.startswith("storage_x")}
        if scaled and "error" not in row:
            base = row["real_cost_bn"]
            parts = ", ".join(
                f"x{k[9:-8]}: {100 * (v - base) / base:+.2f} %" for k, v in scaled.items()
            )
            print(f"storage flatness of {row['resolution']}'s design on the real year: {parts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="reference-2030")
    parser.add_argument("--resolutions", nargs="*", default=DEFAULT)
    parser.add_argument("--only", help="measure one resolution (e.g. on a bigger machine)")
    parser.add_argument("--solver", help="solver for every resolution (default: the scenario's)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per resolution")
    parser.add_argument("--weather", help="upstream data folder: solve on the real 8,760-h series")
    parser.add_argument("--reference", help="JSON row of the finest resolution, solved elsewhere")
    parser.add_argument("--json-out", help="write the measured rows as JSON")
    parser.add_argument("--plain", action="store_true", help="also time plain PyPSA + HiGHS")
    parser.add_argument("--plain-timeout", type=float, default=600.0, help="seconds, plain PyPSA")
    parser.add_argument(
        "--benders-limit", type=float, default=BENDERS_LIMIT_S, help="seconds, benders row"
    )
    parser.add_argument(
        "--benders-workers", type=int, default=BENDERS_WORKERS, help="solves at once, benders"
    )
    parser.add_argument(
        "--flatness", action="store_true", help="real-year cost of the default with +-20 %% storage"
    )
    parser.add_argument(
        "--pathway", action="store_true", help="time the scenario's pathway (pathway-2050)"
    )
    parser.add_argument(
        "--pathway-mode",
        choices=("myopic", "perfect-foresight"),
        help="how the pathway's years are solved (default: the scenario's)",
    )
    args = parser.parse_args()
    resolutions = [args.only] if args.only else args.resolutions
    if args.pathway:
        for resolution in resolutions:
            row = run_isolated(
                pathway_run, args.timeout, resolution, args.scenario, args.pathway_mode
            )
            print(json.dumps(row, indent=1), flush=True)
        return
    os.environ["BENCH_BENDERS_LIMIT_S"] = str(args.benders_limit)  # for the spawned process
    os.environ["BENCH_BENDERS_WORKERS"] = str(args.benders_workers)
    print(
        f"corridor resolution benchmark: {args.scenario}, {os.cpu_count()} CPUs, "
        f"timeout {args.timeout:.0f} s each",
        flush=True,
    )
    rows = []
    for resolution in resolutions:
        flat = args.flatness and resolution in ("default", "benders")
        row = run_isolated(
            measure, args.timeout, resolution, args.scenario, args.weather, args.solver, flat
        )
        rows.append(row)
        print(
            f"  {resolution}: "
            + (row.get("error") or f"{row['wall_s']:.1f} s, {row['cost_bn_eur']:.4f} bn EUR/a"),
            flush=True,
        )
        if args.plain and "error" not in row:
            other = run_isolated(plain, args.plain_timeout, resolution, args.scenario, args.weather)
            row["plain_wall_s"] = other.get("plain_wall_s", other.get("error"))
            row["plain_cost_bn"] = other.get("plain_cost_bn")
            print(f"  {resolution}, plain PyPSA: {row['plain_wall_s']}", flush=True)
    finest = None
    if args.reference:
        with open(args.reference, encoding="utf-8") as handle:
            finest = json.load(handle)
            finest = finest[0] if isinstance(finest, list) else finest
        rows.insert(0, finest)
    else:
        done = [r for r in rows if "error" not in r]
        finest = max(done, key=lambda r: r["snapshots"]) if done else None
    print()
    print_table(rows, finest, args.plain_timeout if args.plain else None)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=1)


if __name__ == "__main__":
    sys.exit(main())
