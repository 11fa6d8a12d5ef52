"""The scenario pages as a browser uses them (cookie sessions, CSRF tokens, the form's
own inputs as the page draws them): fork a shipped scenario, change its cable cost and
CO2 price, save; a refused field keeps the form with the sentence beside it and saves
nothing; a YAML upload is checked the same way; a change made meanwhile is told, not
overwritten; a draft is not found by others; comments stay text; a run with a refused
resolution makes no job, a good one lands on the job's page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bakuhub.corridor.scenario import shipped_scenario
from bakuhub.jobs.models import Job
from bakuhub.studies.models import Study
from bakuhub.testing import csrf_of, form_values

BASE = "/corridor/scenarios"
API = "/api/v1/corridor/scenarios"


def _form(web: TestClient, url: str) -> dict[str, Any]:
    """What the page's form sends as it is drawn (inputs, selects, ticked boxes)."""
    page = web.get(url)
    assert page.status_code == 200, page.text
    return form_values(page.text)


def _fork(web: TestClient, ref: str, **changes: str) -> Any:
    """Open the editor from reference-2030, set ``ref`` and ``changes``, save."""
    values = _form(web, f"{BASE}/new?from=reference-2030")
    values.update({"ref": ref, **changes})
    return web.post(f"{BASE}/new", data=values, follow_redirects=False)


def _jobs(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Job)) or 0)


def test_a_fork_of_a_shipped_scenario_with_a_cheaper_cable_and_a_co2_price_is_saved(
    ana: TestClient,
) -> None:
    listed = ana.get(BASE)
    assert f'href="{BASE}/new?from=reference-2030"' in listed.text
    values = _form(ana, f"{BASE}/new?from=reference-2030")
    assert values["ref"] == ["reference-2030-ana"]  # a free reference made for the fork
    assert values["costs-cable_cost"] == ["project"] and values["co2-price_eur_t"] == ["80"]
    saved = _fork(ana, "cheap-cable", **{"costs-cable_cost": "low", "co2-price_eur_t": "150"})
    assert saved.status_code == 303 and saved.headers["location"] == f"{BASE}/cheap-cable"
    record = ana.get(f"{API}/cheap-cable").json()
    assert (record["author"], record["parent"], record["published"]) == (
        "ana",
        "reference-2030",
        False,
    )
    spec, shipped = record["scenario"], shipped_scenario("reference-2030").model_dump(mode="json")
    assert spec["costs"]["cable_cost"] == "low" and spec["co2"]["price_eur_t"] == 150.0
    unchanged = {k: v for k, v in shipped.items() if k not in ("name", "costs", "co2")}
    assert {k: spec[k] for k in unchanged} == unchanged  # every other field as it was
    page = ana.get(f"{BASE}/cheap-cable").text
    assert "draft" in page and "low (1,008 EUR/MW/km)" in page and ">150<" in page
    assert f'href="{BASE}/reference-2030"' in page  # its parent


@pytest.mark.parametrize(
    ("resolution", "said"),
    [("fortnightly", "is not a resolution"), ("repdays/0", "between 1 and 24, not 0")],
)
def test_a_bad_field_keeps_the_form_with_every_error_beside_its_input(
    ana: TestClient, session: Session, resolution: str, said: str
) -> None:
    refused = _fork(ana, "bad-one", resolution=resolution, **{"co2-price_eur_t": "-5"})
    assert refused.status_code == 422
    beside = re.search(r'id="err-resolution">([^<]*)<', refused.text)
    assert beside and said in beside.group(1), refused.text[:500]
    assert 'aria-describedby="err-resolution"' in refused.text
    co2 = re.search(r'id="err-co2-price_eur_t">([^<]*)<', refused.text)
    assert co2 and "must be at least 0" in co2.group(1)  # both at once
    kept = form_values(refused.text)
    assert kept["resolution"] == [resolution] and kept["co2-price_eur_t"] == ["-5"]
    assert kept["ref"] == ["bad-one"] and kept["costs-cable_cost"] == ["project"]
    assert ana.get(f"{API}/bad-one").status_code == 404 and _jobs(session) == 0
    kept.update({"resolution": "segments:48", "co2-price_eur_t": "20"})
    fixed = ana.post(f"{BASE}/new", data=kept, follow_redirects=False)
    assert fixed.status_code == 303, fixed.text[:400]
    assert ana.get(f"{API}/bad-one").json()["scenario"]["resolution"] == "segments:48"


def test_rows_a_link_and_a_limit_are_saved_and_their_errors_placed(ana: TestClient) -> None:
    values = _form(ana, f"{BASE}/new?from=reference-2030")
    row = values["links-8-name"]
    assert row == ["CASPIAN"]
    values.update({"ref": "fixed-caspian", "links-8-mode": "fixed"})  # no capacity yet
    values.update({"limits-0-technology": "solar", "limits-0-node": "KG", "limits-0-max_mw": "x"})
    refused = ana.post(f"{BASE}/new", data=values)
    assert refused.status_code == 422
    assert re.search(r'id="err-links-8-p_nom_mw">[^<]*needs a capacity', refused.text)
    assert re.search(r'id="err-limits-0-max_mw">[^<]*write a number', refused.text)
    values.update({"links-8-p_nom_mw": "1500", "limits-0-max_mw": "2000"})
    assert ana.post(f"{BASE}/new", data=values, follow_redirects=False).status_code == 303
    spec = ana.get(f"{API}/fixed-caspian").json()["scenario"]
    assert spec["links"] == {
        "CASPIAN": {"mode": "fixed", "p_nom_mw": 1500.0, "min_mw": 0.0, "max_mw": None}
    }
    assert spec["build"]["solar"]["max_mw"] == {"KG": 2000.0}


