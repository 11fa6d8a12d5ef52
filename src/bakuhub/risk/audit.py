"""Audit of an index framework, as the JRC/OECD Handbook (2008) and COINr do it.

For one scored index (:class:`~bakuhub.risk.index.IndexResult`):

- statistics of each indicator's raw values (n, missing share, mean, sd, min, max,
  skewness, kurtosis) with COINr's outlier flag;
- Pearson and Spearman correlations of the indicator scores, within and across
  pillars, with warnings for negative correlations within a pillar and redundant pairs;
- a principal component analysis of each pillar's children;
- the share of each country's score each indicator explains.

References: OECD/JRC (2008), *Handbook on Constructing Composite Indicators:
Methodology and User Guide*, OECD Publishing, doi:10.1787/9789264043466-en (step 4,
multivariate analysis); Becker W. et al., COINr (R package, CRAN), functions
``skew``, ``kurt``, ``check_SkewKurt``, ``get_corr_flags``, ``get_PCA``.

Pure: numpy only, no database, web or files.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from bakuhub import i18n
from bakuhub.i18n import _
from bakuhub.risk.explain import contributions
from bakuhub.risk.index import IndexResult, IndicatorData
from bakuhub.risk.outliers import KURT_LIMIT, SKEW_LIMIT, kurtosis, skewness
from bakuhub.risk.spec import Node, nodes
from bakuhub.risk.steps import Array

REDUNDANT = 0.9
"""COINr ``get_corr_flags`` default: |r| above 0.9 may be double counting."""
PC1_SHARE = 0.6
"""Handbook (2008) step 4: retained components should explain over 60 % of the
variance; a pillar whose first component explains less measures several things."""
SOURCE = (
    "OECD/JRC Handbook on Constructing Composite Indicators (2008), step 4; "
    "COINr (check_SkewKurt: |skew| 2, kurtosis 3.5; get_corr_flags: 0.9)"
)


@dataclass(frozen=True)
class Stats:
    """Statistics of one indicator's raw values (missing values left out).

    ``skew`` and ``kurt`` are COINr's (e1071 type 2): the adjusted Fisher-Pearson
    skewness and the bias-corrected excess kurtosis; NaN under 3 and 4 values.
    ``flagged``: |skew| >= 2 and kurt >= 3.5.
    """

    code: str
    name: str
    pillar: str
    n: int
    missing_share: float
    mean: float
    sd: float
    min: float
    max: float
    skew: float
    kurt: float
    flagged: bool


@dataclass(frozen=True)
class Pair:
    """The correlation of two series (indicators or pillars) on the countries both have."""

    a: str
    b: str
    pearson: float
    spearman: float
    n: int
    same_pillar: bool


@dataclass(frozen=True)
class Component:
    """The first principal component of one pillar's children.

    ``share`` is the part of the variance it explains (eigenvalue / number of
    children, on the correlation matrix); ``loadings`` the unit eigenvector, signed
    so that its sum is positive; ``n`` the countries with every child present.
    """

    pillar: str
    children: tuple[str, ...]
    share: float
    eigenvalues: tuple[float, ...]
    loadings: tuple[float, ...]
    n: int


@dataclass(frozen=True)
class Flag:
    """One thing an auditor should look at: its kind, what it concerns and a sentence."""

    kind: str
    codes: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Audit:
    """The whole audit of one scored index (``shares`` aligned on ``countries``)."""

    countries: tuple[str, ...]
    names: tuple[str, ...]
    rank: Array
    risk: Array
    labels: dict[str, str]
    stats: list[Stats]
    indicators: tuple[str, ...]
    pearson: Array
    spearman: Array
    pillars: tuple[str, ...]
    pillar_pearson: Array
    pairs: list[Pair]
    components: list[Component]
    shares: dict[str, Array]
    method: str
    warnings: list[Flag]


def describe(code: str, name: str, pillar: str, x: Array) -> Stats:
    """Statistics of one indicator (sample sd, ``ddof=1``)."""
    v = x[~np.isnan(x)]
    n = int(v.size)
    skew, kurt = skewness(x), kurtosis(x)
    return Stats(
        code=code,
        name=name,
        pillar=pillar,
        n=n,
        missing_share=1.0 - n / x.size if x.size else 1.0,
        mean=float(v.mean()) if n else math.nan,
        sd=float(v.std(ddof=1)) if n > 1 else math.nan,
        min=float(v.min()) if n else math.nan,
        max=float(v.max()) if n else math.nan,
        skew=skew,
        kurt=kurt,
        flagged=bool(abs(skew) >= SKEW_LIMIT and kurt >= KURT_LIMIT),
    )


def ranks(x: Array) -> Array:
    """Average ranks, 1 = smallest; ties share the mean of their places; NaN kept."""
    out = np.full(x.shape, np.nan)
    ok = ~np.isnan(x)
    _values, inverse, counts = np.unique(x[ok], return_inverse=True, return_counts=True)
    ends = np.cumsum(counts).astype(np.float64)
    out[ok] = (ends - (counts - 1) / 2.0)[inverse]
    return out


def pearson(x: Array, y: Array) -> tuple[float, int]:
    """Pearson's r on the countries with both values, and their number; NaN when
    fewer than 3 or one series is constant there."""
    ok = ~np.isnan(x) & ~np.isnan(y)
    n = int(ok.sum())
    if n < 3:
        return math.nan, n
    a, b = x[ok] - x[ok].mean(), y[ok] - y[ok].mean()
    denom = math.sqrt(float(np.sum(a * a)) * float(np.sum(b * b)))
    return (math.nan if denom == 0 else float(np.sum(a * b)) / denom), n


def spearman(x: Array, y: Array) -> float:
    """Spearman's rho: Pearson's r of the average ranks on the common countries."""
    ok = ~np.isnan(x) & ~np.isnan(y)
    return pearson(ranks(x[ok]), ranks(y[ok]))[0]


def matrix(series: dict[str, Array], codes: tuple[str, ...], rho: bool = False) -> Array:
    """Correlation matrix of ``series`` in the order of ``codes`` (1 on the diagonal
    where a series varies)."""
    k = len(codes)
    out = np.full((k, k), np.nan)
    for i in range(k):
        for j in range(i, k):
            x, y = series[codes[i]], series[codes[j]]
            out[i, j] = out[j, i] = spearman(x, y) if rho else pearson(x, y)[0]
    return out


def parent_of(root: Node) -> dict[str, str]:
    """The pillar each child (indicator or sub-pillar) sits in, by code."""
    return {code: n.code for n in nodes(root) for code in n.child_codes()}


def labels_of(root: Node, data: IndicatorData) -> dict[str, str]:
    """Readable names of the indicators and pillars, by code, in the reader's language."""
    out = {code: _(meta.name) for code, meta in data.indicators.items()}
    out.update({n.code: _(n.name) for n in nodes(root)})
    return out


