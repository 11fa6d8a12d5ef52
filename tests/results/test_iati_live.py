"""The IATI checks while editing: each finding of a project's export tied to the record
and input a person corrects, shown beside that input on the edit forms, summed up on
the project page, and read through the API (drafts hidden from the public).

The cases are ones the forms accept but IATI flags: actual dates out of order (the
form checks only the planned ones), a value date after today, a currency on ISO 4217
but not on the IATI Currency codelist (XAU, gold), a target given in words only for
a counted indicator.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub import testing
from bakuhub.accounts.models import User
from bakuhub.errors import NotFound
from bakuhub.results import iati_live
from bakuhub.results.finance import add_budget, add_transaction
from bakuhub.results.iati_live import Order, Place, check_project, place_of
from bakuhub.results.schemas import BudgetIn, ResultIn, TransactionIn
from bakuhub.results.service import add_result
from bakuhub.testing import API, csrf_of, form_values

from .conftest import make_parties, make_project

AUTHOR = "t"
OUT_OF_ORDER = {"actual_start": "2024-05-01", "actual_end": "2024-03-01"}
WORDS_ONLY = {
    "kind": "output",
    "title": "Wells dug",
    "indicators": [
        {
            "title": "Wells",
            "measure": "unit",
            "periods": [{"start": "2024-01-01", "end": "2024-12-31", "target_comment": "many"}],
        }
    ],
}


def _future() -> str:
    return (dt.date.today() + dt.timedelta(days=30)).isoformat()


def _transaction(session: Session, ref: str, **raw: str) -> int:
    data = TransactionIn.model_validate({"kind": "disbursement", "value": "5", **raw})
    made = add_transaction(session=session, project_ref=ref, data=data, author=AUTHOR)
    return int(made["id"])


def _places(check: iati_live.ProjectCheck) -> dict[str | None, Place]:
    return {f.finding.rule_id or f.finding.rule: f.place for f in check.findings}


def test_each_finding_names_the_record_and_input_it_concerns(session: Session) -> None:
    make_parties(session)
    make_project(session, "LIVE-1", **OUT_OF_ORDER)
    # added out of date order: the export writes transactions by date
    gold = _transaction(session, "LIVE-1", date="2024-06-01", currency="XAU")
    later = _transaction(session, "LIVE-1", date="2024-04-01", currency="EUR", value_date=_future())
    budget = add_budget(
        session=session,
        project_ref="LIVE-1",
        data=BudgetIn(
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 12, 31),
            value=3,  # type: ignore[arg-type]
            currency="XAU",
        ),
        author=AUTHOR,
    )
    result = add_result(
        session=session,
        project_ref="LIVE-1",
        data=ResultIn.model_validate(WORDS_ONLY),
        author=AUTHOR,
    )
    period = result["indicators"][0]["periods"][0]["id"]

    check = check_project(session=session, project_ref="LIVE-1")
    places = _places(check)
    assert places["11.1.3"] == Place("project", None, "actual_start")
    assert places["11.2.2"] == Place("transaction", later, "value_date")
    assert places["8.9.1"] == Place("period", period, "target")
    money = {(f.place.kind, f.place.id) for f in check.findings if f.finding.rule_id == "Currency"}
    assert money == {("transaction", gold), ("budget", budget["id"])}
    assert {f.place.input for f in check.findings if f.finding.rule_id == "Currency"} == {
        "currency"
    }
    date_order = check.by_input("project")["actual_start"][0].message
    assert "actual start date of the activity must be before the actual end date" in date_order
    gold_message = check.by_input("transaction", gold)["currency"][0].message
    assert re.match(r"Activity \S+-LIVE-1, transaction\[2\]/value/@currency", gold_message)
    tally = check.counts
    assert tally["error"] >= 5 and iati_live.count_text(tally).startswith(
        f"{tally['error']} errors"
    )


def test_the_public_check_knows_no_draft_and_no_unapproved_period(session: Session) -> None:
    make_parties(session)
    make_project(session, "LIVE-PUB", **OUT_OF_ORDER)
    make_project(session, "LIVE-DRAFT", published=False)
    add_result(
        session=session,
        project_ref="LIVE-PUB",
        data=ResultIn.model_validate(WORDS_ONLY),
        author=AUTHOR,
    )
    staff = _places(check_project(session=session, project_ref="LIVE-PUB"))
    public = _places(check_project(session=session, project_ref="LIVE-PUB", public=True))
    assert "8.9.1" in staff and "8.9.1" not in public  # the draft period is not exported
    assert public["11.1.3"] == staff["11.1.3"]
    with pytest.raises(NotFound):
        check_project(session=session, project_ref="LIVE-DRAFT", public=True)
    assert check_project(session=session, project_ref="LIVE-DRAFT").project_ref == "LIVE-DRAFT"


@pytest.mark.parametrize(
    ("field", "place"),
    [
        ("transactions.1.provider_ref", Place("transaction", 20, "provider_party")),
        ("budgets.0", Place("budget", 10, None)),
        ("results.0.indicators.0.baseline_value", Place("indicator", 30, "baseline_value")),
        ("results.0.title", Place("result", 3, "title")),
        ("countries.1.share", Place("project", None, "countries")),
        ("reporting_org_ref", Place("project", None, None)),
        ("transactions.7.currency", Place("project", None, None)),  # not exported: the project
        (None, Place("project", None, None)),
    ],
)
def test_a_field_in_export_order_is_a_database_record(field: str | None, place: Place) -> None:
    order = Order(
        budgets=[10], transactions=[21, 20], results=[3], indicators=[[30]], periods=[[[]]]
    )
    assert place_of(field, order) == place


# ---- the pages and the API --------------------------------------------------------------


@pytest.fixture
def world(client: TestClient) -> TestClient:
    """P-TCD (published, Chad), P-DRAFT (a draft of Chad), made by the administrator."""
    return testing.make_world(client)


@pytest.fixture
def amina(world: TestClient, app: FastAPI, make_user: Callable[..., User]) -> TestClient:
    """Chad's focal point, signed in through the login form."""
    make_user("amina", "focal_point", "TCD")
    return testing.browser_client(app, "amina")


