"""The account pages: administrators create accounts, change roles and parties, set
passwords, disable and enable, revoke tokens (each destructive action confirmed first);
everyone manages their own tokens. Every error beside its field, every change audited."""

from __future__ import annotations

import html as markup
import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_helpers import API, csrf_of

from bakuhub.accounts.models import ApiToken, User
from bakuhub.audit.models import AuditEntry
from bakuhub.testing import browser_client

NEW_PASSWORD = "river lantern copper seven"


def _described_error(html: str, field_id: str) -> str:
    """The error text linked to an input by aria-describedby (fails when there is none)."""
    tag = re.search(rf'<(?:input|select)[^>]*id="{field_id}"[^>]*>', html)
    assert tag, f"no input {field_id}"
    described = re.search(r'aria-describedby="([^"]+)"', tag.group(0))
    assert described and 'aria-invalid="true"' in tag.group(0), f"{field_id} shows no error"
    error_id = next(i for i in described.group(1).split() if i.endswith("-error"))
    found = re.search(rf'id="{error_id}">([^<]+)<', html)
    assert found, f"no error text {error_id}"
    return markup.unescape(found.group(1))


def _audit(session: Session, ref: str) -> list[tuple[str, str]]:
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.record_type == "users", AuditEntry.record_ref == ref)
        .order_by(AuditEntry.id)  # in the order they were written (PostgreSQL has no default)
    )
    return [(e.actor, e.action) for e in rows]


def test_an_administrator_creates_an_account_with_every_error_beside_its_field(
    app: FastAPI, world: TestClient, session: Session, browser_as: Callable[..., TestClient]
) -> None:
    admin = browser_as("administrator", username="ada")
    form_page = admin.get("/account/users/new")
    assert form_page.status_code == 200 and "Initial password" in form_page.text
    assert ">Chad" in form_page.text or "TCD" in form_page.text  # parties to pick from
    csrf = csrf_of(form_page.text)
    bad = {
        "csrf_token": csrf,
        "username": "a b",
        "display_name": "Amina Mahamat",
        "role": "focal_point",
        "party": "",
        "password": "1234567890",
        "confirm": "1234567890",
    }
    refused = admin.post("/account/users/new", data=bad)
    assert refused.status_code == 422
    html = refused.text
    assert "cannot be a user name" in _described_error(html, "u-username")
    assert "needs the ref of its party" in _described_error(html, "u-party")
    assert "most common passwords" in _described_error(html, "u-password")
    assert "Please correct these 3 problems" in html
    assert 'value="a b"' in html and 'value="Amina Mahamat"' in html  # what was typed is kept
    assert "1234567890" not in html  # a password is never sent back
    mismatch = {**bad, "username": "amina", "party": "TCD", "password": NEW_PASSWORD}
    differs = admin.post("/account/users/new", data=mismatch)
    assert "differ" in _described_error(differs.text, "u-confirm")
    good = {**mismatch, "confirm": NEW_PASSWORD}
    made = admin.post("/account/users/new", data=good, follow_redirects=False)
    assert made.status_code == 303
    listed = admin.get(made.headers["location"])
    assert "Account amina created" in listed.text and 'id="user-amina"' in listed.text
    assert "focal point of TCD" in listed.text
    again = admin.post("/account/users/new", data=good)
    assert again.status_code == 409
    assert "already an account 'amina'" in _described_error(again.text, "u-username")
    amina = browser_client(app, "amina", NEW_PASSWORD)
    assert amina.get(f"{API}/me").json() == {
        "signed_in": True,
        "username": "amina",
        "role": "focal_point",
        "party": "TCD",
        "via_token": False,
    }
    assert ("ada", "create") in _audit(session, "amina")


