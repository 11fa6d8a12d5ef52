"""The risk page (issue 22): each index shows its own scale, direction and words; the
weight boxes only where they count; a country's profile with the weights just set and
the rank interval the CLI prints."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_reading import colour_at, found, luminance
from typer.testing import CliRunner

from bakuhub import testing
from bakuhub.cli import app as cli
from bakuhub.web.app import create_app

NDGAIN_LABEL = "ND-GAIN score (0-100, higher = more ready)"


@pytest.fixture(scope="module")
def anon_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A visitor's client of one app for the module: the risk pages read the shipped
    tables, not the record, so one SQLite database serves every test here."""
    root = tmp_path_factory.mktemp("risk-page")
    engine = testing.migrated_sqlite(root / "bakuhub.db")
    with testing.anonymous_client(create_app(testing.settings_for(root, engine))) as client:
        yield client
    engine.dispose()


def figure_of(html: str) -> dict[str, Any]:
    """The plotly figure of the risk map."""
    data: dict[str, Any] = json.loads(found(r"id=\"risk-map\" data-figure='([^']+)'", html))
    return data


def ranked_rows(html: str) -> list[list[str]]:
    """The ranking table's rows as cell texts."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr data-iso3=\"[A-Z]{3}\">(.*?)</tr>", body, re.S)
    ]


def headers(html: str) -> list[str]:
    """The ranking table's column headers."""
    head = html.split("<thead>")[1].split("</thead>")[0]
    return re.findall(r"<th scope=\"col\">(.*?)</th>", head)


def shade_of(figure: dict[str, Any], iso3: str) -> float:
    """Luminance of a country's marker on the map (lower: darker)."""
    trace = figure["data"][1]
    marker = trace["marker"]
    value = dict(zip(trace["customdata"], marker["color"], strict=True))[iso3]
    share = (value - marker["cmin"]) / (marker["cmax"] - marker["cmin"])
    return luminance(colour_at(marker["colorscale"], share))


