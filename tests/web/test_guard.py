"""Every state-changing route refuses a request without a valid CSRF token (cookie
sessions) and without the role it needs. The routes are read from the app, so a
new route without an entry in NEEDED fails the first test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_helpers import API, project_body, result_body

from bakuhub.accounts.service import create_token

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
OPEN, SIGNED_IN, OWNER, STAFF, ADMIN = "open", "signed-in", "owner", "secretariat", "administrator"
ANALYST = "analyst"  # focal points and above: run corridor studies

RECORD = {"parties": STAFF, "agreements": STAFF, "working-groups": OWNER, "projects": OWNER}
GROUP_ITEMS = ("members", "meetings", "decisions", "action-items")
USER_ACTIONS = ("disable", "enable", "revoke-tokens")
NEEDED: dict[tuple[str, str], str] = {
    **{("POST", f"{API}/{k}"): v for k, v in RECORD.items()},
    **{("PATCH", f"{API}/{k}/{{ref}}"): v for k, v in RECORD.items()},
    **{("DELETE", f"{API}/{k}/{{ref}}"): STAFF for k in RECORD},
    **{("POST", f"/{k}/new"): v for k, v in RECORD.items()},
    **{("POST", f"/{k}/{{ref}}/edit"): v for k, v in RECORD.items()},
    ("POST", f"{API}/csv/{{name}}"): STAFF,
    ("POST", f"{API}/agreements/{{ref}}/documents"): STAFF,
    ("POST", f"{API}/risk/rankings"): SIGNED_IN,
    **{("POST", f"/risk/{p}"): SIGNED_IN for p in ("displacement", "store")},
    ("POST", f"{API}/projects/{{ref}}/results"): OWNER,
    ("DELETE", f"{API}/results/{{result_id}}"): OWNER,
    ("PATCH", f"{API}/periods/{{period_id}}"): OWNER,
    ("POST", f"{API}/periods/{{period_id}}/transitions"): STAFF,  # approving
    ("POST", f"{API}/projects/{{ref}}/budgets"): OWNER,
    ("POST", f"{API}/projects/{{ref}}/transactions"): OWNER,
    ("POST", f"{API}/exchange-rates"): STAFF,
    ("PUT", f"{API}/projects/{{ref}}/iati"): OWNER,
    ("POST", f"{API}/projects/{{ref}}/corridor-actuals"): OWNER,
    ("POST", f"{API}/iati/activities"): STAFF,
    **{("POST", f"/iati/{p}"): STAFF for p in ("preview", "import")},
    ("POST", f"{API}/tokens"): SIGNED_IN,
    ("DELETE", f"{API}/tokens/{{token_id}}"): SIGNED_IN,
    ("POST", f"{API}/jobs"): ANALYST,
    ("POST", f"{API}/jobs/{{job_id}}/cancel"): SIGNED_IN,
    ("POST", f"{API}/sweeps"): ANALYST,
    ("POST", f"{API}/sweeps/{{batch}}/cancel"): SIGNED_IN,
    ("POST", "/corridor/sweeps"): ANALYST,
    ("POST", "/corridor/sweeps/{batch}/cancel"): SIGNED_IN,
    ("POST", "/login"): OPEN,
    ("POST", "/language"): OPEN,
    ("POST", "/logout"): SIGNED_IN,
    ("POST", "/account/tokens"): SIGNED_IN,
    ("POST", "/account/tokens/{token_id}/revoke"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    ("POST", "/account/language"): SIGNED_IN,
    **{("POST", f"/account/users/{{username}}/{a}"): ADMIN for a in USER_ACTIONS},
    **{("POST", f"{API}/users/{{username}}/{a}"): ADMIN for a in USER_ACTIONS},
    ("POST", "/projects/{ref}/results/new"): OWNER,
    ("POST", "/periods/{period_id}/values"): OWNER,
    ("POST", "/periods/{period_id}/move"): STAFF,  # approving
    ("POST", "/corridor/run"): ANALYST,
    # -- corridor scenarios and studies (issue 15, C1); owners are checked after the role --
    **{("POST", f"{API}/corridor/scenarios{p}"): ANALYST for p in ("", "/import")},
    **{(m, f"{API}/corridor/scenarios/{{ref}}"): ANALYST for m in ("PUT", "DELETE")},
    **{("POST", f"{API}/corridor/scenarios/{{ref}}/{a}"): ANALYST for a in ("fork", "publish")},
    ("POST", f"{API}/corridor/scenarios/{{ref}}/run"): ANALYST,
    ("POST", f"{API}/corridor/studies/{{name}}/rerun"): ANALYST,
    ("POST", f"{API}/corridor/scenarios/{{ref}}/comments"): SIGNED_IN,
    ("POST", f"{API}/corridor/studies/{{name}}/comments"): SIGNED_IN,
    ("POST", "/corridor/studies/{name}/rerun"): ANALYST,  # C3: the study page
    ("POST", "/corridor/studies/{name}/comments"): SIGNED_IN,
    **{("POST", f"/corridor/scenarios/{p}"): ANALYST for p in ("new", "import")},  # C2
    **{("POST", f"/corridor/scenarios/{{ref}}/{a}"): ANALYST for a in ("edit", "publish", "run")},
    ("POST", "/corridor/scenarios/{ref}/delete"): ANALYST,  # the author or staff: service
    ("POST", "/corridor/scenarios/{ref}/comments"): SIGNED_IN,
    **{("POST", f"/working-groups/{{ref}}/{p}/new"): OWNER for p in GROUP_ITEMS},
    **{("POST", f"/working-groups/{{ref}}/{p}/{{number}}/edit"): OWNER for p in GROUP_ITEMS},
    **{("POST", f"/working-groups/{{ref}}/{p}/{{number}}/delete"): OWNER for p in GROUP_ITEMS},
    # -- finance (issue 22): add this area's routes below this line --
    **{
        (m, f"{API}/{k}/{{{k[:-1]}_id}}"): OWNER
        for k in ("budgets", "transactions")
        for m in ("PATCH", "DELETE")
    },
    **{(m, f"{API}/exchange-rates/{{rate_id}}"): STAFF for m in ("PATCH", "DELETE")},
    **{("POST", f"/projects/{{ref}}/{k}/new"): OWNER for k in ("budgets", "transactions")},
    **{
        ("POST", f"/projects/{{ref}}/{k}/{{{k[:-1]}_id}}/{a}"): OWNER
        for k in ("budgets", "transactions")
        for a in ("edit", "delete")
    },
    ("POST", "/exchange-rates/new"): STAFF,
    **{("POST", f"/exchange-rates/{{rate_id}}/{a}"): STAFF for a in ("edit", "delete")},
    # -- results (issue 22): add this area's routes below this line --
    ("PATCH", f"{API}/results/{{result_id}}"): OWNER,
    ("POST", f"{API}/results/{{result_id}}/indicators"): OWNER,
    ("PATCH", f"{API}/indicators/{{indicator_id}}"): OWNER,
    ("DELETE", f"{API}/indicators/{{indicator_id}}"): OWNER,
    ("POST", f"{API}/indicators/{{indicator_id}}/periods"): OWNER,
    ("DELETE", f"{API}/periods/{{period_id}}"): OWNER,
    ("POST", f"{API}/review"): STAFF,
    ("POST", "/results/{result_id}/edit"): OWNER,
    ("POST", "/results/{result_id}/delete"): OWNER,
    ("POST", "/results/{result_id}/indicators/new"): OWNER,
    ("POST", "/indicators/{indicator_id}/edit"): OWNER,
    ("POST", "/indicators/{indicator_id}/delete"): OWNER,
    ("POST", "/indicators/{indicator_id}/periods/new"): OWNER,
    ("POST", "/periods/{period_id}/edit"): OWNER,
    ("POST", "/periods/{period_id}/delete"): OWNER,
    ("POST", "/review"): STAFF,
    # -- forms (issue 22): add this area's routes below this line --
    **{("POST", f"/working-groups/{{ref}}/{p}/restore"): OWNER for p in GROUP_ITEMS},
    # -- lists (issue 22): add this area's routes below this line --
    ("POST", "/projects/{ref}/languages"): OWNER,  # issue 19: records' other languages
    ("POST", "/results/{result_id}/languages"): OWNER,
    ("POST", "/indicators/{indicator_id}/languages"): OWNER,
    # -- accounts (issue 22): add this area's routes below this line --
    ("POST", f"{API}/users"): ADMIN,
    ("PATCH", f"{API}/users/{{username}}"): ADMIN,
    ("POST", f"{API}/users/{{username}}/password"): ADMIN,
    ("POST", "/account/users/new"): ADMIN,
    ("POST", "/account/users/{username}/edit"): ADMIN,
    ("POST", "/account/users/{username}/password"): ADMIN,
    # -- reading (issue 22): add this area's routes below this line --
    # -- dashboards (issue 22): add this area's routes below this line --
    # -- bulk import (issue 21) --
    ("POST", f"{API}/projects/{{ref}}/bulk/{{kind}}/preview"): OWNER,
    ("POST", f"{API}/projects/{{ref}}/bulk/{{kind}}"): OWNER,
    **{("POST", f"/projects/{{ref}}/bulk/{a}"): OWNER for a in ("preview", "commit")},
}


def unsafe_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every state-changing route of the app."""
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        methods = set(getattr(context, "methods", None) or [])
        found |= {(str(m), str(context.path)) for m in methods & UNSAFE}
    return found


