"""Day clustering benchmark: bakuhub's representative days and segments against tsam.

On one 8,760-hour year of the corridor's profiles (the real Agora year with
``--weather ../shared/data``, else the year rebuilt from the shipped days), each
method cuts the year into K typical days (K = 12, 24, 48, 84), into days in
segments, or into chronological segments of the whole year. For each: the time
taken and the fidelity figures of ``bakuhub.corridor.profiles.fidelity`` (worst
series), plus the mean hourly RMSE, on the 8,760-hour year the model would see
(each snapshot's values repeated over the hours it stands for, availability
clipped to [0, 1] as the model clips it). Then, for two settings (48 days
hourly; 84 days in 12 segments), the reference scenario is solved with each
clustering through the project's own pipeline (``solve_scenario``, with the
snapshots handed in) and system cost and capacities are printed side by side.

tsam (``tsam.aggregate``, 4.x) is optional: without it the bench prints the
home-made figures and says so. Install it only in a throw-away environment
(it pins pandas <= 3.0.5 and pulls pyomo and scikit-learn).

    .venv/bin/python bench/clustering.py --weather ../shared/data
    /tmp/tsamenv/bin/python bench/clustering.py --weather ../shared/data \\
        --reference hourly.json --json-out clustering.json
    .venv/bin/python bench/clustering.py --no-solve          # fidelity table only
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from bakuhub.corridor.temporal import Temporal

KS = (12, 24, 48, 84)
FIDELITY = ("annual_mean_rel", "monthly_mean_rel", "duration_abs", "correlation_abs")
LIMITS = {
    "annual_mean_rel": 0.01,
    "monthly_mean_rel": 0.03,
    "duration_abs": 0.05,
    "correlation_abs": 0.1,
}
"""The limits tests/corridor/test_fidelity.py holds the shipped days to."""
KEYS = ("cost_bn_eur", "caspian_mw", "blacksea_mw", "pv_gw", "wind_gw", "storage_gwh")


class MethodFailed(Exception):
    """A clustering method gave no result (reported in the table, not raised)."""

    def __init__(self, method: str, setting: str, reason: str) -> None:
        super().__init__(reason)
        self.method, self.setting, self.reason = method, setting, reason[:160]


@dataclass
class Clustered:
    """One clustering: the snapshots it gives the model and what it took."""

    method: str
    setting: str
    temporal: Temporal
    seconds: float


def load_year(weather: str | None) -> tuple[pd.DataFrame, str]:
    """The 8,760-hour year: the real Agora year, or the one rebuilt from the shipped days."""
    from bakuhub.corridor.profiles import reconstruct

    if weather:
        from bakuhub.corridor.scenario import load_scenario, parse_scenario
        from bakuhub.corridor.solve import full_year

        data = load_scenario("reference-2030").model_dump()
        data["weather"] = {"source": "agora", "path": weather}
        year = full_year(parse_scenario(data, trusted=True))
        if year is not None:
            return year, f"real Agora year ({weather})"
    return reconstruct(shipped_days()), "year rebuilt from the shipped 84 days"


def shipped_days() -> Any:
    """The shipped representative days (``RepresentativeDays``)."""
    try:
        from bakuhub.corridor.datasets import load_profiles
    except ImportError:  # the corridor package re-exports it
        from bakuhub.corridor import load_profiles
    return load_profiles()


def rebuild(temporal: Temporal, columns: pd.Index) -> pd.DataFrame:
    """The 8,760-hour year the model sees: each snapshot repeated over its hours.

    Chronological snapshots repeat ``weight`` hours in order; a representative day's
    snapshots repeat ``duration`` hours each and the day is laid on every calendar day
    that maps to it. Availability is clipped to [0, 1] (``network.py`` does the same).
    """
    import pandas as pd

    values = temporal.series[list(columns)].to_numpy(dtype=float)
    if temporal.period is None or temporal.calendar is None:
        hourly = np.repeat(values, temporal.weight.to_numpy().round().astype(int), axis=0)
    else:
        period = temporal.period.to_numpy()
        hours = temporal.duration.to_numpy().round().astype(int)
        day = {
            int(p): np.repeat(values[period == p], hours[period == p], axis=0)
            for p in np.unique(period)
        }
        hourly = np.concatenate([day[int(c)] for c in temporal.calendar])
    load = np.array([str(c).endswith("|load") for c in columns])
    hourly[:, ~load] = np.clip(hourly[:, ~load], 0.0, 1.0)
    index = pd.date_range("2023-01-01", periods=len(hourly), freq="h", tz="UTC")
    return pd.DataFrame(hourly, index=index, columns=columns)


def bakuhub_methods(year: pd.DataFrame) -> list[Callable[[], Clustered]]:
    """bakuhub's own clusterings: Ward within months (with and without extreme days),
    days in segments, and chronological segments of the year."""
    from bakuhub.corridor import temporal as tm
    from bakuhub.corridor.profiles import cluster_days

    def days(k: int, per_month: int, extremes: int) -> Callable[[], Clustered]:
        def run() -> Clustered:
            started = time.perf_counter()
            rep = cluster_days(year, per_month=per_month, max_extreme_days=extremes)
            temporal = tm.from_representative_days(rep, f"{k} days")
            name = f"bakuhub Ward/month {per_month}" + (
                f" + {extremes} extreme" if extremes else ""
            )
            return Clustered(name, f"{k} days", temporal, time.perf_counter() - started)

        return run

    def segmented(k: int, per_month: int, extremes: int, per_day: int) -> Callable[[], Clustered]:
        def run() -> Clustered:
            started = time.perf_counter()
            rep = cluster_days(year, per_month=per_month, max_extreme_days=extremes)
            temporal = tm.segmented_days(rep, per_day, f"{k}x{per_day}")
            name = f"bakuhub Ward/month {per_month} + {extremes} extreme, Ward segments"
            return Clustered(
                name, f"{k} days x {per_day} seg", temporal, time.perf_counter() - started
            )

        return run

    def year_segments(count: int) -> Callable[[], Clustered]:
        def run() -> Clustered:
            started = time.perf_counter()
            temporal = tm.segments(year, count, f"segments:{count}")
            elapsed = time.perf_counter() - started
            return Clustered(
                "bakuhub segments (Ward, adjacent)", f"year in {count} seg", temporal, elapsed
            )

        return run

    recipes = {12: (1, 0), 24: (1, 12), 48: (2, 24), 84: (5, 24)}
    methods = []
    for k in KS:
        per_month, extremes = recipes[k]
        methods.append(days(k, per_month, extremes))
        if extremes:
            methods.append(days(k, k // 12, 0))
    methods += [segmented(84, 5, 24, 12), segmented(48, 2, 24, 8), year_segments(1008)]
    return methods


def tsam_temporal(result: Any, year: pd.DataFrame, label: str) -> Temporal:
    """bakuhub snapshots from a ``tsam.aggregate`` result (typical days, maybe segmented).

    Snapshot ``(c, s)`` of typical day ``c`` lasting ``n`` hours weighs ``count_c * n``
    hours; the calendar is tsam's assignment of each of the 365 days.
    """
    import pandas as pd

    from bakuhub.corridor.temporal import Temporal

    reps = result.cluster_representatives.sort_index()
    index = reps.index
    clusters = index.get_level_values(0).to_numpy(dtype=int)
    if index.nlevels == 3:
        duration = index.get_level_values(2).to_numpy(dtype=float)
    else:
        duration = np.ones(len(reps))
    counts = result.cluster_counts
    weight = np.array([float(counts[int(c)]) for c in clusters]) * duration
    series = pd.DataFrame(reps[list(year.columns)].to_numpy(dtype=float), columns=year.columns)
    calendar = np.asarray(result.cluster_assignments, dtype=int)
    return Temporal(
        series,
        pd.Series(weight, index=series.index),
        pd.Series(duration, index=series.index),
        pd.Series(clusters, index=series.index),
        calendar,
        label,
    )


def tsam_methods(year: pd.DataFrame, kmedoids_limit: float) -> list[Callable[[], Clustered]]:
    """tsam's clusterings: hierarchical (medoid, distribution), k-medoids (MILP, HiGHS,
    time-limited), with and without segmentation; whole-year segmentation as PyPSA's
    ``n.cluster.temporal.segment`` calls it."""
    import logging

    import tsam  # type: ignore[import-not-found, unused-ignore]

    logging.getLogger("pyomo").setLevel(logging.ERROR)  # "feasible but suboptimal" at the limit

    def run_tsam(
        name: str, k: int, cluster: Any, per_day: int | None = None, period: int = 24
    ) -> Callable[[], Clustered]:
        if period == len(year):
            setting = f"year in {per_day} seg"
        else:
            setting = f"{k} days" + (f" x {per_day} seg" if per_day else "")

        def run() -> Clustered:
            segments = tsam.SegmentConfig(n_segments=per_day) if per_day else None
            started = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    result = tsam.aggregate(
                        year,
                        n_clusters=k,
                        period_duration=period,
                        cluster=cluster,
                        segments=segments,
                    )
            except Exception as exc:  # e.g. k-medoids without a feasible point at its limit
                raise MethodFailed(name, setting, f"{type(exc).__name__}: {exc}") from exc
            elapsed = time.perf_counter() - started
            if period == len(year):
                temporal = tsam_temporal(result, year, setting)
                temporal = type(temporal)(
                    temporal.series, temporal.weight, temporal.duration, None, None, setting
                )
            else:
                temporal = tsam_temporal(result, year, setting)
            return Clustered(name, setting, temporal, elapsed)

        return run

    medoid = tsam.ClusterConfig(method="hierarchical", representation="medoid")
    dist = tsam.ClusterConfig(method="hierarchical", representation="distribution")
    minmax = tsam.ClusterConfig(method="hierarchical", representation="distribution_minmax")
    kmedoids = tsam.ClusterConfig(method=tsam.KMedoids(options={"time_limit": kmedoids_limit}))
    methods = []
    for k in KS:
        methods.append(run_tsam("tsam hierarchical medoid", k, medoid))
        methods.append(run_tsam("tsam hierarchical distribution", k, dist))
        methods.append(run_tsam("tsam hierarchical distribution_minmax", k, minmax))
        methods.append(run_tsam(f"tsam k-medoids (HiGHS, {kmedoids_limit:.0f} s)", k, kmedoids))
    for k, per_day in ((84, 12), (48, 8)):
        methods.append(run_tsam("tsam hierarchical medoid, segments", k, medoid, per_day))
        methods.append(run_tsam("tsam hierarchical distribution, segments", k, dist, per_day))
    methods.append(run_tsam("tsam segments (= PyPSA segment)", 1, medoid, 1008, len(year)))
    return methods


def measure(year: pd.DataFrame, clustered: Clustered) -> dict[str, Any]:
    """Fidelity (worst series) and hourly RMSE of one clustering."""
    from bakuhub.corridor.profiles import fidelity

    rebuilt = rebuild(clustered.temporal, year.columns)
    report = fidelity(year, rebuilt)
    rmse = np.sqrt(((rebuilt.to_numpy() - year.to_numpy()) ** 2).mean(axis=0))
    calendar = clustered.temporal.calendar
    row: dict[str, Any] = {
        "method": clustered.method,
        "setting": clustered.setting,
        "days": None if calendar is None else len(set(calendar.tolist())),
        "snapshots": len(clustered.temporal.series),
        "seconds": clustered.seconds,
        "rmse": float(rmse.mean()),
        "duration_mean": float(report["duration_abs"].mean()),
    }
    for metric in FIDELITY:
        row[metric] = float(report[metric].max())
    row["within_limits"] = all(row[m] <= lim for m, lim in LIMITS.items())
    return row


def print_fidelity(rows: list[dict[str, Any]]) -> None:
    print(
        f"{'setting':<22}{'method':<58}{'days':>5}{'snaps':>6}{'s':>7}{'annual':>8}"
        f"{'monthly':>8}{'dur max':>8}{'dur avg':>8}{'corr':>7}{'rmse':>7} limits"
    )
    for r in rows:
        days = "-" if r["days"] is None else str(r["days"])
        print(
            f"{r['setting']:<22}{r['method']:<58}{days:>5}{r['snapshots']:>6}{r['seconds']:>7.2f}"
            f"{r['annual_mean_rel']:>8.4f}{r['monthly_mean_rel']:>8.4f}{r['duration_abs']:>8.4f}"
            f"{r['duration_mean']:>8.4f}{r['correlation_abs']:>7.3f}{r['rmse']:>7.4f} "
            + ("ok" if r["within_limits"] else "no")
        )


def solve_with(temporal: Temporal, scenario_name: str) -> dict[str, Any]:
    """Solve the scenario on the given snapshots through the project's solve pipeline."""
    from unittest import mock

    from bakuhub.corridor import solve as solve_module
    from bakuhub.corridor.scenario import load_scenario

    scenario = load_scenario(scenario_name)
    started = time.perf_counter()
    with mock.patch.object(solve_module, "build_temporal", lambda *_a, **_k: temporal):
        solved = solve_module.solve_scenario(scenario)
    n = solved.network
    gens = n.generators[n.generators.p_nom_extendable]
    by_carrier = gens.groupby("carrier").p_nom_opt.sum()
    links = n.links.p_nom_opt
    return {
        "snapshots": solved.stats["snapshots"],
        "wall_s": time.perf_counter() - started,
        "cost_bn_eur": solve_module.objective(n) / 1e9,
        "caspian_mw": float(links.get("CASPIAN fwd", 0.0)),
        "blacksea_mw": float(links.get("BLACKSEA fwd", 0.0)),
        "pv_gw": float(by_carrier.get("solar", 0.0)) / 1e3,
        "wind_gw": float(by_carrier.get("onwind", 0.0) + by_carrier.get("offwind", 0.0)) / 1e3,
        "storage_gwh": float(n.stores.e_nom_opt.sum()) / 1e3,
    }


