"""API shapes of the risk index's explanations: presets, a country's profile, the audit,
a comparison of two runs and a reproduction check.

They describe what :func:`bakuhub.risk.spec.model_to_dict`, :func:`bakuhub.risk.explain
.explain`, :func:`bakuhub.risk.audit.to_dict` and :func:`bakuhub.risk.compare.to_dict`
return, so that the OpenAPI document states it; the routes send the same JSON as
before. Missing numbers (NaN) are ``null``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bakuhub.risk.spec import Aggregation, Imputation, Normalisation, Outlier, TieMethod, Transform

Number = float | None
"""A number, ``null`` where missing."""


class TreatmentOut(BaseModel):
    """How one indicator is treated before it is scored."""

    indicator: str
    transforms: list[Transform]
    outlier: Outlier
    winsor: list[float] = Field(description="Winsorisation quantiles (low, high).")
    goalposts: list[float] | None = Field(description="Minimum and maximum of minmax scaling.")
    normalisation: Normalisation
    target: float | None


class NodeOut(BaseModel):
    """A pillar of an index: its children (indicator codes or pillars) and their weights."""

    code: str
    name: str
    children: list[str | NodeOut]
    weights: list[float]
    aggregation: Aggregation
    min_coverage: float = Field(description="Share of children a country needs (0 to 1).")
    offset: float = Field(description="Added to scores before a geometric mean.")


class ClassesOut(BaseModel):
    """Risk classes: upper thresholds of the score and their labels."""

    thresholds: list[float]
    labels: list[str]


class MonteCarloOut(BaseModel):
    """The uncertainty analysis of a ranking."""

    draws: int
    seed: int
    spread: float
    aggregations: list[Aggregation]
    interval: float = Field(description="Level of the rank interval (e.g. 0.9).")
    vary: list[str] | None


class IndexSpecOut(BaseModel):
    """A whole index specification (``bakuhub.risk.spec.model_to_dict``)."""

    name: str
    title: str
    treatments: list[TreatmentOut]
    root: NodeOut
    classes: ClassesOut | None
    montecarlo: MonteCarloOut
    report_offset: float
    report_factor: float
    rank_highest_first: bool
    rank_decimals: int | None
    ties: TieMethod
    imputation: Imputation


class PresetOut(BaseModel):
    """A preset: its name, title, the codes whose weights may be set, and its settings."""

    name: str
    title: str
    weight_codes: list[str]
    settings: IndexSpecOut


class Reproduced(BaseModel):
    """Whether recomputing a stored run gave every stored score, rank and interval."""

    run_id: int
    reproduced: bool


class ExplainedIndicator(BaseModel):
    """One indicator of a country's profile: its raw value, each step to its score, and
    its weight and contribution in its pillar (the weight fields come last, as sent)."""

    code: str
    name: str
    source: str
    unit: str
    vintage: str
    direction: Literal["higher is worse", "higher is better"]
    year: int | None
    raw: Number
    transforms: list[Transform]
    transformed: Number
    treated: Number
    goalposts: list[float]
    score: Number
    weight: float | None = Field(
        default=None, description="Normalised weight in the pillar (absent at the root)."
    )
    weight_used: float | None = Field(
        default=None, description="Weight after leaving out children without data."
    )
    value: Number = Field(default=None, description="The child's 0-10 score.")
    contribution: Number = Field(
        default=None, description="Points the child adds to its pillar's score."
    )


class ExplainedNode(BaseModel):
    """One pillar of a country's profile, with its children."""

    code: str
    name: str
    aggregation: Aggregation
    offset: float
    min_coverage: float
    score: Number
    children: list[ExplainedIndicator | ExplainedNode]
    weight: float | None = Field(
        default=None, description="Normalised weight in the pillar (absent at the root)."
    )
    weight_used: float | None = Field(
        default=None, description="Weight after leaving out children without data."
    )
    value: Number = Field(default=None, description="The child's 0-10 score.")
    contribution: Number = Field(
        default=None, description="Points the child adds to its pillar's score."
    )


class CountryProfile(BaseModel):
    """A country in a run: score, rank (and its interval), class, completeness, and the
    pillar tree down to each indicator (``bakuhub.risk.explain.explain``)."""

    model_config = ConfigDict(populate_by_name=True)

    run_id: int
    iso3: str
    name: str
    index: str = Field(description="The index's name (the preset).")
    risk: Number = Field(description="The 0-10 risk before the report scale.")
    score: Number = Field(description="The reported score.")
    rank: Number
    ranked: int = Field(description="How many countries are ranked.")
    risk_class: str | None = Field(alias="class")
    completeness: float
    tree: ExplainedNode
    rank_median: Number = None
    rank_low: Number = None
    rank_high: Number = None
    interval: float | None = Field(default=None, description="Level of the rank interval.")
    report: str | None = Field(
        default=None, description="How the reported score derives from the risk, if it differs."
    )


class AuditLimits(BaseModel):
    """The thresholds the audit flags at."""

    skew: float
    kurtosis: float
    redundant: float
    first_component_share: float


class IndicatorStats(BaseModel):
    """Statistics of one indicator's raw values (``bakuhub.risk.audit.Stats``)."""

    code: str
    name: str
    pillar: str
    n: int
    missing_share: Number
    mean: Number
    sd: Number
    min: Number
    max: Number
    skew: Number
    kurt: Number
    flagged: bool


class CorrelatedPair(BaseModel):
    """The correlation of two series on the countries both have."""

    a: str
    b: str
    pearson: Number
    spearman: Number
    n: int
    same_pillar: bool


class PillarComponent(BaseModel):
    """The first principal component of one pillar's children."""

    pillar: str
    children: list[str]
    share: Number
    eigenvalues: list[Number]
    loadings: list[Number]
    n: int


class AuditFlag(BaseModel):
    """One thing an auditor should look at."""

    kind: Literal["no-data", "outliers", "negative", "redundant", "weak-component"]
    codes: list[str]
    text: str


class AuditOut(BaseModel):
    """The audit of an index (``bakuhub.risk.audit.to_dict``); matrices follow the order
    of ``indicators`` and ``pillars``."""

    source: str
    limits: AuditLimits
    labels: dict[str, str] = Field(description="Readable name by indicator or pillar code.")
    stats: list[IndicatorStats]
    indicators: list[str]
    pearson: list[list[Number]]
    spearman: list[list[Number]]
    pillars: list[str]
    pillar_pearson: list[list[Number]]
    pairs: list[CorrelatedPair]
    components: list[PillarComponent]
    method: str
    shares: dict[str, dict[str, Number]] = Field(
        description="By country ISO3: each indicator's share of the country's score."
    )
    warnings: list[AuditFlag]


class SettingDifference(BaseModel):
    """A setting that differs between two runs."""

    setting: str
    a: str
    b: str


class MoveDriver(BaseModel):
    """How one indicator's part of a country's risk changed from A to B."""

    code: str
    name: str
    score_a: Number
    score_b: Number
    points_a: Number
    points_b: Number
    change: Number


class RankMove(BaseModel):
    """A country ranked in both runs; ``move`` is rank A - rank B."""

    iso3: str
    name: str
    rank_a: int
    rank_b: int
    move: int
    score_a: Number
    score_b: Number
    drivers: list[MoveDriver]


class RiskComparison(BaseModel):
    """Two runs compared (``bakuhub.risk.compare.to_dict``), largest move first."""

    a: str
    b: str
    same_index: bool
    moved: int = Field(description="How many countries changed rank.")
    differences: list[SettingDifference]
    only_a: list[str]
    only_b: list[str]
    moves: list[RankMove]
