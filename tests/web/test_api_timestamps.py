"""Every timestamp the API answers is in UTC with its offset, on SQLite (which hands back
times without a zone) and on PostgreSQL (which hands them back in the session's zone)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from bakuhub.testing import records
from bakuhub.timestamps import as_utc

API = "/api/v1"
BAKU = dt.timezone(dt.timedelta(hours=4))


def _utc(stamp: str, before: dt.datetime) -> dt.datetime:
    """``stamp`` read as a client would: an offset is required, and it must be UTC."""
    assert stamp.endswith(("Z", "+00:00")), stamp
    when = dt.datetime.fromisoformat(stamp)
    assert when.utcoffset() == dt.timedelta(0)
    assert before - dt.timedelta(seconds=5) <= when <= dt.datetime.now(dt.UTC), (when, before)
    return when


def _stamps(body: Any) -> list[str]:
    """Every timestamp in ``body`` (keys ``at`` and ``*_at``, at any depth)."""
    if isinstance(body, list):
        return [s for item in body for s in _stamps(item)]
    if not isinstance(body, dict):
        return []
    found = [v for k, v in body.items() if (k == "at" or k.endswith("_at")) and v is not None]
    return found + [s for v in body.values() for s in _stamps(v)]


def test_as_utc_reads_a_naive_time_as_utc_and_converts_an_aware_one() -> None:
    naive = dt.datetime(2026, 11, 13, 9, 30)
    assert as_utc(naive) == dt.datetime(2026, 11, 13, 9, 30, tzinfo=dt.UTC)
    in_baku = dt.datetime(2026, 11, 13, 13, 30, tzinfo=BAKU)
    assert as_utc(in_baku).isoformat() == "2026-11-13T09:30:00+00:00"


def test_timestamps_of_records_tokens_accounts_and_the_audit_log_are_utc(
    client: TestClient, session: Session
) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET TIME ZONE 'Asia/Baku'"))  # answers in +04 unless converted
    before = dt.datetime.now(dt.UTC)
    created = client.post(f"{API}/parties", json={"kind": "country", "iso3": "AZE"})
    assert created.status_code == 201, created.text
    for stamp in _stamps(created.json()):
        _utc(stamp, before)
    read = client.get(f"{API}/parties/AZE").json()
    assert _utc(read["created_at"], before) == _utc(created.json()["created_at"], before)
    listed = client.get(f"{API}/parties").json()["items"]
    assert [_utc(p["updated_at"], before) for p in listed if p["ref"] == "AZE"]

    earlier = before - dt.timedelta(minutes=5)  # the client's account and token
    tokens = client.get(f"{API}/tokens").json()
    assert tokens
    for token in tokens:
        _utc(token["created_at"], earlier)
    _utc(client.get(f"{API}/users/admin").json()["created_at"], earlier)

    entries = client.get(f"{API}/audit", params={"record_ref": "AZE"}).json()
    assert entries, "the party's creation is in the audit log"
    for entry in entries:
        _utc(entry["at"], before)


def test_timestamps_of_results_and_documents_are_utc(client: TestClient, session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET TIME ZONE 'America/New_York'"))
    before = dt.datetime.now(dt.UTC)
    records.make_record(session)
    session.commit()
    framework = client.get(f"{API}/projects/FULL-1/results").json()
    stamps = _stamps(framework)
    assert stamps, framework
    for stamp in stamps:
        _utc(stamp, before)
    files = {"file": ("minutes.txt", b"Signed in Baku.", "text/plain")}
    uploaded = client.post(f"{API}/agreements/agr-1/documents", files=files)
    assert uploaded.status_code == 201, uploaded.text
    _utc(uploaded.json()["uploaded_at"], before)
    agreement = client.get(f"{API}/agreements/agr-1").json()
    assert len(_stamps(agreement)) >= 3  # created, updated, the document's upload
    for stamp in _stamps(agreement):
        _utc(stamp, before)
