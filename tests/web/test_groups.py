"""Members, meetings, decisions and action items of a working group, one form each."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient
from web_helpers import API, csrf_of, form_values

GROUP = {
    "ref": "WG-TCD",
    "name": "Chad group",
    "parties": ["TCD"],
    "meetings": [{"date": "2025-03-01", "place": "N'Djamena", "minutes": "First meeting"}],
    "decisions": [{"text": "Meet every quarter"}, {"text": "Adopt the work plan"}],
}


@pytest.fixture
def group(world: TestClient) -> TestClient:
    """A working group of Chad (one meeting, two decisions); the administrator's client."""
    assert world.post(f"{API}/working-groups", json=GROUP).status_code == 201
    return world


def _post(web: TestClient, url: str, **fields: str) -> httpx.Response:
    form = web.get(url.replace("/delete", "/edit") if url.endswith("/delete") else url)
    assert form.status_code == 200, form.text
    data = {"csrf_token": csrf_of(form.text), "version": _version(form.text), **fields}
    return web.post(url, data=data, follow_redirects=False)


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "no version on the form"
    return found.group(1)


def test_a_member_partys_focal_point_adds_edits_and_removes_items(
    group: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("focal_point", party="TCD", username="chad-fp")
    page = web.get("/working-groups/WG-TCD").text
    assert 'href="/working-groups/WG-TCD/meetings/new"' in page
    form = web.get("/working-groups/WG-TCD/meetings/new").text
    assert '<label for="f-date">Date' in form and 'type="date"' in form
    added = _post(
        web,
        "/working-groups/WG-TCD/meetings/new",
        date="2025-06-19",
        place="Bonn",
        minutes="Work plan adopted",
    )
    assert added.status_code == 303
    assert added.headers["location"] == "/working-groups/WG-TCD#meetings"
    member = _post(
        web, "/working-groups/WG-TCD/members/new", name="Amina", country="TD", role="chair"
    )
    assert member.status_code == 303
    edited = _post(
        web,
        "/working-groups/WG-TCD/meetings/1/edit",
        date="2025-03-02",
        place="N'Djamena",
        minutes="First meeting, moved by a day",
    )
    assert edited.status_code == 303
    removed = _post(web, "/working-groups/WG-TCD/decisions/1/delete")
    assert removed.status_code == 303
    item = _post(
        web,
        "/working-groups/WG-TCD/action-items/new",
        description="Draft the work plan",
        owner="Amina",
        due="2025-09-30",
        status="in-progress",
    )
    assert item.status_code == 303, item.text
    stored = group.get(f"{API}/working-groups/WG-TCD").json()
    assert [(m["date"], m["place"]) for m in stored["meetings"]] == [
        ("2025-03-02", "N'Djamena"),
        ("2025-06-19", "Bonn"),
    ]
    assert stored["members"] == [
        {"name": "Amina", "organisation": "", "country": "TCD", "role": "chair"}
    ]
    assert [d["text"] for d in stored["decisions"]] == ["Adopt the work plan"]
    assert stored["action_items"][0]["status"] == "in-progress"
    audit = group.get(
        f"{API}/audit", params={"record_type": "working-groups", "actor": "chad-fp"}
    ).json()
    assert len(audit) == 5  # one entry per change, with both versions
    assert [m["place"] for m in audit[-1]["after"]["meetings"]] == ["N'Djamena", "Bonn"]


def test_errors_are_shown_beside_the_field_and_nothing_changes(
    group: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("focal_point", party="TCD")
    bad = _post(web, "/working-groups/WG-TCD/meetings/new", date="", place="Bonn")
    assert bad.status_code == 422
    text = bad.text
    assert re.search(r'id="err-date"[^>]*>[^<]*required; fill it in', text)
    assert 'aria-describedby="err-date"' in text
    assert 'value="Bonn"' in text  # what was typed is kept
    country = _post(web, "/working-groups/WG-TCD/members/new", name="X", country="ZZ")
    assert re.search(r'id="err-country"[^>]*>[^<]*not an ISO 3166 country code', country.text)
    assert len(group.get(f"{API}/working-groups/WG-TCD").json()["meetings"]) == 1


def test_a_stale_form_is_refused_with_a_sentence(
    group: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("secretariat")
    form = web.get("/working-groups/WG-TCD/decisions/new").text
    patched = group.patch(f"{API}/working-groups/WG-TCD", json={"version": 1, "mandate": "m"})
    assert patched.status_code == 200
    r = web.post(
        "/working-groups/WG-TCD/decisions/new",
        data={"csrf_token": csrf_of(form), "version": _version(form), "text": "Late decision"},
    )
    assert r.status_code == 422
    assert "changed by someone else" in r.text
    assert len(group.get(f"{API}/working-groups/WG-TCD").json()["decisions"]) == 2


def test_other_parties_and_viewers_cannot_change_items(
    group: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    gnb = browser_as("focal_point", party="GNB")
    assert gnb.get("/working-groups/WG-TCD/meetings/new").status_code == 403
    assert "does not belong to your party" in gnb.get("/working-groups/WG-TCD/meetings/1/edit").text
    assert "/meetings/new" not in gnb.get("/working-groups/WG-TCD").text
    viewer = browser_as("viewer")
    assert viewer.get("/working-groups/WG-TCD/decisions/1/edit").status_code == 403
    assert "Remove</button>" not in viewer.get("/working-groups/WG-TCD").text


def test_the_groups_own_form_has_no_json_and_keeps_the_items(
    group: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("secretariat")
    form = web.get("/working-groups/WG-TCD/edit")
    assert form.status_code == 200
    for name in ("members", "meetings", "decisions", "action_items"):
        assert f'name="{name}"' not in form.text
    values = form_values(form.text)
    values["mandate"] = ["Follow up the memorandum"]
    saved = web.post("/working-groups/WG-TCD/edit", data=values, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    stored = group.get(f"{API}/working-groups/WG-TCD").json()
    assert stored["mandate"] == "Follow up the memorandum"
    assert len(stored["meetings"]) == 1 and len(stored["decisions"]) == 2
    assert web.get("/working-groups/WG-TCD/meetings/5/edit").status_code == 404
