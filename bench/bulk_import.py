"""Benchmark of the bulk import of transactions (issue 21).

Writes a CSV of N generated transactions (default 5,000; a quarter with a registry
party as provider, every tenth with a ref), breaks one row, and imports it into a
fresh database: the broken file must write nothing and name the row. Then the fixed
file is previewed and committed, and the bench prints seconds and rows/s for each
step (parse, validate and match, write with audit entries) and end to end, on SQLite
and (with --postgres URL or BAKUHUB_TEST_POSTGRES_URL) on PostgreSQL. It never
asserts a time: it reports what it measured.

    .venv/bin/python bench/bulk_import.py [--rows 5000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from bakuhub.audit.models import AuditEntry
from bakuhub.db import make_sessionmaker, session_scope
from bakuhub.errors import InvalidInput
from bakuhub.results import bulk
from bakuhub.results import models as m
from bakuhub.results.bulk_files import read_table
from bakuhub.results.bulk_templates import COLUMNS
from bakuhub.testing import make_record, migrated_sqlite, throwaway_postgres

PROJECT = "FULL-1"
BAD_ROW = 2_501
"""The data row broken in the first file (spreadsheet row = data row + 1)."""


def transactions_csv(rows: int, bad: int | None = None) -> bytes:
    """A transactions file of ``rows`` rows; row ``bad`` (data row number) has a bad date."""
    names = [c.name for c in COLUMNS["transactions"]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    kinds = ("commitment", "disbursement", "expenditure")
    for i in range(1, rows + 1):
        writer.writerow(
            {
                "ref": f"BENCH-{i:06d}" if i % 10 == 0 else "",
                "kind": kinds[i % 3],
                "date": "2025-02-30" if i == bad else f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "value": f"{1000 + i * 7.25:.2f}",
                "currency": "USD" if i % 2 else "EUR",
                "description": f"Generated transaction {i}",
                "provider_party": "IOM" if i % 4 == 0 else "",
                "provider_name": "" if i % 4 == 0 else "Green Climate Fund",
                "receiver_name": "Ministry of Energy",
            }
        )
    return buffer.getvalue().encode()


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = call()
    return out, time.perf_counter() - start


@contextmanager
def database(kind: str, postgres: str | None) -> Iterator[Engine]:
    if kind == "postgres":
        assert postgres is not None
        with throwaway_postgres(postgres) as engine:
            yield engine
        return
    with tempfile.TemporaryDirectory() as folder:
        engine = migrated_sqlite(Path(folder) / "bench.sqlite3")
        yield engine
        engine.dispose()


def count(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        transactions = conn.scalar(select(func.count()).select_from(m.Transaction)) or 0
        audits = conn.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.record_type == "transactions")
        )
    return transactions, audits or 0


def run(kind: str, rows: int, postgres: str | None) -> list[tuple[str, float, int]]:
    """(step, seconds, rows) of one database."""
    with database(kind, postgres) as engine:
        factory = make_sessionmaker(engine)
        with session_scope(factory) as session:
            make_record(session)
        before = count(engine)
        broken = transactions_csv(rows, bad=BAD_ROW)
        try:
            with session_scope(factory) as session:
                table = read_table("transactions", "broken.csv", broken)
                bulk.commit(
                    session=session, project_ref=PROJECT, table=table, digest=None, author="bench"
                )
            raise SystemExit("the broken file was imported")
        except InvalidInput as exc:
            named = [(d["row"], d["column"]) for d in exc.details]
            print(f"{kind}: broken file refused, problems {named}; stored {count(engine)}")
            assert named == [(BAD_ROW + 1, "date")] and count(engine) == before
        content = transactions_csv(rows)
        table, parse = timed(lambda: read_table("transactions", "fixed.csv", content))
        with session_scope(factory) as session:
            shown, preview = timed(
                lambda: bulk.preview(
                    session=session, project_ref=PROJECT, table=table, author="bench"
                )
            )
        with session_scope(factory) as session:
            plan, validate = timed(
                lambda: bulk.make_plan(session=session, project_ref=PROJECT, table=table)
            )
            _, write = timed(lambda: bulk.apply_plan(session=session, plan=plan, author="bench"))
            session.rollback()
        start = time.perf_counter()
        with session_scope(factory) as session:
            table = read_table("transactions", "fixed.csv", content)
            bulk.commit(
                session=session,
                project_ref=PROJECT,
                table=table,
                digest=shown["digest"],
                author="bench",
            )
        total = time.perf_counter() - start
        stored = count(engine)
        print(f"{kind}: committed; stored (transactions, audit entries) = {stored}")
        assert stored == (before[0] + rows, before[1] + rows)
    return [
        ("parse CSV", parse, rows),
        ("preview (validate, match)", preview, rows),
        ("validate and match", validate, rows),
        ("write rows + audit entries", write, rows),
        ("end to end: parse, validate, write, commit", total, rows),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--postgres", default=os.environ.get("BAKUHUB_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    kinds = ["sqlite", *(["postgres"] if args.postgres else [])]
    table = [(kind, *step) for kind in kinds for step in run(kind, args.rows, args.postgres)]
    print(f"\n{'database':<10} {'step':<44} {'seconds':>8} {'rows/s':>9}")
    for kind, step, seconds, rows in table:
        print(f"{kind:<10} {step:<44} {seconds:8.2f} {rows / seconds:9.0f}")
    print(f"\n(Python {sys.version.split()[0]}; {args.rows:,} rows; target: end to end < 10 s)")


if __name__ == "__main__":
    main()
