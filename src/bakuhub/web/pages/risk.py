"""Risk pages: the ranking with pillar weights the user changes (recomputed in place,
nothing stored), a map, and a country profile explaining the score."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bakuhub.errors import BakuhubError, InvalidInput
from bakuhub.risk.schemas import MAX_WEIGHT
from bakuhub.web.deps import SessionDep
from bakuhub.web.pages.common import render
from bakuhub.web.pages.maps import point_map

router = APIRouter(include_in_schema=False)
PRESETS = {"hub": "Hub (climate, conflict, displacement, readiness)", "ndgain": "ND-GAIN"}


def pillars(preset: str) -> list[dict[str, Any]]:
    """The top-level pillars of a preset with their default weights."""
    from bakuhub.risk.presets import get_preset
    from bakuhub.risk.spec import model_to_dict

    root = model_to_dict(get_preset(preset, None))["root"]
    return [
        {"code": child["code"], "name": child["name"], "weight": weight}
        for child, weight in zip(root["children"], root["weights"], strict=True)
        if isinstance(child, dict)
    ]


def _weights(request: Request, preset: str) -> tuple[list[dict[str, Any]], dict[str, float]]:
    rows = pillars(preset)
    chosen: dict[str, float] = {}
    for row in rows:
        text = request.query_params.get(f"w_{row['code']}")
        if text not in (None, ""):
            try:
                value = float(text)
            except ValueError:
                raise InvalidInput(
                    f"Weight of {row['name']}: '{text}' is not a number; type e.g. 1 or 0.5."
                ) from None
            if not math.isfinite(value) or not 0 <= value <= MAX_WEIGHT:
                raise InvalidInput(
                    f"Weight of {row['name']}: use a number from 0 to {MAX_WEIGHT:g}, not '{text}'."
                )
            chosen[row["code"]] = value
        row["value"] = chosen.get(row["code"], row["weight"])
    if chosen and sum(r["value"] for r in rows) <= 0:
        raise InvalidInput("At least one weight must be above 0.")
    return rows, chosen


def _ranking(preset: str, weights: dict[str, float]) -> list[dict[str, Any]]:
    from bakuhub.risk import service
    from bakuhub.risk.pipeline import table

    _settings, _inputs, outcome = service.compute(preset=preset, weights=weights or None)
    rows = table(outcome)
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["iso3"]))


def _context(request: Request) -> dict[str, Any]:
    preset = request.query_params.get("preset", "hub")
    if preset not in PRESETS:
        raise InvalidInput(f"There is no preset '{preset}'; use {', '.join(PRESETS)}.")
    error = ""
    try:
        weights_form, chosen = _weights(request, preset)
    except BakuhubError as exc:
        error, chosen = exc.message, {}
        weights_form = [{**r, "value": r["weight"]} for r in pillars(preset)]
    rows = _ranking(preset, chosen)
    ranked = [r for r in rows if r["rank"] is not None]
    figure = point_map(
        {r["iso3"]: round(r["score"], 2) for r in ranked},
        title="Risk score by country (0-10)",
        label="",
    )
    return {
        "preset": preset,
        "presets": PRESETS,
        "weights": weights_form,
        "rows": ranked,
        "codes": [w["code"] for w in weights_form],
        "error": error,
        "map": figure,
        "query": request.url.query,
    }


@router.get("/risk")
def risk_page(request: Request) -> Response:
    return render(request, "risk.html", _context(request))


@router.get("/risk/table")
def risk_table(request: Request) -> Response:
    """The ranking alone (HTML fragment), for the in-place recomputation."""
    return render(request, "risk_table.html", _context(request))


@router.get("/risk/countries/{iso3}")
def country(iso3: str, request: Request, session: SessionDep, preset: str = "hub") -> Response:
    from bakuhub.risk import service

    run = service.rank(session=session, preset=preset)
    profile = service.profile(session=session, run_id=run.id, iso3=iso3)
    return render(request, "country.html", {"p": profile, "preset": preset})