def test_every_state_changing_route_has_a_needed_role(app: FastAPI) -> None:
    routes = unsafe_routes(app)
    missing = routes - set(NEEDED)
    assert not missing, f"add these routes to NEEDED (and give them a role check): {missing}"
    assert not set(NEEDED) - routes, "NEEDED lists routes the app no longer has"


@pytest.fixture
def targets(world: TestClient, session: Session) -> dict[str, Any]:
    """Records of Chad to aim at: an agreement, a working group, a result period."""
    agreement = {"ref": "AG-1", "title": "An agreement", "kind": "agreement"}
    assert world.post(f"{API}/agreements", json=agreement).status_code == 201
    group = {
        "ref": "WG-TCD",
        "name": "Chad group",
        "parties": ["TCD"],
        "members": [{"name": "x"}],
        "meetings": [{"date": "2025-01-01"}],
        "decisions": [{"text": "x"}],
        "action_items": [{"description": "x"}],
    }
    assert world.post(f"{API}/working-groups", json=group).status_code == 201
    result = world.post(f"{API}/projects/P-TCD/results", json=result_body()).json()
    token, _clear = create_token(session=session, username="admin", name="t")
    session.commit()  # a token cannot mint tokens: made as the account page would
    budget = world.post(f"{API}/projects/P-TCD/budgets", json=JSON_BODIES["/budgets"]).json()
    tx = world.post(f"{API}/projects/P-TCD/transactions", json=JSON_BODIES["/transactions"]).json()
    rate = world.post(f"{API}/exchange-rates", json=JSON_BODIES["/exchange-rates"]).json()
    return {
        "budget_id": budget["id"],
        "transaction_id": tx["id"],
        "rate_id": rate["id"],
        "result_id": result["id"],
        "period_id": result["indicators"][0]["periods"][0]["id"],
        "indicator_id": result["indicators"][0]["id"],
        "token_id": token.id,
        "username": "admin",
        "job_id": 1,
        "name": "projects",
        "number": 1,
    }


