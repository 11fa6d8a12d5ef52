"""Temporal resolution: which snapshots the model solves, and what each stands for.

Three shapes:

* representative days (``repdays``, ``repdays:K``): snapshots are the hours of
  K representative days; each hour is weighted by the number of calendar days its
  day stands for, and a calendar (365 day -> representative day) keeps the
  chronology so storage can carry energy across days (see ``storage.py``);
* chronological blocks (``hourly``, ``Nh``): the year in blocks of N hours;
* segments (``segments:N``): the year cut into N chronological segments of
  varying length, adjacent hours merged where the series change least.
"""

from __future__ import annotations

import hashlib
import heapq
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bakuhub.corridor.profiles import RepresentativeDays, cluster_days, reconstruct
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Temporal:
    """The snapshots of one solve.

    Attributes
    ----------
    series
        One row per snapshot (index 0..S-1), one column per profile series
        (availability p.u.; ``NODE|load`` in p.u. of the annual mean load).
    weight
        Hours of the year each snapshot stands for (sums to 8,760 h).
    duration
        Hours one occurrence of the snapshot lasts (storage energy per MW).
    period
        Representative-day id of each snapshot, or None for a chronological year.
    calendar
        For representative days: the representative-day id of each of the 365 days.
    label
        The resolution as asked for (``repdays``, ``3h``, ...).
    """

    series: pd.DataFrame
    weight: pd.Series
    duration: pd.Series
    period: pd.Series | None
    calendar: np.ndarray | None
    label: str

    @property
    def chronological(self) -> bool:
        """True when the snapshots run through the year in order."""
        return self.period is None


def from_representative_days(rep: RepresentativeDays, label: str) -> Temporal:
    """Snapshots of representative days, weighted by the days they stand for."""
    import pandas as pd

    profiles = rep.profiles.sort_index()
    days = profiles.index.get_level_values("day").to_numpy()
    counts = rep.weights.reindex(sorted(set(days))).fillna(0.0)
    series = profiles.reset_index(drop=True)
    index = series.index
    weight = pd.Series(counts.loc[days].to_numpy(dtype=float), index=index)
    duration = pd.Series(1.0, index=index)
    period = pd.Series(days, index=index)
    calendar = rep.calendar["day"].to_numpy(dtype=int)
    return Temporal(series, weight, duration, period, calendar, label)


def blocks(hourly: pd.DataFrame, hours: int, label: str) -> Temporal:
    """The year in consecutive blocks of ``hours`` hours (means of the block)."""
    import pandas as pd

    if 8760 % hours:
        raise InvalidInput(
            _(
                "resolution {resolution}: {hours} h does not divide the 8,760 hours of the "
                "year; use 1, 2, 3, 4, 6, 8, 12 or 24 h."
            ).format(resolution=label, hours=hours)
        )
    groups = np.arange(len(hourly)) // hours
    series = hourly.reset_index(drop=True).groupby(groups).mean()
    weight = pd.Series(float(hours), index=series.index)
    return Temporal(series, weight, weight.copy(), None, None, label)


def ward_sizes(z: np.ndarray, count: int) -> np.ndarray:
    """Sizes of ``count`` chronological segments of the rows of ``z`` (Ward merging).

    Adjacent rows are merged, cheapest first, until ``count`` segments remain; the cost
    of merging neighbours ``a`` and ``b`` (sizes ``n_a``, ``n_b``, means ``x_a``, ``x_b``
    of the z-scored series) is Ward's increase in squared error:
    ``n_a n_b / (n_a + n_b) * ||x_a - x_b||^2``.
    """
    size = np.ones(len(z))
    mean = np.array(z, dtype=float)
    nxt = np.arange(1, len(z) + 1)
    prev = np.arange(-1, len(z) - 1)
    alive = np.ones(len(z), dtype=bool)

    def cost(a: int, b: int) -> float:
        d = mean[a] - mean[b]
        return float(size[a] * size[b] / (size[a] + size[b]) * d @ d)

    heap = [(cost(i, i + 1), i, i + 1) for i in range(len(z) - 1)]
    heapq.heapify(heap)
    remaining = len(z)
    while remaining > count and heap:
        _cost, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b] and nxt[a] == b):
            continue
        mean[a] = (size[a] * mean[a] + size[b] * mean[b]) / (size[a] + size[b])
        size[a] += size[b]
        alive[b] = False
        nxt[a] = nxt[b]
        if nxt[a] < len(z):
            prev[nxt[a]] = a
            heapq.heappush(heap, (cost(a, nxt[a]), a, nxt[a]))
        if prev[a] >= 0:
            heapq.heappush(heap, (cost(prev[a], a), prev[a], a))
        remaining -= 1
    sizes: np.ndarray = size[alive].astype(int)
    return sizes