def cli_explain(iso3: str, *args: str) -> dict[str, Any]:
    """What ``bakuhub risk explain ISO3 ... --json`` prints."""
    result = CliRunner().invoke(cli, ["risk", "explain", iso3, *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_ndgain_reads_as_ndgain(anon_client: TestClient) -> None:
    page = anon_client.get("/risk", params={"preset": "ndgain"}).text
    assert "Risk score (0-10" not in page
    cols = headers(page)
    assert cols[:3] == ["ND-GAIN rank (1 = most ready)", "Country", NDGAIN_LABEL]
    assert "Class" not in cols  # ND-GAIN has no classes
    rows = ranked_rows(page)
    assert rows[0][:2] == ["1", "Norway"]  # ND-GAIN's own order: rank 1 is the most ready
    assert all("None" not in cell for row in rows for cell in row)
    scores = [float(r[2]) for r in rows]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
    figure = figure_of(page)
    marker = figure["data"][1]["marker"]
    assert 0 <= marker["cmin"] < marker["cmax"] <= 100
    assert shade_of(figure, "TCD") < shade_of(figure, "NOR")  # less ready is the dark red
    legend = re.sub(r"<[^>]+>", "", page.split('id="risk-map-legend">')[1].split("</div>")[0])
    assert NDGAIN_LABEL in legend and "(less ready)" in legend
    reverse = anon_client.get("/risk?preset=ndgain&order=reverse").text
    total = int(found(r"Ranking of (\d+) countries", reverse))
    least = [int(r[0]) for r in ranked_rows(reverse)]
    assert least[0] == total and least == sorted(least, reverse=True)  # least ready first


def test_the_hub_index_reads_as_risk_with_real_classes(anon_client: TestClient) -> None:
    page = anon_client.get("/risk").text
    cols = headers(page)
    assert cols[:3] == [
        "Rank (1 = most at risk)",
        "Country",
        "Risk score (0-10, higher = more at risk)",
    ]
    assert "Class" in cols
    rows = ranked_rows(page)
    classes = {row[cols.index("Class")] for row in rows}
    assert classes <= {"Very low", "Low", "Medium", "High", "Very high", "\u2013"}
    assert "Very high" in classes
    figure = figure_of(page)
    first = found(r'<tr data-iso3="([A-Z]{3})">', page)
    assert rows[0][0] == "1" and shade_of(figure, first) < shade_of(figure, "NOR")  # darkest


def test_the_weight_boxes_show_only_where_they_count(anon_client: TestClient) -> None:
    hub = anon_client.get("/risk").text
    assert all(f'id="w_{c}"' in hub for c in ("climate", "conflict", "displacement", "readiness"))
    ndgain = anon_client.get("/risk", params={"preset": "ndgain", "w_conflict": "3"}).text
    assert 'id="w_' not in ndgain
    assert "no weights to change" in ndgain
    assert "Default weights" not in ndgain


def test_a_wrong_weight_is_named_beside_its_field_and_kept(anon_client: TestClient) -> None:
    page = anon_client.get("/risk", params={"w_climate": "lots", "w_conflict": "2"}).text
    field = found(r'<input id="w_climate"[^>]*>', page, 0)
    assert 'value="lots"' in field and 'aria-describedby="err-w_climate"' in field
    error = found(r'id="err-w_climate">([^<]+)<', page)
    assert "Climate vulnerability" in error and "is not a number" in error
    assert 'value="2"' in found(r'<input id="w_conflict"[^>]*>', page, 0)
    assert "uses the default weights" in page


def test_no_country_ranked_says_which_pillar_lacks_data(anon_client: TestClient) -> None:
    page = anon_client.get("/risk", params={"w_conflict": "0"}).text
    message = found(r'id="none-ranked">([^<]+)<', page)
    assert "Displacement pressure" in message and "less weight" in message


def test_the_page_says_plainly_that_the_displacement_pillar_has_no_data(
    anon_client: TestClient,
) -> None:
    page = html.unescape(anon_client.get("/risk").text)
    notes = found(r'<ul class="notes" id="risk-notes">(.*?)</ul>', page)
    assert "Displacement pressure pillar (displacement): no data given" in notes
    assert "its weight 0.25 was shared among the others" in notes


def test_a_country_profile_uses_the_weights_of_the_ranking(anon_client: TestClient) -> None:
    ranking = anon_client.get("/risk", params={"w_conflict": "2"}).text
    link = found(r'href="(/risk/countries/TCD\?[^"]+)"', ranking).replace("&amp;", "&")
    assert "w_conflict=2" in link
    row = next(r for r in ranked_rows(ranking) if r[1] == "Chad")
    expected = cli_explain("TCD", "--weights", "conflict=2")
    default = cli_explain("TCD")
    assert expected["rank"] != default["rank"]  # the weights move Chad
    profile = anon_client.get(link)
    assert profile.status_code == 200
    facts = dict(
        (re.sub(r"<[^>]+>", "", dt).strip(), re.sub(r"<[^>]+>", "", dd).strip())
        for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", profile.text, re.S)
    )
    rank = facts["Rank (1 = most at risk)"]
    assert rank.startswith(f"{int(expected['rank'])} of ") and row[0] == str(int(expected["rank"]))
    interval = facts["Rank interval"]
    assert interval.startswith(f"{int(expected['rank_low'])} to {int(expected['rank_high'])}")
    assert "90% of 1,000 uncertainty draws" in interval  # the locale writes the share
    assert facts["Class"] == expected["class"]
    assert "Conflict 2" in profile.text  # says which weights it uses
    back = found(r'href="(/risk\?[^"]+)">Back to the ranking', profile.text)
    assert "w_conflict=2" in back


def test_an_ndgain_profile_has_its_own_words(anon_client: TestClient) -> None:
    page = anon_client.get("/risk/countries/TCD", params={"preset": "ndgain"}).text
    expected = cli_explain("TCD", "--preset", "ndgain")
    assert f"<dt>{NDGAIN_LABEL}</dt><dd>{expected['score']:.1f}</dd>" in page
    assert "<dt>Class</dt>" not in page and "None" not in page
    assert "ND-GAIN rank (1 = most ready)" in page
    assert anon_client.get("/risk/countries/XXX").status_code == 404