def test_an_administrator_changes_a_role_and_party_and_the_sessions_end(
    world: TestClient, session: Session, browser_as: Callable[..., TestClient]
) -> None:
    admin = browser_as("administrator", username="ada")
    fatime = browser_as("focal_point", party="TCD", username="fatime")
    page = admin.get("/account/users/fatime/edit")
    assert page.status_code == 200 and "Name, role and party" in page.text
    csrf = csrf_of(page.text)
    form = {"csrf_token": csrf, "display_name": "Fatimé", "role": "focal_point", "party": ""}
    refused = admin.post("/account/users/fatime/edit", data=form)
    assert refused.status_code == 422
    assert "needs the ref of its party" in _described_error(refused.text, "e-party")
    assert 'value="Fatimé"' in refused.text
    assert fatime.get(f"{API}/me").json()["party"] == "TCD"  # nothing changed
    moved = admin.post(
        "/account/users/fatime/edit", data={**form, "party": "GNB"}, follow_redirects=False
    )
    assert moved.status_code == 303
    assert fatime.get(f"{API}/me").json()["signed_in"] is False  # her session ended
    assert "focal point of GNB" in admin.get("/account/users").text
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.record_ref == "fatime", AuditEntry.action == "update")
    ).one()
    assert entry.actor == "ada" and entry.before and entry.after
    assert (entry.before["party"], entry.after["party"]) == ("TCD", "GNB")
    assert entry.after["display_name"] == "Fatimé"
    own = {"csrf_token": csrf, "display_name": "ada", "role": "viewer", "party": ""}
    self_demotion = admin.post("/account/users/ada/edit", data=own)
    assert self_demotion.status_code == 409
    assert "cannot change your own role" in _described_error(self_demotion.text, "e-role")


def test_disabling_and_revoking_are_confirmed_first(
    app: FastAPI, session: Session, browser_as: Callable[..., TestClient]
) -> None:
    admin = browser_as("administrator", username="ada")
    sam = browser_as("viewer", username="sam")
    listed = admin.get("/account/users")
    assert 'href="/account/users/sam/disable"' in listed.text  # a link to the confirmation
    confirm = admin.get("/account/users/sam/disable")
    assert confirm.status_code == 200 and "Disable the account sam?" in confirm.text
    assert "signed out everywhere" in confirm.text and "Cancel" in confirm.text
    assert sam.get(f"{API}/me").json()["signed_in"] is True  # asking changed nothing
    csrf = csrf_of(confirm.text)
    done = admin.post("/account/users/sam/disable", data={"csrf_token": csrf})
    assert done.status_code == 200 and "Account sam disabled" in done.text
    assert sam.get(f"{API}/me").json()["signed_in"] is False
    mine = admin.post("/account/users/ada/disable", data={"csrf_token": csrf})
    assert mine.status_code == 409 and "cannot disable your own account" in mine.text
    assert 'role="alert"' in mine.text
    assert admin.get("/account/users/nobody/disable").status_code == 404
    tokens_page = admin.get("/account/users/sam/revoke-tokens")
    assert "Revoke every API token of sam?" in tokens_page.text
    assert [a for _, a in [*_audit(session, "sam")]] == ["disable"]


def test_an_administrator_sets_a_new_password_for_a_locked_out_user(
    app: FastAPI, session: Session, browser_as: Callable[..., TestClient]
) -> None:
    admin = browser_as("administrator", username="ada")
    browser_as("viewer", username="omar")
    csrf = csrf_of(admin.get("/account/users/omar/edit").text)
    weak = {"csrf_token": csrf, "password": "passwordpassword", "confirm": "passwordpassword"}
    refused = admin.post("/account/users/omar/password", data=weak)
    assert refused.status_code == 422
    assert "repeats" in _described_error(refused.text, "e-password")
    good = {"csrf_token": csrf, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    done = admin.post("/account/users/omar/password", data=good)
    assert done.status_code == 200 and "A new password was set for omar" in done.text
    browser_client(app, "omar", NEW_PASSWORD)  # signs in with the new password
    assert ("ada", "set password") in _audit(session, "omar")
    own = admin.get("/account/users/ada/edit").text
    assert "Set a new password" not in own  # one's own password is changed on /account


def test_people_create_see_and_revoke_their_own_tokens(
    session: Session, browser_as: Callable[..., TestClient]
) -> None:
    viewer = browser_as("viewer", username="vera")
    csrf = csrf_of(viewer.get("/account").text)
    empty = viewer.post("/account/tokens", data={"csrf_token": csrf, "name": "", "role": "viewer"})
    assert empty.status_code == 422
    assert "Say what the token is for" in _described_error(empty.text, "t-name")
    made = viewer.post(
        "/account/tokens", data={"csrf_token": csrf, "name": "export script", "role": "viewer"}
    )
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    secret = re.search(r'id="new-token" class="secret">(bkh_[^<]+)<', made.text)
    assert secret, "the secret is shown once"
    again = viewer.get("/account").text
    assert secret.group(1) not in again and "export script" in again
    assert '<td data-label="Expires">never</td>' in again
    token = session.scalars(select(ApiToken).where(ApiToken.name == "export script")).one()
    ask = viewer.get(f"/account/tokens/{token.id}/revoke")
    assert ask.status_code == 200 and "Revoke the token “export script”?" in ask.text
    done = viewer.post(f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf})
    assert done.status_code == 200 and "The token was revoked" in done.text
    session.refresh(token)
    assert token.revoked
    assert _audit(session, "vera") == [("vera", "create token"), ("vera", "revoke token")]
    other = browser_as("viewer", username="otto")
    assert other.get(f"/account/tokens/{token.id}/revoke").status_code == 404


