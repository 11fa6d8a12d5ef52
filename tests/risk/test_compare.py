"""Comparing two runs (issue 20): the settings that differ are named, the movers are
listed largest move first with the indicator contributions that changed, and a
missing run is a clear 404."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub.errors import NotFound
from bakuhub.risk import service
from bakuhub.risk.compare import Side, compare, settings_items, to_dict
from bakuhub.risk.index import IndicatorData, score_index
from bakuhub.risk.spec import IndexModel, Indicator, Node, Treatment, model_to_dict, with_weights

# four countries, two pillars of one indicator each (scores = raw values, 0-10)
CLIMATE = [8.0, 6.0, 2.0, 1.0]
CONFLICT = [0.0, 1.0, 9.0, 3.0]


def data() -> IndicatorData:
    values = {"heat": np.array(CLIMATE), "war": np.array(CONFLICT)}
    return IndicatorData(
        countries=("AAA", "BBB", "CCC", "DDD"),
        names=("Aland", "Bland", "Cland", "Dland"),
        indicators={c: Indicator(c, f"{c} indicator", "t", "pts", True, "t") for c in values},
        values=values,
        years={c: np.full(4, 2020.0) for c in values},
    )


def model() -> IndexModel:
    return IndexModel(
        name="t",
        title="Test",
        treatments=(Treatment("heat", goalposts=(0, 10)), Treatment("war", goalposts=(0, 10))),
        root=Node(
            "root",
            "Test",
            (
                Node("climate", "Climate", ("heat",), (1.0,)),
                Node("conflict", "War", ("war",), (1.0,)),
            ),
            (1.0, 1.0),
        ),
    )


def side(label: str, m: IndexModel, digest: str = "d" * 64) -> Side:
    d = data()
    settings = {"model": model_to_dict(m), "window": {"end": 2024, "years": 10}}
    return Side(label, settings, digest, score_index(m, d), {"heat": "Heat", "war": "War"})


def test_one_weight_changed_is_named_with_the_movers() -> None:
    base = model()
    heavier = replace(base, root=with_weights(base.root, {"conflict": 3.0}))
    c = compare(side("A", base), side("B", heavier))
    assert [(d.setting, d.a, d.b) for d in c.differences] == [
        ("weight of conflict in root", "1", "3")
    ]
    # A: risk = (heat + war) / 2 = 4, 3.5, 5.5, 2 -> ranks CCC 1, AAA 2, BBB 3, DDD 4
    # B: risk = (heat + 3 war) / 4 = 2, 2.25, 7.25, 2.5 -> CCC 1, DDD 2, BBB 3, AAA 4
    moves = {m.iso3: (m.rank_a, m.rank_b, m.move) for m in c.moves}
    assert moves == {"AAA": (2, 4, -2), "DDD": (4, 2, 2), "BBB": (3, 3, 0), "CCC": (1, 1, 0)}
    assert [m.iso3 for m in c.moves][:2] == ["AAA", "DDD"]  # largest |move| first
    assert c.moved == 2 and c.same_index
    why = c.moves[0].drivers[0]  # AAA: heat's part fell from 4 to 2 points
    assert (why.code, why.name) == ("heat", "Heat")
    assert (why.points_a, why.points_b, why.change) == (4.0, 2.0, -2.0)
    for m in c.moves:  # the parts add up to the change of the score
        assert sum(d.change for d in m.drivers) == pytest.approx(m.score_b - m.score_a)


def test_same_settings_other_data() -> None:
    c = compare(side("A", model(), "a" * 64), side("B", model(), "b" * 64))
    assert [d.setting for d in c.differences] == ["data (SHA-256 of the inputs)"]
    assert c.moved == 0


def test_aggregation_and_other_settings_are_named() -> None:
    base = model()
    geo = replace(base, root=replace(base.root, aggregation="geometric", offset=1.0))
    c = compare(side("A", base), side("B", geo))
    named = {d.setting for d in c.differences}
    assert named == {"aggregation of root", "geometric offset of root"}
    items = settings_items({"model": model_to_dict(base), "window": {"end": 2024, "years": 10}})
    assert items["window.years"] == "10" and items["goalposts of war"] == "[0, 10]"
    assert items["montecarlo.draws"] == "1000"


def test_stored_runs_compared(session: Session) -> None:
    a = service.rank(session=session, preset="hub", draws=20)
    b = service.rank(session=session, preset="hub", weights={"conflict": 2.0}, draws=20)
    c = service.compare_runs(session=session, a=a.id, b=b.id)
    assert [d.setting for d in c.differences] == ["weight of conflict in hub"]
    assert c.a.startswith(f"Run {a.id}: ") and c.b.startswith(f"Run {b.id}: ")
    top = c.moves[0]
    stored = {s.iso3: s.rank for s in a.scores}, {s.iso3: s.rank for s in b.scores}
    assert (top.rank_a, top.rank_b) == (stored[0][top.iso3], stored[1][top.iso3])
    assert abs(top.move) == max(abs(m.move) for m in c.moves) > 0
    assert c.moved == sum(stored[0][k] != stored[1][k] for k in stored[0] if stored[0][k])
    out = to_dict(c, top=5)
    assert len(out["moves"]) == 5 and not any(
        isinstance(v, float) and math.isnan(v) for m in out["moves"] for v in m.values()
    )
    with pytest.raises(NotFound, match="No risk run 999999"):
        service.compare_runs(session=session, a=a.id, b=999_999)


def test_compare_api_and_page(client: TestClient, session: Session) -> None:
    a = service.rank(session=session, preset="hub", draws=20)
    b = service.rank(session=session, preset="hub", weights={"climate": 3.0}, draws=20)
    session.commit()
    body = client.get("/api/v1/risk/compare", params={"a": a.id, "b": b.id, "top": 3}).json()
    assert body["differences"] == [{"setting": "weight of climate in hub", "a": "1", "b": "3"}]
    assert len(body["moves"]) == 3 and body["moved"] > 0
    assert client.get("/api/v1/risk/compare", params={"a": a.id, "b": 0}).status_code == 422
    missing = client.get("/api/v1/risk/compare", params={"a": a.id, "b": 999_999})
    assert missing.status_code == 404 and "No risk run 999999" in missing.json()["detail"]
    page = client.get("/risk/compare", params={"a": a.id, "b": b.id})
    assert page.status_code == 200 and "weight of climate in hub" in page.text
    gone = client.get("/risk/compare", params={"a": a.id, "b": 999_999})
    assert gone.status_code == 404 and "No risk run 999999" in gone.text
    bad = client.get("/risk/compare", params={"a": "x1", "b": b.id})
    assert bad.status_code == 422 and "Run A: &#39;x1&#39; is not the number" in bad.text
