"""A working group's decisions in several languages: typed on the decision's form, read
in the reader's language, said so when it is missing, kept through the API."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from web_helpers import API, csrf_of

from bakuhub import i18n

GROUP = {
    "ref": "WG-LANG",
    "name": "Chad group",
    "parties": ["TCD"],
    "decisions": [{"text": "Meet every quarter"}],
}


def _decision(html: str) -> str:
    found = re.search(r'<section id="decisions".*?<li>(.*?)</li>', html, re.S)
    assert found, "no decisions listed"
    return found.group(1)


def test_a_decision_is_typed_in_french_and_read_in_each_language(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    assert world.post(f"{API}/working-groups", json=GROUP).status_code == 201
    web = browser_as("focal_point", party="TCD", username="chad-lang")
    form = web.get("/working-groups/WG-LANG/decisions/1/edit").text
    assert 'name="texts.fr"' in form and 'name="texts.ar"' in form
    version = re.search(r'name="version" value="(\d+)"', form)
    assert version
    saved = web.post(
        "/working-groups/WG-LANG/decisions/1/edit",
        data={
            "csrf_token": csrf_of(form),
            "version": version.group(1),
            "text": "Meet every quarter",
            "texts.fr": "Se réunir chaque trimestre",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    french = web.get("/working-groups/WG-LANG", headers={"Accept-Language": "fr"}).text
    assert "Se réunir chaque trimestre" in _decision(french)
    portuguese = web.get("/working-groups/WG-LANG", headers={"Accept-Language": "pt"}).text
    with i18n.use("pt"):
        note = i18n.gettext("(as taken: no %(language)s text yet)") % {"language": "Português"}
    assert "Meet every quarter" in _decision(portuguese) and note in _decision(portuguese)
    edit_again = web.get("/working-groups/WG-LANG/decisions/1/edit").text
    assert "Se réunir chaque trimestre</textarea>" in edit_again  # kept on the form
    record = world.get(f"{API}/working-groups/WG-LANG").json()
    assert record["decisions"][0]["texts"] == {"fr": "Se réunir chaque trimestre"}


def test_an_unknown_language_is_refused_with_a_sentence(world: TestClient) -> None:
    body = {**GROUP, "ref": "WG-LANG2", "decisions": [{"text": "x", "texts": {"xx": "y"}}]}
    refused = world.post(f"{API}/working-groups", json=body)
    assert refused.status_code == 422
    assert "'xx' is not a language bakuhub speaks" in refused.text
