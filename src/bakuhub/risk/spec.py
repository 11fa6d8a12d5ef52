"""Specification of a composite index: indicators, their treatment, and the pillar tree.

Plain frozen dataclasses, so a specification can be hashed, compared, written to JSON
(:func:`model_to_dict`) and read back (:func:`model_from_dict`) to reproduce a result.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

Aggregation = Literal["arithmetic", "geometric"]
Transform = Literal["none", "log", "log10_1p", "per_100k"]
Outlier = Literal["none", "clip", "winsor"]
TieMethod = Literal["min", "dense", "ordinal"]

AGGREGATIONS: tuple[Aggregation, ...] = ("arithmetic", "geometric")
TRANSFORMS: tuple[Transform, ...] = ("none", "log", "log10_1p", "per_100k")
OUTLIERS: tuple[Outlier, ...] = ("none", "clip", "winsor")


@dataclass(frozen=True)
class Indicator:
    """What an indicator measures and where it comes from.

    ``higher_is_worse`` is the direction: True when a larger raw value means more risk.
    """

    code: str
    name: str
    source: str
    unit: str
    higher_is_worse: bool
    vintage: str


@dataclass(frozen=True)
class Treatment:
    """How one indicator is turned into a 0-10 score (10 = most risk).

    ``transforms`` are applied in order; ``goalposts`` are the (lower, upper) bounds of
    the min-max normalisation in transformed units, ``None`` meaning the observed
    minimum and maximum. ``winsor`` gives the lower and upper quantiles for
    ``outlier="winsor"``.
    """

    indicator: str
    transforms: tuple[Transform, ...] = ()
    outlier: Outlier = "clip"
    winsor: tuple[float, float] = (0.025, 0.975)
    goalposts: tuple[float, float] | None = None


@dataclass(frozen=True)
class Node:
    """A pillar: children (indicator codes or sub-pillars), weights and aggregation.

    ``min_coverage`` is the share of the node's weight that must have data for the
    node to get a value; otherwise the node is missing. ``offset`` is the shift ``c``
    of the geometric mean ``exp(sum w ln(s + c)) - c`` (0 for the plain geometric
    mean; 1 keeps a zero on one child from zeroing the node).
    """

    code: str
    name: str
    children: tuple[str | Node, ...]
    weights: tuple[float, ...]
    aggregation: Aggregation = "arithmetic"
    min_coverage: float = 1.0
    offset: float = 0.0

    def child_codes(self) -> tuple[str, ...]:
        """Codes of the direct children, in order."""
        return tuple(c if isinstance(c, str) else c.code for c in self.children)


@dataclass(frozen=True)
class Classes:
    """Named classes by thresholds: ``labels[i]`` for ``thresholds[i-1] <= x < thresholds[i]``."""

    thresholds: tuple[float, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class MonteCarlo:
    """Uncertainty settings: each weight is drawn uniformly in ``w (1 +- spread)`` and
    renormalised; the aggregation of the pillars named in ``vary`` (``None``: the root
    only) is drawn from ``aggregations``; other pillars keep their own."""

    draws: int = 1000
    seed: int = 20241111
    spread: float = 0.5
    aggregations: tuple[Aggregation, ...] = AGGREGATIONS
    interval: float = 0.9
    vary: tuple[str, ...] | None = None


@dataclass(frozen=True)
class IndexModel:
    """A whole index: indicator treatments, the pillar tree and reporting choices.

    The reported score is ``report_offset + report_factor * R`` where ``R`` is the
    0-10 risk at the root; ranks put the highest reported score first when
    ``rank_highest_first``, after rounding to ``rank_decimals`` when given.
    """

    name: str
    title: str
    treatments: tuple[Treatment, ...]
    root: Node
    classes: Classes | None = None
    montecarlo: MonteCarlo = field(default_factory=MonteCarlo)
    report_offset: float = 0.0
    report_factor: float = 1.0
    rank_highest_first: bool = True
    rank_decimals: int | None = None
    ties: TieMethod = "min"

    def treatment(self, code: str) -> Treatment:
        """The treatment of indicator ``code``."""
        for t in self.treatments:
            if t.indicator == code:
                return t
        raise KeyError(code)


def nodes(root: Node) -> list[Node]:
    """All pillars of the tree, children before parents (post-order)."""
    out: list[Node] = []
    for child in root.children:
        if isinstance(child, Node):
            out.extend(nodes(child))
    out.append(root)
    return out


def leaves(root: Node) -> list[str]:
    """Indicator codes of the tree, left to right."""
    out: list[str] = []
    for child in root.children:
        out.extend([child] if isinstance(child, str) else leaves(child))
    return out


def with_weights(root: Node, weights: dict[str, float]) -> Node:
    """A copy of the tree where ``weights[code]`` replaces the weight of child ``code``.

    Codes not in the tree raise ``KeyError`` so a typo is never silently ignored.
    """
    known = {code for n in nodes(root) for code in n.child_codes()}
    unknown = sorted(set(weights) - known)
    if unknown:
        raise KeyError(", ".join(unknown))

    def rebuild(node: Node) -> Node:
        kids = tuple(c if isinstance(c, str) else rebuild(c) for c in node.children)
        ws = tuple(
            float(weights.get(code, w))
            for code, w in zip(node.child_codes(), node.weights, strict=True)
        )
        return replace(node, children=kids, weights=ws)

    return rebuild(root)


def node_to_dict(node: Node) -> dict[str, Any]:
    """JSON-ready form of a pillar tree."""
    return {
        "code": node.code,
        "name": node.name,
        "children": [c if isinstance(c, str) else node_to_dict(c) for c in node.children],
        "weights": list(node.weights),
        "aggregation": node.aggregation,
        "min_coverage": node.min_coverage,
        "offset": node.offset,
    }


def node_from_dict(d: dict[str, Any]) -> Node:
    """Inverse of :func:`node_to_dict`."""
    return Node(
        code=d["code"],
        name=d["name"],
        children=tuple(c if isinstance(c, str) else node_from_dict(c) for c in d["children"]),
        weights=tuple(float(w) for w in d["weights"]),
        aggregation=d["aggregation"],
        min_coverage=float(d["min_coverage"]),
        offset=float(d["offset"]),
    )


def model_to_dict(model: IndexModel) -> dict[str, Any]:
    """JSON-ready form of a whole index specification."""
    mc = model.montecarlo
    return {
        "name": model.name,
        "title": model.title,
        "treatments": [
            {
                "indicator": t.indicator,
                "transforms": list(t.transforms),
                "outlier": t.outlier,
                "winsor": list(t.winsor),
                "goalposts": None if t.goalposts is None else list(t.goalposts),
            }
            for t in model.treatments
        ],
        "root": node_to_dict(model.root),
        "classes": None
        if model.classes is None
        else {"thresholds": list(model.classes.thresholds), "labels": list(model.classes.labels)},
        "montecarlo": {
            "draws": mc.draws,
            "seed": mc.seed,
            "spread": mc.spread,
            "aggregations": list(mc.aggregations),
            "interval": mc.interval,
            "vary": None if mc.vary is None else list(mc.vary),
        },
        "report_offset": model.report_offset,
        "report_factor": model.report_factor,
        "rank_highest_first": model.rank_highest_first,
        "rank_decimals": model.rank_decimals,
        "ties": model.ties,
    }


def model_from_dict(d: dict[str, Any]) -> IndexModel:
    """Inverse of :func:`model_to_dict`."""
    classes = d.get("classes")
    mc = d["montecarlo"]
    return IndexModel(
        name=d["name"],
        title=d["title"],
        treatments=tuple(
            Treatment(
                indicator=t["indicator"],
                transforms=tuple(t["transforms"]),
                outlier=t["outlier"],
                winsor=(float(t["winsor"][0]), float(t["winsor"][1])),
                goalposts=None
                if t["goalposts"] is None
                else (float(t["goalposts"][0]), float(t["goalposts"][1])),
            )
            for t in d["treatments"]
        ),
        root=node_from_dict(d["root"]),
        classes=None
        if classes is None
        else Classes(tuple(float(x) for x in classes["thresholds"]), tuple(classes["labels"])),
        montecarlo=MonteCarlo(
            draws=int(mc["draws"]),
            seed=int(mc["seed"]),
            spread=float(mc["spread"]),
            aggregations=tuple(mc["aggregations"]),
            interval=float(mc["interval"]),
            vary=None if mc.get("vary") is None else tuple(mc["vary"]),
        ),
        report_offset=float(d["report_offset"]),
        report_factor=float(d["report_factor"]),
        rank_highest_first=bool(d["rank_highest_first"]),
        rank_decimals=d["rank_decimals"],
        ties=d["ties"],
    )
