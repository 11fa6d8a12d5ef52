"""The steps of a composite index, one pure function each, on numpy arrays.

Missing values are ``NaN`` throughout and stay ``NaN`` through every step; the
missing-data rule is applied only in :func:`aggregate`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bakuhub.risk import outliers
from bakuhub.risk.spec import Aggregation, Normalisation, Outlier, TieMethod, Transform

Array = npt.NDArray[np.float64]


def transform(x: Array, kind: Transform, *, population: Array | None = None) -> Array:
    """Transform raw values before normalisation.

    Parameters
    ----------
    x : array of raw values (NaN = missing).
    kind : ``"none"``: ``y = x``; ``"log"``: ``y = ln x`` (x > 0, else NaN);
        ``"log10_1p"``: ``y = log10(1 + x)`` (x >= 0, else NaN), for counts with zeros;
        ``"per_100k"``: ``y = 100000 x / P`` with ``P`` the population (persons).
    population : population of each country, same shape as ``x``; needed for
        ``"per_100k"``.

    Returns
    -------
    Transformed values; NaN where the input or the population is missing or invalid.
    """
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "none":
            return x.copy()
        if kind == "log":
            return np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
        if kind == "log10_1p":
            return np.where(x >= 0, np.log10(1.0 + np.where(x >= 0, x, 0.0)), np.nan)
        if kind == "per_100k":
            if population is None:
                raise ValueError("per_100k needs the population of each country")
            pop = np.asarray(population, dtype=np.float64)
            return np.where(pop > 0, 1e5 * x / np.where(pop > 0, pop, 1.0), np.nan)
    raise ValueError(f"unknown transform {kind!r}")


def treat_outliers(
    x: Array,
    method: Outlier,
    *,
    goalposts: tuple[float, float] | None = None,
    quantiles: tuple[float, float] = (0.025, 0.975),
) -> Array:
    """Limit extreme values.

    Parameters
    ----------
    x : transformed values (NaN = missing).
    method : ``"none"``: ``y = x``; ``"clip"``: ``y = min(max(x, L), U)`` with
        ``(L, U)`` the goalposts (no-op without goalposts); ``"winsor"``:
        ``y = min(max(x, q_lo), q_hi)`` with ``q_lo``, ``q_hi`` the observed quantiles
        (linear interpolation, missing values ignored); ``"skew_kurt"``: COINr's
        rule, Winsorise up to 5 points while ``|skew| >= 2`` and ``kurtosis >= 3.5``,
        else log-transform (:func:`bakuhub.risk.outliers.skew_kurt`).
    goalposts : ``(L, U)`` for ``"clip"``, in the units of ``x``.
    quantiles : ``(p_lo, p_hi)`` in [0, 1] for ``"winsor"``.

    Returns
    -------
    Treated values, same shape; NaN stays NaN.
    """
    x = np.asarray(x, dtype=np.float64)
    if method == "none":
        return x.copy()
    if method == "clip":
        if goalposts is None:
            return x.copy()
        return np.clip(x, goalposts[0], goalposts[1])
    if method == "winsor":
        if np.all(np.isnan(x)):
            return x.copy()
        lo, hi = np.nanquantile(x, quantiles)
        return np.clip(x, lo, hi)
    if method == "skew_kurt":
        return outliers.skew_kurt(x).values
    raise ValueError(f"unknown outlier treatment {method!r}")


def goalposts_of(x: Array, goalposts: tuple[float, float] | None) -> tuple[float, float]:
    """The stated goalposts, or the observed ``(min, max)`` when none are stated."""
    if goalposts is not None:
        return goalposts
    if np.all(np.isnan(x)):
        return (0.0, 1.0)
    return (float(np.nanmin(x)), float(np.nanmax(x)))


def normalise(x: Array, goalposts: tuple[float, float], *, higher_is_worse: bool) -> Array:
    """Min-max normalisation to 0-10, oriented so that 10 is the most risk.

    Parameters
    ----------
    x : treated values (NaN = missing).
    goalposts : ``(L, U)``, the values that map to the ends of the scale.
    higher_is_worse : the indicator's direction.

    Returns
    -------
    Scores ``s = 10 (x - L) / (U - L)`` when a higher value is worse,
    ``s = 10 (U - x) / (U - L)`` when a higher value is better, clipped to ``[0, 10]``;
    when ``U == L`` every present value scores 0.
    """
    lo, hi = goalposts
    x = np.asarray(x, dtype=np.float64)
    if hi == lo:
        return np.where(np.isnan(x), np.nan, 0.0)
    s = 10.0 * (x - lo) / (hi - lo)
    if not higher_is_worse:
        s = 10.0 - s
    return np.clip(s, 0.0, 10.0)


def zscore_goalposts(x: Array) -> tuple[float, float]:
    """Goalposts ``(m - 3 sd, m + 3 sd)`` that make min-max a rescaled z-score.

    ``m`` is the mean and ``sd`` the sample standard deviation (``n - 1``, as R's
    ``sd`` and COINr's ``n_zscore``) of the present values, so ``s = 5 + 5 z / 3``:
    the mean scores 5, three standard deviations either side 0 and 10 (clipped
    beyond). Fewer than two values, or all equal: ``(m, m)``, every value scores 0.
    """
    v = x[~np.isnan(x)]
    if v.size == 0:
        return (0.0, 1.0)
    m = float(v.mean())
    sd = float(v.std(ddof=1)) if v.size > 1 else 0.0
    return (m - 3.0 * sd, m + 3.0 * sd)


def target_goalposts(
    x: Array,
    target: float | None,
    goalposts: tuple[float, float] | None,
    *,
    higher_is_worse: bool,
) -> tuple[float, float]:
    """Goalposts that make min-max the distance to a target.

    The target ``T`` scores 0 and the worst observed value ``W`` (the maximum when a
    higher value is worse, else the minimum) scores 10: ``s = 10 (x - T) / (W - T)``
    clipped to ``[0, 10]``, so every value at or beyond the target scores 0. Without
    a target ``T`` is the best goalpost (lower when a higher value is worse), or the
    best observed value without goalposts. When no value is worse than ``T`` the
    goalposts are ``(T, T)`` and every value scores 0.
    """
    v = x[~np.isnan(x)]
    if v.size == 0:
        return (0.0, 1.0)
    if target is None:
        if goalposts is not None:
            target = goalposts[0] if higher_is_worse else goalposts[1]
        else:
            target = float(v.min() if higher_is_worse else v.max())
    t = float(target)
    worst = float(v.max() if higher_is_worse else v.min())
    if (worst - t) * (1.0 if higher_is_worse else -1.0) <= 0:
        return (t, t)
    return (t, worst) if higher_is_worse else (worst, t)


def rank_scores(x: Array, *, higher_is_worse: bool) -> Array:
    """Percentile-rank normalisation: ``s = 10 (r - 1) / (n - 1)``.

    ``r`` is the rank of the value in the direction of risk (1 = least risk; tied
    values share their mean rank, R's and COINr's ``ties.method = "average"``) among
    the ``n`` present values; one value alone scores 0. NaN stays NaN.
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    present = ~np.isnan(x)
    n = int(present.sum())
    if n == 0:
        return out
    key = x[present] if higher_is_worse else -x[present]
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    mean_rank = ends - (counts - 1) / 2.0
    r = mean_rank[inverse]
    out[present] = 0.0 if n == 1 else 10.0 * (r - 1.0) / (n - 1)
    return out


def normalise_by(
    x: Array,
    method: Normalisation,
    *,
    goalposts: tuple[float, float] | None,
    target: float | None = None,
    higher_is_worse: bool,
) -> tuple[tuple[float, float], Array]:
    """Scores 0-10 (10 = most risk) by the chosen normalisation.

    ``"minmax"``: :func:`normalise` on the stated goalposts or the observed range;
    ``"zscore"``: :func:`normalise` on :func:`zscore_goalposts`; ``"target"``:
    :func:`normalise` on :func:`target_goalposts`; ``"rank"``: :func:`rank_scores`.
    All end on the same clipped 0-10 scale, so the geometric mean's ``offset`` keeps
    its meaning. Returns the goalposts used (for ``"rank"`` the observed range, for
    the record) and the scores.
    """
    if method == "minmax":
        posts = goalposts_of(x, goalposts)
    elif method == "zscore":
        posts = zscore_goalposts(x)
    elif method == "target":
        posts = target_goalposts(x, target, goalposts, higher_is_worse=higher_is_worse)
    elif method == "rank":
        return goalposts_of(x, None), rank_scores(x, higher_is_worse=higher_is_worse)
    else:
        raise ValueError(f"unknown normalisation {method!r}")
    return posts, normalise(x, posts, higher_is_worse=higher_is_worse)


def normalise_weights(weights: Sequence[float] | Array) -> Array:
    """Weights scaled to sum to one along the last axis: ``w_i / sum_j w_j``."""
    w = np.asarray(weights, dtype=np.float64)
    if np.any(w < 0):
        raise ValueError("weights must not be negative")
    total = w.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ValueError("weights must not all be zero")
    return np.asarray(w / total, dtype=np.float64)


def aggregate(
    values: Array,
    weights: Array,
    method: Aggregation,
    *,
    min_coverage: float = 1.0,
    offset: float = 0.0,
) -> Array:
    """Weighted mean of the children with the missing-data rule.

    Parameters
    ----------
    values : ``(..., n, m)`` child scores on 0-10 for ``n`` countries, ``m`` children.
    weights : ``(m,)`` or ``(..., 1, m)`` non-negative weights.
    method : ``"arithmetic"``: ``A = sum_i w_i s_i / sum_i w_i``;
        ``"geometric"``: ``G = exp(sum_i w_i ln(s_i + c) / sum_i w_i) - c``.
    min_coverage : the rule for missing data: sums run over the children with data
        (so their weights are rescaled to one within the pillar) and the result is
        NaN when their weight share ``sum_{i present} w_i / sum_i w_i`` is below this.
    offset : ``c`` of the geometric mean (0: plain geometric mean, a zero child gives 0).

    Returns
    -------
    ``(..., n)`` pillar scores.
    """
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    present = ~np.isnan(v)
    wp = np.where(present, w, 0.0)
    got = wp.sum(axis=-1)
    share = got / w.sum(axis=-1)
    safe_got = np.where(got > 0, got, 1.0)
    if method == "arithmetic":
        out = np.where(present, v, 0.0) * wp
        result = out.sum(axis=-1) / safe_got
    elif method == "geometric":
        with np.errstate(divide="ignore"):
            logs = np.log(np.where(present, v, 0.0) + offset)
        logs = np.where(wp > 0, logs, 0.0) * wp
        result = np.exp(logs.sum(axis=-1) / safe_got) - offset
    else:
        raise ValueError(f"unknown aggregation {method!r}")
    return np.where((got > 0) & (share >= min_coverage - 1e-12), result, np.nan)


def classify(
    scores: Array, classes_thresholds: Sequence[float], labels: Sequence[str]
) -> list[str | None]:
    """Name the class of each score.

    Parameters
    ----------
    scores : reported scores (NaN = missing).
    classes_thresholds : ascending thresholds ``t``.
    labels : ``len(t) + 1`` class names, lowest first.

    Returns
    -------
    ``labels[i]`` for ``t[i-1] <= s < t[i]`` (``t[-1] = -inf``, ``t[len] = +inf``);
    ``None`` for a missing score.
    """
    t = np.asarray(classes_thresholds, dtype=np.float64)
    if len(labels) != len(t) + 1:
        raise ValueError("classes need one more label than thresholds")
    if np.any(np.diff(t) <= 0):
        raise ValueError("class thresholds must increase")
    s = np.asarray(scores, dtype=np.float64)
    idx = np.digitize(np.where(np.isnan(s), 0.0, s), t, right=False)
    return [None if np.isnan(si) else labels[int(i)] for si, i in zip(s, idx, strict=True)]


def rank(
    scores: Array,
    *,
    highest_first: bool = True,
    ties: TieMethod = "min",
    decimals: int | None = None,
) -> Array:
    """Rank scores along the last axis (one ranking per row for 2-D input).

    Parameters
    ----------
    scores : ``(..., n)`` scores (NaN = missing).
    highest_first : rank 1 is the highest score (else the lowest).
    ties : ``"min"`` gives tied scores the best of their places and skips the next
        ones (1, 2, 2, 4); ``"dense"`` does not skip (1, 2, 2, 3); ``"ordinal"`` breaks
        ties by position in the input (1, 2, 3, 4).
    decimals : round the scores first, so countries equal at the published precision
        tie (``rank(round(s, d))``).

    Returns
    -------
    ``(..., n)`` ranks as floats; NaN for a missing score.
    """
    s = np.asarray(scores, dtype=np.float64)
    if decimals is not None:
        s = np.round(s, decimals)
    key = -s if highest_first else s
    missing = np.isnan(key)
    key = np.where(missing, np.inf, key)
    order = np.argsort(key, axis=-1, kind="stable")
    sorted_key = np.take_along_axis(key, order, axis=-1)
    n = s.shape[-1]
    if ties == "ordinal":
        ranks_sorted = np.broadcast_to(np.arange(1, n + 1, dtype=np.float64), sorted_key.shape)
    else:
        new_group = np.ones(sorted_key.shape, dtype=bool)
        new_group[..., 1:] = sorted_key[..., 1:] != sorted_key[..., :-1]
        if ties == "dense":
            ranks_sorted = np.cumsum(new_group, axis=-1).astype(np.float64)
        elif ties == "min":
            pos = np.where(new_group, np.arange(1, n + 1), 0)
            ranks_sorted = np.maximum.accumulate(pos, axis=-1).astype(np.float64)
        else:
            raise ValueError(f"unknown tie method {ties!r}")
    out = np.empty_like(ranks_sorted)
    np.put_along_axis(out, order, ranks_sorted, axis=-1)
    return np.where(missing, np.nan, out)