def test_only_administrators_reach_the_account_pages(
    browser_as: Callable[..., TestClient],
) -> None:
    secretariat = browser_as("secretariat", username="sue")
    for path in ("/account/users", "/account/users/new", "/account/users/sue/edit"):
        assert secretariat.get(path).status_code == 403, path
    csrf = csrf_of(secretariat.get("/account").text)
    form = {"csrf_token": csrf, "username": "x1", "role": "viewer", "password": NEW_PASSWORD}
    assert secretariat.post("/account/users/new", data=form).status_code == 403


def test_the_accounts_list_filters_by_name_role_and_state(
    session: Session, browser_as: Callable[..., TestClient], make_user: Callable[..., User]
) -> None:
    admin = browser_as("administrator", username="ada")
    make_user("zara", "secretariat")
    make_user("zeno", "viewer")
    found = admin.get("/account/users", params={"q": "z", "role": "viewer"}).text
    assert 'id="user-zeno"' in found and 'id="user-zara"' not in found
    assert "1 of 3 accounts" in found
    disabled = admin.get("/account/users", params={"state": "disabled"}).text
    assert "No account matches" in disabled


def test_a_person_chooses_the_language_of_the_pages_on_their_account(
    app: FastAPI, session: Session, browser_as: Callable[..., TestClient]
) -> None:
    french_browser = {"Accept-Language": "fr-TD,fr;q=0.9"}
    rita = browser_as("viewer", username="rita")
    page = rita.get("/account", headers=french_browser)
    assert page.headers["content-language"] == "fr"
    assert 'action="/account/language"' in page.text and 'id="l-language"' in page.text
    csrf = csrf_of(page.text)
    chosen = rita.post(
        "/account/language",
        data={"csrf_token": csrf, "language": "pt"},
        headers=french_browser,
        follow_redirects=False,
    )
    assert chosen.status_code == 303 and chosen.headers["location"] == "/account?done=language"
    portuguese = rita.get("/account", headers=french_browser)
    assert portuguese.headers["content-language"] == "pt"  # the choice beats the browser
    assert re.search(r'<option value="pt" selected>', portuguese.text)
    user = session.scalars(select(User).where(User.username == "rita")).one()
    session.refresh(user)
    assert user.language == "pt"  # kept on the account: the next sign-in starts in it
    assert browser_client(app, "rita").get("/account").headers["content-language"] == "pt"
    unknown = rita.post("/account/language", data={"csrf_token": csrf, "language": "xx"})
    assert unknown.status_code == 422
    assert "'xx'" in _described_error(unknown.text, "l-language")  # said in Portuguese now
    browser = rita.post(
        "/account/language",
        data={"csrf_token": csrf, "language": ""},
        headers=french_browser,
        follow_redirects=False,
    )
    assert browser.status_code == 303
    again = rita.get("/account", headers=french_browser)
    assert again.headers["content-language"] == "fr"  # Accept-Language chooses again
    assert (
        rita.get("/account", headers={"Accept-Language": "pt"}).headers["content-language"] == "pt"
    )
    session.refresh(user)
    assert user.language == ""
