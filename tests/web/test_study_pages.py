"""Corridor studies in the browser (issue 15): the list on /corridor shows every study of
the one store, the study page shows its figures, inputs and downloads, studies are
compared side by side with a warning, a draft's study stays its author's, "Run again"
becomes a job whose page shows its place in the queue, and a study has a thread.

No solve runs: study folders are written as ``bakuhub corridor solve`` writes them into
the data directory, and jobs go to a runner that only records what it was handed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_helpers import API, csrf_of, summary, write_study

from bakuhub.config import Settings
from bakuhub.corridor.scenario import load_scenario, parse_scenario
from bakuhub.web.routes.jobs import get_runner


class RecordingRunner:
    """A job runner that keeps the ids it is handed (no Dask, no solve)."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def submit(self, job_ids: Iterable[int]) -> None:
        self.sent += list(job_ids)

    def close(self) -> None:
        """Nothing to stop."""


@pytest.fixture
def runner(app: FastAPI) -> RecordingRunner:
    """The app's job runner for this test: records, never runs."""
    stub = RecordingRunner()
    app.state.job_runner = stub
    app.dependency_overrides[get_runner] = lambda: stub
    return stub


def cli_study(
    settings: Settings,
    name: str,
    cost: float,
    *,
    resolution: str = "segments:400",
    caspian: float = 0.0,
) -> Path:
    """A study folder as ``bakuhub corridor solve`` writes it into the data directory:
    summary (with its counterfactual), scenario, a table and the report."""
    data = {
        **summary(name, cost, 8, caspian),
        "resolution": resolution,
        "counterfactual": {
            "scenario": f"{name}-no-caspian",
            "total_system_cost_eur_a": cost + 1e9,
            "co2_emitted_mt": 43.0,
            "export_twh": 8.0,
            "unserved_twh": 0.0,
        },
    }
    folder = write_study(Path(settings.data_dir) / "studies", name, data)
    spec = load_scenario("reference-2030").model_dump(mode="json")
    (folder / "scenario.yaml").write_text(yaml.safe_dump({**spec, "name": name}))
    (folder / "tables").mkdir()
    (folder / "tables" / "cables.csv").write_text(
        f"link,capacity_mw\nCASPIAN,{caspian}\nBLACKSEA,1000\n"
    )
    (folder / "report.html").write_text("<html><h1>Report of the study</h1></html>")
    return folder


def cells(html: str, label: str) -> list[str]:
    """The cells of the table row headed ``label``."""
    row = re.search(rf'<th scope="row">{re.escape(label)}</th>((?:<td[^>]*>[^<]*</td>)+)', html)
    assert row, f"no row {label}"
    return re.findall(r">([^<]*)</td>", row.group(1))


