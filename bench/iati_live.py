"""Benchmark of the IATI check run while a user edits (issue 21): one project's
activity exported and checked (schema, standard ruleset, codelists), its findings
tied to records (``results.iati_live.check_project``), as each edit form and the
project page do.

For projects of growing size (transactions; results with 3 indicators of 4 periods
each; 12 yearly budgets) on a fresh SQLite database, it prints the first check of the
process (reads the schema, ruleset and codelists) and the median of the next ones,
split into export and check. It never asserts a time: it reports what it measured.

    .venv/bin/python bench/iati_live.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import Session

from bakuhub.db import make_sessionmaker, session_scope
from bakuhub.iati.rules import check_activities
from bakuhub.results.finance import add_budget, add_transaction
from bakuhub.results.iati_export import export_activities
from bakuhub.results.iati_live import check_project
from bakuhub.results.schemas import BudgetIn, ResultIn, TransactionIn
from bakuhub.results.service import add_result
from bakuhub.testing import make_parties, make_project, migrated_sqlite

SIZES = ((10, 2), (100, 5), (1_000, 20))
"""(transactions, results) per project."""


def build(session: Session, ref: str, transactions: int, results: int) -> None:
    """A project of Chad with that many transactions and results, 12 yearly budgets."""
    make_project(
        session,
        ref,
        planned_start="2020-01-01",
        themes=["adaptation"],
        countries=[{"country": "TCD", "share": 100}],
        organisations=[{"party": "IOM", "role": "implementing"}],
    )
    for year in range(2020, 2032):
        budget = BudgetIn.model_validate(
            {"period_start": f"{year}-01-01", "period_end": f"{year}-12-31", "value": "1000"}
            | {"currency": "EUR"}
        )
        add_budget(session=session, project_ref=ref, data=budget, author="bench")
    for i in range(transactions):
        raw = {"kind": "disbursement", "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"}
        data = TransactionIn.model_validate({**raw, "value": str(100 + i), "currency": "USD"})
        add_transaction(session=session, project_ref=ref, data=data, author="bench")
    periods = [
        {"start": f"{y}-01-01", "end": f"{y}-12-31", "target": 10 * y} for y in range(2021, 2025)
    ]
    indicator = {"title": "Households", "measure": "unit", "periods": periods}
    for r in range(results):
        body = {"kind": "output", "title": f"Result {r}", "indicators": [indicator] * 3}
        add_result(session=session, project_ref=ref, data=ResultIn.model_validate(body), author="b")


def timed(session: Session, ref: str) -> tuple[float, float, float, int]:
    """(seconds to export, to check, for check_project in all, findings)."""
    start = time.perf_counter()
    xml = export_activities(session=session, project_refs=[ref]).xml
    exported = time.perf_counter()
    check_activities(xml)
    checked = time.perf_counter()
    found = check_project(session=session, project_ref=ref)
    return exported - start, checked - exported, time.perf_counter() - checked, len(found.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="checks per project size")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bakuhub-bench-"))
    engine = migrated_sqlite(folder / "bench.sqlite3")
    maker = make_sessionmaker(engine)
    print(
        "| transactions | results (x3 indicators x4 periods) | KiB XML | first check s |"
        " export ms | check ms | check_project ms | findings |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    with session_scope(maker) as session:
        make_parties(session)
        for transactions, results in SIZES:
            ref = f"BENCH-LIVE-{transactions}"
            build(session, ref, transactions, results)
            session.flush()
            size = len(export_activities(session=session, project_refs=[ref]).xml) / 1024
            first = time.perf_counter()
            timed(session, ref)
            first_s = time.perf_counter() - first
            runs = [timed(session, ref) for _ in range(args.repeat)]
            export_ms, check_ms, live_ms = (
                statistics.median(r[i] for r in runs) * 1000 for i in range(3)
            )
            print(
                f"| {transactions} | {results} | {size:.0f} | {first_s:.2f} | {export_ms:.0f} |"
                f" {check_ms:.0f} | {live_ms:.0f} | {runs[0][3]} |"
            )
    engine.dispose()


if __name__ == "__main__":
    main()
