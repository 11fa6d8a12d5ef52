"""Risk analysis pages: the audit of an index (statistics, correlations with a heat
map, PCA per pillar, each indicator's share of each country's score) and the
comparison of two runs (which countries moved and why). Nothing is stored."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bakuhub import i18n
from bakuhub.db import MAX_ID
from bakuhub.errors import InvalidInput, NotFound
from bakuhub.i18n import _
from bakuhub.web.deps import SessionDep
from bakuhub.web.pages.common import render
from bakuhub.web.pages.risk import (
    profile_query,
    read_preset,
    read_weights,
    runs_to_pick,
    view_of,
    weights_words,
)
from bakuhub.web.pages.risk_choices import describe, read_choices

router = APIRouter(include_in_schema=False)
SHOWN = 60


def _chosen(request: Request, preset: str) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """The weights in the address, or InvalidInput with every weight's problem."""
    weights_form, chosen = read_weights(request, preset)
    errors = [w["error"] for w in weights_form if w["error"]]
    if errors:
        raise InvalidInput(" ".join(errors))
    return weights_form, chosen


def heat_map(codes: tuple[str, ...], labels: dict[str, str], r: Any) -> dict[str, Any]:
    """A plotly heat map of a correlation matrix (-1 blue to +1 red), drawn offline."""
    full = [labels.get(c, c) for c in codes]
    names = [n if len(n) <= 28 else n[:27].rstrip() + "…" for n in full]
    z = [[None if math.isnan(v) else round(float(v), 2) for v in row] for row in r]
    return {
        "data": [
            {
                "type": "heatmap",
                "z": z,
                "x": names,
                "y": names,
                "zmin": -1,
                "zmax": 1,
                "colorscale": [[0.0, "#2166ac"], [0.5, "#f7f7f7"], [1.0, "#b2182b"]],
                "texttemplate": "%{z:.2f}",
                "hovertemplate": _("%{y} / %{x}: r = %{z:.2f}") + "<extra></extra>",
                "colorbar": {"title": {"text": "r"}},
            }
        ],
        "layout": {
            "separators": i18n.separators(),
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "height": 420,
            "xaxis": {"automargin": True, "tickangle": -30},
            "yaxis": {"automargin": True, "autorange": "reversed"},
        },
    }


def _share_rows(a: Any) -> list[dict[str, Any]]:
    """Ranked countries, best rank first, with each indicator's share and points."""
    order = sorted(
        (j for j in range(len(a.countries)) if not math.isnan(a.rank[j])),
        key=lambda j: (a.rank[j], a.countries[j]),
    )
    return [
        {
            "iso3": a.countries[j],
            "name": a.names[j],
            "rank": int(a.rank[j]),
            "risk": float(a.risk[j]),
            "shares": [
                None if math.isnan(a.shares[c][j]) else float(a.shares[c][j]) for c in a.indicators
            ],
        }
        for j in order
    ]


@router.get("/risk/audit")
def audit_page(request: Request) -> Response:
    """The audit of a preset with the weights in the address."""
    from bakuhub.risk import audit as audit_core
    from bakuhub.risk import service

    preset = read_preset(request)
    weights_form, chosen = _chosen(request, preset)
    _rows, choices, _errors = read_choices(request.query_params, preset)
    a = service.audit_index(preset=preset, weights=chosen or None, choices=choices)
    pairs = sorted(
        a.pairs,
        key=lambda p: (not p.same_pillar, math.isnan(p.pearson), -abs(p.pearson), p.a, p.b),
    )
    context = {
        "preset": preset,
        "view": view_of(preset),
        "weights": weights_form,
        "weights_words": weights_words(weights_form),
        "custom": bool(chosen),
        "construction": describe(choices),
        "query": profile_query(preset, chosen, choices=choices),
        "a": a,
        "pairs": pairs,
        "heat": heat_map(a.indicators, a.labels, a.pearson),
        "rows": _share_rows(a),
        "shown": SHOWN,
        "limits": audit_core,
    }
    return render(request, "risk_audit.html", context)


def _run_number(request: Request, key: str) -> int | None:
    """Run ``key`` (a or b) of the address: a stored run's number, or None when absent."""
    text = (request.query_params.get(key) or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 12 or not 1 <= int(text) <= MAX_ID:
        raise InvalidInput(
            _(
                "Run {run}: '{text}' is not the number of a stored run; pick a run from the list."
            ).format(run=key.upper(), text=text[:40])
        )
    return int(text)


def _comparison(request: Request, session: Any) -> tuple[Any, dict[str, Any]]:
    """Stored runs a and b, or else the preset's default weights against those given."""
    from bakuhub.risk import service
    from bakuhub.risk.compare import compare

    a, b = _run_number(request, "a"), _run_number(request, "b")
    if a is not None and b is not None:
        for number in (a, b):
            try:
                service.get_run(session=session, run_id=number)
            except NotFound as missing:
                raise NotFound(
                    _(
                        "No risk run {run}: it may never have been stored, or the address was "
                        "mistyped. Pick two runs from the list on the risk page (/risk)."
                    ).format(run=number)
                ) from missing
        return service.compare_runs(session=session, a=a, b=b), {"a": a, "b": b}
    if a is not None or b is not None:
        raise InvalidInput(_("Pick two runs to compare: run A and run B."))
    preset = read_preset(request)
    _form, chosen = _chosen(request, preset)
    _rows, choices, _errors = read_choices(request.query_params, preset)
    title = view_of(preset).title
    given = [_("weights {weights}").format(weights=weights_words(_form))] if chosen else []
    given += [describe(choices)] if describe(choices) else []
    published = _("{index}, as published").format(index=title)
    comparison = compare(
        service.preset_side(preset=preset, weights=None, label=published),
        service.preset_side(
            preset=preset,
            weights=chosen or None,
            choices=choices,
            label=_("{index}, {settings}").format(index=title, settings="; ".join(given))
            if given
            else published,
        ),
    )
    query = profile_query(preset, chosen, choices=choices)
    return comparison, {"preset": preset, "query": query}


@router.get("/risk/compare")
def compare_page(request: Request, session: SessionDep) -> Response:
    """Two runs compared: the settings that differ and the countries that moved."""
    comparison, picked = _comparison(request, session)
    context = {
        "c": comparison,
        "picked": picked,
        "moves": [m for m in comparison.moves if m.move != 0][:SHOWN],
        "shown": SHOWN,
        **runs_to_pick(session, picked.get("a"), picked.get("b")),
    }
    return render(request, "risk_compare.html", context)
