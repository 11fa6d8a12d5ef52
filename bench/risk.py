"""Benchmark of the risk engine: score all countries, run 1,000 Monte Carlo draws.

Prints measured figures (best and median of repeats); asserts nothing.
Usage: .venv/bin/python bench/risk.py [--draws 1000] [--repeat 7]
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


if __name__ == "__main__":
    main()