def correlation_pairs(result: IndexResult, parent: dict[str, str]) -> list[Pair]:
    """Every pair of indicators with its Pearson and Spearman correlation of scores."""
    codes = list(result.indicator_scores)
    out: list[Pair] = []
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            x, y = result.indicator_scores[a], result.indicator_scores[b]
            r, n = pearson(x, y)
            out.append(Pair(a, b, r, spearman(x, y), n, parent[a] == parent[b]))
    return out


def principal_components(result: IndexResult) -> list[Component]:
    """The first principal component of each pillar with two or more children.

    PCA of the correlation matrix of the children with data, on the countries with
    every one of them present (``eigh`` of ``corrcoef``); a pillar with fewer than 3
    such countries or a constant child is left out.
    """
    out: list[Component] = []
    series = {**result.indicator_scores, **result.node_scores}
    for node in nodes(result.model.root):
        kids = tuple(c for c in node.child_codes() if not np.all(np.isnan(series[c])))
        if len(kids) < 2:
            continue
        x = np.stack([series[c] for c in kids], axis=1)
        x = x[~np.isnan(x).any(axis=1)]
        if x.shape[0] < 3 or np.any(x.std(axis=0) == 0):
            continue
        values, vectors = np.linalg.eigh(np.corrcoef(x, rowvar=False))
        values, vectors = values[::-1], vectors[:, ::-1]
        first = vectors[:, 0] * (1.0 if vectors[:, 0].sum() >= 0 else -1.0)
        out.append(
            Component(
                pillar=node.code,
                children=kids,
                share=float(values[0] / len(kids)),
                eigenvalues=tuple(float(v) for v in values),
                loadings=tuple(float(v) for v in first),
                n=int(x.shape[0]),
            )
        )
    return out


