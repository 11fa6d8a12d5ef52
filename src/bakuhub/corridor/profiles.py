"""Representative days: joint clustering of hourly series, chronology, and fidelity checks.

The year is cut into 365 UTC days. Days are clustered *within each calendar month*, jointly
over all weather series (every series z-scored, so a wind lull at one node and at another
make days alike together). Each cluster becomes one representative day whose hourly values
keep the cluster's value distribution (duration representation) in the hour order of the
cluster's medoid day; days holding extreme hours are split off as their own clusters; last,
a monotone rank-block mapping puts every series back on its original duration curve. The
day-to-cluster calendar keeps the chronology for seasonal storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

QUANTILES = np.linspace(0.0, 1.0, 101)
"""Duration curves are compared at q = 0, 0.01, ..., 1 (minimum and maximum included)."""


@dataclass(frozen=True)
class RepresentativeDays:
    """Representative days with their weights and the calendar that maps days to them.

    Attributes
    ----------
    profiles
        Rows ``(day, hour)`` (day = representative-day id, hour 0-23 UTC), one column per
        series; availability in p.u., load in p.u. of its annual mean.
    calendar
        One row per calendar day (``date``, UTC) with the representative ``day`` it maps to.
    """

    profiles: pd.DataFrame
    calendar: pd.DataFrame

    @property
    def weights(self) -> pd.Series:
        """Number of calendar days each representative day stands for (sums to 365)."""
        counts = self.calendar["day"].value_counts().sort_index()
        counts.name = "weight"
        return counts


def _features(values: np.ndarray) -> np.ndarray:
    """Day-by-(hour x series) matrix of z-scored, de-duplicated series."""
    unique = np.unique(np.round(values, 9), axis=1)
    if unique.shape[1] == 0:
        raise ValueError("no series to cluster")
    std = unique.std(axis=0)
    z = (unique - unique.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return np.asarray(z.reshape(365, 24 * unique.shape[1]), dtype=float)


def _monthly_labels(features: np.ndarray, months: np.ndarray, per_month: int) -> np.ndarray:
    """Ward clusters within each month; labels numbered in order of first appearance."""
    from scipy.cluster.hierarchy import fcluster, linkage

    labels = np.empty(365, dtype=int)
    offset = 0
    for month in range(1, 13):
        days = np.flatnonzero(months == month)
        k = min(per_month, len(days))
        local = (
            fcluster(linkage(features[days], "ward"), k, "maxclust") - 1
            if k > 1
            else np.zeros(len(days), dtype=int)
        )
        labels[days] = local + offset
        offset += int(local.max()) + 1
    return _renumber(labels)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Relabel clusters 0..K-1 in order of their first calendar day (deterministic ids)."""
    _labels, first = np.unique(labels, return_index=True)
    order = labels[np.sort(first)]
    mapping = {int(old): new for new, old in enumerate(order)}
    return np.array([mapping[int(v)] for v in labels])


def _medoid(features: np.ndarray, members: np.ndarray) -> int:
    """Member day closest (Euclidean, feature space) to the cluster centroid."""
    block = features[members]
    dist = ((block - block.mean(axis=0)) ** 2).sum(axis=1)
    return int(members[int(np.argmin(dist))])


def _represent(days: np.ndarray, members: np.ndarray, medoid: int) -> np.ndarray:
    """Duration representation of one cluster, 24 x series.

    For each series the member values (n days x 24 h) are sorted and cut into 24 bins of n
    values; bin means ``b_1 <= ... <= b_24`` are placed on the hours in the rank order of the
    medoid day. The cluster mean is kept exactly: ``mean_h r_h = mean_(d,h) x_(d,h)``.
    """
    n = len(members)
    block = days[members]
    rep = np.empty(days.shape[1:])
    for s in range(days.shape[2]):
        bins = np.sort(block[:, :, s].ravel()).reshape(24, n).mean(axis=1)
        order = np.argsort(days[medoid, :, s], kind="stable")
        rep[order, s] = bins
    return rep


def _build(days: np.ndarray, features: np.ndarray, labels: np.ndarray) -> np.ndarray:
    reps = [
        _represent(
            days, np.flatnonzero(labels == c), _medoid(features, np.flatnonzero(labels == c))
        )
        for c in range(int(labels.max()) + 1)
    ]
    return np.asarray(np.clip(np.array(reps), 0.0, None), dtype=float)