def print_solves(rows: list[dict[str, Any]], reference: dict[str, Any] | None) -> None:
    print(
        f"{'setting':<22}{'method':<58}{'snaps':>6}{'wall s':>7}{'cost bn':>9}"
        f"{'Casp MW':>8}{'BlkS MW':>8}{'PV GW':>7}{'wind GW':>8}{'stor GWh':>9}"
    )
    for r in ([reference] if reference else []) + rows:
        if "error" in r:
            print(f"{r['setting']:<22}{r['method']:<58} {r['error']}")
            continue
        print(
            f"{r['setting']:<22}{r['method']:<58}{r['snapshots']:>6}{r['wall_s']:>7.1f}"
            f"{r['cost_bn_eur']:>9.3f}{r['caspian_mw']:>8.0f}{r['blacksea_mw']:>8.0f}"
            f"{r['pv_gw']:>7.1f}{r['wind_gw']:>8.1f}{r['storage_gwh']:>9.2f}"
        )
    if not reference:
        return
    print(f"\ndeviation from {reference['method']}:")
    print(f"{'setting':<22}{'method':<58}" + "".join(f"{k:>13}" for k in KEYS))
    for r in rows:
        if "error" not in r:
            cells = [f"{100 * (r[k] - reference[k]) / reference[k]:+.1f} %" for k in KEYS]
            print(f"{r['setting']:<22}{r['method']:<58}" + "".join(f"{c:>13}" for c in cells))


