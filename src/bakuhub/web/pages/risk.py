"""Risk pages: the ranking with pillar weights and construction choices the user
changes (recomputed in place, nothing stored), a map, and a country profile explaining
the score with the same settings. Each preset shows its own scale, direction and
words. Storing a ranking and ranking with uploaded displacement files:
:mod:`bakuhub.web.pages.risk_upload`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bakuhub import i18n
from bakuhub.db import MAX_ID
from bakuhub.errors import InvalidInput, NotFound
from bakuhub.i18n import N_, _
from bakuhub.risk.schemas import MAX_WEIGHT
from bakuhub.risk.service import Choices
from bakuhub.web.deps import SessionDep
from bakuhub.web.pages.common import render
from bakuhub.web.pages.maps import Scale, point_map
from bakuhub.web.pages.risk_choices import describe, read_choices

router = APIRouter(include_in_schema=False)
SHOWN = 60
RUNS_LISTED = 100
UPLOAD_MB = 20
"""Largest displacement file a signed-in user may upload on the page (MB)."""


@dataclass(frozen=True)
class View:
    """How the page words one preset: its score, its ranks and its colours."""

    title: str
    score: str
    rank: str
    about: str
    first: str
    last: str
    low_words: str
    high_words: str
    dark: str
    decimals: int = 2
    fixed: str = ""
    report: str = ""


VIEWS: dict[str, View] = {
    "hub": View(
        title=N_("Hub index (climate, conflict, displacement, readiness)"),
        score=N_("Risk score (0-10, higher = more at risk)"),
        rank=N_("Rank (1 = most at risk)"),
        about=N_(
            "A composite index: each indicator normalised to 0-10, the pillars weighted "
            "and combined. Rank 1 is the country most at risk."
        ),
        first=N_("Most at risk first"),
        last=N_("Least at risk first"),
        low_words=N_("less at risk"),
        high_words=N_("more at risk"),
        dark=N_("the darker red, the more at risk"),
    ),
    "ndgain": View(
        title=N_("ND-GAIN (readiness to adapt, 0-100)"),
        score=N_("ND-GAIN score (0-100, higher = more ready)"),
        rank=N_("ND-GAIN rank (1 = most ready)"),
        about=N_(
            "The Notre Dame Global Adaptation Initiative's index: how ready a country is "
            "to adapt to climate change. Higher is better: rank 1 is the most ready country, "
            "and the countries that most need support come last (choose “Least ready first”)."
        ),
        first=N_("Most ready first (ND-GAIN's ranks)"),
        last=N_("Least ready first"),
        low_words=N_("less ready"),
        high_words=N_("more ready"),
        dark=N_("the darker red, the less ready"),
        decimals=1,
        fixed=N_(
            "ND-GAIN always counts vulnerability and readiness equally, so it has no "
            "weights to change; the Hub index has."
        ),
        report=N_(
            "The ND-GAIN score is 100 - 10 x the combined value below, which runs from 0 "
            "to 10 (higher = more vulnerable and less ready)."
        ),
    ),
}
ORDERS = ("rank", "reverse")


def view_of(preset: str) -> View:
    """The words of ``preset``'s view in the reader's language."""
    view = VIEWS[preset]
    return replace(
        view,
        title=_(view.title),
        score=_(view.score),
        rank=_(view.rank),
        about=_(view.about),
        first=_(view.first),
        last=_(view.last),
        low_words=_(view.low_words),
        high_words=_(view.high_words),
        dark=_(view.dark),
        fixed=_(view.fixed) if view.fixed else "",
        report=_(view.report) if view.report else "",
    )


def views() -> dict[str, View]:
    """Every preset's view, in the reader's language."""
    return {preset: view_of(preset) for preset in VIEWS}


def weights_words(weights: list[dict[str, Any]]) -> str:
    """The weights of a form in words (``Climate vulnerability 1, Conflict 2``)."""
    return ", ".join(f"{w['name']} {i18n.decimal(w['value'], 3)}" for w in weights)


def pillars(preset: str) -> list[dict[str, Any]]:
    """The top-level pillars of a preset with their default weights."""
    from bakuhub.risk.presets import get_preset
    from bakuhub.risk.spec import model_to_dict

    root = model_to_dict(get_preset(preset, None))["root"]
    return [
        {"code": child["code"], "name": _(child["name"]), "weight": weight}
        for child, weight in zip(root["children"], root["weights"], strict=True)
        if isinstance(child, dict)
    ]


def scale_of(preset: str) -> Scale:
    """The colour scale of a preset's reported score: the worse end is dark red."""
    from bakuhub.risk.presets import get_preset

    model = get_preset(preset, None)
    ends = (model.report_offset, model.report_offset + 10 * model.report_factor)
    view = view_of(preset)
    return Scale(
        low=min(ends),
        high=max(ends),
        title=view.score,
        ramp="Reds",
        strong_at_low=model.report_factor < 0,
        low_words=view.low_words,
        high_words=view.high_words,
    )


