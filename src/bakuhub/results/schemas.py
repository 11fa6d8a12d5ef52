"""What the API, the CLI and IATI import accept for results, finance and IATI details."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from bakuhub.i18n import _
from bakuhub.registry.schemas import Ref, Strict, Text, nulls_as
from bakuhub.results.answers import ValueSource
from bakuhub.results.codes import (
    HUMANITARIAN_SCOPE_TYPES,
    SIGNIFICANCE,
    BudgetKind,
    BudgetStatus,
    Dimension,
    Measure,
    PeriodState,
    ResultKind,
    RioMarker,
    Side,
    TransactionKind,
)
from bakuhub.timestamps import UtcDateTime


def currency_code(code: str) -> str:
    """Normalise an ISO 4217 alphabetic currency code (pycountry)."""
    text = code.strip().upper()
    if len(text) != 3 or pycountry.currencies.get(alpha_3=text) is None:
        raise ValueError(
            _("'{code}' is not an ISO 4217 currency code; use e.g. EUR, USD or AZN").format(
                code=code
            )
        )
    return text


def _significance(code: str) -> str:
    if code not in SIGNIFICANCE:
        allowed = ", ".join(f"{k} {v}" for k, v in SIGNIFICANCE.items())
        raise ValueError(
            _("'{code}' is not a Rio marker significance; allowed: {allowed}").format(
                code=code, allowed=allowed
            )
        )
    return code


def _scope_type(code: str) -> str:
    if code not in HUMANITARIAN_SCOPE_TYPES:
        raise ValueError(
            _("'{code}' is not a humanitarian scope type; use 1 (emergency) or 2 (appeal)").format(
                code=code
            )
        )
    return code


MAGNITUDE = 1e15
"""The largest size of a result number: sums and weighted means of them stay finite."""
FiniteFloat = Annotated[
    float,
    Field(
        allow_inf_nan=False,
        ge=-MAGNITUDE,
        le=MAGNITUDE,
        description="A finite number (no NaN or infinity), at most 1e15 in size",
    ),
]
"""Every float a caller sends to results and finance (NaN and infinity refused)."""
Currency = Annotated[str, AfterValidator(currency_code)]
Url = Annotated[str, Field(max_length=1000, pattern=r"^https?://\S+$")]
Category = Annotated[str, Field(min_length=1, max_length=100)]


# ---- results framework -------------------------------------------------------


class DisaggregationIn(Strict):
    side: Side
    dimension: Dimension
    category: Category
    value: FiniteFloat


class PeriodFields(Strict):
    start: dt.date
    end: dt.date
    target: FiniteFloat | None = None
    actual: FiniteFloat | None = None
    target_comment: Text = ""
    actual_comment: Text = ""
    evidence_url: Url | None = None
    weight: FiniteFloat | None = Field(
        default=None, gt=0, description="Weight of a ratio in roll-ups (e.g. people surveyed)"
    )
    disaggregations: list[DisaggregationIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> PeriodFields:
        if self.end < self.start:
            raise ValueError(_("the period ends before it starts"))
        return self


class PeriodIn(PeriodFields):
    pass


class PeriodUpdate(Strict):
    model_config = ConfigDict(json_schema_extra=nulls_as(PeriodFields))

    version: int
    start: dt.date | None = None
    end: dt.date | None = None
    target: FiniteFloat | None = None
    actual: FiniteFloat | None = None
    target_comment: Text | None = None
    actual_comment: Text | None = None
    evidence_url: Url | None = None
    weight: FiniteFloat | None = Field(default=None, gt=0)
    disaggregations: list[DisaggregationIn] | None = None


class TransitionIn(Strict):
    to: PeriodState
    version: int
    comment: Text = ""


class IndicatorFields(Strict):
    code: Ref | None = Field(default=None, description="Same code across projects: rolled up")
    title: str = Field(min_length=1, max_length=500)
    description: Text = ""
    measure: Measure = Measure.unit
    unit: str = Field(default="", max_length=60)
    ascending: bool = Field(default=True, description="Whether a higher value is better")
    baseline_year: int | None = Field(default=None, ge=1900, le=2200)
    baseline_value: FiniteFloat | None = None
    baseline_comment: Text = ""
    include_in_rollup: bool = True

    @model_validator(mode="after")
    def _baseline(self) -> IndicatorFields:
        if self.baseline_value is not None and self.baseline_year is None:
            raise ValueError(_("a baseline value needs its year (baseline_year)"))
        return self


class IndicatorIn(IndicatorFields):
    periods: list[PeriodIn] = Field(default_factory=list)


class IndicatorUpdate(Strict):
    """The fields of an indicator to change (its periods change one by one)."""

    code: Ref | None = None
    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: Text | None = None
    measure: Measure | None = None
    unit: str | None = Field(default=None, max_length=60)
    ascending: bool | None = None
    baseline_year: int | None = Field(default=None, ge=1900, le=2200)
    baseline_value: FiniteFloat | None = None
    baseline_comment: Text | None = None
    include_in_rollup: bool | None = None


class ResultIn(Strict):
    kind: ResultKind
    title: str = Field(min_length=1, max_length=500)
    description: Text = ""
    indicators: list[IndicatorIn] = Field(default_factory=list)


class ResultUpdate(Strict):
    """The fields of a result to change (its indicators change one by one)."""

    kind: ResultKind | None = None
    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: Text | None = None


class PeriodRef(Strict):
    id: int = Field(ge=1, le=2**31 - 1)
    version: int = Field(description="The version you read: a period changed since is refused")


REVIEW_MOVES = (PeriodState.approved, PeriodState.returned)


class ReviewIn(Strict):
    """Approve or return several submitted periods at once: all of them or none."""

    to: PeriodState = Field(description="approved or returned")
    periods: list[PeriodRef] = Field(min_length=1, max_length=500)
    comment: Text = Field(default="", description="Required when returning")

    @model_validator(mode="after")
    def _review(self) -> ReviewIn:
        if self.to not in REVIEW_MOVES:
            raise ValueError(_("periods are reviewed to approved or returned"))
        if len({p.id for p in self.periods}) != len(self.periods):
            raise ValueError(_("a period is listed twice"))
        return self


# ---- finance -------------------------------------------------------------------


class BudgetIn(Strict):
    kind: BudgetKind = BudgetKind.original
    status: BudgetStatus = BudgetStatus.indicative
    period_start: dt.date
    period_end: dt.date
    value: Decimal = Field(ge=0, max_digits=20, decimal_places=4)
    currency: Currency
    value_date: dt.date | None = Field(default=None, description="Date of the currency rate")

    @model_validator(mode="after")
    def _period(self) -> BudgetIn:
        if self.period_end < self.period_start:
            raise ValueError(_("the budget period ends before it starts"))
        if (self.period_end - self.period_start).days > 366:
            raise ValueError(_("a budget period is at most one year (IATI); split it"))
        return self


class OrgIn(Strict):
    """A provider or receiver: a registry party, or an outside organisation."""

    party: Ref | None = None
    ref: str | None = Field(default=None, max_length=200, description="IATI organisation id")
    name: str = Field(default="", max_length=300)
    type: str | None = Field(default=None, max_length=4)
    activity: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _named(self) -> OrgIn:
        if not (self.party or self.ref or self.name):
            raise ValueError(_("an organisation needs party (a registry ref), ref or name"))
        return self


class TransactionIn(Strict):
    kind: TransactionKind
    date: dt.date
    value: Decimal = Field(max_digits=20, decimal_places=4)
    currency: Currency
    value_date: dt.date | None = Field(default=None, description="Date of the currency rate")
    description: Text = ""
    ref: str | None = Field(default=None, max_length=200)
    provider: OrgIn | None = None
    receiver: OrgIn | None = None


class RateIn(Strict):
    currency: Currency
    quote: Currency
    rate: Decimal = Field(gt=0, max_digits=24, decimal_places=10)
    valid_on: dt.date
    source: str = Field(min_length=1, max_length=500, description="Where the rate comes from")

    @model_validator(mode="after")
    def _pair(self) -> RateIn:
        if self.currency == self.quote:
            raise ValueError(_("a rate converts between two different currencies"))
        return self


# ---- IATI details ----------------------------------------------------------------


class SectorIn(Strict):
    vocabulary: str = Field(default="1", max_length=4, description="IATI SectorVocabulary")
    code: str = Field(min_length=1, max_length=20)
    percentage: FiniteFloat | None = Field(default=None, ge=0, le=100)


class MarkerIn(Strict):
    marker: RioMarker
    significance: Annotated[str, AfterValidator(_significance)] = "1"


class ScopeIn(Strict):
    type: Annotated[str, AfterValidator(_scope_type)]
    vocabulary: str = Field(min_length=1, max_length=10, description="e.g. 1-2 GLIDE, 2-1 HRP")
    code: str = Field(min_length=1, max_length=100)
    narrative: str = Field(default="", max_length=500)


class ProfileIn(Strict):
    identifier: str | None = Field(default=None, max_length=200, pattern=r"^\S+$")
    reporting_org_ref: str | None = Field(default=None, max_length=200)
    reporting_org_type: str | None = Field(default=None, max_length=4)
    reporting_org_name: str | None = Field(default=None, max_length=300)
    default_currency: Currency | None = None
    default_lang: str = Field(default="en", min_length=2, max_length=8)
    humanitarian: bool | None = None
    titles: dict[str, str] = Field(default_factory=dict, description="Title by language")
    descriptions: dict[str, str] = Field(default_factory=dict, description="Text by language")
    sectors: list[SectorIn] = Field(default_factory=list)
    policy_markers: list[MarkerIn] = Field(default_factory=list)
    humanitarian_scopes: list[ScopeIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sectors(self) -> ProfileIn:
        by_vocab: dict[str, list[SectorIn]] = {}
        for sector in self.sectors:
            by_vocab.setdefault(sector.vocabulary, []).append(sector)
        for vocab, items in by_vocab.items():
            shares = [s.percentage for s in items]
            if len(items) > 1 and (None in shares or abs(sum(shares) - 100) > 0.01):  # type: ignore[arg-type]
                raise ValueError(
                    _("sector percentages of vocabulary {vocabulary} must add up to 100").format(
                        vocabulary=vocab
                    )
                )
        return self


# ---- corridor link -------------------------------------------------------------------


class ScenarioSummary(Strict):
    """The JSON summary the corridor model writes per solved scenario (other keys ignored)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    scenario: str = Field(min_length=1, max_length=200)
    scenario_hash: str = Field(min_length=1, max_length=200)
    year: int = Field(ge=2000, le=2100)
    capacity_built_mw: dict[str, FiniteFloat] = Field(
        description="MW built per '<node>/<technology>'"
    )
    export_twh: FiniteFloat = Field(ge=0)
    co2_avoided_mt: FiniteFloat

    @model_validator(mode="after")
    def _keys(self) -> ScenarioSummary:
        for key, value in self.capacity_built_mw.items():
            if key.count("/") != 1 or not all(key.split("/")):
                raise ValueError(
                    _("capacity_built_mw key '{key}' is not '<node>/<technology>'").format(key=key)
                )
            if value < 0:
                raise ValueError(_("capacity_built_mw['{key}'] is negative").format(key=key))
        return self


