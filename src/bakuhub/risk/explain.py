"""Explain one country's score: each pillar's contribution and the raw values behind it."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bakuhub.i18n import N_
from bakuhub.risk import steps
from bakuhub.risk.index import IndexResult, IndicatorData
from bakuhub.risk.montecarlo import RankInterval
from bakuhub.risk.spec import Node


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def contributions(
    values: list[float], weights: list[float], method: str, offset: float
) -> list[float | None]:
    """Points each child adds to its pillar's score; they sum to the pillar score.

    Only children with data count and their weights are rescaled: ``w_i' = w_i /
    sum_{present} w_j``. Arithmetic: ``C_i = w_i' s_i``. Geometric: the pillar score
    ``G`` is shared in proportion to each child's term of the log-mean,
    ``C_i = G w_i' ln(s_i + c) / sum_j w_j' ln(s_j + c)`` (equal to ``G w_i'`` when the
    denominator is 0).
    """
    present = [not math.isnan(v) for v in values]
    total_w = sum(w for w, p in zip(weights, present, strict=True) if p)
    if total_w <= 0:
        return [None] * len(values)
    wn = [w / total_w if p else 0.0 for w, p in zip(weights, present, strict=True)]
    if method == "arithmetic":
        return [wi * v if p else None for wi, v, p in zip(wn, values, present, strict=True)]
    terms = [
        wi * math.log(v + offset) if p and v + offset > 0 else (-math.inf if p else 0.0)
        for wi, v, p in zip(wn, values, present, strict=True)
    ]
    if any(math.isinf(t) for t in terms):
        return [0.0 if p else None for p in present]
    g = math.exp(sum(terms)) - offset
    denom = sum(terms)
    if abs(denom) < 1e-12:
        return [g * wi if p else None for wi, p in zip(wn, present, strict=True)]
    return [g * t / denom if p else None for t, p in zip(terms, present, strict=True)]


def _indicator(result: IndexResult, data: IndicatorData, code: str, j: int) -> dict[str, Any]:
    meta = data.indicators[code]
    t = result.model.treatment(code)
    year = data.years[code][j]
    return {
        "code": code,
        "name": meta.name,
        "source": meta.source,
        "unit": meta.unit,
        "vintage": meta.vintage,
        "direction": N_("higher is worse") if meta.higher_is_worse else N_("higher is better"),
        "year": None if math.isnan(year) else int(year),
        "raw": _num(data.values[code][j]),
        "transforms": list(t.transforms),
        "transformed": _num(result.transformed[code][j]),
        "treated": _num(result.treated[code][j]),
        "goalposts": list(result.goalposts[code]),
        "score": _num(result.indicator_scores[code][j]),
    }


def _node(result: IndexResult, data: IndicatorData, node: Node, j: int) -> dict[str, Any]:
    codes = node.child_codes()
    values = [
        float(result.indicator_scores[c][j])
        if c in result.indicator_scores
        else float(result.node_scores[c][j])
        for c in codes
    ]
    weights = [float(w) for w in steps.normalise_weights(node.weights)]
    contrib = contributions(values, weights, node.aggregation, node.offset)
    used_total = sum(w for w, v in zip(weights, values, strict=True) if not math.isnan(v))
    children: list[dict[str, Any]] = []
    for child, w, v, cval in zip(node.children, weights, values, contrib, strict=True):
        body = (
            _indicator(result, data, child, j)
            if isinstance(child, str)
            else _node(result, data, child, j)
        )
        used = w / used_total if used_total > 0 and not math.isnan(v) else 0.0
        body.update({"weight": w, "weight_used": used, "value": _num(v), "contribution": cval})
        children.append(body)
    return {
        "code": node.code,
        "name": node.name,
        "aggregation": node.aggregation,
        "offset": node.offset,
        "min_coverage": node.min_coverage,
        "score": _num(float(result.node_scores[node.code][j])),
        "children": children,
    }


def explain(
    result: IndexResult,
    data: IndicatorData,
    iso3: str,
    intervals: RankInterval | None = None,
) -> dict[str, Any]:
    """A JSON-ready explanation of one country's result.

    Gives the reported score, rank (with the Monte Carlo interval when given), class,
    completeness, and the pillar tree with, at each level, each child's weight, value
    and contribution (:func:`contributions`) down to each indicator's raw value, year,
    source, transformed value, goalposts and 0-10 score.
    """
    j = result.position(iso3)
    out: dict[str, Any] = {
        "iso3": result.countries[j],
        "name": result.names[j],
        "index": result.model.name,
        "risk": _num(float(result.risk[j])),
        "score": _num(float(result.score[j])),
        "rank": _num(float(result.rank[j])),
        "ranked": int(np.sum(~np.isnan(result.rank))),
        "class": result.classes[j],
        "completeness": float(result.completeness[j]),
        "tree": _node(result, data, result.model.root, j),
    }
    if intervals is not None:
        out["rank_median"] = _num(float(intervals.median[j]))
        out["rank_low"] = _num(float(intervals.low[j]))
        out["rank_high"] = _num(float(intervals.high[j]))
        out["interval"] = intervals.level
    if result.model.report_factor != 1.0 or result.model.report_offset != 0.0:
        out["report"] = (
            f"score = {result.model.report_offset:g} + {result.model.report_factor:g} x risk"
        )
    return out
