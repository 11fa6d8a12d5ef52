"""The reader's language: from the browser, switched on any page, remembered per user."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from bakuhub import testing
from bakuhub.testing.clients import csrf_of

FRENCH_BROWSER = {"Accept-Language": "fr-TD,fr;q=0.9,en;q=0.5"}


def _switch(web: TestClient, language: str, back_to: str) -> str:
    token = csrf_of(web.get("/").text)
    r = web.post(
        "/language",
        data={"language": language, "next": back_to, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return str(r.headers["location"])


def test_the_browser_preference_chooses_the_language(app: FastAPI) -> None:
    web = testing.anonymous_client(app)
    page = web.get("/projects", headers=FRENCH_BROWSER)
    assert page.headers["content-language"] == "fr"
    assert '<html lang="fr" dir="ltr">' in page.text
    assert ">Projets</a>" in page.text  # the navigation, from the French catalog
    english = web.get("/projects", headers={"Accept-Language": "de-DE, en;q=0.8"})
    assert english.headers["content-language"] == "en"
    assert ">Projects</a>" in english.text


def test_arabic_pages_are_right_to_left(app: FastAPI) -> None:
    page = testing.anonymous_client(app).get("/", headers={"Accept-Language": "ar"})
    assert '<html lang="ar" dir="rtl">' in page.text


def test_switching_keeps_the_page_and_overrides_the_browser(app: FastAPI) -> None:
    web = testing.anonymous_client(app)
    assert _switch(web, "pt", "/projects?q=water&page=2") == "/projects?q=water&page=2"
    page = web.get("/projects", headers=FRENCH_BROWSER)
    assert page.headers["content-language"] == "pt"
    assert '<option value="pt" lang="pt" selected>' in page.text


def test_switching_never_leaves_the_site_and_ignores_unknown_languages(app: FastAPI) -> None:
    web = testing.anonymous_client(app)
    assert _switch(web, "fr", "//evil.example/x") == "/"
    assert _switch(web, "fr", "https://evil.example/") == "/"
    assert _switch(web, "fr", "/\t/evil.example") == "/"  # browsers drop the tab: //evil
    assert _switch(web, "fr", "/\\evil.example") == "/"
    assert _switch(web, "xx", "/parties") == "/parties"
    assert web.get("/parties").headers["content-language"] == "fr"  # unchanged by 'xx'


def test_a_users_choice_follows_them_to_another_browser(
    app: FastAPI, browser_as: Callable[..., TestClient]
) -> None:
    first = browser_as("secretariat", username="sec-fr")
    _switch(first, "fr", "/account")
    second = testing.browser_client(app, "sec-fr")  # a new browser, no French header
    page = second.get("/projects")
    assert page.headers["content-language"] == "fr"
    assert "Déconnexion" in page.text or ">Se déconnecter<" in page.text


def test_the_apis_messages_follow_accept_language(app: FastAPI) -> None:
    api = testing.anonymous_client(app)
    english = api.get("/api/v1/projects/NO-SUCH")
    french = api.get("/api/v1/projects/NO-SUCH", headers={"Accept-Language": "fr"})
    assert english.status_code == french.status_code == 404
    assert french.headers["content-language"] == "fr"
    assert french.json()["detail"] != english.json()["detail"]
    assert "NO-SUCH" in french.json()["detail"]  # the same sentence, in French
    invalid = api.get("/api/v1/projects?limit=nope", headers={"Accept-Language": "ar"})
    assert invalid.status_code == 422 and invalid.headers["content-language"] == "ar"
    english_invalid = api.get("/api/v1/projects?limit=nope").json()["detail"]
    assert invalid.json()["detail"] != english_invalid  # pydantic's message, in Arabic
