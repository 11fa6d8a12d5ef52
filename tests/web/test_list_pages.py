"""The list pages as a browser without JavaScript sees them: search, filters, sort and
pages, all in the address; errors beside their field; drafts never shown or counted for
the public (TestClient, SQLite and PostgreSQL)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from web_helpers import API, project_body


def _rows(page: str) -> list[str]:
    """The record links of a list's table or timeline, in order."""
    body = page.split('id="list-count"', 1)[1]
    kinds = "projects|parties|agreements|working-groups"
    return re.findall(rf'(?:<tr><td>|<div>)<a href="/(?:{kinds})/([^"/?]+)">', body)


def _count(page: str) -> str:
    found = re.search(r'id="list-count" role="status">(.*?)</p>', page, re.S)
    assert found, "the list says nothing about what it shows"
    text = re.sub(r"<[^>]+>", " ", html.unescape(found.group(1))).replace("\u2013", "-")
    return " ".join(text.split())


def _wells(world: TestClient, n: int) -> None:
    for i in range(n):
        body = project_body(f"WELL-{i:02d}", title=f"Well {i:02d}")
        assert world.post(f"{API}/projects", json=body).status_code == 201


def test_searching_chad_lists_the_projects_in_chad(
    world: TestClient, anon_client: TestClient
) -> None:
    page = anon_client.get("/projects", params={"q": "chad"})
    assert page.status_code == 200
    assert _rows(page.text) == ["P-TCD"]  # not Guinea-Bissau's, not the draft
    assert _count(page.text) == "1 project matches."
    assert 'name="q" type="search" value="chad"' in page.text
    staff = world.get("/projects", params={"q": "chad"}).text
    assert sorted(_rows(staff)) == ["P-DRAFT", "P-TCD"]
    assert _count(staff) == "2 projects match."
    by_name = anon_client.get("/projects", params={"country": "Chad"}).text
    assert _rows(by_name) == ["P-TCD"] and 'name="country" type="text" value="Chad"' in by_name


def test_long_lists_come_in_pages_whose_links_keep_the_view(
    world: TestClient, anon_client: TestClient
) -> None:
    _wells(world, 23)
    first = anon_client.get("/projects", params={"q": "well", "sort": "-title"}).text
    assert _count(first) == "1-20 of 23 projects matching."
    assert _rows(first)[:2] == ["WELL-22", "WELL-21"]
    assert 'href="/projects?q=well&amp;sort=-title&amp;page=2" rel="next"' in first
    second = anon_client.get("/projects", params={"q": "well", "sort": "-title", "page": "2"})
    assert _count(second.text) == "21-23 of 23 projects matching."
    assert _rows(second.text) == ["WELL-02", "WELL-01", "WELL-00"]
    assert 'href="/projects?q=well&amp;sort=-title" rel="prev"' in second.text
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2<' in second.text
    # the "go to page" form carries the search and sort along
    assert '<input type="hidden" name="q" value="well">' in second.text
    everything = anon_client.get("/projects", params={"per_page": "50"}).text
    assert _count(everything) == "25 projects." and len(_rows(everything)) == 25
    assert 'rel="next"' not in everything


def test_a_bad_filter_is_shown_beside_it_as_typed(
    world: TestClient, anon_client: TestClient
) -> None:
    page = anon_client.get("/projects", params={"country": "Narnia", "q": "well"})
    assert page.status_code == 200
    text = page.text
    assert 'id="err-country" role="alert">' in text
    assert "&#39;Narnia&#39; is not a country name or ISO code" in text
    field = re.search(r'<input id="l-country"[^>]*>', text)
    assert field and 'value="Narnia"' in field.group(0) and "err-country" in field.group(0)
    assert 'aria-invalid="true"' in field.group(0)
    assert 'value="well"' in text  # the rest of what was typed is kept
    assert _rows(text) == [] and "Nothing is listed" in _count(text)
    status = anon_client.get("/projects", params={"status": "99"}).text
    assert 'id="err-status"' in status and "no &#39;99&#39; to choose" in status
    sort = anon_client.get("/projects", params={"sort": "colour"}).text
    assert 'id="err-sort"' in sort and _rows(sort)  # listed in the usual order meanwhile
    size = anon_client.get("/projects", params={"per_page": "7"}).text
    assert 'id="err-per_page"' in size
    long = anon_client.get("/projects", params={"q": "x" * 201}).text
    assert 'id="err-q"' in long and "use at most 200" in long


