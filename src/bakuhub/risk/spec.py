"""Specification of a composite index: indicators, their treatment, and the pillar tree.

Plain frozen dataclasses, so a specification can be hashed, compared, written to JSON
(:func:`model_to_dict`) and read back (:func:`model_from_dict`) to reproduce a result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Aggregation = Literal["arithmetic", "geometric"]
Transform = Literal["none", "log", "log10_1p", "per_100k"]
Outlier = Literal["none", "clip", "winsor", "skew_kurt"]
Normalisation = Literal["minmax", "zscore", "rank", "target"]
Imputation = Literal["none", "group_mean", "regression", "em"]
TieMethod = Literal["min", "dense", "ordinal"]

AGGREGATIONS: tuple[Aggregation, ...] = ("arithmetic", "geometric")
TRANSFORMS: tuple[Transform, ...] = ("none", "log", "log10_1p", "per_100k")
OUTLIERS: tuple[Outlier, ...] = ("none", "clip", "winsor", "skew_kurt")
NORMALISATIONS: tuple[Normalisation, ...] = ("minmax", "zscore", "rank", "target")
IMPUTATIONS: tuple[Imputation, ...] = ("none", "group_mean", "regression", "em")


def _check_choice(what: str, value: object, allowed: tuple[str, ...]) -> None:
    """Raise ``ValueError`` with a sentence when ``value`` is not one of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}; got {value!r}.")


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
    ``outlier="winsor"``; ``outlier="skew_kurt"`` is COINr's skew-kurtosis rule
    (:mod:`bakuhub.risk.outliers`).

    ``normalisation`` picks how treated values become 0-10 scores (see
    :func:`bakuhub.risk.steps.normalise_by`): ``"minmax"`` on the goalposts,
    ``"zscore"`` (mean -+ 3 standard deviations map to 0 and 10), ``"rank"``
    (percentile rank) or ``"target"`` (distance to ``target``, in the same units as
    the goalposts: the value a country should reach; ``None`` takes the best goalpost,
    or the best observed value without goalposts).
    """

    indicator: str
    transforms: tuple[Transform, ...] = ()
    outlier: Outlier = "clip"
    winsor: tuple[float, float] = (0.025, 0.975)
    goalposts: tuple[float, float] | None = None
    normalisation: Normalisation = "minmax"
    target: float | None = None

    def __post_init__(self) -> None:
        where = f"indicator {self.indicator!r}"
        _check_choice(f"The outlier treatment of {where}", self.outlier, OUTLIERS)
        _check_choice(f"The normalisation of {where}", self.normalisation, NORMALISATIONS)
        if self.target is not None and not math.isfinite(self.target):
            raise ValueError(f"The target of {where} must be a finite number; got {self.target}.")


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
    ``imputation`` fills missing raw values before any transform
    (:mod:`bakuhub.risk.impute`); ``"none"`` leaves them to the missing-data rule.
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
    imputation: Imputation = "none"

    def __post_init__(self) -> None:
        _check_choice(f"The imputation of index {self.name!r}", self.imputation, IMPUTATIONS)

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
                "normalisation": t.normalisation,
                "target": t.target,
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
        "imputation": model.imputation,
    }


def model_from_dict(d: dict[str, Any]) -> IndexModel:
    """Inverse of :func:`model_to_dict`; fields missing from older stored dicts
    (``normalisation``, ``target``, ``imputation``) take their defaults."""
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
                normalisation=t.get("normalisation", "minmax"),
                target=None if t.get("target") is None else float(t["target"]),
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
        imputation=d.get("imputation", "none"),
    )


def with_choices(
    model: IndexModel,
    *,
    normalisation: Normalisation | None = None,
    outlier: Outlier | None = None,
    imputation: Imputation | None = None,
    aggregation: Aggregation | None = None,
) -> IndexModel:
    """A copy of ``model`` with construction choices applied (``None`` keeps the model's).

    ``normalisation`` and ``outlier`` go to every treatment, ``imputation`` to the
    model and ``aggregation`` to the root pillar (sub-pillars keep their own, as the
    Monte Carlo does by default). Pure and cheap: for sensitivity analyses that build
    thousands of variants.
    """
    if aggregation is not None:
        _check_choice("The aggregation", aggregation, AGGREGATIONS)
    treatments = model.treatments
    if normalisation is not None or outlier is not None:
        treatments = tuple(
            replace(
                t,
                normalisation=t.normalisation if normalisation is None else normalisation,
                outlier=t.outlier if outlier is None else outlier,
            )
            for t in treatments
        )
    root = model.root if aggregation is None else replace(model.root, aggregation=aggregation)
    return replace(
        model,
        treatments=treatments,
        root=root,
        imputation=model.imputation if imputation is None else imputation,
    )