def _zscore(values: np.ndarray) -> np.ndarray:
    std = values.std(axis=0)
    z: np.ndarray = (values - values.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return z


def segments(hourly: pd.DataFrame, count: int, label: str) -> Temporal:
    """The year cut into ``count`` chronological segments (see :func:`ward_sizes`)."""
    import pandas as pd

    if not 1 <= count <= len(hourly):
        raise InvalidInput(
            _("resolution {resolution}: N must be between 1 and {most}.").format(
                resolution=label, most=len(hourly)
            )
        )
    sizes = ward_sizes(_zscore(hourly.to_numpy(dtype=float)), count)
    labels = np.repeat(np.arange(len(sizes)), sizes)
    series = hourly.reset_index(drop=True).groupby(labels).mean()
    weight = pd.Series(sizes.astype(float), index=series.index)
    return Temporal(series, weight, weight.copy(), None, None, label)


def segmented_days(
    rep: RepresentativeDays, count: int, label: str, whole: frozenset[int] = frozenset()
) -> Temporal:
    """Representative days, each cut into ``count`` chronological segments.

    The hours of each representative day are merged as in :func:`ward_sizes` (on series
    z-scored over all days, so a segment boundary falls where that day's series change
    most); a segment's values are the means of its hours. The calendar and the
    storage chronology across days are those of ``rep``; a segment of ``n`` hours of a
    day standing for ``c`` calendar days weighs ``c * n`` hours and lasts ``n`` hours.
    The representative days in ``whole`` keep their 24 hours.
    """
    import pandas as pd

    if not 1 <= count <= 24:
        raise InvalidInput(
            _("resolution {resolution}: segments per day must be between 1 and 24.").format(
                resolution=label
            )
        )
    profiles = rep.profiles.sort_index()
    days = profiles.index.get_level_values("day").to_numpy()
    z = _zscore(profiles.to_numpy(dtype=float))
    counts = rep.weights
    rows: list[pd.Series] = []
    weight: list[float] = []
    duration: list[float] = []
    period: list[int] = []
    for day in sorted(set(days.tolist())):
        at = np.flatnonzero(days == day)
        sizes = ward_sizes(z[at], 24 if day in whole else count)
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        block = profiles.iloc[at]
        for start, size in zip(starts, sizes, strict=True):
            rows.append(block.iloc[start : start + size].mean())
            weight.append(float(counts.get(day, 0.0)) * float(size))
            duration.append(float(size))
            period.append(int(day))
    series = pd.DataFrame(rows).reset_index(drop=True)
    index = series.index
    calendar = rep.calendar["day"].to_numpy(dtype=int)
    return Temporal(
        series,
        pd.Series(weight, index=index),
        pd.Series(duration, index=index),
        pd.Series(period, index=index),
        calendar,
        label,
    )


KEPT_CLUSTERINGS = 8
"""Clusterings kept a process (a few MB each): a study clusters the same year with the
same own days for its sizing, its counterfactual and every solve of its analyses."""
_KEPT: OrderedDict[tuple[object, ...], RepresentativeDays] = OrderedDict()
_KEPT_LOCK = threading.Lock()


def clustered(year: pd.DataFrame, per_month: int, own_days: tuple[int, ...]) -> RepresentativeDays:
    """:func:`~bakuhub.corridor.profiles.cluster_days` of ``year``, computed once a process
    for the same series, clusters a month and own days (a copy comes back)."""
    digest = hashlib.blake2b(year.to_numpy(dtype=float).tobytes(), digest_size=16)
    digest.update(repr((list(map(str, year.columns)), str(year.index[0]))).encode())
    key = (digest.hexdigest(), per_month, tuple(sorted(set(own_days))))
    with _KEPT_LOCK:
        found = _KEPT.get(key)
        if found is not None:
            _KEPT.move_to_end(key)
    if found is None:
        found = cluster_days(year, per_month=per_month, own_days=own_days)
        with _KEPT_LOCK:
            _KEPT[key] = found
            while len(_KEPT) > KEPT_CLUSTERINGS:
                _KEPT.popitem(last=False)
    return RepresentativeDays(profiles=found.profiles.copy(), calendar=found.calendar.copy())


def build_temporal(
    rep: RepresentativeDays,
    resolution: str,
    hourly: pd.DataFrame | None = None,
    own_days: tuple[int, ...] = (),
) -> Temporal:
    """The snapshots for ``resolution``; ``hourly`` (8,760 rows) if a full year is given,
    else the year rebuilt from the representative days in calendar order.

    ``repdays`` are the shipped days (or, for a full year, days clustered 5 a month);
    ``repdays:K`` clusters K days a month; a suffix ``/S`` (``repdays/8``,
    ``repdays:2/8``) cuts each of those days into S segments. ``own_days`` (calendar
    days 0-364, representative-day resolutions only) are each their own day, at their
    24 hours, unsegmented (see :mod:`bakuhub.corridor.peak_days`).
    """
    if resolution.startswith("repdays"):
        days, _sep, per_day = resolution.partition("/")
        if days == "repdays" and hourly is None and not own_days:
            chosen = rep
        else:
            year = hourly if hourly is not None else reconstruct(rep)
            per_month = int(days.split(":")[1]) if ":" in days else 5
            chosen = clustered(year, per_month, own_days)
        if per_day:
            calendar = chosen.calendar["day"].to_numpy(dtype=int)
            whole = frozenset(int(calendar[d]) for d in own_days)
            return segmented_days(chosen, int(per_day), resolution, whole)
        return from_representative_days(chosen, resolution)
    if own_days:
        raise InvalidInput(
            _(
                "resolution {resolution}: days of their own need representative days "
                "(repdays...); a chronological resolution has every day already."
            ).format(resolution=resolution)
        )
    year = hourly if hourly is not None else reconstruct(rep)
    if resolution.startswith("segments:"):
        return segments(year, int(resolution.split(":")[1]), resolution)
    hours = 1 if resolution == "hourly" else int(resolution[:-1])
    return blocks(year, hours, resolution)
