"""Which construction choice moves which country: variance-based sensitivity of each
country's rank and score to the uncertain choices of an index.

The factors (:func:`factors_of`) are the choices a builder of the index could have
made otherwise:

- the weight of each top-level pillar, multiplied by ``u ~ U(1 - s, 1 + s)``
  (``s`` = the model's Monte Carlo spread) and renormalised;
- the aggregation of the pillars the Monte Carlo varies (arithmetic or geometric);
- the outlier treatment, the normalisation and the imputation, each applied to
  every indicator;
- the conflict window (5, 10 or 20 years), a choice of input table.

A discrete choice is a uniform ``x`` in [0, 1) mapped to option ``floor(k x)``, the
usual way of putting "triggers" into a variance-based analysis (Saisana, Saltelli &
Tarantola 2005, J. R. Stat. Soc. A 168(2) 307-323). The design and the estimators are
in :mod:`bakuhub.risk.sobol`.

Evaluation is vectorised as in :func:`bakuhub.risk.montecarlo.simulate_risk`: the
indicator scores are computed once per combination of indicator-level choices, then
every run of that combination is aggregated at once. The missing-data rule is held at
its outcome under each combination's nominal weights, so a weight never drops or adds
a country. Countries without a score under every combination are not analysed, and
are listed with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from bakuhub.i18n import N_
from bakuhub.risk import sobol, spec, steps
from bakuhub.risk.index import (
    IndicatorData,
    check_data,
    evaluate_tree,
    impute_data,
    report,
    score_index,
    score_indicator,
)
from bakuhub.risk.spec import IndexModel, Node, leaves
from bakuhub.risk.steps import Array

IntArray = npt.NDArray[np.int64]
WINDOW_YEARS = (5, 10, 20)
WEIGHT_OF = N_("Weight of {pillar}")
"""A weight factor's label (English here: the analysis is cached for every reader; a
page translates this and the pillar's name when it shows them)."""
NEVER_SCORED = N_("no score under any choice (too little data)")
SOMETIMES_SCORED = N_("a score under some choices only (too little data under the others)")
INDICATOR_CHOICES = ("outlier", "normalisation", "imputation")


@dataclass(frozen=True)
class DataOption:
    """One option of the input-table choice (the conflict window): the model fitted
    to it (e.g. goalposts of the window's length) and the table."""

    label: str
    model: IndexModel
    data: IndicatorData


@dataclass(frozen=True)
class Factor:
    """An uncertain choice: ``options`` for a discrete one (drawn uniform in [0, 1)),
    else a weight multiplier on ``bounds``."""

    code: str
    label: str
    bounds: tuple[float, float] = (0.0, 1.0)
    options: tuple[str, ...] = ()

    def option(self, x: Array) -> IntArray:
        """The option index of draws ``x`` in [0, 1): ``floor(k x)``."""
        k = len(self.options)
        return np.minimum((np.asarray(x) * k).astype(np.int64), k - 1)


@dataclass(frozen=True)
class Sensitivity:
    """Sobol indices of each analysed country's rank and score (``(d, m)`` arrays of
    :class:`sobol.SobolIndices`, factor by country) with what the analysis used."""

    title: str
    factors: tuple[Factor, ...]
    countries: tuple[str, ...]
    names: tuple[str, ...]
    rank: sobol.SobolIndices
    score: sobol.SobolIndices
    nominal_rank: Array
    rank_low: Array
    rank_high: Array
    excluded: tuple[tuple[str, str, str], ...]
    base_samples: int
    evaluations: int
    seed: int
    seconds: dict[str, float]


def _child_name(node: Node, code: str, data: IndicatorData) -> str:
    for child in node.children:
        if isinstance(child, Node) and child.code == code:
            return child.name
    meta = data.indicators.get(code)
    return meta.name if meta is not None else code


