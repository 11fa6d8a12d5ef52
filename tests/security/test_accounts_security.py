"""Accounts under attack: token minting, token use without writes, sign-in limits,
accounts that can be shut off, the password rule, security headers, work off the
event loop. Through the API and the pages, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, event, select, text
from sqlalchemy.orm import Session

from bakuhub.accounts import service
from bakuhub.accounts.models import ApiToken, LoginFailure, User
from bakuhub.accounts.passwords import check_password
from bakuhub.accounts.throttle import client_address
from bakuhub.config import Settings
from bakuhub.db import make_sessionmaker
from bakuhub.errors import InvalidInput
from bakuhub.web.app import create_app

API = "/api/v1"
PASSWORD = "correct horse battery staple"  # TEST_PASSWORD of tests/conftest.py
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(web: TestClient, username: str, password: str = PASSWORD, **headers: str) -> Any:
    token = csrf_of(web.get("/login").text)
    form = {"username": username, "password": password, "csrf_token": token}
    return web.post("/login", data=form, headers=headers, follow_redirects=False)


@pytest.fixture
def browser(app: FastAPI, make_user: Callable[..., User]) -> Callable[..., TestClient]:
    """Make a user and a browser signed in as them (cookie session)."""

    def make(username: str, role: str = "viewer", new_user: bool = True) -> TestClient:
        if new_user:
            make_user(username, role)
        web = TestClient(app, base_url="https://testserver")
        assert login(web, username).status_code == 303
        return web

    return make


def token_client(app: FastAPI, session: Session, username: str, role: str | None = None) -> Any:
    _row, clear = service.create_token(session=session, username=username, name="t", role=role)
    session.commit()
    web = TestClient(app, base_url="https://testserver")
    web.headers["Authorization"] = f"Bearer {clear}"
    return web


def signed_in(web: TestClient) -> bool:
    return bool(web.get(f"{API}/me").json()["signed_in"])


# 1. A token never makes a token wider than itself (nor any token at all).


def test_a_viewer_token_of_an_administrator_cannot_mint_a_wider_token(
    app: FastAPI, session: Session, make_user: Callable[..., User], client: TestClient
) -> None:
    make_user("boss", "administrator")
    narrow = token_client(app, session, "boss", role="viewer")
    assert client.post(f"{API}/parties", json={"kind": "country", "iso3": "TCD"}).status_code == 201
    minted = narrow.post(f"{API}/tokens", json={"name": "wider", "role": "administrator"})
    assert minted.status_code == 403 and "cannot create tokens" in minted.json()["detail"]
    plain = narrow.post(f"{API}/tokens", json={"name": "same"})
    assert plain.status_code == 403
    page = narrow.post("/account/tokens", data={"name": "wider", "role": "administrator"})
    assert page.status_code == 403
    assert narrow.delete(f"{API}/parties/TCD").status_code == 403
    assert client.get(f"{API}/parties/TCD").status_code == 200  # the record is still there
    tokens = session.scalars(select(ApiToken).join(User).where(User.username == "boss")).all()
    assert [t.role for t in tokens] == ["viewer"]


def test_a_signed_in_viewer_cannot_make_a_token_above_its_role(
    browser: Callable[..., TestClient],
) -> None:
    web = browser("vera")
    token = csrf_of(web.get("/account").text)
    r = web.post("/account/tokens", data={"name": "x", "role": "secretariat", "csrf_token": token})
    assert r.status_code == 403 and "more rights" in r.text
    ok = web.post("/account/tokens", data={"name": "x", "role": "viewer", "csrf_token": token})
    assert ok.status_code == 200 and "bkh_" in ok.text


# 2. A read with a token writes nothing; last use is recorded at most every few minutes.


def test_a_read_with_a_token_changes_no_row(
    app: FastAPI, session: Session, make_user: Callable[..., User]
) -> None:
    make_user("reader", "viewer")
    web = token_client(app, session, "reader")
    assert web.get(f"{API}/me").json()["username"] == "reader"
    row = session.scalars(select(ApiToken)).one()
    session.refresh(row)
    assert row.last_used_at is None  # written (if at all) after the answer, on its own


@contextmanager
def committed_user(engine: Engine, username: str, role: str = "viewer") -> Iterator[str]:
    """A committed user with a token (for a server that does not share the test's
    transaction); removed afterwards. Yields the clear token."""
    maker = make_sessionmaker(engine)
    with maker() as db:
        service.create_user(session=db, username=username, password=PASSWORD, role=role)
        _row, clear = service.create_token(session=db, username=username, name="t")
        db.commit()
    try:
        yield clear
    finally:
        with maker() as db:
            db.execute(delete(LoginFailure).where(LoginFailure.username == username.lower()))
            db.execute(delete(User).where(User.username == username))
            db.commit()


@pytest.fixture
def own_app(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    """The app on the test database with its own transactions (short SQLite busy wait)."""
    monkeypatch.setattr("bakuhub.db.SQLITE_BUSY_TIMEOUT_MS", 300)
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(data_dir=tmp_path, database_url=url, seed_demo=False)
    with TestClient(create_app(settings), base_url="https://testserver") as web:
        yield web
    monkeypatch.undo()
    engine.dispose()  # no pooled connection keeps the short busy wait


@contextmanager
def token_row_locked(engine: Engine, username: str) -> Iterator[None]:
    """Another transaction holds a write lock: the database (SQLite) or the token row."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("UPDATE users SET display_name = display_name WHERE 1 = 0")
        else:
            conn.execute(
                text(
                    "SELECT t.id FROM api_tokens t JOIN users u ON u.id = t.user_id "
                    "WHERE u.username = :u FOR UPDATE"
                ),
                {"u": username},
            )
        yield
        conn.rollback()