def _walk(result: IndexResult, node: Node, factor: float, j: int, out: dict[str, Array]) -> None:
    score = float(result.node_scores[node.code][j])
    if math.isnan(score) or score == 0:
        return
    codes = node.child_codes()
    values = [
        float(result.indicator_scores[c][j])
        if c in result.indicator_scores
        else float(result.node_scores[c][j])
        for c in codes
    ]
    w = np.asarray(node.weights, dtype=np.float64)
    parts = contributions(values, list(w / w.sum()), node.aggregation, node.offset)
    for child, code, part in zip(node.children, codes, parts, strict=True):
        if part is None:
            continue
        if isinstance(child, str):
            out[code][j] = factor * part / score
        else:
            _walk(result, child, factor * part / score, j, out)


def shares(result: IndexResult) -> dict[str, Array]:
    """Share of each country's 0-10 risk ``R`` that each indicator explains.

    At each pillar the children's contributions :func:`~bakuhub.risk.explain.contributions`
    (arithmetic: ``w_i' s_i``; geometric: the log decomposition ``G w_i' ln(s_i + c) /
    sum_j w_j' ln(s_j + c)``) are divided by the pillar's score, and an indicator's
    share is the product of these fractions down its path. In an all-arithmetic tree
    this is ``W_i s_i / R`` (``W_i`` the effective weight, rescaled over the indicators
    with data). The shares of a country sum to 1; NaN where it has no score (or 0).
    """
    n = len(result.countries)
    out = {code: np.full(n, np.nan) for code in result.indicator_scores}
    for j in range(n):
        _walk(result, result.model.root, 1.0, j, out)
    return out


def method_of(root: Node) -> str:
    """How the shares were computed, in words."""
    kinds = {n.aggregation for n in nodes(root)}
    if kinds == {"arithmetic"}:
        return _("arithmetic: share = effective weight x indicator score / score")
    if kinds == {"geometric"}:
        return _(
            "geometric: at a geometric pillar each child's share is its term of the log-mean, "
            "w ln(s + c) / sum w ln(s + c); at an arithmetic one w s / score; shares multiply "
            "down the tree"
        )
    return _(
        "arithmetic and geometric pillars: at a geometric pillar each child's share is its "
        "term of the log-mean, w ln(s + c) / sum w ln(s + c); at an arithmetic one w s / "
        "score; shares multiply down the tree"
    )


def _stat_warnings(stats: list[Stats], labels: dict[str, str]) -> list[Flag]:
    out: list[Flag] = []
    for s in stats:
        if s.n == 0:
            out.append(
                Flag(
                    "no-data",
                    (s.code,),
                    _(
                        "No country has data for {indicator}: its weight in {pillar} changes "
                        "nothing until data is supplied."
                    ).format(indicator=s.name, pillar=labels.get(s.pillar, s.pillar)),
                )
            )
        elif s.flagged:
            out.append(
                Flag(
                    "outliers",
                    (s.code,),
                    _(
                        "{indicator}: skewness {skew} (|skewness| limit {skew_limit}) and "
                        "kurtosis {kurt} (limit {kurt_limit}), COINr's outlier test: a few "
                        "countries dominate its scale; consider Winsorisation or a log "
                        "transform."
                    ).format(
                        indicator=s.name,
                        skew=i18n.number(s.skew, 2),
                        skew_limit=f"{SKEW_LIMIT:g}",
                        kurt=i18n.number(s.kurt, 2),
                        kurt_limit=f"{KURT_LIMIT:g}",
                    ),
                )
            )
    return out


