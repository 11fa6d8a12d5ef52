"""Load benchmark of the registry API on loopback.

Fills a database with N generated projects (default 10,000), starts
`bakuhub serve` against it, and drives it with an asyncio HTTP client at a
range of client counts. Prints requests/s and p50/p95/p99 latency for the list and
detail endpoints, on SQLite and (with --postgres URL or BAKUHUB_TEST_POSTGRES_URL)
on PostgreSQL. Never asserts a time: it reports what it measured.

    .venv/bin/python bench/api.py [--projects 10000] [--seconds 10] [--clients 1 2 4 8]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import shutil
import socket
import statistics
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


def start_server(url: str, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "BAKUHUB_DATABASE_URL": url,
        "BAKUHUB_DATA_DIR": str(data_dir),
        "BAKUHUB_PORT": str(port),
        "BAKUHUB_SEED_DEMO": "false",
        "BAKUHUB_REFERENCE_STUDY": "false",
        "BAKUHUB_LOG_LEVEL": "warning",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bakuhub", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


async def drive(base: str, paths: list[str], seconds: float, concurrency: int) -> list[float]:
    """Request ``paths`` round-robin from ``concurrency`` clients; return latencies (s)."""
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker(offset: int) -> None:
            nonlocal errors
            i = offset
            while time.perf_counter() < stop:
                start = time.perf_counter()
                resp = await client.get(paths[i % len(paths)])
                latencies.append(time.perf_counter() - start)
                errors += resp.status_code != 200
                i += concurrency

        await asyncio.gather(*(worker(k) for k in range(concurrency)))
    if errors:
        raise SystemExit(f"{errors} requests failed")
    return latencies


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def run(label: str, url: str, args: argparse.Namespace) -> None:
    engine = make_engine(url)
    started = time.perf_counter()
    fill(engine, args.projects)
    settle(engine)
    engine.dispose()
    print(f"\n{label}: {args.projects} projects generated in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(url, Path(tmp))
        try:
            use_wrk = shutil.which("wrk") is not None and not args.python_client
            print("load generator: " + ("wrk" if use_wrk else "Python asyncio + httpx"))
            rng = random.Random(7)
            cases = {
                "list (limit 50)": [
                    f"/api/v1/projects?limit=50&offset={rng.randrange(0, 9950)}" for _ in range(200)
                ],
                "list filtered": [
                    f"/api/v1/projects?country={c}&sort=-title&limit=20" for c in COUNTRIES
                ],
                "detail": [
                    f"/api/v1/projects/GEN-{rng.randrange(args.projects):05d}" for _ in range(500)
                ],
            }
            print(
                f"{'endpoint':<18}{'clients':>8}{'requests':>10}{'req/s':>8}{'p50 ms':>8}"
                f"{'p95 ms':>8}{'p99 ms':>8}"
            )
            for name, paths in cases.items():
                asyncio.run(drive(base, paths, 1.0, 2))  # warm up
                best = None
                for clients in args.clients:
                    lat = asyncio.run(drive(base, paths, args.seconds, clients))
                    rate = len(lat) / args.seconds
                    p95 = pct(lat, 95)
                    if p95 < TARGET_P95_MS and (best is None or rate > best[0]):
                        best = (rate, clients, p95)
                    print(
                        f"{name:<18}{clients:>8}{len(lat):>10}{rate:>8.0f}"
                        f"{pct(lat, 50):>8.1f}{p95:>8.1f}{pct(lat, 99):>8.1f}"
                    )
                if best:
                    print(
                        f"{'':<18}-> sustained with p95 < {TARGET_P95_MS} ms: {best[0]:.0f} req/s "
                        f"({best[1]} clients, p95 {best[2]:.1f} ms)"
                    )
                else:
                    print(f"{'':<18}-> p95 >= {TARGET_P95_MS} ms at every load tried")
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--clients",
        type=int,
        nargs="*",
        default=[1, 2, 4, 8],
        help="concurrent client counts to try",
    )
    parser.add_argument(
        "--python-client",
        action="store_true",
        help="drive the load from Python even when wrk is installed",
    )
    parser.add_argument("--postgres", default=os.environ.get("BAKUHUB_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    print(
        f"bakuhub API load test: {os.cpu_count()} CPUs, 1 server process, "
        f"{args.clients} concurrent clients, {args.seconds:.0f} s per endpoint and load"
    )
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
