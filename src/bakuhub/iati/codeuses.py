"""Which attribute of which 2.03 element takes which codelist.

The IATI-Codelists repository's ``mapping.xml`` is not shipped; this table is
derived by hand from the 2.03 reference pages, for the elements bakuhub writes
(``results/iati_export.py``), reads (``results/iati_read*.py``) and the usual
neighbours of those. Each line cites its reference page under
https://iatistandard.org/en/iati-standard/203/activity-standard/ (``A:``) or
https://iatistandard.org/en/iati-standard/203/organisation-standard/ (``O:``).
Where the codelist depends on a vocabulary (sector, policy marker, region, aid
type, tag) the code is checked only for the vocabularies whose list IATI
publishes; a missing ``@vocabulary`` means the default vocabulary "1".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class CodeUse:
    """``attribute`` (None: the text) of the elements at ``path`` takes ``codelist``."""

    path: str
    attribute: str | None
    codelist: str
    vocabularies: tuple[str, ...] | None = None
    default_vocabulary: str = "1"

    @property
    def attribute_label(self) -> str | None:
        """The attribute as a path step names it (``xml:lang``), None for text."""
        if self.attribute is None:
            return None
        return "xml:lang" if self.attribute == XML_LANG else self.attribute

    def applies(self, element: ET.Element) -> bool:
        """Whether the element's vocabulary is one this codelist serves."""
        if self.vocabularies is None:
            return True
        vocabulary = element.get("vocabulary") or self.default_vocabulary
        return vocabulary in self.vocabularies


def _u(path: str, attribute: str | None, codelist: str, *vocab: str) -> CodeUse:
    return CodeUse(path, attribute, codelist, tuple(vocab) if vocab else None)


FILE_USES: tuple[CodeUse, ...] = (
    _u(".", "version", "Version"),  # A: iati-activities/@version, O: iati-organisations/@version
)

_NARRATIVES = (_u(".//narrative", XML_LANG, "Language"),)  # A/O: every narrative/@xml:lang

