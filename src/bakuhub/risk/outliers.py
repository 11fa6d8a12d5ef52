"""Outlier treatment by skewness and kurtosis: the rule of COINr's ``Treat()``.

The rule, with COINr's defaults (COINr 1.1, ``R/treat.R``: ``winsorise``,
``check_SkewKurt``, ``log_CT``; Becker et al., JRC Competence Centre on Composite
Indicators), which the JRC applies after the OECD/JRC *Handbook on Constructing
Composite Indicators: Methodology and User Guide* (OECD, 2008, step 3 "imputation
and outliers"):

1. an indicator *fails* when ``|G1| >= 2`` and ``G2 >= 3.5`` (COINr passes it when
   ``|G1| < 2`` or ``G2 < 3.5``);
2. while it fails and fewer than ``winmax = 5`` points were treated, the most
   extreme value(s) on the side of the skew (highest when ``G1 >= 0``) take the
   value of the next one in (Winsorisation one point at a time; tied extremes move
   together and all count);
3. if it still fails, the Winsorisation is dropped and the *original* values are
   log-transformed instead: ``y = ln(x - min x + 0.01 (max x - min x))`` (COINr's
   ``log_CT``).

``G1`` and ``G2`` are the sample skewness and excess kurtosis of type 2 in e1071's
terms, the definitions COINr and Excel (SKEW, KURT) use; see :func:`skewness` and
:func:`kurtosis`. Pure numpy; NaN (missing) values are ignored and stay NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

SKEW_LIMIT = 2.0
KURT_LIMIT = 3.5
WINMAX = 5


def skewness(x: Array) -> float:
    """Sample skewness ``G1 = g1 sqrt(n (n - 1)) / (n - 2)``, ``g1 = sqrt(n) sum d^3 /
    (sum d^2)^(3/2)``, ``d = x - mean x`` over the present values (NaN when fewer
    than 3 values or all equal)."""
    v = x[~np.isnan(x)]
    n = v.size
    d = v - v.mean() if n else v
    m2 = float(np.sum(d * d))
    if n < 3 or m2 == 0.0:
        return float("nan")
    g1 = np.sqrt(n) * float(np.sum(d**3)) / m2**1.5
    return float(g1 * np.sqrt(n * (n - 1)) / (n - 2))


def kurtosis(x: Array) -> float:
    """Sample excess kurtosis ``G2 = ((n + 1) g2 + 6) (n - 1) / ((n - 2) (n - 3))``,
    ``g2 = n sum d^4 / (sum d^2)^2 - 3`` over the present values (NaN when fewer than
    4 values or all equal)."""
    v = x[~np.isnan(x)]
    n = v.size
    d = v - v.mean() if n else v
    m2 = float(np.sum(d * d))
    if n < 4 or m2 == 0.0:
        return float("nan")
    g2 = n * float(np.sum(d**4)) / m2**2 - 3.0
    return float(((n + 1) * g2 + 6.0) * (n - 1) / ((n - 2) * (n - 3)))


def fails(x: Array, skew_limit: float = SKEW_LIMIT, kurt_limit: float = KURT_LIMIT) -> bool:
    """True when ``|G1| >= skew_limit`` and ``G2 >= kurt_limit`` (COINr's
    ``check_SkewKurt`` negated); undefined moments never fail."""
    g1, g2 = skewness(x), kurtosis(x)
    return bool(abs(g1) >= skew_limit and g2 >= kurt_limit)


@dataclass(frozen=True)
class SkewKurt:
    """Outcome of :func:`skew_kurt`.

    ``how`` is ``"none"`` (passed as it was), ``"winsor"`` (``points`` values moved)
    or ``"log"`` (``y = ln(x + shift)``, ``shift = 0.01 (max - min) - min``).
    """

    values: Array
    how: Literal["none", "winsor", "log"]
    points: int = 0
    shift: float = 0.0


def winsorise_step(x: Array) -> tuple[Array, int]:
    """Move the most extreme value(s) on the side of the skew to the next value in.

    Returns the new values and how many points were at that end before the move
    (COINr's count: every point Winsorised so far at that end, plus this one).
    """
    y = x.copy()
    present = ~np.isnan(y)
    if skewness(y) >= 0:
        top = np.nanmax(y)
        at = present & (y == top)
        rest = y[present & ~at]
        if rest.size:
            y[at] = rest.max()
        return y, int(at.sum())
    low = np.nanmin(y)
    at = present & (y == low)
    rest = y[present & ~at]
    if rest.size:
        y[at] = rest.min()
    return y, int(at.sum())


def log_ct(x: Array) -> tuple[Array, float]:
    """COINr's ``log_CT``: ``y = ln(x - min + 0.01 (max - min))``; returns ``y`` and
    the shift ``0.01 (max - min) - min`` (NaN stays NaN)."""
    lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
    shift = 0.01 * (hi - lo) - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x + shift), shift


def skew_kurt(
    x: Array,
    *,
    winmax: int = WINMAX,
    skew_limit: float = SKEW_LIMIT,
    kurt_limit: float = KURT_LIMIT,
) -> SkewKurt:
    """Treat ``x`` by the skew-kurtosis rule of the module docstring.

    At most ``winmax`` points are Winsorised (counting tied extremes, as COINr does,
    so a step may take the count past ``winmax``); if the indicator still fails, the
    original ``x`` is log-transformed with :func:`log_ct` instead.
    """
    x = np.asarray(x, dtype=np.float64)
    if not fails(x, skew_limit, kurt_limit):
        return SkewKurt(x.copy(), "none")
    y = x
    hi_count = lo_count = 0
    while fails(y, skew_limit, kurt_limit) and hi_count + lo_count < winmax:
        high = skewness(y) >= 0
        y, count = winsorise_step(y)
        if high:
            hi_count = count
        else:
            lo_count = count
    if not fails(y, skew_limit, kurt_limit):
        return SkewKurt(y, "winsor", points=hi_count + lo_count)
    logged, shift = log_ct(x)
    return SkewKurt(logged, "log", shift=shift)
