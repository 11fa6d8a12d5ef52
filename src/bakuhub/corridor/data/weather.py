"""The full-year hourly weather and load series of the corridor, from the upstream folder.

Used twice: by the data build (clustered into the shipped representative days) and, at run
time, by a scenario with ``weather.source: agora`` (the one entry of the model into
``corridor.data`` besides the loaders). The modelled AZ/GE/RO series need the optional
``data-build`` extra (pvlib, windpowerlib).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from bakuhub.corridor.data import assumptions

if TYPE_CHECKING:
    import pandas as pd

AGORA_DIR = Path("agora-central-asia/centralasia/input")
"""Where the Agora model inputs sit inside the shared data folder."""
PROFILE_TECH = {"PHOT": "solar", "WTON": "onwind", "WTOF": "offwind", "HROR": "ror"}
BORROWING_NODES = frozenset({"UZ_NUK"})
"""Nodes that reuse another node's Agora series (Agora has one Uzbek node)."""


def hourly_series(shared: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All hourly UTC series of the dataset, and a table saying where each comes from
    (read once a process while the two upstream files keep their size and modification
    time: a study reads its weather year for each sizing and check; copies come back)."""
    files = [shared / AGORA_DIR / "global_input" / name for name in UPSTREAM_FILES]
    key = (str(shared.resolve()), *(_stamp(f) for f in files))
    hourly, info = _read_series(key)
    return hourly.copy(), info.copy()


UPSTREAM_FILES = ("availability.csv", "demand_profile.csv")


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None  # the reader below says which file is missing
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=2)
def _read_series(key: tuple[object, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _hourly_series(Path(str(key[0])))


def _hourly_series(shared: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All hourly UTC series of the dataset, and a table saying where each comes from.

    Upstream: Agora availability (PV, onshore and offshore wind, run-of-river; rooftop PV
    duplicates utility PV and is left out), clipped to [0, 1], shifted from local standard
    time to UTC. Modelled: PV and wind at AZ/GE/RO (``bakuhub.corridor.data.modelled``). Load:
    the one Agora demand shape (p.u. of mean) in each demand node's local time.
    """
    import numpy as np
    import pandas as pd

    from bakuhub.corridor.data.loaders import (
        AGORA_UTC_OFFSETS,
        read_agora_availability,
        read_agora_demand_shape,
    )
    from bakuhub.corridor.data.modelled import modelled_series

    agora = read_agora_availability(shared / AGORA_DIR / "global_input/availability.csv")
    columns: dict[str, np.ndarray] = {}
    meta = []
    for node in assumptions.NODES:
        for code, carrier in PROFILE_TECH.items():
            key = f"{node.agora_node}|{code}"
            if node.agora_node and key in agora.columns:
                columns[f"{node.node}|{carrier}"] = agora[key].to_numpy()
                meta.append(
                    (
                        node.node,
                        carrier,
                        "borrowed" if node.node in BORROWING_NODES else "upstream",
                        f"{assumptions.AGORA} global_input/availability.csv ({key}), UTC+"
                        f"{AGORA_UTC_OFFSETS[node.country]} time base (inferred from PV solar "
                        "noon) shifted to UTC, clipped to [0, 1]",
                    )
                )
    sites = {s.node: s for s in assumptions.MODELLED_SITES}
    for key, values in modelled_series().items():
        site_node, carrier = key.split("|")
        columns[key] = values
        site = sites[site_node]
        src = (
            f"modelled: pvlib clear sky (Ineichen, Linke turbidity climatology) scaled to "
            f"{site.ghi_kwh_m2:g} kWh/m2 ({site.ghi_source})"
            if carrier == "solar"
            else "modelled: synthetic Weibull wind through windpowerlib "
            f"{assumptions.WIND_TURBINE} curve, scaled to {site.wind_target:g} "
            f"{site.wind_target_kind} ({site.wind_source})"
        )
        meta.append((site_node, carrier, "modelled", src))
    shape = read_agora_demand_shape(shared / AGORA_DIR / "global_input/demand_profile.csv")
    for node in assumptions.NODES:
        if node.node in {"UZ_NUK", "GE_ANA"}:
            continue
        offset = AGORA_UTC_OFFSETS[node.country] if node.agora_node else node.utc_offset_h
        columns[f"{node.node}|load"] = np.roll(shape.to_numpy(), -offset)
        kind = "upstream" if node.agora_node else "borrowed"
        meta.append(
            (
                node.node,
                "load",
                kind,
                f"{assumptions.AGORA} global_input/demand_profile.csv (one shape for all nodes), "
                f"placed in UTC+{offset} (Agora time base; civil time for borrowed shapes)",
            )
        )
    hourly = pd.DataFrame(columns, index=agora.index)
    info = pd.DataFrame(meta, columns=["node", "carrier", "kind", "source"])
    info.insert(0, "series", info["node"] + "|" + info["carrier"])
    info["annual_mean"] = [float(hourly[s].mean()) for s in info["series"]]
    return hourly, info
