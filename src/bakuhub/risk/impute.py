"""Imputation of missing raw indicator values, pillar by pillar, before any transform.

Each pillar's direct indicators form a block ``X`` (countries x indicators). A cell is
filled only when the country has at least one value in that block: a country with
no data at all in a pillar is never imputed and stays to the missing-data rule.

- ``group_mean``: the mean of the indicator over the countries of the same group
  that have a value (``IndicatorData.groups``, e.g. UN M49 regions; without groups
  every country is in one group, i.e. plain mean imputation). A label may nest levels,
  coarsest first, joined by ``" > "`` (``"Africa > Sub-Saharan Africa"``): the finest
  level with at least ``MIN_GROUP_VALUES`` values gives the mean, else the coarsest
  level with any value. A group with no value leaves the cell missing, as does a
  country whose group is unknown (``None``).
- ``regression``: for each pattern of observed indicators ``P`` (the other
  indicators of the pillar the country has), ordinary least squares
  ``x_j = b_0 + sum_{p in P} b_p x_p`` fitted on the countries with ``x_j`` and all
  of ``P``; the prediction fills the cell. Fewer fitting countries than
  coefficients: left missing.
- ``em``: maximum likelihood under a multivariate normal for the block by the EM
  algorithm (Dempster, Laird and Rubin 1977; Little and Rubin, *Statistical Analysis
  with Missing Data*, ch. 11): E-step, conditional means ``mu_m + S_mo S_oo^+ (x_o -
  mu_o)`` and conditional covariances ``S_mm - S_mo S_oo^+ S_om`` per missingness
  pattern; M-step, mean and covariance of the completed data plus those
  covariances. Bounded iterations; columns standardised first for conditioning.
  Filled cells are the conditional means at convergence.

All three follow the OECD/JRC *Handbook on Constructing Composite Indicators* (2008,
section 1.3, "Imputation of missing data"). Pure numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from bakuhub.risk.spec import Imputation, IndexModel, nodes
from bakuhub.risk.steps import Array

Mask = npt.NDArray[np.bool_]

EM_MAX_ITER = 500
EM_TOL = 1e-9
GROUP_SEP = " > "  # joins the levels of a nested group label, coarsest first
MIN_GROUP_VALUES = 3  # a finer group needs this many values to give the mean


def blocks(model: IndexModel) -> list[tuple[str, ...]]:
    """The indicator codes of each pillar (its direct indicator children), in order;
    pillars with no indicator child are left out."""
    out = []
    for node in nodes(model.root):
        codes = tuple(c for c in node.children if isinstance(c, str))
        if codes:
            out.append(codes)
    return out


Level = tuple[npt.NDArray[np.intp], int, Mask]


def _means(level: Level, x: Array, present: Mask) -> tuple[Array, Array]:
    """Per country, the mean and the number of values of its group at ``level``."""
    inverse, size, _ = level
    sums = np.bincount(inverse, weights=np.where(present, x, 0.0), minlength=size)
    weights = present.astype(np.float64)
    counts = np.asarray(np.bincount(inverse, weights=weights, minlength=size), dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        means: Array = np.where(counts > 0, sums / np.where(counts > 0, counts, 1.0), np.nan)
    return means[inverse], counts[inverse]


@lru_cache(maxsize=64)
def _levels(groups: tuple[str | None, ...]) -> tuple[Level, ...]:
    """Each level of the labels, coarsest first, as (group index per country, number
    of groups, known mask); a label with fewer levels repeats its finest, an unknown
    group is unknown at every level. Cached: each scoring with ``group_mean`` groups
    the same countries again, indicator by indicator."""
    parts = [g.split(GROUP_SEP) if g else [] for g in groups]
    depth = max((len(p) for p in parts), default=1) or 1
    out = []
    for d in range(depth):
        labels = np.array([GROUP_SEP.join(p[: min(d, len(p) - 1) + 1]) if p else "" for p in parts])
        uniq, inverse = np.unique(labels, return_inverse=True)
        out.append((inverse.ravel(), uniq.size, labels != ""))
    return tuple(out)


def group_mean(
    x: Array, groups: Sequence[str | None] | None, min_values: int = MIN_GROUP_VALUES
) -> Array:
    """Fill each NaN of ``x`` (one indicator) with the mean of its group's values: the
    finest level of a nested label with at least ``min_values`` values, else the
    coarsest level with any value."""
    x = np.asarray(x, dtype=np.float64)
    if groups is not None and len(groups) != x.size:
        raise ValueError(f"groups must give one label per country; got {len(groups)}")
    present = ~np.isnan(x)
    levels = _levels(("all",) * x.size if groups is None else tuple(groups))
    fill = np.full(x.size, np.nan)
    for depth, level in enumerate(levels):
        means, counts = _means(level, x, present)
        enough = counts > 0 if depth == 0 else counts >= min_values
        fill = np.where(enough & level[2], means, fill)
    return np.where(present, x, fill)


def regression(block: Array) -> Array:
    """Fill the NaN cells of ``block`` (n x k) by OLS on the row's observed columns."""
    x = np.asarray(block, dtype=np.float64)
    out = x.copy()
    obs = ~np.isnan(x)
    for j in range(x.shape[1]):
        gaps = ~obs[:, j] & obs.any(axis=1)
        patterns = np.unique(obs[gaps], axis=0) if gaps.any() else np.empty((0, x.shape[1]))
        for pattern in patterns.astype(bool):
            rows = gaps & np.all(obs == pattern, axis=1)
            cols = np.flatnonzero(pattern)
            fit = obs[:, j] & np.all(obs[:, cols], axis=1)
            if int(fit.sum()) < cols.size + 1:
                continue
            design = np.column_stack([np.ones(int(fit.sum())), x[np.ix_(fit, cols)]])
            coef = np.linalg.lstsq(design, x[fit, j], rcond=None)[0]
            out[rows, j] = coef[0] + x[np.ix_(rows, cols)] @ coef[1:]
    return out


