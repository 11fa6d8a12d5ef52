"""API shapes of the results answers built as plain data: a roll-up, finance totals, a
project's IATI details, corridor actuals, a bulk file's preview and commit, a CSV
import's counts, and the IATI checks.

They describe what the services return (``rollup.rollup``, ``finance.totals``,
``profile.get_profile``, ``corridor_link.apply_scenario_summary``, ``bulk.preview`` and
``bulk.commit``, ``iati_live.ProjectCheck.as_dict``), so that the OpenAPI document
states it; the routes send the same JSON as before (money and rates as decimal
strings, exact).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bakuhub.iati.findings import Severity
from bakuhub.results.codes import Status

Grouping = Literal["project", "agreement", "funder", "country"]


class ValueSource(BaseModel):
    """Where a period's actual came from when it was not typed: a corridor scenario."""

    kind: Literal["corridor-scenario"]
    scenario: str
    scenario_hash: str
    year: int
    field: str = Field(description="The summary's figure, e.g. export_twh.")


class RollupProject(BaseModel):
    """One project's part of a roll-up."""

    project: str
    target: float | None
    actual: float | None
    periods: int = Field(description="Periods counted.")


class ExcludedIndicator(BaseModel):
    """An indicator left out of a roll-up (its project opted out)."""

    project: str
    indicator: int
    reason: str


class ExcludedPeriod(BaseModel):
    """A period left out of a roll-up (not approved, or a ratio without a weight)."""

    project: str
    period: int
    reason: str


class RollupOut(BaseModel):
    """An indicator rolled up from projects to an agreement (``results.rollup``)."""

    agreement: str
    code: str
    measure: Literal["unit", "percentage"]
    unit: str
    ascending: bool
    method: Literal["sum", "weighted mean"]
    target: float | None
    actual: float | None
    progress: float | None = Field(description="Share of the way to the target.")
    status: Status
    projects: list[RollupProject]
    excluded: list[ExcludedIndicator | ExcludedPeriod]


class TotalsGroup(BaseModel):
    """The money of one group, in the totals' currency."""

    model_config = ConfigDict(populate_by_name=True)

    key: str = Field(description="The project, agreement, funder or country.")
    budget: Decimal
    incoming_funds: Decimal = Field(alias="incoming-funds")
    commitment: Decimal
    disbursement: Decimal
    expenditure: Decimal


class UsedRate(BaseModel):
    """An exchange rate a total used, with its source."""

    id: int
    currency: str
    quote: str
    rate: Decimal
    valid_on: dt.date
    source: str
    stamp: str


class MissingRate(BaseModel):
    """A rate the table lacks: one of the pair valid on or before ``on_or_before`` would
    convert the ``values`` left out (adding up to ``amount`` in ``currency``)."""

    currency: str
    quote: str
    on_or_before: dt.date
    values: int
    amount: Decimal


class TotalsOut(BaseModel):
    """Budgets and transactions per group, converted to one currency (``finance.totals``)."""

    by: Grouping
    currency: str
    groups: list[TotalsGroup]
    rates_used: list[UsedRate]
    missing: list[MissingRate]


class SectorOut(BaseModel):
    """A sector of a project's IATI details."""

    vocabulary: str
    code: str
    percentage: float | None


class MarkerOut(BaseModel):
    """A policy marker and its significance."""

    marker: str
    significance: str


class ScopeOut(BaseModel):
    """A humanitarian scope (an emergency or appeal)."""

    type: str
    vocabulary: str
    code: str
    narrative: str


class ExportOrg(BaseModel):
    """The reporting organisation the export writes."""

    ref: str | None
    type: str | None
    name: str | None


class ProfileOut(BaseModel):
    """A project's IATI details, with the identifier and reporting organisation it is
    exported with (``profile.get_profile``)."""

    identifier: str | None
    reporting_org_ref: str | None
    reporting_org_type: str | None
    reporting_org_name: str | None
    default_currency: str | None
    default_lang: str
    humanitarian: bool | None
    titles: dict[str, str] = Field(description="Title by language.")
    descriptions: dict[str, str] = Field(description="Text by language.")
    sectors: list[SectorOut]
    policy_markers: list[MarkerOut]
    humanitarian_scopes: list[ScopeOut]
    export_identifier: str
    export_reporting_org: ExportOrg


class AppliedActual(BaseModel):
    """A period that took a corridor figure as its actual."""

    indicator: str
    period: int
    actual: float
    created_period: bool


