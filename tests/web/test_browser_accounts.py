"""Browser tests of accounts: an administrator creates an account (errors beside the
fields first), changes its role and party and disables it after a confirmation; the
person signs in, creates an API token (shown once), revokes it after a confirmation
and changes their password. At desktop width and at 390 px, without sideways scrolling.

Accounts made here are named ``acc-<width>-...``, unique to this file (the server is
shared with the other browser files)."""

from __future__ import annotations

import re
from typing import Any

from browser_support import shot, sign_in

FIRST_PASSWORD = "amber otter window nine"
SECOND_PASSWORD = "quiet harbour maple kite"


def _width(page: Any) -> int:
    return int(page.viewport_size["width"])


def _fits(page: Any) -> None:
    drawn = int(page.evaluate("document.documentElement.scrollWidth"))
    assert drawn <= _width(page), f"{page.url} scrolls sideways: {drawn} px"


def _sign_in_as(page: Any, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/$"))


def test_an_administrator_creates_changes_and_disables_an_account(any_page: Any) -> None:
    page, name = any_page, f"acc-{_width(any_page)}-amina"
    sign_in(page, "admin")
    page.goto("/account/users")
    page.get_by_role("link", name="Create an account").click()
    page.wait_for_url("**/account/users/new")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Full name").fill("Amina Mahamat")
    page.get_by_label("Role").select_option("focal_point")
    page.locator("#u-password").fill("qwertyuiop")
    page.get_by_label("Initial password again").fill("qwertyuiop")
    page.get_by_role("button", name="Create the account").click()
    summary = page.get_by_role("alert")
    assert "Please correct these 2 problems" in summary.inner_text()
    party_error = page.locator("#u-party-error").inner_text()
    assert "needs the ref of its party" in party_error
    assert "most common passwords" in page.locator("#u-password-error").inner_text()
    assert page.get_by_label("Full name").input_value() == "Amina Mahamat"  # kept
    assert page.locator("#u-party").get_attribute("aria-describedby").endswith("u-party-error")
    shot(page, f"account-new-errors-{_width(page)}")
    _fits(page)
    page.get_by_label("Party (focal points only)").select_option("TCD")
    page.locator("#u-password").fill(FIRST_PASSWORD)
    page.get_by_label("Initial password again").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_url("**/account/users?done=created*")
    assert f"Account {name} created" in page.get_by_role("status").inner_text()
    row = page.locator(f"#user-{name}")
    assert "focal point of TCD" in row.inner_text()
    shot(page, f"account-users-{_width(page)}")
    _fits(page)

    row.get_by_role("link", name=f"Edit {name}").click()
    page.wait_for_url(f"**/account/users/{name}/edit")
    shot(page, f"account-edit-{_width(page)}")
    _fits(page)
    page.get_by_label("Party (focal points only)").select_option("GNB")
    page.get_by_role("button", name="Save role and party").click()
    page.wait_for_url("**/account/users?done=updated*")
    assert "focal point of GNB" in page.locator(f"#user-{name}").inner_text()

    page.locator(f"#user-{name}").get_by_role("link", name=f"Disable {name}").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Disable the account {name}?"
    shot(page, f"account-confirm-disable-{_width(page)}")
    _fits(page)
    page.get_by_role("button", name=f"Disable {name}").click()
    page.wait_for_url("**/account/users?done=disable*")
    assert page.locator(f"#user-{name}").get_attribute("data-active") == "false"


def test_a_person_manages_their_tokens_and_password(any_page: Any) -> None:
    page, name = any_page, f"acc-{_width(any_page)}-vera"
    sign_in(page, "admin")
    page.goto("/account/users/new")
    page.get_by_label("User name").fill(name)
    page.locator("#u-password").fill(FIRST_PASSWORD)
    page.get_by_label("Initial password again").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_url("**/account/users?done=created*")
    page.get_by_role("button", name="Sign out").click()

    _sign_in_as(page, name, FIRST_PASSWORD)
    page.goto("/account")
    page.get_by_role("button", name="Create token").click()  # no name yet
    assert "Say what the token is for" in page.locator("#t-name-error").inner_text()
    page.get_by_label("What it is for").fill("monthly export")
    page.get_by_label("What it is for").press("Enter")  # the keyboard submits the form
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("bkh_")
    shot(page, f"account-token-once-{_width(page)}")
    _fits(page)
    page.goto("/account")
    assert secret not in page.content()  # shown only once
    page.get_by_role("link", name="Revoke the token monthly export").click()
    assert "Revoke the token “monthly export”?" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("button", name="Revoke the token").click()
    page.wait_for_url("**/account?done=revoked")
    assert "The token was revoked" in page.get_by_role("status").inner_text()
    assert "revoked" in page.locator("table.stack tbody tr").first.inner_text()

    page.get_by_label("Current password").fill(FIRST_PASSWORD)
    page.get_by_label("New password", exact=False).first.fill(SECOND_PASSWORD)
    page.get_by_label("New password again").fill(SECOND_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url("**/account?changed=1")
    assert "Your password was changed" in page.get_by_role("status").inner_text()
    shot(page, f"account-{_width(page)}")
    _fits(page)
