"""Score every country with an index model: the steps of :mod:`bakuhub.risk.steps`
run in order on an :class:`IndicatorData` table.

Pure: numpy only, no database, web or files.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from bakuhub.risk import impute, outliers, steps
from bakuhub.risk.impute import Mask
from bakuhub.risk.spec import IndexModel, Indicator, Node, Treatment, leaves, nodes
from bakuhub.risk.steps import Array


@dataclass(frozen=True)
class IndicatorData:
    """Raw indicator values aligned on one list of countries.

    ``values[code][j]`` is the raw value of indicator ``code`` for ``countries[j]``
    (NaN = missing) observed in ``years[code][j]``; ``population`` (persons) feeds the
    per-capita transform; ``groups[j]`` names the country's group (e.g. its UN M49
    region; ``None`` when unknown) for group-mean imputation.
    """

    countries: tuple[str, ...]
    names: tuple[str, ...]
    indicators: dict[str, Indicator]
    values: dict[str, Array]
    years: dict[str, Array]
    population: Array | None = None
    groups: tuple[str | None, ...] | None = None


@dataclass(frozen=True)
class IndexResult:
    """Everything one scoring produced, step by step, aligned on ``countries``.

    ``imputed[code][j]`` is True where the raw value of ``code`` for country ``j`` was
    filled by the model's imputation (all False with ``imputation="none"``).
    """

    model: IndexModel
    countries: tuple[str, ...]
    names: tuple[str, ...]
    transformed: dict[str, Array]
    treated: dict[str, Array]
    goalposts: dict[str, tuple[float, float]]
    indicator_scores: dict[str, Array]
    node_scores: dict[str, Array]
    risk: Array
    score: Array
    rank: Array
    classes: list[str | None]
    completeness: Array
    imputed: dict[str, Mask] = field(default_factory=dict)

    @property
    def ranked(self) -> int:
        """How many countries got a rank."""
        return int(np.sum(~np.isnan(self.rank)))

    def position(self, iso3: str) -> int:
        """Index of country ``iso3`` in the result (``KeyError`` if absent)."""
        try:
            return self.countries.index(iso3.upper())
        except ValueError:
            raise KeyError(iso3) from None


def _logged(value: float | None, shift: float) -> float | None:
    """``ln(value + shift)``: a goalpost or target carried through the skew-kurtosis
    rule's log transform; ``None`` where it is undefined."""
    if value is None or value + shift <= 0:
        return None
    return float(np.log(value + shift))


def treat(t: Treatment, y: Array) -> tuple[Array, Treatment]:
    """Outlier treatment of transformed values ``y``; returns the treated values and
    the treatment whose goalposts and target are in the treated units (when the
    skew-kurtosis rule log-transforms, they go through the same ``ln(v + shift)``;
    goalposts that fall outside its domain give way to the observed range)."""
    if t.outlier != "skew_kurt":
        return steps.treat_outliers(y, t.outlier, goalposts=t.goalposts, quantiles=t.winsor), t
    done = outliers.skew_kurt(y)
    if done.how != "log":
        return done.values, t
    posts = None
    if t.goalposts is not None:
        lo, hi = (_logged(g, done.shift) for g in t.goalposts)
        posts = None if lo is None or hi is None else (lo, hi)
    return done.values, replace(t, goalposts=posts, target=_logged(t.target, done.shift))


def score_indicator(
    model: IndexModel, data: IndicatorData, code: str
) -> tuple[Array, Array, tuple[float, float], Array]:
    """Transform, treat outliers and normalise one indicator.

    Returns the transformed values ``y``, the treated values ``y'``, the goalposts
    ``(L, U)`` used and the 0-10 scores ``s`` (see :func:`steps.normalise_by`).
    """
    t = model.treatment(code)
    meta = data.indicators[code]
    y = np.asarray(data.values[code], dtype=np.float64)
    for kind in t.transforms:
        y = steps.transform(y, kind, population=data.population)
    treated, t = treat(t, y)
    posts, scores = steps.normalise_by(
        treated,
        t.normalisation,
        goalposts=t.goalposts,
        target=t.target,
        higher_is_worse=meta.higher_is_worse,
    )
    return y, treated, posts, scores


def impute_data(model: IndexModel, data: IndicatorData) -> tuple[IndicatorData, dict[str, Mask]]:
    """The data with raw gaps filled by ``model.imputation`` (:mod:`bakuhub.risk.impute`)
    and the mask of filled cells per indicator of the tree.

    Deterministic: a sensitivity analysis may impute once per method and score many
    variants of the result with ``imputation="none"``.
    """
    needed = dict.fromkeys(leaves(model.root))
    if model.imputation == "none":
        n = len(data.countries)
        return data, {code: np.zeros(n, dtype=bool) for code in needed}
    values, flags = impute.impute_values(model, data.values, data.groups)
    return replace(data, values=values), flags


