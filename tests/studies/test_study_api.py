"""The API of saved scenarios, studies, comparisons and comments, as a client sees it;
and the comment renderer that pages reuse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from bakuhub.config import Settings
from bakuhub.corridor.scenario import load_scenario
from bakuhub.studies.comments import render
from bakuhub.testing import study_summary, write_study

API = "/api/v1/corridor"


def test_the_renderer_keeps_scripts_as_text_and_links_mentions() -> None:
    html = render(
        "<script>alert(1)</script> **bold** and *it*\n\n- see [[study:ref-2030]]\n"
        "- [site](https://example.org/a?b=1&c=2) [bad](javascript:alert(1)) `<b>`"
    )
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert '<a href="/corridor/studies/ref-2030" class="mention">study:ref-2030</a>' in html
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">site</a>' in html
    assert "javascript:" not in html.split("href=")[-1].split(">")[0]
    assert "<code>&lt;b&gt;</code>" in html and html.count("<li>") == 2
    assert render('[[project:P-1"><img src=x>]]').count("<img") == 0


def test_a_scenario_goes_from_draft_to_published_with_its_thread(
    client_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    ana = client_as("focal_point", username="ana")
    ben = client_as("viewer", username="ben")
    made = ana.post(f"{API}/scenarios/reference-2030/fork", json={"ref": "ana-cheap"})
    assert made.status_code == 201, made.text
    spec = made.json()["scenario"]
    assert anon_client.get(f"{API}/scenarios/ana-cheap").status_code == 404
    assert ben.post(f"{API}/scenarios/ana-cheap/comments", json={"body": "hi"}).status_code == 404
    listed = [s["name"] for s in anon_client.get(f"{API}/scenarios").json()]
    assert "reference-2030" in listed and "ana-cheap" not in listed
    bad = ana.put(
        f"{API}/scenarios/ana-cheap", json={"version": 1, "scenario": {**spec, "resolution": "x"}}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["resolution"]
    spec["co2"]["price_eur_t"] = 100.0
    assert (
        ana.put(f"{API}/scenarios/ana-cheap", json={"version": 1, "scenario": spec}).json()[
            "version"
        ]
        == 2
    )
    stale = ana.put(f"{API}/scenarios/ana-cheap", json={"version": 1, "title": "x"})
    assert stale.status_code == 409
    assert ana.post(f"{API}/scenarios/ana-cheap/publish", json={"version": 2}).status_code == 200
    assert anon_client.get(f"{API}/scenarios/ana-cheap").json()["scenario"]["co2"] == {
        "price_eur_t": 100.0,
        "cap_mt": None,
    }
    assert (
        anon_client.post(f"{API}/scenarios/ana-cheap/comments", json={"body": "x"}).status_code
        == 401
    )
    said = ben.post(f"{API}/scenarios/ana-cheap/comments", json={"body": "<script>x</script>"})
    assert said.status_code == 201 and "&lt;script&gt;" in said.json()["html"]
    thread = anon_client.get(f"{API}/scenarios/ana-cheap/comments").json()
    assert [(c["author"], c["body"]) for c in thread] == [("ben", "<script>x</script>")]
    text = anon_client.get(f"{API}/scenarios/ana-cheap.yaml").text
    assert yaml.safe_load(text)["co2"]["price_eur_t"] == 100.0
    copy = ana.post(f"{API}/scenarios/import", json={"yaml": text, "ref": "ana-copy"})
    assert copy.status_code == 201 and copy.json()["scenario"]["co2"]["price_eur_t"] == 100.0
    wrong = ana.post(
        f"{API}/scenarios/import", json={"yaml": text.replace("year: 2030", "year: 2031")}
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["loc"] == ["year"]
    control = ana.post(f"{API}/scenarios/import", json={"yaml": "name: \x01"})
    assert control.status_code == 422, control.text  # a control character, not a crash
    assert "not valid YAML" in control.json()["detail"]


def test_studies_are_listed_compared_and_discussed(
    client_as: Callable[..., TestClient], anon_client: TestClient, settings: Settings
) -> None:
    spec = load_scenario("reference-2030").model_dump(mode="json")
    for name, cost, resolution in (("base", 2e10, "segments:12"), ("dear", 2.5e10, "hourly")):
        folder = write_study(
            Path(settings.data_dir) / "studies",
            name,
            {**study_summary(name, cost, 8, 0), "resolution": resolution},
        )
        (folder / "scenario.yaml").write_text(yaml.safe_dump({**spec, "name": name}))
    listed = anon_client.get(f"{API}/studies").json()
    assert {s["name"]: s["origin"] for s in listed} == {"base": "cli", "dear": "cli"}
    detail = anon_client.get(f"{API}/studies/base").json()
    assert detail["inputs"]["year"] == 2030 and detail["files"] == ["summary.json", "scenario.yaml"]
    assert anon_client.get(f"{API}/studies/base/files/summary.json").json()["scenario"] == "base"
    assert anon_client.get(f"{API}/studies/base/files/..%2Fdear%2Fsummary.json").status_code == 404
    assert anon_client.get(f"{API}/studies/base/files/report.html").status_code == 404
    compared = anon_client.get(f"{API}/compare", params=[("study", "base"), ("study", "dear")])
    body = compared.json()
    cost = next(r for r in body["rows"] if r["key"] == "total_system_cost")
    assert cost["values"] == [20.0, 25.0] and cost["differences"] == [0.0, 5.0]
    assert "resolutions" in body["warnings"][0]
    viewer = client_as("viewer", username="vera")
    posted = viewer.post(f"{API}/studies/dear/comments", json={"body": "vs [[study:base]]"})
    assert posted.status_code == 201 and 'href="/corridor/studies/base"' in posted.json()["html"]
    assert [c["author"] for c in anon_client.get(f"{API}/studies/dear/comments").json()] == ["vera"]
    assert anon_client.get(f"{API}/studies/nope/comments").status_code == 404
