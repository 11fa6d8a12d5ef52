"""Reading the record (issue 22): the home map's colours and legend, and every public
source a link to the original."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub.registry.seed import SUPERSEDED, demo_record, seed_demo, seed_records
from bakuhub.testing import make_project

KINDS = {
    "parties": "parties",
    "agreements": "agreements",
    "working_groups": "working-groups",
    "projects": "projects",
}


class Sources(HTMLParser):
    """The items of a page's ``ul.sources`` list: each item's text and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] = []
        self._in_list = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "ul" and "sources" in (found.get("class") or "").split():
            self._in_list = True
        elif self._in_list and tag == "li":
            self.items.append({"text": "", "links": []})
        elif self._in_list and tag == "a" and self.items:
            self.items[-1]["links"].append(found.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self._in_list = False

    def handle_data(self, data: str) -> None:
        if self._in_list and self.items:
            self.items[-1]["text"] += data


def sources_on(html: str) -> list[dict[str, Any]]:
    """The Sources list of a detail page."""
    parser = Sources()
    parser.feed(html)
    return parser.items


def found(pattern: str, text: str, group: int = 1) -> str:
    """The ``group`` of the first match of ``pattern`` in ``text`` (fails without one)."""
    match = re.search(pattern, text, re.S)
    assert match, f"nothing matches {pattern!r}"
    return match.group(group)


def luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG), 0 (black) to 1 (white)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def colour_at(scale: list[list[Any]], share: float) -> str:
    """The colour a plotly colour scale gives to ``share`` (0-1): the nearest stop."""
    return str(min(scale, key=lambda stop: abs(float(stop[0]) - share))[1])


def test_the_home_map_draws_more_projects_darker_with_a_legend(
    session: Session, anon_client: TestClient
) -> None:
    seed_demo(session=session, author="demo-seed")
    for ref in ("READ-TCD-2", "READ-TCD-3"):
        make_project(session, ref, countries=[{"country": "TCD", "share": 100}])
    session.commit()
    home = anon_client.get("/").text
    figure = json.loads(found(r"id=\"home-map\" data-figure='([^']+)'", home))
    trace = figure["data"][1]
    counts = dict(zip(trace["customdata"], trace["marker"]["color"], strict=True))
    assert counts["TCD"] == 3 and counts["GNB"] == 1  # Chad has the most projects
    marker = trace["marker"]
    low, high = marker["cmin"], marker["cmax"]
    assert (low, high) == (0, 3) and marker.get("reversescale") is not True
    scale = marker["colorscale"]

    def shade(n: float) -> float:
        return luminance(colour_at(scale, (n - low) / (high - low)))

    assert shade(counts["TCD"]) < shade(counts["GNB"])  # more projects, darker
    size = dict(zip(trace["customdata"], marker["size"], strict=True))
    assert size["TCD"] > size["GNB"]
    assert marker["showscale"] is True  # a colour bar
    legend = found(r'<div class="map-legend" id="home-map-legend">(.*?)</div>', home)
    text = re.sub(r"<[^>]+>", "", legend)
    assert "Projects per country" in text and "0 (fewer)" in text and "3 (more)" in text
    assert 'aria-describedby="home-map-legend"' in home
    assert "Chad</a>: 3 projects" in home  # the same figures as text


def test_every_public_source_is_a_link_to_the_original(
    session: Session, anon_client: TestClient
) -> None:
    seed_demo(session=session, author="demo-seed")
    session.commit()
    checked = 0
    for section, records in demo_record().items():
        kind = KINDS[section]
        for raw in records:
            ref = raw.get("ref") or raw.get("iso3")
            public = anon_client.get(f"/api/v1/{kind}/{ref}").json()
            assert public["published"] is True
            items = sources_on(anon_client.get(f"/{kind}/{ref}").text)
            assert [i["links"] for i in items] == [[s] for s in public["sources"]], ref
            for item in items:
                assert re.match(r"https?://[^\s/]+\.[a-z]{2,}/", item["links"][0]), (ref, item)
                assert item["text"].strip() == item["links"][0]
                checked += 1
    assert checked == sum(len(r["sources"]) for rs in demo_record().values() for r in rs)
    allatra = sources_on(anon_client.get("/parties/ALLATRA").text)
    assert allatra[0]["links"][0].startswith("https://menafn.com/1108885549/")
    agreement = anon_client.get("/agreements/baku-green-energy-2024").text
    assert (
        'href="https://astanatimes.com/2026/03/kazakhstan-ratifies'
        in agreement.split("<h2>Ratifications</h2>")[1].split("</ul>")[0]
    )  # the ratification's own source, as a link


def test_the_demo_record_ships_addresses_only() -> None:
    for section, records in demo_record().items():
        for raw in records:
            for source in raw["sources"]:
                assert source.startswith("https://"), (section, raw.get("ref"), source)
            for ratification in raw.get("ratifications", []):
                assert ratification["source"].startswith("https://")


def test_seeding_again_replaces_the_old_plain_text_sources(
    session: Session, client: TestClient
) -> None:
    old = demo_record()
    allatra = next(p for p in old["parties"] if p.get("ref") == "ALLATRA")
    allatra["sources"] = ["seed document 000"]
    memo = next(a for a in old["agreements"] if a["ref"] == "baku-hub-jwg-memorandum-2025")
    memo["sources"] = [memo["sources"][0], "seed document 001"]
    seed_records(session=session, data=old, author="demo-seed")  # as an earlier version did
    session.commit()
    assert client.get("/api/v1/parties/ALLATRA").json()["sources"] == ["seed document 000"]
    report = seed_demo(session=session, author="demo-seed")
    session.commit()
    assert (report.created, report.corrected) == (0, 2)
    party = client.get("/api/v1/parties/ALLATRA").json()
    assert party["sources"] == [SUPERSEDED["seed document 000"]] and party["version"] == 2
    agreement = client.get("/api/v1/agreements/baku-hub-jwg-memorandum-2025").json()
    assert agreement["sources"][1] == SUPERSEDED["seed document 001"]
    audit = client.get("/api/v1/audit", params={"record_ref": "ALLATRA"}).json()
    assert any(e["action"] == "update" for e in audit)
    assert seed_demo(session=session, author="demo-seed").corrected == 0  # once only
