"""Resolution benchmark of the corridor model on the reference scenario.

For each temporal resolution: wall time, peak memory, model size, and the key
results (total cost; Caspian and Black Sea cable capacity; PV, wind and storage
capacity), with each one's deviation from the finest resolution that finished (the
most snapshots: hourly where it finishes).
Each resolution runs in its own process (peak memory is that process's maximum
resident set). Prints a table; asserts nothing about time.

    .venv/bin/python bench/corridor.py                      # the default set
    .venv/bin/python bench/corridor.py --resolutions 3h repdays repdays/12
    .venv/bin/python bench/corridor.py --reference hourly.json   # finest solved elsewhere
    .venv/bin/python bench/corridor.py --only 2h --json-out 2h.json --timeout 3600
    .venv/bin/python bench/corridor.py --solver highs --resolutions default   # HiGHS instead
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
KEYS = ("cost_bn_eur", "caspian_mw", "blacksea_mw", "pv_gw", "wind_gw", "storage_gwh")


def measure(
    resolution: str, scenario_name: str, weather: str | None, solver: str | None = None
) -> dict[str, Any]:
    """Solve the scenario at one resolution; figures of that solve."""
    from bakuhub.corridor.scenario import SolverOptions, load_scenario, parse_scenario
    from bakuhub.corridor.solve import objective, solve_scenario

    scenario = load_scenario(scenario_name)
    if weather:  # an operator's path: trusted, as from the command line
        data = scenario.model_dump()
        data["weather"] = {"source": "agora", "path": weather}
        scenario = parse_scenario(data, trusted=True)
    if solver:
        scenario = scenario.model_copy(update={"solver": SolverOptions(name=solver)})
    started = time.perf_counter()
    solved = solve_scenario(scenario, resolution=None if resolution == "default" else resolution)
    wall = time.perf_counter() - started
    n = solved.network
    gens = n.generators[n.generators.p_nom_extendable]
    by_carrier = gens.groupby("carrier").p_nom_opt.sum()
    links = n.links.p_nom_opt
    return {
        "resolution": solved.stats["resolution"],
        "solver": solved.scenario.solver.name,
        "snapshots": solved.stats["snapshots"],
        "variables": solved.stats["variables"],
        "constraints": solved.stats["constraints"],
        "build_s": solved.stats["build_s"],
        "solve_s": solved.stats["solve_s"],
        "wall_s": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cost_bn_eur": objective(n) / 1e9,
        "caspian_mw": float(links.get("CASPIAN fwd", 0.0)),
        "blacksea_mw": float(links.get("BLACKSEA fwd", 0.0)),
        "pv_gw": float(by_carrier.get("solar", 0.0)) / 1e3,
        "wind_gw": float(by_carrier.get("onwind", 0.0) + by_carrier.get("offwind", 0.0)) / 1e3,
        "storage_gwh": float(n.stores.e_nom_opt.sum()) / 1e3,
    }


def _child(
    queue: Any, resolution: str, scenario: str, weather: str | None, solver: str | None
) -> None:
    try:
        queue.put(measure(resolution, scenario, weather, solver))
    except Exception as exc:  # reported in the table, not raised
        queue.put({"resolution": resolution, "error": f"{type(exc).__name__}: {exc}"})


def run_isolated(
    resolution: str, scenario: str, weather: str | None, timeout: float, solver: str | None = None
) -> dict[str, Any]:
    """Measure in a fresh process, killed after ``timeout`` seconds."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(queue, resolution, scenario, weather, solver))
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


def print_table(rows: list[dict[str, Any]], finest: dict[str, Any] | None) -> None:
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
    print(f"\ndeviation from the finest ({finest['resolution']}, {finest.get('where', 'here')}):")
    print(f"{'resolution':<14}" + "".join(f"{k:>14}" for k in KEYS))
    for row in rows:
        if "error" not in row and row is not finest:
            print(
                f"{row['resolution']:<14}"
                + "".join(f"{deviation(row, finest, k):>14}" for k in KEYS)
            )


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
    args = parser.parse_args()
    resolutions = [args.only] if args.only else args.resolutions
    print(
        f"corridor resolution benchmark: {args.scenario}, {os.cpu_count()} CPUs, "
        f"timeout {args.timeout:.0f} s each",
        flush=True,
    )
    rows = []
    for resolution in resolutions:
        row = run_isolated(resolution, args.scenario, args.weather, args.timeout, args.solver)
        rows.append(row)
        print(
            f"  {resolution}: "
            + (row.get("error") or f"{row['wall_s']:.1f} s, {row['cost_bn_eur']:.4f} bn EUR/a"),
            flush=True,
        )
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
    print_table(rows, finest)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=1)


if __name__ == "__main__":
    sys.exit(main())