def _worst_tail_day(
    days: np.ndarray, reps: np.ndarray, labels: np.ndarray, tolerance: float
) -> int | None:
    """Day to split off: the most extreme hour, in the worse tail of the series whose
    duration curve errs most, that lies in a cluster of more than one day."""
    original = days.reshape(8760, -1)
    rebuilt = reps[labels].reshape(8760, -1)
    err = np.abs(np.quantile(rebuilt, QUANTILES, axis=0) - np.quantile(original, QUANTILES, axis=0))
    if err.max() <= tolerance:
        return None
    q, s = np.unravel_index(int(err.argmax()), err.shape)
    order = np.argsort(original[:, s], kind="stable")
    if q >= len(QUANTILES) // 2:
        order = order[::-1]
    sizes = np.bincount(labels)
    for hour in order[: len(order) // 10]:
        if sizes[labels[int(hour) // 24]] > 1:
            return int(hour) // 24
    return None


def match_duration_curves(reps: np.ndarray, labels: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Rank-block mapping of representative values onto the original duration curves.

    Per series, the ``K x 24`` representative values, each weighted by its cluster size
    ``w``, are sorted; value ``i`` covering weighted ranks ``[W_i, W_i + w_i)`` becomes the mean
    of the original sorted hourly values over those ranks:
    ``r_i' = (1 / w_i) * sum_(j = W_i)^(W_i + w_i - 1) x_(j)``. The mapping is monotone (hour
    order and co-movement kept) and keeps the annual mean exactly.
    """
    weights = np.repeat(np.bincount(labels), 24).astype(int)
    flat = reps.reshape(-1, reps.shape[2]).copy()
    for s in range(flat.shape[1]):
        order = np.argsort(flat[:, s], kind="stable")
        ranks = np.concatenate([[0], np.cumsum(weights[order])])
        sums = np.concatenate([[0.0], np.cumsum(np.sort(values[:, s]))])
        flat[order, s] = (sums[ranks[1:]] - sums[ranks[:-1]]) / weights[order]
    return np.asarray(flat.reshape(reps.shape), dtype=float)


def _match_all_but(
    reps: np.ndarray, labels: np.ndarray, days: np.ndarray, own_days: tuple[int, ...]
) -> np.ndarray:
    """:func:`match_duration_curves` on every cluster but the own days, which keep their
    hours as they were (the others matched to the duration curves of the other days, so
    annual means stay exact)."""
    own = np.zeros(len(days), dtype=bool)
    own[list(own_days)] = True
    kept = np.ones(len(reps), dtype=bool)
    kept[labels[own]] = False
    reps = reps.copy()
    reps[~kept] = days[own][np.argsort(labels[own])]
    position = np.cumsum(kept) - 1
    others = days[~own].reshape(-1, days.shape[2])
    reps[kept] = match_duration_curves(reps[kept], position[labels[~own]], others)
    return reps


def cluster_days(
    hourly: pd.DataFrame,
    per_month: int = 5,
    tail_tolerance: float = 0.02,
    max_extreme_days: int = 24,
    own_days: tuple[int, ...] = (),
) -> RepresentativeDays:
    """Cluster 365 UTC days of hourly series into representative days.

    Parameters
    ----------
    hourly
        8,760 rows (UTC hours of one non-leap year), one column per series.
    per_month
        Clusters formed within each calendar month (Ward linkage, deterministic).
    tail_tolerance, max_extreme_days
        While some series' duration curve misses the original by more than
        ``tail_tolerance`` at any quantile, the day holding that series' most extreme hour
        (in the tail where it errs) becomes its own cluster, at most ``max_extreme_days``
        times.
    own_days
        Calendar days (0-364) that are each their own cluster from the start, so their
        hours stand in the model as they were (the days a real-year check found short:
        see :mod:`bakuhub.corridor.peak_days`).

    Returns
    -------
    RepresentativeDays
        Annual means are kept exactly (before rounding); the duration curve of every
        series is matched by :func:`match_duration_curves`; monthly means move a little.
    """
    import pandas as pd

    from bakuhub.errors import InvalidInput
    from bakuhub.i18n import _

    if len(hourly) != 8760 or not isinstance(hourly.index, pd.DatetimeIndex):
        raise InvalidInput(
            _(
                "hourly series have {rows} rows; give 8,760 hours of one non-leap year "
                "indexed by UTC timestamps (see bakuhub.corridor.data.loaders)."
            ).format(rows=len(hourly))
        )
    values = hourly.to_numpy(dtype=float)
    days = values.reshape(365, 24, values.shape[1])
    weather = [i for i, c in enumerate(hourly.columns) if not str(c).endswith("|load")]
    features = _features(values[:, weather] if weather else values)
    stamps = pd.DatetimeIndex(hourly.index)
    months = stamps[::24].month.to_numpy()
    labels = _monthly_labels(features, months, per_month)
    for own in sorted(set(own_days)):
        labels[own] = int(labels.max()) + 1
    labels = _renumber(labels)
    reps = _build(days, features, labels)
    for _round in range(max_extreme_days):
        day = _worst_tail_day(days, reps, labels, tail_tolerance)
        if day is None:
            break
        labels = labels.copy()
        labels[day] = int(labels.max()) + 1
        labels = _renumber(labels)
        reps = _build(days, features, labels)
    reps = _match_all_but(reps, labels, days, own_days)
    index = pd.MultiIndex.from_product([range(reps.shape[0]), range(24)], names=["day", "hour"])
    profiles = pd.DataFrame(reps.reshape(-1, values.shape[1]), index=index, columns=hourly.columns)
    calendar = pd.DataFrame({"date": stamps[::24].strftime("%Y-%m-%d"), "day": labels})
    return RepresentativeDays(profiles=profiles, calendar=calendar)


def reconstruct(rep: RepresentativeDays) -> pd.DataFrame:
    """Chronological 8,760-hour series from representative days and their calendar.

    ``x_hat[d, h] = r[c(d), h]`` with ``c(d)`` the representative day of calendar day ``d``.
    """
    import pandas as pd

    reps = rep.profiles.to_numpy().reshape(-1, 24, rep.profiles.shape[1])
    labels = rep.calendar["day"].to_numpy(dtype=int)
    index = pd.date_range(
        str(rep.calendar["date"].iloc[0]), periods=24 * len(labels), freq="h", tz="UTC"
    )
    return pd.DataFrame(
        reps[labels].reshape(-1, reps.shape[2]), index=index, columns=rep.profiles.columns
    )


def fidelity(original: pd.DataFrame, rebuilt: pd.DataFrame) -> pd.DataFrame:
    """Per-series deviation of a rebuilt series from the original.

    Columns: ``annual_mean_rel`` = |mean(x_hat)/mean(x) - 1|; ``monthly_mean_rel`` = max over
    months of the same; ``duration_abs`` = max over q in {0, 0.01, .., 1} of
    |Q_x_hat(q) - Q_x(q)|; ``correlation_abs`` = max over other series of the same carrier
    (text after ``|``) of |rho(x_hat_i, x_hat_j) - rho(x_i, x_j)| (NaN when alone).
    """
    import pandas as pd

    o = original.to_numpy(dtype=float)
    r = rebuilt[original.columns].to_numpy(dtype=float)
    months = pd.DatetimeIndex(original.index).month
    mo = pd.DataFrame(o).groupby(months).mean().to_numpy()
    mr = pd.DataFrame(r).groupby(months).mean().to_numpy()
    dur = np.abs(np.quantile(r, QUANTILES, axis=0) - np.quantile(o, QUANTILES, axis=0))
    corr_gap = np.abs(np.corrcoef(r.T) - np.corrcoef(o.T))
    carriers = np.array([str(c).split("|")[-1] for c in original.columns])
    others = (carriers[:, None] == carriers[None, :]) & ~np.eye(len(carriers), dtype=bool)
    corr = [
        float(corr_gap[i, others[i]].max()) if others[i].any() else np.nan
        for i in range(len(carriers))
    ]
    return pd.DataFrame(
        {
            "annual_mean_rel": np.abs(r.mean(axis=0) / o.mean(axis=0) - 1.0),
            "monthly_mean_rel": np.abs(mr / mo - 1.0).max(axis=0),
            "duration_abs": dur.max(axis=0),
            "correlation_abs": corr,
        },
        index=original.columns,
    )