def _get_within(web: TestClient, url: str, seconds: float) -> int | None:
    """The status of GET url, or None when no answer came within ``seconds``."""
    answer: list[int] = []
    thread = threading.Thread(target=lambda: answer.append(web.get(url).status_code))
    thread.start()
    thread.join(seconds)
    return answer[0] if answer else None


def test_reads_with_a_token_answer_while_the_token_row_is_locked(
    engine: Engine, own_app: TestClient
) -> None:
    name = f"lock-{uuid.uuid4().hex[:6]}"
    with committed_user(engine, name) as clear:
        own_app.headers["Authorization"] = f"Bearer {clear}"
        with token_row_locked(engine, name):
            statuses = [_get_within(own_app, f"{API}/me", 20) for _ in range(3)]
        assert statuses == [200, 200, 200]
        assert own_app.get(f"{API}/me").status_code == 200
        with make_sessionmaker(engine)() as db:
            first = db.scalars(
                select(ApiToken.last_used_at).join(User).where(User.username == name)
            )
            recorded = first.one()
        assert recorded is not None  # recorded once the database was free
        own_app.get(f"{API}/me")
        with make_sessionmaker(engine)() as db:
            again = db.scalars(
                select(ApiToken.last_used_at).join(User).where(User.username == name)
            )
            assert again.one() == recorded  # not rewritten within a few minutes


# 3. Sign-in limits: per address across names, forwarded headers, fail closed.


def test_password_spraying_from_one_address_is_stopped(
    settings: Settings, app: FastAPI, make_user: Callable[..., User]
) -> None:
    settings.login_attempts_per_address = 3
    make_user("target", "secretariat")
    web = TestClient(app, base_url="https://testserver")
    for name in ("ann", "bob", "cyd"):
        assert login(web, name, "Summer2024!x").status_code == 401
    stopped = login(web, "target")  # the right password, a fourth name
    assert stopped.status_code == 429
    assert "from your address" in stopped.text
    assert not signed_in(web)


def test_a_forged_forwarded_header_does_not_reset_the_count(
    app: FastAPI, make_user: Callable[..., User]
) -> None:
    make_user("omar", "viewer")
    web = TestClient(app, base_url="https://testserver")
    for n in range(5):
        wrong = login(web, "omar", "not the password", **{"X-Forwarded-For": f"203.0.113.{n}"})
        assert wrong.status_code == 401
    again = login(web, "omar", **{"X-Forwarded-For": "198.51.100.7"})
    assert again.status_code == 429 and "Too many failed sign-ins" in again.text


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy() -> None:
    assert client_address("203.0.113.9", "1.2.3.4", "") == "203.0.113.9"
    assert client_address("203.0.113.9", "1.2.3.4", "10.0.0.0/8") == "203.0.113.9"
    assert client_address("10.0.0.2", "6.6.6.6, 1.2.3.4", "10.0.0.0/8") == "1.2.3.4"
    assert client_address("10.0.0.2", "1.2.3.4, 10.0.0.3", "10.0.0.0/8") == "1.2.3.4"
    assert client_address("10.0.0.2", "not-an-ip", "10.0.0.0/8") == "10.0.0.2"


