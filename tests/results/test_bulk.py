"""Bulk import (issue 21): templates, preview and commit of transactions, budgets,
results, indicators and periods; every bad row named, all rows or none, updates by
key, a record changed since the preview refused, rights through the API."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bakuhub.audit.models import AuditEntry
from bakuhub.errors import Conflict, InvalidInput
from bakuhub.results import bulk, finance, finance_edit, service
from bakuhub.results import models as m
from bakuhub.results.bulk_files import MAX_BYTES, read_table
from bakuhub.results.bulk_templates import COLUMNS, template_csv, template_xlsx
from bakuhub.results.codes import TransactionKind
from bakuhub.results.finance_schemas import TransactionUpdate
from bakuhub.testing import make_parties, make_project

API = "/api/v1"
REF = "BULK-1"
TX_HEADER = "ref,kind,date,value,currency,provider_party,provider_name,receiver_name"


@pytest.fixture
def project(session: Session) -> Session:
    make_parties(session)
    make_project(session, REF, countries=[{"country": "TCD", "share": 100}])
    return session


def _table(kind: str, text: str, name: str = "file.csv") -> Any:
    return read_table(kind, name, text.encode())


def _preview(session: Session, kind: str, text: str) -> dict[str, Any]:
    table = _table(kind, text)
    return bulk.preview(session=session, project_ref=REF, table=table, author="fp")


def _commit(session: Session, kind: str, text: str, digest: str | None) -> dict[str, Any]:
    table = _table(kind, text)
    return bulk.commit(session=session, project_ref=REF, table=table, digest=digest, author="fp")


def _import(session: Session, kind: str, text: str) -> dict[str, Any]:
    shown = _preview(session, kind, text)
    return _commit(session, kind, text, shown["digest"])


def _transactions(session: Session) -> list[dict[str, Any]]:
    return finance.project_finance(session=session, project_ref=REF)["transactions"]


def _audits(session: Session, kind: str) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.record_type == kind, AuditEntry.actor == "fp")
    return list(session.scalars(stmt.order_by(AuditEntry.id)))


GOOD = f"""{TX_HEADER}
TR-1,commitment,2025-01-10,100000,USD,GCF,,Ministry
,disbursement,2025-02-15,25000.50,USD,,Green Fund,Ministry
TR-3,expenditure,2025-03-01,1200,EUR,,Local contractor,
"""
BAD = GOOD.replace("2025-02-15", "2025-02-30").replace("GCF", "NOPE")


# ---- templates --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_each_template_reads_back_with_its_columns_and_no_rows(kind: str) -> None:
    names = [c.name for c in COLUMNS[kind]]
    csv_text = template_csv(kind)
    assert csv_text.splitlines()[0].split(",") == names
    assert "#" in csv_text.splitlines()[2]  # the example row is a comment
    assert read_table(kind, "t.csv", csv_text.encode()).rows == ()
    book = template_xlsx(kind)
    assert read_table(kind, "t.xlsx", book).rows == ()
    sheet = load_workbook(io.BytesIO(book), read_only=True).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == names


def test_the_excel_template_lists_the_codes_of_coded_columns() -> None:
    book = load_workbook(io.BytesIO(template_xlsx("transactions")), read_only=True)
    rows = [list(r) for r in book["codes"].iter_rows(values_only=True)]
    assert ["kind", *(k.value for k in TransactionKind)] in rows


# ---- transactions: all or nothing, every bad row named ---------------------------------------


def test_a_file_with_bad_rows_writes_nothing_and_names_each_row_and_column(
    project: Session,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _commit(project, "transactions", BAD, None)
    assert [(d["row"], d["column"]) for d in refused.value.details] == [
        (2, "provider_party"),
        (3, "date"),
    ]
    assert "row 3, column date: '2025-02-30' is not a date" in refused.value.message
    assert "NOPE" in refused.value.details[0]["msg"]
    assert _transactions(project) == []
    assert _audits(project, "transactions") == []


def test_the_preview_says_what_is_added_and_the_commit_writes_it_with_audit_entries(
    project: Session,
) -> None:
    shown = _preview(project, "transactions", GOOD)
    assert (shown["rows"], shown["added"], shown["updated"]) == (3, 3, 0)
    assert shown["items"][0] == {
        "row": 2,
        "action": "add",
        "what": "TR-1: commitment of 100000 USD on 2025-01-10",
    }
    assert _transactions(project) == []  # a preview writes nothing
    done = _commit(project, "transactions", GOOD, shown["digest"])
    assert (done["added"], done["updated"]) == (3, 0)
    stored = _transactions(project)
    assert [(t["ref"], t["kind"], t["value"]) for t in stored] == [
        ("TR-1", "commitment", Decimal("100000")),
        (None, "disbursement", Decimal("25000.50")),
        ("TR-3", "expenditure", Decimal("1200")),
    ]
    assert stored[0]["provider"]["party"] == "GCF"
    assert stored[1]["provider"]["name"] == "Green Fund"
    audits = _audits(project, "transactions")
    assert [a.record_ref for a in audits] == [f"{REF}/{t['id']}" for t in stored]
    assert audits[0].action == "create" and audits[0].after["ref"] == "TR-1"


def test_a_row_with_a_known_ref_updates_that_transaction(project: Session) -> None:
    _import(project, "transactions", GOOD)
    again = f"{TX_HEADER}\nTR-1,commitment,2025-01-10,120000,USD,GCF,,Ministry\n"
    again += "TR-4,disbursement,2025-04-01,5,USD,,Fund,\n"
    shown = _preview(project, "transactions", again)
    assert [(i["row"], i["action"]) for i in shown["items"]] == [(2, "update"), (3, "add")]
    _commit(project, "transactions", again, shown["digest"])
    tr1 = next(t for t in _transactions(project) if t["ref"] == "TR-1")
    assert (tr1["value"], tr1["version"]) == (Decimal("120000"), 2)
    assert len(_transactions(project)) == 4
    assert [a.action for a in _audits(project, "transactions")][-2:] == ["update", "create"]


def test_a_ref_listed_twice_is_refused_at_its_second_row(project: Session) -> None:
    text = GOOD + "TR-1,commitment,2025-05-01,1,USD,,X,\n"
    with pytest.raises(InvalidInput) as refused:
        _preview(project, "transactions", text)
    assert [(d["row"], d["column"]) for d in refused.value.details] == [(5, "ref")]
    assert "row 2 has the same ref" in refused.value.details[0]["msg"]


def test_a_record_changed_after_the_preview_refuses_the_commit(project: Session) -> None:
    _import(project, "transactions", GOOD)
    again = f"{TX_HEADER}\nTR-1,commitment,2025-01-10,1,USD,,,Ministry\n"
    shown = _preview(project, "transactions", again)
    tr1 = next(t for t in _transactions(project) if t["ref"] == "TR-1")
    finance_edit.update_transaction(
        session=project,
        transaction_id=tr1["id"],
        data=TransactionUpdate(version=1, value=Decimal(7)),
        author="someone",
    )
    with pytest.raises(Conflict, match="changed since the preview"):
        _commit(project, "transactions", again, shown["digest"])
    tr1 = next(t for t in _transactions(project) if t["ref"] == "TR-1")
    assert tr1["value"] == Decimal(7)


# ---- budgets ------------------------------------------------------------------------------


def test_budgets_are_matched_by_kind_and_period_and_checked_like_the_form(
    project: Session,
) -> None:
    header = "kind,status,period_start,period_end,value,currency"
    _import(project, "budgets", f"{header}\n,,2025-01-01,2025-12-31,1000,USD\n")
    text = f"{header}\noriginal,committed,2025-01-01,2025-12-31,1500,USD\n"
    text += "revised,,2025-01-01,2026-06-30,10,USD\n"
    with pytest.raises(InvalidInput) as refused:
        _preview(project, "budgets", text)
    assert [(d["row"], d["column"]) for d in refused.value.details] == [(3, "period_end")]
    assert "at most one year" in refused.value.details[0]["msg"]
    shown = _import(project, "budgets", text.replace("2026-06-30", "2025-06-30"))
    assert (shown["added"], shown["updated"]) == (1, 1)
    budgets = finance.project_finance(session=project, project_ref=REF)["budgets"]
    first = next(b for b in budgets if b["kind"] == "original")
    assert (first["value"], first["status"], len(budgets)) == (Decimal("1500"), "committed", 2)


# ---- results, indicators, periods -----------------------------------------------------------


def _framework(session: Session) -> list[dict[str, Any]]:
    return service.get_framework(session=session, project_ref=REF)["results"]


def test_a_framework_is_imported_results_then_indicators_then_periods(project: Session) -> None:
    _import(project, "results", "title,kind\nWells drilled,output\nWater access,outcome\n")
    indicators = "result,title,measure,unit,baseline_year,baseline_value\n"
    indicators += "Wells drilled,Wells in use,unit,wells,2024,0\n"
    indicators += "Water access,Share with water,percentage,%,,\n"
    _import(project, "indicators", indicators)
    periods = "result,indicator,start,end,target\n"
    periods += "Wells drilled,Wells in use,2025-01-01,2025-12-31,40\n"
    periods += "Wells drilled,Wells in use,2026-01-01,2026-12-31,80\n"
    _import(project, "periods", periods)
    results = _framework(project)
    assert [(r["title"], r["kind"]) for r in results] == [
        ("Wells drilled", "output"),
        ("Water access", "outcome"),
    ]
    wells = results[0]["indicators"][0]
    assert (wells["title"], wells["baseline_value"]) == ("Wells in use", 0)
    assert [(str(p["start"]), p["target"]) for p in wells["periods"]] == [
        ("2025-01-01", 40),
        ("2026-01-01", 80),
    ]
    update = "result,indicator,start,end,target,actual\n"
    update += "Wells drilled,Wells in use,2025-01-01,2025-12-31,45,12\n"
    shown = _import(project, "periods", update)
    assert (shown["added"], shown["updated"]) == (0, 1)
    period = _framework(project)[0]["indicators"][0]["periods"][0]
    assert (period["target"], period["actual"], period["version"]) == (45, 12, 2)


def test_framework_rows_are_checked_by_the_services_in_the_preview(project: Session) -> None:
    _import(project, "results", "title,kind\nWells drilled,output\n")
    _import(project, "indicators", "result,title\nWells drilled,Wells in use\n")
    periods = "result,indicator,start,end,target\n"
    periods += "Wells drilled,Wells in use,2025-01-01,2025-12-31,40\n"
    periods += "Wells drilled,Wells in use,2025-06-01,2026-05-31,80\n"  # overlaps row 2
    periods += "Wells drilled,Pumps,2025-01-01,2025-12-31,1\n"  # no such indicator
    periods += "Wells drilled,Wells in use,2027-01-01,2026-01-01,1\n"  # ends before it starts
    with pytest.raises(InvalidInput) as refused:
        _preview(project, "periods", periods)
    found = {(d["row"], d["column"]): d["msg"] for d in refused.value.details}
    assert set(found) == {(4, "indicator"), (5, "end")}, found
    assert "no indicator 'Wells drilled' / 'Pumps'" in found[(4, "indicator")]
    with pytest.raises(InvalidInput) as refused:
        _preview(project, "periods", "\n".join(periods.splitlines()[:3]) + "\n")
    assert [d["row"] for d in refused.value.details] == [3]
    assert "overlap" in refused.value.details[0]["msg"]
    assert _framework(project)[0]["indicators"][0]["periods"] == []


def test_an_indicator_naming_an_unknown_result_is_refused(project: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        _preview(project, "indicators", "result,title\nNo such result,Anything\n,Other\n")
    assert [(d["row"], d["column"]) for d in refused.value.details] == [
        (2, "result"),
        (3, "result"),
    ]


# ---- files: Excel, bounds -----------------------------------------------------------------


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_excel_file_imports_with_dates_and_numbers_as_typed(project: Session) -> None:
    import datetime as dt

    content = _xlsx(
        [
            ["ref", "kind", "date", "value", "currency", "provider_name"],
            ["X-1", "disbursement", dt.datetime(2025, 3, 15), 1250.75, "USD", "Fund"],
            [],
            ["X-2", "commitment", dt.date(2025, 4, 1), 3, "EUR", "Fund"],
        ]
    )
    table = read_table("transactions", "money.xlsx", content)
    assert [n for n, _ in table.rows] == [2, 4]
    bulk.commit(session=project, project_ref=REF, table=table, digest=None, author="fp")
    stored = _transactions(project)
    assert [(str(t["date"]), t["value"]) for t in stored] == [
        ("2025-03-15", Decimal("1250.75")),
        ("2025-04-01", Decimal("3")),
    ]


def test_an_excel_formula_is_refused_never_evaluated() -> None:
    content = _xlsx([["ref", "value"], ["X-1", "=1+1"]])
    with pytest.raises(InvalidInput, match=r"Row 2 .* holds a formula"):
        read_table("transactions", "f.xlsx", content)


def test_unreadable_or_oversized_files_are_refused_with_a_sentence() -> None:
    with pytest.raises(InvalidInput, match="columns that transactions do not have: amount"):
        read_table("transactions", "a.csv", b"ref,amount\nx,1\n")
    with pytest.raises(InvalidInput, match="over the limit"):
        read_table("transactions", "a.csv", b"ref\n" + b"x\n" * (MAX_BYTES // 2))
    with pytest.raises(InvalidInput, match="neither UTF-8"):
        read_table("transactions", "a.csv", "ref\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not an Excel"):
        read_table("transactions", "a.xlsx", b"PK\x03\x04 broken")
    semicolons = read_table("budgets", "b.csv", b"period_start;value\n2025-01-01;5\n")
    assert semicolons.rows == ((2, {"period_start": "2025-01-01", "value": "5"}),)


# ---- the API: rights, preview and commit ------------------------------------------------------


def _files(text: str) -> dict[str, Any]:
    return {"file": ("tx.csv", text.encode(), "text/csv")}


def test_the_api_previews_and_commits_for_the_projects_focal_point_only(
    project: Session, client_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    project.commit()
    url = f"{API}/projects/{REF}/bulk/transactions"
    other = client_as("focal_point", party="AZE", username="aze-fp")
    assert other.post(f"{url}/preview", files=_files(GOOD)).status_code == 403
    assert anon_client.post(f"{url}/preview", files=_files(GOOD)).status_code == 401
    owner = client_as("focal_point", party="TCD", username="tcd-fp")
    bad = owner.post(f"{url}/preview", files=_files(BAD))
    assert bad.status_code == 422
    assert [(d["row"], d["column"]) for d in bad.json()["errors"]] == [
        (2, "provider_party"),
        (3, "date"),
    ]
    shown = owner.post(f"{url}/preview", files=_files(GOOD)).json()
    assert shown["added"] == 3
    stale = owner.post(url, files=_files(GOOD), data={"digest": "0" * 32})
    assert stale.status_code == 409
    done = owner.post(url, files=_files(GOOD), data={"digest": shown["digest"]})
    assert done.status_code == 200, done.text
    assert done.json()["added"] == 3
    assert len(_transactions(project)) == 3


def test_templates_download_as_csv_and_excel(anon_client: TestClient) -> None:
    csv_answer = anon_client.get(f"{API}/bulk/templates/periods.csv")
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert csv_answer.text.startswith("result,indicator,start,end")
    xlsx = anon_client.get(f"{API}/bulk/templates/periods.xlsx")
    assert read_table("periods", "p.xlsx", xlsx.content).rows == ()
    assert anon_client.get(f"{API}/bulk/templates/nothing.csv").status_code == 404
    odd = anon_client.get(f"{API}/bulk/templates/a%5Cb.xlsx")  # not a sheet name: no crash
    assert odd.status_code == 404, odd.text


def test_nothing_is_left_by_a_refused_import(project: Session) -> None:
    before = project.scalar(select(func.count()).select_from(m.Transaction))
    with pytest.raises(InvalidInput):
        _commit(project, "transactions", BAD, None)
    assert project.scalar(select(func.count()).select_from(m.Transaction)) == before


def test_the_bulk_page_is_for_those_who_may_change_the_project(
    project: Session, client_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    project.commit()
    page = f"/projects/{REF}/bulk"
    assert client_as("viewer", username="v").get(page).status_code == 403
    anonymous = anon_client.get(page, follow_redirects=False)
    assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]
    shown = client_as("focal_point", party="TCD", username="tcd-fp").get(page)
    assert shown.status_code == 200
    for kind in COLUMNS:
        assert f'href="{API}/bulk/templates/{kind}.xlsx"' in shown.text
