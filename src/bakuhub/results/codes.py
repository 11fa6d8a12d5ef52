"""Code lists of results, finance and IATI exchange.

IATI codes are those of the IATI Standard codelists, version 2.03
(https://iatistandard.org/en/iati-standard/203/codelists/): ResultType,
IndicatorMeasure, TransactionType, BudgetType, BudgetStatus, ActivityDateType,
PolicyMarker (Rio markers 6 and 7), PolicySignificance, HumanitarianScopeType
and IndicatorVocabulary ("99": defined by the reporting organisation). Their
names come from the official codelist files shipped in
``bakuhub/datasets/iati/codelists`` (``*_NAMES``); the Hub's StrEnum vocabularies
map to the codes, and tests check each code is on its list and not withdrawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from bakuhub.iati.codelists import shipped

K = TypeVar("K")


def official_names(codes: Mapping[K, str], codelist: str) -> dict[K, str]:
    """Each key's official name: ``codes`` maps it to a code of ``codelist``."""
    names = shipped(codelist)
    return {key: names.name_of(code) for key, code in codes.items()}


class ResultKind(StrEnum):
    """Level of a result in the framework (IATI ResultType 1-3)."""

    output = "output"
    outcome = "outcome"
    impact = "impact"


RESULT_TYPE_CODES: dict[ResultKind, str] = {
    ResultKind.output: "1",
    ResultKind.outcome: "2",
    ResultKind.impact: "3",
}
RESULT_TYPE_NAMES = official_names(RESULT_TYPE_CODES, "ResultType")


class Measure(StrEnum):
    """What an indicator measures (IATI IndicatorMeasure 1-5)."""

    unit = "unit"
    percentage = "percentage"
    nominal = "nominal"
    ordinal = "ordinal"
    qualitative = "qualitative"


MEASURE_CODES: dict[Measure, str] = {
    Measure.unit: "1",
    Measure.percentage: "2",
    Measure.nominal: "3",
    Measure.ordinal: "4",
    Measure.qualitative: "5",
}
MEASURE_NAMES = official_names(MEASURE_CODES, "IndicatorMeasure")

COUNT_MEASURES = frozenset({Measure.unit})
"""Measures whose values are counts: they add up (roll-up by sum, disaggregations sum)."""

RATIO_MEASURES = frozenset({Measure.percentage})
"""Measures whose values are ratios: they roll up as weighted means."""


class PeriodState(StrEnum):
    """Reporting state of an indicator period."""

    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    returned = "returned"


TRANSITIONS: dict[PeriodState, frozenset[PeriodState]] = {
    PeriodState.draft: frozenset({PeriodState.submitted}),
    PeriodState.submitted: frozenset({PeriodState.approved, PeriodState.returned}),
    PeriodState.returned: frozenset({PeriodState.submitted, PeriodState.draft}),
    PeriodState.approved: frozenset({PeriodState.returned}),
}
"""Allowed moves between reporting states (a return needs a comment)."""

EDITABLE_STATES = frozenset({PeriodState.draft, PeriodState.returned})
"""States in which a period's values may be changed."""


class Dimension(StrEnum):
    """Disaggregation dimensions of a period's target or actual."""

    sex = "sex"
    age = "age"
    displacement = "displacement"
    location = "location"


class Side(StrEnum):
    target = "target"
    actual = "actual"


class Status(StrEnum):
    """Status of an indicator from actual against target."""

    on_track = "on-track"
    at_risk = "at-risk"
    off_track = "off-track"
    no_data = "no-data"


class TransactionKind(StrEnum):
    """Transaction types (IATI TransactionType)."""

    incoming_funds = "incoming-funds"
    commitment = "commitment"
    disbursement = "disbursement"
    expenditure = "expenditure"


TRANSACTION_CODES: dict[TransactionKind, str] = {
    TransactionKind.incoming_funds: "1",
    TransactionKind.commitment: "2",
    TransactionKind.disbursement: "3",
    TransactionKind.expenditure: "4",
}
TRANSACTION_NAMES = official_names(TRANSACTION_CODES, "TransactionType")


class BudgetKind(StrEnum):
    original = "original"
    revised = "revised"


BUDGET_TYPE_CODES: dict[BudgetKind, str] = {BudgetKind.original: "1", BudgetKind.revised: "2"}
BUDGET_TYPE_NAMES = official_names(BUDGET_TYPE_CODES, "BudgetType")


class BudgetStatus(StrEnum):
    indicative = "indicative"
    committed = "committed"


BUDGET_STATUS_CODES: dict[BudgetStatus, str] = {
    BudgetStatus.indicative: "1",
    BudgetStatus.committed: "2",
}
BUDGET_STATUS_NAMES = official_names(BUDGET_STATUS_CODES, "BudgetStatus")


class RioMarker(StrEnum):
    """OECD DAC Rio markers reported as IATI policy markers."""

    mitigation = "mitigation"
    adaptation = "adaptation"


RIO_MARKER_CODES: dict[RioMarker, str] = {RioMarker.mitigation: "6", RioMarker.adaptation: "7"}
RIO_MARKER_NAMES = official_names(RIO_MARKER_CODES, "PolicyMarker")

RIO_SIGNIFICANCE_CODES = ("0", "1", "2")
"""PolicySignificance codes the OECD DAC Rio markers take (3 and 4 are for other markers:
https://iatistandard.org/en/iati-standard/203/codelists/policysignificance/)."""

SIGNIFICANCE: dict[str, str] = {
    code: shipped("PolicySignificance").name_of(code) for code in RIO_SIGNIFICANCE_CODES
}
"""IATI PolicySignificance codes accepted for Rio markers, code -> official name."""

HUMANITARIAN_SCOPE_TYPES: dict[str, str] = shipped("HumanitarianScopeType").active()
"""IATI HumanitarianScopeType, code -> official name."""

ACTIVITY_DATE_TYPES: dict[str, str] = {
    "1": "planned_start",
    "2": "actual_start",
    "3": "planned_end",
    "4": "actual_end",
}
"""IATI ActivityDateType code -> project field."""

INDICATOR_VOCABULARY_OWN = "99"
"""IndicatorVocabulary code for indicators defined by the reporting organisation."""
