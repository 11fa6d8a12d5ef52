"""Account administration keeps its rules on every path (API, pages, service, CLI): a
token never hands out access that outlives it (no accounts, passwords, promotions or
parties through a token), a role or party change ends the sessions, an administrator
cannot lock the accounts out (own role, own account, the last active administrator),
and every change is audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.accounts import admin
from bakuhub.accounts.models import User
from bakuhub.audit.models import AuditEntry
from bakuhub.errors import Conflict
from bakuhub.testing import API, TEST_PASSWORD, browser_client, csrf_of, make_world

NEW_PASSWORD = "river lantern copper seven"


def _session_api(app: FastAPI, username: str) -> TestClient:
    """An administrator's browser session calling the JSON API (cookie + CSRF header)."""
    web = browser_client(app, username)
    web.headers["X-CSRF-Token"] = csrf_of(web.get("/account").text)
    return web


def _actions(session: Session, ref: str) -> list[tuple[str, str]]:
    stmt = select(AuditEntry).where(AuditEntry.record_type == "users").order_by(AuditEntry.id)
    return [(e.actor, e.action) for e in session.scalars(stmt.where(AuditEntry.record_ref == ref))]


def test_accounts_are_created_through_the_api_by_a_signed_in_administrator_only(
    app: FastAPI,
    session: Session,
    client: TestClient,
    make_user: Callable[..., User],
    client_as: Callable[..., TestClient],
) -> None:
    body = {"username": "amina", "password": NEW_PASSWORD, "role": "viewer"}
    by_token = client.post(f"{API}/users", json=body)
    assert by_token.status_code == 403 and "API token cannot create accounts" in by_token.text
    assert client_as("secretariat", username="sec").post(f"{API}/users").status_code == 403
    make_user("root", "administrator")
    web = _session_api(app, "root")
    made = web.post(f"{API}/users", json={**body, "display_name": "Amina M."})
    assert made.status_code == 201
    assert made.json()["username"] == "amina" and made.json()["active"] is True
    assert web.post(f"{API}/users", json=body).status_code == 409
    bad = {"username": "bo", "password": "Password2024!", "role": "focal_point"}
    refused = web.post(f"{API}/users", json=bad)
    assert refused.status_code == 422
    assert {e["loc"][0] for e in refused.json()["errors"]} == {"party", "password"}
    assert web.post(f"{API}/users", json={**body, "extra": 1}).status_code == 422  # typed
    assert _actions(session, "amina") == [("root", "create")]
    assert web.get(f"{API}/users/amina").json()["display_name"] == "Amina M."


def test_a_role_or_party_change_ends_the_sessions_and_a_token_only_takes_rights_away(
    app: FastAPI,
    session: Session,
    client: TestClient,
    make_user: Callable[..., User],
) -> None:
    make_world(client)  # parties TCD and GNB
    make_user("fatime", "focal_point", "TCD")
    hers = browser_client(app, "fatime")
    promote = client.patch(f"{API}/users/fatime", json={"role": "secretariat"})
    assert promote.status_code == 403 and "sign in with your password" in promote.text
    move = client.patch(f"{API}/users/fatime", json={"party": "GNB"})
    assert move.status_code == 403
    assert hers.get(f"{API}/me").json()["signed_in"] is True  # refused: nothing changed
    renamed = client.patch(f"{API}/users/fatime", json={"display_name": "Fatimé"})
    assert renamed.status_code == 200 and renamed.json()["party"] == "TCD"
    assert hers.get(f"{API}/me").json()["signed_in"] is True  # a new name keeps the session
    demoted = client.patch(f"{API}/users/fatime", json={"role": "viewer"})
    assert demoted.status_code == 200
    assert demoted.json()["role"] == "viewer" and demoted.json()["party"] is None
    assert hers.get(f"{API}/me").json()["signed_in"] is False
    make_user("root", "administrator")
    web = _session_api(app, "root")
    back = web.patch(f"{API}/users/fatime", json={"role": "focal_point", "party": "GNB"})
    assert back.status_code == 200 and back.json()["party"] == "GNB"
    assert web.patch(f"{API}/users/nobody", json={"role": "viewer"}).status_code == 404
    assert web.patch(f"{API}/users/fatime", json={"role": "boss"}).status_code == 422
    assert [a for _, a in _actions(session, "fatime")] == ["update", "update", "update"]


