"""The construction choices (normalisation, outlier treatment, imputation,
aggregation) through the JSON API and the CLI (issue 20): the same choice gives the
same scores either way, a stored run records the choices and reproduces, and a value
that is not a choice is refused (422 naming the field; exit 2 naming the option)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bakuhub.cli.risk import app

API = "/api/v1/risk"
PICKED = {"normalisation": "zscore", "outlier": "winsor", "aggregation": "arithmetic"}
"""Each unlike the Hub index's own (min-max, clip or Winsorise, geometric mean)."""
runner = CliRunner()


def _scores(rows: list[dict[str, object]]) -> dict[str, object]:
    return {str(r["iso3"]): r["score"] for r in rows}


def test_the_api_records_the_choices_and_reproduces_them(client: TestClient) -> None:
    default = client.post(f"{API}/rankings", json={"draws": 20})
    picked = client.post(f"{API}/rankings", json={"draws": 20, **PICKED})
    assert default.status_code == picked.status_code == 201, picked.text
    run = picked.json()
    model = run["settings"]["model"]
    assert {t["normalisation"] for t in model["treatments"]} == {"zscore"}
    assert {t["outlier"] for t in model["treatments"]} == {"winsor"}
    assert model["root"]["aggregation"] == "arithmetic"
    assert model["imputation"] == "none"  # not given: the preset's own
    assert _scores(run["rows"]) != _scores(default.json()["rows"])
    assert client.get(f"{API}/runs/{run['id']}/reproduce").json()["reproduced"] is True
    again = client.post(f"{API}/rankings", json={"draws": 20, **PICKED}).json()
    assert again["id"] == run["id"]  # same settings and inputs: the stored run


def test_the_cli_gives_the_api_scores_for_the_same_choices(client: TestClient) -> None:
    body = {"draws": 20, "preset": "ndgain", "normalisation": "rank", "imputation": "em"}
    api = client.post(f"{API}/rankings", json=body)
    assert api.status_code == 201, api.text
    args = ["rank", "--json", "--preset", "ndgain", "--draws", "20"]
    cli = runner.invoke(app, [*args, "--normalisation", "rank", "--imputation", "em"])
    assert cli.exit_code == 0, cli.output
    rows = json.loads(cli.output)
    assert _scores(rows) == _scores(api.json()["rows"])
    plain = runner.invoke(app, args)
    assert _scores(json.loads(plain.output)) != _scores(rows)  # the choice did something
    assert len(rows) == 192  # EM fills the countries ND-GAIN leaves unscored


def test_a_value_that_is_not_a_choice_is_refused(client: TestClient) -> None:
    r = client.post(f"{API}/rankings", json={"normalisation": "log", "aggregation": "median"})
    assert r.status_code == 422, r.text
    text = r.text
    assert "normalisation" in text and "minmax" in text and "zscore" in text
    assert "aggregation" in text and "geometric" in text
    result = runner.invoke(app, ["rank", "--outlier", "trim"])
    assert result.exit_code == 2
    assert "--outlier" in result.output and "skew_kurt" in result.output
    result = runner.invoke(app, ["explain", "TCD", "--aggregation", "harmonic"])
    assert result.exit_code == 2 and "'harmonic' is not one of" in result.output
