"""A whole corridor study, its side solves beside the main path against one solve after
the other (``corridor/side_solves.py``).

    .venv/bin/python bench/study.py reference-2030 --weather ../shared/data
    .venv/bin/python bench/study.py negotiation-2030 --processes 1 0

Runs the study once per ``--processes`` value (default: this machine's side processes,
then 0: one after the other, in this process) and prints, per run, the wall time, the
time of each progress line from the start, and at the end how many figures of the
summaries differ (timings left out; 0 is the expected answer). The figures of
``docs/corridor-benchmark.md`` ("Side solves") come from this script's runs.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from bakuhub.corridor.run_study import run_study
from bakuhub.corridor.scenario import Scenario, load_scenario
from bakuhub.corridor.side_solves import side_processes


def flat(value: Any, path: str = "") -> dict[str, Any]:
    """Every figure of a summary by its path, timings left out."""
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        out: dict[str, Any] = {}
        for key, inner in items:
            if "seconds" not in str(key):
                out.update(flat(inner, f"{path}.{key}"))
        return out
    return {path: value}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="reference-2030")
    parser.add_argument("--weather", help="upstream data folder: the real Agora year")
    parser.add_argument("--resolution")
    parser.add_argument("--processes", type=int, nargs="+", default=[side_processes(), 0])
    args = parser.parse_args()
    data = load_scenario(args.scenario).model_dump(mode="json")
    if args.weather:
        data["weather"] = {"source": "agora", "path": args.weather}
    scenario = Scenario.model_validate(data, context={"trusted": True})
    summaries = {}
    for processes in args.processes:
        started = time.perf_counter()

        def say(line: str, started: float = started, processes: int = processes) -> None:
            print(f"{time.perf_counter() - started:7.1f} s [{processes}] {line}", flush=True)

        study = run_study(
            scenario, resolution=args.resolution, progress=say, side_processes=processes
        )
        wall = time.perf_counter() - started
        summaries[processes] = flat(study.summary)
        print(f"side processes {processes}: the study took {wall:.1f} s", flush=True)
    first, *others = summaries.values()
    for processes, other in zip(args.processes[1:], others, strict=True):
        differ = [k for k in sorted(set(first) | set(other)) if first.get(k) != other.get(k)]
        print(
            f"side processes {args.processes[0]} against {processes}: {len(first)} figures, "
            f"{len(differ)} differ {differ[:5]}"
        )


if __name__ == "__main__":
    main()
