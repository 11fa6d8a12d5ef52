"""Code lists of the record: IATI 2.03 codes and the Hub's own vocabularies.

IATI codes and their names come from the official codelist files shipped in
``bakuhub/datasets/iati/codelists`` (IATI Standard 2.03: OrganisationType,
OrganisationRole, ActivityStatus; https://iatistandard.org/en/iati-standard/203/codelists/).
The Hub's own vocabularies (StrEnum) map to those codes; tests check every code they
map to is on its official list and not withdrawn.
"""

from __future__ import annotations

from enum import StrEnum

from bakuhub import i18n
from bakuhub.i18n import N_, _
from bakuhub.iati.codelists import shipped

IATI_ORGANISATION_TYPES: dict[str, str] = shipped("OrganisationType").active()
"""IATI OrganisationType, code -> official name, from the shipped codelist file
(https://iatistandard.org/en/iati-standard/203/codelists/organisationtype/)."""

IATI_ACTIVITY_STATUS: dict[str, str] = shipped("ActivityStatus").active()
"""IATI ActivityStatus, code -> official name, from the shipped codelist file
(https://iatistandard.org/en/iati-standard/203/codelists/activitystatus/)."""


def activity_statuses() -> dict[str, str]:
    """:data:`IATI_ACTIVITY_STATUS` named in the reader's language where the official
    codelist gives one (French), else in English."""
    return shipped("ActivityStatus").active_in(i18n.current())


def organisation_types() -> dict[str, str]:
    """:data:`IATI_ORGANISATION_TYPES` named in the reader's language where the official
    codelist gives one (French), else in English."""
    return shipped("OrganisationType").active_in(i18n.current())


class PartyKind(StrEnum):
    country = "country"
    organisation = "organisation"


class HubRole(StrEnum):
    """How a party joined the Baku Climate and Peace Action Hub."""

    co_lead = "co-lead"
    supporter = "supporter"
    announced_intention = "announced-intention"
    signatory = "signatory"


class AgreementKind(StrEnum):
    call = "call"
    agreement = "agreement"
    memorandum = "memorandum"
    implementation_programme = "implementation-programme"
    declaration = "declaration"


class AgreementStatus(StrEnum):
    draft = "draft"
    signed = "signed"
    partially_ratified = "partially-ratified"
    in_force = "in-force"
    expired = "expired"


class AgreementRole(StrEnum):
    signatory = "signatory"
    co_lead = "co-lead"
    supporter = "supporter"
    observer = "observer"
    financier = "financier"


class OrganisationRole(StrEnum):
    """IATI OrganisationRole 1-4, by name."""

    funding = "funding"
    accountable = "accountable"
    extending = "extending"
    implementing = "implementing"


IATI_ORGANISATION_ROLE_CODES: dict[OrganisationRole, str] = {
    OrganisationRole.funding: "1",
    OrganisationRole.accountable: "2",
    OrganisationRole.extending: "3",
    OrganisationRole.implementing: "4",
}

IATI_ORGANISATION_ROLE_NAMES: dict[OrganisationRole, str] = {
    role: shipped("OrganisationRole").name_of(code)
    for role, code in IATI_ORGANISATION_ROLE_CODES.items()
}
"""The official OrganisationRole name of each role."""


class Theme(StrEnum):
    adaptation = "adaptation"
    mitigation_energy = "mitigation-energy"
    peacebuilding = "peacebuilding"
    migration_displacement = "migration-displacement"
    humanitarian = "humanitarian"


class Precision(StrEnum):
    """How exactly a reported date is known."""

    day = "day"
    month = "month"
    year = "year"


class ItemStatus(StrEnum):
    """Status of an action item or milestone."""

    open = "open"
    in_progress = "in-progress"
    done = "done"
    cancelled = "cancelled"


ENUM_LABELS = {
    "country": N_("Country"),
    "organisation": N_("Organisation"),
    "co-lead": N_("Co-lead"),
    "supporter": N_("Supporter"),
    "announced-intention": N_("Announced intention"),
    "signatory": N_("Signatory"),
    "call": N_("Call"),
    "agreement": N_("Agreement"),
    "memorandum": N_("Memorandum"),
    "implementation-programme": N_("Implementation programme"),
    "declaration": N_("Declaration"),
    "observer": N_("Observer"),
    "draft": N_("Draft"),
    "signed": N_("Signed"),
    "partially-ratified": N_("Partially ratified"),
    "in-force": N_("In force"),
    "expired": N_("Expired"),
    "financier": N_("Financier"),
    "funding": N_("Funding"),
    "accountable": N_("Accountable"),
    "extending": N_("Extending"),
    "implementing": N_("Implementing"),
    "open": N_("Open"),
    "in-progress": N_("In progress"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
    "adaptation": N_("climate adaptation"),
    "mitigation-energy": N_("mitigation and energy"),
    "peacebuilding": N_("peacebuilding"),
    "migration-displacement": N_("migration and displacement"),
    "humanitarian": N_("humanitarian"),
}
"""The Hub's own codes (``registry.codes``) in words, translated where shown."""


def label(value: str) -> str:
    """A code of the Hub's vocabularies in words, in the reader's language."""
    label = ENUM_LABELS.get(value)
    return _(label) if label else value.replace("-", " ").capitalize()