def test_a_yaml_upload_is_checked_like_the_form(ana: TestClient) -> None:
    good = "name: uploaded-one\nyear: 2035\nco2: {price_eur_t: 40}\n"
    bad = "name: x\nyear: 2031\nresolution: fortnightly\nlinks: {CASPIAN: {p_nom_mw: -1}}\n"
    token = csrf_of(ana.get(BASE).text)

    def upload(text: str | bytes) -> Any:
        files = {"file": ("s.yaml", text, "application/yaml")}
        return ana.post(
            f"{BASE}/import", data={"csrf_token": token}, files=files, follow_redirects=False
        )

    saved = upload(good)
    assert saved.status_code == 303, saved.text[:300]
    record = ana.get(f"{API}/{saved.headers['location'].rsplit('/', 1)[1]}").json()
    assert record["scenario"]["year"] == 2035 and record["published"] is False
    refused = upload(bad)
    assert refused.status_code == 422
    for path in ("year", "resolution", "links.CASPIAN.p_nom_mw"):
        assert f"<code>{path}</code>" in refused.text, path
    assert "Nothing was saved" in refused.text
    assert "over 256 KiB" in upload(b"#" * (256 * 1024 + 1)).text


def test_a_change_made_meanwhile_is_told_and_the_values_kept(ana: TestClient) -> None:
    assert _fork(ana, "shared-draft").status_code == 303
    first = _form(ana, f"{BASE}/shared-draft/edit")
    second = dict(first)
    first["co2-price_eur_t"] = "100"
    assert ana.post(f"{BASE}/shared-draft/edit", data=first).status_code == 200  # redirected
    second["co2-price_eur_t"] = "175"
    late = ana.post(f"{BASE}/shared-draft/edit", data=second)
    assert late.status_code == 409
    assert "changed by someone else" in late.text and "version 2" in late.text
    kept = form_values(late.text)
    assert kept["co2-price_eur_t"] == ["175"] and "replace" not in kept  # not ticked
    assert ana.get(f"{API}/shared-draft").json()["scenario"]["co2"]["price_eur_t"] == 100.0
    kept["replace"] = ["2"]
    assert ana.post(f"{BASE}/shared-draft/edit", data=kept, follow_redirects=False).is_redirect
    now = ana.get(f"{API}/shared-draft").json()
    assert (now["version"], now["scenario"]["co2"]["price_eur_t"]) == (3, 175.0)