def has_classes(preset: str) -> bool:
    """Whether the preset names classes (ND-GAIN has none)."""
    from bakuhub.risk.presets import get_preset

    return get_preset(preset, None).classes is not None


def read_preset(request: Request) -> str:
    """The preset asked for (``hub`` when none), or InvalidInput naming the choices."""
    return preset_from(request.query_params)


def preset_from(params: Mapping[str, str]) -> str:
    """The preset named in ``params`` (``hub`` when none), or InvalidInput."""
    preset = params.get("preset") or "hub"
    if preset not in VIEWS:
        raise InvalidInput(
            _("There is no index '{preset}'; use one of: {presets}.").format(
                preset=preset, presets=", ".join(VIEWS)
            )
        )
    return preset


def _weight_error(name: str, text: str) -> str | None:
    try:
        value = float(text)
    except ValueError:
        return _(
            "Weight of {pillar}: '{text}' is not a number; type a number such as 1 or 0.5."
        ).format(pillar=name, text=text)
    if not math.isfinite(value) or not 0 <= value <= MAX_WEIGHT:
        return _("Weight of {pillar}: use a number from 0 to {most}, not '{text}'.").format(
            pillar=name, most=i18n.decimal(MAX_WEIGHT, 3), text=text
        )
    return None


def read_weights(request: Request, preset: str) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """The weight fields (with what was typed and any error beside each) and the weights
    to use: the ones typed when all are right, else none (the defaults)."""
    return weights_from(request.query_params, preset)


