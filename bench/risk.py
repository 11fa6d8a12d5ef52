"""Benchmark of the risk engine: score all countries, run 1,000 Monte Carlo draws,
and the Sobol sensitivity analysis of every country's rank and score (issue 20
target: 1,000 base samples, N(d+2) runs, under 5 s on 2 cores).

Prints measured figures (best and median of repeats); asserts nothing.
Usage: .venv/bin/python bench/risk.py [--draws 1000] [--repeat 7] [--base 1000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best and median wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    """Time each stage on the Hub preset with the shipped data."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--preset", default="hub")
    parser.add_argument("--base", type=int, default=1000, help="Sobol base samples N")
    args = parser.parse_args()

    from bakuhub.risk import assemble, get_preset, rank_intervals, score_index

    start = time.perf_counter()
    data = assemble(args.preset)
    load = time.perf_counter() - start
    model = get_preset(args.preset)
    mc = replace(model.montecarlo, draws=args.draws)
    result = score_index(model, data)

    score_t = timed(lambda: score_index(model, data), args.repeat)
    mc_t = timed(lambda: rank_intervals(result, mc), args.repeat)
    both_t = timed(lambda: rank_intervals(score_index(model, data), mc), args.repeat)

    print(
        f"risk engine benchmark: preset {args.preset}, {len(data.countries)} countries, "
        f"{result.ranked} ranked, {args.draws} draws, {args.repeat} repeats"
    )
    print(f"{'stage':<40} {'best (ms)':>10} {'median (ms)':>12}")
    print(f"{'load shipped tables (first call)':<40} {load * 1e3:>10.1f} {'':>12}")
    for label, (best, med) in (
        ("score all countries", score_t),
        (f"Monte Carlo, {args.draws} draws", mc_t),
        ("score + Monte Carlo together", both_t),
    ):
        print(f"{label:<40} {best * 1e3:>10.1f} {med * 1e3:>12.1f}")
    sensitivity_bench(args.preset, args.base, max(1, min(args.repeat, 3)))


def sensitivity_bench(preset: str, base: int, repeat: int) -> None:
    """Time the sensitivity analysis: input tables, then sampling, evaluation and
    analysis separately (the first call includes importing SALib and scipy)."""
    from bakuhub.risk import sensitivity

    start = time.perf_counter()
    options, nominal = sensitivity.preset_options(preset)
    load = time.perf_counter() - start
    runs = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        found = sensitivity.analyse(options, nominal=nominal, n=base)
        runs.append((time.perf_counter() - start, found.seconds))
    d = len(found.factors)
    print(
        f"\nsensitivity analysis: preset {preset}, {d} factors "
        f"({', '.join(f.code for f in found.factors)}), {len(found.countries)} countries "
        f"analysed, {len(found.excluded)} without a score under every choice, "
        f"N = {base} base samples, {found.evaluations:,} evaluations = N(d+2)"
    )
    print(f"{'stage':<40} {'first (s)':>10} {'best (s)':>10} {'median (s)':>12}")
    print(f"{'input tables (one per window)':<40} {load:>10.3f}")
    for key in ("sampling", "evaluation", "analysis"):
        later = [r[1][key] for r in runs[1:]]
        first = runs[0][1][key]
        print(f"{key:<40} {first:>10.3f} {min(later):>10.3f} {statistics.median(later):>12.3f}")
    later_total = [r[0] for r in runs[1:]]
    print(
        f"{'whole analysis':<40} {runs[0][0]:>10.3f} {min(later_total):>10.3f} "
        f"{statistics.median(later_total):>12.3f}"
    )


if __name__ == "__main__":
    main()