def _save_form(web: TestClient, url: str, **fields: str) -> Any:
    page = web.get(url)
    assert page.status_code == 200, page.text
    data: dict[str, Any] = {k: v[0] for k, v in form_values(page.text).items()}
    data.update(fields, csrf_token=csrf_of(page.text))
    return web.post(url, data=data, follow_redirects=False)


def _beside(html: str, name: str) -> str:
    """The IATI finding shown beside input ``name``, named by its aria-describedby."""
    found = re.search(rf'<p class="iati-finding iati-(\w+)" id="iati-{name}-1">(.*?)</p>', html)
    assert found, f"no IATI finding beside {name}"
    described = re.search(rf'id="f-{name}"[^>]*aria-describedby="([^"]*)"', html)
    assert described and f"iati-{name}-1" in described.group(1).split()
    return f"{found.group(1)}: {htmllib.unescape(re.sub(r'<[^>]+>', '', found.group(2)))}"


def test_a_project_saved_with_actual_dates_out_of_order_shows_the_finding_at_the_dates(
    amina: TestClient,
) -> None:
    saved = _save_form(amina, "/projects/P-TCD/edit", **OUT_OF_ORDER)
    assert saved.status_code == 303  # IATI findings never block a save
    form = amina.get("/projects/P-TCD/edit").text
    for name in ("actual_start", "actual_end"):
        note = _beside(form, name)
        assert note.startswith("error: IATI error:") and "(IATI rule 11.1.3)" in note
    assert "IATI check of this project as saved:" in form
    refused = _save_form(amina, "/projects/P-TCD/edit", title="")
    assert refused.status_code == 422  # the user's own errors come first, alone
    assert 'id="err-title"' in refused.text and "iati-finding" not in refused.text


def test_the_project_page_says_iati_check_with_links_to_the_forms(
    amina: TestClient, world: TestClient, anon_client: TestClient
) -> None:
    """Needs ``{% include "_iati_findings.html" %}`` in project.html."""
    assert _save_form(amina, "/projects/P-TCD/edit", **OUT_OF_ORDER).status_code == 303
    counts = world.get(f"{API}/projects/P-TCD/iati-findings").json()["counts"]
    page = amina.get("/projects/P-TCD").text
    heading = re.search(r'<h2 id="iati-h">IATI check: ([^<]*)</h2>', page)
    assert heading and heading.group(1) == iati_live.count_text(counts)
    assert 'href="/projects/P-TCD/edit#f-actual_start"' in page
    assert "IATI check" not in anon_client.get("/projects/P-TCD").text


