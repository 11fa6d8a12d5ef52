"""Fixtures of the web tests: a few parties and projects, and browser-like clients
that sign in through the login form."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bakuhub.accounts.models import User

sys.path.insert(0, str(Path(__file__).parent))  # web_helpers (tests use --import-mode=importlib)
from web_helpers import API, TEST_PASSWORD, csrf_of, project_body


@pytest.fixture
def world(client: TestClient) -> TestClient:
    """Parties TCD, GNB, IOM, UNDP; a published project of Chad, one of Guinea-Bissau
    and a draft of Chad (made by the administrator's client, returned)."""
    for body in (
        {"kind": "country", "iso3": "TCD"},
        {"kind": "country", "iso3": "GNB"},
        {"kind": "organisation", "ref": "IOM", "name": "IOM", "org_type": "40"},
        {"kind": "organisation", "ref": "UNDP", "name": "UNDP", "org_type": "40"},
    ):
        assert client.post(f"{API}/parties", json=body).status_code == 201
    for body in (
        project_body("P-TCD"),
        project_body(
            "P-GNB",
            countries=[{"country": "GNB", "share": 100}],
            organisations=[{"party": "UNDP", "role": "implementing"}],
        ),
        project_body("P-DRAFT", published=False),
    ):
        r = client.post(f"{API}/projects", json=body)
        assert r.status_code == 201, r.text
    return client


@pytest.fixture
def browser_as(app: FastAPI, make_user: Callable[..., User]) -> Callable[..., TestClient]:
    """Make clients that sign in through /login (cookie session, CSRF tokens)."""

    def make(role: str, party: str | None = None, username: str | None = None) -> TestClient:
        name = username or f"web-{role}"
        make_user(name, role, party)
        web = TestClient(app, base_url="https://testserver")
        token = csrf_of(web.get("/login").text)
        r = web.post(
            "/login",
            data={"username": name, "password": TEST_PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        return web

    return make