def evaluate_tree(root: Node, leaf_scores: dict[str, Array]) -> dict[str, Array]:
    """Aggregate leaf scores up the tree; returns the score of every pillar by code.

    Each pillar applies :func:`steps.aggregate` to its children with its own weights,
    aggregation, missing-data coverage and geometric offset.
    """
    out: dict[str, Array] = {}
    for node in nodes(root):
        kids = [leaf_scores[c] if c in leaf_scores else out[c] for c in node.child_codes()]
        stacked = np.stack(kids, axis=-1)
        out[node.code] = steps.aggregate(
            stacked,
            steps.normalise_weights(node.weights),
            node.aggregation,
            min_coverage=node.min_coverage,
            offset=node.offset,
        )
    return out


def effective_weights(root: Node) -> dict[str, float]:
    """Weight of each indicator in the whole index: the product of the normalised
    weights on its path, ``W_leaf = prod_{nodes on path} w / sum w``."""
    out: dict[str, float] = {}

    def walk(node: Node, factor: float) -> None:
        w = steps.normalise_weights(node.weights)
        for child, wi in zip(node.children, w, strict=True):
            if isinstance(child, str):
                out[child] = out.get(child, 0.0) + factor * float(wi)
            else:
                walk(child, factor * float(wi))

    walk(root, 1.0)
    return out


def completeness(root: Node, leaf_scores: dict[str, Array]) -> Array:
    """Share of the index's weight with data, per country: ``sum_{i present} W_i``
    with ``W_i`` the effective weights (1.0 = every indicator present)."""
    ew = effective_weights(root)
    n = len(next(iter(leaf_scores.values())))
    total = np.zeros(n)
    for code, w in ew.items():
        total += w * ~np.isnan(leaf_scores[code])
    return np.round(total, 12)


def check_data(model: IndexModel, data: IndicatorData) -> None:
    """Raise ``ValueError`` on a repeated code or an indicator the data lacks."""
    needed = leaves(model.root)
    codes = needed + [n.code for n in nodes(model.root)]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ValueError(
            f"codes must be unique in the pillar tree; repeated: {', '.join(repeated)}"
        )
    missing = [c for c in needed if c not in data.values or c not in data.indicators]
    if missing:
        raise ValueError(f"no data for indicator(s) {', '.join(missing)}")
    untreated = [c for c in needed if c not in {t.indicator for t in model.treatments}]
    if untreated:
        raise ValueError(f"no treatment stated for indicator(s) {', '.join(untreated)}")


def report(model: IndexModel, risk: Array) -> Array:
    """Reported score ``a + b R`` (``a`` = report_offset, ``b`` = report_factor)."""
    return np.asarray(model.report_offset + model.report_factor * risk, dtype=np.float64)


def score_index(model: IndexModel, data: IndicatorData) -> IndexResult:
    """Run every step for every country.

    0. imputation of missing raw values, pillar by pillar (none by default);
    1. per indicator: transform, outlier treatment, normalisation to 0-10;
    2. per pillar, bottom-up: weighted arithmetic or geometric mean with the
       missing-data rule (:func:`evaluate_tree`);
    3. reported score ``a + b R``, rank with the model's tie rule, classes by
       thresholds, completeness per country.
    """
    check_data(model, data)
    data, imputed = impute_data(model, data)
    transformed: dict[str, Array] = {}
    treated: dict[str, Array] = {}
    posts: dict[str, tuple[float, float]] = {}
    scores: dict[str, Array] = {}
    for code in dict.fromkeys(leaves(model.root)):
        transformed[code], treated[code], posts[code], scores[code] = score_indicator(
            model, data, code
        )
    node_scores = evaluate_tree(model.root, scores)
    risk = node_scores[model.root.code]
    reported = report(model, risk)
    ranks = steps.rank(
        reported,
        highest_first=model.rank_highest_first,
        ties=model.ties,
        decimals=model.rank_decimals,
    )
    classes: list[str | None] = [None] * len(data.countries)
    if model.classes is not None:
        classes = steps.classify(reported, model.classes.thresholds, model.classes.labels)
    return IndexResult(
        model=model,
        countries=data.countries,
        names=data.names,
        transformed=transformed,
        treated=treated,
        goalposts=posts,
        indicator_scores=scores,
        node_scores=node_scores,
        risk=risk,
        score=reported,
        rank=ranks,
        classes=classes,
        completeness=completeness(model.root, scores),
        imputed=imputed,
    )