def factors_of(model: IndexModel, options: Sequence[DataOption]) -> tuple[Factor, ...]:
    """The uncertain choices of ``model`` (see the module docstring); a choice with one
    option, or one the engine does not have, is no factor."""
    root, mc, data = model.root, model.montecarlo, options[0].data
    out: list[Factor] = []
    if len(root.children) > 1:
        for code in root.child_codes():
            name = _child_name(root, code, data)
            label = WEIGHT_OF.format(pillar=name)
            out.append(Factor(f"w_{code}", label, (1 - mc.spread, 1 + mc.spread)))
    if len(mc.aggregations) > 1:
        out.append(Factor("aggregation", N_("Aggregation"), options=tuple(mc.aggregations)))
    out.append(Factor("outlier", N_("Outlier treatment"), options=spec.OUTLIERS))
    out.append(Factor("normalisation", N_("Normalisation"), options=spec.NORMALISATIONS))
    out.append(Factor("imputation", N_("Imputation"), options=spec.IMPUTATIONS))
    if len(options) > 1:
        labels = tuple(o.label for o in options)
        out.append(Factor("window", N_("Conflict window"), options=labels))
    return tuple(out)


def with_choices(model: IndexModel, picks: dict[str, int]) -> IndexModel:
    """``model`` with the indicator-level options picked (by index) applied to every
    indicator (imputation to the model): :func:`bakuhub.risk.spec.with_choices`."""
    outlier, norm, imp = (picks.get(k) for k in INDICATOR_CHOICES)
    return spec.with_choices(
        model,
        outlier=None if outlier is None else spec.OUTLIERS[outlier],
        normalisation=None if norm is None else spec.NORMALISATIONS[norm],
        imputation=None if imp is None else spec.IMPUTATIONS[imp],
    )


def with_aggregation(root: Node, method: spec.Aggregation, vary: set[str]) -> Node:
    """The tree with the pillars in ``vary`` aggregated by ``method``."""
    kids = tuple(
        c if isinstance(c, str) else with_aggregation(c, method, vary) for c in root.children
    )
    agg = method if root.code in vary else root.aggregation
    return replace(root, children=kids, aggregation=agg)


@dataclass(frozen=True)
class _Runs:
    """The outputs of every run on the union of the options' countries."""

    countries: tuple[str, ...]
    names: tuple[str, ...]
    score: Array
    rank: Array


def _aligned(values: Array, rows: IntArray, n: int) -> Array:
    out = np.full(n, np.nan)
    out[rows] = values
    return out


