"""Uncertainty of ranks: Monte Carlo over the weights and the aggregation choice.

All draws are evaluated at once on ``(draws, countries, children)`` arrays, so
1,000 draws over ~200 countries take milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bakuhub.risk import steps
from bakuhub.risk.index import IndexResult, report
from bakuhub.risk.spec import MonteCarlo, Node, nodes
from bakuhub.risk.steps import Array


@dataclass(frozen=True)
class RankInterval:
    """Per country: median rank and the central interval over the draws."""

    median: Array
    low: Array
    high: Array
    level: float
    draws: int


def draw_weights(weights: tuple[float, ...], mc: MonteCarlo, rng: np.random.Generator) -> Array:
    """Draws of one pillar's weights, shape ``(D, m)``.

    ``w_i^(d) = w_i u_i^(d) / sum_j w_j u_j^(d)`` with ``u ~ U(1 - spread, 1 + spread)``.
    """
    w = steps.normalise_weights(weights)
    u = rng.uniform(1.0 - mc.spread, 1.0 + mc.spread, size=(mc.draws, len(w)))
    return steps.normalise_weights(w * u)


def simulate_risk(
    root: Node,
    leaf_scores: dict[str, Array],
    valid: dict[str, Array],
    mc: MonteCarlo,
) -> Array:
    """Root risk for every draw, shape ``(D, n)``.

    For each draw ``d`` and pillar: weights from :func:`draw_weights`; for the pillars
    in ``mc.vary`` (default: the root) the aggregation drawn uniformly from
    ``mc.aggregations``, for the others their own; then :func:`steps.aggregate`. The
    missing-data rule is held at its nominal outcome (``valid[code]``, from the
    nominal weights) so a draw never drops or adds a country.
    """
    rng = np.random.default_rng(mc.seed)
    vary = {root.code} if mc.vary is None else set(mc.vary)
    out: dict[str, Array] = {}
    for node in nodes(root):
        kids = [leaf_scores[c][None, :] if c in leaf_scores else out[c] for c in node.child_codes()]
        n = max(k.shape[-1] for k in kids)
        stacked = np.stack([np.broadcast_to(k, (mc.draws, n)) for k in kids], axis=-1)
        w = draw_weights(node.weights, mc, rng)[:, None, :]
        choice = rng.integers(0, len(mc.aggregations), size=mc.draws)
        methods = mc.aggregations if node.code in vary else (node.aggregation,)
        if node.code not in vary:
            choice = np.zeros(mc.draws, dtype=np.int64)
        value = np.full((mc.draws, n), np.nan)
        for i, method in enumerate(methods):
            agg = steps.aggregate(stacked, w, method, min_coverage=0.0, offset=node.offset)
            value = np.where((choice == i)[:, None], agg, value)
        out[node.code] = np.where(valid[node.code][None, :], value, np.nan)
    return out[root.code]


def rank_intervals(result: IndexResult, mc: MonteCarlo | None = None) -> tuple[RankInterval, Array]:
    """Median rank and central ``mc.interval`` interval of each country.

    Ranks per draw use the model's tie rule on the reported score; the median and
    the bounds are the ``0.5``, ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles
    of the drawn ranks (inverted CDF, so they are ranks that occurred). Returns the
    intervals and the ``(D, n)`` ranks.
    """
    model = result.model
    mc = mc or model.montecarlo
    valid = {code: ~np.isnan(v) for code, v in result.node_scores.items()}
    risk = simulate_risk(model.root, result.indicator_scores, valid, mc)
    ranks = steps.rank(
        report(model, risk),
        highest_first=model.rank_highest_first,
        ties=model.ties,
        decimals=model.rank_decimals,
    )
    lo_q, hi_q = (1.0 - mc.interval) / 2.0, (1.0 + mc.interval) / 2.0
    n = ranks.shape[1]
    med, lo, hi = (np.full(n, np.nan) for _ in range(3))
    ok = ~np.isnan(result.risk)
    if ok.any():
        q = np.quantile(ranks[:, ok], [0.5, lo_q, hi_q], axis=0, method="inverted_cdf")
        med[ok], lo[ok], hi[ok] = q[0], q[1], q[2]
    return RankInterval(median=med, low=lo, high=hi, level=mc.interval, draws=mc.draws), ranks
