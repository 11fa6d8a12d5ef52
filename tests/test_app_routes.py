"""The app has the routes of every router: API routers and page routers are imported
plainly (``web.app.api_router``, ``web.pages.install_pages``), so a renamed or missing
module fails loudly; these tests fail when a router module is left unwired."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import iter_route_contexts

from bakuhub.config import Settings
from bakuhub.web import pages, routes
from bakuhub.web.app import API_PREFIX, create_app

API = API_PREFIX
EXPECTED_PREFIXES = {
    # registry (web/routes/registry.py, one router per record type)
    f"{API}/parties",
    f"{API}/agreements",
    f"{API}/working-groups",
    f"{API}/projects",
    f"{API}/csv/",  # csv.py
    f"{API}/agreements/{{ref}}/documents",  # documents.py
    f"{API}/documents/",
    f"{API}/corridor/",  # corridor.py
    f"{API}/risk/",  # risk.py
    f"{API}/periods/",  # results.py
    f"{API}/results/",
    f"{API}/exchange-rates",
    f"{API}/projects/{{ref}}/results",
    f"{API}/budgets/",  # finance.py
    f"{API}/transactions/",
    f"{API}/exchange-rates/",
    f"{API}/indicators/",  # results.py
    f"{API}/review",
    f"{API}/iati/",  # iati.py
    f"{API}/me",  # accounts.py
    f"{API}/tokens",
    f"{API}/users",
    f"{API}/audit",
    f"{API}/jobs",  # jobs.py
    f"{API}/sweeps",  # sweeps.py
    "/corridor/sweeps",
    f"{API}/health",
    # pages
    "/login",
    "/account",
    "/audit",
    "/risk",
    "/corridor",
    "/corridor/jobs/",
    "/corridor/studies/",  # corridor_studies.py
    "/corridor/compare",
    "/corridor/scenarios",  # corridor_scenarios.py
    "/projects/{ref}/results/new",
    "/periods/",
    "/working-groups/{ref}/members/",
    "/parties",
    "/static/plotly.min.js",
    "/exchange-rates",
    "/projects/{ref}/budgets/",
    "/projects/{ref}/transactions/",
    "/dashboards",
    "/review",
    "/indicators/",
    f"{API}/bulk/templates/",  # bulk.py
    "/projects/{ref}/bulk",
    "/iati",
    f"{API}/projects/{{ref}}/iati-findings",  # iati_live.py
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    data = tmp_path_factory.mktemp("data")
    return create_app(Settings(data_dir=data, secret_key="x" * 48))


def _paths(app: FastAPI) -> set[str]:
    return {str(c.path) for c in iter_route_contexts(app.routes) if hasattr(c, "path")}


def _router_modules(package: ModuleType) -> list[str]:
    folder = Path(str(package.__file__)).parent
    return [
        f"{package.__name__}.{m.name}"
        for m in pkgutil.iter_modules([str(folder)])
        if m.name not in ("common", "forms")
    ]


def test_the_app_has_a_route_under_every_expected_prefix(app: FastAPI) -> None:
    paths = _paths(app)
    missing = {p for p in EXPECTED_PREFIXES if not any(x.startswith(p) for x in paths)}
    assert not missing, f"no route under {sorted(missing)}: is its router wired?"


@pytest.mark.parametrize("package", [routes, pages], ids=["api", "pages"])
def test_every_router_module_is_wired_into_the_app(app: FastAPI, package: ModuleType) -> None:
    paths = _paths(app)
    names = _router_modules(package)
    assert names, "no router modules found"
    for name in names:
        router = getattr(importlib.import_module(name), "router", None)
        if not isinstance(router, APIRouter):
            continue  # registry.py builds its routers with registry_routers()
        prefix = API if package is routes else ""
        own = {f"{prefix}{c.path}" for c in iter_route_contexts(router.routes)}
        assert own, f"{name}.router has no routes"
        assert own <= paths, f"{name}: routes not in the app: {sorted(own - paths)}"