def _pair_warnings(pairs: list[Pair], labels: dict[str, str]) -> list[Flag]:
    out: list[Flag] = []
    for p in pairs:
        a, b = labels.get(p.a, p.a), labels.get(p.b, p.b)
        if p.same_pillar and p.pearson < 0:
            out.append(
                Flag(
                    "negative",
                    (p.a, p.b),
                    _(
                        "{a} and {b} correlate negatively (r = {r}, {n} countries) in the same "
                        "pillar: a high score on one offsets the other."
                    ).format(a=a, b=b, r=i18n.number(p.pearson, 2), n=p.n),
                )
            )
        if abs(p.pearson) > REDUNDANT:
            text = (
                _(
                    "{a} and {b} correlate at r = {r} (in the same pillar; over {limit}, "
                    "COINr's get_corr_flags threshold): they may count the same thing twice."
                )
                if p.same_pillar
                else _(
                    "{a} and {b} correlate at r = {r} (across pillars; over {limit}, COINr's "
                    "get_corr_flags threshold): they may count the same thing twice."
                )
            )
            words = {"a": a, "b": b, "r": i18n.number(p.pearson, 2), "limit": f"{REDUNDANT:g}"}
            out.append(Flag("redundant", (p.a, p.b), text.format(**words)))
    return out


def _pca_warnings(components: list[Component], labels: dict[str, str]) -> list[Flag]:
    return [
        Flag(
            "weak-component",
            (c.pillar,),
            _(
                "The first principal component of {pillar} explains only {share} % of its "
                "variance (under {limit} %, the Handbook's rule): its indicators do not "
                "measure one thing."
            ).format(
                pillar=labels.get(c.pillar, c.pillar),
                share=i18n.number(c.share * 100, 0),
                limit=i18n.number(PC1_SHARE * 100, 0),
            ),
        )
        for c in components
        if c.share < PC1_SHARE
    ]


def audit(result: IndexResult, data: IndicatorData) -> Audit:
    """Audit one scored index: statistics, correlations, PCA, shares and warnings.

    Statistics are of the raw values; correlations and PCA of the indicator scores
    (0-10, oriented so that 10 is the most risk, so a negative correlation is a real
    trade-off) and of the pillar scores.
    """
    root = result.model.root
    labels = labels_of(root, data)
    parent = parent_of(root)
    codes = tuple(result.indicator_scores)
    stats = [
        describe(c, labels[c], parent[c], np.asarray(data.values[c], dtype=np.float64))
        for c in codes
    ]
    pillars = tuple(n.code for n in nodes(root))
    pairs = correlation_pairs(result, parent)
    components = principal_components(result)
    warnings = (
        _stat_warnings(stats, labels)
        + _pair_warnings(pairs, labels)
        + _pca_warnings(components, labels)
    )
    return Audit(
        countries=result.countries,
        names=result.names,
        rank=result.rank,
        risk=result.risk,
        labels=labels,
        stats=stats,
        indicators=codes,
        pearson=matrix(result.indicator_scores, codes),
        spearman=matrix(result.indicator_scores, codes, rho=True),
        pillars=pillars,
        pillar_pearson=matrix(result.node_scores, pillars),
        pairs=pairs,
        components=components,
        shares=shares(result),
        method=method_of(root),
        warnings=warnings,
    )


def _clean(x: Any) -> Any:
    if isinstance(x, float):
        return None if math.isnan(x) else round(x, 6)
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    return x


def to_dict(a: Audit) -> dict[str, Any]:
    """JSON-ready form of an audit (NaN as ``null``); shares by country ISO3."""
    out: dict[str, Any] = _clean(
        {
            "source": SOURCE,
            "limits": {
                "skew": SKEW_LIMIT,
                "kurtosis": KURT_LIMIT,
                "redundant": REDUNDANT,
                "first_component_share": PC1_SHARE,
            },
            "labels": a.labels,
            "stats": [asdict(s) for s in a.stats],
            "indicators": list(a.indicators),
            "pearson": a.pearson.tolist(),
            "spearman": a.spearman.tolist(),
            "pillars": list(a.pillars),
            "pillar_pearson": a.pillar_pearson.tolist(),
            "pairs": [asdict(p) for p in a.pairs],
            "components": [asdict(c) for c in a.components],
            "method": a.method,
            "shares": {
                iso: {c: float(a.shares[c][j]) for c in a.indicators}
                for j, iso in enumerate(a.countries)
            },
            "warnings": [asdict(w) for w in a.warnings],
        }
    )
    return out
