"""The floor bench/api.py compares bakuhub with: the same JSON from the same database,
with no framework work beyond it.

A bare ASGI function (no routing library, no validation, no middleware) that runs the
queries bakuhub's project list and detail run (the count, the page with its agreement,
then the countries, organisations and milestones of the page) on the database driver
itself, and writes the rows with ``json.dumps``. ``/ping`` answers a constant, to check
that the load generator is not the bottleneck. Served by uvicorn like bakuhub:

    MINIMAL_DATABASE_URL=sqlite:///path.sqlite3 python -m uvicorn --app-dir bench \\
        api_minimal:app --workers 2
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from typing import Any
from urllib.parse import parse_qs

COLUMNS = (
    "p.id, p.ref, p.version, p.created_at, p.updated_at, p.created_by, p.updated_by, "
    "p.sources, p.published, p.title, p.description, a.ref, a.published, p.status, p.themes, "
    "p.planned_start, p.actual_start, p.planned_end, p.actual_end, p.latitude, p.longitude"
)
FIELDS = (
    "id", "ref", "version", "created_at", "updated_at", "created_by", "updated_by", "sources",
    "published", "title", "description", "agreement", "agreement_published", "status",
    "themes", "planned_start", "actual_start", "planned_end", "actual_end", "latitude",
    "longitude",
)  # fmt: skip
WHEN = ("created_at", "updated_at", "planned_start", "actual_start", "planned_end", "actual_end")
_connection: Any = None


def connection() -> Any:
    """One driver connection per server process, opened on first use."""
    global _connection
    if _connection is None:
        url = os.environ["MINIMAL_DATABASE_URL"]
        if url.startswith("sqlite"):
            _connection = sqlite3.connect(url.split("///", 1)[1], check_same_thread=False)
            _connection.isolation_level = None
        else:
            import psycopg

            dsn = url.replace("postgresql+psycopg://", "postgresql://")
            _connection = psycopg.connect(dsn, autocommit=True)
    return _connection


def run(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = connection()
    if not isinstance(conn, sqlite3.Connection):
        sql = sql.replace("?", "%s")
    return list(conn.execute(sql, params).fetchall())


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _when(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > 10:  # SQLite: naive UTC text
        return value.replace(" ", "T") + "+00:00"
    return value


def projects(where: str, params: tuple[Any, ...], order: str, limit: int, offset: int) -> Any:
    """The page of published projects, as bakuhub answers it."""
    rows = run(
        f"SELECT {COLUMNS} FROM projects p LEFT JOIN agreements a ON a.id = p.agreement_id "
        f"WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    ids = [row[0] for row in rows]
    marks = ",".join("?" * len(ids)) or "NULL"
    countries: dict[int, list[Any]] = {i: [] for i in ids}
    for pid, iso3, share in run(
        f"SELECT project_id, iso3, share FROM project_countries WHERE project_id IN ({marks}) "
        "ORDER BY id",
        tuple(ids),
    ):
        countries[pid].append({"country": iso3, "share": share})
    orgs: dict[int, list[Any]] = {i: [] for i in ids}
    for pid, ref, published, role in run(
        "SELECT o.project_id, pa.ref, pa.published, o.role FROM project_organisations o "
        f"JOIN parties pa ON pa.id = o.party_id WHERE o.project_id IN ({marks}) ORDER BY o.id",
        tuple(ids),
    ):
        if published:
            orgs[pid].append({"party": ref, "role": role})
    steps: dict[int, list[Any]] = {i: [] for i in ids}
    for pid, title, due, done, status in run(
        "SELECT project_id, title, due_on, done_on, status FROM milestones "
        f"WHERE project_id IN ({marks}) ORDER BY id",
        tuple(ids),
    ):
        steps[pid].append(
            {"title": title, "due": _when(due), "done": _when(done), "status": status}
        )
    items = []
    for row in rows:
        item = dict(zip(FIELDS, row, strict=True))
        for name in WHEN:
            item[name] = _when(item[name])
        item["sources"], item["themes"] = _json(item["sources"]), _json(item["themes"])
        item["published"] = bool(item["published"])
        shown = item.pop("agreement_published")
        item["agreement"] = item["agreement"] if shown else None
        pid = item["id"]
        item.update(countries=countries[pid], organisations=orgs[pid], milestones=steps[pid])
        items.append(item)
    return items


def answer(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
    published = "p.published = ?"
    if path == "/projects":
        limit, offset = int(query.get("limit", ["50"])[0]), int(query.get("offset", ["0"])[0])
        where, order = published, "p.id"
        params: tuple[Any, ...] = (True,)
        if "country" in query:
            where += (
                " AND EXISTS (SELECT 1 FROM project_countries c WHERE c.project_id = p.id "
                "AND c.iso3 = ?)"
            )
            params = (True, query["country"][0])
        if query.get("sort") == ["-title"]:
            order = "lower(p.title) DESC, p.id"
        total = run(f"SELECT count(p.id) FROM projects p WHERE {where}", params)[0][0]
        items = projects(where, params, order, limit, offset)
        return 200, {"items": items, "total": total, "limit": limit, "offset": offset}
    if path.startswith("/projects/"):
        found = projects(f"{published} AND p.ref = ?", (True, path[10:]), "p.id", 1, 0)
        return (200, found[0]) if found else (404, {"detail": "not found"})
    return 404, {"detail": "not found"}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["path"] == "/ping":
        status, body = 200, b'{"ok":true}'
    else:
        code, data = answer(scope["path"], parse_qs(scope["query_string"].decode()))
        status, body = code, json.dumps(data, separators=(",", ":")).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
