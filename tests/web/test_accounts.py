"""Accounts: argon2 passwords, hashed tokens, sessions, the login rate limit, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_helpers import API, TEST_PASSWORD, csrf_of

from bakuhub.accounts import service
from bakuhub.accounts.models import ApiToken, User
from bakuhub.errors import InvalidInput


def test_passwords_are_argon2id_hashes_and_tokens_are_stored_as_digests(
    session: Session, client_as: Callable[..., TestClient]
) -> None:
    user = service.create_user(
        session=session, username="amina", password="a long enough secret", role="viewer"
    )
    assert user.password_hash.startswith("$argon2id$")
    assert "a long enough secret" not in user.password_hash
    assert service.authenticate(session=session, username="amina", password="wrong one!!") is None
    assert service.authenticate(session=session, username="amina", password="a long enough secret")
    _row, clear = service.create_token(session=session, username="amina", name="x")
    stored = session.scalars(select(ApiToken.digest)).all()
    assert clear not in stored and all(len(d) == 64 for d in stored)


def test_user_errors_are_sentences(session: Session) -> None:
    with pytest.raises(InvalidInput, match="at least 10"):
        service.create_user(session=session, username="bo", password="short", role="viewer")
    with pytest.raises(InvalidInput, match="focal point needs the ref of its party"):
        service.create_user(
            session=session, username="bo", password="long enough pw", role="focal_point"
        )
    with pytest.raises(InvalidInput, match="not a role"):
        service.create_user(session=session, username="bo", password="long enough pw", role="boss")


def _login(web: TestClient, username: str, password: str) -> int:
    token = csrf_of(web.get("/login").text)
    r = web.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return r.status_code


def test_login_sets_a_secure_httponly_samesite_cookie(
    app: object, make_user: Callable[..., User]
) -> None:
    make_user("sara", "secretariat")
    web = TestClient(app, base_url="https://testserver")  # type: ignore[arg-type]
    web.get("/login")
    token = csrf_of(web.get("/login").text)
    r = web.post(
        "/login",
        data={"username": "sara", "password": TEST_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    assert web.get(f"{API}/me").json()["username"] == "sara"
    me = web.get("/account")
    assert me.status_code == 200 and "sara" in me.text


def test_login_attempts_are_rate_limited(app: object, make_user: Callable[..., User]) -> None:
    make_user("omar", "viewer")
    web = TestClient(app, base_url="https://testserver")  # type: ignore[arg-type]
    for _ in range(5):
        assert _login(web, "omar", "not the password") == 401
    assert _login(web, "omar", TEST_PASSWORD) == 429
    page = web.get("/login")
    assert page.status_code == 200
    limited = web.post(
        "/login",
        data={"username": "omar", "password": TEST_PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    assert "Too many failed sign-ins" in limited.text


def test_a_password_change_ends_the_session(
    session: Session, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("viewer", username="lena")
    assert web.get(f"{API}/me").json()["signed_in"] is True
    service.set_password(session=session, username="lena", password="a brand new password")
    session.commit()
    assert web.get(f"{API}/me").json()["signed_in"] is False


def test_sign_out(browser_as: Callable[..., TestClient]) -> None:
    web = browser_as("viewer", username="max")
    token = csrf_of(web.get("/").text)
    assert (
        web.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    )
    assert web.get(f"{API}/me").json()["signed_in"] is False


def test_users_cli_creates_the_first_administrator(tmp_path: Path) -> None:
    env = {**os.environ, "BAKUHUB_DATA_DIR": str(tmp_path), "BAKUHUB_SEED_DEMO": "false"}
    env.pop("BAKUHUB_DATABASE_URL", None)

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bakuhub", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    assert run("db", "upgrade").returncode == 0
    pw = "first admin password\nfirst admin password\n"
    made = run("users", "create", "root", "--role", "administrator", stdin=pw)
    assert made.returncode == 0, made.stderr
    assert "user root created (administrator)" in made.stdout
    again = run("users", "create", "root", "--role", "administrator", stdin=pw)
    assert again.returncode != 0 and "already exists" in again.stderr
    bad = run("users", "set-role", "root", "focal_point")
    assert bad.returncode == 2 and "needs the ref of its party" in bad.stderr
    assert run("users", "set-role", "root", "secretariat").returncode == 0
    changed = run("users", "set-password", "root", stdin="another password!\nanother password!\n")
    assert changed.returncode == 0, changed.stderr
    listed = run("users", "list")
    assert "root\tsecretariat" in listed.stdout
    token = run("users", "token", "root", "--role", "viewer")
    assert token.returncode == 0 and token.stdout.startswith("bkh_")
