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

import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bakuhub.corridor.profiles import RepresentativeDays, cluster_days, reconstruct
from bakuhub.errors import InvalidInput

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
            f"resolution {label}: {hours} h does not divide the 8,760 hours of the year; "
            "use 1, 2, 3, 4, 6, 8, 12 or 24 h."
        )
    groups = np.arange(len(hourly)) // hours
    series = hourly.reset_index(drop=True).groupby(groups).mean()
    weight = pd.Series(float(hours), index=series.index)
    return Temporal(series, weight, weight.copy(), None, None, label)


def segments(hourly: pd.DataFrame, count: int, label: str) -> Temporal:
    """Merge adjacent hours, cheapest first, until ``count`` segments remain.

    The cost of merging neighbours ``a`` and ``b`` (sizes ``n_a``, ``n_b``, means
    ``x_a``, ``x_b`` of the z-scored series) is Ward's increase in squared error:
    ``n_a n_b / (n_a + n_b) * ||x_a - x_b||^2``.
    """
    import pandas as pd

    if not 1 <= count <= len(hourly):
        raise InvalidInput(f"resolution {label}: N must be between 1 and {len(hourly)}.")
    values = hourly.to_numpy(dtype=float)
    std = values.std(axis=0)
    z = (values - values.mean(axis=0)) / np.where(std > 0, std, 1.0)
    size = np.ones(len(z))
    mean = z.copy()
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
        _, a, b = heapq.heappop(heap)
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
    starts = np.flatnonzero(alive)
    labels = np.repeat(np.arange(len(starts)), size[starts].astype(int))
    series = hourly.reset_index(drop=True).groupby(labels).mean()
    weight = pd.Series(size[starts], index=series.index)
    return Temporal(series, weight, weight.copy(), None, None, label)


def build_temporal(
    rep: RepresentativeDays, resolution: str, hourly: pd.DataFrame | None = None
) -> Temporal:
    """The snapshots for ``resolution``; ``hourly`` (8,760 rows) if a full year is given,
    else the year rebuilt from the representative days in calendar order."""
    if resolution == "repdays" and hourly is None:
        return from_representative_days(rep, resolution)
    year = hourly if hourly is not None else reconstruct(rep)
    if resolution == "repdays":
        return from_representative_days(cluster_days(year), resolution)
    if resolution.startswith("repdays:"):
        per_month = int(resolution.split(":")[1])
        return from_representative_days(cluster_days(year, per_month=per_month), resolution)
    if resolution.startswith("segments:"):
        return segments(year, int(resolution.split(":")[1]), resolution)
    hours = 1 if resolution == "hourly" else int(resolution[:-1])
    return blocks(year, hours, resolution)
