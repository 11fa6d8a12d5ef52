"""API shapes of the risk index."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from bakuhub.risk.spec import Aggregation, Imputation, Normalisation, Outlier
from bakuhub.timestamps import UtcDateTime

MAX_WEIGHT = 1e6
"""The largest relative weight accepted (larger ones only overflow the arithmetic)."""

Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT, allow_inf_nan=False)]
Threshold = Annotated[float, Field(ge=-1e6, le=1e6, allow_inf_nan=False)]


class ObservationIn(BaseModel):
    """One value of an indicator you supply, e.g. ``displaced_persons`` in persons."""

    model_config = ConfigDict(extra="forbid")

    iso3: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 3166 alpha-3 code.")
    year: int = Field(ge=1900, le=2100)
    indicator: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Indicator code.")
    value: float = Field(allow_inf_nan=False, ge=-1e15, le=1e15)


class RecomputeIn(BaseModel):
    """A ranking with custom settings; weights map a pillar or indicator code to its
    relative weight within its parent (e.g. ``{"conflict": 2}``)."""

    model_config = ConfigDict(extra="forbid")

    preset: str = Field("hub", description="hub (default), ndgain or inform.")
    weights: dict[Annotated[str, Field(max_length=100)], Weight] | None = Field(
        None, description="Code -> relative weight (0 to 1e6)."
    )
    draws: int | None = Field(None, ge=1, le=10_000, description="Monte Carlo draws.")
    seed: int | None = Field(
        None, ge=0, le=2**32 - 1, description="Seed of the Monte Carlo draws (0 to 2**32-1)."
    )
    window_end: int = Field(2024, ge=1946, le=2100, description="Last year of the conflict window.")
    window_years: int = Field(10, ge=1, le=80, description="Length of the conflict window.")
    thresholds: list[Threshold] | None = Field(
        None, description="Class thresholds, increasing (e.g. a new INFORM release's)."
    )
    normalisation: Normalisation | None = Field(
        None,
        description="How every indicator becomes a 0-10 score: minmax (on the goalposts), "
        "zscore, rank (percentile) or target (distance to target); default: the preset's own.",
    )
    outlier: Outlier | None = Field(
        None,
        description="Outlier treatment of every indicator: none, clip (to the goalposts), "
        "winsor (2.5 % each end) or skew_kurt (Winsorise or log by skew and kurtosis); "
        "default: the preset's own.",
    )
    imputation: Imputation | None = Field(
        None,
        description="How missing values are filled: none, group_mean, regression or em "
        "(imputed cells are flagged); default: the preset's own.",
    )
    aggregation: Aggregation | None = Field(
        None,
        description="How the pillars are combined: arithmetic or geometric mean; default: "
        "the preset's own.",
    )
    observations: list[ObservationIn] | None = Field(
        None,
        description="Indicator values to add (they replace shipped values of the same "
        "indicator), e.g. displaced_persons for the Hub index's displacement pillar.",
    )
    top: int | None = Field(None, ge=1, le=100_000, description="Return only the first N rows.")


class ScoreOut(BaseModel):
    """One country's row of a ranking."""

    model_config = ConfigDict(from_attributes=True)

    iso3: str
    name: str
    score: float | None
    rank: int | None
    rank_median: int | None
    rank_low: int | None
    rank_high: int | None
    risk_class: str | None
    completeness: float
    pillars: dict[str, float | None] = Field(
        description="The country's 0-10 score by pillar code (null without enough data)."
    )


class RunSummary(BaseModel):
    """A stored run without its rows."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    preset: str
    title: str
    created_at: UtcDateTime
    created_by: str
    engine_version: str
    settings_digest: str
    inputs_digest: str
    countries: int
    ranked: int


class RunOut(RunSummary):
    """A stored run with its settings and rows (best rank first)."""

    settings: dict[str, Any]
    rows: list[ScoreOut]
    notes: list[str] = Field(
        default_factory=list,
        description="Sentences on pillars without data and what was done with their "
        "weight, e.g. the Hub index's displacement pillar when no displacement data "
        "was given.",
    )
