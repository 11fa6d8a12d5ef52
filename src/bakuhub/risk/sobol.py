"""Variance-based (Sobol) sensitivity indices for many outputs at once.

The design is Saltelli's: two independent base samples ``A`` and ``B`` of ``N``
points in ``d`` factors, and for each factor ``i`` the matrix ``AB_i`` (``A`` with
column ``i`` taken from ``B``): ``N (d + 2)`` model runs, drawn by SALib
(``SALib.sample.sobol``, scrambled Sobol' sequence, ``calc_second_order=False``).

The estimators are SALib's (``SALib.analyze.sobol``), written once for a whole
``(runs, outputs)`` array so 400 outputs cost one pass instead of 400 calls:

- first order, Saltelli et al. (2010), Comput. Phys. Commun. 181(2) 259-270:
  ``S1_i = mean(f(B) (f(AB_i) - f(A))) / V``;
- total order, Jansen (1999), as in Saltelli et al. (2010) table 2 (f):
  ``ST_i = mean((f(A) - f(AB_i))^2) / (2 V)``;

with ``V`` the variance of ``f`` over ``A`` and ``B`` together, after centring and
scaling every output by the mean and standard deviation of all its runs (as SALib
does). Confidence half-widths: ``z_{(1 + level) / 2}`` times the standard deviation
of the estimate over ``resamples`` bootstrap resamples of the ``N`` base rows; a
resample is a row of counts, so all of them are one matrix product.

Pure: numpy, scipy and SALib.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
EPS = float(np.finfo(float).eps)


@dataclass(frozen=True)
class SobolIndices:
    """First- and total-order indices of ``d`` factors on ``m`` outputs.

    ``s1``, ``st`` and their confidence half-widths ``s1_conf``, ``st_conf`` are
    ``(d, m)``; ``constant[k]`` is True when output ``k`` never changed (its indices
    are then 0: no factor moves it).
    """

    s1: Array
    s1_conf: Array
    st: Array
    st_conf: Array
    constant: npt.NDArray[np.bool_]
    level: float
    resamples: int


def sample(bounds: Sequence[tuple[float, float]], n: int, *, seed: int) -> Array:
    """Saltelli's design of ``n (d + 2)`` runs, one row per run (SALib's order:
    for each base row ``A``, ``AB_1`` ... ``AB_d``, ``B``), factor ``i`` uniform on
    ``bounds[i]``.

    ``n`` need not be a power of two (the Sobol' sequence is best balanced when it
    is; SALib's warning about it is silenced, the estimators stay consistent).
    """
    from SALib.sample import sobol as sobol_sample

    problem = {
        "num_vars": len(bounds),
        "names": [f"x{i}" for i in range(len(bounds))],
        "bounds": [[float(lo), float(hi)] for lo, hi in bounds],
    }
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*balance properties of Sobol.*")
        x = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    return np.asarray(x, dtype=np.float64)


def split(y: Array, d: int) -> tuple[Array, Array, Array]:
    """The runs of ``f(A)`` ``(N, m)``, ``f(AB_i)`` ``(d, N, m)`` and ``f(B)`` ``(N, m)``."""
    step = d + 2
    if y.shape[0] % step:
        raise ValueError(f"{y.shape[0]} runs is not a multiple of d + 2 = {step}")
    rows = y.reshape(y.shape[0] // step, step, -1)
    return rows[:, 0, :], np.moveaxis(rows[:, 1 : d + 1, :], 1, 0), rows[:, d + 1, :]


def _standardised(y: Array) -> tuple[Array, npt.NDArray[np.bool_]]:
    """Each output centred and scaled over all its runs; constant outputs set to 0."""
    mean = y.mean(axis=0)
    std = y.std(axis=0)
    constant = std <= EPS * np.maximum(1.0, np.abs(mean))
    return (y - mean) / np.where(constant, 1.0, std), constant


def _ratio(num: Array, var: Array) -> Array:
    """``num / var`` where the variance is above rounding, else 0 (SALib's rule)."""
    return np.divide(num, var, out=np.zeros(np.broadcast(num, var).shape), where=var > EPS)


def _terms(a: Array, ab: Array, b: Array) -> tuple[Array, Array, Array, Array]:
    """Per base row: ``a + b``, ``a^2 + b^2`` ``(N, m)`` and the summands of the
    first- and total-order numerators ``(N, d m)``."""
    n = a.shape[0]
    d, _, m = ab.shape
    first = (b[None] * (ab - a[None])).transpose(1, 0, 2).reshape(n, d * m)
    tot = (0.5 * (a[None] - ab) ** 2).transpose(1, 0, 2).reshape(n, d * m)
    return a + b, a * a + b * b, first, tot


def _estimates(terms: tuple[Array, Array, Array, Array], d: int, w: Array) -> tuple[Array, Array]:
    """S1 and ST ``(r, d, m)`` for ``r`` weightings ``w`` ``(r, N)`` of the base rows
    (a row of ones is the sample itself; a row of bootstrap counts a resample)."""
    sums, squares, first, tot = terms
    total = w.sum(axis=1)[:, None]
    mean = (w @ sums) / (2 * total)
    var = ((w @ squares) / (2 * total) - mean * mean)[:, None, :]
    s1 = _ratio(((w @ first) / total).reshape(w.shape[0], d, -1), var)
    st = _ratio(((w @ tot) / total).reshape(w.shape[0], d, -1), var)
    return s1, st


def bootstrap_counts(n: int, resamples: int, seed: int | None) -> Array:
    """``(resamples, n)`` counts of each base row in each resample, drawn as SALib
    draws them (``default_rng(seed).integers(n, size=(n, resamples))``)."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(n, size=(n, resamples))
    counts = np.zeros((resamples, n))
    for k in range(resamples):
        counts[k] = np.bincount(picks[:, k], minlength=n)
    return counts


def analyse(
    y: Array,
    d: int,
    *,
    resamples: int = 100,
    level: float = 0.95,
    seed: int | None = None,
) -> SobolIndices:
    """Sobol indices of every column of ``y`` ``(N (d + 2), m)`` (a 1-D ``y`` is one
    output), laid out as :func:`sample` draws the runs.

    Equals ``SALib.analyze.sobol.analyze(problem, y[:, k], calc_second_order=False,
    num_resamples=resamples, conf_level=level, seed=seed)`` for each column ``k``
    with a non-zero seed (tested), up to rounding.
    """
    from scipy.stats import norm

    if not 0 < level < 1:
        raise ValueError("the confidence level must be between 0 and 1")
    if resamples < 2:
        raise ValueError("at least two bootstrap resamples are needed")
    y2 = np.asarray(y, dtype=np.float64)
    y2 = y2[:, None] if y2.ndim == 1 else y2
    z, constant = _standardised(y2)
    a, ab, b = split(z, d)
    n = a.shape[0]
    terms = _terms(a, ab, b)
    s1, st = _estimates(terms, d, np.ones((1, n)))
    boot1, boot_t = _estimates(terms, d, bootstrap_counts(n, resamples, seed))
    q = float(norm.ppf(0.5 + level / 2))
    s1_conf, st_conf = q * boot1.std(axis=0, ddof=1), q * boot_t.std(axis=0, ddof=1)
    zero = constant[None, :]
    return SobolIndices(
        s1=np.where(zero, 0.0, s1[0]),
        s1_conf=np.where(zero, 0.0, s1_conf),
        st=np.where(zero, 0.0, st[0]),
        st_conf=np.where(zero, 0.0, st_conf),
        constant=constant,
        level=level,
        resamples=resamples,
    )
