"""Load benchmark of the registry API on loopback.

Fills a database with N generated projects (default 10,000), starts `bakuhub serve`
against it in each server layout asked for (``--workers``: processes; with more than one,
a Dask scheduler as the production layout has), and drives the list, filtered list and
detail endpoints with `wrk` (installed: `apt install wrk`) at a range of client counts.
Prints requests/s and p50/p95/p99 latency, then the same for

- bakuhub with its kept answers switched off (``BAKUHUB_ANSWER_CACHE_ENTRIES=0``): every
  request runs its queries, validation and serialisation;
- the minimal endpoint (``bench/api_minimal.py``): the same queries on the same database,
  the same JSON, no framework work, served by uvicorn with the same processes;

and bakuhub's best rate under the p95 target as a share of the minimal endpoint's. The
load generator's own CPU time is printed for each run, and ``/ping`` of the minimal
server measures what the generator can drive at all. On SQLite and (with --postgres URL
or BAKUHUB_TEST_POSTGRES_URL) on PostgreSQL. Never asserts a time.

    .venv/bin/python bench/api.py [--projects 10000] [--seconds 5] [--clients 2 4 8 16]
        [--workers 1 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import Engine, insert, make_url

from bakuhub.db import make_engine
from bakuhub.migrate import upgrade
from bakuhub.registry import models as m
from bakuhub.registry.seed import seed_demo

TARGET_P95_MS = 50.0
COUNTRIES = ["TCD", "GNB", "IRQ", "SOM", "UGA", "NER", "MLI", "SDN", "YEM", "HTI"]
THEMES = ["adaptation", "peacebuilding", "migration-displacement", "humanitarian"]


def fill(engine: Engine, projects: int) -> None:
    """Migrate, seed the demo record, and insert ``projects`` generated projects."""
    from bakuhub.db import make_sessionmaker, session_scope

    upgrade(engine)
    with session_scope(make_sessionmaker(engine)) as session:
        seed_demo(session=session, author="bench")
    rng = random.Random(42)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        iom = conn.execute(m.Party.__table__.select().where(m.Party.ref == "IOM")).first()
        assert iom is not None
        rows = [
            {
                "ref": f"GEN-{i:05d}",
                "title": f"Generated project {i}",
                "description": "x" * 200,
                "status": rng.choice("12345"),
                "themes": rng.sample(THEMES, 2),
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "created_by": "bench",
                "updated_by": "bench",
                "sources": ["https://example.org"],
                "planned_start": dt.date(2026, 1, 1),
            }
            for i in range(projects)
        ]
        ids = [r.id for r in conn.execute(insert(m.Project).returning(m.Project.id), rows)]
        conn.execute(
            insert(m.ProjectCountry),
            [{"project_id": pid, "iso3": rng.choice(COUNTRIES), "share": 100.0} for pid in ids],
        )
        conn.execute(
            insert(m.ProjectOrganisation),
            [{"project_id": pid, "party_id": iom.id, "role": "implementing"} for pid in ids],
        )
        conn.execute(
            insert(m.Milestone),
            [{"project_id": pid, "title": "Inception", "status": "open"} for pid in ids],
        )


def settle(engine: Engine) -> None:
    """What a database in service has: planner statistics, and (SQLite) a checkpointed WAL."""
    if engine.dialect.name == "sqlite":
        # on the driver's connection: bakuhub's engine begins every SQLAlchemy transaction
        # (autocommit included), and SQLite refuses a checkpoint inside one
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("ANALYZE")
            cursor.close()
        finally:
            raw.close()
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(proc: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped at start ({url}); run it by hand to see why")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"server did not start: {url}")


class Server:
    """One server process tree on a free port, stopped on exit."""

    def __init__(self, command: list[str], env: dict[str, str], health: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = [*command, "--port", str(self.port)]
        self.env = {**os.environ, **env}
        self.health = health
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            self.command,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until_up(self.proc, self.base + self.health)
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def bakuhub_server(
    url: str, data_dir: Path, workers: int, cache: bool, scheduler: str | None
) -> Server:
    env = {
        "BAKUHUB_DATABASE_URL": url,
        "BAKUHUB_DATA_DIR": str(data_dir),
        "BAKUHUB_SEED_DEMO": "false",
        "BAKUHUB_REFERENCE_STUDY": "false",
        "BAKUHUB_LOG_LEVEL": "warning",
        "BAKUHUB_WORKERS": str(workers),
        "BAKUHUB_ANSWER_CACHE_ENTRIES": "2000" if cache else "0",
    }
    if scheduler:
        env["BAKUHUB_DASK_SCHEDULER"] = scheduler
    return Server([sys.executable, "-m", "bakuhub", "serve"], env, "/api/v1/health")


def minimal_server(url: str, workers: int) -> Server:
    here = str(Path(__file__).resolve().parent)
    command = [sys.executable, "-m", "uvicorn", "--app-dir", here, "api_minimal:app"]
    command += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    return Server(command, {"MINIMAL_DATABASE_URL": url}, "/ping")


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "p50": %%d, "p95": %%d, "p99": %%d, ' ..
    '"bad_status": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def drive(
    base: str, paths: list[str], seconds: float, clients: int, folder: Path
) -> dict[str, float]:
    """Run wrk (one thread) with ``clients`` connections over ``paths``; its figures, and
    the CPU seconds wrk itself used."""
    script = folder / "paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{clients}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["bad_status"] or figures["socket_errors"]:
        raise SystemExit(f"{base}{paths[0]}: {figures} (failed requests)\n{done.stdout}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    seconds_run = figures["duration_us"] / 1e6
    return {
        "rate": figures["requests"] / seconds_run,
        "p50": figures["p50"] / 1000,
        "p95": figures["p95"] / 1000,
        "p99": figures["p99"] / 1000,
        "wrk_cpu": cpu / seconds_run,
    }


def cases(projects: int) -> dict[str, list[str]]:
    rng = random.Random(7)
    return {
        "list (limit 50)": [
            f"/projects?limit=50&offset={rng.randrange(0, projects - 50)}" for _ in range(200)
        ],
        "list filtered": [f"/projects?country={c}&sort=-title&limit=20" for c in COUNTRIES],
        "detail": [f"/projects/GEN-{rng.randrange(projects):05d}" for _ in range(500)],
    }


def measure(
    label: str, server: Server, prefix: str, args: argparse.Namespace, folder: Path
) -> dict[str, float]:
    """Each case at each client count; returns the best rate with p95 under the target."""
    best_of: dict[str, float] = {}
    for name, paths in cases(args.projects).items():
        full = [prefix + p for p in paths]
        drive(server.base, full, 1, 2, folder)  # warm up (and fill the kept answers)
        best: tuple[float, int, float] | None = None
        for clients in args.clients:
            f = drive(server.base, full, args.seconds, clients, folder)
            if f["p95"] < TARGET_P95_MS and (best is None or f["rate"] > best[0]):
                best = (f["rate"], clients, f["p95"])
            print(
                f"{label:<27}{name:<16}{clients:>7}{f['rate']:>8.0f}{f['p50']:>8.1f}"
                f"{f['p95']:>8.1f}{f['p99']:>8.1f}{f['wrk_cpu'] * 100:>8.0f}%"
            )
        best_of[name] = best[0] if best else 0.0
        if best:
            print(
                f"{'':<27}{name:<16}-> {best[0]:.0f} req/s with p95 {best[2]:.1f} ms "
                f"({best[1]} clients)"
            )
        else:
            print(f"{'':<27}{name:<16}-> p95 >= {TARGET_P95_MS:.0f} ms at every load tried")
    return best_of


def run(label: str, url: str, args: argparse.Namespace) -> None:
    engine = make_engine(url)
    started = time.perf_counter()
    fill(engine, args.projects)
    settle(engine)
    engine.dispose()
    print(f"\n{label}: {args.projects} projects generated in {time.perf_counter() - started:.1f} s")
    print(
        f"{'server':<27}{'endpoint':<16}{'clients':>7}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'p99 ms':>8}{'wrk CPU':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for workers in args.workers:
            scheduler = None
            dask = None
            if workers > 1:  # the production layout: a Dask scheduler the processes share
                port = free_port()
                scheduler = f"tcp://127.0.0.1:{port}"
                dask = subprocess.Popen(
                    [
                        str(Path(sys.executable).parent / "dask"),
                        "scheduler",
                        "--port",
                        str(port),
                        "--no-dashboard",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            try:
                results = {}
                variants = [("bakuhub", True)] + (
                    [("bakuhub, nothing kept", False)] if args.uncached else []
                )
                for name, cache in variants:
                    with bakuhub_server(url, folder / "data", workers, cache, scheduler) as server:
                        results[name] = measure(
                            f"{name} ({workers}p)", server, "/api/v1", args, folder
                        )
                with minimal_server(url, workers) as server:
                    ping = drive(server.base, ["/ping"], args.seconds, max(args.clients), folder)
                    print(
                        f"{f'minimal ({workers}p)':<27}{'/ping':<16}{max(args.clients):>7}"
                        f"{ping['rate']:>8.0f}{ping['p50']:>8.1f}{ping['p95']:>8.1f}"
                        f"{ping['p99']:>8.1f}{ping['wrk_cpu'] * 100:>8.0f}%"
                    )
                    floor = measure(f"minimal ({workers}p)", server, "", args, folder)
                for name, best in results.items():
                    shares = ", ".join(
                        f"{case} {best[case] / floor[case] * 100:.0f} %"
                        if floor[case]
                        else f"{case} -"
                        for case in best
                    )
                    print(
                        f"{label}, {workers} process(es): {name} as a share of the minimal "
                        f"endpoint: {shares}"
                    )
            finally:
                if dask is not None:
                    dask.terminate()
                    dask.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--clients", type=int, nargs="*", default=[2, 4, 8, 16], help="connections to try"
    )
    parser.add_argument(
        "--workers", type=int, nargs="*", default=[1, 2], help="server processes to try"
    )
    parser.add_argument(
        "--no-uncached",
        dest="uncached",
        action="store_false",
        help="skip the run with kept answers switched off",
    )
    parser.add_argument("--postgres", default=os.environ.get("BAKUHUB_TEST_POSTGRES_URL"))
    parser.add_argument("--no-sqlite", dest="sqlite", action="store_false")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench/api.py drives the load with wrk: install it (apt install wrk)")
    print(
        f"bakuhub API load test: {os.cpu_count()} CPUs, wrk (1 thread) on the same machine, "
        f"{args.clients} connections, {args.seconds:.0f} s per endpoint and load; "
        f"target p95 < {TARGET_P95_MS:.0f} ms"
    )
    if args.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args)
    if args.postgres:
        name = f"bakuhub_bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
            run("PostgreSQL", url, args)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()
    else:
        print("\nPostgreSQL: skipped (pass --postgres URL or set BAKUHUB_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