def test_an_administrator_cannot_lock_the_accounts_out(
    app: FastAPI, session: Session, make_user: Callable[..., User]
) -> None:
    make_user("root", "administrator")
    make_user("deputy", "administrator")
    web = _session_api(app, "root")
    own = web.patch(f"{API}/users/root", json={"role": "viewer"})
    assert own.status_code == 409 and "cannot change your own role" in own.text
    assert web.post(f"{API}/users/root/disable").status_code == 409
    assert web.patch(f"{API}/users/deputy", json={"role": "secretariat"}).status_code == 200
    # root is now the last active administrator: no one (but the operator's CLI) demotes it
    with pytest.raises(Conflict, match="last active administrator"):
        admin.update_account(session=session, actor="deputy", username="root", role="viewer")
    with pytest.raises(Conflict, match="last active administrator"):
        admin.set_active(session=session, username="root", active=False, actor="deputy")
    operator = admin.update_account(
        session=session, actor="cli:ops", username="root", role="viewer", operator=True
    )
    assert operator.role == "viewer"


def test_an_administrator_sets_a_password_with_a_session_not_a_token(
    app: FastAPI, session: Session, client: TestClient, make_user: Callable[..., User]
) -> None:
    make_user("omar", "viewer")
    browser_client(app, "omar")
    by_token = client.post(f"{API}/users/omar/password", json={"password": NEW_PASSWORD})
    assert by_token.status_code == 403
    make_user("root", "administrator")
    web = _session_api(app, "root")
    weak = web.post(f"{API}/users/omar/password", json={"password": "qwertyuiop"})
    assert weak.status_code == 422 and weak.json()["errors"][0]["loc"] == ["password"]
    done = web.post(f"{API}/users/omar/password", json={"password": NEW_PASSWORD})
    assert done.status_code == 200 and done.json()["tokens_revoked"] == 0
    browser_client(app, "omar", NEW_PASSWORD)
    with pytest.raises(AssertionError):
        browser_client(app, "omar", TEST_PASSWORD)  # the old password is gone
    assert (
        web.post(f"{API}/users/root/password", json={"password": NEW_PASSWORD}).status_code == 409
    )
    assert _actions(session, "omar") == [("root", "set password")]


def test_own_tokens_are_listed_without_secrets_and_their_changes_audited(
    app: FastAPI, session: Session, make_user: Callable[..., User]
) -> None:
    make_user("vera", "viewer")
    web = _session_api(app, "vera")
    made = web.post(f"{API}/tokens", json={"name": "script"})
    assert made.status_code == 201 and made.json()["token"].startswith("bkh_")
    listed = web.get(f"{API}/tokens").json()
    assert listed == [
        {
            "id": made.json()["id"],
            "name": "script",
            "role": "viewer",
            "starts_with": made.json()["token"][:10],
            "created_at": listed[0]["created_at"],
            "last_used_at": None,
            "expires_at": None,
            "revoked": False,
        }
    ]
    assert web.delete(f"{API}/tokens/{made.json()['id']}").status_code == 204
    assert web.get(f"{API}/tokens").json()[0]["revoked"] is True
    assert _actions(session, "vera") == [("vera", "create token"), ("vera", "revoke token")]


def test_the_users_cli_audits_creation_and_role_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from bakuhub.cli.users import app as users
    from bakuhub.config import get_settings
    from bakuhub.db import make_engine, make_sessionmaker
    from bakuhub.migrate import upgrade

    monkeypatch.setenv("BAKUHUB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BAKUHUB_AUTHOR", "ops")
    monkeypatch.delenv("BAKUHUB_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    engine = make_engine(get_settings().effective_database_url)
    upgrade(engine)
    try:
        pw = f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
        runner = CliRunner()
        assert runner.invoke(users, ["create", "ria", "--role", "viewer"], input=pw).exit_code == 0
        changed = runner.invoke(users, ["set-role", "ria", "secretariat"])
        assert changed.exit_code == 0 and "ria is now secretariat" in changed.output
        with make_sessionmaker(engine)() as db:
            assert _actions(db, "ria") == [("ops", "create"), ("ops", "update")]
            assert db.scalars(select(User.session_epoch).where(User.username == "ria")).one() == 1
    finally:
        engine.dispose()
        get_settings.cache_clear()
