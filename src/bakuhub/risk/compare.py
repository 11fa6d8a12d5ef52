"""Compare two runs of an index: which countries moved, and why.

A run is seen as a :class:`Side`: its settings (the index specification and the
window, as stored in a run), the digest of its inputs and its scored result. The
comparison lists the settings that differ (weights, aggregation, treatments,
Monte Carlo, window, data), and for each country its rank and score in both runs
with the indicator contributions that changed most (each indicator's points of the
0-10 risk, from :func:`bakuhub.risk.audit.shares`).

Pure: numpy only, no database, web or files.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from bakuhub.i18n import _
from bakuhub.risk.audit import shares
from bakuhub.risk.index import IndexResult
from bakuhub.risk.steps import Array

DRIVERS = 3
"""How many indicators explain each country's move."""


@dataclass(frozen=True)
class Side:
    """One run to compare: a label, its settings, its inputs' digest and its result."""

    label: str
    settings: dict[str, Any]
    inputs_digest: str
    result: IndexResult
    names: dict[str, str] = field(default_factory=dict)
    """Readable names of the indicators, by code."""


@dataclass(frozen=True)
class Difference:
    """A setting that differs: where it is, its value in run A and in run B."""

    setting: str
    a: str
    b: str


@dataclass(frozen=True)
class Driver:
    """How one indicator's part of a country's 0-10 risk changed from A to B.

    ``points`` = share of the risk the indicator explains x risk; ``change`` = B - A
    (a missing part counts as 0).
    """

    code: str
    name: str
    score_a: float
    score_b: float
    points_a: float
    points_b: float
    change: float


@dataclass(frozen=True)
class Move:
    """A country ranked in both runs: ranks, scores and the drivers of the change.

    ``move`` = rank in A - rank in B: positive when the country comes nearer rank 1 in B.
    """

    iso3: str
    name: str
    rank_a: int
    rank_b: int
    move: int
    score_a: float
    score_b: float
    drivers: list[Driver]


@dataclass(frozen=True)
class Comparison:
    """Two runs compared: settings that differ, movers (largest move first), the
    countries ranked in only one run, and whether both are the same index."""

    a: str
    b: str
    same_index: bool
    differences: list[Difference]
    moves: list[Move]
    only_a: list[str]
    only_b: list[str]

    @property
    def moved(self) -> int:
        """How many countries changed rank."""
        return sum(m.move != 0 for m in self.moves)


def _plain(value: Any) -> Any:
    """Numbers written one way (1.0 and 1 are the same setting)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else float(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(_plain(value), sort_keys=True)


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), sub, out)
    else:
        out[prefix] = _text(value)


def _tree(node: dict[str, Any], out: dict[str, str]) -> None:
    code = node["code"]
    out[_("aggregation of {pillar}").format(pillar=code)] = _text(node["aggregation"])
    out[_("geometric offset of {pillar}").format(pillar=code)] = _text(node.get("offset"))
    out[_("minimum coverage of {pillar}").format(pillar=code)] = _text(node.get("min_coverage"))
    for child, weight in zip(node["children"], node["weights"], strict=True):
        name = child if isinstance(child, str) else child["code"]
        key = _("weight of {child} in {pillar}").format(child=name, pillar=code)
        out[key] = f"{float(weight):g}"
        if isinstance(child, dict):
            _tree(child, out)
    known = ("code", "name", "children", "weights", "aggregation", "offset", "min_coverage")
    for key, value in node.items():
        if key not in known:
            _flatten(_("{setting} of {pillar}").format(setting=key, pillar=code), value, out)


def settings_items(settings: dict[str, Any]) -> dict[str, str]:
    """A run's settings as readable ``setting -> value`` pairs.

    The pillar tree gives ``weight of CHILD in PILLAR`` (the relative weight as set),
    ``aggregation of PILLAR`` and its offset and coverage; each treatment gives
    ``FIELD of INDICATOR``; everything else (classes, Monte Carlo, reporting, window
    and any setting added later) its dotted path.
    """
    out: dict[str, str] = {}
    model = dict(settings.get("model", {}))
    if "root" in model:
        _tree(model.pop("root"), out)
    for t in model.pop("treatments", []):
        for key, value in t.items():
            if key != "indicator":
                setting = _("{setting} of {indicator}").format(
                    setting=key, indicator=t["indicator"]
                )
                out[setting] = _text(value)
    _flatten("", model, out)
    _flatten("", {k: v for k, v in settings.items() if k != "model"}, out)
    return out


def differences(a: Side, b: Side) -> list[Difference]:
    """The settings that differ between the runs, in A's order, then the data."""
    sa, sb = settings_items(a.settings), settings_items(b.settings)
    keys = list(sa) + [k for k in sb if k not in sa]
    unset = _("(not set)")
    out = [
        Difference(k, sa.get(k, unset), sb.get(k, unset)) for k in keys if sa.get(k) != sb.get(k)
    ]
    if a.inputs_digest != b.inputs_digest:
        out.append(
            Difference(
                _("data (SHA-256 of the inputs)"), a.inputs_digest[:12], b.inputs_digest[:12]
            )
        )
    return out