def test_the_form_lands_on_a_short_address_to_share(anon_client: TestClient) -> None:
    sent = "/projects?q=+chad+&country=&theme=&status=&sort=title&per_page=20"
    r = anon_client.get(sent, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/projects?q=chad"
    short = anon_client.get("/projects?q=chad", follow_redirects=False)
    assert short.status_code == 200


def test_a_page_past_the_end_or_not_a_number_is_explained(
    world: TestClient, anon_client: TestClient
) -> None:
    _wells(world, 23)
    late = anon_client.get("/projects", params={"page": "9"}).text
    assert "Page 9 is past the end: the list has 2 pages." in late
    assert _count(late) == "21-25 of 25 projects."  # the last page is shown
    word = anon_client.get("/projects", params={"page": "two"}).text
    assert "&#39;two&#39; is not a page number" in word and 'value="two"' in word
    assert _count(word) == "1-20 of 25 projects."


def test_a_search_that_finds_nothing_says_so(world: TestClient, anon_client: TestClient) -> None:
    page = anon_client.get("/projects", params={"q": "zzz", "theme": "humanitarian"}).text
    assert _count(page) == "No projects match “zzz” with these filters. Show all projects"
    assert "<table" not in page


def test_column_headers_sort_both_ways(world: TestClient, anon_client: TestClient) -> None:
    _wells(world, 3)
    down = anon_client.get("/projects", params={"sort": "-title", "q": "well"}).text
    assert _rows(down) == ["WELL-02", "WELL-01", "WELL-00"]
    header = re.search(
        r'<th scope="col" aria-sort="descending"><a class="sort" href="([^"]+)"', down
    )
    assert header and html.unescape(header.group(1)) == "/projects?q=well"  # title, ascending
    up = anon_client.get(html.unescape(header.group(1))).text
    assert _rows(up) == ["WELL-00", "WELL-01", "WELL-02"]
    assert 'aria-sort="ascending"' in up


def test_the_public_count_leaves_drafts_out(world: TestClient, anon_client: TestClient) -> None:
    assert _count(anon_client.get("/projects").text) == "2 projects."
    assert _count(world.get("/projects").text) == "3 projects."
    assert _count(anon_client.get("/projects", params={"q": "draft"}).text).startswith("No ")


def test_every_list_searches_filters_and_sorts(world: TestClient, anon_client: TestClient) -> None:
    agreement = {
        "ref": "AG-NDJ",
        "title": "Accord de N'Djamena",
        "kind": "memorandum",
        "status": "in-force",
        "parties": [{"party": "TCD", "role": "signatory"}],
    }
    assert world.post(f"{API}/agreements", json=agreement).status_code == 201
    other = {"ref": "AG-OTHER", "title": "Another call", "kind": "call", "status": "signed"}
    assert world.post(f"{API}/agreements", json=other).status_code == 201
    group = {
        "ref": "WG-EAU",
        "name": "Groupe eau et paix",
        "agreement": "AG-NDJ",
        "mandate": "Water points along the Lake Chad basin",
        "parties": ["TCD"],
    }
    assert world.post(f"{API}/working-groups", json=group).status_code == 201, "group"
    parties = anon_client.get("/parties", params={"q": "guinea"}).text
    assert _rows(parties) == ["GNB"]
    orgs = anon_client.get("/parties", params={"kind": "organisation", "sort": "-name"}).text
    assert _rows(orgs) == ["UNDP", "IOM"]
    assert _rows(anon_client.get("/agreements", params={"q": "djamena"}).text) == ["AG-NDJ"]
    signed = anon_client.get("/agreements", params={"status": "signed"}).text
    assert _rows(signed) == ["AG-OTHER"]
    assert _rows(anon_client.get("/agreements", params={"party": "TCD"}).text) == ["AG-NDJ"]
    groups = anon_client.get("/working-groups", params={"q": "LAKE CHAD"}).text
    assert _rows(groups) == ["WG-EAU"]
    none = anon_client.get("/working-groups", params={"agreement": "AG-OTHER"}).text
    assert _count(none).startswith("No working groups match")


def test_the_audit_log_pages_and_filters_in_the_address(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    _wells(world, 23)
    staff = browser_as("secretariat")
    first = staff.get("/audit", params={"record_type": "projects"}).text
    assert _count(first) == "Changes 1-20, newest first, matching the filters."
    assert first.count("<tr><td>") == 20 and "WELL-22" in first and "WELL-02" not in first
    assert 'href="/audit?record_type=projects&amp;page=2" rel="next"' in first
    second = staff.get("/audit", params={"record_type": "projects", "page": "2"}).text
    assert _count(second) == "Changes 21-26, newest first, matching the filters."
    assert "WELL-02" in second and "P-TCD" in second and 'rel="next"' not in second
    assert 'value="projects"' in second  # the filter is kept
    bad = staff.get("/audit", params={"page": "0"}).text
    assert 'id="err-page"' in bad and "is not a page number" in bad
    empty = staff.get("/audit", params={"actor": "nobody-at-all"}).text
    assert _count(empty).startswith("No changes match these filters.")