REFS = {"parties": "TCD", "agreements": "AG-1", "working-groups": "WG-TCD", "projects": "P-TCD"}
FORMS = {
    "parties": {"kind": "country", "iso3": "MLI"},
    "agreements": {"ref": "AG-2", "title": "x", "kind": "agreement"},
    "working-groups": {"ref": "WG-2", "name": "x", "parties": "TCD"},
    "projects": {
        "ref": "P-2",
        "title": "x",
        "status": "2",
        "countries": "TCD:100",
        "organisations": "IOM:implementing",
    },
}
JSON_BODIES: dict[str, Any] = {
    "/budgets/{budget_id}": {"version": 1},
    "/transactions/{transaction_id}": {"version": 1},
    "/exchange-rates/{rate_id}": {"rate": "1"},
    "/results": result_body(),
    "/periods/{period_id}": {"version": 1, "actual": 1},
    "/transitions": {"to": "approved", "version": 1},
    "/budgets": {
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "value": "5",
        "currency": "EUR",
    },
    "/transactions": {
        "kind": "disbursement",
        "date": "2025-02-01",
        "value": "1",
        "currency": "EUR",
    },
    "/exchange-rates": {
        "currency": "USD",
        "quote": "EUR",
        "rate": "0.9",
        "valid_on": "2025-01-01",
        "source": "https://example.org",
    },
    "/iati": {},
    "/corridor-actuals": {
        "scenario": "s",
        "scenario_hash": "h",
        "year": 2030,
        "capacity_built_mw": {},
        "export_twh": 1,
        "co2_avoided_mt": 1,
    },
    "/tokens": {"name": "t"},
    "/jobs": {"scenario": "reference-2030"},
}


