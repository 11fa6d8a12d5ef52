"""Fixtures of the web tests: a few parties and projects, and browser-like clients
that sign in through the login form (a few lines each over ``bakuhub.testing``)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bakuhub import testing
from bakuhub.accounts.models import User

sys.path.insert(0, str(Path(__file__).parent))  # web_helpers (tests use --import-mode=importlib)

from browser_support import any_page, browser, page, server  # shared browser fixtures

__all__ = ["any_page", "browser", "page", "server"]


@pytest.fixture
def ana(world: TestClient, browser_as: Callable[..., TestClient]) -> TestClient:
    """A focal point (of Chad) signed in through the login form (the scenario editor's
    tests)."""
    return browser_as("focal_point", party="TCD", username="ana")


@pytest.fixture
def world(client: TestClient) -> TestClient:
    """Parties TCD, GNB, IOM, UNDP; a published project of Chad, one of Guinea-Bissau
    and a draft of Chad (made by the administrator's client, returned)."""
    return testing.make_world(client)


@pytest.fixture
def browser_as(app: FastAPI, make_user: Callable[..., User]) -> Callable[..., TestClient]:
    """Make clients that sign in through /login (cookie session, CSRF tokens)."""

    def make(role: str, party: str | None = None, username: str | None = None) -> TestClient:
        name = username or f"web-{role}"
        make_user(name, role, party)
        return testing.browser_client(app, name)

    return make