def _union(options: Sequence[DataOption]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    names: dict[str, str] = {}
    for o in options:
        for code, name in zip(o.data.countries, o.data.names, strict=True):
            names.setdefault(code, name)
    countries = tuple(sorted(names))
    return countries, tuple(names[c] for c in countries)


def _combination_risk(
    model: IndexModel, leaf: dict[str, Array], agg: int | None, weights: Array
) -> Array:
    """Root risk ``(S, n)`` of the runs sharing indicator scores ``leaf`` and the
    aggregation option ``agg``, with root weights ``(S, m)``."""
    mc, root = model.montecarlo, model.root
    vary = {root.code} if mc.vary is None else set(mc.vary)
    tree = root if agg is None else with_aggregation(root, mc.aggregations[agg], vary)
    nodes = evaluate_tree(tree, leaf)
    kids = np.stack([leaf[c] if c in leaf else nodes[c] for c in tree.child_codes()], axis=-1)
    risk = steps.aggregate(
        kids[None], weights[:, None, :], tree.aggregation, min_coverage=0.0, offset=tree.offset
    )
    return np.where(~np.isnan(nodes[tree.code])[None, :], risk, np.nan)


def _root_weights(model: IndexModel, factors: Sequence[Factor], x: Array) -> Array:
    """Root weights of every run ``(S, m)``: nominal weights times the drawn
    multipliers, renormalised (1 for a child whose weight is no factor)."""
    nominal = steps.normalise_weights(model.root.weights)
    u = np.ones((x.shape[0], len(nominal)))
    column = {f.code: i for i, f in enumerate(factors)}
    for j, code in enumerate(model.root.child_codes()):
        if f"w_{code}" in column:
            u[:, j] = x[:, column[f"w_{code}"]]
    return steps.normalise_weights(nominal * u)


class _Leaves:
    """Indicator scores per combination of indicator-level choices, aligned on the
    union of countries; imputation (the slow step) done once per table and method."""

    def __init__(self, options: Sequence[DataOption], countries: tuple[str, ...]) -> None:
        self.options = options
        self.where = {c: i for i, c in enumerate(countries)}
        self.imputed: dict[tuple[int, int | None], IndicatorData] = {}
        self.scores: dict[tuple[int, ...], dict[str, Array]] = {}

    def data(self, window: int, model: IndexModel, imputation: int | None) -> IndicatorData:
        key = (window, imputation)
        if key not in self.imputed:
            raw = self.options[window].data
            check_data(model, raw)
            self.imputed[key] = impute_data(model, raw)[0]
        return self.imputed[key]

    def get(self, window: int, picks: dict[str, int]) -> tuple[IndexModel, dict[str, Array]]:
        """The model with ``picks`` applied and its indicator scores."""
        model = with_choices(self.options[window].model, picks)
        key = (window, *(picks.get(k, -1) for k in INDICATOR_CHOICES))
        if key not in self.scores:
            data = self.data(window, model, picks.get("imputation"))
            rows = np.array([self.where[c] for c in data.countries], dtype=np.int64)
            n = len(self.where)
            self.scores[key] = {
                code: _aligned(score_indicator(model, data, code)[3], rows, n)
                for code in dict.fromkeys(leaves(model.root))
            }
        return model, self.scores[key]


def evaluate(
    options: Sequence[DataOption], factors: Sequence[Factor], x: Array, *, nominal: int = 0
) -> _Runs:
    """Score and rank of every country in every run ``x`` ``(S, d)``: the runs that
    share their discrete options are scored together."""
    countries, names = _union(options)
    runs = x.shape[0]
    base = options[nominal].model
    weights = _root_weights(base, factors, x)
    discrete = [(i, f) for i, f in enumerate(factors) if f.options]
    keys = np.stack([f.option(x[:, i]) for i, f in discrete], axis=1).reshape(runs, -1)
    combos, inverse = np.unique(keys, axis=0, return_inverse=True)
    score = np.full((runs, len(countries)), np.nan)
    cache = _Leaves(options, countries)
    for k, combo in enumerate(combos):
        picks = {f.code: int(v) for (_i, f), v in zip(discrete, combo, strict=True)}
        model, leaf = cache.get(picks.get("window", nominal), picks)
        picked = np.flatnonzero(inverse.ravel() == k)
        risk = _combination_risk(model, leaf, picks.get("aggregation"), weights[picked])
        score[picked] = report(model, risk)
    rank = steps.rank(
        score, highest_first=base.rank_highest_first, ties=base.ties, decimals=base.rank_decimals
    )
    return _Runs(countries, names, score, rank)


def _excluded(runs: _Runs, keep: npt.NDArray[np.bool_]) -> tuple[tuple[str, str, str], ...]:
    never = np.all(np.isnan(runs.score), axis=0)
    return tuple(
        (
            code,
            name,
            NEVER_SCORED if never[j] else SOMETIMES_SCORED,
        )
        for j, (code, name) in enumerate(zip(runs.countries, runs.names, strict=True))
        if not keep[j]
    )


def analyse(
    options: Sequence[DataOption],
    *,
    nominal: int = 0,
    n: int = 1024,
    seed: int | None = None,
    resamples: int = 100,
    level: float = 0.95,
) -> Sensitivity:
    """Sobol first- and total-order indices, with bootstrap confidence half-widths,
    of every country's rank and reported score to the factors of the nominal model.

    ``options`` are the input tables to choose between (one: no window factor),
    ``options[nominal]`` the one the index uses; ``n`` base samples give
    ``n (d + 2)`` runs; ``seed`` (default: the model's Monte Carlo seed) fixes the
    design and the bootstrap, so the same call gives the same figures.
    """
    model = options[nominal].model
    seed = model.montecarlo.seed if seed is None else seed
    factors = factors_of(model, options)
    if not factors:
        raise ValueError(f"{model.title} has no uncertain choice to analyse")
    clock = time.perf_counter()
    x = sobol.sample([f.bounds for f in factors], n, seed=seed)
    sampled = time.perf_counter()
    runs = evaluate(options, factors, x, nominal=nominal)
    evaluated = time.perf_counter()
    keep = ~np.any(np.isnan(runs.score), axis=0)
    m = int(keep.sum())
    both = sobol.analyse(
        np.hstack([runs.rank[:, keep], runs.score[:, keep]]),
        len(factors),
        resamples=resamples,
        level=level,
        seed=seed,
    )
    done = time.perf_counter()
    nominal_rank = score_index(model, options[nominal].data).rank
    position = {c: i for i, c in enumerate(options[nominal].data.countries)}
    kept = [c for c, k in zip(runs.countries, keep, strict=True) if k]
    return Sensitivity(
        title=model.title,
        factors=factors,
        countries=tuple(kept),
        names=tuple(nm for nm, k in zip(runs.names, keep, strict=True) if k),
        rank=_part(both, slice(0, m)),
        score=_part(both, slice(m, 2 * m)),
        nominal_rank=np.array(
            [nominal_rank[position[c]] if c in position else np.nan for c in kept]
        ),
        rank_low=np.min(runs.rank[:, keep], axis=0),
        rank_high=np.max(runs.rank[:, keep], axis=0),
        excluded=_excluded(runs, keep),
        base_samples=n,
        evaluations=int(x.shape[0]),
        seed=seed,
        seconds={
            "sampling": sampled - clock,
            "evaluation": evaluated - sampled,
            "analysis": done - evaluated,
        },
    )


def _part(s: sobol.SobolIndices, cols: slice) -> sobol.SobolIndices:
    return sobol.SobolIndices(
        s1=s.s1[:, cols],
        s1_conf=s.s1_conf[:, cols],
        st=s.st[:, cols],
        st_conf=s.st_conf[:, cols],
        constant=s.constant[cols],
        level=s.level,
        resamples=s.resamples,
    )


def _of(result: Sensitivity, of: str) -> sobol.SobolIndices:
    if of not in ("rank", "score"):
        raise ValueError(f"explain the rank or the score, not {of!r}")
    return result.rank if of == "rank" else result.score


def drivers(result: Sensitivity, of: str = "rank") -> list[dict[str, Any]]:
    """Per analysed country, best nominal rank first: the factor with the largest
    total-order index of its rank (``of="score"``: its score; None when it never
    moves), and every factor's S1 and ST with their confidence half-widths."""
    found = _of(result, of)
    rows = []
    for j, code in enumerate(result.countries):
        st = found.st[:, j]
        moves = not bool(found.constant[j])
        top = int(np.argmax(st)) if moves else None
        rows.append(
            {
                "iso3": code,
                "name": result.names[j],
                "rank": _int(result.nominal_rank[j]),
                "rank_low": _int(result.rank_low[j]),
                "rank_high": _int(result.rank_high[j]),
                "driver": None if top is None else result.factors[top].code,
                "driver_label": None if top is None else result.factors[top].label,
                "indices": [
                    {
                        "factor": f.code,
                        "s1": float(found.s1[i, j]),
                        "s1_conf": float(found.s1_conf[i, j]),
                        "st": float(st[i]),
                        "st_conf": float(found.st_conf[i, j]),
                    }
                    for i, f in enumerate(result.factors)
                ],
            }
        )
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["iso3"]))