class DisaggregationOut(BaseModel):
    side: str = Field(description="target or actual")
    dimension: str
    category: str
    value: float


class PeriodOut(BaseModel):
    """An indicator period as the API answers it: values, state, status, reviewer."""

    id: int
    version: int
    start: dt.date
    end: dt.date
    target: float | None
    actual: float | None
    target_comment: str
    actual_comment: str
    evidence_url: str | None
    weight: float | None
    disaggregations: list[DisaggregationOut]
    state: str = Field(description="draft, submitted, approved or returned")
    state_comment: str
    value_source: ValueSource | None = Field(
        description="Where the actual came from when it was not typed (a corridor study)"
    )
    status: str = Field(description="The actual against the target, in words")
    updated_at: UtcDateTime
    updated_by: str
    reviewed_by: str | None
    reviewed_at: UtcDateTime | None


class IndicatorOut(BaseModel):
    """An indicator with its periods."""

    id: int
    code: str | None
    title: str
    description: str
    measure: str
    unit: str
    ascending: bool
    baseline_year: int | None
    baseline_value: float | None
    baseline_comment: str
    include_in_rollup: bool
    periods: list[PeriodOut]


class ResultBrief(BaseModel):
    id: int
    title: str
    kind: str


class IndicatorDetailOut(IndicatorOut):
    """An indicator with its periods and the result it measures."""

    result: ResultBrief


class FrameworkResultOut(BaseModel):
    """A result with its indicators."""

    id: int
    kind: str
    title: str
    description: str
    indicators: list[IndicatorOut]


class FrameworkOut(BaseModel):
    """A project's results framework."""

    project: str
    results: list[FrameworkResultOut]


class IndicatorBrief(BaseModel):
    id: int
    title: str
    unit: str
    measure: str
    baseline_value: float | None
    baseline_year: int | None


class ProjectBrief(BaseModel):
    ref: str
    title: str


class ReviewPeriodOut(PeriodOut):
    """A period with the indicator, result and project it belongs to."""

    indicator: IndicatorBrief
    result: ResultBrief
    project: ProjectBrief