def weights_from(
    params: Mapping[str, str], preset: str
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """:func:`read_weights` from any mapping (the address, or a form's fields)."""
    rows = pillars(preset)
    chosen: dict[str, float] = {}
    for row in rows:
        text = (params.get(f"w_{row['code']}") or "").strip()
        row["value"], row["text"], row["error"] = row["weight"], f"{row['weight']:g}", None
        if text:
            row["text"], row["error"] = text, _weight_error(row["name"], text)
            if row["error"] is None:
                chosen[row["code"]] = row["value"] = float(text)
    if any(r["error"] for r in rows):
        return rows, {}
    if chosen and sum(r["value"] for r in rows) <= 0:
        rows[0]["error"] = _("At least one weight must be above 0; give one pillar a weight.")
        return rows, {}
    return rows, chosen


def profile_query(
    preset: str, weights: dict[str, float], order: str = "rank", choices: Choices | None = None
) -> str:
    """The query string that carries a preset, its weights, its construction choices
    and the order to another page."""
    pairs = [("preset", preset)] + [(f"w_{code}", f"{v:g}") for code, v in weights.items()]
    pairs += list((choices or Choices()).given().items())
    if order != "rank":
        pairs.append(("order", order))
    return urlencode(pairs)


def _ranking(
    preset: str, weights: dict[str, float], choices: Choices, data: Any = None
) -> tuple[list[dict[str, Any]], Any]:
    from bakuhub.risk import service
    from bakuhub.risk.pipeline import table

    _settings, _inputs, outcome = service.compute(
        preset=preset, weights=weights or None, choices=choices, data=data
    )
    rows = [r for r in table(outcome) if r["rank"] is not None]
    return sorted(rows, key=lambda r: (r["rank"], r["iso3"])), outcome


def _without_data(outcome: Any, weights: list[dict[str, Any]]) -> list[str]:
    """Names of the pillars no country has data for."""
    from bakuhub.risk.pipeline import table

    rows = table(outcome)
    return [w["name"] for w in weights if all(r["pillars"].get(w["code"]) is None for r in rows)]


def _context(request: Request) -> dict[str, Any]:
    return {**ranking_context(request.query_params), "query": request.url.query}


def ranking_context(params: Mapping[str, str], data: Any = None) -> dict[str, Any]:
    """What the ranking shows for the preset, weights, choices and order in ``params``;
    ``data`` replaces the shipped input table (an upload's)."""
    preset = preset_from(params)
    view = view_of(preset)
    order = params.get("order") or "rank"
    order = order if order in ORDERS else "rank"
    weights_form, chosen = weights_from(params, preset)
    choice_form, choices, choice_errors = read_choices(params, preset)
    errors = [w["error"] for w in weights_form if w["error"]] + choice_errors
    ranked, outcome = _ranking(preset, chosen, choices, data)
    rows = list(reversed(ranked)) if order == "reverse" else ranked
    points = {r["iso3"]: round(r["score"], 2) for r in ranked}
    scale = scale_of(preset).fitted(list(points.values()))
    figure = point_map(points, title="", label="", scale=scale)
    figure.setdefault("layout", {})["separators"] = i18n.separators()
    return {
        "preset": preset,
        "view": view,
        "views": views(),
        "order": order,
        "weights": weights_form,
        "weights_words": weights_words(weights_form),
        "chosen": chosen,
        "rows": rows,
        "shown": SHOWN,
        "codes": [w["code"] for w in weights_form],
        "classes": has_classes(preset),
        "errors": errors,
        "error": " ".join(errors),
        "map": figure,
        "legend": scale.legend(),
        "draws": outcome.intervals.draws,
        "level": outcome.intervals.level,
        "without_data": [] if ranked else _without_data(outcome, weights_form),
        "notes": outcome.notes,
        "choices": choice_form,
        "construction": describe(choices),
        "query": profile_query(preset, chosen, order, choices),
        "profile_query": profile_query(preset, chosen, choices=choices),
        "analysis_query": profile_query(preset, chosen, choices=choices),
        "page_query": profile_query(preset, chosen, order, choices),
        "upload_mb": UPLOAD_MB,
    }


def runs_to_pick(session: Any, a: int | None = None, b: int | None = None) -> dict[str, Any]:
    """The stored runs a person can pick from (newest first) and the two preselected:
    those given, else the second newest as A and the newest as B."""
    from bakuhub.risk import service
    from bakuhub.risk.schemas import RunSummary

    runs = [
        RunSummary.model_validate(r) for r in service.list_runs(session=session, limit=RUNS_LISTED)
    ]
    ids = [r.id for r in runs]
    return {
        "runs": runs,
        "pick_a": a if a is not None else (ids[1] if len(ids) > 1 else None),
        "pick_b": b if b is not None else (ids[0] if ids else None),
    }


def _stored(request: Request) -> int | None:
    """The run just stored (``stored`` in the address, set by the store form)."""
    text = request.query_params.get("stored") or ""
    return int(text) if text.isdigit() and len(text) < 12 and 1 <= int(text) <= MAX_ID else None


@router.get("/risk")
def risk_page(request: Request, session: SessionDep) -> Response:
    stored = _stored(request)
    picks = runs_to_pick(session, b=stored)
    just = next((r for r in picks["runs"] if r.id == stored), None)
    return render(request, "risk.html", {**_context(request), **picks, "stored": just})


@router.get("/risk/table")
def risk_table(request: Request) -> Response:
    """The ranking and the links that carry its weights (HTML fragment), for the
    in-place recomputation."""
    return render(request, "risk_live.html", _context(request))


def _readable(node: dict[str, Any]) -> dict[str, Any]:
    """A node of a country's explanation with its words in the reader's language and
    its raw value as the locale writes it (``raw_text``)."""
    out = dict(node)
    for key in ("name", "source", "unit", "vintage", "direction"):
        if isinstance(out.get(key), str) and out[key]:
            out[key] = _(out[key])
    if out.get("raw") is not None:
        out["raw_text"] = i18n.decimal(out["raw"], 6)
    if out.get("children"):
        out["children"] = [_readable(c) for c in out["children"]]
    return out


def country_profile(request: Request, iso3: str) -> dict[str, Any]:
    """A country's explanation with the preset and weights carried in the address."""
    from bakuhub.risk import service

    preset = read_preset(request)
    weights_form, chosen = read_weights(request, preset)
    _form, choices, choice_errors = read_choices(request.query_params, preset)
    errors = [w["error"] for w in weights_form if w["error"]] + choice_errors
    if errors:
        raise InvalidInput(" ".join(errors))
    _settings, _inputs, outcome = service.compute(
        preset=preset, weights=chosen or None, choices=choices
    )
    code = iso3.strip().upper()
    if code not in outcome.result.countries:
        raise NotFound(
            _(
                "No country {code} in the {preset} index; use an ISO 3166 alpha-3 code such as TCD."
            ).format(code=code, preset=preset)
        )
    found = outcome.explain(code)
    return {
        "p": {**found, "tree": _readable(found["tree"])},
        "preset": preset,
        "view": view_of(preset),
        "classes": has_classes(preset),
        "weights": weights_form,
        "weights_words": weights_words(weights_form),
        "custom": bool(chosen),
        "construction": describe(choices),
        "draws": outcome.intervals.draws,
        "query": profile_query(preset, chosen, choices=choices),
    }


@router.get("/risk/countries/{iso3}")
def country(iso3: str, request: Request) -> Response:
    return render(request, "country.html", country_profile(request, iso3))