def test_a_cli_study_is_listed_with_its_figures_inputs_and_downloads(
    settings: Settings, anon_client: TestClient
) -> None:
    folder = cli_study(settings, "cli-run", 2e10)
    solving = Path(settings.data_dir) / "studies" / "reference-2030"
    solving.mkdir()
    (solving / "status.json").write_text('{"state": "running"}')  # the reference, at startup
    listing = anon_client.get("/corridor")
    assert listing.status_code == 200
    assert re.search(r"<td>reference-2030</td><td[^>]*>being solved \(running\)", listing.text)
    row = re.search(r'<tr data-study="cli-run">(.*?)</tr>', listing.text, re.S)
    assert row, "the CLI study is not listed"
    assert 'href="/corridor/studies/cli-run"' in row.group(1)
    assert ">cli<" in row.group(1) and ">segments:400<" in row.group(1)
    assert '<td class="num">20</td>' in row.group(1)  # bn EUR/a, rounded
    assert 'data-study="cli-run"' not in anon_client.get("/corridor?origin=api").text
    bad = anon_client.get("/corridor?origin=moon")
    assert bad.status_code == 422 and "is not an origin" in bad.text

    page = anon_client.get("/corridor/studies/cli-run").text
    assert cells(page, "Total system cost") == ["20", "bn EUR/a"]
    assert cells(page, "Caspian cable") == ["0", "MW"]
    assert cells(page, "Total system cost (bn EUR/a)") == ["20", "21", "-1"]  # vs counterfactual
    assert "Unserved energy (TWh/a)" not in page  # none in either: not shown
    text = (folder / "scenario.yaml").read_text()
    digest = parse_scenario(yaml.safe_load(text), "test", trusted=True).digest()
    assert f'id="scenario-hash" class="hash">{digest}<' in page
    assert "year: 2030" in page  # the exact inputs
    report = anon_client.get("/corridor/studies/cli-run/report.html")
    assert "Report of the study" in report.text
    assert "default-src 'none'" in report.headers["content-security-policy"]
    (folder / "report.fr.html").write_text("<html><h1>Rapport de l'étude</h1></html>")
    french = {"Accept-Language": "fr"}
    assert (
        "Rapport" in anon_client.get("/corridor/studies/cli-run/report.html", headers=french).text
    )
    arabic = anon_client.get(
        "/corridor/studies/cli-run/report.html", headers={"Accept-Language": "ar"}
    )
    assert "Report of the study" in arabic.text  # not written in Arabic: the English one

    links = dict(re.findall(r'href="([^"]+/files/cables\.(csv|parquet))"', page))
    assert set(links.values()) == {"csv", "parquet"}
    by_kind = {kind: url for url, kind in links.items()}
    assert "CASPIAN,0" in anon_client.get(by_kind["csv"]).text
    parquet = anon_client.get(by_kind["parquet"])
    assert parquet.status_code == 200 and parquet.content[:4] == b"PAR1"
    assert pd.read_parquet(io.BytesIO(parquet.content))["capacity_mw"].tolist() == [0, 1000]
    assert anon_client.get(f"{API}/corridor/studies/cli-run/files/secrets.txt").status_code == 404
    missing = anon_client.get("/corridor/studies/no-such-study")
    assert missing.status_code == 404 and "no-such-study" in missing.text


def test_studies_are_compared_side_by_side_with_a_warning(
    settings: Settings, anon_client: TestClient
) -> None:
    cli_study(settings, "coarse", 2e10, resolution="segments:12")
    cli_study(settings, "fine", 2.5e10, resolution="hourly", caspian=-7.99e-15)
    cli_study(settings, "third", 1e10, resolution="hourly", caspian=2000)
    listing = anon_client.get("/corridor").text
    assert 'action="/corridor/compare"' in listing and 'name="study" value="fine"' in listing
    older = anon_client.get("/corridor?compare=coarse&compare=fine", follow_redirects=False)
    assert older.headers["location"] == "/corridor/compare?study=coarse&study=fine"

    page = anon_client.get("/corridor/compare?study=coarse&study=fine&study=third")
    assert page.status_code == 200
    html = page.text
    assert cells(html, "Total system cost (bn EUR/a)") == ["20", "25", "10", "+5", "-10"]
    assert cells(html, "Caspian cable (MW)") == ["0", "0", "2,000", "0", "+2,000"]  # no -0
    warning = html[html.index('id="compare-warnings"') :]
    assert "resolutions" in warning and "coarse: segments:12" in warning
    assert cells(html, "Time resolution")[:3] == ["segments:12", "hourly", "hourly"]

    ghost = anon_client.get("/corridor/compare?study=coarse&study=ghost")
    assert ghost.status_code == 404 and "ghost" in ghost.text and 'id="compare-error"' in ghost.text
    one = anon_client.get("/corridor/compare?study=coarse")
    assert one.status_code == 422 and "2 to 8" in one.text
    alone = anon_client.get("/corridor?compare=coarse").text
    assert 'id="compare-error"' in alone


