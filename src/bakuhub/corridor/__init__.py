"""Green energy corridor: default dataset, loaders and representative days.

The model lives in this package's modules; the offline data build in ``corridor.data``
(the readers of user files, ``corridor.data.loaders``, are re-exported here).

Public API (stable, pinned by a test)::

    load_dataset(year, cable_cost="reference") -> CorridorDataset
    cable_cost_levels() -> DataFrame
    RepresentativeDays, cluster_days, reconstruct, fidelity
    read_agora_availability, read_ninja_csv, read_timeseries_csv
"""

from __future__ import annotations

from bakuhub.corridor.data.loaders import (
    read_agora_availability,
    read_ninja_csv,
    read_timeseries_csv,
)
from bakuhub.corridor.datasets import (
    CorridorDataset,
    cable_cost_levels,
    load_dataset,
    load_profiles,
)
from bakuhub.corridor.profiles import RepresentativeDays, cluster_days, fidelity, reconstruct

__all__ = [
    "CorridorDataset",
    "RepresentativeDays",
    "cable_cost_levels",
    "cluster_days",
    "fidelity",
    "load_dataset",
    "load_profiles",
    "read_agora_availability",
    "read_ninja_csv",
    "read_timeseries_csv",
    "reconstruct",
]