def _points(result: IndexResult) -> dict[str, Array]:
    return {code: share * result.risk for code, share in shares(result).items()}


def _num(x: float) -> float:
    return 0.0 if math.isnan(x) else x


def drivers(
    a: Side, b: Side, ja: int, jb: int, pa: dict[str, Array], pb: dict[str, Array]
) -> list[Driver]:
    """The indicators whose points changed most for one country (largest first)."""
    names = {**b.names, **a.names}
    out = []
    for code in [c for c in pa if c in pb] + [c for c in pb if c not in pa]:
        points_a = float(pa[code][ja]) if code in pa else math.nan
        points_b = float(pb[code][jb]) if code in pb else math.nan
        sa = a.result.indicator_scores.get(code)
        sb = b.result.indicator_scores.get(code)
        out.append(
            Driver(
                code=code,
                name=_(names.get(code, code)),
                score_a=math.nan if sa is None else float(sa[ja]),
                score_b=math.nan if sb is None else float(sb[jb]),
                points_a=points_a,
                points_b=points_b,
                change=_num(points_b) - _num(points_a),
            )
        )
    out.sort(key=lambda d: (-abs(d.change), d.code))
    return out[:DRIVERS]


def compare(a: Side, b: Side) -> Comparison:
    """Compare run A with run B: differing settings, movers and their drivers."""
    ra, rb = a.result, b.result
    pos_b = {iso: j for j, iso in enumerate(rb.countries)}
    pa, pb = _points(ra), _points(rb)
    moves: list[Move] = []
    only_a: list[str] = []
    ranked_b = {iso for j, iso in enumerate(rb.countries) if not math.isnan(rb.rank[j])}
    for ja, iso in enumerate(ra.countries):
        jb = pos_b.get(iso)
        ranked_a = not math.isnan(ra.rank[ja])
        if jb is None or math.isnan(rb.rank[jb]):
            if ranked_a:
                only_a.append(iso)
            continue
        ranked_b.discard(iso)
        if not ranked_a:
            continue
        rank_a, rank_b = int(ra.rank[ja]), int(rb.rank[jb])
        moves.append(
            Move(
                iso3=iso,
                name=ra.names[ja],
                rank_a=rank_a,
                rank_b=rank_b,
                move=rank_a - rank_b,
                score_a=float(ra.score[ja]),
                score_b=float(rb.score[jb]),
                drivers=drivers(a, b, ja, jb, pa, pb),
            )
        )
    moves.sort(key=lambda m: (-abs(m.move), -abs(m.score_b - m.score_a), m.iso3))
    return Comparison(
        a=a.label,
        b=b.label,
        same_index=ra.model.name == rb.model.name,
        differences=differences(a, b),
        moves=moves,
        only_a=sorted(only_a),
        only_b=sorted(ranked_b),
    )


def _json_num(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 6)


def to_dict(c: Comparison, top: int | None = None) -> dict[str, Any]:
    """JSON-ready form of a comparison (NaN as ``null``; the first ``top`` movers)."""
    return {
        "a": c.a,
        "b": c.b,
        "same_index": c.same_index,
        "moved": c.moved,
        "differences": [d.__dict__ for d in c.differences],
        "only_a": c.only_a,
        "only_b": c.only_b,
        "moves": [
            {
                **{k: v for k, v in m.__dict__.items() if k != "drivers"},
                "score_a": _json_num(m.score_a),
                "score_b": _json_num(m.score_b),
                "drivers": [
                    {k: _json_num(v) if isinstance(v, float) else v for k, v in d.__dict__.items()}
                    for d in m.drivers
                ],
            }
            for m in c.moves[: top or None]
        ],
    }
