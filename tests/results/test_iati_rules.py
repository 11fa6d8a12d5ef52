"""The IATI Standard beyond its schema: the standard ruleset and the codelists.

A valid activity (fixtures/iati_rules/activity.xml) is broken one rule family or one
codelist family at a time; each test names the finding the file gets and its exact
message, as a publisher would read it before export.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from bakuhub.cli import app
from bakuhub.errors import InvalidInput
from bakuhub.iati import codelists
from bakuhub.iati.findings import Finding, blocking
from bakuhub.iati.rules import check_activities, check_organisations
from bakuhub.registry import codes as registry_codes
from bakuhub.registry.seed import seed_demo
from bakuhub.results import codes as results_codes
from bakuhub.results.iati_export import export_activities

from .conftest import make_agreement, make_full_project, make_parties

FIXTURES = Path(__file__).parent / "fixtures" / "iati_rules"
SHIPPED = Path(codelists.__file__).parent.parent / "datasets" / "iati"
API = "/api/v1"
Mutation = Callable[[ET.Element], None]


def _broken(mutate: Mutation, name: str = "activity.xml") -> bytes:
    root = ET.parse(FIXTURES / name).getroot()
    mutate(root[0])
    return bytes(ET.tostring(root, encoding="utf-8"))


def _check(mutate: Mutation) -> list[Finding]:
    return check_activities(_broken(mutate))


def _set(path: str, attribute: str, value: str) -> Mutation:
    def mutate(activity: ET.Element) -> None:
        element = activity if path == "." else activity.find(path)
        assert element is not None
        element.set(attribute, value)

    return mutate


def _identifier(value: str) -> Mutation:
    def mutate(activity: ET.Element) -> None:
        activity.find("iati-identifier").text = value  # type: ignore[union-attr]

    return mutate


def _no_currency(activity: ET.Element) -> None:
    del activity.attrib["default-currency"]
    del activity.find("transaction[2]/value").attrib["currency"]  # type: ignore[union-attr]


def _no_start(activity: ET.Element) -> None:
    activity.remove(activity.find("activity-date[@type='1']"))  # type: ignore[arg-type]


def _region_on_top(activity: ET.Element) -> None:
    region = ET.Element("recipient-region", {"vocabulary": "1", "code": "298", "percentage": "20"})
    activity.insert(list(activity).index(activity.find("recipient-country[2]")) + 1, region)  # type: ignore[arg-type]


def _second_aid_type(activity: ET.Element) -> None:
    ET.SubElement(activity.find("transaction[2]"), "aid-type", {"vocabulary": "1", "code": "B01"})  # type: ignore[arg-type]


def _single_country_at_half(activity: ET.Element) -> None:
    activity.remove(activity.find("recipient-country[2]"))  # type: ignore[arg-type]
    activity.find("recipient-country").set("percentage", "50")  # type: ignore[union-attr]


A = "Activity XM-DAC-47066-T-1"

# (rule family, how to break it, rule id, severity, element, field, message)
RULE_CASES = [
    (
        "unique",
        _identifier("XM-DAC-47066"),
        "1.1.3",
        "error",
        "iati-identifier",
        "identifier",
        "Activity XM-DAC-47066, iati-identifier (field identifier): reporting-org/@ref and "
        "iati-identifier are both 'XM-DAC-47066'. The activity identifier must be different "
        "to the organisation identifier of the reporting organisation. (IATI rule 1.1.3)",
    ),
    (
        "startswith",
        _identifier("OTHER-1"),
        "1.1.21",
        "warning",
        "iati-identifier",
        "identifier",
        "Activity OTHER-1, iati-identifier (field identifier): 'OTHER-1' does not start with "
        "'XM-DAC-47066-'. The activity identifier should begin with your IATI organisation "
        "identifier (either the current IATI Organisation identifier for the reporting "
        "organisation or a previous version included in other-identifier element) followed "
        "by a unique string for the activity separated by a hyphen. (IATI rule 1.1.21)",
    ),
    (
        "atleast_one",
        _no_start,
        "6.11.1",
        "error",
        ".",
        None,
        f"{A}: none of activity-date[@type='1' or @type='2'] is given. The activity must "
        "have a planned start date or an actual start date. (IATI rule 6.11.1)",
    ),
    (
        "one_or_all",
        _no_currency,
        "7.8.1",
        "error",
        "transaction[2]/value/@currency",
        "transactions.1.currency",
        f"{A}, transaction[2]/value/@currency (field transactions.1.currency): "
        "@default-currency is not given and this is an amount without currency. The "
        "activity should specify a default currency OR the currency must be specified for "
        "each monetary value. (IATI rule 7.8.1)",
    ),
    (
        "date_now",
        _set(".", "last-updated-datetime", "2999-01-01T00:00:00+00:00"),
        "11.1.1",
        "error",
        "@last-updated-datetime",
        None,
        f"{A}, @last-updated-datetime: 2999-01-01T00:00:00+00:00 is in the future. The last "
        "updated datetime of the activity must not be in the future. (IATI rule 11.1.1)",
    ),
    (
        "date_order",
        _set("activity-date[@type='1']", "iso-date", "2027-01-01"),
        "11.1.2",
        "error",
        "activity-date[@type='1']/@iso-date",
        "planned_start",
        f"{A}, activity-date[@type='1']/@iso-date (field planned_start): 2027-01-01 is after "
        "activity-date[@type='3']/@iso-date (2026-12-31). The planned start date of the "
        "activity must be before the planned end date. (IATI rule 11.1.2)",
    ),
    (
        "regex_matches",
        _identifier("XM-DAC-47066-T/1"),
        "1.3.13",
        "warning",
        "iati-identifier",
        "identifier",
        "Activity XM-DAC-47066-T/1, iati-identifier (field identifier): 'XM-DAC-47066-T/1' "
        "does not match ^[^\\/\\&\\|\\?]+$. The iati-identifier must not contain any of the "
        "symbols /, &, | or ?. (IATI rule 1.3.13)",
    ),
    (
        "no_spaces",
        _identifier("XM-DAC-47066-T-1 "),
        "1.3.1",
        "warning",
        "iati-identifier",
        "identifier",
        f"{A}, iati-identifier (field identifier): 'XM-DAC-47066-T-1 ' starts or ends with a "
        "space or newline. The iati-identifier should not start or end with spaces or "
        "newlines. (IATI rule 1.3.1)",
    ),
    (
        "loop",  # per recipient-region vocabulary: regions and countries add up to 100
        _region_on_top,
        "3.4.2",
        "error",
        "recipient-region[1]/@percentage",
        None,
        f"{A}, recipient-region[1]/@percentage: the values (20, 60, 40) add up to 120, not "
        "100. Percentage values for recipient countries or regions, must add up to 100%. "
        "(IATI rule 3.4.2)",
    ),
    (
        "no_more_than_one",
        _second_aid_type,
        "107.2.2",
        "warning",
        "transaction[2]/aid-type[2]",
        "transactions.1",
        f"{A}, transaction[2]/aid-type[2] (field transactions.1): 2 are given (aid-type"
        "[@vocabulary = '1' or @vocabulary = '' or not(@vocabulary)]). Each transaction "
        "should only contain one aid type code per aid type vocabulary (e.g. 1 - OECD DAC). "
        "(IATI rule 107.2.2)",
    ),
    (
        "strict_sum",
        _set("recipient-country[2]", "percentage", "30"),
        "3.1.2",
        "error",
        "recipient-country[1]/@percentage",
        "countries.0.share",
        f"{A}, recipient-country[1]/@percentage (field countries.0.share): the values (60, "
        "30) add up to 90, not 100. Percentage values for recipient countries, must add up "
        "to 100%. (IATI rule 3.1.2)",
    ),
    (
        "range",
        _set("sector[1]", "percentage", "120"),
        "12.3.1",
        "error",
        "sector[1]/@percentage",
        "sectors.0.percentage",
        f"{A}, sector[1]/@percentage (field sectors.0.percentage): '120' is not between 0.0 "
        "and 100.0. The sector percentage value must be between 0.0 and 100.0 (inclusive). "
        "(IATI rule 12.3.1)",
    ),
    (
        "if_then",
        _single_country_at_half,
        "3.1.4",
        "error",
        "recipient-country[1]",
        "countries.0",
        f"{A}, recipient-country[1] (field countries.0): the file gives recipient-country "
        "code=AZ percentage=50. When a single recipient country is declared, the percentage "
        "must either be omitted, or set to 100. (IATI rule 3.1.4)",
    ),
    (
        "time_limit",
        _set("budget/period-end", "iso-date", "2025-06-30"),
        "7.5.3",
        "error",
        "budget[1]/period-end/@iso-date",
        "budgets.0.period_end",
        f"{A}, budget[1]/period-end/@iso-date (field budgets.0.period_end): the period "
        "2024-01-01 to 2025-06-30 lasts 546 days, more than 365. Budget Period must not be "
        "longer than one year. (IATI rule 7.5.3)",
    ),
]


def test_the_fixtures_pass_every_check() -> None:
    assert check_activities((FIXTURES / "activity.xml").read_bytes()) == []
    assert check_organisations((FIXTURES / "organisation.xml").read_bytes()) == []


@pytest.mark.parametrize(
    ("family", "mutate", "rule_id", "severity", "element", "field", "message"),
    RULE_CASES,
    ids=[c[0] for c in RULE_CASES],
)
def test_each_rule_family_broken_once(
    family: str,
    mutate: Mutation,
    rule_id: str,
    severity: str,
    element: str,
    field: str | None,
    message: str,
) -> None:
    found = [f for f in _check(mutate) if f.rule_id == rule_id]
    assert len(found) == 1, found
    finding = found[0]
    assert family in (finding.rule, "loop")
    assert (finding.severity, finding.element, finding.field) == (severity, element, field)
    assert finding.message == message
    assert finding.as_dict()["message"] == message


def test_between_dates_in_an_organisation_file() -> None:
    xml = _broken(
        _set("recipient-country-budget/budget-line/value", "value-date", "2025-02-01"),
        "organisation.xml",
    )
    (finding,) = check_organisations(xml)
    assert (finding.rule, finding.rule_id, finding.severity) == ("between_dates", "11.3.1", "error")
    assert finding.activity == "XM-DAC-47066"
    assert finding.message == (
        "Organisation XM-DAC-47066, recipient-country-budget[1]/budget-line/value/@value-date: "
        "2025-02-01 is outside the period 2024-01-01 to 2024-12-31. The budget line value "
        "date must be within the budget period. (IATI rule 11.3.1)"
    )


CODE_CASES = [
    (
        "embedded",
        _set("transaction[1]/transaction-type", "code", "99"),
        "error",
        "transactions.0.kind",
        f"{A}, transaction[1]/transaction-type/@code (field transactions.0.kind): '99' is not "
        "a code of the embedded TransactionType codelist. Use one of its codes, listed at "
        "https://iatistandard.org/en/iati-standard/203/codelists/transactiontype/.",
    ),
    (
        "non-embedded, complete",
        _set(".", "default-currency", "XYZ"),
        "error",
        "default_currency",
        f"{A}, @default-currency (field default_currency): 'XYZ' is not a code of the "
        "non-embedded Currency codelist. Use one of its codes, listed at "
        "https://iatistandard.org/en/iati-standard/203/codelists/currency/.",
    ),
    (
        "non-embedded, incomplete",
        _set("recipient-country[2]", "code", "XX"),
        "warning",
        "countries.1.country",
        f"{A}, recipient-country[2]/@code (field countries.1.country): 'XX' is not a code of "
        "the non-embedded Country codelist (an incomplete list: the code may still be "
        "valid). Use one of its codes, listed at "
        "https://iatistandard.org/en/iati-standard/203/codelists/country/.",
    ),
    (
        "withdrawn",
        _set("budget/value", "currency", "EEK"),
        "warning",
        "budgets.0.currency",
        f"{A}, budget[1]/value/@currency (field budgets.0.currency): the code 'EEK' (Kroon) "
        "is withdrawn from the Currency codelist. Choose a current code (the codelist says: "
        "Withdrawn from ISO Currency codelist), from "
        "https://iatistandard.org/en/iati-standard/203/codelists/currency/.",
    ),
]


@pytest.mark.parametrize(
    ("family", "mutate", "severity", "field", "message"), CODE_CASES, ids=[c[0] for c in CODE_CASES]
)
def test_each_codelist_family_broken_once(
    family: str, mutate: Mutation, severity: str, field: str, message: str
) -> None:
    found = [f for f in _check(mutate) if f.rule == "codelist"]
    assert [(f.severity, f.field, f.message) for f in found] == [(severity, field, message)]


def test_schema_failures_are_critical_and_named() -> None:
    found = _check(_set("activity-date[@type='3']", "iso-date", "soon"))
    schema = [f for f in found if f.rule == "schema"]
    assert len(schema) == 1 and schema[0].severity == "critical"
    assert (schema[0].element, schema[0].field) == ("activity-date[@type='3']", "planned_end")
    assert schema[0].message.startswith(f"{A}, activity-date[@type='3'] (field planned_end): ")
    assert "'soon'" in schema[0].message and blocking(found)
    (broken,) = check_activities(b"<iati-activities><iati-activity>")
    assert (broken.severity, broken.rule) == ("critical", "xml")
    assert "not well-formed XML" in broken.message


def test_a_newer_ruleset_and_codelists_from_a_directory(tmp_path: Path) -> None:
    rules = json.loads((SHIPPED / "rulesets" / "standard.json").read_text())
    case = rules["/iati-activities/iati-activity"]["atleast_one"]["cases"][0]
    case["ruleInfo"] = {**case["ruleInfo"], "id": "99.1.1", "severity": "warning"}
    newer = tmp_path / "rulesets"
    newer.mkdir()
    (newer / "standard.json").write_text(json.dumps(rules))
    found = check_activities(_broken(_no_start), ruleset=newer)
    assert [(f.rule_id, f.severity) for f in found] == [("99.1.1", "warning")]

    lists = tmp_path / "codelists"
    shutil.copytree(SHIPPED / "codelists", lists)
    currency = lists / "Currency.xml"
    currency.write_text(
        currency.read_text().replace(
            "<codelist-items>",
            "<codelist-items><codelist-item><code>XYZ</code>"
            "<name><narrative>Test unit</narrative></name></codelist-item>",
        )
    )
    assert codelists.load("Currency", lists).name_of("XYZ") == "Test unit"
    assert (
        check_activities(_broken(_set(".", "default-currency", "XYZ")), codelists_dir=lists) == []
    )

    (tmp_path / "bad.json").write_text('{"/iati-activities": {"sometimes": {"cases": []}}}')
    with pytest.raises(InvalidInput, match="sometimes"):
        check_activities(b"<iati-activities/>", ruleset=tmp_path / "bad.json")
    with pytest.raises(InvalidInput, match="no codelist Currency"):
        codelists.load("Currency", tmp_path)


def test_the_hub_code_tables_come_from_the_official_lists() -> None:
    assert codelists.load("OrganisationType").active() == registry_codes.IATI_ORGANISATION_TYPES
    assert registry_codes.IATI_ACTIVITY_STATUS["2"] == "Implementation"
    commitment = results_codes.TransactionKind.commitment
    assert results_codes.TRANSACTION_NAMES[commitment] == "Outgoing Commitment"
    used: list[tuple[list[str], str]] = [
        (list(registry_codes.IATI_ORGANISATION_ROLE_CODES.values()), "OrganisationRole"),
        (list(results_codes.RESULT_TYPE_CODES.values()), "ResultType"),
        (list(results_codes.MEASURE_CODES.values()), "IndicatorMeasure"),
        (list(results_codes.TRANSACTION_CODES.values()), "TransactionType"),
        (list(results_codes.BUDGET_TYPE_CODES.values()), "BudgetType"),
        (list(results_codes.BUDGET_STATUS_CODES.values()), "BudgetStatus"),
        (list(results_codes.RIO_MARKER_CODES.values()), "PolicyMarker"),
        (list(results_codes.ACTIVITY_DATE_TYPES), "ActivityDateType"),
        (list(results_codes.SIGNIFICANCE), "PolicySignificance"),
        (list(results_codes.HUMANITARIAN_SCOPE_TYPES), "HumanitarianScopeType"),
        ([results_codes.INDICATOR_VOCABULARY_OWN], "IndicatorVocabulary"),
    ]
    for codes, name in used:
        current = codelists.load(name).active()
        assert codes and all(code in current for code in codes), f"{codes} not all in {name}"


def test_the_demo_record_exports_with_no_critical_or_error(session: Session) -> None:
    seed_demo(session=session, author="t")
    exported = export_activities(session=session)
    findings = check_activities(exported.xml)
    blocking_now = [f for f in findings if f.severity in ("critical", "error")]
    assert blocking_now == [], "\n".join(f.message for f in blocking_now)
    # The demo projects have no IATI profile: their Hub themes stand in as sectors of the
    # reporting organisation's vocabulary (99), shared equally, and the export says so.
    root = ET.fromstring(exported.xml)
    chad = next(
        a
        for a in root.iter("iati-activity")
        if a.findtext("iati-identifier", "").endswith("BAKU-HUB-PILOT-TCD")
    )
    sectors = [
        (s.get("vocabulary"), s.get("code"), s.get("percentage")) for s in chad.iter("sector")
    ]
    assert sectors == [
        ("99", "adaptation", "33.33"),
        ("99", "peacebuilding", "33.33"),
        ("99", "migration-displacement", "33.34"),
    ]
    assert any("BAKU-HUB-PILOT-TCD: no sectors" in n for n in exported.notes)


def test_iati_check_on_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    good = runner.invoke(app, ["iati", "check", str(FIXTURES / "activity.xml")])
    assert good.exit_code == 0, good.output
    bad = tmp_path / "bad.xml"
    bad.write_bytes(_broken(_set("transaction[1]/transaction-type", "code", "99")))
    result = runner.invoke(app, ["iati", "check", str(bad)])
    assert result.exit_code == 1
    assert "error (1):" in result.stdout and "'99' is not a code" in result.stdout
    as_json = runner.invoke(app, ["iati", "check", str(bad), "--json"])
    assert json.loads(as_json.stdout)["counts"] == {"critical": 0, "error": 1, "warning": 0}


def test_iati_check_through_the_api(
    client: TestClient, anon_client: TestClient, session: Session
) -> None:
    make_parties(session)
    make_agreement(session, "prog-1")
    make_full_project(session)
    answer = client.get(f"{API}/iati/check", params={"project": "FULL-1"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["activities"] == 1 and body["valid"] is True
    assert set(body["counts"]) == {"critical", "error", "warning"}
    assert all(f["activity"] == "XM-DAC-47066-FULL-1" for f in body["findings"])
    draft = {"ref": "DRAFT-1", "title": "Draft", "status": "1", "published": False}
    assert client.post(f"{API}/projects", json=draft).status_code == 201
    assert client.get(f"{API}/iati/check", params={"project": "DRAFT-1"}).status_code == 200
    assert anon_client.get(f"{API}/iati/check", params={"project": "DRAFT-1"}).status_code == 404


def _code_uses_in_fixture() -> list[tuple[str, str | None, str]]:
    """Every (path, attribute, codelist) of the 2.03 mapping that the valid fixture uses."""
    from bakuhub.iati.codeuses import ACTIVITY_USES

    activity = ET.parse(FIXTURES / "activity.xml").getroot()[0]
    found = []
    for use in ACTIVITY_USES:
        elements = [activity] if use.path == "." else list(activity.iterfind(use.path))
        used = [
            e
            for e in elements
            if (e.get(use.attribute) if use.attribute else e.text) and use.applies(e)
        ]
        if used:
            found.append((use.path, use.attribute, use.codelist))
    return found


CODE_USES = _code_uses_in_fixture()


def test_the_fixture_exercises_most_codelists() -> None:
    assert len({codelist for _p, _a, codelist in CODE_USES}) >= 20, CODE_USES


@pytest.mark.parametrize(("path", "attribute", "codelist"), CODE_USES)
def test_each_codelist_refuses_a_code_it_does_not_have(
    path: str, attribute: str | None, codelist: str
) -> None:
    """Each codelist the activity uses, broken once: the finding names the list and the
    value, graded error on a complete list and warning on an incomplete one."""

    def mutate(activity: ET.Element) -> None:
        element = activity if path == "." else activity.find(path)
        assert element is not None
        if attribute:
            element.set(attribute, "ZZ9")
        else:
            element.text = "ZZ9"

    findings = [f for f in _check(mutate) if f.rule == "codelist" and "'ZZ9'" in f.message]
    assert len(findings) == 1, [f.message for f in _check(mutate)]
    (finding,) = findings
    assert f"{codelist} codelist" in finding.message
    expected = "error" if codelists.load(codelist).complete else "warning"
    assert finding.severity == expected
