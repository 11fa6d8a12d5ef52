"""The risk JSON API: ranking, country profile, recomputation with custom weights."""

from __future__ import annotations

import bisect

import pytest
from fastapi.testclient import TestClient

API = "/api/v1/risk"


def test_ranking_profile_and_recompute(client: TestClient) -> None:
    r = client.get(f"{API}/rankings", params={"preset": "hub", "top": 5})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["preset"] == "hub" and len(body["rows"]) == 5
    first = body["rows"][0]
    assert first["iso3"] == "SOM" and first["rank"] == 1
    assert first["rank_low"] <= first["rank_median"] <= first["rank_high"]
    assert first["completeness"] == 0.75 and set(first["pillars"]) == {
        "climate",
        "conflict",
        "displacement",
        "readiness",
    }

    p = client.get(f"{API}/countries/TCD", params={"run_id": body["id"]})
    assert p.status_code == 200, p.text
    prof = p.json()
    assert prof["iso3"] == "TCD" and prof["rank_low"] <= prof["rank_median"] <= prof["rank_high"]
    pillars = {c["code"]: c for c in prof["tree"]["children"]}
    assert pillars["climate"]["children"][0]["raw"] > 0.6  # ND-GAIN vulnerability of Chad
    total = sum(c["contribution"] or 0.0 for c in pillars.values())
    assert total == pytest.approx(prof["score"])  # contributions add up to the score

    c = client.post(
        f"{API}/rankings", json={"preset": "hub", "weights": {"conflict": 3}, "draws": 100}
    )
    assert c.status_code == 201, c.text
    custom = c.json()
    assert custom["id"] != body["id"]
    assert custom["settings"]["model"]["root"]["weights"] == [1.0, 3.0, 1.0, 1.0]
    assert client.get(f"{API}/runs/{custom['id']}/reproduce").json()["reproduced"] is True
    stored = client.get(f"{API}/runs/{custom['id']}").json()
    assert any("no data given" in n and "displacement" in n for n in stored["notes"])
    assert [x["id"] for x in client.get(f"{API}/runs").json()][:2] == [custom["id"], body["id"]]


def test_errors_are_sentences(client: TestClient) -> None:
    r = client.post(f"{API}/rankings", json={"weights": {"conflcit": 1}})
    assert r.status_code == 422 and "Unknown weight code(s) conflcit" in r.json()["detail"]
    r = client.get(f"{API}/rankings", params={"preset": "inform"})
    assert r.status_code == 422 and "needs an INFORM Risk sheet" in r.json()["detail"]
    assert client.get(f"{API}/runs/987654").status_code == 404
    r = client.get(f"{API}/countries/ZZZ")
    assert r.status_code == 404 and "No country ZZZ" in r.json()["detail"]
    assert client.get(f"{API}/presets").json()[0]["name"] == "hub"


def test_recompute_with_supplied_displacement_and_thresholds(client: TestClient) -> None:
    obs = [{"iso3": "TCD", "year": 2024, "indicator": "displaced_persons", "value": 2e6}]
    body = {"observations": obs, "draws": 50, "thresholds": [3, 5, 7, 9], "top": 200}
    r = client.post(f"{API}/rankings", json=body)
    assert r.status_code == 201, r.text
    rows = {x["iso3"]: x for x in r.json()["rows"]}
    assert rows["TCD"]["completeness"] == 1.0 and rows["TCD"]["pillars"]["displacement"] > 0
    assert rows["SOM"]["score"] == pytest.approx(8.39556, abs=1e-5)
    assert rows["SOM"]["risk_class"] == "High"  # 7 <= 8.40 < 9 under the supplied thresholds
    labels = ["Very low", "Low", "Medium", "High", "Very high"]
    expected = labels[bisect.bisect_right([3, 5, 7, 9], rows["TCD"]["score"])]
    assert rows["TCD"]["risk_class"] == expected
    dup = client.post(f"{API}/rankings", json={"observations": obs + obs})
    assert dup.status_code == 422 and "a second value for TCD 2024" in dup.json()["detail"]
    bad = client.post(f"{API}/rankings", json={"observations": [{**obs[0], "iso3": "chad"}]})
    assert bad.status_code == 422
