"""Score, simulate and tabulate in one call; serialise inputs so a result can be
reproduced exactly. Pure: no database, web or files."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from bakuhub.risk.explain import explain
from bakuhub.risk.index import IndexResult, IndicatorData, score_index
from bakuhub.risk.montecarlo import RankInterval, rank_intervals
from bakuhub.risk.spec import IndexModel, Indicator, nodes


@dataclass(frozen=True)
class Outcome:
    """A scored index with its rank intervals and the data it was computed from."""

    data: IndicatorData
    result: IndexResult
    intervals: RankInterval

    def explain(self, iso3: str) -> dict[str, Any]:
        """Explanation of one country (see :func:`bakuhub.risk.explain.explain`)."""
        return explain(self.result, self.data, iso3, self.intervals)


def run(model: IndexModel, data: IndicatorData) -> Outcome:
    """Score every country and run the model's Monte Carlo."""
    result = score_index(model, data)
    intervals, _ = rank_intervals(result)
    return Outcome(data=data, result=result, intervals=intervals)


def _num(x: float, digits: int = 6) -> float | None:
    return None if math.isnan(x) else round(float(x), digits)


def table(outcome: Outcome, top: int | None = None) -> list[dict[str, Any]]:
    """Rows of the ranking, best rank first, unranked countries last (by ISO3).

    Each row: iso3, name, score, rank, rank_median, rank_low, rank_high, class,
    completeness and the score of each pillar.
    """
    r, iv = outcome.result, outcome.intervals
    pillars = [n.code for n in nodes(r.model.root) if n is not r.model.root]
    order = sorted(
        range(len(r.countries)),
        key=lambda j: (
            math.isnan(r.rank[j]),
            0.0 if math.isnan(r.rank[j]) else r.rank[j],
            r.countries[j],
        ),
    )
    rows = []
    for j in order:
        rank = r.rank[j]
        rows.append(
            {
                "iso3": r.countries[j],
                "name": r.names[j],
                "score": _num(r.score[j]),
                "rank": None if math.isnan(rank) else int(rank),
                "rank_median": None if math.isnan(iv.median[j]) else int(iv.median[j]),
                "rank_low": None if math.isnan(iv.low[j]) else int(iv.low[j]),
                "rank_high": None if math.isnan(iv.high[j]) else int(iv.high[j]),
                "class": r.classes[j],
                "completeness": _num(r.completeness[j], 4),
                "pillars": {p: _num(r.node_scores[p][j]) for p in pillars},
            }
        )
    return rows[:top] if top else rows


def data_to_dict(data: IndicatorData) -> dict[str, Any]:
    """JSON-ready form of the exact inputs (NaN written as ``null``)."""

    def arr(a: np.ndarray) -> list[float | None]:
        return [None if math.isnan(x) else float(x) for x in a.tolist()]

    return {
        "countries": list(data.countries),
        "names": list(data.names),
        "indicators": {
            code: {
                "name": m.name,
                "source": m.source,
                "unit": m.unit,
                "higher_is_worse": m.higher_is_worse,
                "vintage": m.vintage,
            }
            for code, m in data.indicators.items()
        },
        "values": {code: arr(v) for code, v in data.values.items()},
        "years": {code: arr(v) for code, v in data.years.items()},
        "population": None if data.population is None else arr(data.population),
    }


def data_from_dict(d: dict[str, Any]) -> IndicatorData:
    """Inverse of :func:`data_to_dict`."""

    def arr(xs: list[float | None]) -> np.ndarray:
        return np.array([np.nan if x is None else x for x in xs], dtype=np.float64)

    return IndicatorData(
        countries=tuple(d["countries"]),
        names=tuple(d["names"]),
        indicators={code: Indicator(code=code, **m) for code, m in d["indicators"].items()},
        values={code: arr(v) for code, v in d["values"].items()},
        years={code: arr(v) for code, v in d["years"].items()},
        population=None if d["population"] is None else arr(d["population"]),
    )


def digest(obj: Any) -> str:
    """SHA-256 of the canonical JSON of ``obj`` (sorted keys, no spaces)."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
