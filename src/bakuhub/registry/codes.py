"""Code lists of the record: IATI 2.03 codes and the Hub's own vocabularies.

IATI codes are those of the IATI Standard codelists, version 2.03:
OrganisationType, OrganisationRole and ActivityStatus
(https://iatistandard.org/en/iati-standard/203/codelists/).
"""

from __future__ import annotations

from enum import StrEnum

# IATI OrganisationType (code -> name), https://iatistandard.org/en/iati-standard/203/codelists/organisationtype/
IATI_ORGANISATION_TYPES: dict[str, str] = {
    "10": "Government",
    "11": "Local Government",
    "15": "Other Public Sector",
    "21": "International NGO",
    "22": "National NGO",
    "23": "Regional NGO",
    "24": "Partner Country based NGO",
    "30": "Public Private Partnership",
    "40": "Multilateral",
    "60": "Foundation",
    "70": "Private Sector",
    "71": "Private Sector in Provider Country",
    "72": "Private Sector in Aid Recipient Country",
    "73": "Private Sector in Third Country",
    "80": "Academic, Training and Research",
    "90": "Other",
}

# IATI ActivityStatus, https://iatistandard.org/en/iati-standard/203/codelists/activitystatus/
IATI_ACTIVITY_STATUS: dict[str, str] = {
    "1": "Pipeline/identification",
    "2": "Implementation",
    "3": "Finalisation",
    "4": "Closed",
    "5": "Cancelled",
    "6": "Suspended",
}


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
