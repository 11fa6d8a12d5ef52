"""The report's map: nodes and cables on the region's real coastlines and borders, drawn
offline.

Coastlines and borders are the shipped Natural Earth 1:110m country outlines
(``bakuhub/datasets/web/country_outlines.json``, public domain; see ``SOURCES.md``
beside it), drawn as a plotly ``scatter`` line trace on longitude/latitude axes.
Plotly's geographic traces (``scattergeo``) are not used: plotly.js fetches their base
map from ``https://cdn.plot.ly/un/`` (its ``topojsonURL`` setting), which the report's
Content-Security-Policy (``connect-src 'none'``) and an offline reader both refuse.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from bakuhub import i18n
from bakuhub.corridor.datasets import records
from bakuhub.corridor.report_tables import BUILT_MW, fmt
from bakuhub.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go
    import pypsa

OUTLINES = files("bakuhub") / "datasets" / "web" / "country_outlines.json"
OUTLINE_SOURCE = N_(
    "Coastlines and borders: Natural Earth 1:110m admin-0 countries (public domain), "
    "simplified to about 0.1 degree, shipped with bakuhub (datasets/web/SOURCES.md); "
    "nothing is fetched."
)
"""Where the map's outlines come from (translate where shown)."""
PAD_LON, PAD_LAT = 3.0, 2.5
"""Degrees of map around the outermost nodes."""


@lru_cache(maxsize=1)
def outlines() -> dict[str, list[list[list[float]]]]:
    """ISO3 -> rings of ``[lon, lat]`` points (the shipped outlines)."""
    rings: dict[str, list[list[list[float]]]] = json.loads(OUTLINES.read_text(encoding="utf-8"))
    return rings


def land(box: tuple[float, float, float, float]) -> tuple[list[float | None], list[float | None]]:
    """x and y of every ring that reaches into ``box`` (lon0, lon1, lat0, lat1), rings
    separated by gaps (None), for one line trace.

    Drawn as lines, not filled: the outlines are simplified country by country, so
    neighbours do not tile (slivers up to about 0.3 degree between Romania, Moldova and
    Ukraine), and a filled land would show those slivers as sea."""
    lon0, lon1, lat0, lat1 = box
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygons in outlines().values():
        for ring in polygons:
            if any(lon0 <= x <= lon1 and lat0 <= y <= lat1 for x, y in ring):
                xs += [p[0] for p in ring] + [None]
                ys += [p[1] for p in ring] + [None]
    return xs, ys


def _box(buses: pd.DataFrame) -> tuple[float, float, float, float]:
    return (
        float(buses.x.min()) - PAD_LON,
        float(buses.x.max()) + PAD_LON,
        float(buses.y.min()) - PAD_LAT,
        float(buses.y.max()) + PAD_LAT,
    )


def records_by_bus(buses: pd.DataFrame) -> dict[Any, dict[Any, Any]]:
    """Each bus's row (x: longitude, y: latitude) by name."""
    return dict(buses[["x", "y"]].to_dict("index"))


def _cable_traces(buses: pd.DataFrame, cables: pd.DataFrame) -> list[Any]:
    """A line per built cable (width by size) and its size written at its middle."""
    import plotly.graph_objects as go

    built = cables[cables.capacity_mw >= BUILT_MW] if len(cables) else cables
    top = max(float(built.capacity_mw.max()), 1.0) if len(built) else 1.0
    traces: list[Any] = []
    mid_x, mid_y, labels = [], [], []
    where = {str(k): (float(v["x"]), float(v["y"])) for k, v in records_by_bus(buses).items()}
    for row in records(built):
        x = [where[row.bus0][0], where[row.bus1][0]]
        y = [where[row.bus0][1], where[row.bus1][1]]
        hover = _(
            "{cable}: {size} MW, {forward} TWh/a forward, {backward} TWh/a back, "
            "{hours} full-load hours"
        ).format(
            cable=row.link,
            size=fmt(row.capacity_mw, 0),
            forward=fmt(row.forward_twh),
            backward=fmt(row.backward_twh),
            hours=fmt(row.full_load_hours, 0),
        )
        traces.append(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                line={"width": 1.5 + 8 * row.capacity_mw / top, "color": "#1f5fa8"},
                name=str(row.link),
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
            )
        )
        mid_x.append(sum(x) / 2)
        mid_y.append(sum(y) / 2)
        labels.append(_("{size} MW").format(size=fmt(row.capacity_mw, 0)))
    traces.append(
        go.Scatter(
            x=mid_x,
            y=mid_y,
            mode="text",
            text=labels,
            textposition="bottom center",
            textfont={"size": 11, "color": "#123"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    return traces


def network_map(n: pypsa.Network, cables: pd.DataFrame) -> go.Figure:
    """Nodes and built cables (line width and label: size, MW) on the region's land."""
    import plotly.graph_objects as go

    buses = n.buses[n.buses.carrier == "AC"]
    box = _box(buses)
    xs, ys = land((box[0] - 10, box[1] + 10, box[2] - 10, box[3] + 10))
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": "#8a96a3", "width": 0.8},
            hoverinfo="skip",
            showlegend=False,
            name="coastlines and borders",
        )
    )
    for trace in _cable_traces(buses, cables):
        fig.add_trace(trace)
    fig.add_trace(
        go.Scatter(
            x=buses.x,
            y=buses.y,
            mode="markers+text",
            text=list(buses.index),
            textposition="top center",
            marker={"size": 10, "color": "#333"},
            name=_("nodes"),
            showlegend=False,
        )
    )
    middle = math.cos(math.radians((box[2] + box[3]) / 2))
    fig.update_layout(
        title=_("Nodes and cables (line width and label: size in MW)"),
        height=480,
        separators=i18n.separators(),
        plot_bgcolor="#fbfbf8",
        xaxis={"range": [box[0], box[1]], "title": _("longitude, degrees E"), "showgrid": False},
        yaxis={
            "range": [box[2], box[3]],
            "title": _("latitude, degrees N"),
            "showgrid": False,
            "scaleanchor": "x",
            "scaleratio": 1 / middle,  # a degree of longitude is cos(lat) of one of latitude
        },
        margin={"l": 50, "r": 10, "t": 40, "b": 40},
    )
    return fig
