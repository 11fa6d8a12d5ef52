"""Sweep benchmark: 16 small corridor variants as jobs on a Dask LocalCluster of 1 and
of 2 worker processes; wall time, parallel efficiency, and the time to answer a
variant from the result store. Prints what it measured; asserts no time.

The variants are the 16 Latin-hypercube samples of the shipped sweep
``uncertainty-2030`` at a coarse resolution. Each run uses a fresh SQLite database
and result folder, so nothing is cached between the 1- and the 2-worker run. The
workers import the model libraries before the clock starts (a long-lived cluster
has them loaded), and the wall time runs from submission to the last result.

    .venv/bin/python bench/sweep.py [--variants 16] [--resolution segments:12]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bakuhub.db import make_engine, make_sessionmaker, session_scope
from bakuhub.jobs import JobRunner, service
from bakuhub.jobs.sweep import load_sweep, submit_sweep
from bakuhub.migrate import upgrade

SWEEP = Path(__file__).resolve().parents[1] / "src/bakuhub/datasets/sweeps/uncertainty-2030.yaml"


def _warm() -> int:
    import pypsa  # noqa: F401

    from bakuhub.corridor import run_study  # noqa: F401

    return os.getpid()


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def run(workers: int, variants: int, resolution: str, folder: Path) -> dict[str, Any]:
    """Run the sweep on ``workers`` processes; measured figures."""
    spec, base = load_sweep(SWEEP)
    spec = spec.model_copy(update={"resolution": resolution})
    assert spec.samples is not None
    spec.samples.n = variants
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_sessionmaker(engine)
    runner = JobRunner(database_url=url, results_dir=folder / "jobs", workers=workers)
    try:
        client = runner.client()
        client.run(_warm)
        cpu_before = sum(client.run(_cpu_seconds).values())
        started = time.perf_counter()
        with session_scope(factory) as session:
            _, _, jobs = submit_sweep(session=session, spec=spec, base=base, runner=runner)
            ids = [j.id for j in jobs]
        done = service.wait(session_factory=factory, job_ids=ids, poll=0.1)
        wall = time.perf_counter() - started
        cpu = sum(client.run(_cpu_seconds).values()) - cpu_before
        failed = [j for j in done if j.state != "succeeded"]
        assert not failed, [j.error for j in failed]
        cached = _cached(factory, spec, base)
    finally:
        runner.close()
        engine.dispose()
    seconds = [j.seconds or 0.0 for j in done]
    return {
        "workers": workers,
        "wall_s": wall,
        "job_s_mean": statistics.mean(seconds),
        "job_s_sum": sum(seconds),
        "cpu_s_per_job": cpu / len(done),
        **cached,
    }


def _cached(factory: Any, spec: Any, base: Any) -> dict[str, float]:
    """Submit the whole sweep again: every variant comes back from the store."""
    started = time.perf_counter()
    with session_scope(factory) as session:
        _, _, jobs = submit_sweep(session=session, spec=spec, base=base, runner=None)
        assert all(j.state == "succeeded" and j.cached for j in jobs)
    total = time.perf_counter() - started
    return {"cached_sweep_ms": total * 1e3, "cached_job_ms": total * 1e3 / len(jobs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=16)
    parser.add_argument("--resolution", default="segments:12")
    args = parser.parse_args()
    print(
        f"{args.variants} variants of uncertainty-2030 at {args.resolution}, {os.cpu_count()} CPUs"
    )
    print(f"load average before: {os.getloadavg()[0]:.1f} (other processes share the CPUs)")
    rows = []
    for workers in (1, 2):
        with tempfile.TemporaryDirectory(prefix="bakuhub-bench-") as tmp:
            rows.append(run(workers, args.variants, args.resolution, Path(tmp)))
            print(f"  {workers} worker(s): {rows[-1]['wall_s']:.1f} s", flush=True)
    one = rows[0]["wall_s"]
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print()
    print(
        f"{'workers':>7}  {'wall s':>7}  {'speed-up':>8}  {'efficiency':>10}  "
        f"{'job s (mean)':>12}  {'CPU s/job':>9}  {'workers busy':>12}  "
        f"{'cached sweep ms':>15}  {'cached job ms':>13}"
    )
    for row in rows:
        speedup = one / row["wall_s"]
        busy = row["job_s_sum"] / (row["workers"] * row["wall_s"])
        print(
            f"{row['workers']:>7}  {row['wall_s']:>7.1f}  {speedup:>8.2f}  "
            f"{speedup / row['workers']:>10.0%}  {row['job_s_mean']:>12.2f}  "
            f"{row['cpu_s_per_job']:>9.2f}  {busy:>12.0%}  "
            f"{row['cached_sweep_ms']:>15.0f}  {row['cached_job_ms']:>13.1f}"
        )
    print()
    print("efficiency = speed-up / workers; workers busy = sum of job times / (workers x wall);")
    print("CPU s/job = CPU time of the worker processes / jobs. Equal CPU per job and busy")
    print("workers with a lower efficiency mean the workers waited for CPU (shared machine),")
    print("not for Dask.")


if __name__ == "__main__":
    main()