SOLVE_SETTINGS = ("48 days", "84 days x 12 seg")
"""The settings solved: 48 days hourly (bakuhub ``repdays:2`` on a full year) and 84 days in
12 segments (the default ``repdays/12`` on a full year)."""
SOLVE_METHODS = (
    "bakuhub Ward/month 2 + 24 extreme",
    "bakuhub Ward/month 5 + 24 extreme, Ward segments",
    "tsam hierarchical medoid",
    "tsam hierarchical distribution",
    "tsam hierarchical medoid, segments",
    "tsam hierarchical distribution, segments",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--weather", help="upstream data folder: cluster the real 8,760-h year")
    parser.add_argument("--scenario", default="reference-2030")
    parser.add_argument("--no-solve", action="store_true", help="fidelity table only")
    parser.add_argument("--no-tsam", action="store_true", help="bakuhub's methods only")
    parser.add_argument("--kmedoids-limit", type=float, default=20.0, help="HiGHS seconds")
    parser.add_argument("--reference", help="JSON row of the hourly solve of the same year")
    parser.add_argument("--json-out", help="write all rows as JSON")
    args = parser.parse_args()

    year, source = load_year(args.weather)
    print(f"day clustering benchmark on the {source}: {year.shape[1]} series x {len(year)} h")
    errors: list[dict[str, Any]] = []
    methods = bakuhub_methods(year)
    try:
        import tsam  # type: ignore[import-not-found, unused-ignore]

        have_tsam = not args.no_tsam
        print(f"tsam {tsam.__version__}" + ("" if have_tsam else " (left out: --no-tsam)"))
    except ImportError:
        have_tsam = False
        print("tsam is not installed: bakuhub's figures only (install tsam in a throw-away venv)")
    if have_tsam:
        methods += tsam_methods(year, args.kmedoids_limit)

    rows: list[dict[str, Any]] = []
    chosen: list[Clustered] = []
    for method in methods:
        try:
            clustered = method()
        except MethodFailed as exc:
            errors.append({"method": exc.method, "setting": exc.setting, "error": exc.reason})
            continue
        rows.append(measure(year, clustered))
        if clustered.setting in SOLVE_SETTINGS and clustered.method in SOLVE_METHODS:
            chosen.append(clustered)
    rows.sort(key=lambda r: (r["snapshots"] if r["days"] is None else 24 * r["days"], r["setting"]))
    print("\nfidelity (worst series unless 'avg'; limits as in test_fidelity):")
    print_fidelity(rows)
    for error in errors:
        print(f"{error['setting']:<22}{error['method']:<58} failed: {error['error']}")

    solves: list[dict[str, Any]] = []
    if not args.no_solve:
        print(f"\n{args.scenario} solved with each clustering:", flush=True)
        for clustered in chosen:
            head = {"setting": clustered.setting, "method": clustered.method}
            try:
                solves.append({**head, **solve_with(clustered.temporal, args.scenario)})
            except Exception as exc:  # reported in the table
                solves.append({**head, "error": f"{type(exc).__name__}: {exc}"})
            print(f"  {clustered.setting}, {clustered.method}: done", flush=True)
        reference = None
        if args.reference:
            with open(args.reference, encoding="utf-8") as handle:
                reference = {"setting": "hourly", "method": "hourly (8,760 h)", **json.load(handle)}
        print()
        print_solves(solves, reference)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as handle:
            json.dump(
                {"source": source, "fidelity": rows, "failed": errors, "solves": solves},
                handle,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