def test_a_transaction_off_the_codelist_or_valued_in_the_future_shows_at_its_field(
    amina: TestClient, world: TestClient
) -> None:
    made = {}
    for name, body in (
        ("currency", {"currency": "XAU"}),
        ("value_date", {"currency": "EUR", "value_date": _future()}),
    ):
        tx = {"kind": "disbursement", "date": "2024-03-01", "value": "10", **body}
        r = world.post(f"{API}/projects/P-TCD/transactions", json=tx)
        assert r.status_code == 201, r.text
        made[name] = r.json()["id"]
    gold = amina.get(f"/projects/P-TCD/transactions/{made['currency']}/edit").text
    assert "'XAU' is not a code of the non-embedded Currency codelist" in _beside(gold, "currency")
    assert 'id="iati-value_date-1"' not in gold  # each transaction shows its own findings
    future = amina.get(f"/projects/P-TCD/transactions/{made['value_date']}/edit").text
    assert "(IATI rule 11.2.2)" in _beside(future, "value_date")
    saved = _save_form(
        amina, f"/projects/P-TCD/transactions/{made['value_date']}/edit", value_date="2024-03-01"
    )
    assert saved.status_code == 303
    fixed = amina.get(f"/projects/P-TCD/transactions/{made['value_date']}/edit").text
    assert 'id="iati-value_date-1"' not in fixed


def test_a_period_in_words_only_and_a_baseline_without_value_show_at_their_inputs(
    amina: TestClient, world: TestClient
) -> None:
    body = {**WORDS_ONLY, "indicators": [{**WORDS_ONLY["indicators"][0], "baseline_year": 2023}]}
    r = world.post(f"{API}/projects/P-TCD/results", json=body)
    assert r.status_code == 201, r.text
    indicator = r.json()["indicators"][0]
    form = amina.get(f"/periods/{indicator['periods'][0]['id']}/edit").text
    assert "(IATI rule 8.9.1)" in _beside(form, "target")
    assert "IATI check of this period as saved:" in form
    baseline = amina.get(f"/indicators/{indicator['id']}/edit").text
    assert "(IATI rule 8.8.1)" in _beside(baseline, "baseline_value")
    result = amina.get(f"/results/{r.json()['id']}/edit")
    assert result.status_code == 200 and "iati-finding" not in result.text  # none of its own


def test_the_api_lists_the_findings_with_their_records_and_hides_drafts(
    world: TestClient, anon_client: TestClient
) -> None:
    body = {"kind": "commitment", "date": "2024-03-01", "value": "10", "currency": "XAU"}
    tx = world.post(f"{API}/projects/P-TCD/transactions", json=body).json()["id"]
    staff = world.get(f"{API}/projects/P-TCD/iati-findings").json()
    codes = [f for f in staff["findings"] if f["rule_id"] == "Currency"]
    assert [f["record"] for f in codes] == [{"kind": "transaction", "id": tx, "input": "currency"}]
    assert codes[0]["severity"] == "error" and codes[0]["field"] == "transactions.0.currency"
    assert staff["summary"] == iati_live.count_text(staff["counts"])
    public = anon_client.get(f"{API}/projects/P-TCD/iati-findings")
    assert public.status_code == 200 and public.json()["counts"] == staff["counts"]
    assert anon_client.get(f"{API}/projects/P-DRAFT/iati-findings").status_code == 404
    assert world.get(f"{API}/projects/P-DRAFT/iati-findings").status_code == 200


def test_a_form_opens_and_says_so_when_the_check_cannot_run(
    amina: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("BAKUHUB_IATI_RULESET_DIR", str(tmp_path / "nowhere"))
    form = amina.get("/projects/P-TCD/edit")
    assert form.status_code == 200
    assert "The IATI check could not run: There is no ruleset file" in htmllib.unescape(form.text)