def overview(result: Sensitivity, of: str = "rank") -> list[dict[str, Any]]:
    """Per factor: mean S1 and ST of the rank (or score) over the analysed countries,
    and the number of countries whose rank (score) it drives most."""
    found = _of(result, of)
    driven = [r["driver"] for r in drivers(result, of)]
    return [
        {
            "factor": f.code,
            "label": f.label,
            "options": list(f.options),
            "bounds": list(f.bounds),
            "mean_s1": float(np.mean(found.s1[i])) if result.countries else 0.0,
            "mean_st": float(np.mean(found.st[i])) if result.countries else 0.0,
            "drives": driven.count(f.code),
        }
        for i, f in enumerate(result.factors)
    ]


def _int(x: float) -> int | None:
    return None if np.isnan(x) else int(x)


def preset_options(
    preset: str, *, years: Sequence[int] = WINDOW_YEARS, end: int = 2024
) -> tuple[list[DataOption], int]:
    """The input tables of a shipped preset and the index of the one it uses: one per
    conflict window for the Hub index (its conflict goalposts fitted to each), one
    for the others (they read no conflict data)."""
    from bakuhub.risk.inputs import Window, assemble
    from bakuhub.risk.presets import get_preset

    default = Window().years
    if preset != "hub":
        return [DataOption("", get_preset(preset), assemble(preset))], 0
    options = [
        DataOption(
            f"{y} years",
            get_preset(preset, window_years=y),
            assemble(preset, window=Window(end=end, years=y)),
        )
        for y in years
    ]
    return options, list(years).index(default) if default in years else 0