def test_a_drafts_study_is_seen_by_its_author_and_the_secretariat_only(
    runner: RecordingRunner,
    client_as: Callable[..., TestClient],
    anon_client: TestClient,
) -> None:
    ana = client_as("focal_point", username="ana")
    made = ana.post(f"{API}/corridor/scenarios/reference-2030/fork", json={"ref": "ana-draft"})
    assert made.status_code == 201, made.text
    spec = made.json()["scenario"]  # changed: no longer the shipped scenario, which is public
    spec["co2"]["price_eur_t"] = 120.0
    changed = ana.put(f"{API}/corridor/scenarios/ana-draft", json={"version": 1, "scenario": spec})
    assert changed.status_code == 200, changed.text
    job = ana.post(f"{API}/corridor/scenarios/ana-draft/run", json={"resolution": "segments:12"})
    assert job.status_code == 202, job.text
    assert runner.sent == [job.json()["id"]]
    (study,) = [
        s for s in ana.get(f"{API}/corridor/studies").json() if s["scenario_ref"] == "ana-draft"
    ]
    page = f"/corridor/studies/{study['name']}"
    mine = ana.get(page)
    assert mine.status_code == 200 and 'id="study-state">queued' in mine.text
    assert 'href="/corridor/scenarios/ana-draft" id="scenario-link"' in mine.text
    assert 'href="/corridor/scenarios/new?from=ana-draft"' in mine.text  # fork it
    assert ana.get("/corridor/scenarios/new?from=ana-draft").status_code == 200
    assert client_as("secretariat", username="sam").get(page).status_code == 200
    ben = client_as("focal_point", username="ben")
    for other in (ben, anon_client):
        assert other.get(page).status_code == 404
        assert f'data-study="{study["name"]}"' not in other.get("/corridor").text
    assert f'data-study="{study["name"]}"' in ana.get("/corridor").text


def test_run_again_is_a_job_whose_page_shows_its_place_in_the_queue(
    settings: Settings,
    runner: RecordingRunner,
    browser_as: Callable[..., TestClient],
) -> None:
    cli_study(settings, "cli-run", 2e10)
    ana = browser_as("focal_point", username="ana")
    token = csrf_of(ana.get("/corridor/studies/cli-run").text)
    url = "/corridor/studies/cli-run/rerun"
    bad = ana.post(url, data={"csrf_token": token, "resolution": "fortnightly"})
    assert bad.status_code == 422 and 'id="err-run"' in bad.text
    assert 'value="fortnightly"' in bad.text  # the form is kept
    jobs = []
    for resolution in ("segments:12", "segments:24"):
        answer = ana.post(
            url, data={"csrf_token": token, "resolution": resolution}, follow_redirects=False
        )
        assert answer.status_code == 303, answer.text
        found = re.fullmatch(r"/corridor/jobs/(\d+)", answer.headers["location"])
        assert found
        jobs.append(int(found.group(1)))
    assert runner.sent == jobs
    first, second = (ana.get(f"/corridor/jobs/{j}").text for j in jobs)
    assert "next to start" in first and "1 job ahead of it" in second
    study = re.search(r'<a href="(/corridor/studies/[^"]+)" id="job-study">', second)
    assert study, "the job page does not link its study"
    page = ana.get(study.group(1)).text
    assert "segments:24" in page and "ana (from page" in page
    listing = ana.get("/corridor").text
    assert f'href="/corridor/jobs/{jobs[1]}"' in listing
    viewer = browser_as("viewer", username="vic")
    refused = viewer.post(url, data={"csrf_token": csrf_of(viewer.get("/").text)})
    assert refused.status_code == 403


def test_a_study_has_a_discussion_thread(
    settings: Settings, browser_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    cli_study(settings, "cli-run", 2e10)
    vic = browser_as("viewer", username="vic")
    token = csrf_of(vic.get("/corridor/studies/cli-run").text)
    url = "/corridor/studies/cli-run/comments"
    empty = vic.post(url, data={"csrf_token": token, "body": "   "})
    assert empty.status_code == 422 and 'id="comment-error"' in empty.text
    said = vic.post(
        url,
        data={"csrf_token": token, "body": "Why is the **cable** 0 MW? <script>x</script>"},
        follow_redirects=False,
    )
    assert said.status_code == 303
    assert re.fullmatch(r"/corridor/studies/cli-run#comment-\d+", said.headers["location"])
    public = anon_client.get("/corridor/studies/cli-run").text
    thread = public[public.index('id="comments"') :]
    assert "<strong>vic</strong>" in thread and "<strong>cable</strong>" in thread
    assert "<script>x" not in thread and "&lt;script&gt;" in thread
    assert "Sign in</a> to comment" in thread
    assert anon_client.post(url, data={"body": "hi"}).status_code == 401
