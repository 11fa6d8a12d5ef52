"""Browser tests' shared parts: one live server (a fresh SQLite database with the
demo record and one account per role) and one Debian Chromium driven by Playwright,
for every ``test_browser*.py`` file of the run.

Chromium is found at /usr/bin/chromium (or BAKUHUB_CHROMIUM). Without it the tests
skip, unless BAKUHUB_REQUIRE_BROWSER=1 (set by CI), where they fail. Screenshots are
written under test-artifacts/ (git-ignored).

Accounts (password ``PASSWORD``): ``admin`` (administrator), ``sec`` (secretariat),
``chad`` (focal point of TCD), ``gnb`` (focal point of GNB), ``viewer`` (viewer).
The server is shared: a test makes records with refs of its own.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bakuhub.config import Settings
from bakuhub.testing import serve_in_thread

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
PASSWORD = "browser test password"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ACCOUNTS = {
    "admin": ("administrator", None),
    "sec": ("secretariat", None),
    "chad": ("focal_point", "TCD"),
    "gnb": ("focal_point", "GNB"),
    "viewer": ("viewer", None),
}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CSP_WORDS = ("Content Security Policy", "Content-Security-Policy")
_LIVE: dict[str, Any] = {}
"""The live server's app, for :func:`live_app`."""


def chromium_path() -> str | None:
    """Debian's Chromium, if installed."""
    candidate = (
        os.environ.get("BAKUHUB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    )
    return candidate if Path(candidate).is_file() else None


def _need_browser(reason: str) -> None:
    if os.environ.get("BAKUHUB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"BAKUHUB_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _accounts(settings: Settings) -> None:
    from bakuhub.accounts.service import create_user
    from bakuhub.db import make_engine, make_sessionmaker, session_scope

    engine = make_engine(settings.effective_database_url)
    with session_scope(make_sessionmaker(engine)) as session:
        for name, (role, party) in ACCOUNTS.items():
            create_user(
                session=session, username=name, password=PASSWORD, role=role, party_ref=party
            )
    engine.dispose()


def _studies(root: Path) -> None:
    """Two solved studies to compare (made-up summaries; solving takes minutes)."""
    from web_helpers import summary, write_study

    write_study(root, "example-low-cable-cost", summary("reference-2030", 2.1e10, 12.4, 2000))
    write_study(root, "example-high-cable-cost", summary("reference-2030", 2.3e10, 9.8, 1000))


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live bakuhub server with the demo record and one account per role; its base URL."""
    from bakuhub.startup import prepare
    from bakuhub.web.app import create_app

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("browser"), seed_demo=True, reference_study=False
    )
    prepare(settings)
    _accounts(settings)
    _studies(settings.data_dir / "studies")
    _LIVE["app"] = app = create_app(settings)
    with serve_in_thread(app, stop_timeout=10) as base:
        yield base


def live_app() -> Any:
    """The live server's FastAPI app (after ``server`` started it): for a test that must
    reach its state, e.g. give it a job runner of its own."""
    return _LIVE["app"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Chromium driven by Playwright (never downloads a browser)."""
    path = chromium_path()
    if path is None:
        _need_browser("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need_browser("the playwright package is not installed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser: Any, server: str, viewport: dict[str, int]) -> tuple[Any, list[str]]:
    """A new context's page and the list its CSP violations are collected in."""
    context = browser.new_context(base_url=server, viewport=viewport)
    opened = context.new_page()
    violations: list[str] = []
    opened.on(
        "console",
        lambda m: violations.append(m.text) if any(w in m.text for w in CSP_WORDS) else None,
    )
    return opened, violations


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A desktop page; the test fails on a Content-Security-Policy violation."""
    opened, violations = open_page(browser, server, DESKTOP)
    yield opened
    opened.context.close()
    assert violations == [], f"the pages broke their Content-Security-Policy: {violations}"


@pytest.fixture(params=["desktop", "phone"])
def any_page(request: pytest.FixtureRequest, browser: Any, server: str) -> Iterator[Any]:
    """A page at desktop width and at 390 px (the test runs twice)."""
    viewport = DESKTOP if request.param == "desktop" else PHONE
    opened, violations = open_page(browser, server, viewport)
    yield opened
    opened.context.close()
    assert violations == [], f"the pages broke their Content-Security-Policy: {violations}"


def sign_in(page: Any, username: str) -> None:
    """Sign in through the form as one of ``ACCOUNTS``."""
    page.goto("/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/$"))


def shot(page: Any, name: str) -> None:
    """A full-page screenshot in test-artifacts/NAME.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def scroll_width(page: Any) -> int:
    """How wide the page is drawn (over the viewport's width: it scrolls sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth"))