def test_a_draft_is_not_found_by_others_until_published(
    ana: TestClient, browser_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    assert _fork(ana, "quiet-draft").status_code == 303
    ben = browser_as("focal_point", party="GNB", username="ben")
    sec = browser_as("secretariat", username="sec")
    for other in (anon_client, ben):
        assert other.get(f"{BASE}/quiet-draft").status_code == 404
        assert "quiet-draft" not in other.get(BASE).text
    assert "quiet-draft" in sec.get(BASE).text
    assert ben.get(f"{BASE}/quiet-draft/edit").status_code == 404
    page = ana.get(f"{BASE}/quiet-draft").text
    assert 'name="published" value="true"' in page
    publish = {"csrf_token": csrf_of(page), "version": "1", "published": "true"}
    assert ana.post(f"{BASE}/quiet-draft/publish", data=publish).status_code == 200
    assert anon_client.get(f"{BASE}/quiet-draft").status_code == 200
    assert ben.get(f"{BASE}/quiet-draft/edit").status_code == 403  # the author's only
    assert "/edit" not in ben.get(f"{BASE}/quiet-draft").text


def test_comments_stay_text_and_need_a_sign_in(
    ana: TestClient, browser_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    assert _fork(ana, "talked-about").status_code == 303
    page = ana.get(f"{BASE}/talked-about").text
    said = "<script>alert(1)</script> **cheaper** than [[scenario:reference-2030]]"
    posted = ana.post(
        f"{BASE}/talked-about/comments",
        data={"csrf_token": csrf_of(page), "body": said},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    shown = ana.get(f"{BASE}/talked-about").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>alert" not in shown
    assert "<strong>cheaper</strong>" in shown
    assert f'href="{BASE}/reference-2030" class="mention"' in shown
    empty = ana.post(
        f"{BASE}/talked-about/comments", data={"csrf_token": csrf_of(shown), "body": "  "}
    )
    assert empty.status_code == 422 and 'id="comment-error"' in empty.text
    viewer = browser_as("viewer", username="vic")
    assert viewer.get(f"{BASE}/talked-about").status_code == 404  # a draft: not the thread
    assert anon_client.post(f"{BASE}/talked-about/comments", data={"body": "x"}).status_code == 401


class _Runner:
    """Stands in for the Dask runner: records what is handed to it."""

    def __init__(self) -> None:
        self.submitted: list[int] = []

    def submit(self, job_ids: Any) -> None:
        self.submitted += list(job_ids)

    def close(self) -> None:
        """Nothing to stop."""


def test_a_run_with_a_refused_resolution_makes_no_job_a_good_one_does(
    ana: TestClient, app: FastAPI, session: Session
) -> None:
    app.state.job_runner = _Runner()
    assert _fork(ana, "to-run", **{"costs-cable_cost": "low"}).status_code == 303
    page = ana.get(f"{BASE}/to-run").text
    data = {"csrf_token": csrf_of(page), "resolution": "repdays/0"}
    refused = ana.post(f"{BASE}/to-run/run", data=data)
    assert refused.status_code == 422 and _jobs(session) == 0
    beside = re.search(r'id="run-error"[^>]*>([^<]*)<', refused.text)
    assert beside and "between 1 and 24" in beside.group(1)
    assert 'value="repdays/0"' in refused.text
    ran = ana.post(f"{BASE}/to-run/run", data={**data, "resolution": "segments:12"})
    assert ran.status_code == 200 and re.search(r"/corridor/jobs/\d+$", str(ran.url))
    job = session.scalars(select(Job)).one()
    assert app.state.job_runner.submitted == [job.id]  # handed to the runner once
    study = session.scalars(select(Study)).one()  # listed with the studies at once
    assert (study.origin, study.scenario_ref, study.job_id) == ("page", "to-run", job.id)
    scenario = job.inputs["scenario"]
    assert (scenario["resolution"], scenario["costs"]["cable_cost"]) == ("segments:12", "low")


def test_delete_asks_first_then_removes_the_draft(ana: TestClient) -> None:
    assert _fork(ana, "short-lived").status_code == 303
    confirm = ana.get(f"{BASE}/short-lived/delete")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    data = {"csrf_token": csrf_of(confirm.text), "version": "1"}
    gone = ana.post(f"{BASE}/short-lived/delete", data=data, follow_redirects=False)
    assert gone.status_code == 303 and ana.get(f"{BASE}/short-lived").status_code == 404


def test_anyone_reads_a_shipped_scenario_and_downloads_it_as_yaml(
    anon_client: TestClient,
) -> None:
    import yaml

    page = anon_client.get(f"{BASE}/no-caspian-2030")
    assert page.status_code == 200 and "shipped" in page.text
    assert "CASPIAN" in page.text and "off: left out" in page.text  # its one link setting
    assert "/edit" not in page.text and "Add the comment" not in page.text
    got = anon_client.get(f"{BASE}/no-caspian-2030/yaml")
    assert got.headers["content-type"].startswith("application/yaml")
    spec = shipped_scenario("no-caspian-2030").model_dump(mode="json")
    assert yaml.safe_load(got.text) == spec
    assert anon_client.get(f"{BASE}/no-such-scenario").status_code == 404


def test_a_fork_keeps_the_carbon_border_and_the_negotiation_choices(ana: TestClient) -> None:
    """The editor shows the CBAM and negotiation inputs filled from the shipped scenario,
    and the saved fork carries them as they were."""
    values = _form(ana, f"{BASE}/new?from=negotiation-2030")
    assert values["cbam-mode"] == ["default-factor"] and values["cbam-carbon_price_eur_t"] == ["80"]
    assert values["negotiation-cost_sharing"] == ["true"]
    assert values["negotiation-both_cables"] == ["true"]
    assert values["negotiation-near_optimal_slack"] == ["0.05"]
    values.update({"ref": "talks", "negotiation-near_optimal_slack": "0.1"})
    saved = ana.post(f"{BASE}/new", data=values, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    spec = ana.get(f"{API}/talks").json()["scenario"]
    assert spec["cbam"]["mode"] == "default-factor" and spec["cbam"]["carbon_price_eur_t"] == 80
    assert spec["negotiation"]["cost_sharing"] is True
    assert spec["negotiation"]["both_cables"] is True
    assert spec["negotiation"]["near_optimal_slack"] == 0.1


def test_the_editor_keeps_the_hydrogen_group_through_its_inputs() -> None:
    """A scenario's hydrogen and ammonia group goes through the editor's inputs (no
    hidden field now) and comes back the same, so an edit in the browser never drops it."""
    from bakuhub.corridor.scenario import parse_scenario
    from bakuhub.web.pages import corridor_scenario_form as sf

    data = shipped_scenario("reference-2030").model_dump(mode="json")
    data["molecules"] = {"enabled": True, "nodes": ["KZ_WS"], "ammonia": True}
    spec = parse_scenario(data).model_dump(mode="json")
    values = sf.form_of(spec)
    assert not [key for key in values if key.startswith("kept-")]
    assert values["molecules-nodes"] == "KZ_WS" and values["molecules-ammonia"] == "true"
    again, errors = sf.spec_of(values, ref="h2")
    assert not errors
    assert parse_scenario(again).molecules == parse_scenario(spec).molecules