ACTIVITY_USES: tuple[CodeUse, ...] = (
    # A: iati-activity/@default-currency, @xml:lang, @budget-not-provided
    _u(".", "default-currency", "Currency"),
    _u(".", XML_LANG, "Language"),
    _u(".", "budget-not-provided", "BudgetNotProvided"),
    # A: reporting-org/@type; participating-org/@type, @role
    _u("reporting-org", "type", "OrganisationType"),
    _u("participating-org", "type", "OrganisationType"),
    _u("participating-org", "role", "OrganisationRole"),
    # A: other-identifier/@type
    _u("other-identifier", "type", "OtherIdentifierType"),
    # A: description/@type
    _u("description", "type", "DescriptionType"),
    # A: activity-status/@code, activity-date/@type, activity-scope/@code
    _u("activity-status", "code", "ActivityStatus"),
    _u("activity-date", "type", "ActivityDateType"),
    _u("activity-scope", "code", "ActivityScope"),
    # A: contact-info/@type
    _u("contact-info", "type", "ContactType"),
    # A: recipient-country/@code; recipient-region/@vocabulary, @code (vocabulary 1: Region)
    _u("recipient-country", "code", "Country"),
    _u("recipient-region", "vocabulary", "RegionVocabulary"),
    _u("recipient-region", "code", "Region", "1"),
    # A: sector/@vocabulary, @code (vocabulary 1: Sector, 2: SectorCategory)
    _u("sector", "vocabulary", "SectorVocabulary"),
    _u("sector", "code", "Sector", "1"),
    _u("sector", "code", "SectorCategory", "2"),
    # A: tag/@vocabulary, @code (vocabulary 2: UN SDG goals, 3: targets)
    _u("tag", "vocabulary", "TagVocabulary"),
    _u("tag", "code", "UNSDG-Goals", "2"),
    _u("tag", "code", "UNSDG-Targets", "3"),
    # A: policy-marker/@vocabulary, @code (vocabulary 1: PolicyMarker), @significance
    _u("policy-marker", "vocabulary", "PolicyMarkerVocabulary"),
    _u("policy-marker", "code", "PolicyMarker", "1"),
    _u("policy-marker", "significance", "PolicySignificance"),
    # A: humanitarian-scope/@type, @vocabulary
    _u("humanitarian-scope", "type", "HumanitarianScopeType"),
    _u("humanitarian-scope", "vocabulary", "HumanitarianScopeVocabulary"),
    # A: collaboration-type, default-flow-type, default-finance-type, default-tied-status
    _u("collaboration-type", "code", "CollaborationType"),
    _u("default-flow-type", "code", "FlowType"),
    _u("default-finance-type", "code", "FinanceType"),
    _u("default-tied-status", "code", "TiedStatus"),
    # A: default-aid-type/@vocabulary, @code (1: AidType, 2: EarmarkingCategory,
    # 4: CashandVoucherModalities)
    _u("default-aid-type", "vocabulary", "AidTypeVocabulary"),
    _u("default-aid-type", "code", "AidType", "1"),
    _u("default-aid-type", "code", "EarmarkingCategory", "2"),
    _u("default-aid-type", "code", "CashandVoucherModalities", "4"),
    # A: country-budget-items/@vocabulary
    _u("country-budget-items", "vocabulary", "BudgetIdentifierVocabulary"),
    # A: budget/@type, @status, value/@currency
    _u("budget", "type", "BudgetType"),
    _u("budget", "status", "BudgetStatus"),
    _u("budget/value", "currency", "Currency"),
    # A: planned-disbursement/@type, value/@currency, provider-org and receiver-org/@type
    _u("planned-disbursement", "type", "BudgetType"),
    _u("planned-disbursement/value", "currency", "Currency"),
    _u("planned-disbursement/provider-org", "type", "OrganisationType"),
    _u("planned-disbursement/receiver-org", "type", "OrganisationType"),
    # A: transaction/transaction-type/@code, value/@currency, provider-org/@type,
    # receiver-org/@type, disbursement-channel, sector, recipient-country,
    # recipient-region, flow-type, finance-type, aid-type, tied-status
    _u("transaction/transaction-type", "code", "TransactionType"),
    _u("transaction/value", "currency", "Currency"),
    _u("transaction/provider-org", "type", "OrganisationType"),
    _u("transaction/receiver-org", "type", "OrganisationType"),
    _u("transaction/disbursement-channel", "code", "DisbursementChannel"),
    _u("transaction/sector", "vocabulary", "SectorVocabulary"),
    _u("transaction/sector", "code", "Sector", "1"),
    _u("transaction/sector", "code", "SectorCategory", "2"),
    _u("transaction/recipient-country", "code", "Country"),
    _u("transaction/recipient-region", "vocabulary", "RegionVocabulary"),
    _u("transaction/recipient-region", "code", "Region", "1"),
    _u("transaction/flow-type", "code", "FlowType"),
    _u("transaction/finance-type", "code", "FinanceType"),
    _u("transaction/aid-type", "vocabulary", "AidTypeVocabulary"),
    _u("transaction/aid-type", "code", "AidType", "1"),
    _u("transaction/tied-status", "code", "TiedStatus"),
    # A: document-link/@format, category/@code, language/@code (activity, result,
    # indicator and period levels alike)
    _u(".//document-link", "format", "FileFormat"),
    _u(".//document-link/category", "code", "DocumentCategory"),
    _u(".//document-link/language", "code", "Language"),
    # A: related-activity/@type
    _u("related-activity", "type", "RelatedActivityType"),
    # A: result/@type, reference/@vocabulary; indicator/@measure, reference/@vocabulary
    _u("result", "type", "ResultType"),
    _u("result/reference", "vocabulary", "ResultVocabulary"),
    _u("result/indicator", "measure", "IndicatorMeasure"),
    _u("result/indicator/reference", "vocabulary", "IndicatorVocabulary"),
    # A: crs-add/other-flags/@code, loan-terms, loan-status/@currency; fss/forecast/@currency
    _u("crs-add/other-flags", "code", "CRSAddOtherFlags"),
    _u("crs-add/loan-terms/repayment-type", "code", "LoanRepaymentType"),
    _u("crs-add/loan-terms/repayment-plan", "code", "LoanRepaymentPeriod"),
    _u("crs-add/loan-status", "currency", "Currency"),
    _u("fss/forecast", "currency", "Currency"),
    *_NARRATIVES,
)

ORGANISATION_USES: tuple[CodeUse, ...] = (
    # O: iati-organisation/@default-currency, @xml:lang; reporting-org/@type
    _u(".", "default-currency", "Currency"),
    _u(".", XML_LANG, "Language"),
    _u("reporting-org", "type", "OrganisationType"),
    # O: total-budget, recipient-org-budget, recipient-region-budget,
    # recipient-country-budget: @status, value/@currency, budget-line/value/@currency
    _u("total-budget", "status", "BudgetStatus"),
    _u("recipient-org-budget", "status", "BudgetStatus"),
    _u("recipient-region-budget", "status", "BudgetStatus"),
    _u("recipient-country-budget", "status", "BudgetStatus"),
    _u("*/value", "currency", "Currency"),
    _u("*/budget-line/value", "currency", "Currency"),
    _u("*/expense-line/value", "currency", "Currency"),
    # O: recipient-country-budget/recipient-country/@code;
    # recipient-region-budget/recipient-region/@vocabulary, @code (vocabulary 1)
    _u("recipient-country-budget/recipient-country", "code", "Country"),
    _u("recipient-region-budget/recipient-region", "vocabulary", "RegionVocabulary"),
    _u("recipient-region-budget/recipient-region", "code", "Region", "1"),
    # O: document-link/@format, category/@code, language/@code, recipient-country/@code
    _u("document-link", "format", "FileFormat"),
    _u("document-link/category", "code", "DocumentCategory"),
    _u("document-link/language", "code", "Language"),
    _u("document-link/recipient-country", "code", "Country"),
    *_NARRATIVES,
)
