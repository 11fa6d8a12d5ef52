"""The risk sensitivity page without a browser (issue 20): the table names, for each
country, the choice with the largest total-order index, the chart's figures match
the table, and every bad address gets a sentence."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bakuhub import testing
from bakuhub.web.app import create_app


@pytest.fixture(scope="module")
def anon_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A visitor's client; the page reads the shipped tables, not the record."""
    root = tmp_path_factory.mktemp("risk-sensitivity")
    engine = testing.migrated_sqlite(root / "bakuhub.db")
    with testing.anonymous_client(create_app(testing.settings_for(root, engine))) as client:
        yield client
    engine.dispose()


def _text(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell).strip()


def country_rows(html: str) -> list[list[str]]:
    """The country table's rows as the raw HTML of their cells."""
    body = html.split('class="ranking sens-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return [
        re.findall(r"<td[^>]*>.*?</td>", row, re.S)
        for row in re.findall(r'<tr data-iso3="[A-Z]{3}">(.*?)</tr>', body, re.S)
    ]


def column_heads(html: str) -> list[str]:
    head = html.split('class="ranking sens-table"')[1].split("<thead>")[1].split("</thead>")[0]
    return [_text(h) for h in re.findall(r"<th scope=\"col\">(.*?)</th>", head)]


def test_each_country_names_the_choice_with_the_largest_st(anon_client: TestClient) -> None:
    response = anon_client.get("/risk/sensitivity?preset=hub&n=64")
    assert response.status_code == 200
    html = response.text
    heads = column_heads(html)
    factors = heads[4:]
    assert {"Weight of Conflict", "Aggregation", "Outlier treatment", "Conflict window"} <= set(
        factors
    )
    rows = country_rows(html)
    assert len(rows) > 150
    assert _text(rows[0][0]) == "1"
    for cells in rows:
        st = [float(_text(c).split("±")[0]) for c in cells[4:]]
        driver = _text(cells[3])
        marked = [f for f, c in zip(factors, cells[4:], strict=True) if " top" in c]
        if driver.startswith("none"):
            assert marked == [] and max(st) == 0.0
        else:
            assert marked == [driver] and st[factors.index(driver)] == max(st)
    assert "Weight of Displacement pressure" in factors  # no data: every ST is 0
    displacement = factors.index("Weight of Displacement pressure")
    assert all(_text(c[4 + displacement]).startswith("0.00") for c in rows)


def test_the_chart_carries_the_means_of_the_table(anon_client: TestClient) -> None:
    html = anon_client.get("/risk/sensitivity?preset=ndgain&n=64&of=score").text
    figure = json.loads(re.search(r"id=\"sens-chart\" data-figure='([^']+)'", html).group(1))
    st_bars = figure["data"][0]
    table = html.split('class="sens-choices"')[1].split("</table>")[0]
    means = {
        _text(label): float(_text(st))
        for label, st in re.findall(
            r'<th scope="row">(.*?)</th><td>.*?</td><td class="num">.*?</td>'
            r'<td class="num">(.*?)</td>',
            table,
        )
    }
    assert list(means) == st_bars["y"]
    assert all(abs(means[y] - x) < 0.006 for y, x in zip(st_bars["y"], st_bars["x"], strict=True))
    assert "Conflict window" not in means  # ND-GAIN reads no conflict data
    assert "ST of each country's score per choice" in html  # of=score explains the score


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("n=abc", "whole number from 64 to 4096"),
        ("n=99999", "whole number from 64 to 4096"),
        ("of=weights", "choose rank or score"),
        ("preset=inform", "INFORM Risk sheet"),
        ("preset=nope", "no index"),
    ],
)
def test_a_bad_address_gets_a_sentence(anon_client: TestClient, query: str, words: str) -> None:
    response = anon_client.get(f"/risk/sensitivity?{query}")
    assert response.status_code == 422
    assert words in response.text