def _request(method: str, path: str, ids: dict[str, Any]) -> dict[str, Any]:
    """URL and a valid body for a route, aimed at Chad's records."""
    kind = next((k for k in RECORD if path.strip("/").split("/")[-2:-1] == [k]), None)
    kind = kind or next((k for k in RECORD if f"/{k}" in path), None)
    url = path.replace("{ref}", REFS.get(kind or "", "P-TCD"))
    for key, value in ids.items():
        url = url.replace(f"{{{key}}}", str(value))
    request: dict[str, Any] = {"method": method, "url": url}
    if not path.startswith(API):
        form = dict(FORMS.get(kind or "", {}))
        form.update({"to": "approved", "version": "1", "target": "1"})
        if path.endswith("/edit"):
            form.pop("ref", None)
        request["data"] = form
    elif path.endswith("/csv/{name}"):
        request.update(content="ref,title\n", headers={"content-type": "text/csv"})
    elif path.endswith("/documents"):
        request["files"] = {"file": ("a.txt", b"hello", "text/plain")}
    elif path.endswith("/iati/activities"):
        request.update(content=b"<iati-activities/>", headers={"content-type": "application/xml"})
    elif method in ("POST", "PATCH", "PUT"):
        body = next((b for k, b in JSON_BODIES.items() if path.endswith(k)), None)
        if body is None and kind is not None:
            body = FORMS[kind] if method == "POST" else {"version": 1}
            if kind == "projects" and method == "POST":
                body = project_body("P-2")
            if kind == "working-groups" and method == "POST":
                body = {"ref": "WG-2", "name": "x", "parties": ["TCD"]}
        request["json"] = body
    return request


def _send(web: TestClient, request: dict[str, Any]) -> Any:
    return web.request(follow_redirects=False, **request)


def test_no_state_changing_request_passes_without_a_csrf_token(
    app: FastAPI, targets: dict[str, Any], browser_as: Callable[..., TestClient]
) -> None:
    admin = browser_as("administrator", username="web-admin")
    for method, path in sorted(unsafe_routes(app)):
        request = _request(method, path, targets)
        request.get("data", {}).pop("csrf_token", None)
        r = _send(admin, request)
        assert r.status_code == 403, f"{method} {path} without CSRF token: {r.status_code}"
        assert "CSRF" in r.text, f"{method} {path}: {r.text[:200]}"
        wrong = {**request, "headers": {**request.get("headers", {}), "X-CSRF-Token": "forged"}}
        assert _send(admin, wrong).status_code == 403, f"{method} {path} with a forged token"


def test_no_state_changing_request_passes_without_the_needed_role(
    app: FastAPI,
    targets: dict[str, Any],
    client_as: Callable[..., TestClient],
    anon_client: TestClient,
) -> None:
    viewer = client_as("viewer", username="v")
    below = {
        SIGNED_IN: [anon_client],
        ANALYST: [anon_client, viewer],
        OWNER: [
            anon_client,
            viewer,
            client_as("focal_point", party="GNB", username="gnb-fp"),
        ],
        STAFF: [anon_client, client_as("focal_point", party="TCD", username="tcd-fp")],
        ADMIN: [anon_client, client_as("secretariat", username="sec")],
    }
    for method, path in sorted(unsafe_routes(app)):
        needed = NEEDED[(method, path)]
        for web in below.get(needed, []):
            request = _request(method, path, targets)
            r = _send(web, request)
            who = web.headers.get("Authorization", "anonymous")[:14]
            expected = 401 if web is anon_client else 403
            assert r.status_code == expected, f"{method} {path} as {who}: {r.status_code} {r.text}"
