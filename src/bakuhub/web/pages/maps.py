"""Offline maps: country outlines and centroids drawn as plotly scatter traces on
longitude/latitude axes (no tiles, no topojson download), with a colour bar and the
same scale as an HTML legend (a text alternative that works without JavaScript)."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from typing import Any

from bakuhub import i18n

DATA = files("bakuhub") / "datasets" / "web"

# Sequential colours, pale first and the strong (alarming or "most") end last. Written
# out rather than named: plotly.js's named "Blues" runs dark to pale, which drew the
# country with the most projects palest.
RAMPS: dict[str, tuple[str, ...]] = {
    "Blues": ("#dbe9f6", "#9ecae1", "#4292c6", "#08519c", "#08306b"),
    "Reds": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),
}


@dataclass(frozen=True)
class Scale:
    """How values become colours: the range, which end is strong, and the words."""

    low: float
    high: float
    title: str
    ramp: str = "Reds"
    strong_at_low: bool = False
    low_words: str = ""
    high_words: str = ""

    def colours(self) -> tuple[str, ...]:
        """The ramp from the colour of ``low`` to the colour of ``high``."""
        ramp = RAMPS[self.ramp]
        return tuple(reversed(ramp)) if self.strong_at_low else ramp

    def strength(self, value: float) -> float:
        """0 (pale) to 1 (strong) for a value of the scale."""
        span = (self.high - self.low) or 1.0
        share = min(1.0, max(0.0, (value - self.low) / span))
        return 1.0 - share if self.strong_at_low else share

    def fitted(self, values: list[float]) -> Scale:
        """The same scale narrowed to the values shown, in tenths of its full range, so
        the colours spread over the countries on the map."""
        if not values:
            return self
        step = (self.high - self.low) / 10 or 1.0
        low = max(self.low, math.floor(min(values) / step) * step)
        high = min(self.high, math.ceil(max(values) / step) * step)
        return replace(self, low=low, high=high) if high > low else self

    def legend(self) -> dict[str, Any]:
        """The scale for the HTML legend under the map (the pages write it as text)."""
        return {
            "title": self.title,
            "low": f"{self.low:g}",
            "high": f"{self.high:g}",
            "low_words": self.low_words,
            "high_words": self.high_words,
            "ramp": self.ramp.lower() + ("-reversed" if self.strong_at_low else ""),
        }


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


def count_scale(points: dict[str, float], title: str, ramp: str = "Blues") -> Scale:
    """A scale from 0 to the largest count: more is darker (its words in the reader's
    language)."""
    top = max(points.values(), default=1.0) or 1.0
    fewer, more = i18n.gettext("fewer"), i18n.gettext("more")
    return Scale(0.0, float(top), title, ramp, low_words=fewer, high_words=more)


def _colour_bar(scale: Scale) -> dict[str, Any]:
    bar: dict[str, Any] = {
        "orientation": "h",
        "x": 0.5,
        "xanchor": "center",
        "y": -0.02,
        "yanchor": "top",
        "len": 0.7,
        "thickness": 10,
    }
    span = scale.high - scale.low
    if span <= 10 and float(scale.low).is_integer() and float(scale.high).is_integer():
        bar["dtick"] = 1
    return bar


def point_map(
    points: dict[str, float],
    *,
    title: str,
    label: str,
    colorscale: str = "Reds",
    zoom: bool = False,
    scale: Scale | None = None,
) -> dict[str, Any]:
    """A plotly figure: country outlines and a marker per ISO3 code, larger and
    stronger in colour towards the scale's strong end, with a colour bar."""
    known = {k: v for k, v in points.items() if k in centroids()}
    scale = scale or count_scale(known, label or title, colorscale)
    colours = scale.colours()
    steps = len(colours) - 1
    marker = {
        "type": "scatter",
        "mode": "markers",
        "x": [centroids()[k][0] for k in known],
        "y": [centroids()[k][1] for k in known],
        "text": [
            f"{i18n.country_name(k, centroids()[k][2])}: {v:g} {label}".rstrip()
            for k, v in known.items()
        ],
        "customdata": list(known),
        "hoverinfo": "text",
        "marker": {
            "size": [8 + 14 * scale.strength(v) for v in known.values()],
            "color": list(known.values()),
            "colorscale": [[i / steps, c] for i, c in enumerate(colours)],
            "cmin": scale.low,
            "cmax": scale.high,
            "opacity": 0.9,
            "line": {"color": "#333", "width": 0.5},
            "showscale": bool(known),
            "colorbar": _colour_bar(scale),
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
            "height": 400,
            "margin": {"l": 0, "r": 0, "t": 36 if title else 8, "b": 44},
            "xaxis": {**axis, "range": xr},
            "yaxis": {**axis, "range": yr, "scaleanchor": "x"},
            "plot_bgcolor": "#f4f8fb",
            "dragmode": "pan",
        },
    }