def _e_step(z: Array, obs: Mask, mu: Array, cov: Array) -> tuple[Array, Array]:
    """Conditional means of the missing cells and the summed conditional covariance."""
    filled = np.where(obs, z, 0.0)
    extra = np.zeros_like(cov)
    patterns, inverse = np.unique(obs, axis=0, return_inverse=True)
    for p, pattern in enumerate(patterns.astype(bool)):
        m, o = ~pattern, pattern
        if not m.any():
            continue
        rows = np.flatnonzero(inverse.ravel() == p)
        gain = cov[np.ix_(m, o)] @ np.linalg.pinv(cov[np.ix_(o, o)])
        filled[np.ix_(rows, np.flatnonzero(m))] = mu[m] + (z[np.ix_(rows, o)] - mu[o]) @ gain.T
        extra[np.ix_(m, m)] += rows.size * (cov[np.ix_(m, m)] - gain @ cov[np.ix_(o, m)])
    return filled, extra


def em(block: Array, *, max_iter: int = EM_MAX_ITER, tol: float = EM_TOL) -> Array:
    """Fill the NaN cells of ``block`` (n x k) by normal EM; rows with no value at all
    take no part and stay empty.

    Stops when the largest change of the standardised mean and covariance is below
    ``tol``, or after ``max_iter`` iterations.
    """
    full = np.asarray(block, dtype=np.float64)
    rows = (~np.isnan(full)).any(axis=1)
    x = full[rows]
    obs = ~np.isnan(x)
    if obs.all() or x.shape[0] < 2:
        return full.copy()
    centre = np.nanmean(x, axis=0)
    scale = np.nanstd(x, axis=0)
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
    centre = np.where(np.isfinite(centre), centre, 0.0)
    z = (x - centre) / scale
    mu = np.zeros(x.shape[1])
    cov = np.eye(x.shape[1])
    filled = np.where(obs, z, 0.0)
    for _ in range(max_iter):
        filled, extra = _e_step(z, obs, mu, cov)
        new_mu = filled.mean(axis=0)
        d = filled - new_mu
        new_cov = (d.T @ d + extra) / x.shape[0]
        change = max(np.max(np.abs(new_mu - mu)), np.max(np.abs(new_cov - cov)))
        mu, cov = new_mu, new_cov
        if change < tol:
            break
    filled, _ = _e_step(z, obs, mu, cov)
    out = full.copy()
    out[rows] = np.where(obs, x, filled * scale + centre)
    return out


def impute_block(block: Array, method: Imputation, groups: Sequence[str | None] | None) -> Array:
    """Fill one pillar's block by ``method``; rows with no value stay as they are."""
    x = np.asarray(block, dtype=np.float64)
    eligible: Mask = np.asarray((~np.isnan(x)).any(axis=1), dtype=bool)
    out = x.copy()
    if method == "none" or not eligible.any():
        return out
    if method == "group_mean":
        for j in range(x.shape[1]):
            out[:, j] = group_mean(x[:, j], groups)
    elif method == "regression":
        out = regression(x)
    elif method == "em":
        out = em(x)
    else:
        raise ValueError(f"unknown imputation {method!r}")
    return np.where(eligible[:, None], out, x)


def impute_values(
    model: IndexModel,
    values: Mapping[str, Array],
    groups: Sequence[str | None] | None = None,
) -> tuple[dict[str, Array], dict[str, Mask]]:
    """Raw values with the gaps filled by ``model.imputation``, and per indicator of
    the tree a boolean mask of the cells that were filled.

    ``values`` maps every indicator of the tree to its raw values (NaN = missing);
    others are passed through untouched.
    """
    out = dict(values)
    flags: dict[str, Mask] = {}
    for codes in blocks(model):
        block = np.column_stack([np.asarray(values[c], dtype=np.float64) for c in codes])
        filled = impute_block(block, model.imputation, groups)
        for j, code in enumerate(codes):
            flags[code] = np.isnan(block[:, j]) & ~np.isnan(filled[:, j])
            out[code] = filled[:, j]
    return out, flags