def test_a_sign_in_the_database_cannot_record_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite only (its database-wide write lock makes the attempt unrecordable)."""
    from bakuhub.testing.database import migrated_sqlite

    engine = migrated_sqlite(tmp_path / "busy.sqlite3")
    monkeypatch.setattr("bakuhub.db.SQLITE_BUSY_TIMEOUT_MS", 300)
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(data_dir=tmp_path, database_url=url, seed_demo=False)
    name = f"busy-{uuid.uuid4().hex[:6]}"
    with (
        TestClient(create_app(settings), base_url="https://testserver") as own_app,
        committed_user(engine, name),
    ):
        with engine.connect() as other:
            other.exec_driver_sql("UPDATE users SET display_name = display_name WHERE 1 = 0")
            refused = [login(own_app, name) for _ in range(3)]  # the right password
            other.rollback()
        assert [r.status_code for r in refused] == [503, 503, 503]
        assert "not checked" in refused[0].text
        assert not signed_in(own_app)
        assert login(own_app, name).status_code == 303  # once the database is free
    engine.dispose()


def test_a_password_reset_lifts_the_lockout(
    session: Session, app: FastAPI, make_user: Callable[..., User]
) -> None:
    make_user("lena", "viewer")
    web = TestClient(app, base_url="https://testserver")
    for _ in range(5):
        assert login(web, "lena", "not the password").status_code == 401
    locked = login(web, "lena")
    assert locked.status_code == 429 and "reset your password" in locked.text
    service.set_password(session=session, username="lena", password="a fresh new passphrase")
    session.commit()
    assert login(web, "lena", "a fresh new passphrase").status_code == 303


# 4. Accounts can be shut off.


def test_a_copied_session_cookie_stops_working_after_sign_out(
    app: FastAPI, browser: Callable[..., TestClient]
) -> None:
    web = browser("max")
    stolen = TestClient(app, base_url="https://testserver")
    stolen.cookies.set("bakuhub_session", web.cookies["bakuhub_session"])
    assert signed_in(stolen)
    token = csrf_of(web.get("/").text)
    assert (
        web.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    )
    assert not signed_in(stolen)
    assert stolen.get("/account", follow_redirects=False).headers["location"].startswith("/login")


def test_an_administrator_disables_an_account_on_the_users_page(
    app: FastAPI, session: Session, browser: Callable[..., TestClient]
) -> None:
    admin = browser("root", "administrator")
    user = browser("sam")
    sams_token = token_client(app, session, "sam")
    page = admin.get("/account/users")
    assert page.status_code == 200 and 'id="user-sam" data-active="true"' in page.text
    token = csrf_of(page.text)
    r = admin.post("/account/users/sam/disable", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert not signed_in(user)
    assert sams_token.get(f"{API}/me").status_code == 401
    assert login(TestClient(app, base_url="https://testserver"), "sam").status_code == 401
    assert 'id="user-sam" data-active="false"' in admin.get("/account/users").text
    admin.post("/account/users/sam/enable", data={"csrf_token": token})
    assert sams_token.get(f"{API}/me").status_code == 200  # enabling restores unrevoked tokens
    assert not signed_in(user)  # the old session stays ended
    self_disable = admin.post("/account/users/root/disable", data={"csrf_token": token})
    assert self_disable.status_code == 409


def test_an_administrator_revokes_another_users_tokens_through_the_api(
    app: FastAPI, session: Session, client_as: Callable[..., TestClient], client: TestClient
) -> None:
    secretariat = client_as("secretariat", username="sec")
    theirs = token_client(app, session, "sec")
    assert secretariat.post(f"{API}/users/admin/revoke-tokens").status_code == 403
    listed = client.get(f"{API}/users").json()
    assert {"username": "sec", "live_tokens": 2}.items() <= next(
        u for u in listed if u["username"] == "sec"
    ).items()
    r = client.post(f"{API}/users/sec/revoke-tokens")
    assert r.status_code == 200 and r.json()["revoked"] == 2
    assert theirs.get(f"{API}/me").status_code == 401
    assert secretariat.get(f"{API}/me").status_code == 401
    assert client.post(f"{API}/users/nobody/disable").status_code == 404
    disabled = client.post(f"{API}/users/sec/disable")
    assert disabled.status_code == 200 and disabled.json()["active"] is False


def test_changing_a_password_ends_other_sessions_and_revokes_tokens(
    app: FastAPI, session: Session, browser: Callable[..., TestClient]
) -> None:
    here = browser("nadia")
    elsewhere = browser("nadia", new_user=False)
    token = token_client(app, session, "nadia")
    csrf = csrf_of(here.get("/account").text)
    form = {"csrf_token": csrf, "current": "wrong one!!", "password": "x", "confirm": "x"}
    wrong = here.post("/account/password", data=form)
    assert wrong.status_code == 422 and "not your current password" in wrong.text
    weak = {**form, "current": PASSWORD, "password": "passwordpassword"}
    weak["confirm"] = weak["password"]
    refused = here.post("/account/password", data=weak)
    assert refused.status_code == 422 and "repeats" in refused.text
    good = {**form, "current": PASSWORD, "password": "four unrelated words", "confirm": ""}
    good["confirm"] = good["password"]
    changed = here.post("/account/password", data=good, follow_redirects=False)
    assert changed.status_code == 303
    assert signed_in(here) and not signed_in(elsewhere)
    assert token.get(f"{API}/me").status_code == 401


def test_the_users_commands_disable_enable_revoke_and_lift_a_lockout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from bakuhub.cli.users import app as users
    from bakuhub.config import get_settings
    from bakuhub.db import make_engine
    from bakuhub.migrate import upgrade

    monkeypatch.setenv("BAKUHUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BAKUHUB_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    engine = make_engine(get_settings().effective_database_url)
    upgrade(engine)
    runner = CliRunner()
    try:
        pw = "first admin password\nfirst admin password\n"
        assert runner.invoke(users, ["create", "ria", "--role", "viewer"], input=pw).exit_code == 0
        assert runner.invoke(users, ["token", "ria"]).exit_code == 0
        weak = runner.invoke(users, ["set-password", "ria"], input="1234567890\n1234567890\n")
        assert isinstance(weak.exception, InvalidInput) and "common" in weak.exception.message
        with make_sessionmaker(engine)() as db:
            db.add(LoginFailure(key="ria|x", username="ria", address="203.0.113.1"))
            db.commit()
        done = runner.invoke(users, ["revoke-tokens", "ria"])
        assert done.exit_code == 0 and "1 token(s) of ria revoked" in done.output
        assert "ria is disabled" in runner.invoke(users, ["disable", "ria"]).output
        assert "(disabled)" in runner.invoke(users, ["list"]).output
        assert "ria is enabled" in runner.invoke(users, ["enable", "ria"]).output
        new = "a brand new passphrase\na brand new passphrase\n"
        changed = runner.invoke(users, ["set-password", "ria"], input=new)
        assert changed.exit_code == 0 and "lock lifted" in changed.output
        with make_sessionmaker(engine)() as db:
            assert db.scalars(select(LoginFailure)).all() == []
    finally:
        engine.dispose()
        get_settings.cache_clear()


# 5. Common and repetitive passwords are refused with a sentence.


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaa", "1234567890", "passwordpassword", "abcdefghij", "Password2024!", "qwertyuiop"],
)
def test_common_and_repetitive_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidInput, match=r"password: it .*; choose another"):
        check_password(password)


def test_a_passphrase_passes_and_the_user_name_does_not(session: Session) -> None:
    check_password("correct horse battery staple")
    with pytest.raises(InvalidInput, match="user name"):
        service.create_user(
            session=session, username="amina", password="amina-is-secret", role="viewer"
        )


# 6. Security headers on every answer; pages with nothing a strict CSP blocks.

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "bakuhub" / "web" / "templates"


def test_every_answer_carries_the_security_headers(anon_client: TestClient) -> None:
    for url in ("/", "/login", f"{API}/health", f"{API}/projects", "/static/app.js", "/nope"):
        r = anon_client.get(url)
        assert r.headers["x-frame-options"] == "DENY", url
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, url
        assert "script-src 'self';" in csp, url  # no inline script on pages
        assert r.headers["x-content-type-options"] == "nosniff", url
        assert r.headers["referrer-policy"] == "same-origin", url
    docs = anon_client.get(f"{API}/docs")
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]


def test_templates_hold_no_inline_script_or_event_handler() -> None:
    for path in TEMPLATES.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        markup = re.sub(r"\{%.*?%\}", "", html, flags=re.S)  # Jinja's own statements
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path.name
        assert not re.search(r"\son[a-z]+\s*=", markup), path.name
        assert "javascript:" not in html, path.name


# 7. Sign-in, token and password forms do their database and hashing work off the loop.


def test_account_forms_run_no_sql_on_the_event_loop(
    engine: Engine, app: FastAPI, browser: Callable[..., TestClient]
) -> None:
    on_loop: list[str] = []

    def spy(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        on_loop.append(statement)

    web = browser("tara")
    token = csrf_of(web.get("/account").text)
    event.listen(engine, "before_cursor_execute", spy)
    try:
        assert login(TestClient(app, base_url="https://testserver"), "tara").status_code == 303
        web.post("/account/tokens", data={"name": "x", "csrf_token": token})
        web.post("/account/password", data={"csrf_token": token, "current": "no"})
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    assert on_loop == []
