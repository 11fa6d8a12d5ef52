"""Score, simulate and tabulate in one call; serialise inputs so a result can be
reproduced exactly. Pure: no database, web or files."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from bakuhub import i18n
from bakuhub.i18n import _
from bakuhub.risk.explain import explain
from bakuhub.risk.index import IndexResult, IndicatorData, score_index
from bakuhub.risk.montecarlo import RankInterval, rank_intervals
from bakuhub.risk.spec import IndexModel, Indicator, Node, leaves, model_from_dict, nodes
from bakuhub.risk.steps import normalise_weights


@dataclass(frozen=True)
class Outcome:
    """A scored index with its rank intervals and the data it was computed from."""

    data: IndicatorData
    result: IndexResult
    intervals: RankInterval

    def explain(self, iso3: str) -> dict[str, Any]:
        """Explanation of one country (see :func:`bakuhub.risk.explain.explain`)."""
        return explain(self.result, self.data, iso3, self.intervals)

    @property
    def notes(self) -> list[str]:
        """Sentences on pillars without data (see :func:`coverage_notes`)."""
        return coverage_notes(self.result, self.data)


def run(model: IndexModel, data: IndicatorData) -> Outcome:
    """Score every country and run the model's Monte Carlo."""
    result = score_index(model, data)
    intervals, _draws = rank_intervals(result)
    return Outcome(data=data, result=result, intervals=intervals)


def _part(child: str | Node, data: IndicatorData) -> tuple[str, str, list[str]]:
    """The name a reader knows a top-level child by, its label, and its indicators."""
    if isinstance(child, str):
        name = _(data.indicators[child].name)
        return name, _("{indicator} ({code})").format(indicator=name, code=child), [child]
    name = _(child.name)
    return name, _("{pillar} pillar ({code})").format(pillar=name, code=child.code), leaves(child)


def _no_data(label: str, codes: list[str], share: float, root: Node, others: str) -> str:
    words = {
        "part": label,
        "codes": ", ".join(codes),
        "share": i18n.number(share, 2),
        "rest": i18n.number(1.0 - share, 2),
        "needed": i18n.number(root.min_coverage, 2),
        "others": others,
    }
    if 1.0 - share >= root.min_coverage - 1e-12:
        return _(
            "{part}: no data given ({codes} missing for every country); its weight {share} "
            "was shared among the others in proportion to their weights ({others})."
        ).format(**words)
    return _(
        "{part}: no data given ({codes} missing for every country); without its weight "
        "{share} only {rest} of the index's weight has data, below the {needed} the index "
        "needs, so no country is ranked. Supply its data or set its weight to 0."
    ).format(**words)


def _partly(label: str, share: float, n: int, lacking: int, ranked: int) -> str:
    words = {
        "part": label,
        "lacking": lacking,
        "n": n,
        "share": i18n.number(share, 2),
        "ranked": ranked,
        "unranked": lacking - ranked,
    }
    if ranked == 0:
        return _(
            "{part}: no data for {lacking} of {n} countries; they are unranked (see completeness)."
        ).format(**words)
    if ranked == lacking:
        return _(
            "{part}: no data for {lacking} of {n} countries; they are ranked on the rest (its "
            "weight {share} shared among their other parts)."
        ).format(**words)
    return _(
        "{part}: no data for {lacking} of {n} countries; {ranked} of them are ranked on the "
        "rest (its weight {share} shared among their other parts), {unranked} are unranked "
        "(see completeness)."
    ).format(**words)


def coverage_notes(result: IndexResult, data: IndicatorData) -> list[str]:
    """Sentences on each top-level pillar (or indicator) lacking data, saying what the
    engine did with its weight.

    A pillar whose indicators have no value for any country gets: its share ``w`` of
    the root's weight was spread over the other children in proportion to their
    weights (the missing-data rule of :func:`bakuhub.risk.steps.aggregate` rescales
    the present weights to one), or, when ``1 - w`` is below the root's
    ``min_coverage``, that no country can be ranked (imputed values are reported as
    missing data with the count still scored). A pillar missing for some countries
    gets how many, and how many of them are still ranked. Empty when every pillar has
    data for every country.
    """
    root = result.model.root
    weights = normalise_weights(root.weights)
    n = len(result.countries)
    parts = [_part(c, data) for c in root.children]
    out: list[str] = []
    for k, child in enumerate(root.children):
        code = child if isinstance(child, str) else child.code
        share = float(weights[k])
        scores = (result.indicator_scores if isinstance(child, str) else result.node_scores)[code]
        missing = np.isnan(scores)
        _name, label, codes = parts[k]
        if share == 0.0:
            continue
        if _empty(data, codes) and missing.all():
            rest = 1.0 - share
            others = ", ".join(
                f"{parts[i][0]} {i18n.number(float(weights[i]) / rest, 2)}"
                for i in range(len(parts))
                if i != k and rest > 0
            )
            out.append(_no_data(label, codes, share, root, others))
        elif missing.any():
            ranked = int(np.sum(missing & ~np.isnan(result.rank)))
            out.append(_partly(label, share, n, int(missing.sum()), ranked))
    return out


def _empty(data: IndicatorData, codes: list[str]) -> bool:
    """True when none of ``codes`` has a value for any country."""
    return all(bool(np.isnan(data.values[c]).all()) for c in codes)


def stored_notes(settings: dict[str, Any], inputs: dict[str, Any]) -> list[str]:
    """:func:`coverage_notes` of a stored run, from its settings and exact inputs
    (scores it again without the Monte Carlo: milliseconds)."""
    data = data_from_dict(inputs)
    return coverage_notes(score_index(model_from_dict(settings["model"]), data), data)


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
    """JSON-ready form of the exact inputs (NaN written as ``null``), with the
    imputation groups when the data has them."""

    def arr(a: np.ndarray) -> list[float | None]:
        return [None if math.isnan(x) else float(x) for x in a.tolist()]

    out: dict[str, Any] = {
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
    if data.groups is not None:  # absent, not null, so inputs without groups keep their digest
        out["groups"] = list(data.groups)
    return out


def data_from_dict(d: dict[str, Any]) -> IndicatorData:
    """Inverse of :func:`data_to_dict`; inputs stored before groups were recorded load
    with ``groups=None`` (group-mean imputation then uses one group)."""

    def arr(xs: list[float | None]) -> np.ndarray:
        return np.array([np.nan if x is None else x for x in xs], dtype=np.float64)

    return IndicatorData(
        countries=tuple(d["countries"]),
        names=tuple(d["names"]),
        indicators={code: Indicator(code=code, **m) for code, m in d["indicators"].items()},
        values={code: arr(v) for code, v in d["values"].items()},
        years={code: arr(v) for code, v in d["years"].items()},
        population=None if d["population"] is None else arr(d["population"]),
        groups=None if d.get("groups") is None else tuple(d["groups"]),
    )


def digest(obj: Any) -> str:
    """SHA-256 of the canonical JSON of ``obj`` (sorted keys, no spaces)."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
