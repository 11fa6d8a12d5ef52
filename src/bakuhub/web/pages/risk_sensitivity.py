"""Risk sensitivity page: which construction choice (weights, aggregation, outlier
treatment, normalisation, imputation, conflict window) drives which country's rank or
score, as Sobol indices with bootstrap confidence intervals (issue 20).

Reads the shipped tables only (public data; GET, nothing stored). The analysis is
computed in the request's worker thread (a plain ``def`` endpoint) and kept for the
preset, sample size and measure asked, so a reload is instant.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bakuhub.errors import InvalidInput
from bakuhub.risk import sensitivity
from bakuhub.web.pages.common import render
from bakuhub.web.pages.risk import VIEWS, read_preset

router = APIRouter(include_in_schema=False)
MIN_N, MAX_N, DEFAULT_N = 64, 4096, 1024
SIZES = (256, 512, 1024, 2048, 4096)
MEASURES = {"rank": "rank", "score": "score"}
WORDS = {
    "clip": "clip to the goalposts",
    "winsor": "Winsorise (2.5 % each end)",
    "skew_kurt": "Winsorise or log by skew and kurtosis",
    "minmax": "min-max",
    "zscore": "z-score",
    "rank": "rank",
    "target": "distance to target",
    "group_mean": "group mean",
    "em": "EM",
}


def read_n(request: Request) -> int:
    """The base sample size asked for (``n``), a whole number in [64, 4096]."""
    text = (request.query_params.get("n") or "").strip()
    if not text:
        return DEFAULT_N
    if not text.isdigit() or len(text) > 6 or not MIN_N <= int(text) <= MAX_N:
        raise InvalidInput(
            f"Base samples (n): use a whole number from {MIN_N} to {MAX_N}, not '{text[:20]}'; "
            f"{DEFAULT_N} gives confidence intervals of about ±0.05."
        )
    return int(text)


def read_measure(request: Request) -> str:
    """Which output the table explains: ``rank`` (default) or ``score``."""
    text = request.query_params.get("of") or "rank"
    if text not in MEASURES:
        raise InvalidInput(f"Explain (of): choose rank or score, not '{text[:20]}'.")
    return text


def read_sensitivity_preset(request: Request) -> str:
    """The preset, with a sentence for INFORM (no shipped data to analyse)."""
    if request.query_params.get("preset") == "inform":
        raise InvalidInput(
            "INFORM-style risk needs an INFORM Risk sheet, which bakuhub does not ship, so "
            "its sensitivity cannot be shown here; choose the Hub index or ND-GAIN."
        )
    return read_preset(request)


@lru_cache(maxsize=8)
def analysis(preset: str, n: int) -> sensitivity.Sensitivity:
    """The sensitivity analysis of a shipped preset (seeded: the same figures each time)."""
    options, nominal = sensitivity.preset_options(preset)
    return sensitivity.analyse(options, nominal=nominal, n=n)


def _describe(factor: sensitivity.Factor) -> str:
    if factor.options:
        return ", ".join(WORDS.get(o, o) for o in factor.options)
    low, high = factor.bounds
    return f"nominal weight times {low:g} to {high:g}"


def _cells(row: dict[str, Any]) -> list[dict[str, Any]]:
    top = row["driver"]
    return [
        {
            "st": f"{i['st']:.2f}",
            "conf": f"{i['st_conf']:.2f}",
            "s1": f"{i['s1']:.2f}",
            "top": i["factor"] == top,
        }
        for i in row["indices"]
    ]


def _figure(overview: list[dict[str, Any]], measure: str) -> dict[str, Any]:
    """Horizontal bars: mean S1 and ST over the countries, per choice."""
    labels = [o["label"] for o in overview]
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": labels,
            "x": [round(o[key], 3) for o in overview],
            "marker": {"color": colour},
        }
        for key, name, colour in (
            ("mean_st", "ST (total)", "#0b5cad"),
            ("mean_s1", "S1 (alone)", "#9ecae1"),
        )
    ]
    return {
        "data": traces,
        "layout": {
            "barmode": "group",
            "height": 120 + 44 * len(labels),
            "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
            "xaxis": {"title": {"text": f"mean index of the {measure} (0-1)"}, "range": [0, 1]},
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "legend": {"orientation": "h", "y": -0.25},
        },
    }


def _excluded(found: sensitivity.Sensitivity) -> list[tuple[str, list[str]]]:
    """The countries not analysed, grouped by the reason."""
    groups: dict[str, list[str]] = {}
    for _iso3, name, why in found.excluded:
        groups.setdefault(why, []).append(name)
    return list(groups.items())


def context(request: Request) -> dict[str, Any]:
    """What the page shows for the preset, sample size and measure asked."""
    preset, n, measure = read_sensitivity_preset(request), read_n(request), read_measure(request)
    found = analysis(preset, n)
    rows = sensitivity.drivers(found, of=measure)
    for row in rows:
        row["cells"] = _cells(row)
    overview = sensitivity.overview(found, of=measure)
    for o in overview:
        o["describe"] = _describe(next(f for f in found.factors if f.code == o["factor"]))
    return {
        "preset": preset,
        "view": VIEWS[preset],
        "views": VIEWS,
        "n": n,
        "sizes": SIZES if n in SIZES else tuple(sorted({*SIZES, n})),
        "measure": measure,
        "result": found,
        "rows": rows,
        "overview": overview,
        "figure": _figure(overview, measure),
        "level": round(found.rank.level * 100),
        "unmoved": sum(1 for r in rows if r["driver"] is None),
        "excluded": _excluded(found),
    }


@router.get("/risk/sensitivity")
def sensitivity_page(request: Request) -> Response:
    return render(request, "risk_sensitivity.html", context(request))
