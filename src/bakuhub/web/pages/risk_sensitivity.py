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

from bakuhub import i18n
from bakuhub.errors import InvalidInput
from bakuhub.i18n import N_, _
from bakuhub.risk import sensitivity
from bakuhub.web.pages.common import render
from bakuhub.web.pages.risk import pillars, read_preset, view_of, views

router = APIRouter(include_in_schema=False)
MIN_N, MAX_N, DEFAULT_N = 64, 4096, 1024
SIZES = (256, 512, 1024, 2048, 4096)
MEASURES = {"rank": N_("rank"), "score": N_("score")}
WORDS = {
    "clip": N_("clip to the goalposts"),
    "winsor": N_("Winsorise (2.5 % each end)"),
    "skew_kurt": N_("Winsorise or log by skew and kurtosis"),
    "minmax": N_("min-max"),
    "zscore": N_("z-score"),
    "rank": N_("rank"),
    "target": N_("distance to target"),
    "group_mean": N_("group mean"),
    "em": N_("EM"),
    "none": N_("none"),
    "regression": N_("regression"),
    "arithmetic": N_("arithmetic"),
    "geometric": N_("geometric"),
}


def read_n(request: Request) -> int:
    """The base sample size asked for (``n``), a whole number in [64, 4096]."""
    text = (request.query_params.get("n") or "").strip()
    if not text:
        return DEFAULT_N
    if not text.isdigit() or len(text) > 6 or not MIN_N <= int(text) <= MAX_N:
        raise InvalidInput(
            _(
                "Base samples (n): use a whole number from {least} to {most}, not '{text}'; "
                "{default} gives confidence intervals of about ±0.05."
            ).format(least=MIN_N, most=MAX_N, text=text[:20], default=DEFAULT_N)
        )
    return int(text)


def read_measure(request: Request) -> str:
    """Which output the table explains: ``rank`` (default) or ``score``."""
    text = request.query_params.get("of") or "rank"
    if text not in MEASURES:
        raise InvalidInput(
            _("Explain (of): choose rank or score, not '{text}'.").format(text=text[:20])
        )
    return text


def read_sensitivity_preset(request: Request) -> str:
    """The preset, with a sentence for INFORM (no shipped data to analyse)."""
    if request.query_params.get("preset") == "inform":
        raise InvalidInput(
            _(
                "INFORM-style risk needs an INFORM Risk sheet, which bakuhub does not ship, so "
                "its sensitivity cannot be shown here; choose the Hub index or ND-GAIN."
            )
        )
    return read_preset(request)


@lru_cache(maxsize=8)
def analysis(preset: str, n: int) -> sensitivity.Sensitivity:
    """The sensitivity analysis of a shipped preset (seeded: the same figures each time)."""
    options, nominal = sensitivity.preset_options(preset)
    return sensitivity.analyse(options, nominal=nominal, n=n)


def _option(factor: sensitivity.Factor, option: str) -> str:
    """One option of a choice in words (a conflict window's ``10 years`` too)."""
    if factor.code == "window" and option.split(" ")[0].isdigit():
        years = int(option.split(" ")[0])
        return i18n.ngettext("{n} year", "{n} years", years).format(n=years)
    return _(WORDS[option]) if option in WORDS else option


def _describe(factor: sensitivity.Factor) -> str:
    if factor.options:
        return ", ".join(_option(factor, o) for o in factor.options)
    low, high = factor.bounds
    return _("nominal weight times {low} to {high}").format(
        low=i18n.number(low, 1), high=i18n.number(high, 1)
    )


def labels(preset: str, found: sensitivity.Sensitivity) -> dict[str, str]:
    """Each factor's label in the reader's language (the analysis is cached in
    English)."""
    names = {f"w_{p['code']}": p["name"] for p in pillars(preset)}
    return {
        f.code: _(sensitivity.WEIGHT_OF).format(pillar=names[f.code])
        if f.code in names
        else _(f.label)
        for f in found.factors
    }


def _cells(row: dict[str, Any]) -> list[dict[str, Any]]:
    top = row["driver"]
    return [
        {
            "st": i18n.number(i["st"], 2),
            "conf": i18n.number(i["st_conf"], 2),
            "s1": i18n.number(i["s1"], 2),
            "top": i["factor"] == top,
        }
        for i in row["indices"]
    ]


def _figure(overview: list[dict[str, Any]], measure: str) -> dict[str, Any]:
    """Horizontal bars: mean S1 and ST over the countries, per choice (``measure``: the
    word of the measure in the reader's language)."""
    return _bars(overview, measure)


def _bars(overview: list[dict[str, Any]], measure: str) -> dict[str, Any]:
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
            ("mean_st", _("ST (total)"), "#0b5cad"),
            ("mean_s1", _("S1 (alone)"), "#9ecae1"),
        )
    ]
    return {
        "data": traces,
        "layout": {
            "barmode": "group",
            "separators": i18n.separators(),
            "height": 120 + 44 * len(labels),
            "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
            "xaxis": {
                "title": {"text": _("mean index of the {measure} (0-1)").format(measure=measure)},
                "range": [0, 1],
            },
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "legend": {"orientation": "h", "y": -0.25},
        },
    }


def _excluded(found: sensitivity.Sensitivity) -> list[tuple[str, list[str]]]:
    """The countries not analysed, grouped by the reason."""
    groups: dict[str, list[str]] = {}
    for iso3, name, why in found.excluded:
        groups.setdefault(why, []).append(i18n.country_name(iso3, name))
    out = []
    for why, names in groups.items():
        words = _(why)
        out.append((words[:1].upper() + words[1:], names))
    return out


def context(request: Request) -> dict[str, Any]:
    """What the page shows for the preset, sample size and measure asked."""
    preset, n, measure = read_sensitivity_preset(request), read_n(request), read_measure(request)
    found = analysis(preset, n)
    words = labels(preset, found)
    rows = sensitivity.drivers(found, of=measure)
    for row in rows:
        row["cells"] = _cells(row)
        row["driver_words"] = None if row["driver"] is None else words[row["driver"]]
    overview = sensitivity.overview(found, of=measure)
    for o in overview:
        o["describe"] = _describe(next(f for f in found.factors if f.code == o["factor"]))
        o["label"] = words[o["factor"]]
    measure_word = _(MEASURES[measure])
    return {
        "preset": preset,
        "view": view_of(preset),
        "views": views(),
        "n": n,
        "sizes": SIZES if n in SIZES else tuple(sorted({*SIZES, n})),
        "measure": measure,
        "measure_word": measure_word,
        "measures": {key: _(word) for key, word in MEASURES.items()},
        "factors": [{"code": f.code, "label": words[f.code]} for f in found.factors],
        "result": found,
        "rows": rows,
        "overview": overview,
        "figure": _figure(overview, measure_word),
        "level": round(found.rank.level * 100),
        "level_share": found.rank.level,
        "unmoved": sum(1 for r in rows if r["driver"] is None),
        "excluded": _excluded(found),
    }


@router.get("/risk/sensitivity")
def sensitivity_page(request: Request) -> Response:
    return render(request, "risk_sensitivity.html", context(request))
