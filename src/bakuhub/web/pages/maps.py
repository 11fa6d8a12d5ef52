"""Offline maps: country outlines and centroids drawn as plotly scatter traces on
longitude/latitude axes (no tiles, no topojson download)."""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

DATA = files("bakuhub") / "datasets" / "web"


@lru_cache(maxsize=1)
def centroids() -> dict[str, tuple[float, float, str]]:
    """ISO3 -> (lon, lat, name) of a point inside each country (Natural Earth 110m)."""
    text = (DATA / "country_centroids.csv").read_text(encoding="utf-8")
    return {
        r["iso3"]: (float(r["lon"]), float(r["lat"]), r["name"])
        for r in csv.DictReader(text.splitlines())
    }


@lru_cache(maxsize=1)
def outline_trace() -> dict[str, Any]:
    """All country outlines as one line trace (rings separated by gaps)."""
    rings = json.loads((DATA / "country_outlines.json").read_text(encoding="utf-8"))
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygons in rings.values():
        for ring in polygons:
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return {
        "type": "scatter",
        "mode": "lines",
        "x": xs,
        "y": ys,
        "line": {"color": "#9aa5b1", "width": 0.6},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def point_map(
    points: dict[str, float],
    *,
    title: str,
    label: str,
    colorscale: str = "Reds",
    zoom: bool = False,
) -> dict[str, Any]:
    """A plotly figure: country outlines and a marker per ISO3 code sized/coloured by value."""
    known = {k: v for k, v in points.items() if k in centroids()}
    top = max(known.values(), default=1.0) or 1.0
    marker = {
        "type": "scatter",
        "mode": "markers",
        "x": [centroids()[k][0] for k in known],
        "y": [centroids()[k][1] for k in known],
        "text": [f"{centroids()[k][2]}: {v:g} {label}" for k, v in known.items()],
        "customdata": list(known),
        "hoverinfo": "text",
        "marker": {
            "size": [8 + 14 * (v / top) for v in known.values()],
            "color": list(known.values()),
            "colorscale": colorscale,
            "cmin": 0,
            "line": {"color": "#333", "width": 0.5},
            "showscale": False,
        },
        "showlegend": False,
    }
    axis = {"showgrid": False, "zeroline": False, "visible": False}
    xr, yr = [-170.0, 180.0], [-56.0, 78.0]
    if zoom and known:
        lons = [centroids()[k][0] for k in known]
        lats = [centroids()[k][1] for k in known]
        xr = [max(-180.0, min(lons) - 30), min(180.0, max(lons) + 30)]
        yr = [max(-60.0, min(lats) - 25), min(80.0, max(lats) + 20)]
    return {
        "data": [outline_trace(), marker],
        "layout": {
            "title": {"text": title},
            "height": 380,
            "margin": {"l": 0, "r": 0, "t": 36, "b": 0},
            "xaxis": {**axis, "range": xr},
            "yaxis": {**axis, "range": yr, "scaleanchor": "x"},
            "plot_bgcolor": "#f4f8fb",
            "dragmode": "pan",
        },
    }
