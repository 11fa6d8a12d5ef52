"""The web application on a test's session, and clients signed in as a role.

Clients are Starlette ``TestClient`` objects (they need httpx, a test dependency,
imported when a client is made). They are returned unopened: use them in a
``with`` block, or call ``__enter__`` and ``__exit__`` as a fixture does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from fastapi import FastAPI
from sqlalchemy.orm import Session

from bakuhub import changes
from bakuhub.config import Settings
from bakuhub.testing.database import TEST_PASSWORD, add_user
from bakuhub.testing.forms import csrf_of
from bakuhub.testing.payloads import API, project_body

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

BASE_URL = "https://testserver"
"""The address clients send requests to (HTTPS, so secure cookies are kept)."""


def app_on_session(settings: Settings, session: Session) -> FastAPI:
    """The web application whose requests all use ``session``.

    A request commits (or rolls back on error) as in production; with a
    :func:`~bakuhub.testing.rolled_back_session` those commits stay inside the test.
    """
    from bakuhub.web.app import create_app
    from bakuhub.web.deps import get_session

    application = create_app(settings)

    def test_session() -> Iterator[Session]:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    application.dependency_overrides[get_session] = test_session
    # the public's short way (``answer_cache.KeptReads``) reads the counter as the
    # requests see the database: through the shared session
    application.state.read_counter = lambda: changes.current(session.connection())
    return application


def anonymous_client(app: FastAPI) -> TestClient:
    """A client of a visitor who is not signed in."""
    from fastapi.testclient import TestClient

    return TestClient(app, base_url=BASE_URL)


def token_client(
    app: FastAPI,
    session: Session,
    password_hash: str,
    role: str,
    *,
    party: str | None = None,
    username: str | None = None,
) -> TestClient:
    """A client that sends a personal API token of a new user with ``role``.

    The user (named ``username``, or after the role) is committed, so it outlives
    a request that rolls back; ``party`` is the ref of a focal point's party.
    """
    from bakuhub.accounts.service import create_token

    name = username or role
    add_user(session, password_hash, name, role, party)
    _row, token = create_token(session=session, username=name, name="tests")
    session.commit()
    client = anonymous_client(app)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def browser_client(app: FastAPI, username: str, password: str = TEST_PASSWORD) -> TestClient:
    """A client signed in through the login form (session cookie, CSRF tokens).

    The user must exist; fails with AssertionError when the login is refused.
    """
    web = anonymous_client(app)
    token = csrf_of(web.get("/login").text)
    r = web.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return web


def make_world(client: TestClient) -> TestClient:
    """Post, as ``client`` (an administrator), parties TCD, GNB, IOM and UNDP, a
    published project of Chad (``P-TCD``), one of Guinea-Bissau (``P-GNB``) and a
    draft of Chad (``P-DRAFT``); returns ``client``."""
    for body in (
        {"kind": "country", "iso3": "TCD"},
        {"kind": "country", "iso3": "GNB"},
        {"kind": "organisation", "ref": "IOM", "name": "IOM", "org_type": "40"},
        {"kind": "organisation", "ref": "UNDP", "name": "UNDP", "org_type": "40"},
    ):
        r = client.post(f"{API}/parties", json=body)
        assert r.status_code == 201, r.text
    for project in (
        project_body("P-TCD"),
        project_body(
            "P-GNB",
            countries=[{"country": "GNB", "share": 100}],
            organisations=[{"party": "UNDP", "role": "implementing"}],
        ),
        project_body("P-DRAFT", published=False),
    ):
        r = client.post(f"{API}/projects", json=project)
        assert r.status_code == 201, r.text
    return client