class CorridorActualsOut(BaseModel):
    """What a corridor scenario summary set on a project (``corridor_link``)."""

    project: str
    scenario: str
    scenario_hash: str
    year: int
    periods: list[AppliedActual]


BulkKind = Literal["transactions", "budgets", "results", "indicators", "periods"]


class BulkRow(BaseModel):
    """One row of a previewed file and what it does."""

    row: int
    action: Literal["add", "update"]
    what: str


class BulkCommitted(BaseModel):
    """What a bulk file did (``bulk.commit``)."""

    project: str
    kind: BulkKind
    added: int
    updated: int


class BulkPreview(BulkCommitted):
    """What a bulk file would do, and its digest to commit it (``bulk.preview``); the
    first 200 rows are listed."""

    key: str = Field(description="The columns that match a row to a stored record.")
    rows: int
    items: list[BulkRow]
    digest: str


class CsvImported(BaseModel):
    """How many records a CSV import created and updated."""

    created: int
    updated: int


class SeverityCounts(BaseModel):
    """How many findings of each severity."""

    critical: int
    error: int
    warning: int


class FindingOut(BaseModel):
    """One IATI finding: how bad, which rule, where (``bakuhub.iati.findings.Finding``)."""

    severity: Severity
    rule: str
    activity: str | None
    element: str
    field: str | None
    message: str
    rule_id: str | None


class IatiCheckOut(BaseModel):
    """The IATI checks of an export."""

    activities: int
    valid: bool = Field(description="No critical finding (the IATI Validator's sense).")
    counts: SeverityCounts
    findings: list[FindingOut]
    notes: list[str]


class FindingRecord(BaseModel):
    """The record a finding concerns (``id`` null: the project) and its form input."""

    kind: Literal["project", "budget", "transaction", "result", "indicator", "period"]
    id: int | None
    input: str | None


class ProjectFindingOut(FindingOut):
    """A finding tied to the record it concerns."""

    record: FindingRecord


class ProjectFindingsOut(BaseModel):
    """The IATI findings of one project (``iati_live.ProjectCheck``)."""

    project: str
    counts: SeverityCounts
    findings: list[ProjectFindingOut]
    summary: str = Field(description="The counts in words, e.g. '2 errors, 1 warning'.")


class ElementNote(BaseModel):
    """A part of an IATI activity that was not stored, and why."""

    element: str
    reason: str


class ReportingOrg(BaseModel):
    """The publisher of an activity, as the file names it."""

    ref: str | None
    name: str | None


class InFile(BaseModel):
    """How many of a kind of element a funder's activity had, and how many were stored."""

    in_file: int
    imported: int


class IndicatorMatches(BaseModel):
    """A funder's indicators, by title: those the project also reports, and the others."""

    matched: list[str]
    unmatched: list[str]


class PartyRole(BaseModel):
    """An organisation joined to a project, by party ref and IATI role."""

    party: str
    role: str


class ImportedActivity(BaseModel):
    """One activity of an IATI import: where it went (``action``) and what was mapped.

    An activity of another publisher for a Hub project (``action`` "funder") also says
    what its transactions, budgets and results became, which of its indicators the
    project reports, and which organisations joined the project.
    """

    identifier: str
    title: str
    reporting_org: ReportingOrg
    action: Literal["create", "update", "funder", "skip"]
    matched_by: str | None
    project: str | None
    mapped: dict[str, int] = Field(description="Element kind -> how many were stored.")
    not_imported: list[ElementNote]
    skipped: list[ElementNote]
    notes: list[str]
    transactions: InFile | None = None
    budgets: InFile | None = None
    results: InFile | None = None
    indicators: IndicatorMatches | None = None
    organisations_added: list[PartyRole] | None = None


class OrganisationMatch(BaseModel):
    """An organisation of the file and what becomes of it (``action``), with the choices
    a person may make (``options``)."""

    key: str
    ref: str | None
    name: str
    type: str | None
    roles: list[str]
    party: str | None
    matched_by: str | None
    same_name: str | None
    action: str
    options: list[str]


class IatiImportOut(BaseModel):
    """What an IATI import did (or, for a dry run, would do), activity by activity, and
    how each organisation of the file matched."""

    version: str
    dry_run: bool
    created: list[str]
    updated: list[str]
    linked: list[str]
    skipped_activities: list[str]
    parties_created: list[str]
    activities: list[ImportedActivity]
    organisations: list[OrganisationMatch]
