"""A user's mistakes on the record forms: every error at once, beside its input, in plain
words, with what was typed kept; removing a working-group item asks first and can be undone."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import httpx
import pytest
from fastapi.testclient import TestClient
from web_helpers import API, csrf_of

RAW = (
    "String should",
    "Input should",
    "pattern",
    "Value error",
    "planned_end is",
    "Field required",
)


def _error(html: str, key: str) -> str:
    """The text of the error shown beside input ``key`` ('' when none)."""
    found = re.search(rf'<p class="error" id="err-{re.escape(key)}"[^>]*>([^<]*)</p>', html)
    return unescape(found.group(1)) if found else ""


def _post(web: TestClient, url: str, data: dict[str, str]) -> httpx.Response:
    form = web.get(url)
    assert form.status_code == 200, form.text
    return web.post(url, data={"csrf_token": csrf_of(form.text), **data}, follow_redirects=False)


def test_every_mistake_on_a_project_is_shown_at_once_beside_its_input(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("secretariat")
    r = _post(
        web,
        "/projects/new",
        {
            "ref": "solar pumps!",
            "title": "",
            "status": "2",
            "planned_start": "2025-06-01",
            "planned_end": "2025-01-31",
            "latitude": "12.1",
            "countries-0-country": "TCD",
            "countries-0-share": "60",
            "countries-1-country": "GNB",
            "countries-1-share": "30",
            "milestones-0-title": "Survey",
            "milestones-0-due": "2025-13-45",
            "milestones-0-status": "open",
            "organisations-0-party": "IOM",
            "organisations-0-role": "implementing",
        },
    )
    assert r.status_code == 422
    html = r.text
    expected = {
        "ref": "use only letters, digits, '-', '_', '.' or ':'",
        "title": "Title is required; fill it in.",
        "planned_end": "Planned end (2025-01-31) is before planned start (2025-06-01)",
        "longitude": "Longitude is missing; give both latitude and longitude",
        "countries": "the shares add up to 90 %, not 100 %",
        "milestones-0-due": "Due (row 1): '2025-13-45' is not a date; write it as YYYY-MM-DD",
    }
    for key, words in expected.items():
        assert words in _error(html, key), f"{key}: {_error(html, key)!r}"
        assert f'aria-describedby="err-{key}"' in html, key
    shown = " ".join(_error(html, key) for key in expected)
    assert not any(raw in shown for raw in RAW), shown
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary and summary.group(0).count("<li>") == len(expected)
    assert 'href="#f-milestones-0-due"' in summary.group(0)
    # what was typed is kept, in the rows it was typed in
    assert 'value="solar pumps!"' in html and 'value="Survey"' in html
    assert re.search(r'id="f-countries-1-country".*?<option value="GNB" selected', html, re.S)
    assert 'id="f-countries-1-share" name="countries-1-share" type="number" value="30"' in html
    assert world.get(f"{API}/projects/solar pumps!").status_code == 404


def test_a_party_is_told_every_rule_of_its_kind_at_once(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("secretariat")
    r = _post(web, "/parties/new", {"kind": "organisation", "ref": "NGO-1", "iati_ref": "x" * 120})
    assert r.status_code == 422
    assert "Name is required for an organisation" in _error(r.text, "name")
    assert "Organisation type is required for an organisation" in _error(r.text, "org_type")
    assert "is too long (120 characters); shorten it to at most 100" in _error(r.text, "iati_ref")


def test_a_refusal_of_the_service_is_shown_beside_its_input(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("secretariat")
    taken = _post(
        web,
        "/projects/new",
        {
            "ref": "P-TCD",
            "title": "Again",
            "status": "2",
            "countries-0-country": "TCD",
            "countries-0-share": "100",
        },
    )
    assert taken.status_code == 422
    assert "already exists; choose another ref" in _error(taken.text, "ref")
    unknown = _post(
        web,
        "/projects/new",
        {
            "ref": "P-NEW",
            "title": "New",
            "status": "2",
            "organisations-0-party": "NOPE",
            "organisations-0-role": "funding",
        },
    )
    assert unknown.status_code == 422
    assert "Party (row 1): there is no party 'NOPE'" in _error(
        unknown.text, "organisations-0-party"
    )


def test_item_forms_speak_plain_words(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    assert (
        world.post(
            f"{API}/working-groups", json={"ref": "WG-E", "name": "E", "parties": ["TCD"]}
        ).status_code
        == 201
    )
    web = browser_as("focal_point", party="TCD")
    form = web.get("/working-groups/WG-E/action-items/new").text
    version = re.search(r'name="version" value="(\d+)"', form)
    assert version
    r = web.post(
        "/working-groups/WG-E/action-items/new",
        data={
            "csrf_token": csrf_of(form),
            "version": version.group(1),
            "description": "",
            "owner": "Amina",
            "due": "tomorrow",
            "status": "open",
        },
    )
    assert r.status_code == 422
    assert _error(r.text, "description") == "What is to be done is required; fill it in."
    assert _error(r.text, "due").startswith("Due: 'tomorrow' is not a date; write it as")
    assert 'value="Amina"' in r.text


@pytest.fixture
def group(world: TestClient) -> TestClient:
    """A working group of Chad with three decisions (the administrator's client)."""
    body = {
        "ref": "WG-U",
        "name": "Undo group",
        "parties": ["TCD"],
        "decisions": [{"text": "First"}, {"text": "Second"}, {"text": "Third"}],
    }
    assert world.post(f"{API}/working-groups", json=body).status_code == 201
    return world


def test_removing_an_item_asks_first_and_can_be_undone(
    group: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("focal_point", party="TCD", username="chad-undo")
    page = web.get("/working-groups/WG-U").text
    assert 'href="/working-groups/WG-U/decisions/2/delete"' in page
    assert 'action="/working-groups/WG-U/decisions/2/delete"' not in page  # no one-click removal
    confirm = web.get("/working-groups/WG-U/decisions/2/delete")
    assert confirm.status_code == 200
    assert "Remove decision 2" in confirm.text and "Second" in confirm.text
    assert len(group.get(f"{API}/working-groups/WG-U").json()["decisions"]) == 3  # asked only
    version = re.search(r'name="version" value="(\d+)"', confirm.text)
    assert version
    removed = web.post(
        "/working-groups/WG-U/decisions/2/delete",
        data={"csrf_token": csrf_of(confirm.text), "version": version.group(1)},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    stored = group.get(f"{API}/working-groups/WG-U").json()
    assert [d["text"] for d in stored["decisions"]] == ["First", "Third"]
    after = web.get(removed.headers["location"]).text
    assert "You removed a decision" in after and "Undo: put the decision back" in after
    undo = re.search(
        r'action="(/working-groups/WG-U/decisions/restore)".*?name="entry" '
        r'value="(\d+)".*?name="version" value="(\d+)"',
        after,
        re.S,
    )
    assert undo
    data = {"csrf_token": csrf_of(after), "entry": undo.group(2), "version": undo.group(3)}
    other = browser_as("secretariat", username="sec-undo")
    assert (
        other.post(
            undo.group(1),
            data={**data, "csrf_token": csrf_of(other.get("/working-groups/WG-U").text)},
        ).status_code
        == 404
    )  # not her removal
    for role, party in (("focal_point", "GNB"), ("viewer", None)):
        outsider = browser_as(role, party=party, username=f"undo-{role}")
        token = csrf_of(outsider.get("/working-groups/WG-U").text)
        assert outsider.post(undo.group(1), data={**data, "csrf_token": token}).status_code == 403
    restored = web.post(undo.group(1), data=data, follow_redirects=False)
    assert restored.status_code == 303
    stored = group.get(f"{API}/working-groups/WG-U").json()
    assert [d["text"] for d in stored["decisions"]] == ["First", "Second", "Third"]
    twice = web.post(undo.group(1), data=data)
    assert twice.status_code == 409 and "changed by someone else" in twice.text
    assert len(group.get(f"{API}/working-groups/WG-U").json()["decisions"]) == 3


def test_an_old_removal_is_not_undone_with_one_click(
    group: TestClient, browser_as: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bakuhub.web.pages import groups

    web = browser_as("secretariat", username="sec-late")
    confirm = web.get("/working-groups/WG-U/decisions/1/delete").text
    version = re.search(r'name="version" value="(\d+)"', confirm)
    assert version
    removed = web.post(
        "/working-groups/WG-U/decisions/1/delete",
        data={"csrf_token": csrf_of(confirm), "version": version.group(1)},
        follow_redirects=False,
    )
    entry = re.search(r"entry=(\d+)", removed.headers["location"])
    assert entry
    monkeypatch.setattr(groups, "UNDO_MINUTES", 0)  # the time to undo has passed
    late = web.post(
        "/working-groups/WG-U/decisions/restore",
        data={
            "csrf_token": csrf_of(confirm),
            "entry": entry.group(1),
            "version": str(int(version.group(1)) + 1),
        },
    )
    assert late.status_code == 422 and "can no longer be undone" in late.text
    assert len(group.get(f"{API}/working-groups/WG-U").json()["decisions"]) == 2
